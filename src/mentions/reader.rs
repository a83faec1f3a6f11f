//! How the words of a text are read for mention detection: afresh
//! ([`Fresh`]), or through a worker's memory of the words and pieces of
//! text it has read ([`Vocab`]), which also counts a body's words for the
//! search index and for its reading time.

use super::matcher::{Matcher, Reading};
use crate::normalize;
use crate::normalize::memo::{Memo, Numbered};
use crate::search::{BodyWords, Tally};

/// A word of a text as a [`Reader`] hands it on: its normalized text, how
/// the match stream reads it, and where it is.
pub(super) struct Read<'a> {
    pub(super) text: &'a str,
    pub(super) reading: &'a Reading,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) hard_before: bool,
    /// Words read as [`Reading::Skip`] came since the last word handed on
    /// (or, for the first, since the start of the text).
    pub(super) skipped_before: bool,
}

/// What is done with the words read, besides handing them to the match
/// stream: nothing, marked as words of a field of the article (the bits of
/// [`crate::search::terms`]: title, summary), or counted as the body's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Count {
    #[default]
    Not,
    Field(u8),
    Body,
}

/// What reads each word of a text for the match stream; the words of the
/// text being counted (see [`Reader::counting`]) it may count or hand on.
pub(super) trait Reader {
    /// What is done with the words read from now on.
    fn counting(&mut self, what: Count);
    /// Hand each word of `text` that `m` does not read as [`Reading::Skip`],
    /// in order, to `f`, saying whether skipped words came before it (with
    /// no matcher, a language without names, every word is skipped). Most
    /// words of a text are skipped: they are counted, not handed on.
    fn each(&mut self, m: Option<&Matcher>, text: &str, f: &mut dyn FnMut(Read<'_>));
}

/// Works out every reading afresh, handing each word counted to a callback.
pub(super) struct Fresh<'f> {
    on: bool,
    each: &'f mut dyn FnMut(&str),
}

impl<'f> Fresh<'f> {
    pub(super) fn new(each: &'f mut dyn FnMut(&str)) -> Fresh<'f> {
        Fresh { on: false, each }
    }
}

impl Reader for Fresh<'_> {
    fn counting(&mut self, what: Count) {
        self.on = what == Count::Body;
    }

    fn each(&mut self, m: Option<&Matcher>, text: &str, f: &mut dyn FnMut(Read<'_>)) {
        let mut skipped = false;
        normalize::scan(text, |w| {
            if self.on {
                (self.each)(w.text);
            }
            let reading = m.map_or(Reading::Skip, |m| m.reading(w.text));
            if matches!(reading, Reading::Skip) {
                skipped = true;
                return;
            }
            let skipped_before = std::mem::take(&mut skipped);
            f(Read { text: w.text, reading: &reading, start: w.start, end: w.end, hard_before: w.hard_before, skipped_before });
        });
    }
}

/// A worker's memory of the words it has read in one language: each word's
/// reading, worked out the first time, under its number in a [`Tally`],
/// which also counts the words of the body being read and marks those of
/// the article's title and summary; and each piece of text between white
/// space, tokenized the first time ([`Memo`]).
#[derive(Debug, Default)]
pub struct Vocab {
    tally: Tally,
    /// Per word number: its reading.
    readings: Vec<Reading>,
    /// Per word number, a bit: its reading is [`Reading::Skip`]. Most
    /// words' are; this reads 1 bit of them, not a 32-byte reading (those
    /// reads were a fifth of the word loop's cache misses in callgrind's
    /// simulation).
    skips: Skips,
    memo: Memo,
    count: Count,
    /// The words counted since the last [`Vocab::finish`], as
    /// [`crate::markdown::count_words`] counts them.
    counted: usize,
}

/// Pieces a [`Vocab`]'s memo keeps at most between bodies (a bound on its
/// memory; past it, it starts afresh).
const MEMO_LIMIT: usize = 1 << 20;

impl Vocab {
    /// The words counted and marked since the last call, and how many
    /// were counted as [`crate::markdown::count_words`] counts them. Past its bound the
    /// vocabulary starts afresh, between two bodies.
    pub(super) fn finish(&mut self) -> (BodyWords, usize) {
        let words = self.tally.finish();
        let counted = std::mem::take(&mut self.counted);
        if self.tally.trim() {
            // the memo holds the tally's numbers
            self.readings.clear();
            self.skips = Skips::default();
            self.memo.clear();
        } else if self.memo.len() > MEMO_LIMIT {
            self.memo.clear();
        }
        (words, counted)
    }
}

/// A [`Vocab`] reading one text: numbers a word met in a new piece (and
/// works out its reading), counts or marks and hands on every word.
struct Numbering<'v, 'f, 'm> {
    tally: &'v mut Tally,
    readings: &'v mut Vec<Reading>,
    skips: &'v mut Skips,
    count: Count,
    m: Option<&'m Matcher>,
    f: &'f mut dyn FnMut(Read<'_>),
    /// Words were skipped since the last one handed on.
    skipped: bool,
}

impl normalize::memo::Numbering for Numbering<'_, '_, '_> {
    fn number(&mut self, word: &str) -> u32 {
        let (id, new) = self.tally.id(word);
        if new {
            let reading = self.m.map_or(Reading::Skip, |m| m.reading(word));
            self.skips.push(matches!(reading, Reading::Skip));
            self.readings.push(reading);
        }
        id
    }

    // inlined into the memo's loop, as it was while it only counted: a
    // call for each word of every text cost more than the fields saved
    #[inline(always)]
    fn word(&mut self, w: Numbered) {
        match self.count {
            Count::Body => self.tally.count(w.id),
            Count::Field(bit) => self.tally.mark(w.id, bit),
            Count::Not => {}
        }
        if self.skips.get(w.id) {
            self.skipped = true;
            return;
        }
        let reading = &self.readings[w.id as usize];
        let skipped_before = std::mem::take(&mut self.skipped);
        (self.f)(Read { text: self.tally.text(w.id), reading, start: w.start, end: w.end, hard_before: w.hard_before, skipped_before });
    }

    fn weigh(&mut self, piece: &str) -> u32 {
        u32::try_from(crate::markdown::count_words(piece)).unwrap_or(u32::MAX)
    }
}

impl Reader for Vocab {
    fn counting(&mut self, what: Count) {
        self.count = what;
    }

    fn each(&mut self, m: Option<&Matcher>, text: &str, f: &mut dyn FnMut(Read<'_>)) {
        let Vocab { tally, readings, skips, memo, count, counted } = self;
        let words = memo.scan(text, &mut Numbering { tally, readings, skips, count: *count, m, f, skipped: false });
        if *count == Count::Body {
            *counted += usize::try_from(words).unwrap_or(usize::MAX);
        }
    }
}

/// One bit per word number.
#[derive(Debug, Default)]
struct Skips {
    bits: Vec<u64>,
    len: u32,
}

impl Skips {
    /// The next word's bit.
    fn push(&mut self, skip: bool) {
        if self.len % 64 == 0 {
            self.bits.push(0);
        }
        if skip {
            self.bits[(self.len / 64) as usize] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    #[inline]
    fn get(&self, id: u32) -> bool {
        self.bits[(id / 64) as usize] >> (id % 64) & 1 != 0
    }
}
