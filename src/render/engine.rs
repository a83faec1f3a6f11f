//! Tera glue: the template set (embedded theme plus overrides), the `t()`
//! function backed by Fluent, and Tera errors turned into diagnostics that
//! point at the template file's line.

use crate::diag::Diagnostic;
use crate::i18n::{Arg, I18n};
use crate::theme::{Template, Theme};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tera::{Tera, Value};

/// `t(key="message-id", lang="ar", name=value, ...)` in templates.
struct Translate(Arc<I18n>);

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args.get("key").and_then(Value::as_str).ok_or_else(|| tera::Error::msg("t() needs key=\"message-id\""))?;
        let lang = args.get("lang").and_then(Value::as_str).ok_or_else(|| tera::Error::msg(format!("t(key=\"{key}\") needs lang=lang.code")))?;
        let mut fluent_args: Vec<(&str, Arg)> = Vec::with_capacity(args.len());
        for (name, v) in args {
            if name == "key" || name == "lang" {
                continue;
            }
            let arg = match v {
                Value::Number(n) => match n.as_i64() {
                    Some(i) => Arg::Num(i),
                    None => Arg::Str(n.to_string()),
                },
                Value::String(s) => Arg::Str(s.clone()),
                Value::Bool(b) => Arg::Str(b.to_string()),
                Value::Null => Arg::Str(String::new()),
                other => Arg::Str(other.to_string()),
            };
            fluent_args.push((name.as_str(), arg));
        }
        self.0.t(lang, key, &fluent_args).map(Value::String).map_err(tera::Error::msg)
    }
}

/// Where a template came from, for messages.
fn template_path(t: &Template) -> PathBuf {
    t.origin.clone().unwrap_or_else(|| PathBuf::from(format!("<built-in>/themes/default/templates/{}", t.name)))
}

/// The whole error chain of a Tera error as one string.
pub fn chain(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push('\n');
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// `--> L:C` in a Tera parse error.
fn parse_position(msg: &str) -> Option<(usize, usize)> {
    let rest = &msg[msg.find("--> ")? + 4..];
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != ':').unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// Build the template set. When that fails, each template is parsed alone
/// so that every syntax error of the run is reported, each at its file and
/// line (parsing is a noticeable part of a small build: done once when the
/// templates are sound).
pub fn build(theme: &Theme, i18n: Arc<I18n>) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.register_function("t", Translate(i18n));
    tera.register_filter("xml", super::xml::XmlFilter);
    super::filters::register(&mut tera);
    let raw: Vec<(&str, &str)> = theme.templates.iter().map(|t| (t.name.as_str(), t.source.as_str())).collect();
    match tera.add_raw_templates(raw) {
        Ok(()) => Ok(tera),
        Err(e) => Err(syntax_errors(theme).unwrap_or_else(|| {
            let msg = chain(&e);
            let culprit = theme.templates.iter().find(|t| msg.contains(&format!("'{}'", t.name)) || msg.contains(&format!("\"{}\"", t.name)));
            let path = culprit.map_or_else(|| PathBuf::from("themes"), template_path);
            vec![Diagnostic::error(path, format!("templates: {}", msg.replace('\n', ": ")))
                .with_hint("check `extends`, `import` and `include` names")]
        })),
    }
}

/// Every template's syntax error, each template parsed alone; `None` if there is none.
fn syntax_errors(theme: &Theme) -> Option<Vec<Diagnostic>> {
    let mut errs = Vec::new();
    for t in &theme.templates {
        if let Err(e) = tera::Template::new(&t.name, None, &t.source) {
            let msg = chain(&e);
            let detail = msg.lines().skip_while(|l| !l.contains("-->")).last().unwrap_or("").trim().to_string();
            let mut d = Diagnostic::error(template_path(t), format!("template syntax error: {}", if detail.is_empty() { msg.lines().last().unwrap_or("").to_string() } else { detail }));
            if let Some((l, c)) = parse_position(&msg) {
                d = d.at(&t.source, l, c);
            }
            errs.push(d.with_hint("see the Tera documentation for template syntax"));
        }
    }
    (!errs.is_empty()).then_some(errs)
}

/// A render-time error (undefined variable, failing function...) as a diagnostic
/// at the first place in the template that names the culprit.
pub fn render_error(theme: &Theme, template: &str, e: &tera::Error) -> Diagnostic {
    let msg = chain(e);
    let last = msg.lines().last().unwrap_or(&msg).to_string();
    let culprit = last.split('`').nth(1).map(str::to_string);
    // the template named in the message, else the one being rendered
    let named = msg.split('\'').nth(1).unwrap_or(template).to_string();
    let mut order: Vec<&Template> = theme.templates.iter().filter(|t| t.name == named || t.name == template).collect();
    order.extend(theme.templates.iter().filter(|t| t.origin.is_some()));
    // then the rest: the layout a page extends, the templates it includes
    order.extend(theme.templates.iter().filter(|t| t.origin.is_none()));
    let fallback = theme.templates.iter().find(|t| t.name == template);
    if let Some(word) = &culprit {
        let hint = match word.strip_prefix("ui.") {
            Some(id) => format!("`{word}` is the message `{}`: define it, without variables, in the page language's or the default language's .ftl file (a message with variables goes through t())", id.replace('_', "-")),
            None => "check the variable's name against docs/themes.md (the context each template gets)".to_string(),
        };
        for t in order {
            if let Some(off) = find_in_tags(&t.source, word) {
                return Diagnostic::error(template_path(t), format!("while rendering {template}: {last}"))
                    .at_offset(&t.source, off)
                    .with_hint(hint);
            }
        }
    }
    let path = fallback.map_or_else(|| PathBuf::from(template), template_path);
    Diagnostic::error(path, format!("while rendering {template}: {last}"))
}

/// Byte offset of `word` inside a `{{ }}` or `{% %}` tag of a template.
fn find_in_tags(source: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = source[from..].find(word) {
        let at = from + p;
        let before = &source[..at];
        let open = before.rfind("{{").into_iter().chain(before.rfind("{%")).max();
        let close = before.rfind("}}").into_iter().chain(before.rfind("%}")).max();
        if open.is_some() && open > close {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_parse_positions() {
        assert_eq!(super::parse_position("Failed\n  --> 3:14\n  |"), Some((3, 14)));
        assert_eq!(super::parse_position("nothing"), None);
    }

    #[test]
    fn finds_words_only_inside_tags() {
        let src = "title here {{ page.title }}";
        assert_eq!(super::find_in_tags(src, "title"), Some(19));
    }

    proptest::proptest! {
        /// The vendored Tera's short way through a plain dotted name (split
        /// at its dots) finds what a JSON pointer of the same segments
        /// finds, as the published crate's character-by-character reading
        /// does: in objects and arrays, with empty segments skipped and
        /// indices as serde_json reads them.
        #[test]
        fn plain_dotted_names_find_what_json_pointers_find(segments in proptest::collection::vec(
            proptest::sample::select(vec!["", "a", "b", "ab", "0", "1", "01", "+1", "x", "big", "k7", "k12"]), 0..5)) {
            // `big` has more keys than one node of a B-tree holds (eleven):
            // the vendored Tera scans a smaller map, and searches this one
            let big: serde_json::Map<String, serde_json::Value> = (0..14).map(|k| (format!("k{k}"), serde_json::json!({"a": k, "big": [k]})))
                .chain([("a".to_string(), serde_json::json!({"b": "in big"})), ("x".to_string(), serde_json::json!(["x0", "x1"]))]).collect();
            let value = serde_json::json!({
                "big": big,
                "a": {"b": [10, {"a": 1, "x": [true]}], "ab": "s", "0": "zero", "big": {"k7": 7}},
                "b": [{"a": {"b": 2}}, [3, 4]],
                "ab": {"1": {"0": null}},
                "0": [5],
            });
            let dotted = segments.join(".");
            let plain: Vec<&str> = segments.iter().copied().filter(|s| !s.is_empty()).collect();
            let pointer = if plain.is_empty() { String::new() } else { format!("/{}", plain.join("/")) };
            proptest::prop_assert_eq!(tera::dotted_pointer(&value, &dotted), value.pointer(&pointer));
        }
    }
}
