//! XML output helpers shared by the feeds and sitemaps: escaping (`escape_xml`
//! and the `xml` Tera filter the `.xml` templates use), absolute URIs with
//! non-ASCII (Arabic slugs) percent-encoded, and making the URLs inside an
//! article's HTML absolute for feed readers.

use crate::config::Config;
use std::collections::HashMap;
use tera::Value;

/// The bytes [`escape_xml`] must look at: markup characters, C0 controls
/// other than tab, newline and return, and 0xEF (U+FFFE and U+FFFF start with it).
const XML_SPECIAL: super::escape::ByteSet = super::escape::ByteSet::new(b"&<>\"'\xEF", true);

/// Escape text for XML content or a quoted attribute. Characters XML 1.0
/// forbids (C0 controls other than tab, newline and return; U+FFFE, U+FFFF)
/// are dropped: not even a character reference may stand for them.
pub fn escape_xml(s: &str) -> String {
    super::escape::replace_runs(s, &XML_SPECIAL, xml_run)
}

/// [`escape_xml`] written to `out`.
pub fn escape_xml_to(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::escape::write_runs(s, &XML_SPECIAL, xml_run, out)
}

/// What [`escape_xml`] writes for the bytes at `i` (a byte of [`XML_SPECIAL`]).
fn xml_run(bytes: &[u8], i: usize) -> Option<(&'static str, usize)> {
    match bytes[i] {
        b'&' => Some(("&amp;", 1)),
        b'<' => Some(("&lt;", 1)),
        b'>' => Some(("&gt;", 1)),
        b'"' => Some(("&quot;", 1)),
        b'\'' => Some(("&apos;", 1)),
        b'\t' | b'\n' | b'\r' => None,
        b if b < 0x20 => Some(("", 1)),
        // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters
        0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => Some(("", 3)),
        _ => None,
    }
}

/// `{{ value | xml }}`: XML-escaped text (strings as they are, numbers and
/// booleans as written, null as nothing). Marked safe, so Tera's own HTML
/// escaping (which would still give valid XML, only noisier) is not applied
/// on top.
pub struct XmlFilter;

impl tera::Filter for XmlFilter {
    fn filter(&self, value: &Value, _args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = match value {
            Value::String(s) => escape_xml(s),
            Value::Null => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => return Err(tera::Error::msg(format!("the `xml` filter takes text, not {other}"))),
        };
        Ok(Value::String(text))
    }
    fn is_safe(&self) -> bool {
        true
    }
    /// Text escaped straight into the page: a feed's entries hold whole
    /// article bodies, which `filter` would copy once more.
    fn filter_to(&self, value: &Value, args: &HashMap<String, Value>, out: &mut dyn std::io::Write) -> tera::Result<()> {
        match value {
            Value::String(s) => escape_xml_to(s, out)?,
            other => {
                if let Value::String(text) = self.filter(other, args)? {
                    out.write_all(text.as_bytes())?;
                }
            }
        }
        Ok(())
    }
}

fn push_pct(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
}

/// The ASCII bytes of `extra`, letters and digits (and, with `graphic`,
/// every printable ASCII byte but those of `extra`), as a table.
const fn ascii_set(extra: &[u8], graphic: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if graphic { c.is_ascii_graphic() } else { c.is_ascii_alphanumeric() };
        b += 1;
    }
    let mut k = 0;
    while k < extra.len() {
        t[extra[k] as usize] = !graphic;
        k += 1;
    }
    t
}

/// What a path keeps as written: unreserved characters, sub-delimiters, `:`, `@`, `/`.
const PATH_KEPT: [bool; 256] = ascii_set(b"-._~!$&'()*+,;=:@/", false);
/// What an IRI keeps as written in a URI: printable ASCII but `"<>\^`{|}`.
const URI_KEPT: [bool; 256] = ascii_set(b"\"<>\\^`{|}", true);

/// `s` with every character whose bytes `kept` does not all hold
/// percent-encoded, runs of kept bytes copied whole.
fn encode_with(s: &str, kept: &[bool; 256]) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 16);
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        if kept[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        out.push_str(&s[from..i]);
        // `i` is on a character boundary: every byte before it was ASCII or
        // a whole character
        let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
        push_pct(&mut out, c);
        i += c.len_utf8();
        from = i;
    }
    out.push_str(&s[from..]);
    out
}

/// Percent-encode a site-relative path (`ar/2026/01/عشاء/`) segment by
/// segment: everything but unreserved characters, sub-delimiters, `:`, `@`
/// and the `/` between segments is encoded (a `%` in a slug too).
pub fn encode_path(rel: &str) -> String {
    encode_with(rel, &PATH_KEPT)
}

/// An IRI as a URI: non-ASCII characters and those a URI cannot hold are
/// percent-encoded; existing `%XX` escapes are kept.
pub fn iri_to_uri(iri: &str) -> String {
    encode_with(iri, &URI_KEPT)
}

/// Absolute URI of a site-relative path (`en/topics/tech/`), for XML outputs.
pub fn abs_uri(cfg: &Config, rel: &str) -> String {
    format!("{}/{}", iri_to_uri(&cfg.base_url), encode_path(rel))
}

/// `https://host:port` of an absolute http(s) URL.
pub fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |p| p + 3);
    match url[after_scheme..].find('/') {
        Some(p) => &url[..after_scheme + p],
        None => url,
    }
}

/// Resolve `reference` (as written in an HTML attribute) against `base`, an
/// absolute URL of a page whose path ends in `/`. Absolute URLs (with a
/// scheme) are returned unchanged.
pub fn resolve(reference: &str, base: &str) -> String {
    let r = reference.trim();
    let has_scheme = r.find(':').is_some_and(|p| {
        let scheme = &r[..p];
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme {
        return r.to_string();
    }
    let org = origin(base);
    if let Some(rest) = r.strip_prefix("//") {
        let scheme = base.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    let base_no_frag = base.split('#').next().unwrap_or(base);
    if r.is_empty() {
        return base_no_frag.to_string();
    }
    if r.starts_with('#') {
        return format!("{base_no_frag}{r}");
    }
    let base_path_query = &base_no_frag[org.len()..];
    let base_path = base_path_query.split('?').next().unwrap_or("/");
    if r.starts_with('?') {
        return format!("{org}{base_path}{r}");
    }
    // split the reference into path and the rest (?query#fragment)
    let cut = r.find(['?', '#']).unwrap_or(r.len());
    let (path, tail) = r.split_at(cut);
    let merged = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |p| p + 1)];
        format!("{}{path}", if dir.is_empty() { "/" } else { dir })
    };
    format!("{org}{}{tail}", remove_dot_segments(&merged))
}

/// RFC 3986 §5.2.4 on an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    let mut trailing = false;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => trailing = i == last,
            ".." => {
                out.pop();
                trailing = i == last;
            }
            s => {
                out.push(s);
                trailing = false;
            }
        }
    }
    let mut s = format!("/{}", out.join("/"));
    if trailing && !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// Attributes whose value is a URL.
const URL_ATTRS: &[&str] = &["href", "src", "poster", "cite", "action"];

/// Make every URL in `href`, `src`, `poster`, `cite` and `action` attributes
/// of `html` absolute, resolved against `base` (the article's permalink),
/// so the HTML means the same inside a feed reader. The contents of
/// comments, `<script>` and `<style>` are left alone.
pub fn absolutize_html(html: &str, base: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 256);
    let mut i = 0;
    let mut copied = 0;
    while let Some(p) = html[i..].find('<') {
        let start = i + p;
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let name_len = html[start + 1..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(html.len() - start - 1);
        if name_len == 0 || !bytes[start + 1].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = &html[start + 1..start + 1 + name_len];
        // walk the attributes of this tag
        let mut j = start + 1 + name_len;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let an_start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !b"=>/".contains(&bytes[j]) {
                j += 1;
            }
            let attr = &html[an_start..j];
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] != b'=' {
                if an_start == j {
                    j += 1; // a stray character: step over it
                }
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let (v_start, v_end, next) = match bytes.get(j) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = html[j + 1..].find(q as char).map_or(html.len(), |e| j + 1 + e);
                    (j + 1, end, (end + 1).min(html.len()))
                }
                _ => {
                    let end = html[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |e| j + e);
                    (j, end, end)
                }
            };
            if URL_ATTRS.iter().any(|a| a.eq_ignore_ascii_case(attr)) {
                out.push_str(&html[copied..v_start]);
                let abs = resolve(&html[v_start..v_end], base);
                // the base may hold `&` or a quote: keep the attribute intact
                if abs.contains(['"', '\'']) {
                    out.push_str(&abs.replace('"', "&quot;").replace('\'', "&#39;"));
                } else {
                    out.push_str(&abs);
                }
                copied = v_end;
            }
            j = next;
        }
        i = (j + 1).min(html.len());
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            let close = format!("</{}", name.to_ascii_lowercase());
            i = html[i..].to_ascii_lowercase().find(&close).map_or(html.len(), |e| i + e);
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(escape_xml("a<b>&\"c\"'\u{1}\u{b}\t"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;\t");
        assert_eq!(escape_xml("عربي"), "عربي");
        assert_eq!(escape_xml("a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{EFFF}\r\n"), "abc\u{FFFD}\u{EFFF}\r\n");
        // the same as escaping character by character
        let each = |s: &str| s.chars().map(|c| match c {
            '&' => "&amp;".to_string(), '<' => "&lt;".into(), '>' => "&gt;".into(), '"' => "&quot;".into(), '\'' => "&apos;".into(),
            '\t' | '\n' | '\r' => c.to_string(),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => String::new(),
            c => c.to_string(),
        }).collect::<String>();
        for s in ["", "x", "<p>ماسك & \"ترامب\"</p>\u{0}\u{1F}", "\u{FFFE}\u{FFFE}", "é\u{FFFF}ü", "tail&"] {
            assert_eq!(escape_xml(s), each(s), "{s:?}");
        }
    }

    #[test]
    fn encodes_arabic_slugs_and_keeps_ascii_paths() {
        assert_eq!(encode_path("ar/2026/01/عشاء/"), "ar/2026/01/%D8%B9%D8%B4%D8%A7%D8%A1/");
        assert_eq!(encode_path("en/topics/tech/"), "en/topics/tech/");
        assert_eq!(encode_path("en/100%-sure/"), "en/100%25-sure/");
        assert_eq!(iri_to_uri("https://example.org/أخبار"), "https://example.org/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1");
        assert_eq!(iri_to_uri("https://example.org/a%20b"), "https://example.org/a%20b");
        // the same as encoding character by character
        let each = |s: &str, keep: &dyn Fn(char) -> bool| s.chars().map(|c| if keep(c) {
            c.to_string()
        } else {
            c.to_string().bytes().map(|b| format!("%{b:02X}")).collect()
        }).collect::<String>();
        let path = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c);
        let uri = |c: char| c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c);
        for s in ["", "a b", "ar/عشاء/x y/", "\"<>\\^`{|}%~", "é😀\u{7F}\u{0}\t", "https://ex.org/a?b=c#d[e]"] {
            assert_eq!(encode_path(s), each(s, &path), "{s:?}");
            assert_eq!(iri_to_uri(s), each(s, &uri), "{s:?}");
        }
    }

    #[test]
    fn resolves_references_like_a_browser() {
        let base = "https://example.org/news/en/2026/01/x/";
        assert_eq!(resolve("/img/a.png", base), "https://example.org/img/a.png");
        assert_eq!(resolve("a.png", base), "https://example.org/news/en/2026/01/x/a.png");
        assert_eq!(resolve("../y/", base), "https://example.org/news/en/2026/01/y/");
        assert_eq!(resolve("../../../../../../z", base), "https://example.org/z");
        assert_eq!(resolve("#fn-1", base), "https://example.org/news/en/2026/01/x/#fn-1");
        assert_eq!(resolve("?q=1", base), "https://example.org/news/en/2026/01/x/?q=1");
        assert_eq!(resolve("//cdn.example/x", base), "https://cdn.example/x");
        assert_eq!(resolve("mailto:a@b", base), "mailto:a@b");
        assert_eq!(resolve("https://other.example/", base), "https://other.example/");
        assert_eq!(resolve("./", base), "https://example.org/news/en/2026/01/x/");
        assert_eq!(resolve("", base), base);
        assert_eq!(origin("http://localhost:1111"), "http://localhost:1111");
    }

    #[test]
    fn rewrites_url_attributes_only() {
        let base = "https://example.org/en/2026/01/x/";
        let html = r#"<p><a href="/a?b=1&amp;c=2" title="/not">x</a> <img alt="/no" src='pic.png'> <a href=#f>f</a></p><!-- <a href="/c"> --><script>var s = '<a href="/s">';</script><a HREF="https://ok.example/">ok</a>"#;
        let out = absolutize_html(html, base);
        assert!(out.contains(r#"href="https://example.org/a?b=1&amp;c=2""#), "{out}");
        assert!(out.contains(r#"title="/not""#));
        assert!(out.contains(r#"alt="/no""#));
        assert!(out.contains("src='https://example.org/en/2026/01/x/pic.png'"), "{out}");
        assert!(out.contains("href=https://example.org/en/2026/01/x/#f>"), "{out}");
        assert!(out.contains(r#"<!-- <a href="/c"> -->"#));
        assert!(out.contains(r#"'<a href="/s">'"#));
        assert!(out.contains(r#"HREF="https://ok.example/""#));
        assert_eq!(absolutize_html("no tags < here", base), "no tags < here");
        assert_eq!(absolutize_html("<a href=\"/x", base), "<a href=\"https://example.org/x");
    }
}
