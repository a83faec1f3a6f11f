//! The tokenizer: normalized words with their byte offsets in the original
//! text. A base character and the combining marks after it are normalized
//! together (so a decomposed `ا` + U+0654 composes to `أ` and folds to `ا`);
//! every normalized character remembers the original offset it came from.
//!
//! It runs over every article several times a build (mention detection,
//! links, search), so a lone character below U+0800 (Latin, Greek, Cyrillic,
//! Hebrew, Arabic) is looked up in a table computed once from the general
//! path, and [`scan`] hands out words without allocating.

use super::{fold_into, is_word_char};
use std::sync::OnceLock;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized word.
    pub text: String,
    /// Byte range of the word in the original text.
    pub start: usize,
    pub end: usize,
    /// Punctuation (not only white space, hyphens or apostrophes) separates
    /// this word from the previous one: a multi-word name does not match
    /// across it.
    pub hard_before: bool,
    /// For each byte of `text`, the offset in the original text of the
    /// character it came from.
    origins: Vec<usize>,
}

impl Token {
    /// Original byte offset of the character at byte `i` of `text`
    /// (`end` for `i == text.len()`).
    pub fn origin(&self, i: usize) -> usize {
        self.origins.get(i).copied().unwrap_or(self.end)
    }
}

/// A word as [`scan`] sees it (borrowed: copy what you keep).
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub hard_before: bool,
}

/// Separators that do not break a phrase: white space, hyphens, apostrophes.
fn is_soft(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '\u{02BC}' | '_')
}

/// What a lone character becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quick {
    /// One or two word characters.
    Word([char; 2], u8),
    Soft,
    Hard,
    Drop,
    /// Anything else: take the general path.
    Slow,
}

const TABLE_END: u32 = 0x800;

struct Entry {
    quick: Quick,
    /// Canonical combining class is not 0: it joins the segment before it.
    joins: bool,
}

/// The general path for one segment: NFKC, then lowercase and fold.
fn each_output(seg: &str, mut f: impl FnMut(char, bool)) {
    for n in seg.nfkc() {
        fold_into(n, |c| f(c, is_word_char(c)));
    }
}

fn table() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_END).map(|u| {
            let Some(c) = char::from_u32(u) else { return Entry { quick: Quick::Slow, joins: false } };
            let mut out: Vec<(char, bool)> = Vec::new();
            each_output(c.encode_utf8(&mut [0u8; 4]), |ch, w| out.push((ch, w)));
            let quick = match out.as_slice() {
                [] => Quick::Drop,
                [(a, true)] => Quick::Word([*a, *a], 1),
                [(a, true), (b, true)] => Quick::Word([*a, *b], 2),
                [(a, false)] => if is_soft(*a) { Quick::Soft } else { Quick::Hard },
                _ => Quick::Slow,
            };
            Entry { quick, joins: canonical_combining_class(c) != 0 }
        }).collect()
    })
}

fn joins(table: &[Entry], c: char) -> bool {
    let u = c as u32;
    if u < 0x300 {
        false
    } else if u < TABLE_END {
        table[u as usize].joins
    } else {
        canonical_combining_class(c) != 0
    }
}

/// The word being built, and what was said about it.
struct State {
    cur: String,
    origins: Vec<usize>,
    track: bool,
    start: usize,
    end: usize,
    hard: bool,
    emitted: bool,
}

impl State {
    fn word(&mut self, c: char, seg_start: usize, seg_end: usize) {
        if self.cur.is_empty() {
            self.start = seg_start;
        }
        self.cur.push(c);
        if self.track {
            self.origins.extend(std::iter::repeat_n(seg_start, c.len_utf8()));
        }
        self.end = seg_end;
    }

    /// ASCII word characters at `start..start + run.len()`, each standing
    /// alone: each folds to its lowercase ([`ascii_table`]).
    fn ascii_word(&mut self, run: &str, start: usize) {
        if self.cur.is_empty() {
            self.start = start;
        }
        let at = self.cur.len();
        self.cur.push_str(run);
        self.cur[at..].make_ascii_lowercase();
        if self.track {
            self.origins.extend(start..start + run.len());
        }
        self.end = start + run.len();
    }

    /// Two-byte characters at `start..start + run.len()` that go into the
    /// word as written, each standing alone.
    fn written_word(&mut self, run: &str, start: usize) {
        if self.cur.is_empty() {
            self.start = start;
        }
        self.cur.push_str(run);
        if self.track {
            self.origins.extend((start..start + run.len()).map(|k| k - (k - start) % 2));
        }
        self.end = start + run.len();
    }

    fn separator(&mut self, hard: bool, f: &mut impl FnMut(Word<'_>, &[usize])) {
        self.flush(f);
        self.hard |= hard;
    }

    fn flush(&mut self, f: &mut impl FnMut(Word<'_>, &[usize])) {
        if self.cur.is_empty() {
            return;
        }
        let hard_before = std::mem::take(&mut self.hard) && self.emitted;
        f(Word { text: &self.cur, start: self.start, end: self.end, hard_before }, &self.origins);
        self.emitted = true;
        self.cur.clear();
        self.origins.clear();
    }
}

/// For each ASCII byte standing alone (no combining mark after it), its
/// folded form when [`table`] makes it one word character, else 0. That
/// form is always the byte's lowercase (a test checks it), which the word
/// builder relies on.
fn ascii_table() -> &'static [u8; 128] {
    static ASCII: OnceLock<[u8; 128]> = OnceLock::new();
    ASCII.get_or_init(|| {
        let table = table();
        std::array::from_fn(|b| match table[b].quick {
            Quick::Word([c, _], 1) if c.is_ascii() => c as u8,
            _ => 0,
        })
    })
}

/// For each two-byte character (U+0080–U+07FF: Arabic, Hebrew, Greek,
/// Cyrillic, Latin-1...): whether, standing alone, it is one word character
/// that normalizes to itself, so a run of them goes into a word as written.
fn same_table() -> &'static [bool] {
    static SAME: OnceLock<Vec<bool>> = OnceLock::new();
    SAME.get_or_init(|| {
        let table = table();
        (0..TABLE_END).map(|u| {
            let e = &table[u as usize];
            u >= 0x80 && !e.joins && matches!(e.quick, Quick::Word([c, _], 1) if c as u32 == u)
        }).collect()
    })
}

/// The two-byte character starting at `i`, if one does.
#[inline]
fn two_byte(bytes: &[u8], i: usize) -> Option<u32> {
    match (bytes[i], bytes.get(i + 1)) {
        (b0 @ 0xC2..=0xDF, Some(&b1)) => Some((u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F)),
        _ => None,
    }
}

/// Tokenize `text`, handing each word to `f`. `emitted`: whether a word
/// came before `text` (so punctuation before its first word makes that
/// word's `hard_before`). Returns whether punctuation follows the last word
/// (or, with no word, appears at all): what the next text's first word
/// would inherit.
fn run(text: &str, track: bool, emitted: bool, mut f: impl FnMut(Word<'_>, &[usize])) -> bool {
    let table = table();
    let ascii = ascii_table();
    let same = same_table();
    let bytes = text.as_bytes();
    let char_at = |i: usize| -> char {
        if bytes[i] < 0x80 { bytes[i] as char } else { text[i..].chars().next().unwrap_or('\u{FFFD}') }
    };
    let mut s = State { cur: String::new(), origins: Vec::new(), track, start: 0, end: 0, hard: false, emitted };
    let mut i = 0;
    // the character at `i`, decoded while looking for the previous segment's end
    let mut next: Option<char> = None;
    while i < bytes.len() {
        // fast path: a run of ASCII word characters, none followed by a
        // combining mark (which is never ASCII), goes into the word at once
        if bytes[i] < 0x80 && ascii[bytes[i] as usize] != 0 {
            let mut j = i;
            while j < bytes.len() && bytes[j] < 0x80 && ascii[bytes[j] as usize] != 0 {
                j += 1;
            }
            if j < bytes.len() && bytes[j] >= 0x80 && joins(table, char_at(j)) {
                j -= 1; // the last one takes the general path with its marks
            }
            if j > i {
                next = None;
                // ASCII bytes on both sides: `i..j` is on character boundaries
                s.ascii_word(&text[i..j], i);
                i = j;
                continue;
            }
        }
        // fast path: a run of two-byte letters that stay as written, none
        // followed by a combining mark, is copied into the word whole
        if two_byte(bytes, i).is_some_and(|u| same[u as usize]) {
            let mut j = i;
            while j < bytes.len() && two_byte(bytes, j).is_some_and(|u| same[u as usize]) {
                j += 2;
            }
            if j < bytes.len() && bytes[j] >= 0x80 && joins(table, char_at(j)) {
                j -= 2; // the last one takes the general path with its marks
            }
            if j > i {
                next = None;
                s.written_word(&text[i..j], i);
                i = j;
                continue;
            }
        }
        let c = next.take().unwrap_or_else(|| char_at(i));
        // a segment: one character and the combining marks that follow it
        let mut j = i + c.len_utf8();
        while j < bytes.len() {
            let m = char_at(j);
            if !joins(table, m) {
                next = Some(m);
                break;
            }
            j += m.len_utf8();
        }
        let lone = j == i + c.len_utf8();
        let quick = if lone && (c as u32) < TABLE_END { table[c as usize].quick } else { Quick::Slow };
        match quick {
            Quick::Word(cs, n) => {
                for &ch in &cs[..n as usize] {
                    s.word(ch, i, j);
                }
            }
            Quick::Soft => s.separator(false, &mut f),
            Quick::Hard => s.separator(true, &mut f),
            Quick::Drop => {}
            Quick::Slow => each_output(&text[i..j], |ch, w| {
                if w {
                    s.word(ch, i, j);
                } else {
                    s.separator(!is_soft(ch), &mut f);
                }
            }),
        }
        i = j;
    }
    s.flush(&mut f);
    s.hard
}

/// The normalized words of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    run(text, true, false, |w, origins| {
        out.push(Token { text: w.text.to_string(), start: w.start, end: w.end, hard_before: w.hard_before, origins: origins.to_vec() })
    });
    out
}

/// Hand each normalized word of `text` to `f`, in order, without allocating
/// per word (the word's text is only valid during the call).
pub fn scan(text: &str, mut f: impl FnMut(Word<'_>)) {
    run(text, false, false, |w, _| f(w));
}

/// [`scan`] on a piece of a longer text that starts just after white space
/// ([`super::memo`]): the first word's `hard_before` says whether
/// punctuation came before it in the piece, as if a word had come before
/// the piece. Returns whether punctuation follows the last word (or, with
/// no word, appears at all).
pub(super) fn scan_piece(text: &str, mut f: impl FnMut(Word<'_>)) -> bool {
    run(text, false, true, |w, _| f(w))
}

/// Whether `c` is a combining character: it joins the character before it
/// (white space included) into one segment.
pub(super) fn joins_previous(c: char) -> bool {
    joins(table(), c)
}

#[cfg(test)]
mod tests;
