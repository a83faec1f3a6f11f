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
//!   Pagefind does), cut before an "anchor" term (chosen by the term's hash)
//!   once a shard holds [`TERM_SHARD_MIN`] bytes, or at [`TERM_SHARD_BYTES`],
//!   so an edit changes the shards around its terms, not every later one;
//! * `/{lang}/search/r{n}.json`: document records (URL, title, date,
//!   snippet), [`RECORDS_PER_SHARD`] per file, fetched for the results shown.
//!
//! Postings are strings: for each document, the gap from the previous
//! document id in base 36 (`0-9a-z`), then its score as one letter `A`-`Z`
//! (title 10, entity or topic name 8, summary 3, body up to 4 by count).
//! Documents are numbered oldest first, so adding an article leaves the
//! existing record shards as they were.
//!
//! [`Index`] keeps each document's words and every term's postings, so the
//! watcher updates the index after an edit instead of building it again
//! (`lang.rs`); `terms.rs` holds the words and their clitic readings.

mod lang;
mod postings;
mod terms;
pub use terms::{BodyWords, Tally, SUMMARY, TITLE};

pub use lang::File;

use crate::diag::Diagnostic;
use crate::render::context::Ctx;
use crate::render::OutFile;
use crate::theme::Theme;
use lang::LangIndex;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// A term shard is closed once it reaches this size.
pub const TERM_SHARD_BYTES: usize = 28 * 1024;
/// ... or before an anchor term (one in [`TERM_SHARD_ANCHOR`], by hash) once it holds this much.
pub const TERM_SHARD_MIN: usize = 20 * 1024;
pub const TERM_SHARD_ANCHOR: u64 = 32;
/// Document records per record shard.
pub const RECORDS_PER_SHARD: usize = 5;
/// Characters of the summary kept as a result's snippet.
pub const SNIPPET_CHARS: usize = 200;
/// Results the page shows at a time (the records it fetches at most).
pub const RESULTS_PER_PAGE: usize = 10;

/// FNV-1a, 64 bits: file names that change when the content does.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The index of every language, kept by the watcher between rebuilds.
#[derive(Debug)]
pub struct Index {
    langs: Vec<LangIndex>,
}

impl Index {
    /// Index every language of the site (in parallel).
    pub fn build(ctx: &Ctx<'_>) -> Result<Index, Diagnostic> {
        Index::build_from(ctx, &ctx.site.body_words)
    }

    /// [`Index::build`] from the body words `words` (by article).
    pub fn build_from(ctx: &Ctx<'_>, words: &[BodyWords]) -> Result<Index, Diagnostic> {
        Self::of_langs(ctx, |_| (), |lang, ()| LangIndex::build(ctx, lang, LangIndex::doc_order(ctx, lang).map(|i| &words[i]), true))
    }

    /// [`Index::build`] from the body words `words` (by article), taken
    /// from the site: each is freed as soon as its document's words are
    /// interned (they are a large part of a build's memory while the index
    /// is made), and each document's word list once it is scored. For a
    /// build that writes the index and is done with it: this index cannot
    /// be updated ([`Index::update`] answers `false`).
    pub fn build_owned(ctx: &Ctx<'_>, mut words: Vec<BodyWords>) -> Result<Index, Diagnostic> {
        // each language's words are taken out in its documents' order
        let take = |lang: &str| -> Vec<BodyWords> { LangIndex::doc_order(ctx, lang).map(|i| std::mem::take(&mut words[i])).collect() };
        Self::of_langs(ctx, take, |lang, own| LangIndex::build(ctx, lang, own.into_iter(), false))
    }

    /// Every language's index (in parallel), made by `build` from what
    /// `input` gives for the language.
    fn of_langs<T: Send>(ctx: &Ctx<'_>, mut input: impl FnMut(&str) -> T,
        build: impl Fn(&str, T) -> Result<LangIndex, String> + Sync) -> Result<Index, Diagnostic> {
        let inputs: Vec<(&str, T)> = ctx.site.config.languages.iter().map(|l| (l.code.as_str(), input(&l.code))).collect();
        let langs = inputs.into_par_iter().map(|(lang, t)| build(lang, t)).collect::<Result<_, _>>()
            .map_err(|msg| Diagnostic::error("i18n", msg))?;
        Ok(Index { langs })
    }

    /// Article `i` of `ctx.site` was edited in place (`Site::replace`):
    /// update its document. `false` when the index does not hold it where
    /// it is (build it anew).
    pub fn update(&mut self, ctx: &Ctx<'_>, i: usize) -> Result<bool, Diagnostic> {
        let lang = &ctx.site.articles[i].lang;
        let Some(ix) = self.langs.iter_mut().find(|l| l.lang() == lang) else { return Ok(false) };
        ix.update(ctx, i).map_err(|msg| Diagnostic::error("i18n", msg))
    }

    /// Every index file (not the search pages).
    pub fn files(&self) -> impl Iterator<Item = &File> {
        self.langs.iter().flat_map(LangIndex::files)
    }
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

/// The search page of one language.
fn page(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, lang: &str) -> Result<OutFile, Diagnostic> {
    let cfg = &ctx.site.config;
    let l = cfg.language(lang).ok_or_else(|| Diagnostic::error("site.yaml", format!("unknown language {lang}")))?;
    let rel = format!("{lang}/search/");
    let title = ctx.t(lang, "search-title", &[]).map_err(|m| Diagnostic::error("i18n", m))?;
    let base = ctx.base(l, "search", &rel, title.clone(), title, ctx.other_langs(lang, |c| format!("{c}/search/")), Vec::new());
    let mut c = ctx.shared_context(l).map_err(|e| Diagnostic::error("search.html", e))?;
    c.extend(tera::Context::from_serialize(&base).map_err(|e| Diagnostic::error("search.html", e.to_string()))?);
    c.insert("search", &SearchView { index: "../search-index.json".into(), per_page: RESULTS_PER_PAGE });
    let html = tera.render("search.html", &c).map_err(|e| crate::render::engine::render_error(theme, "search.html", &e))?;
    Ok(OutFile { path: format!("{rel}index.html"), bytes: html.into_bytes() })
}

/// The search page of every language.
pub fn pages(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme) -> Vec<Result<OutFile, Diagnostic>> {
    ctx.site.config.languages.iter().map(|l| page(ctx, tera, theme, &l.code)).collect()
}

/// Every search file of the site: per language the page, the entry point
/// and the shards.
///
/// `words`: the body words to index when the caller took them from the site
/// (each is freed as soon as its document's words are interned, while the
/// pages are still being made); `None`: the site's own.
pub fn render_all(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, words: Option<Vec<BodyWords>>) -> Vec<Result<OutFile, Diagnostic>> {
    let mut out = pages(ctx, tera, theme);
    let built = match words {
        Some(words) => Index::build_owned(ctx, words),
        None => Index::build_from(ctx, &ctx.site.body_words),
    };
    match built {
        Ok(ix) => out.extend(ix.langs.into_iter().flat_map(LangIndex::into_files).map(|f| Ok(OutFile { path: f.path, bytes: f.bytes }))),
        Err(d) => out.push(Err(d)),
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

/// The index sizes per language, from the paths and sizes of the site's
/// files (those not of an index are passed over).
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
    use super::postings::base36;
    use super::terms::{known_stem, Stat, NAMES, SUMMARY, TITLE};
    use super::utf16_cmp;

    #[test]
    fn postings_encode_gaps_and_scores() {
        let mut s = Vec::new();
        base36(0, &mut s);
        base36(35, &mut s);
        base36(36, &mut s);
        assert_eq!(s, b"0z10");
        assert_eq!(Stat { fields: TITLE | NAMES | SUMMARY, body: 9 }.score(), 25);
        assert_eq!(Stat { fields: 0, body: 1 }.score(), 1);
    }

    #[test]
    fn stems_need_to_be_words() {
        assert!(known_stem("ماسك", true));
        assert!(known_stem("الذكاء", false), "a noun with the article");
        assert!(!known_stem("زير", false), "وزير is not و + زير");
        assert!(!known_stem("الي", false));
    }

    /// The index a build writes and drops (its word lists freed as they are
    /// scored) holds the same files as one kept for watch, and says it
    /// cannot be updated; the kept one can (the default digest).
    #[test]
    fn an_index_made_to_be_written_holds_the_same_files_and_is_not_updated() {
        use super::Index;
        use crate::render::context::Ctx;
        let opts = crate::build::BuildOptions { root: env!("CARGO_MANIFEST_DIR").into(), out: None, drafts: false, base_url: None };
        let crate::build::Loaded { mut site, i18n, .. } = crate::build::load(&opts).expect("the default digest loads");
        let bodies = crate::render::take_bodies(&mut site);
        let ctx = Ctx { site: &site, i18n: &i18n, bodies: &bodies, cards: None, html: None, terms: None };
        let mut kept = Index::build_from(&ctx, &site.body_words).unwrap();
        let mut written = Index::build_owned(&ctx, site.body_words.clone()).unwrap();
        let files = |ix: &Index| ix.files().map(|f| (f.path.clone(), f.bytes.clone())).collect::<Vec<_>>();
        assert!(files(&kept).len() > 4, "shards, records and entries of two languages");
        assert_eq!(files(&kept), files(&written));
        assert!(kept.update(&ctx, 0).unwrap(), "an article edited in place: updated");
        assert!(!written.update(&ctx, 0).unwrap(), "made anew instead");
    }

    #[test]
    fn terms_sort_as_javascript_compares_them() {
        let mut v = vec!["\u{FF21}", "𝐀", "b", "ا"];
        v.sort_by(|a, b| utf16_cmp(a, b));
        assert_eq!(v, ["b", "ا", "𝐀", "\u{FF21}"]);
    }
}
