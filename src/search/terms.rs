//! The words of each document, interned: what the index files under each
//! term, with its score. A word carrying Arabic prefix clitics is also filed
//! under each stem the language knows (a word some document or the registry
//! uses, or an article-prefixed noun), so the set of known words is kept
//! with counts: when a word appears in or leaves the language, the documents
//! holding a word it is a reading of are scored again.

use crate::normalize::{self, clitic_splits};
#[cfg(test)]
use crate::normalize::hash::WordMap;
use crate::normalize::intern::Interner;
use std::collections::HashMap;

pub const TITLE: u8 = 1;
pub const NAMES: u8 = 2;
pub const SUMMARY: u8 = 4;

/// Where a word occurs in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stat {
    pub fields: u8,
    pub body: u16,
}

impl Stat {
    pub fn merge(&mut self, o: Stat) {
        self.fields |= o.fields;
        self.body = self.body.saturating_add(o.body);
    }
    /// 0..=25: title 10, entity or topic name 8, summary 3, body 1-4.
    pub fn score(self) -> u8 {
        let mut s = 0u8;
        if self.fields & TITLE != 0 {
            s += 10;
        }
        if self.fields & NAMES != 0 {
            s += 8;
        }
        if self.fields & SUMMARY != 0 {
            s += 3;
        }
        s + self.body.min(4) as u8
    }
}

/// Add the words of `text` (`field` 0: body) to a document's words: how
/// the index read a document's fields before they came from the mention
/// pass, kept as the tests' reference.
#[cfg(test)]
pub fn add_text(terms: &mut WordMap<Stat>, text: &str, field: u8) {
    normalize::scan(text, |w| {
        let st = match terms.get_mut(w.text) {
            Some(st) => st,
            None => terms.entry(w.text.to_string()).or_default(),
        };
        if field == 0 {
            st.body = st.body.saturating_add(1);
        } else {
            st.fields |= field;
        }
    });
}

/// The distinct words of an article's body with how often each occurs, and
/// those of its title and summary with the fields they are in, kept
/// compactly from the reading mention detection makes of the article (so
/// its text is tokenized once a build): all the search index needs of it
/// but its topic and entity names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyWords {
    /// The words, each followed by a space (normalized words hold none).
    words: String,
    /// Per word: how often the body holds it, and above that count the
    /// fields ([`TITLE`], [`SUMMARY`]) holding it, as a [`Tally`] keeps them.
    counts: Vec<u32>,
}

impl BodyWords {
    /// Read `text`, a body, for its words: as the mention pass reads it,
    /// kept as the tests' reference (like [`add_text`]).
    #[cfg(test)]
    pub fn of(text: &str) -> BodyWords {
        BodyWords::of_fields(&[], text)
    }

    /// Read the `fields` (text, field bit) and then the body `text` for
    /// their words (the tests' reference, as [`BodyWords::of`]).
    #[cfg(test)]
    pub fn of_fields(fields: &[(&str, u8)], text: &str) -> BodyWords {
        let mut t = Tally::default();
        for &(field, bit) in fields {
            normalize::scan(field, |w| {
                let (id, _) = t.id(w.text);
                t.mark(id, bit);
            });
        }
        normalize::scan(text, |w| {
            let (id, _) = t.id(w.text);
            t.count(id);
        });
        t.finish()
    }

    /// Each word with its count in the body and the fields holding it.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, u8)> + '_ {
        // each word ends at its space: a short scan, cheaper than a
        // string searcher's set-up for every word
        let mut rest = self.words.as_str();
        self.counts.iter().map_while(move |&n| {
            let end = rest.bytes().position(|b| b == b' ')?;
            let word = &rest[..end];
            rest = &rest[end + 1..];
            // the bits above the count hold a `u8` of fields
            Some((word, n & COUNT_MAX, (n >> COUNT_BITS) as u8))
        })
    }
}

/// Counts the words of one body after another into [`BodyWords`], with the
/// fields (title, summary) each word of the article is in. It keeps every
/// word it has met with a number (a worker reads all its bodies with one),
/// so a word seen before costs one lookup, and callers can keep what they
/// know of a word under the same number.
#[derive(Debug, Default)]
pub struct Tally {
    words: Interner,
    /// Per word: its count in the body being read (the low [`COUNT_BITS`]
    /// bits) and the fields of the article holding it (the bits above).
    counts: Vec<u32>,
    /// The words met in the article being read, in order of first occurrence.
    touched: Vec<u32>,
}

/// Words a [`Tally`] keeps at most between bodies (a bound on its memory;
/// past it, it starts afresh).
const TALLY_LIMIT: usize = 1 << 20;

/// The bits of a [`Tally`] entry that count; a count stops at their maximum
/// (the index keeps at most `u16::MAX` anyway).
const COUNT_BITS: u32 = 24;
const COUNT_MAX: u32 = (1 << COUNT_BITS) - 1;

impl Tally {
    /// The number of `w`, and whether the tally met it only now.
    pub fn id(&mut self, w: &str) -> (u32, bool) {
        let (id, new) = self.words.id(w);
        if new {
            self.counts.push(0);
        }
        (id, new)
    }

    /// Word number `id`.
    pub fn text(&self, id: u32) -> &str {
        self.words.text(id)
    }

    /// One more occurrence of word `id` in the body being read.
    #[inline]
    pub fn count(&mut self, id: u32) {
        let n = &mut self.counts[id as usize];
        if *n == 0 {
            self.touched.push(id);
        }
        if *n & COUNT_MAX != COUNT_MAX {
            *n += 1;
        }
    }

    /// Word `id` is in the field `field` ([`TITLE`], [`SUMMARY`]) of the
    /// article being read.
    pub fn mark(&mut self, id: u32, field: u8) {
        let n = &mut self.counts[id as usize];
        if *n == 0 {
            self.touched.push(id);
        }
        *n |= u32::from(field) << COUNT_BITS;
    }

    /// The words of the article read since the last call, with their counts
    /// in its body and the fields holding them.
    pub fn finish(&mut self) -> BodyWords {
        let mut out = BodyWords {
            words: String::with_capacity(self.touched.iter().map(|&id| self.words.text(id).len() + 1).sum()),
            counts: Vec::with_capacity(self.touched.len()),
        };
        for id in self.touched.drain(..) {
            out.words.push_str(self.words.text(id));
            out.words.push(' ');
            out.counts.push(std::mem::take(&mut self.counts[id as usize]));
        }
        out
    }

    /// Start afresh when the tally has grown past its bound; returns whether it did.
    pub fn trim(&mut self) -> bool {
        if self.words.len() <= TALLY_LIMIT {
            return false;
        }
        *self = Tally::default();
        true
    }
}

/// Whether `stem`, read off a word through its clitics, is a word: one the
/// language's texts or registry use on its own (`used`), or a noun with the article.
pub fn known_stem(stem: &str, used: bool) -> bool {
    used || stem.strip_prefix(normalize::clitics::ARTICLE).is_some_and(|n| n.chars().count() >= 3)
}

/// A document's words: (word id, where it occurs), sorted by id.
pub type Raw = Vec<(u32, Stat)>;

/// The words of one language, interned, with what is known of each.
#[derive(Debug, Default)]
pub struct Words {
    words: Interner,
    /// Documents using the word, plus one per registry name containing it.
    pub uses: Vec<u32>,
    /// The stems the word can be read as (all readings, known or not), once worked out.
    readings: Vec<Option<Vec<u32>>>,
    /// Stem → words having it as a reading.
    readers: HashMap<u32, Vec<u32>>,
}

impl Words {
    pub fn id(&mut self, w: &str) -> u32 {
        let (id, new) = self.words.id(w);
        if new {
            self.uses.push(0);
            self.readings.push(None);
        }
        id
    }

    /// Every word, by id.
    pub fn text(&self) -> &[Box<str>] {
        self.words.texts()
    }

    /// A document's words, interned: those of its title, summary and body
    /// (see [`BodyWords`]) and `names`, the words of its topic and entity
    /// names, as [`add_text`] would read them all, the body as field 0.
    pub fn raw(&mut self, names: &[&str], body: &BodyWords) -> Raw {
        // every document's list is kept until all are scored: sized exactly
        let mut raw: Raw = Vec::with_capacity(body.counts.len() + names.len());
        for (w, n, fields) in body.iter() {
            raw.push((self.id(w), Stat { fields, body: u16::try_from(n).unwrap_or(u16::MAX) }));
        }
        for &w in names {
            raw.push((self.id(w), Stat { fields: NAMES, body: 0 }));
        }
        raw.sort_unstable_by_key(|&(id, _)| id);
        // a word of both the body or a field and a name is there twice (or
        // more): one entry
        raw.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1.merge(later.1);
            }
            same
        });
        raw
    }

    /// Work out the readings of every used word that has none yet
    /// (`splits`: the readings of each, as `clitic_splits` gives them).
    pub fn add_readings(&mut self, ids: &[u32], splits: Vec<Vec<String>>) {
        for (&w, stems) in ids.iter().zip(splits) {
            let stems: Vec<u32> = stems.iter().map(|s| self.id(s)).collect();
            for &s in &stems {
                self.readers.entry(s).or_default().push(w);
            }
            self.readings[w as usize] = Some(stems);
        }
    }

    /// Of `ids`, the used words whose readings are not worked out yet.
    pub fn unread(&self, ids: impl Iterator<Item = u32>) -> Vec<u32> {
        ids.filter(|&w| self.uses[w as usize] > 0 && self.readings[w as usize].is_none()).collect()
    }

    /// The readings of each of `ids`, as `clitic_splits` gives them.
    pub fn splits(&self, ids: &[u32], par: bool) -> Vec<Vec<String>> {
        use rayon::prelude::*;
        let split = |&w: &u32| clitic_splits(&self.text()[w as usize]).into_iter().map(|s| s.stem).collect::<Vec<String>>();
        if par { ids.par_iter().map(split).collect() } else { ids.iter().map(split).collect() }
    }

    /// Words some reading of which is `stem`.
    pub fn readers(&self, stem: u32) -> &[u32] {
        self.readers.get(&stem).map_or(&[], Vec::as_slice)
    }

    /// The terms a document is filed under, with scores, sorted by id.
    pub fn scored(&self, raw: &Raw) -> Vec<(u32, u8)> {
        // every (term, place) pair, sorted by term; then one entry a term, its places merged
        let mut all: Vec<(u32, Stat)> = Vec::with_capacity(raw.len() * 2);
        for &(w, st) in raw {
            for &s in self.readings[w as usize].iter().flatten() {
                if known_stem(&self.text()[s as usize], self.uses[s as usize] > 0) {
                    all.push((s, st));
                }
            }
            all.push((w, st));
        }
        all.sort_unstable_by_key(|&(w, _)| w);
        let mut out: Vec<(u32, u8)> = Vec::with_capacity(all.len());
        for run in all.chunk_by(|a, b| a.0 == b.0) {
            let mut st = Stat::default();
            for &(_, s) in run {
                st.merge(s);
            }
            out.push((run[0].0, st.score()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `raw` of a document's names and its counted title, summary and body
    /// equals the words of its fields and its body read together as
    /// [`add_text`] reads them, field 0 for the body.
    #[test]
    fn raw_merges_the_names_with_the_counted_fields_and_body() {
        let (title, summary) = ("وزير الخارجية يزور القاهرة", "Visit to Cairo, the minister said");
        let names = ["Cairo", "وزير الخارجية", "Al Minister"];
        let body = "الوزير زار القاهرة. The minister said: Cairo, Cairo! و القاهرة";
        let mut all = WordMap::default();
        add_text(&mut all, title, TITLE);
        for n in names {
            add_text(&mut all, n, NAMES);
        }
        add_text(&mut all, summary, SUMMARY);
        add_text(&mut all, body, 0);

        let name_words: Vec<String> = names.iter().flat_map(|n| normalize::tokens(n)).map(|t| t.text).collect();
        let mut words = Words::default();
        let read = BodyWords::of_fields(&[(title, TITLE), (summary, SUMMARY)], body);
        let raw = words.raw(&name_words.iter().map(String::as_str).collect::<Vec<_>>(), &read);
        let got: HashMap<&str, Stat> = raw.iter().map(|&(id, st)| (&*words.text()[id as usize], st)).collect();
        let want: HashMap<&str, Stat> = all.iter().map(|(w, &st)| (w.as_str(), st)).collect();
        assert_eq!(got, want);
        assert_eq!(raw.len(), want.len(), "one entry per word");
        assert!(raw.windows(2).all(|p| p[0].0 < p[1].0), "sorted by id");
        // a word of the title and the body has both; one of a name, the
        // summary and the body all three
        let cairo = got["القاهره"];
        assert!(cairo.fields & TITLE != 0 && cairo.body == 2, "{cairo:?}");
        assert_eq!(got["cairo"], Stat { fields: NAMES | SUMMARY, body: 2 });
    }

    /// A [`Tally`] keeps an article's fields apart from its body's counts,
    /// and a word's count stops at its bits' maximum rather than reach the
    /// fields' bits.
    #[test]
    fn a_tally_keeps_fields_and_counts_apart() {
        let mut t = Tally::default();
        let (a, _) = t.id("a");
        let (b, _) = t.id("b");
        t.mark(a, SUMMARY);
        t.mark(b, TITLE);
        t.counts[b as usize] |= COUNT_MAX - 1;
        for _ in 0..3 {
            t.count(b);
        }
        t.count(a);
        let got: Vec<(String, u32, u8)> = t.finish().iter().map(|(w, n, f)| (w.to_string(), n, f)).collect();
        assert_eq!(got, [("a".to_string(), 1, SUMMARY), ("b".to_string(), COUNT_MAX, TITLE)]);
        // and the next article starts afresh
        t.count(a);
        let got: Vec<(String, u32, u8)> = t.finish().iter().map(|(w, n, f)| (w.to_string(), n, f)).collect();
        assert_eq!(got, [("a".to_string(), 1, 0)]);
    }

    /// `scored` merges a word's own entry with those it gets as the stem of
    /// other words of the document, as a map from term to merged place would.
    #[test]
    fn scored_merges_each_term_once() {
        let mut words = Words::default();
        let body = "والكتاب بالكتاب كتاب الكتاب وكتاب الكتاب الكتاب الكتاب الكتاب قال";
        let read = BodyWords::of_fields(&[("الكتاب والكتاب", TITLE), ("كتاب", SUMMARY)], body);
        let raw = words.raw(&["كتب"], &read);
        for &(w, _) in &raw {
            words.uses[w as usize] += 1;
        }
        let unread = words.unread(0..words.text().len() as u32);
        let splits = words.splits(&unread, false);
        words.add_readings(&unread, splits);
        let mut want: HashMap<u32, Stat> = HashMap::new();
        for &(w, st) in &raw {
            for &s in words.readings[w as usize].iter().flatten() {
                if known_stem(&words.text()[s as usize], words.uses[s as usize] > 0) {
                    want.entry(s).or_default().merge(st);
                }
            }
            want.entry(w).or_default().merge(st);
        }
        let mut want: Vec<(u32, u8)> = want.into_iter().map(|(w, st)| (w, st.score())).collect();
        want.sort_unstable();
        let got = words.scored(&raw);
        assert_eq!(got, want);
        let kitab = words.id("الكتاب");
        // its own title and body places, and those of والكتاب and بالكتاب read as it
        assert_eq!(got.iter().find(|&&(w, _)| w == kitab).map(|&(_, s)| s), Some(14));
    }

}
