//! Safety rules for anything from user files that becomes part of an output
//! path (slugs, ids, theme names): nothing may climb out of the output folder.

/// A single path segment that is safe to use in an output path: not empty,
/// no `/`, `\`, `..`, control characters, drive letters (`C:`) or leading dot.
pub fn is_safe_segment(s: &str) -> bool {
    unsafe_reason(s).is_none()
}

/// Why `s` cannot be a path segment, if it cannot.
pub fn unsafe_reason(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some("it is empty");
    }
    if s.contains("..") {
        return Some("it contains `..`");
    }
    if s.contains('/') || s.contains('\\') {
        return Some("it contains a slash");
    }
    if s.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if s.starts_with('.') {
        return Some("it starts with a dot");
    }
    if s.contains(':') {
        return Some("it contains `:` (a drive letter or scheme)");
    }
    if s.chars().any(char::is_whitespace) {
        return Some("it contains white space");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_every_escape() {
        for bad in ["", "a/b", "a\\b", "..", "x..y", "a\0b", ".hidden", "C:", "c:evil", "a b"] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
        for good in ["mar-a-lago-dinner", "عشاء-مارالاجو", "x1"] {
            assert!(is_safe_segment(good), "{good:?}");
        }
    }
}

/// A URL slug from a title: letters and digits of any script kept (Latin
/// lowercased, Arabic diacritics and tatweel dropped), everything else
/// folded into single hyphens. Never empty (falls back to `fallback`).
pub fn slugify(title: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut hyphen = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if matches!(c, '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}') {
            continue;
        }
        if c.is_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c);
        } else {
            hyphen = true;
        }
    }
    if out.is_empty() { fallback.to_string() } else { out }
}

#[cfg(test)]
mod slug_tests {
    #[test]
    fn slugs_keep_arabic_and_fold_punctuation() {
        assert_eq!(super::slugify("Hello, World!", "x"), "hello-world");
        assert_eq!(super::slugify("عشاء مارالاجو.. يعيد", "x"), "عشاء-مارالاجو-يعيد");
        assert_eq!(super::slugify("؟!", "article"), "article");
    }
}
