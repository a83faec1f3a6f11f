//! Sanitizing rendered HTML that contains raw HTML from the author: an
//! ammonia policy that keeps what pulldown-cmark emits and common article
//! markup, then `rel="noopener noreferrer"` on external raw-HTML links.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::text::{is_external_url, SAFE_SCHEMES};

/// The `rel` value put on external links.
pub const EXTERNAL_REL: &str = "noopener noreferrer";

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Default tags cover formatting, tables, figure/figcaption, img, a,
        // abbr, sup/sub, details/summary, blockquote, del/ins, bdi/bdo.
        b.add_tags(["tfoot", "section"]);
        // Dropped together with everything inside them (not just unwrapped).
        b.clean_content_tags(HashSet::from([
            "script", "style", "iframe", "object", "embed", "applet", "template", "noscript",
            "noembed", "noframes", "textarea", "select", "svg", "math", "form", "button",
        ]));
        b.generic_attributes(HashSet::from(["lang", "title", "dir", "id", "class"]));
        let tag_attrs: HashMap<&str, HashSet<&str>> = HashMap::from([
            ("a", HashSet::from(["href", "hreflang"])),
            (
                "img",
                HashSet::from(["src", "alt", "width", "height", "loading"]),
            ),
            ("blockquote", HashSet::from(["cite"])),
            ("q", HashSet::from(["cite"])),
            ("del", HashSet::from(["cite", "datetime"])),
            ("ins", HashSet::from(["cite", "datetime"])),
            ("time", HashSet::from(["datetime"])),
            ("data", HashSet::from(["value"])),
            ("ol", HashSet::from(["start", "reversed", "type"])),
            ("li", HashSet::from(["value"])),
            ("col", HashSet::from(["span"])),
            ("colgroup", HashSet::from(["span"])),
            ("details", HashSet::from(["open"])),
            (
                "th",
                HashSet::from(["colspan", "rowspan", "headers", "scope"]),
            ),
            ("td", HashSet::from(["colspan", "rowspan", "headers"])),
        ]);
        b.tag_attributes(tag_attrs);
        // No `style` anywhere: table alignment is written as a class.
        // Our own rel on external links survives; any other rel is dropped.
        b.link_rel(None);
        b.tag_attribute_values(HashMap::from([(
            "a",
            HashMap::from([("rel", HashSet::from([EXTERNAL_REL]))]),
        )]));
        b.url_schemes(SAFE_SCHEMES.iter().copied().collect());
        b.strip_comments(true);
        b
    })
}

/// Sanitizes a whole rendered document and marks its external links.
pub fn sanitize(html: &str) -> String {
    let clean = builder().clean(html).to_string();
    match add_external_rel(&clean) {
        Cow::Borrowed(_) => clean,
        Cow::Owned(s) => s,
    }
}

/// Adds `rel="noopener noreferrer"` to every `<a>` with an external href and
/// no rel. Only for ammonia's output, which is serialized regularly: every
/// `<` in it starts a tag (text and attribute values escape `<` and `>`),
/// attribute values are double-quoted, comments are stripped.
fn add_external_rel(html: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0usize;
    let mut pos = 0usize;
    while let Some(off) = html[pos..].find("<a ") {
        let start = pos + off;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let end = start + len;
        let tag = &html[start..end];
        if !has_attr(tag, "rel") && attr_value(tag, "href").is_some_and(is_external_url) {
            out.push_str(&html[copied..end]);
            out.push_str(" rel=\"");
            out.push_str(EXTERNAL_REL);
            out.push('"');
            copied = end;
        }
        pos = end;
    }
    if copied == 0 {
        Cow::Borrowed(html)
    } else {
        out.push_str(&html[copied..]);
        Cow::Owned(out)
    }
}

/// The (still escaped) value of attribute `name` in a serialized start tag.
fn attr_value<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut rest = tag;
    while let Some(i) = rest.find(' ') {
        rest = &rest[i + 1..];
        let (attr, after) = match rest.find("=\"") {
            Some(eq) if !rest[..eq].contains(' ') => (&rest[..eq], &rest[eq + 2..]),
            _ => {
                // Attribute without a value (ammonia writes `x=""`, so rare).
                continue;
            }
        };
        let close = after.find('"')?;
        if attr.eq_ignore_ascii_case(name) {
            return Some(&after[..close]);
        }
        rest = &after[close + 1..];
    }
    None
}

fn has_attr(tag: &str, name: &str) -> bool {
    attr_value(tag, name).is_some()
}
