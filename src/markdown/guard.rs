//! Cost guard for the sanitizer. html5ever (under ammonia) is iterative, so
//! deep nesting cannot overflow the stack, but its tree builder checks
//! element scopes by walking the stack of open elements: time grows with the
//! square of the nesting depth (5,000 nested quote+list levels take ~40 s in
//! a debug build, 100,000 nested `<div>`s minutes). pulldown-cmark itself
//! handles 10,000 nested `>` in milliseconds. So before sanitizing, the
//! renderer estimates the element depth of its HTML; past [`MAX_DEPTH`] it
//! renders the raw HTML as text instead. The estimate is a cost heuristic, not
//! a security boundary: sanitizing does not depend on it.

use std::borrow::Cow;
use std::collections::HashMap;

/// Estimated element depth above which raw HTML is not parsed. Real articles
/// nest a few dozen levels at most; browsers cap the DOM depth near 512.
pub const MAX_DEPTH: usize = 512;

/// Elements that add no depth: void elements, and those whose end tag is
/// optional and implied by a sibling (so unclosed ones do not nest).
const NO_DEPTH: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rp", "rt", "colgroup", "caption", "html", "head", "body",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// True if the HTML's element nesting probably exceeds `limit`. Tracks open
/// elements by name, reading tags roughly as an HTML tokenizer does (quoted
/// attribute values, comments, raw-text elements); an end tag closes up to
/// the matching open element and is ignored when none is open. Linear time.
pub fn too_deep(html: &str, limit: usize) -> bool {
    let b = html.as_bytes();
    let mut stack: Vec<Cow<'_, str>> = Vec::new();
    let mut open: HashMap<Cow<'_, str>, usize> = HashMap::new();
    let mut i = 0usize;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("!--") {
            i += 3 + comment_len(comment);
            continue;
        }
        if rest.starts_with('!') || rest.starts_with('?') {
            i += rest.find('>').map_or(rest.len(), |e| e + 1); // bogus comment
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = i + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue; // `<` as text
        }
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| !c.is_ascii_whitespace() && **c != b'/' && **c != b'>')
            .count();
        let raw_name = &html[name_start..name_start + name_len];
        let name: Cow<'_, str> = if raw_name.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(raw_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw_name)
        };
        i = name_start + name_len;
        i += attributes_len(&b[i..]);
        if closing {
            if open.get(&name).copied().unwrap_or(0) > 0 {
                while let Some(top) = stack.pop() {
                    if let Some(n) = open.get_mut(&top) {
                        *n = n.saturating_sub(1);
                    }
                    if top == name {
                        break;
                    }
                }
            }
        } else if RAW_TEXT.contains(&name.as_ref()) {
            i += raw_text_len(&html[i..], &name);
        } else if !NO_DEPTH.contains(&name.as_ref()) {
            *open.entry(name.clone()).or_insert(0) += 1;
            stack.push(name);
            if stack.len() > limit {
                return true;
            }
        }
    }
    false
}

/// Length of a comment body after `<!--`, including its end (`-->`, `--!>`,
/// or the abrupt `>`/`->`), or the rest of the input.
fn comment_len(s: &str) -> usize {
    if s.starts_with('>') {
        return 1;
    }
    if s.starts_with("->") {
        return 2;
    }
    let end = [s.find("-->").map(|e| e + 3), s.find("--!>").map(|e| e + 4)];
    end.into_iter().flatten().min().unwrap_or(s.len())
}

/// Length of a tag's attributes up to and including its `>`, honouring
/// quoted values (a `>` inside quotes does not end the tag).
fn attributes_len(b: &[u8]) -> usize {
    let mut i = 0usize;
    let mut after_eq = false;
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            b'=' => after_eq = true,
            q @ (b'"' | b'\'') if after_eq => {
                i += b[i + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len() - i, |e| e + 1);
                after_eq = false;
            }
            c if c.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    b.len()
}

/// Length of raw text up to (not including) `</name`, or the rest.
fn raw_text_len(s: &str, name: &str) -> usize {
    let b = s.as_bytes();
    let mut from = 0usize;
    while let Some(off) = s[from..].find("</") {
        let at = from + off;
        let tail = &b[at + 2..];
        if tail.len() >= name.len()
            && tail[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && tail
                .get(name.len())
                .is_none_or(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
        {
            return at;
        }
        from = at + 2;
    }
    s.len()
}
