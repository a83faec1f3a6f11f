//! The tokenizer: normalized words with their byte offsets in the original
//! text. A base character and the combining marks after it are normalized
//! together (so a decomposed `ا` + U+0654 composes to `أ` and folds to `ا`);
//! every normalized character remembers the original offset it came from.

use super::{fold_into, is_word_char};
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

/// Separators that do not break a phrase: white space, hyphens, apostrophes.
fn is_soft(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '\u{02BC}' | '_')
}

#[derive(Default)]
struct Builder {
    out: Vec<Token>,
    cur: String,
    origins: Vec<usize>,
    start: usize,
    end: usize,
    hard: bool,
}

impl Builder {
    fn word(&mut self, c: char, seg_start: usize, seg_end: usize) {
        if self.cur.is_empty() {
            self.start = seg_start;
        }
        let mut buf = [0u8; 4];
        let n = c.encode_utf8(&mut buf).len();
        self.cur.push(c);
        self.origins.extend(std::iter::repeat(seg_start).take(n));
        self.end = seg_end;
    }

    fn separator(&mut self, c: char) {
        self.flush();
        if !is_soft(c) {
            self.hard = true;
        }
    }

    fn flush(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        let hard_before = std::mem::take(&mut self.hard) && !self.out.is_empty();
        self.out.push(Token {
            text: std::mem::take(&mut self.cur),
            start: self.start,
            end: self.end,
            hard_before,
            origins: std::mem::take(&mut self.origins),
        });
    }
}

/// The normalized words of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut b = Builder::default();
    let mut seg = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        // a segment: one character and the combining marks that follow it
        seg.clear();
        seg.push(c);
        while let Some(&(_, m)) = chars.peek() {
            if canonical_combining_class(m) == 0 {
                break;
            }
            seg.push(m);
            chars.next();
        }
        let end = chars.peek().map_or(text.len(), |&(i, _)| i);
        let plain = seg.len() == c.len_utf8() && c.is_ascii();
        let mut each = |n: char| {
            fold_into(n, |f| {
                if is_word_char(f) {
                    b.word(f, start, end);
                } else {
                    b.separator(f);
                }
            })
        };
        if plain {
            each(c);
        } else {
            seg.nfkc().for_each(&mut each);
        }
    }
    b.flush();
    b.out
}
