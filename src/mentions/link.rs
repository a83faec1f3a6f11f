//! Mention links: the first counted mention of each entity in an article's
//! rendered body made a link to the entity's page, text only.
//!
//! Where a body was rendered from markdown alone, its mention analysis says
//! where the links go ([`Analysis::place_links`], from the mentions found in
//! its plain text and where that text is in the HTML), and the link pass
//! only writes them in ([`splice`]). A body with raw HTML is read again
//! instead, its text nodes matched one by one ([`Detector::link_first`]).

use super::{Analysis, Detector, Fresh, Matcher};
use crate::markdown::Span;

/// One mention link in a body's HTML: the bytes made a link, and the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub start: u32,
    pub end: u32,
    pub entity: u32,
}

/// Where the mention links of a body go, in its HTML of `html_len` bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyLinks {
    pub html_len: usize,
    /// In order.
    pub at: Vec<Link>,
}

impl Analysis {
    /// Place the body's mention links: for each entity counted, the first
    /// counted mention of it in the body (text `body` of those analysed,
    /// `text`) that lies whole in one text node of `html` where a link may
    /// be made (see [`Span`]); mentions wholly in text where none may be
    /// made are passed over. Where a mention is only partly in such a node
    /// (a name split by emphasis or by a link's end), the links are not
    /// placed: the link pass reads that body's HTML, node by node, as for
    /// raw HTML. Call it before the mentions are dropped.
    pub fn place_links(&mut self, body: usize, text: &str, html: &str, spans: &[Span]) {
        let mut todo: Vec<usize> = self.counts.iter().map(|&(e, _)| e).collect();
        let mut at = Vec::new();
        let mut counted = Counted::default();
        // a text's mentions are in order
        for m in self.mentions.iter().filter(|m| m.field == body) {
            if todo.is_empty() {
                break;
            }
            let placed = html_range(text, html, spans, m.start, m.end, &mut counted);
            if placed.is_none() && overlaps(spans, m.start, m.end) {
                self.links = None;
                return;
            }
            if !m.verdict.counts() {
                continue;
            }
            let (Some((start, end)), Some(k), Ok(entity)) = (placed, todo.iter().position(|&e| e == m.entity), u32::try_from(m.entity)) else { continue };
            todo.remove(k);
            at.push(Link { start, end, entity });
        }
        self.links = Some(BodyLinks { html_len: html.len(), at });
    }
}

/// Whether some of `spans` hold part of the text `start..end`.
fn overlaps(spans: &[Span], start: usize, end: usize) -> bool {
    let k = spans.partition_point(|s| (s.text_end as usize) <= start);
    spans.get(k).is_some_and(|s| (s.text as usize) < end)
}

/// How far into the plain text the HTML bytes of one span were counted, so
/// that the next mention in the same span counts on from there (a body's
/// mentions come in order; a paragraph is often one span).
#[derive(Default)]
struct Counted {
    span: Option<u32>,
    to: usize,
    html: usize,
}

impl Counted {
    /// Where `text[span.text..p]` ends in the HTML.
    fn html_at(&mut self, text: &str, span: &Span, p: usize) -> Option<usize> {
        if self.span != Some(span.text) || self.to > p {
            *self = Counted { span: Some(span.text), to: span.text as usize, html: span.html as usize };
        }
        self.html += escaped_len(text.get(self.to..p)?);
        self.to = p;
        Some(self.html)
    }
}

/// Where the HTML holds `text[start..end]`, if whole in one text node of `spans`.
fn html_range(text: &str, html: &str, spans: &[Span], start: usize, end: usize, counted: &mut Counted) -> Option<(u32, u32)> {
    let holding = |p: usize| -> Option<&Span> {
        let k = spans.partition_point(|s| s.text as usize <= p);
        let s = spans.get(k.checked_sub(1)?)?;
        (p < s.text_end as usize).then_some(s)
    };
    let (a, b) = (holding(start)?, holding(end.checked_sub(1)?)?);
    if a.node != b.node {
        return None;
    }
    let from = counted.html_at(text, a, start)?;
    let to = counted.html_at(text, b, end)?;
    // checked: the HTML there is the text, escaped, its breaks as written
    same_text(html.get(from..to)?, text.get(start..end)?).then_some((u32::try_from(from).ok()?, u32::try_from(to).ok()?))
}

/// Bytes of `s` as body text in HTML (`&`, `<` and `>` escaped).
fn escaped_len(s: &str) -> usize {
    // counted without a branch: the text before a mention may be long
    let (mut amp, mut angle) = (0usize, 0usize);
    for &b in s.as_bytes() {
        amp += usize::from(b == b'&');
        angle += usize::from(b == b'<' || b == b'>');
    }
    s.len() + 4 * amp + 3 * angle
}

/// Whether `html` is `text` escaped as body text, a line break where the text has a space.
fn same_text(html: &str, text: &str) -> bool {
    let mut h = html.as_bytes();
    for b in text.bytes() {
        let want: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            _ => std::slice::from_ref(&b),
        };
        match h.strip_prefix(want).or_else(|| if b == b' ' { h.strip_prefix(b"\n") } else { None }) {
            Some(rest) => h = rest,
            None => return false,
        }
    }
    h.is_empty()
}

/// `html` with the links `at` (in order, see [`BodyLinks`]) written in, each
/// to `url(entity)`.
pub fn splice(html: &str, at: &[Link], url: impl Fn(usize) -> String) -> String {
    // a link adds its markup (31 bytes) and its entity's URL: room for
    // them all, so that the body is not copied again to grow
    let mut out = String::with_capacity(html.len() + 128 * at.len());
    let mut copied = 0;
    for l in at {
        let (start, end) = (l.start as usize, l.end as usize);
        let (Some(before), Some(inside)) = (html.get(copied..start), html.get(start..end)) else { continue };
        out.push_str(before);
        push_link(&mut out, &url(l.entity as usize), inside);
        copied = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// A mention link to `url` around `inside` (HTML).
fn push_link(out: &mut String, url: &str, inside: &str) {
    out.push_str("<a class=\"mention\" href=\"");
    out.push_str(&escape_attr(url));
    out.push_str("\">");
    out.push_str(inside);
    out.push_str("</a>");
}

impl Detector {
    /// `html` (a rendered article body) with the first counted mention of
    /// each entity in `counted` made a link to `url(entity)`. Only text is
    /// touched: never inside a link, heading, code, preformatted block,
    /// script, style or attribute.
    pub fn link_first(&self, lang: &str, html: &str, counted: &[usize], named: &[usize], licensed: &[usize], url: impl Fn(usize) -> String) -> String {
        let Some(m) = self.by_lang.get(lang) else { return html.to_string() };
        if counted.is_empty() {
            return html.to_string();
        }
        let mut todo: Vec<usize> = counted.to_vec();
        let mut out = String::with_capacity(html.len() + 64 * todo.len());
        let mut skip_depth = 0usize;
        let mut i = 0;
        while i < html.len() {
            let rest = &html[i..];
            if todo.is_empty() {
                out.push_str(rest);
                break;
            }
            if rest.starts_with("<!--") {
                let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
                out.push_str(&rest[..end]);
                i += end;
                continue;
            }
            if rest.starts_with('<') {
                let end = tag_end(rest);
                let tag = &rest[..end];
                out.push_str(tag);
                i += end;
                let (name, closing) = tag_name(tag);
                if matches!(name.as_str(), "script" | "style" | "textarea") && !closing {
                    // raw text: copy up to its end tag untouched
                    let close = format!("</{name}");
                    let body_end = find_ci(&html[i..], &close).unwrap_or(html.len() - i);
                    out.push_str(&html[i..i + body_end]);
                    i += body_end;
                } else if SKIPPED.contains(&name.as_str()) && !tag.ends_with("/>") {
                    if closing {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else {
                        skip_depth += 1;
                    }
                }
                continue;
            }
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if skip_depth == 0 {
                link_text(m, text, &mut todo, named, licensed, &url, &mut out);
            } else {
                out.push_str(text);
            }
            i += end;
        }
        out
    }
}

/// Elements whose text is never linked.
const SKIPPED: &[&str] = &["a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "button", "label", "select", "option", "svg", "math", "title"];

/// Length of the tag at the start of `s` (through its `>`; quotes respected).
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Lowercase name of a tag and whether it closes an element.
fn tag_name(tag: &str) -> (String, bool) {
    let inner = tag.trim_start_matches('<');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    (name, closing)
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Link the first mention of each entity still in `todo` within one HTML
/// text node (character references read as spaces, so offsets stay put).
fn link_text(m: &Matcher, text: &str, todo: &mut Vec<usize>, named: &[usize], licensed: &[usize], url: &impl Fn(usize) -> String, out: &mut String) {
    let masked = mask_references(text);
    let mut copied = 0;
    for hit in m.hits(&masked, &mut Fresh::new(&mut |_| {})) {
        let decided = Detector::resolve(m, &masked, &hit, named, licensed, true)
            .or_else(|| Detector::resolve(m, &masked, &hit, named, licensed, false));
        let Some((entity, _, _, verdict)) = decided else { continue };
        if !verdict.counts() || hit.start < copied {
            continue;
        }
        let Some(pos) = todo.iter().position(|&e| e == entity) else { continue };
        todo.remove(pos);
        out.push_str(&text[copied..hit.start]);
        push_link(out, &url(entity), &text[hit.start..hit.end]);
        copied = hit.end;
        if todo.is_empty() {
            break;
        }
    }
    out.push_str(&text[copied..]);
}

/// `text` with every character reference (`&amp;`, `&#39;`...) replaced by
/// spaces of the same length.
fn mask_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'&' {
            let end = bytes[i + 1..].iter().take(32).position(|&b| b == b';');
            if let Some(e) = end {
                let body = &bytes[i + 1..i + 1 + e];
                if !body.is_empty() && body.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'#') {
                    for b in &mut bytes[i..=i + 1 + e] {
                        *b = b' ';
                    }
                    i += e + 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    // only ASCII bytes were replaced by ASCII spaces: still UTF-8
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

