//! The tokenizer with a memory: [`Memo::scan`] hands out what
//! [`super::scan`] would, each word under a number of the caller's, but
//! tokenizes each distinct piece of text between white space only once
//! (and asks the caller to weigh it once: mention detection keeps its count
//! of words for the reading time).
//!
//! A text is a run of pieces (the bytes between ASCII white space) and the
//! tokenizer reads each piece alone: a segment (a character and the
//! combining marks after it) never reaches over white space, and the white
//! space between two pieces only ends a word. The one thing a piece takes
//! from before it is whether punctuation came since the last word; that is
//! kept apart from the piece's words. A piece that starts with a combining
//! mark takes the white space before it in (the two are one segment).
//!
//! Mention detection reads every word of every body (tens of millions in a
//! large build); most pieces recur (`the`, `وزير`, `Suleiman,`), and looking
//! one up costs a hash and a compare where tokenizing it cost a table
//! lookup, a fold and a copy per character. A piece met before is found in
//! one cache line (see [`Entry`]).

use super::intern::Key;
use super::tokens::{joins_previous, scan_piece};
use crate::scan::{ascii_space, is_ascii_space};

/// A word as [`Memo::scan`] hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbered {
    /// The number the caller gave the word's normalized text.
    pub id: u32,
    /// Byte range of the word in the text.
    pub start: usize,
    pub end: usize,
    /// As [`super::Word::hard_before`].
    pub hard_before: bool,
}

/// What [`Memo::scan`] asks of its caller.
pub trait Numbering {
    /// A number for the normalized word `word`, met in a piece seen for the
    /// first time. It must stay the number of that word as long as the
    /// memo is kept (clear the memo when the numbers start afresh).
    fn number(&mut self, word: &str) -> u32;
    /// The next word of the text.
    fn word(&mut self, w: Numbered);
    /// A weight for a piece seen for the first time (its count of words
    /// in some other sense, say): [`Memo::scan`] returns the sum over the
    /// text's pieces.
    fn weigh(&mut self, _piece: &str) -> u32 {
        0
    }
}

/// A word of a piece, offsets from the piece's start.
#[derive(Debug, Clone, Copy, Default)]
struct Part {
    id: u32,
    start: u32,
    end: u32,
    /// Punctuation came before it in the piece.
    hard: bool,
}

/// A piece met before: its key (see [`Key`]), its words and what follows
/// them, all in one cache line, the first word with them (most pieces hold
/// one). A lookup reads the table's slot and this line; before, a piece's
/// slot, its record and its words were three places far apart in memory,
/// each a likely cache miss for every piece of every text.
#[derive(Debug, Clone, Copy, Default)]
#[repr(align(64))]
struct Entry {
    k0: u64,
    k1: u64,
    len: u32,
    /// How many words it holds: `first`, then `parts[more..]`.
    count: u32,
    more: u32,
    /// [`Numbering::weigh`]'s weight.
    weight: u32,
    /// Punctuation follows its last word (with no word: appears in it).
    hard_after: bool,
    first: Part,
}

/// Every piece met so far, with its words.
#[derive(Debug, Default)]
pub struct Memo {
    /// Open addressing, at most half taken: per slot, 32 bits of the
    /// piece's hash (compared before its entry is read) above its entry's
    /// number + 1; 0: empty.
    slots: Vec<u64>,
    entries: Vec<Entry>,
    /// Per entry: the piece, when longer than a [`Key`] holds whole (else empty).
    long: Vec<Box<str>>,
    /// The words of pieces of more than one, past their first.
    parts: Vec<Part>,
}

impl Memo {
    /// How many distinct pieces it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forget every piece (and so every number it was given).
    pub fn clear(&mut self) {
        *self = Memo::default();
    }

    /// Hand each normalized word of `text` to `to.word`, in order, as
    /// [`super::scan`] would, with `to.number`'s number for its text.
    /// Returns the sum of the weights of its pieces.
    pub fn scan(&mut self, text: &str, to: &mut impl Numbering) -> u64 {
        let mut weight = 0u64;
        let bytes = text.as_bytes();
        // punctuation since the last word; whether a word came yet
        let (mut hard, mut emitted) = (false, false);
        let mut i = 0;
        while i < bytes.len() {
            if is_ascii_space(bytes[i]) {
                i += 1;
                continue;
            }
            let mut start = i;
            if bytes[i] >= 0x80 && i > 0 && text[i..].chars().next().is_some_and(joins_previous) {
                start = i - 1; // the white space before it: one segment with it
            }
            let end = ascii_space(bytes, i + 1);
            // white space is ASCII: `start..end` is on character boundaries
            let id = self.piece(&text[start..end], to);
            let e = &self.entries[id];
            weight += u64::from(e.weight);
            if e.count > 0 {
                let p = e.first;
                to.word(Numbered { id: p.id, start: start + p.start as usize, end: start + p.end as usize, hard_before: (hard || p.hard) && emitted });
                emitted = true;
                for p in &self.parts[e.more as usize..(e.more + e.count - 1) as usize] {
                    to.word(Numbered { id: p.id, start: start + p.start as usize, end: start + p.end as usize, hard_before: p.hard });
                }
            }
            hard = e.hard_after || (hard && e.count == 0);
            i = end;
        }
        weight
    }

    /// The entry of the piece `text`, tokenized the first time it is met.
    #[inline]
    fn piece(&mut self, text: &str, to: &mut impl Numbering) -> usize {
        if self.slots.len() < 2 * (self.entries.len() + 1) {
            self.grow();
        }
        let key = Key::of(text);
        let hash = key.hash();
        let tag = hash << 32;
        let mask = self.slots.len() - 1;
        let mut i = (hash >> 32) as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            if slot & !0xFFFF_FFFF == tag {
                let id = (slot & 0xFFFF_FFFF) as usize - 1;
                let e = &self.entries[id];
                if e.k0 == key.k0 && e.k1 == key.k1 && e.len == key.len && (key.len <= 16 || *self.long[id] == *text) {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
        let id = self.entries.len();
        self.slots[i] = tag | (id as u64 + 1);
        let (mut first, mut count) = (Part::default(), 0u32);
        let more = self.parts.len() as u32;
        let parts = &mut self.parts;
        // pieces are far shorter than 4 GiB (u32 offsets): a body is read whole into memory
        let hard_after = scan_piece(text, |w| {
            let p = Part { id: to.number(w.text), start: w.start as u32, end: w.end as u32, hard: w.hard_before };
            if count == 0 {
                first = p;
            } else {
                parts.push(p);
            }
            count += 1;
        });
        self.entries.push(Entry { k0: key.k0, k1: key.k1, len: key.len, count, more, weight: to.weigh(text), hard_after, first });
        self.long.push(if key.len > 16 { text.into() } else { Box::default() });
        id
    }

    /// Twice the slots (at least 64), every entry placed again by its key.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(64);
        let mut slots = vec![0u64; n];
        for (id, e) in self.entries.iter().enumerate() {
            let hash = Key { k0: e.k0, k1: e.k1, len: e.len }.hash();
            let mut i = (hash >> 32) as usize & (n - 1);
            while slots[i] != 0 {
                i = (i + 1) & (n - 1);
            }
            slots[i] = hash << 32 | (id as u64 + 1);
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::scan;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Numbers words in order of first meeting and keeps what it is handed.
    #[derive(Default)]
    struct Collect {
        ids: HashMap<String, u32>,
        texts: Vec<String>,
        out: Vec<(String, usize, usize, bool)>,
    }

    impl Numbering for Collect {
        fn number(&mut self, word: &str) -> u32 {
            let next = self.texts.len() as u32;
            *self.ids.entry(word.to_string()).or_insert_with(|| {
                self.texts.push(word.to_string());
                next
            })
        }
        fn word(&mut self, w: Numbered) {
            self.out.push((self.texts[w.id as usize].clone(), w.start, w.end, w.hard_before));
        }
        fn weigh(&mut self, piece: &str) -> u32 {
            piece.chars().filter(|c| c.is_alphabetic()).count() as u32
        }
    }

    fn plain(text: &str) -> Vec<(String, usize, usize, bool)> {
        let mut out = Vec::new();
        scan(text, |w| out.push((w.text.to_string(), w.start, w.end, w.hard_before)));
        out
    }

    fn memo(m: &mut Memo, c: &mut Collect, text: &str) -> Vec<(String, usize, usize, bool)> {
        c.out.clear();
        let weight = m.scan(text, c);
        // every letter is in exactly one piece (white space holds none)
        assert_eq!(weight, text.chars().filter(|c| c.is_alphabetic()).count() as u64, "{text:?}");
        std::mem::take(&mut c.out)
    }

    #[test]
    fn long_pieces_that_share_their_key_stay_apart() {
        // longer than 16 bytes, the key leaves out bytes 8 and 9: these differ there only
        let (a, b) = ("abcdefghXY0123456789ijklmnop", "abcdefghZW0123456789ijklmnop");
        assert_eq!((Key::of(a).k0, Key::of(a).k1), (Key::of(b).k0, Key::of(b).k1));
        let (mut m, mut c) = (Memo::default(), Collect::default());
        let text = format!("{a} {b} {a}, {b}, {a}");
        assert_eq!(memo(&mut m, &mut c, &text), plain(&text));
        assert_eq!(m.len(), 4, "four pieces: {a}, {b}, and each with its comma");
    }

    #[test]
    fn pieces_are_tokenized_once_and_read_as_the_tokenizer_reads_them() {
        let (mut m, mut c) = (Memo::default(), Collect::default());
        let text = "Musk, Musk. «وقال» ترامب: ترامب Musk\u{0301} \u{0651}x -- (y)";
        assert_eq!(memo(&mut m, &mut c, text), plain(text));
        let pieces = m.len();
        assert_eq!(memo(&mut m, &mut c, text), plain(text));
        assert_eq!(m.len(), pieces, "a second reading meets no new piece");
        // `Musk,` and `Musk.` are two pieces of one word
        assert_eq!(c.texts.iter().filter(|w| *w == "musk").count(), 1);
    }

    proptest! {
        /// The same words, offsets and `hard_before` as `scan`, for texts
        /// of words, punctuation, white space of every kind (ASCII and not)
        /// and combining marks (after white space too), one memo reading
        /// text after text.
        #[test]
        fn reads_as_scan_reads(texts in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(vec![
                "a", "B", "ab", "é", "e\u{0301}", "\u{0301}", "\u{0651}", "ب", "أ", "ة", "ـ", "٣",
                " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{A0}", "\u{2009}", "\u{200C}",
                ",", ".", "-", "'", "«", "»", "،", ":", "(", ")", "\u{1}", "ﷺ", "¨", "ﬁ",
            ]), 0..24).prop_map(|p| p.concat()), 1..6)) {
            let (mut m, mut c) = (Memo::default(), Collect::default());
            for t in &texts {
                prop_assert_eq!(memo(&mut m, &mut c, t), plain(t), "{:?}", t);
            }
        }
    }
}
