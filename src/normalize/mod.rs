//! Arabic-aware text normalization for matching (SPEC §4). One module serves
//! front-matter name resolution, entity mention detection and search:
//!
//! * [`normalize`] folds a whole string (names in front matter are compared
//!   after it, so `ايلون ماسك` finds `إيلون ماسك`);
//! * [`tokens`] splits a text into normalized words that remember their byte
//!   offsets in the original text, so a match can be linked where it was found;
//! * [`clitics`] recognises the Arabic prefix clitics (و ف ب ل ك and the
//!   article ال, alone and combined) in front of a word the caller knows.
//!
//! The per-character folding is one table ([`FOLDS`]) applied after NFKC and
//! lowercasing; [`js_tables`] hands the same table to the browser's search
//! script so the two sides cannot drift apart.

pub mod clitics;
pub mod hash;
pub mod intern;
pub mod memo;
pub mod tokens;

pub use clitics::{clitic_splits, strip_clitics, Split};
pub use tokens::{scan, tokens, Token, Word};

use unicode_normalization::UnicodeNormalization;

/// Character folds applied after NFKC and lowercasing: each character maps
/// to a replacement (`""` drops it). Ranges are listed as `(first, last, to)`;
/// a digit range maps each digit to its ASCII counterpart.
pub const FOLDS: &[(char, char, Fold)] = &[
    // tashkeel: fathatan … sukun, and the further Arabic combining marks
    // (maddah, hamza above/below, subscript alef ...) up to U+065F
    ('\u{064B}', '\u{065F}', Fold::Drop),
    // superscript (dagger) alef
    ('\u{0670}', '\u{0670}', Fold::Drop),
    // tatweel
    ('\u{0640}', '\u{0640}', Fold::Drop),
    // alef forms: madda, hamza above, hamza below, wasla
    ('\u{0622}', '\u{0623}', Fold::To("ا")),
    ('\u{0625}', '\u{0625}', Fold::To("ا")),
    ('\u{0671}', '\u{0671}', Fold::To("ا")),
    // alef maqsura → ya, ta marbuta → ha (for matching only)
    ('\u{0649}', '\u{0649}', Fold::To("ي")),
    ('\u{0629}', '\u{0629}', Fold::To("ه")),
    // heh with yeh above (ۀ) → ha; Persian keheh and yeh typed for Arabic
    ('\u{06C0}', '\u{06C0}', Fold::To("ه")),
    ('\u{06A9}', '\u{06A9}', Fold::To("ك")),
    ('\u{06CC}', '\u{06CC}', Fold::To("ي")),
    // Arabic-Indic and Eastern Arabic-Indic digits
    ('\u{0660}', '\u{0669}', Fold::Digits),
    ('\u{06F0}', '\u{06F9}', Fold::Digits),
    // case folding beyond lowercasing: final sigma, sharp s
    ('ς', 'ς', Fold::To("σ")),
    ('ß', 'ß', Fold::To("ss")),
    // invisible format characters: soft hyphen, Arabic letter mark,
    // zero-width (non-)joiners, direction marks, embeddings and isolates
    ('\u{00AD}', '\u{00AD}', Fold::Drop),
    ('\u{061C}', '\u{061C}', Fold::Drop),
    ('\u{200C}', '\u{200F}', Fold::Drop),
    ('\u{202A}', '\u{202E}', Fold::Drop),
    ('\u{2060}', '\u{2060}', Fold::Drop),
    ('\u{2066}', '\u{2069}', Fold::Drop),
    ('\u{FEFF}', '\u{FEFF}', Fold::Drop),
];

/// What [`FOLDS`] does to a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    Drop,
    To(&'static str),
    /// The n-th character of the range becomes the ASCII digit n.
    Digits,
}

const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The fold of one character (already NFKC-normalized and lowercased):
/// `None` keeps it, `Some("")` drops it, `Some(s)` replaces it.
pub fn fold(c: char) -> Option<&'static str> {
    // everything folded is above ASCII: keep the common case quick
    if c.is_ascii() {
        return None;
    }
    for &(first, last, f) in FOLDS {
        if (first..=last).contains(&c) {
            return Some(match f {
                Fold::Drop => "",
                Fold::To(s) => s,
                Fold::Digits => DIGITS[(c as u32 - first as u32) as usize % 10],
            });
        }
    }
    None
}

/// Lowercase and fold one character (already NFKC-normalized), handing each
/// resulting character to `out`.
pub(crate) fn fold_into(c: char, mut out: impl FnMut(char)) {
    for l in c.to_lowercase() {
        match fold(l) {
            None => out(l),
            Some(s) => s.chars().for_each(&mut out),
        }
    }
}

/// Whether `c` (normalized) belongs to a word: a letter, a digit or a mark.
/// The browser uses `/[\p{Alphabetic}\p{N}\p{M}]/u`, the same classes.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// NFKC, Latin case folding, Arabic letter unification, diacritics, tatweel
/// and invisible format characters removed, digits made ASCII, runs of white
/// space collapsed to one space, trimmed. Punctuation is kept (use [`tokens`]
/// for words).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkc() {
        fold_into(c, |f| {
            if f.is_whitespace() {
                pending_space = !out.is_empty();
            } else {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(f);
            }
        });
    }
    out
}

/// The normalized words of `s` joined by single spaces: what a name is
/// compared as once punctuation no longer matters (`Mar-a-Lago` → `mar a lago`).
pub fn normalize_words(s: &str) -> String {
    let toks = tokens(s);
    let mut out = String::with_capacity(s.len());
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

/// The tables the browser's search script needs to normalize a query the way
/// this module does: every explicit fold (character → replacement) and the
/// clitic rules. Emitted into `search-index.json`.
pub fn js_tables() -> serde_json::Value {
    let mut folds = serde_json::Map::new();
    for &(first, last, _) in FOLDS {
        for u in first as u32..=last as u32 {
            if let Some(c) = char::from_u32(u) {
                if let Some(s) = fold(c) {
                    folds.insert(c.to_string(), serde_json::Value::String(s.to_string()));
                }
            }
        }
    }
    serde_json::json!({
        "folds": folds,
        "clitics": clitics::js_table(),
    })
}

#[cfg(test)]
mod tests;
