//! The automaton side of mention detection: one Aho-Corasick automaton per
//! language over a stream of normalized words in markers, the set of name
//! words it can match, and the raw hits it finds.

use super::NameKind;
use super::reader::Reader;
use crate::normalize::{self, Token};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

pub(super) const SOFT: char = ' ';
pub(super) const HARD: char = '\u{1}';
pub(super) const OPEN: char = '\u{2}';
pub(super) const CLOSE: char = '\u{3}';
/// Between two name words with other words between them: no name spans it.
const GAP: char = '\u{4}';


#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CaseRule {
    Any,
    /// The first letter must be a capital.
    Initial,
    /// Every cased letter must be a capital.
    AllCaps,
}

impl CaseRule {
    pub(super) fn of(written: &str) -> CaseRule {
        let cased: Vec<char> = written.chars().filter(|c| c.is_uppercase() || c.is_lowercase()).collect();
        match cased.first() {
            Some(c) if c.is_uppercase() => {
                if cased.len() >= 2 && cased.iter().all(|c| c.is_uppercase()) { CaseRule::AllCaps } else { CaseRule::Initial }
            }
            _ => CaseRule::Any,
        }
    }

    pub(super) fn accepts(self, original: &str) -> bool {
        let mut cased = original.chars().filter(|c| c.is_uppercase() || c.is_lowercase());
        match self {
            CaseRule::Any => true,
            CaseRule::Initial => cased.next().is_none_or(char::is_uppercase),
            CaseRule::AllCaps => cased.all(char::is_uppercase),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) entity: usize,
    pub(super) kind: NameKind,
    /// Counts without the entity being named elsewhere in the article.
    pub(super) strong: bool,
    pub(super) case: CaseRule,
    /// As the registry writes it.
    pub(super) written: String,
}

/// The automaton of one language.
#[derive(Debug)]
pub(super) struct Matcher {
    pub(super) ac: Option<AhoCorasick>,
    /// Per automaton pattern: the entities it may mean.
    pub(super) candidates: Vec<Vec<Candidate>>,
    /// Every normalized word of every pattern (for clitic readings).
    pub(super) known: Known,
}

/// A set of words with a bit table in front: nearly every word of a text is
/// not a name word, and one bit test (on its length and its first and last
/// bytes) turns most of them away before any hashing.
#[derive(Debug)]
pub(super) struct Known {
    words: normalize::hash::WordSet,
    pub(super) bits: Vec<u64>,
}

const KNOWN_BITS: usize = 1 << 16;

pub(super) fn quick_hash(w: &str) -> usize {
    let b = w.as_bytes();
    let byte = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let n = b.len();
    let x = n as u64 | byte(0) << 16 | byte(1) << 24 | byte(n.wrapping_sub(2)) << 32 | byte(n.wrapping_sub(1)) << 40;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

impl Known {
    pub(super) fn new(words: normalize::hash::WordSet) -> Known {
        let mut bits = vec![0u64; KNOWN_BITS / 64];
        for w in &words {
            let h = quick_hash(w);
            bits[h / 64] |= 1 << (h % 64);
        }
        Known { words, bits }
    }

    pub(super) fn contains(&self, w: &str) -> bool {
        let h = quick_hash(w);
        self.bits[h / 64] & (1 << (h % 64)) != 0 && self.words.contains(w)
    }
}

/// Where a word sits in the match stream.
struct Slot {
    /// Byte offset of the word's `OPEN` marker in the stream.
    at: usize,
    /// Bytes of the normalized word read as clitics (0 if none).
    clitic: usize,
    /// The word's byte range in the text.
    start: usize,
    end: usize,
}

/// A raw automaton match, in original-text byte offsets.
pub(super) struct Hit {
    pub(super) pattern: usize,
    /// Start of the first word (clitics included) and of the name proper.
    pub(super) start: usize,
    pub(super) name_start: usize,
    pub(super) end: usize,
}

impl Matcher {
    pub(super) fn new(entries: Vec<(String, Candidate, Vec<String>)>) -> Matcher {
        let mut keys: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut candidates: Vec<Vec<Candidate>> = Vec::new();
        let mut known = normalize::hash::WordSet::default();
        for (key, cand, words) in entries {
            known.extend(words);
            let i = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                candidates.push(Vec::new());
                candidates.len() - 1
            });
            let list = &mut candidates[i];
            match list.iter_mut().find(|c| c.entity == cand.entity) {
                // one entity, one form twice (a name that is also an alias): keep the strongest reading
                Some(c) => {
                    if cand.strong && !c.strong {
                        *c = cand;
                    }
                }
                None => list.push(cand),
            }
        }
        let ac = if keys.is_empty() {
            None
        } else {
            // No prefilter: it skips ahead to where a match could start,
            // but every word of the match stream starts with `OPEN`, as every
            // pattern does, so there is never anything to skip (without it,
            // the search took a fifth fewer instructions: callgrind, 1,000
            // pairs). Building only fails past the automaton's size limits,
            // far beyond any registry.
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).prefilter(false).build(&keys).ok()
        };
        Matcher { ac, candidates, known: Known::new(known) }
    }

    /// The reading of `word` through its clitics whose stem is a known name
    /// word. Most words have none: a stem is the word without its first one
    /// to four letters (or, after لل, the article and the rest), so those
    /// suffixes are looked up first and the readings built only if one is known.
    pub(super) fn clitic_stem(&self, word: &str) -> Option<normalize::Split> {
        // every clitic reading starts with a conjunction, a preposition or
        // the article's alef: most words (and every Latin one) have none
        if !word.starts_with(['و', 'ف', 'ب', 'ل', 'ك', 'ا']) {
            return None;
        }
        let suffix_known = word.char_indices().skip(1).take(4).any(|(i, _)| self.known.contains(&word[i..]));
        let article_after_lam = ["لل", "ولل", "فلل"].iter().any(|p| word.starts_with(p));
        if !suffix_known && !article_after_lam {
            return None;
        }
        normalize::strip_clitics(word, |w| self.known.contains(w))
    }

    /// How the match stream reads `word`: as itself when it is a known name
    /// word, else as its clitic-free stem when that is one, else not at all.
    pub(super) fn reading(&self, word: &str) -> Reading {
        if self.known.contains(word) {
            Reading::Itself
        } else if let Some(split) = self.clitic_stem(word) {
            Reading::Stem(split)
        } else {
            Reading::Skip
        }
    }

    /// The match stream of `text`: every word that is a known name word,
    /// or whose clitic-free stem is one (then the stem stands for it), as
    /// `OPEN word CLOSE`, joined to the word before it by `SOFT` or (across
    /// punctuation) `HARD`, or by `GAP` when other words came between. A
    /// name's words are all known words, so a name can only match a run of
    /// them, and most words of a text never reach the automaton.
    fn stream(&self, text: &str, reader: &mut dyn Reader) -> (String, Vec<Slot>) {
        // room at once (grown by doubling, these were a percent of a large
        // build): in the benchmark's bodies, the stream takes a fourth to a
        // half of the text's length and a known word comes every 16 to 115
        // bytes
        let mut s = String::with_capacity(text.len() / 2);
        let mut slots: Vec<Slot> = Vec::with_capacity(text.len() / 32);
        let mut after_gap = true;
        reader.each(Some(self), text, &mut |w| {
            let (word, clitic) = match w.reading {
                Reading::Itself => (w.text, 0),
                Reading::Stem(split) => (split.stem.as_str(), split.prefix),
                // not handed on (see `Reader::each`)
                Reading::Skip => {
                    after_gap = true;
                    return;
                }
            };
            after_gap |= w.skipped_before;
            if !slots.is_empty() {
                s.push(if after_gap { GAP } else if w.hard_before { HARD } else { SOFT });
            }
            after_gap = false;
            let at = s.len();
            s.push(OPEN);
            s.push_str(word);
            s.push(CLOSE);
            slots.push(Slot { at, clitic, start: w.start, end: w.end });
        });
        (s, slots)
    }

    /// The names found in `text`, each of its words read by `reader`.
    pub(super) fn hits(&self, text: &str, reader: &mut dyn Reader) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            reader.each(None, text, &mut |_| {});
            return Vec::new();
        };
        let (stream, slots) = self.stream(text, reader);
        if slots.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(hits_room(text));
        for m in ac.find_iter(&stream) {
            // patterns start with OPEN and end with CLOSE: always whole words
            let Ok(first) = slots.binary_search_by_key(&m.start(), |s| s.at) else { continue };
            let last = match slots.binary_search_by_key(&m.end(), |s| s.at) {
                Ok(next) | Err(next) => next - 1,
            };
            // clitics only in front of the name, not inside it
            if slots[first + 1..=last].iter().any(|s| s.clitic > 0) {
                continue;
            }
            let f = &slots[first];
            let name_start = if f.clitic == 0 {
                f.start
            } else {
                // where the name proper starts in the original word
                normalize::tokens(&text[f.start..f.end]).first().map_or(f.start, |t| f.start + t.origin(f.clitic))
            };
            out.push(Hit { pattern: m.pattern().as_usize(), start: f.start, name_start, end: slots[last].end });
        }
        out
    }
}

/// Room for the hits of `text`: a name every 88 bytes of text or more, in
/// the benchmark's bodies.
pub(super) fn hits_room(text: &str) -> usize {
    text.len() / 64 + 4
}

/// How the match stream reads a word of a text.
#[derive(Debug, Clone)]
pub(super) enum Reading {
    /// Neither a name word nor one once its clitics are read off: left out.
    Skip,
    /// A known name word, as it is.
    Itself,
    /// A known name word once its clitics are read off.
    Stem(normalize::Split),
}

/// The pattern key of a name: its words in markers, joined like a text.
pub(super) fn key_of(toks: &[Token]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            s.push(if t.hard_before { HARD } else { SOFT });
        }
        s.push(OPEN);
        s.push_str(&t.text);
        s.push(CLOSE);
    }
    s
}
