//! The `og_tags` filter: a page's Open Graph and Twitter Card `<meta>` tags
//! from its `og` data, in Rust (written out in a template, they cost some
//! thirty variable lookups a page).

use super::filters::{escape_html, text};
use std::collections::HashMap;
use tera::{Result, Value};

/// Tera's truthiness (`{% if value %}`): not null, false, zero or empty.
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// `{{ page.og | og_tags }}`: the Open Graph and Twitter Card `<meta>` tags
/// of a page's `og` data (see docs/themes.md), one a line, values escaped;
/// optional ones only when set. Written out in a template, they cost some
/// thirty variable lookups a page (a thirtieth of a large build's time).
pub struct OgTags;

/// `<meta>` lines, one after another.
struct MetaLines(String);

impl MetaLines {
    fn tag(&mut self, attr: &str, name: &str, value: &Value) -> Result<()> {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        let content = escape_html(&text("og_tags", value)?);
        for part in ["<meta ", attr, "=\"", name, "\" content=\"", &content, "\">"] {
            self.0.push_str(part);
        }
        Ok(())
    }
}

fn field<'v>(o: &'v tera::Map<String, Value>, key: &str) -> Result<&'v Value> {
    o.get(key).ok_or_else(|| tera::Error::msg(format!("og_tags: the `og` data has no `{key}`")))
}

fn object<'v>(v: &'v Value, what: &str) -> Result<&'v tera::Map<String, Value>> {
    v.as_object().ok_or_else(|| tera::Error::msg(format!("og_tags takes a page's `og` data: {what} is {v}")))
}

/// The items of a list, none for a missing one.
fn items(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

impl tera::Filter for OgTags {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
        let og = object(value, "the value")?;
        let mut m = MetaLines(String::with_capacity(2048));
        m.tag("property", "og:type", field(og, "type")?)?;
        m.tag("property", "og:title", field(og, "title")?)?;
        if truthy(og.get("description")) {
            m.tag("property", "og:description", field(og, "description")?)?;
        }
        m.tag("property", "og:url", field(og, "url")?)?;
        m.tag("property", "og:site_name", field(og, "site_name")?)?;
        m.tag("property", "og:locale", field(og, "locale")?)?;
        for locale in items(og.get("locale_alternates")) {
            m.tag("property", "og:locale:alternate", locale)?;
        }
        if truthy(og.get("image")) {
            let image = object(field(og, "image")?, "its `image`")?;
            m.tag("property", "og:image", field(image, "url")?)?;
            if truthy(image.get("alt")) {
                m.tag("property", "og:image:alt", field(image, "alt")?)?;
            }
        }
        if truthy(og.get("article")) {
            let article = object(field(og, "article")?, "its `article`")?;
            m.tag("property", "article:published_time", field(article, "published_time")?)?;
            m.tag("property", "article:modified_time", field(article, "modified_time")?)?;
            if truthy(article.get("section")) {
                m.tag("property", "article:section", field(article, "section")?)?;
            }
            for tag in items(article.get("tags")) {
                m.tag("property", "article:tag", tag)?;
            }
        }
        m.tag("name", "twitter:card", field(og, "twitter_card")?)?;
        Ok(Value::String(m.0))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Filter;

    /// The tags the default theme wrote out field by field before `og_tags`
    /// (base.html, with its white space), for the test below.
    const OG_BLOCK: &str = r#"{%- set og = page.og %}
<meta property="og:type" content="{{ og.type }}">
<meta property="og:title" content="{{ og.title }}">
{#- `| safe` in a test: Tera would escape the text only to test it #}
{%- if og.description | safe %}
<meta property="og:description" content="{{ og.description }}">
{%- endif %}
<meta property="og:url" content="{{ og.url }}">
<meta property="og:site_name" content="{{ og.site_name }}">
<meta property="og:locale" content="{{ og.locale }}">
{%- for locale in og.locale_alternates %}
<meta property="og:locale:alternate" content="{{ locale }}">
{%- endfor %}
{%- if og.image %}{% set og_image = og.image %}
<meta property="og:image" content="{{ og_image.url }}">
{%- if og_image.alt %}
<meta property="og:image:alt" content="{{ og_image.alt }}">
{%- endif %}
{%- endif %}
{%- if og.article %}{% set og_article = og.article %}
<meta property="article:published_time" content="{{ og_article.published_time }}">
<meta property="article:modified_time" content="{{ og_article.modified_time }}">
{%- if og_article.section %}
<meta property="article:section" content="{{ og_article.section }}">
{%- endif %}
{%- for tag in og_article.tags %}
<meta property="article:tag" content="{{ tag }}">
{%- endfor %}
{%- endif %}
<meta name="twitter:card" content="{{ og.twitter_card }}">
"#;

    /// `og_tags` prints what the template block printed, with and without
    /// each optional part, values escaped.
    #[test]
    fn og_tags_prints_what_the_template_block_printed() {
        let mut tera = tera::Tera::default();
        crate::render::filters::register(&mut tera);
        tera.add_raw_template("block.html", OG_BLOCK).unwrap();
        tera.add_raw_template("filter.html", "{{ page.og | og_tags }}").unwrap();
        let full = serde_json::json!({
            "type": "article", "title": "A <b>&</b> \"q\" 'x' / y", "description": "قال إن <x>", "url": "https://e.org/ar/2026/01/a/",
            "site_name": "نشرة", "locale": "ar_AR", "locale_alternates": ["en_US", "fr_FR"],
            "image": { "url": "https://e.org/i.png?a=1&b=2", "alt": "صورة \"x\"" },
            "article": { "published_time": "2026-01-02T10:00:00+03:00", "modified_time": "2026-01-03", "section": "سياسة", "tags": ["سياسة", "A&B"] },
            "twitter_card": "summary_large_image",
        });
        let mut cases = vec![full.clone()];
        for (path, blank) in [("/description", serde_json::json!("")), ("/locale_alternates", serde_json::json!([])), ("/image", serde_json::Value::Null),
            ("/image/alt", serde_json::json!("")), ("/article", serde_json::Value::Null), ("/article/section", serde_json::Value::Null), ("/article/tags", serde_json::json!([]))] {
            let mut v = full.clone();
            *v.pointer_mut(path).unwrap() = blank;
            cases.push(v);
        }
        for og in cases {
            let ctx = tera::Context::from_serialize(serde_json::json!({ "page": { "og": og } })).unwrap();
            let (block, filter) = (tera.render("block.html", &ctx).unwrap(), tera.render("filter.html", &ctx).unwrap());
            assert_eq!(block, format!("\n{filter}\n"), "{og}");
        }
        assert!(OgTags.filter(&serde_json::json!({ "type": "website" }), &HashMap::new()).unwrap_err().to_string().contains("`title`"));
    }
}
