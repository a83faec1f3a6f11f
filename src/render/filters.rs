//! Tera filters written in Rust for what every page does, so that templates
//! need no macro for it (a Tera macro call costs more than a whole page of
//! plain output): `escape_text`, `fill` and `head_title` (and `og_tags`, in its
//! own module).

use super::escape::{replace_runs, write_runs, ByteSet};
use std::collections::HashMap;
use tera::{Result, Value};
use unicode_segmentation::UnicodeSegmentation;

/// The placeholder a message gets for the value that `fill` isolates.
pub const PLACEHOLDER: &str = "__NASHRA_VALUE__";

/// The longest `<title>` text, counted in source characters.
const TITLE_MAX: usize = 70;

pub(super) fn text<'a>(name: &str, value: &'a Value) -> Result<std::borrow::Cow<'a, str>> {
    match value {
        Value::String(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Value::Number(n) => Ok(std::borrow::Cow::Owned(n.to_string())),
        other => Err(tera::Error::msg(format!("{name} takes text, not {other}"))),
    }
}

fn arg<'a>(filter: &str, args: &'a HashMap<String, Value>, name: &str) -> Result<Option<std::borrow::Cow<'a, str>>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => text(&format!("{filter}'s `{name}`"), v).map(Some),
    }
}

/// The least escaping text content needs (`&`, `<`, `>`).
pub fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `{{ page.title | escape_text }}`: for `<title>`, whose length validators
/// count in source characters.
pub struct EscapeText;

impl tera::Filter for EscapeText {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
        Ok(Value::String(escape_text(&text("escape_text", value)?)))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ t(key="byline", lang=lang.code, author="__NASHRA_VALUE__") | fill(value=article.author) }}`:
/// the message, escaped, with the placeholder replaced by `value` (escaped)
/// wrapped in `<bdi>`, or in `<time datetime="...">` when `datetime` is
/// given, so that a name written in the other direction cannot reorder the
/// sentence around it.
pub struct Fill;

impl tera::Filter for Fill {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
        let message = text("fill", value)?;
        let inner = escape_html(&arg("fill", args, "value")?.unwrap_or_default());
        let filled = match arg("fill", args, "datetime")?.filter(|d| !d.is_empty()) {
            Some(when) => format!("<time datetime=\"{}\">{inner}</time>", escape_html(&when)),
            None => format!("<bdi>{inner}</bdi>"),
        };
        Ok(Value::String(escape_html(&message).replace(PLACEHOLDER, &filled)))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ page.title | head_title(site=site.title) }}`: the `<title>` text,
/// "page — site" when it fits in 70 characters, else the page title alone,
/// else the page title cut after a word (with `…`), counted in source
/// characters after escaping (search engines cut long titles, and
/// html-validate refuses them).
pub struct HeadTitle;

pub fn head_title(title: &str, site: &str) -> String {
    let len = |s: &str| escape_text(s).chars().count();
    let full = format!("{title} — {site}");
    if len(&full) <= TITLE_MAX {
        return escape_text(&full);
    }
    if len(title) <= TITLE_MAX {
        return escape_text(title);
    }
    let mut short = String::new();
    for word in title.split(' ') {
        let candidate = format!("{short} {word}");
        if len(&candidate) > TITLE_MAX - 1 {
            break;
        }
        short = candidate;
    }
    if short.trim().chars().count() > 20 {
        return format!("{}…", escape_text(short.trim()));
    }
    match title.grapheme_indices(true).nth(60) {
        Some((cut, _)) => format!("{}…", escape_text(&title[..cut])),
        None => escape_text(title),
    }
}

impl tera::Filter for HeadTitle {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
        let site = arg("head_title", args, "site")?.unwrap_or_default();
        Ok(Value::String(head_title(&text("head_title", value)?, &site)))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// Tera's autoescaping: `& < > " '` as entities, as `tera::escape_html`
/// writes them, copying the runs between those characters whole instead of
/// pushing every character (it runs on every printed value of every page).
/// Unlike Tera, `/` is left as it is: HTML gives it no meaning in text or in
/// a quoted attribute, so `&#x2F;` only made every URL of every page longer
/// and harder to read (Tera's issues #368 and #567; pulldown-cmark's bodies
/// and Askama print `/` too).
pub fn escape_html(input: &str) -> String {
    replace_runs(input, &HTML_SPECIAL, html_entity)
}

/// [`escape_html`] written straight into a page (Tera's patch, see
/// `vendor/tera/PATCHED.md`): a printed value makes no string of its own.
pub fn escape_html_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_runs(input, &HTML_SPECIAL, html_entity, out)
}

/// The entity [`escape_html`] writes for the byte at `i`.
fn html_entity(bytes: &[u8], i: usize) -> Option<(&'static str, usize)> {
    let entity = match bytes[i] {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#x27;",
        _ => return None,
    };
    Some((entity, 1))
}

/// The bytes [`escape_html`] replaces.
const HTML_SPECIAL: ByteSet = ByteSet::new(b"&<>\"'", false);

/// Register the filters and the escaping function on `tera`.
pub fn register(tera: &mut tera::Tera) {
    tera.set_escape_fns(escape_html, escape_html_to);
    tera.register_filter("escape_text", EscapeText);
    tera.register_filter("fill", Fill);
    tera.register_filter("head_title", HeadTitle);
    tera.register_filter("og_tags", super::og_tags::OgTags);
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Filter;

    #[test]
    fn head_title_fits_in_seventy_source_characters() {
        assert_eq!(head_title("Short", "Site"), "Short — Site");
        assert_eq!(head_title("A & B", "S"), "A &amp; B — S");
        let long = "word ".repeat(20);
        let t = head_title(long.trim(), "Site");
        assert!(t.ends_with('…') && t.chars().count() <= TITLE_MAX, "{t}");
        let one = "x".repeat(100);
        assert_eq!(head_title(&one, "S"), format!("{}…", "x".repeat(60)));
    }

    /// The filter gives what the theme's former `title` macro gave.
    #[test]
    fn head_title_agrees_with_the_former_macro() {
        let mac = r#"{% macro title(text, site) -%}
{%- set full = text ~ " — " ~ site -%}
{%- if full | escape_text | length <= 70 -%}{{ full | escape_text }}
{%- elif text | escape_text | length <= 70 -%}{{ text | escape_text }}
{%- else -%}
{%- set_global short = "" -%}
{%- set_global stop = false -%}
{%- for word in text | split(pat=" ") -%}
{%- if not stop -%}
{%- set candidate = short ~ " " ~ word -%}
{%- if candidate | escape_text | length <= 69 -%}{%- set_global short = candidate -%}{%- else -%}{%- set_global stop = true -%}{%- endif -%}
{%- endif -%}
{%- endfor -%}
{%- if short | trim | length > 20 -%}{{ short | trim | escape_text }}…{%- else -%}{{ text | truncate(length=60) | escape_text }}{%- endif -%}
{%- endif -%}
{%- endmacro title %}"#;
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        register(&mut tera);
        tera.add_raw_templates(vec![("m.html", mac), ("t.html", r#"{% import "m.html" as m %}{{ m::title(text=text, site=site) }}"#)]).unwrap();
        let long_ar = "قال الرئيس الأمريكي إن المحادثات مع الجانب الآخر ستستمر طوال الأسبوع المقبل في العاصمة وسط ترقب كبير";
        let titles = [
            "Short".to_string(), "A & B <c>".to_string(), long_ar.to_string(), "word ".repeat(20), "x".repeat(100),
            "&".repeat(30), format!("{} & {}", "Tesla".repeat(10), "x y z ".repeat(8)), "  spaced   out  ".repeat(6),
            "e\u{301}".repeat(70), format!("{long_ar} — {long_ar}"),
        ];
        for site in ["Site", "نشرة الأخبار اليومية للمنطقة"] {
            for t in &titles {
                let mut c = tera::Context::new();
                c.insert("text", t);
                c.insert("site", site);
                assert_eq!(head_title(t, site), tera.render("t.html", &c).unwrap(), "{t:?} / {site}");
            }
        }
    }


    /// Tera's escaping but for `/`, which stays.
    fn tera_but_slash(s: &str) -> String {
        tera::escape_html(s).replace("&#x2F;", "/")
    }

    #[test]
    fn escape_html_agrees_with_tera_but_keeps_the_slash() {
        for s in ["", "plain", "a & b < c > d \" e ' f / g", "عشاء &amp; ماسك/ترامب", "&&&<<<>>>", "x\u{1F600}/", "<script>alert('x')</script>"] {
            assert_eq!(escape_html(s), tera_but_slash(s), "{s:?}");
        }
        assert_eq!(escape_html("</a href=\"/ar/topics/\">"), "&lt;/a href=&quot;/ar/topics/&quot;&gt;");
    }

    proptest::proptest! {
        /// Whatever the runs between special bytes, and wherever they fall
        /// against the eight-byte steps of the scan.
        #[test]
        fn escape_html_agrees_with_tera_but_for_the_slash_on_any_text(s in proptest::collection::vec(proptest::sample::select(vec![
            "a", "Zz", "0123456", "&", "<", ">", "\"", "'", "/", " ", "ب", "عربي", "\u{1F600}", "\u{2028}", "\n",
        ]), 0..40)) {
            let s = s.concat();
            proptest::prop_assert_eq!(escape_html(&s), tera_but_slash(&s));
            let mut written = Vec::new();
            escape_html_to(&s, &mut written).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(written).unwrap(), escape_html(&s));
        }
    }

    /// Printing through the patched path (escaped straight into the page)
    /// gives the page Tera's own path gives, whatever makes the value.
    #[test]
    fn escaping_into_the_page_is_escaping_a_string() {
        let template = r#"{% macro m(v) %}[{{ v }}]{% endmacro m %}{% set s = "<set>" %}
{{ a }} {{ a | safe }} {{ a | upper }} {{ a | upper | safe }} {{ "<lit>" }} {{ n }} {{ not a }} {{ s }}
{{ self::m(v=a) }} {{ b.c }} {% for x in list %}{{ x }}{{ loop.index }}{% endfor %} {{ a ~ "/" ~ n }} {{ list }}
{{ a | xml }} {{ a | upper | xml }} {{ a | xml | upper }} {{ a | xml | safe }} {{ n | xml }} {{ z | xml }} {{ not a | xml }}
{{ b.c | xml }} {% for x in list %}{{ x | xml }}{% endfor %} {{ a | head_title(site="<S>") }} {{ self::m(v=a) | xml }}"#;
        let mut c = tera::Context::new();
        c.insert("a", "A & <b> \"q\" 'x' /");
        c.insert("n", &7);
        c.insert("z", &serde_json::Value::Null);
        c.insert("b", &serde_json::json!({"c": "ع/ب"}));
        c.insert("list", &["<1>", "2&"]);
        let tera = |both: bool| {
            let mut tera = tera::Tera::default();
            tera.register_filter("xml", super::super::xml::XmlFilter);
            tera.register_filter("head_title", HeadTitle);
            tera.add_raw_templates(vec![("t.html", template), ("bad.html", "{{ list | xml }}"), ("worse.html", "{{ nothing | xml_nope }}")]).unwrap();
            if both {
                tera.set_escape_fns(escape_html, escape_html_to);
            } else {
                tera.set_escape_fn(escape_html);
            }
            tera
        };
        let (both, one) = (tera(true), tera(false));
        let (into, string) = (both.render("t.html", &c).unwrap(), one.render("t.html", &c).unwrap());
        assert_eq!(into, string);
        assert!(into.starts_with("\nA &amp; &lt;b&gt; &quot;q&quot; &#x27;x&#x27; / A & <b>"), "{into}");
        assert!(into.contains("&lt;1&gt;1"), "{into}");
        // a safe filter ending the expression writes into the page itself
        // (`filter_to`): the same bytes, and the same error
        assert!(into.contains("\nA &amp; &lt;b&gt; &quot;q&quot; &apos;x&apos; / A &amp; &lt;B&gt;"), "{into}");
        assert!(into.contains(" 7  false\nع/ب &lt;1&gt;2&amp; "), "{into}");
        let error = |t: &tera::Tera, name: &str| super::super::engine::chain(&t.render(name, &c).unwrap_err());
        assert_eq!(error(&both, "bad.html"), error(&one, "bad.html"));
        assert!(error(&both, "bad.html").contains("the `xml` filter takes text"), "{}", error(&both, "bad.html"));
        // an undefined value and an unknown filter: the value's error, as before
        assert_eq!(error(&both, "worse.html"), error(&one, "worse.html"));
        assert!(error(&both, "worse.html").contains("`nothing` not found"), "{}", error(&both, "worse.html"));
    }

    #[test]
    fn fill_isolates_the_value_and_escapes_both() {
        let mut args = HashMap::new();
        args.insert("value".to_string(), Value::String("<Ann>".into()));
        let v = Fill.filter(&Value::String(format!("By {PLACEHOLDER} & co")), &args).unwrap();
        assert_eq!(v, Value::String("By <bdi>&lt;Ann&gt;</bdi> &amp; co".into()));
        args.insert("datetime".to_string(), Value::String("2026-01-02".into()));
        let v = Fill.filter(&Value::String(format!("On {PLACEHOLDER}")), &args).unwrap();
        assert_eq!(v, Value::String("On <time datetime=\"2026-01-02\">&lt;Ann&gt;</time>".into()));
    }
}
