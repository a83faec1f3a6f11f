//! Mention links: the first counted mention of each entity in an article's
//! rendered body made a link to the entity's page, text only.

use super::{Detector, Fresh, Matcher};

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
        out.push_str("<a class=\"mention\" href=\"");
        out.push_str(&escape_attr(&url(entity)));
        out.push_str("\">");
        out.push_str(&text[hit.start..hit.end]);
        out.push_str("</a>");
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

