//! Front matter: split the YAML block from the markdown body keeping the
//! file's own line numbers, then validate each field into an `Article`.
//! Positions in errors count from the top of the article file.

use super::article::{Article, ArticleDate, Image};
use crate::diag::Diagnostic;
use crate::registry::{Registries, Resolution};
use serde_yaml::{Mapping, Value};
use std::path::Path;

pub const FIELDS: &[&str] = &[
    "title", "date", "updated", "summary", "topics", "entities", "author", "slug",
    "translation_key", "draft", "image", "image_alt",
];

/// The front matter block and the body of an article file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file on which `yaml` starts.
    pub yaml_line: usize,
    pub body: &'a str,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Split `text` (BOM removed, LF line ends) into front matter and body.
pub fn split<'t>(path: &Path, text: &'t str) -> Result<Split<'t>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "the file is empty")
            .with_hint("an article starts with front matter: `---`, `title: ...`, `date: YYYY-MM-DD`, `---`"));
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(Diagnostic::error(path, "the article has no front matter")
            .at(text, 1, 1)
            .with_hint("start the file with a line `---`, then `title:` and `date:`, then another `---`"));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..end];
        if is_fence(line) || line.trim_end() == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split { yaml: &text[yaml_start..pos], yaml_line: 2, body: &text[body_start..] });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(path, "the front matter is not closed")
        .at(text, 1, 1)
        .with_hint("add a line `---` after the last front-matter field"))
}

/// Validates one file's fields; collects every problem in `diags`.
struct Fields<'a> {
    path: &'a Path,
    text: &'a str,
    split: &'a Split<'a>,
    map: Mapping,
    diags: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// File line and column of a top-level `key:`.
    fn key_pos(&self, key: &str) -> (usize, usize) {
        for (i, line) in self.split.yaml.lines().enumerate() {
            if line.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')) {
                return (self.split.yaml_line + i, 1);
            }
        }
        (self.split.yaml_line.saturating_sub(1).max(1), 1)
    }

    /// File position of `needle` within the value of `key` (falls back to the key).
    fn value_pos(&self, key: &str, needle: &str) -> (usize, usize) {
        let (kl, _) = self.key_pos(key);
        let lines: Vec<&str> = self.split.yaml.lines().collect();
        let start = kl.saturating_sub(self.split.yaml_line);
        for (i, line) in lines.iter().enumerate().skip(start) {
            if i > start && !line.starts_with([' ', '\t', '-']) {
                break;
            }
            let from = if i == start { line.find(':').map_or(0, |p| p + 1) } else { 0 };
            if let Some(p) = line[from..].find(needle) {
                return (self.split.yaml_line + i, line[..from + p].chars().count() + 1);
            }
        }
        (kl, 1)
    }

    fn error(&mut self, (line, col): (usize, usize), msg: String, hint: Option<String>) {
        let mut d = Diagnostic::error(self.path, msg).at(self.text, line, col);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.diags.push(d);
    }

    fn text(&mut self, key: &str) -> Option<String> {
        match self.map.get(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                let pos = self.key_pos(key);
                self.error(pos, format!("`{key}` must be text"), Some(format!("write `{key}: \"...\"`")));
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Sequence(items)) => {
                let items = items.clone();
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        Value::Number(n) => out.push(n.to_string()),
                        _ => {
                            let pos = self.key_pos(key);
                            self.error(pos, format!("every item of `{key}` must be a name"), None);
                        }
                    }
                }
                out
            }
            Some(_) => {
                let pos = self.key_pos(key);
                self.error(pos, format!("`{key}` must be a list"), Some(format!("write `{key}: [a, b]`")));
                Vec::new()
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<ArticleDate> {
        let s = self.text(key)?;
        match ArticleDate::parse(&s) {
            Ok(d) => Some(d),
            Err(msg) => {
                let pos = self.value_pos(key, s.trim());
                self.error(pos, format!("`{key}`: {msg}"), Some("use `YYYY-MM-DD` or RFC 3339, e.g. `2026-01-04T21:30:00+03:00`".into()));
                None
            }
        }
    }

    /// Resolve each name of `key` against a registry, reporting unknown and ambiguous ones.
    fn resolve(&mut self, key: &str, kind: &str, names: Vec<String>, find: impl Fn(&str) -> Resolution, id_of: impl Fn(usize) -> String) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for name in names {
            match find(&name) {
                Resolution::Found(i) => {
                    let id = id_of(i);
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Resolution::Ambiguous(cands) => {
                    let pos = self.value_pos(key, &name);
                    self.error(pos, format!("{kind} `{name}` is ambiguous: it names {}", backticks(&cands)),
                        Some(format!("write the id instead, e.g. `{}`", cands[0])));
                }
                Resolution::Unknown(near) => {
                    let pos = self.value_pos(key, &name);
                    let registry = if kind == "topic" { "content/topics.yaml" } else { "content/entities.yaml" };
                    let hint = if near.is_empty() {
                        format!("add it to {registry}")
                    } else {
                        format!("did you mean {}? Or add it to {registry}", backticks(&near))
                    };
                    self.error(pos, format!("unknown {kind} `{name}`"), Some(hint));
                }
            }
        }
        ids
    }

    fn path_segment(&mut self, key: &str, value: String) -> String {
        if let Some(why) = crate::paths::unsafe_reason(&value) {
            let pos = if self.map.contains_key(key) { self.value_pos(key, &value) } else { (0, 0) };
            self.error(pos, format!("{key} `{}` cannot be used in a URL: {why}", value.escape_debug()),
                Some("use letters, digits and hyphens, e.g. `slug: mar-a-lago-dinner`".into()));
        }
        value
    }
}

fn backticks(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Parse one article file. Returns the article when it has no errors, and
/// every diagnostic (errors and warnings) found on the way.
pub fn parse_article(path: &Path, lang: &str, stem: &str, text: &str, regs: &Registries) -> (Option<Article>, Vec<Diagnostic>) {
    let split = match split(path, text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let quick = super::quick_yaml::parse(split.yaml).map(Value::Mapping).map(Ok);
    let map: Mapping = match quick.unwrap_or_else(|| serde_yaml::from_str::<Value>(split.yaml)) {
        Ok(Value::Mapping(m)) => m,
        Ok(Value::Null) => Mapping::new(),
        Ok(_) => {
            let d = Diagnostic::error(path, "the front matter must be `field: value` lines").at(text, split.yaml_line, 1);
            return (None, vec![d]);
        }
        Err(e) => {
            let mut d = crate::config::yaml_error(path, split.yaml, &e, FIELDS);
            if d.line > 0 {
                let (line, col) = (d.line + split.yaml_line - 1, d.col);
                d = d.at(text, line, col);
            } else {
                d = d.at(text, split.yaml_line, 1);
            }
            let d = d.with_hint("check the quoting: a value containing `: ` or starting with `[`, `{`, `*`, `&` or `\"` needs quotes");
            return (None, vec![d]);
        }
    };
    let mut f = Fields { path, text, split: &split, map, diags: Vec::new() };

    let unknown: Vec<String> = f.map.keys().filter_map(|k| k.as_str()).filter(|k| !FIELDS.contains(k)).map(String::from).collect();
    for key in unknown {
        let (line, col) = f.key_pos(&key);
        let mut d = Diagnostic::warning(path, format!("unknown front-matter field `{key}` is ignored")).at(text, line, col);
        if let Some(best) = crate::suggest::closest(&key, FIELDS.iter().copied()).first() {
            d = d.with_hint(format!("did you mean `{best}`?"));
        }
        f.diags.push(d);
    }

    let title = f.text("title").filter(|t| !t.trim().is_empty());
    if title.is_none() && !f.map.contains_key("title") {
        let pos = (split.yaml_line - 1, 1);
        f.error(pos, "missing `title`".into(), Some("add `title: \"...\"` to the front matter".into()));
    } else if title.is_none() && f.diags.iter().all(|d| !d.is_error()) {
        let pos = f.key_pos("title");
        f.error(pos, "`title` is empty".into(), None);
    }
    let date = f.date("date");
    if !f.map.contains_key("date") {
        let pos = (split.yaml_line - 1, 1);
        f.error(pos, "missing `date`".into(), Some("add `date: YYYY-MM-DD` (or RFC 3339 with the time and offset)".into()));
    }
    let updated = f.date("updated");
    let summary = f.text("summary").filter(|s| !s.trim().is_empty());
    let author = f.text("author").filter(|s| !s.trim().is_empty());
    let topic_names = f.list("topics");
    let topics = f.resolve("topics", "topic", topic_names, |n| regs.resolve_topic(n), |i| regs.topics[i].id.clone());
    let entity_names = f.list("entities");
    let entities = f.resolve("entities", "entity", entity_names, |n| regs.resolve_entity(n), |i| regs.entities[i].id.clone());
    let slug = f.text("slug").map(|s| s.trim().to_string()).unwrap_or_else(|| stem.to_string());
    let slug = f.path_segment("slug", slug);
    let translation_key = f.text("translation_key").unwrap_or_else(|| stem.to_string());
    let draft = match f.map.get("draft") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            let pos = f.key_pos("draft");
            f.error(pos, "`draft` must be true or false".into(), None);
            false
        }
    };
    let image_src = f.text("image").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let image_alt = f.text("image_alt");
    let image = image_src.map(|src| {
        if src.split('/').any(|seg| seg == "..") || src.starts_with("javascript:") || src.starts_with("data:") {
            let pos = f.value_pos("image", &src);
            f.error(pos, format!("image `{src}` must be a path under static/ or an http(s) URL"), None);
        }
        if image_alt.is_none() {
            let (line, col) = f.key_pos("image");
            f.diags.push(Diagnostic::warning(path, "the lead image has no `image_alt`").at(text, line, col)
                .with_hint("describe the image for readers who cannot see it"));
        }
        Image { src, alt: image_alt.clone().unwrap_or_default() }
    });

    let ok = !f.diags.iter().any(Diagnostic::is_error);
    let diags = std::mem::take(&mut f.diags);
    let article = match (ok, title, date) {
        (true, Some(title), Some(date)) => Some(Article {
            source: path.to_path_buf(),
            lang: lang.to_string(),
            stem: stem.to_string(),
            title: title.trim().to_string(),
            date,
            updated,
            summary,
            topics,
            entities,
            author,
            slug,
            translation_key,
            draft,
            image,
            body: split.body.to_string(),
            prerendered: None,
        }),
        _ => None,
    };
    (article, diags)
}
