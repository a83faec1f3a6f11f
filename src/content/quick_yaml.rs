//! A fast reading of the front matter most articles have: one `key: value`
//! per line, each value a double-quoted string without escapes, a flow list
//! of plain words (`[politics, elon-musk]`), `true`/`false`, a date or a
//! plain word. It gives what `serde_yaml` gives for such a block, or `None`
//! for anything else (comments, escapes, nested or multi-line values,
//! numbers, nulls, a repeated key...), which then goes to `serde_yaml`, with
//! its error messages. Parsing YAML was a twentieth of a large build.

use serde_yaml::{Mapping, Value};

/// The mapping of `yaml` if every line is of the simple kinds above.
pub fn parse(yaml: &str) -> Option<Mapping> {
    let mut map = Mapping::new();
    for line in yaml.split('\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        if !is_key(key) {
            return None;
        }
        let value = value.trim_start_matches(' ');
        let value = if let Some(inner) = value.strip_prefix('"') {
            Value::String(quoted(inner)?.to_string())
        } else if let Some(inner) = value.strip_prefix('[') {
            Value::Sequence(flow_list(inner)?)
        } else {
            plain(value)?
        };
        if map.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
    }
    // no field at all: `serde_yaml` says null (parse_article's business)
    (!map.is_empty()).then_some(map)
}

fn is_key(k: &str) -> bool {
    k.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The text of `"...` (the opening quote taken): no escapes, no inner
/// quote, no control character, nothing after the closing quote.
fn quoted(inner: &str) -> Option<&str> {
    let inner = inner.trim_end_matches(' ').strip_suffix('"')?;
    if inner.bytes().any(|b| b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7F) {
        return None;
    }
    // a tab at either end is folded differently by YAML's quoting rules
    (!inner.starts_with('\t') && !inner.ends_with('\t')).then_some(inner)
}

/// `[a, b, c]` (the opening bracket taken), each item a plain word.
fn flow_list(inner: &str) -> Option<Vec<Value>> {
    let inner = inner.trim_end_matches(' ').strip_suffix(']')?;
    if inner.trim().is_empty() {
        return inner.is_empty().then(Vec::new);
    }
    inner.split(',').map(|item| word(item.trim_matches(' ')).map(|w| Value::String(w.to_string()))).collect()
}

/// A plain scalar: `true`, `false`, a date (`2026-01-31`, with a time and
/// an offset or not) or a word.
fn plain(v: &str) -> Option<Value> {
    let v = v.trim_end_matches(' ');
    match v {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ if is_date(v) => Some(Value::String(v.to_string())),
        _ => word(v).map(|w| Value::String(w.to_string())),
    }
}

/// A word YAML reads as text: a letter, then letters, digits, `-` and `_`;
/// not one of the words it reads as null, a boolean or a float.
fn word(w: &str) -> Option<&str> {
    let mut bytes = w.bytes();
    let first = bytes.next()?;
    if !first.is_ascii_alphabetic() || !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    (!matches!(w.to_ascii_lowercase().as_str(), "null" | "true" | "false" | "inf" | "infinity" | "nan")).then_some(w)
}

/// `YYYY-MM-DD`, then optionally `THH:MM`, `:SS`, `.fraction`, and `Z` or `±HH:MM`.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10)) {
        return false;
    }
    let mut i = 10;
    if i == b.len() {
        return true;
    }
    if b[i] != b'T' || !digits(i + 1..i + 3) || b.get(i + 3) != Some(&b':') || !digits(i + 4..i + 6) {
        return false;
    }
    i += 6;
    if b.get(i) == Some(&b':') {
        if !digits(i + 1..i + 3) {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            i += 1 + n;
        }
    }
    match b.get(i) {
        None => true,
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => i + 6 == b.len() && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Option<Mapping> {
        match serde_yaml::from_str::<Value>(s) {
            Ok(Value::Mapping(m)) => Some(m),
            _ => None,
        }
    }

    #[test]
    fn reads_the_usual_front_matter_as_serde_yaml_does() {
        let fm = "title: \"دينا السيد: اقترح # الإنترنت\"\ndate: 2024-07-01T06:43:30+03:00\nsummary: \"It's 5:30 — [sic] {x}\"\n\
                  topics: [science, agriculture]\nentities: [person-dina-el-sayed, org-fifa]\nauthor: \"لينا داود\"\ndraft: false\n\
                  updated: 2024-07-02\nslug: my_slug-2\nimage_alt: \"\"\n";
        let quick = parse(fm).expect("the usual front matter takes the fast path");
        assert_eq!(Some(quick), yaml(fm));
    }

    #[test]
    fn leaves_everything_else_to_serde_yaml() {
        for fm in [
            "title: \"a\\\"b\"\n", "title: 'single'\n", "title: plain words\n", "title: 42\n", "draft: True\n", "",
            "title: ~\n", "title: null\n", "title:\n", "title: \"a\" # note\n", "# comment\ntitle: \"a\"\n", "topics:\n  - a\n",
            "topics: [a, 1]\n", "topics: [a,]\n", "topics: [Null]\n", "title: \"a\"\ntitle: \"b\"\n", "Title: \"a\"\n",
            "date: 2024-07-01 06:43\n", "date: 2024-7-1\n", "date: 2024-07-01T06:43:30+0300\n", "title: \"x\ny\"\n", " title: \"a\"\n",
        ] {
            assert_eq!(parse(fm), None, "{fm:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the fast path accepts, it reads as `serde_yaml` does.
        #[test]
        fn agrees_with_serde_yaml(lines in proptest::collection::vec((
            proptest::sample::select(vec!["title", "date", "topics", "draft", "x_1", "Title", "a-b"]),
            proptest::sample::select(vec![": ", ":", ":  ", ": \t"]),
            proptest::sample::select(vec![
                "\"plain text\"", "\"عربي: نص\"", "\"\"", "\" spaced \"", "\"tab\there\"", "\"\tlead\"", "\"a\" ", "\"a\"b", "\"a#b\"",
                "[a, b]", "[]", "[ ]", "[a,b ,c]", "[a, [b]]", "[a, true]", "[a-1, b_2]", "[1a]", "[x]y",
                "true", "false", "TRUE", "yes", "no", "on", "off", "y", "~", "null", "nulls", "inf", "NaN", "Infinity", "word", "two words", "w-1_x", "-x", "1e3", "0x1F", ".inf",
                "2024-07-01", "2024-07-01T06:43", "2024-07-01T06:43:30", "2024-07-01T06:43:30.5Z", "2024-07-01T06:43:30+03:00",
                "2024-07-01T06:43:30-0300", "2024-13-45", "20240-07-01", "2024-07-01T6:43", "2024-07-01Z",
            ]),
        ), 0..6)) {
            let fm: String = lines.iter().map(|(k, sep, v)| format!("{k}{sep}{v}\n")).collect();
            if let Some(quick) = parse(&fm) {
                proptest::prop_assert_eq!(Some(quick), yaml(&fm), "{:?}", fm);
            }
        }
    }
}
