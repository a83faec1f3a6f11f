//! Heading slugs: Unicode-aware (Arabic letters kept, tashkeel and tatweel
//! removed, Latin lowercased) and unique per page.

use std::collections::{HashMap, HashSet};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::text::is_letter_or_digit;

/// Longest generated slug, in characters (cut at a word boundary when possible).
const MAX_SLUG_CHARS: usize = 100;

/// Fallback base for headings whose text yields no letters or digits.
const FALLBACK: &str = "section";

/// Arabic marks that never belong in an id: the Quranic annotation signs
/// (U+0610–U+061A), tashkeel and the other Arabic combining marks
/// (U+064B–U+065F, which covers the spec's U+064B–U+0652), the superscript
/// alef (U+0670), the tatweel (U+0640) and the Quranic marks U+06D6–U+06ED.
fn is_arabic_mark(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{0640}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}')
}

/// Invisible format characters that must neither appear in an id nor split a
/// word: zero-width (non-)joiners and spaces, bidi marks, embeddings and
/// isolates, the word joiner and the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// Apostrophes are dropped rather than turned into a separator, so that
/// "Trump's" gives "trumps", not "trump-s".
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}')
}

/// Slug of a heading's plain text. Letters and digits of every script are
/// kept (Latin and other cased scripts lowercased), runs of anything else
/// become a single `-`. May return an empty string; see [`IdRegistry`].
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0usize;
    let mut pending_dash = false;
    // most headings are already in NFC: the quick check spares them the composing
    let composed: std::borrow::Cow<'_, str> = match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfc().collect()),
    };
    for c in composed.chars() {
        if is_arabic_mark(c) || is_invisible(c) || is_apostrophe(c) {
            continue;
        }
        if is_letter_or_digit(c) {
            if pending_dash && !out.is_empty() {
                if chars + 1 >= MAX_SLUG_CHARS {
                    break;
                }
                out.push('-');
                chars += 1;
            }
            pending_dash = false;
            if c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) {
                out.push(c.to_ascii_lowercase()); // Arabic has no case
                chars += 1;
            } else {
                for lower in c.to_lowercase() {
                    out.push(lower);
                    chars += 1;
                }
            }
            if chars >= MAX_SLUG_CHARS {
                break;
            }
        } else if is_combining_mark(c) {
            // A non-letter combining mark (an accent that NFC could not
            // compose) belongs to the previous letter: drop it silently.
            continue;
        } else {
            pending_dash = true;
        }
    }
    out
}

/// The ids already used on one page; hands out unique heading ids.
#[derive(Debug, Default)]
pub struct IdRegistry {
    used: HashSet<String>,
    /// Per base slug, the suffix to try next (keeps many equal headings linear).
    next_suffix: HashMap<String, usize>,
}

impl IdRegistry {
    /// Marks an id (an explicit heading id, a footnote id) as taken.
    pub fn reserve(&mut self, id: &str) {
        if !self.used.contains(id) {
            self.used.insert(id.to_owned());
        }
    }

    /// A unique id for a heading with this plain text: the slug, then
    /// `slug-1`, `slug-2`, ...; `section`, `section-1`, ... when the slug is empty.
    pub fn generate(&mut self, text: &str) -> String {
        let slug = slugify(text);
        let base = if slug.is_empty() {
            FALLBACK.to_owned()
        } else {
            slug
        };
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(0);
        let mut candidate = if n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.used.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.next_suffix.insert(base, n + 1);
        self.used.insert(candidate.clone());
        candidate
    }
}
