//! One language's index: its documents' words, the postings of every term,
//! and the files made of them. Built whole for a build; after an in-place
//! edit of one article, only the postings that changed are updated and only
//! the term shards holding them, the article's record shard and the entry
//! point are serialized again. Both ways give the same bytes.

use super::postings::{encode, encoded_len, Posting, MAX_DOCS};
use super::terms::{BodyWords, Raw, Words};
use super::{fnv, utf16_cmp, Entry, RECORDS_PER_SHARD, SNIPPET_CHARS, TERM_SHARD_BYTES, TERM_SHARD_MIN, TERM_SHARD_ANCHOR};
use crate::normalize;
use crate::render::context::Ctx;
use rayon::prelude::*;
use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap};

/// One output file of the index, with the FNV hash of its bytes.
#[derive(Debug, Clone)]
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
    pub hash: u64,
}

impl File {
    fn new(path: String, bytes: Vec<u8>) -> File {
        File { hash: fnv(&bytes), path, bytes }
    }
}

/// A term shard: the sorted terms from `first` to `last` (`count` of them).
#[derive(Debug)]
struct Shard {
    first: u32,
    last: u32,
    count: usize,
    name: String,
    file: File,
}

#[derive(Debug)]
pub struct LangIndex {
    lang: String,
    /// Document → article index (oldest first: new articles append).
    docs: Vec<usize>,
    /// Per document: its words (emptied once scored when the index will
    /// not be updated: see [`LangIndex::build`]).
    raw: Vec<Raw>,
    /// Whether `raw` was kept, so that [`LangIndex::update`] can work.
    updatable: bool,
    words: Words,
    /// Per term (word id): (document, score), by document.
    postings: Vec<Vec<Posting>>,
    /// Per term: the bytes it counts for in a shard (0 without postings).
    sizes: Vec<usize>,
    /// Per term: whether a shard may begin with it.
    anchors: Vec<bool>,
    /// Terms with postings, in UTF-16 order.
    sorted: Vec<u32>,
    shards: Vec<Shard>,
    records: Vec<File>,
    entry: File,
}

/// Documents scored at once while the index is built.
const CHUNK: usize = 2048;

/// The normalized words of a topic's or entity's name.
fn name_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    normalize::scan(name, |w| out.push(w.text.to_string()));
    out
}

/// Article `i`'s topics and entities, as registry positions.
fn named<'c>(ctx: &'c Ctx<'_>, i: usize) -> (impl Iterator<Item = usize> + 'c, impl Iterator<Item = usize> + 'c) {
    let site = ctx.site;
    let a = &site.articles[i];
    (a.topics.iter().filter_map(|id| site.registries.topic_pos(id)), a.entities.iter().filter_map(|id| site.registries.entity_pos(id)))
}

/// The normalized words of every topic's and entity's name in one language
/// (each name is read once, not once for every document naming it).
struct NameWords {
    topics: Vec<Vec<String>>,
    entities: Vec<Vec<String>>,
}

impl NameWords {
    fn new(ctx: &Ctx<'_>, lang: &str) -> NameWords {
        let regs = &ctx.site.registries;
        NameWords {
            topics: (0..regs.topics.len()).map(|t| name_words(&ctx.topic_name(t, lang))).collect(),
            entities: (0..regs.entities.len()).map(|e| name_words(&ctx.entity_name(e, lang))).collect(),
        }
    }

    /// The words of the names of article `i`'s topics and entities (its
    /// title, summary and body words come with its [`BodyWords`]).
    fn of<'w>(&'w self, ctx: &Ctx<'_>, i: usize) -> Vec<&'w str> {
        let (topics, entities) = named(ctx, i);
        topics.flat_map(|t| &self.topics[t]).chain(entities.flat_map(|e| &self.entities[e])).map(String::as_str).collect()
    }
}

/// Shards as ranges of `sorted`: one closes before an anchor term once it
/// holds [`TERM_SHARD_MIN`] bytes, or once it reaches [`TERM_SHARD_BYTES`].
/// Anchors depend on the term alone, so an edit moves the boundaries of
/// the shards around it only, not of every shard after it.
fn ranges(sorted: &[u32], sizes: &[usize], anchors: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (k, &t) in sorted.iter().enumerate() {
        if k > start && size >= TERM_SHARD_MIN && anchors[t as usize] {
            out.push((start, k));
            (start, size) = (k, 0);
        }
        size += sizes[t as usize];
        if size >= TERM_SHARD_BYTES {
            out.push((start, k + 1));
            (start, size) = (k + 1, 0);
        }
    }
    if start < sorted.len() {
        out.push((start, sorted.len()));
    }
    out
}

impl LangIndex {
    /// The articles of `lang` in the order of their documents (oldest first).
    pub fn doc_order<'s>(ctx: &Ctx<'s>, lang: &str) -> impl Iterator<Item = usize> + 's {
        ctx.site.lang_articles(lang).iter().rev().copied()
    }

    /// The whole index of `lang`, from the body words of its documents, in
    /// [`LangIndex::doc_order`]: borrowed, or owned and then each dropped as
    /// soon as its document's words are interned. Without `updatable`, each
    /// document's word list is freed once scored (a one-shot build's index
    /// is written and dropped; the lists were a tenth of its peak memory)
    /// and [`LangIndex::update`] answers that the index must be made anew.
    pub fn build<B: Borrow<BodyWords>>(ctx: &Ctx<'_>, lang: &str, mut body_words: impl Iterator<Item = B>, updatable: bool) -> Result<LangIndex, String> {
        let site = ctx.site;
        let docs: Vec<usize> = Self::doc_order(ctx, lang).collect();
        if docs.len() > MAX_DOCS {
            return Err(format!("the search index of `{lang}` holds at most {MAX_DOCS} articles, not {}", docs.len()));
        }
        let mut words = Words::default();
        let names = NameWords::new(ctx, lang);
        let mut raw: Vec<Raw> = Vec::with_capacity(docs.len());
        for &i in &docs {
            let Some(body) = body_words.next() else {
                return Err(format!("internal error: the search index of `{lang}` was given {} body word lists for {} documents", raw.len(), docs.len()));
            };
            raw.push(words.raw(&names.of(ctx, i), body.borrow()));
        }
        for r in &raw {
            for &(w, _) in r {
                words.uses[w as usize] += 1;
            }
        }
        for e in &site.registries.entities {
            for name in e.names.get(lang).into_iter().chain(e.aliases.get(lang).into_iter().flatten()) {
                for t in normalize::tokens(name) {
                    let id = words.id(&t.text);
                    words.uses[id as usize] += 1;
                }
            }
        }
        let unread = words.unread(0..words.text().len() as u32);
        let splits = words.splits(&unread, true);
        words.add_readings(&unread, splits);
        let mut postings = vec![Vec::new(); words.text().len()];
        // a chunk's documents scored at once, then filed (not every document's
        // terms in memory beside the postings)
        for (c, chunk) in raw.chunks_mut(CHUNK).enumerate() {
            let scored: Vec<Vec<(u32, u8)>> = chunk.par_iter().map(|r| words.scored(r)).collect();
            if !updatable {
                chunk.iter_mut().for_each(|r| *r = Raw::new());
            }
            for (k, terms) in scored.into_iter().enumerate() {
                let d = (c * CHUNK + k) as u32;
                for (t, score) in terms {
                    let p = &mut postings[t as usize];
                    if p.capacity() == 0 {
                        // the documents using the word itself: most terms'
                        // whole list (a stem's holds those of the words read
                        // as it too), not grown by doubling from one
                        p.reserve_exact(words.uses[t as usize] as usize);
                    }
                    p.push(Posting::new(d, score));
                }
            }
        }
        let sizes: Vec<usize> = postings.par_iter().enumerate()
            .map(|(t, p)| if p.is_empty() { 0 } else { words.text()[t].len() + encoded_len(p) + 6 }).collect();
        let anchors = words.text().par_iter().map(|w| fnv(w.as_bytes()) % TERM_SHARD_ANCHOR == 0).collect();
        let mut sorted: Vec<u32> = (0..postings.len() as u32).filter(|&t| !postings[t as usize].is_empty()).collect();
        sorted.par_sort_unstable_by(|&a, &b| utf16_cmp(&words.text()[a as usize], &words.text()[b as usize]));
        let mut ix = LangIndex {
            lang: lang.to_string(), docs, raw, updatable, words, postings, sizes, anchors, sorted,
            shards: Vec::new(), records: Vec::new(), entry: File::new(String::new(), Vec::new()),
        };
        ix.shards = ranges(&ix.sorted, &ix.sizes, &ix.anchors).into_par_iter().map(|r| ix.shard(r)).collect();
        ix.records = (0..ix.docs.len().div_ceil(RECORDS_PER_SHARD)).into_par_iter().map(|n| ix.record_shard(ctx, n)).collect::<Result<_, _>>()?;
        ix.entry = ix.entry_file()?;
        Ok(ix)
    }

    pub fn lang(&self) -> &str {
        &self.lang
    }

    fn shard(&self, (from, to): (usize, usize)) -> Shard {
        let pairs: Vec<(&str, String)> = self.sorted[from..to].iter()
            .map(|&t| (&*self.words.text()[t as usize], encode(&self.postings[t as usize]))).collect();
        // written into room for the shard's size as counted for its cut
        // (grown by doubling, a shard was copied about eight times); a list of
        // pairs of strings always serializes
        let room = self.sorted[from..to].iter().map(|&t| self.sizes[t as usize]).sum::<usize>() + 2;
        let mut bytes = Vec::with_capacity(room);
        if serde_json::to_writer(&mut bytes, &pairs).is_err() {
            bytes.clear();
        }
        let name = format!("t-{:016x}.json", fnv(&bytes));
        let file = File::new(format!("{}/search/{name}", self.lang), bytes);
        Shard { first: self.sorted[from], last: self.sorted[to - 1], count: to - from, name, file }
    }

    fn record_shard(&self, ctx: &Ctx<'_>, n: usize) -> Result<File, String> {
        let chunk = &self.docs[n * RECORDS_PER_SHARD..((n + 1) * RECORDS_PER_SHARD).min(self.docs.len())];
        let recs: Vec<[String; 4]> = chunk.iter().map(|&i| -> Result<[String; 4], String> {
            let a = &ctx.site.articles[i];
            let summary = ctx.summary(i);
            let snippet: String = if summary.chars().count() > SNIPPET_CHARS {
                let cut: String = summary.chars().take(SNIPPET_CHARS).collect();
                let cut = cut.rfind(' ').map_or(cut.as_str(), |p| &cut[..p]).to_string();
                format!("{cut}…")
            } else {
                summary
            };
            Ok([ctx.url(&a.rel_url()), a.title.clone(), ctx.i18n.format_date(&a.lang, a.date.date())?, snippet])
        }).collect::<Result<_, _>>()?;
        // room for the strings and their quotes and commas at once
        let mut bytes = Vec::with_capacity(recs.iter().flatten().map(|s| s.len() + 3).sum::<usize>() + 2 * recs.len() + 2);
        serde_json::to_writer(&mut bytes, &recs).map_err(|e| e.to_string())?;
        Ok(File::new(format!("{}/search/r{n}.json", self.lang), bytes))
    }

    fn entry_file(&self) -> Result<File, String> {
        let hashes: Vec<u8> = self.records.iter().flat_map(|r| r.hash.to_le_bytes()).collect();
        let entry = Entry {
            version: 1,
            lang: &self.lang,
            docs: self.docs.len(),
            per: RECORDS_PER_SHARD,
            rv: format!("{:016x}", fnv(&hashes)),
            terms: self.shards.iter().map(|s| (self.words.text()[s.first as usize].to_string(), s.name.clone())).collect(),
            tables: normalize::js_tables(),
        };
        let bytes = serde_json::to_vec(&entry).map_err(|e| e.to_string())?;
        Ok(File::new(format!("{}/search-index.json", self.lang), bytes))
    }

    /// Every file of the index.
    pub fn files(&self) -> impl Iterator<Item = &File> {
        self.shards.iter().map(|s| &s.file).chain(&self.records).chain(std::iter::once(&self.entry))
    }

    pub fn into_files(self) -> impl Iterator<Item = File> {
        self.shards.into_iter().map(|s| s.file).chain(self.records).chain(std::iter::once(self.entry))
    }

    fn grow(&mut self) {
        let n = self.words.text().len();
        self.postings.resize_with(n, Vec::new);
        self.sizes.resize(n, 0);
        while self.anchors.len() < n {
            let w = &self.words.text()[self.anchors.len()];
            self.anchors.push(fnv(w.as_bytes()) % TERM_SHARD_ANCHOR == 0);
        }
    }

    /// Article `i` of `ctx.site` was edited in place (same language, date
    /// and URL): update its document. `false` when it is not the document
    /// this index holds at its place (the caller builds the index anew).
    pub fn update(&mut self, ctx: &Ctx<'_>, i: usize) -> Result<bool, String> {
        if !self.updatable {
            return Ok(false);
        }
        let list = ctx.site.lang_articles(&self.lang);
        let Ok(pos) = list.binary_search(&i) else { return Ok(false) };
        let d = list.len() - 1 - pos;
        if list.len() != self.docs.len() || self.docs[d] != i {
            return Ok(false);
        }
        // only this article's names are read (a whole `NameWords` would
        // read every name of the registry for one edit)
        let (topics, entities) = named(ctx, i);
        let names: Vec<String> = topics.map(|t| ctx.topic_name(t, &self.lang))
            .chain(entities.map(|e| ctx.entity_name(e, &self.lang))).flat_map(|n| name_words(&n)).collect();
        let new_raw = self.words.raw(&names.iter().map(String::as_str).collect::<Vec<_>>(), &ctx.site.body_words[i]);
        self.grow();
        let has = |raw: &Raw, w: u32| raw.binary_search_by_key(&w, |&(x, _)| x).is_ok();
        let removed: Vec<u32> = self.raw[d].iter().map(|&(w, _)| w).filter(|&w| !has(&new_raw, w)).collect();
        let added: Vec<u32> = new_raw.iter().map(|&(w, _)| w).filter(|&w| !has(&self.raw[d], w)).collect();
        let uses = &self.words.uses;
        let toggled = removed.iter().filter(|&&w| uses[w as usize] == 1).chain(added.iter().filter(|&&w| uses[w as usize] == 0));
        let mut docs: BTreeSet<u32> = BTreeSet::from([d as u32]);
        for &s in toggled {
            for &w in self.words.readers(s) {
                docs.extend(self.postings[w as usize].iter().map(|p| p.doc()));
            }
        }
        let before: Vec<Vec<(u32, u8)>> = docs.iter().map(|&x| self.words.scored(&self.raw[x as usize])).collect();
        for &w in &removed {
            self.words.uses[w as usize] -= 1;
        }
        for &w in &added {
            self.words.uses[w as usize] += 1;
        }
        self.raw[d] = new_raw;
        let unread = self.words.unread(added.iter().copied());
        let splits = self.words.splits(&unread, false);
        self.words.add_readings(&unread, splits);
        self.grow();

        let mut dirty: BTreeSet<u32> = BTreeSet::new();
        for (&x, old) in docs.iter().zip(before) {
            let new = self.words.scored(&self.raw[x as usize]);
            let old: HashMap<u32, u8> = old.into_iter().collect();
            for &(t, score) in &new {
                if old.get(&t) != Some(&score) {
                    dirty.insert(t);
                    let p = &mut self.postings[t as usize];
                    match p.binary_search_by_key(&x, |p| p.doc()) {
                        Ok(k) => p[k] = Posting::new(x, score),
                        Err(k) => p.insert(k, Posting::new(x, score)),
                    }
                }
            }
            for &t in old.keys() {
                if new.binary_search_by_key(&t, |&(w, _)| w).is_err() {
                    dirty.insert(t);
                    let p = &mut self.postings[t as usize];
                    if let Ok(k) = p.binary_search_by_key(&x, |p| p.doc()) {
                        p.remove(k);
                    }
                }
            }
        }
        let text = self.words.text();
        for &t in &dirty {
            let p = &self.postings[t as usize];
            let listed = self.sizes[t as usize] > 0;
            self.sizes[t as usize] = if p.is_empty() { 0 } else { text[t as usize].len() + encoded_len(p) + 6 };
            let at = self.sorted.binary_search_by(|&u| utf16_cmp(&text[u as usize], &text[t as usize]));
            match (at, p.is_empty()) {
                (Ok(k), true) => {
                    self.sorted.remove(k);
                }
                (Err(k), false) if !listed => self.sorted.insert(k, t),
                _ => {}
            }
        }
        self.reshard(&dirty);
        let n = d / RECORDS_PER_SHARD;
        self.records[n] = self.record_shard(ctx, n)?;
        self.entry = self.entry_file()?;
        Ok(true)
    }

    /// Cut the shards again, serializing only those that hold a `dirty` term
    /// or whose range changed.
    fn reshard(&mut self, dirty: &BTreeSet<u32>) {
        let text = self.words.text();
        let mut marks: Vec<usize> = dirty.iter()
            .filter_map(|&t| self.sorted.binary_search_by(|&u| utf16_cmp(&text[u as usize], &text[t as usize])).ok()).collect();
        marks.sort_unstable();
        let mut old: HashMap<(u32, u32, usize), Shard> = std::mem::take(&mut self.shards).into_iter()
            .map(|s| ((s.first, s.last, s.count), s)).collect();
        let ranges = ranges(&self.sorted, &self.sizes, &self.anchors);
        let mut shards = Vec::with_capacity(ranges.len());
        for (from, to) in ranges {
            let k = marks.partition_point(|&m| m < from);
            let clean = marks.get(k).is_none_or(|&m| m >= to);
            let key = (self.sorted[from], self.sorted[to - 1], to - from);
            match old.remove(&key).filter(|_| clean) {
                Some(s) => shards.push(s),
                None => shards.push(self.shard((from, to))),
            }
        }
        self.shards = shards;
    }
}
