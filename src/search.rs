//! The static search index, built with the site and read by the theme's
//! dependency-free `search.js`.
//!
//! Per language, every article's title, summary, body, topic labels and
//! entity names are cut into normalized words ([`crate::normalize`]). A word
//! carrying Arabic prefix clitics is also filed under each stem the language
//! knows (a word of the corpus or of the registry, or an article-prefixed noun:
//! `لماسك` under `ماسك`, `والذكاء` under `الذكاء`), so a search for the stem
//! finds it. The index is split so a reader downloads little:
//!
//! * `/{lang}/search-index.json`, the entry point: the normalization tables
//!   (the Rust ones, so the browser normalizes a query the same way), the
//!   first term of each term shard, the number of documents;
//! * `/{lang}/search/t-{hash}.json`: term shards, ranges of the sorted terms
//!   with their postings (fetched for the terms of a query: by term, as
//!   Pagefind does);
//! * `/{lang}/search/r{n}.json`: document records (URL, title, date,
//!   snippet), [`RECORDS_PER_SHARD`] per file, fetched for the results shown.
//!
//! Postings are strings: for each document, the gap from the previous
//! document id in base 36 (`0-9a-z`), then its score as one letter `A`-`Z`
//! (title 10, entity or topic name 8, summary 3, body up to 4 by count).
//! Documents are numbered oldest first, so adding an article leaves the
//! existing record shards as they were.

use crate::diag::Diagnostic;
use crate::normalize::{self, clitic_splits};
use crate::render::context::Ctx;
use crate::render::OutFile;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use crate::normalize::hash::{WordMap, WordSet};
use std::collections::{BTreeSet, HashMap};

/// A term shard is closed once it reaches this size.
pub const TERM_SHARD_BYTES: usize = 24 * 1024;
/// Document records per record shard.
pub const RECORDS_PER_SHARD: usize = 5;
/// Characters of the summary kept as a result's snippet.
pub const SNIPPET_CHARS: usize = 200;
/// Results the page shows at a time (the records it fetches at most).
pub const RESULTS_PER_PAGE: usize = 10;

const TITLE: u8 = 1;
const NAMES: u8 = 2;
const SUMMARY: u8 = 4;

#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    fields: u8,
    body: u16,
}

impl Stat {
    fn merge(&mut self, o: Stat) {
        self.fields |= o.fields;
        self.body = self.body.saturating_add(o.body);
    }
    /// 0..=25: title 10, entity or topic name 8, summary 3, body 1-4.
    fn score(self) -> u8 {
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

fn add_text(terms: &mut WordMap<Stat>, text: &str, field: u8) {
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

/// `n` in base 36, lowercase.
fn base36(mut n: u32, out: &mut String) {
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// FNV-1a, 64 bits: file names that change when the content does.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Whether `stem`, read off a word through its clitics, is a word: one the
/// language's texts or registry use on its own, or a noun with the article.
fn known_stem(stem: &str, vocab: &WordSet) -> bool {
    vocab.contains(stem) || stem.strip_prefix(normalize::clitics::ARTICLE).is_some_and(|n| n.chars().count() >= 3)
}

#[derive(Serialize)]
struct Entry<'a> {
    version: u32,
    lang: &'a str,
    docs: usize,
    /// Document records per record shard (`search/r{n}.json`).
    per: usize,
    /// Version of the record shards, appended as `?v=` so no stale copy is used.
    rv: String,
    /// `[first term, file]` of each term shard, in UTF-16 order of the terms.
    terms: Vec<(String, String)>,
    /// Normalization tables (see `normalize::js_tables`).
    tables: serde_json::Value,
}

/// The page's context: where the script finds its index.
#[derive(Serialize)]
struct SearchView {
    /// URL of the entry point, relative to the search page.
    index: String,
    per_page: usize,
}

/// The index files of one language (paths below the output root).
fn index_files(ctx: &Ctx<'_>, lang: &str) -> Result<Vec<OutFile>, String> {
    let site = ctx.site;
    // documents oldest first: new articles append
    let docs: Vec<usize> = site.lang_articles(lang).iter().rev().copied().collect();

    // 1. the words of each document
    let per_doc: Vec<WordMap<Stat>> = docs.par_iter().map(|&i| {
        let a = &site.articles[i];
        let mut terms = WordMap::default();
        add_text(&mut terms, &a.title, TITLE);
        for t in a.topics.iter().filter_map(|id| site.registries.topic_pos(id)) {
            add_text(&mut terms, &ctx.topic_name(t, lang), NAMES);
        }
        for e in a.entities.iter().filter_map(|id| site.registries.entity_pos(id)) {
            add_text(&mut terms, &ctx.entity_name(e, lang), NAMES);
        }
        if let Some(s) = &a.summary {
            add_text(&mut terms, s, SUMMARY);
        }
        add_text(&mut terms, &site.body_text[i], 0);
        terms
    }).collect();

    // 2. the language's words, and the stems each word is also filed under
    let mut vocab: WordSet = per_doc.iter().flat_map(|d| d.keys().cloned()).collect();
    for e in &site.registries.entities {
        for name in e.names.get(lang).into_iter().chain(e.aliases.get(lang).into_iter().flatten()) {
            vocab.extend(normalize::tokens(name).into_iter().map(|t| t.text));
        }
    }
    let stems: HashMap<&str, Vec<String>> = vocab.par_iter().filter_map(|w| {
        let s: Vec<String> = clitic_splits(w).into_iter().filter(|s| known_stem(&s.stem, &vocab)).map(|s| s.stem).collect();
        (!s.is_empty()).then_some((w.as_str(), s))
    }).collect();

    // 3. postings, documents in order
    let scored: Vec<Vec<(String, u8)>> = per_doc.into_par_iter().map(|terms| {
        let mut all: WordMap<Stat> = WordMap::with_capacity_and_hasher(terms.len(), Default::default());
        for (w, st) in terms {
            for s in stems.get(w.as_str()).into_iter().flatten() {
                all.entry(s.clone()).or_default().merge(st);
            }
            all.entry(w).or_default().merge(st);
        }
        all.into_iter().map(|(w, st)| (w, st.score())).collect()
    }).collect();
    let mut postings: WordMap<(String, u32)> = WordMap::default();
    for (doc, terms) in scored.into_iter().enumerate() {
        let doc = doc as u32;
        for (w, score) in terms {
            let (p, last) = postings.entry(w).or_insert_with(|| (String::new(), 0));
            base36(doc - *last, p);
            p.push((b'A' + score.min(25)) as char);
            *last = doc;
        }
    }
    let mut terms: Vec<(String, String)> = postings.into_iter().map(|(w, (p, _))| (w, p)).collect();
    terms.sort_by(|a, b| utf16_cmp(&a.0, &b.0));

    // 4. term shards
    let mut files = Vec::new();
    let mut firsts = Vec::new();
    let mut shard: Vec<&(String, String)> = Vec::new();
    let mut size = 0;
    let flush = |shard: &mut Vec<&(String, String)>, files: &mut Vec<OutFile>, firsts: &mut Vec<(String, String)>| -> Result<(), String> {
        if shard.is_empty() {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&shard).map_err(|e| e.to_string())?;
        let name = format!("t-{:016x}.json", fnv(&bytes));
        firsts.push((shard[0].0.clone(), name.clone()));
        files.push(OutFile { path: format!("{lang}/search/{name}"), bytes });
        shard.clear();
        Ok(())
    };
    for t in &terms {
        shard.push(t);
        size += t.0.len() + t.1.len() + 6;
        if size >= TERM_SHARD_BYTES {
            flush(&mut shard, &mut files, &mut firsts)?;
            size = 0;
        }
    }
    flush(&mut shard, &mut files, &mut firsts)?;

    // 5. document records
    let mut records_hash = fnv(b"");
    for (n, chunk) in docs.chunks(RECORDS_PER_SHARD).enumerate() {
        let recs: Vec<[String; 4]> = chunk.iter().map(|&i| -> Result<[String; 4], String> {
            let a = &site.articles[i];
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
        let bytes = serde_json::to_vec(&recs).map_err(|e| e.to_string())?;
        records_hash = fnv(&[records_hash.to_le_bytes().as_slice(), &bytes].concat());
        files.push(OutFile { path: format!("{lang}/search/r{n}.json"), bytes });
    }

    let entry = Entry {
        version: 1,
        lang,
        docs: docs.len(),
        per: RECORDS_PER_SHARD,
        rv: format!("{records_hash:016x}"),
        terms: firsts,
        tables: normalize::js_tables(),
    };
    files.push(OutFile { path: format!("{lang}/search-index.json"), bytes: serde_json::to_vec(&entry).map_err(|e| e.to_string())? });
    Ok(files)
}

/// The search page of one language.
fn page(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, lang: &str) -> Result<OutFile, Diagnostic> {
    let cfg = &ctx.site.config;
    let l = cfg.language(lang).ok_or_else(|| Diagnostic::error("site.yaml", format!("unknown language {lang}")))?;
    let rel = format!("{lang}/search/");
    let title = ctx.t(lang, "search-title", &[]).map_err(|m| Diagnostic::error("i18n", m))?;
    let base = ctx.base(l, "search", &rel, title.clone(), title, ctx.other_langs(lang, |c| format!("{c}/search/")), Vec::new());
    let mut c = tera::Context::from_serialize(&base).map_err(|e| Diagnostic::error("search.html", e.to_string()))?;
    c.insert("search", &SearchView { index: "../search-index.json".into(), per_page: RESULTS_PER_PAGE });
    let html = tera.render("search.html", &c).map_err(|e| crate::render::engine::render_error(theme, "search.html", &e))?;
    Ok(OutFile { path: format!("{rel}index.html"), bytes: html.into_bytes() })
}

/// Every search file of the site: per language the page, the entry point
/// and the shards.
pub fn render_all(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme) -> Vec<Result<OutFile, Diagnostic>> {
    let langs: Vec<&str> = ctx.site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let mut out = Vec::new();
    for lang in langs {
        out.push(page(ctx, tera, theme, lang));
        match index_files(ctx, lang) {
            Ok(files) => out.extend(files.into_iter().map(Ok)),
            Err(msg) => out.push(Err(Diagnostic::error("i18n", msg))),
        }
    }
    out
}

/// Sizes of one language's index, for the build summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub lang: String,
    pub entry: usize,
    pub term_shards: usize,
    pub term_bytes: usize,
    pub largest_term_shard: usize,
    pub record_shards: usize,
    pub record_bytes: usize,
    pub largest_record_shard: usize,
}

impl IndexStats {
    /// What a one-word query downloads at most, besides the page and the
    /// script: the entry point, the word's term shard and the next one (for
    /// words it begins), and the records of one page of results.
    pub fn one_word_query_max(&self) -> usize {
        self.entry + 2 * self.largest_term_shard + RESULTS_PER_PAGE.min(self.record_shards) * self.largest_record_shard
    }
}

/// Whether a file of the site (path below the output folder) is part of a
/// language's search index.
pub fn is_index_file(path: &str, langs: &[&str]) -> bool {
    langs.iter().any(|lang| path.strip_prefix(lang).is_some_and(|rest| rest == "/search-index.json" || rest.starts_with("/search/")))
}

/// The index sizes per language, from the paths and sizes of the site's files.
pub fn stats(files: &[(String, usize)], langs: &[&str]) -> Vec<IndexStats> {
    langs.iter().map(|&lang| {
        let mut s = IndexStats { lang: lang.to_string(), ..Default::default() };
        let entry = format!("{lang}/search-index.json");
        let dir = format!("{lang}/search/");
        for (path, n) in files {
            let n = *n;
            if *path == entry {
                s.entry = n;
            } else if let Some(name) = path.strip_prefix(&dir) {
                if name.starts_with("t-") {
                    s.term_shards += 1;
                    s.term_bytes += n;
                    s.largest_term_shard = s.largest_term_shard.max(n);
                } else if name.starts_with('r') && name.ends_with(".json") {
                    s.record_shards += 1;
                    s.record_bytes += n;
                    s.largest_record_shard = s.largest_record_shard.max(n);
                }
            }
        }
        s
    }).collect()
}

/// `ar 2 KiB entry + 3 term shards (40 KiB) + 2 record shards (3 KiB)` for the build summary.
pub fn summary(stats: &[IndexStats]) -> String {
    let kib = |n: usize| format!("{:.1} KiB", n as f64 / 1024.0);
    let parts: BTreeSet<String> = stats.iter().map(|s| format!(
        "{}: entry {}, {} term shards {} (largest {}), {} record shards {}; a one-word query fetches at most {} of index",
        s.lang, kib(s.entry), s.term_shards, kib(s.term_bytes), kib(s.largest_term_shard), s.record_shards, kib(s.record_bytes), kib(s.one_word_query_max()))).collect();
    parts.into_iter().collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_encode_gaps_and_scores() {
        let mut s = String::new();
        base36(0, &mut s);
        base36(35, &mut s);
        base36(36, &mut s);
        assert_eq!(s, "0z10");
        assert_eq!(Stat { fields: TITLE | NAMES | SUMMARY, body: 9 }.score(), 25);
        assert_eq!(Stat { fields: 0, body: 1 }.score(), 1);
    }

    #[test]
    fn stems_need_to_be_words() {
        let vocab: WordSet = ["ماسك".to_string()].into_iter().collect();
        assert!(known_stem("ماسك", &vocab));
        assert!(known_stem("الذكاء", &vocab), "a noun with the article");
        assert!(!known_stem("زير", &vocab), "وزير is not و + زير");
        assert!(!known_stem("الي", &vocab));
    }

    #[test]
    fn terms_sort_as_javascript_compares_them() {
        let mut v = vec!["\u{FF21}", "𝐀", "b", "ا"];
        v.sort_by(|a, b| utf16_cmp(a, b));
        assert_eq!(v, ["b", "ا", "𝐀", "\u{FF21}"]);
    }
}
