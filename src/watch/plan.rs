//! Incremental rendering: every output file gets a key, a hash of everything
//! its bytes are made from, and only files whose key is not already on disk
//! are rendered. Keys are derived from the `Site` index and from versions of
//! the sources (an article's file, the strings of a language, the shared
//! inputs) without building any page context, so that finding the few pages
//! an edit touches costs microseconds per page. A page kind without a
//! precise key here falls back to hashing its whole template context.

use crate::diag::Diagnostic;
use crate::i18n::I18n;
use crate::markdown::Rendered;
use crate::render::context::Ctx;
use crate::render::{self, engine, Job, OutFile};
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// What the output folder holds since the last good build: key → paths of
/// the files written from it (one for a page; a group for the sitemaps).
pub type Record = HashMap<u64, Vec<String>>;

/// Versions of inputs that many pages share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Versions {
    /// Config, registries and build options: a change re-renders everything.
    pub common: u64,
    /// Per template: its version with the templates it uses
    /// (`theme::template_versions`); a page's key has its templates'.
    pub templates: HashMap<String, u64>,
    /// Per language: its strings and the default language's (the fallback).
    pub langs: HashMap<String, u64>,
    /// Every language's strings.
    pub all_langs: u64,
}

/// A loaded site ready to render, with the versions of its sources.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub tera: &'a tera::Tera,
    pub i18n: &'a I18n,
    /// One per article of `site`, in the same order.
    pub bodies: &'a [Rendered],
    /// One per article of `site`: the version of its source file.
    pub articles: &'a [u64],
    pub versions: &'a Versions,
    /// The search index of `site`.
    pub search: &'a crate::search::Index,
    /// The sitemap parts' keys of the last plan, when the caller knows no
    /// URL, date, translation or topic or entity membership changed since.
    pub sitemap_parts: Option<&'a HashMap<String, u64>>,
}

/// The outcome of an incremental render.
#[derive(Debug, Default)]
pub struct Plan {
    /// The key of every file (or group of files) of the site as it is now.
    pub live: HashSet<u64>,
    /// Files whose key is new (their bytes may still equal what is on disk).
    pub files: Vec<OutFile>,
    /// The new keys and their paths.
    pub added: Vec<(u64, Vec<String>)>,
    /// Paths the site no longer produces.
    pub removed: Vec<String>,
    /// Pages rendered with a template.
    pub rendered: usize,
    /// The key of each sitemap part (by file name).
    pub sitemap_parts: HashMap<String, u64>,
}

impl Plan {
    fn add(&mut self, old: &Record, key: u64, file: impl FnOnce() -> OutFile) {
        if self.live.insert(key) && !old.contains_key(&key) {
            let file = file();
            self.added.push((key, vec![file.path.clone()]));
            self.files.push(file);
        }
    }

    /// Bring `record` up to date once the plan is written.
    pub fn commit(self, record: &mut Record) {
        record.retain(|k, _| self.live.contains(k));
        record.extend(self.added);
    }
}

pub fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Article `per`-slice `n` (1-based) of a list.
fn slice(all: &[usize], n: usize, per: usize) -> &[usize] {
    let from = ((n - 1) * per).min(all.len());
    &all[from..(from + per).min(all.len())]
}

/// The versions of the named templates, for a key.
fn templates_version(inp: &Inputs<'_>, names: &[&str]) -> u64 {
    hash_of(&names.iter().map(|n| inp.versions.templates.get(*n).copied().unwrap_or(0)).collect::<Vec<_>>())
}

fn lang_version(inp: &Inputs<'_>, lang: &str) -> u64 {
    inp.versions.langs.get(lang).copied().unwrap_or(inp.versions.all_langs)
}

/// The key of one page, from the index and the source versions; `None` for
/// a kind this module does not know (its context is hashed instead).
fn job_key(inp: &Inputs<'_>, job: &Job<'_>) -> Option<u64> {
    let site = inp.site;
    let per = site.config.paginate;
    let mut h = DefaultHasher::new();
    inp.versions.common.hash(&mut h);
    let versions = |list: &[usize], h: &mut DefaultHasher| {
        list.len().hash(h);
        for &i in list {
            inp.articles[i].hash(h);
        }
    };
    let members = |m: &std::collections::BTreeMap<String, Vec<usize>>, lang: &str| m.get(lang).map_or(0, Vec::len);
    // every list of cards and an article's related cards carry card.html's output
    let used: &[&str] = match *job {
        Job::Root | Job::Home { .. } => &["home.html", "card.html"],
        Job::Article(_) => &["article.html", "card.html"],
        Job::Topics { .. } => &["topics.html"],
        Job::Topic { .. } => &["topic.html", "card.html"],
        Job::Entities { .. } => &["entities.html"],
        Job::Entity { .. } => &["entity.html", "card.html"],
        Job::NotFound => &["404.html"],
    };
    templates_version(inp, used).hash(&mut h);
    #[allow(unreachable_patterns)]
    let lang = match *job {
        Job::Root => {
            let def = site.config.default_language.as_str();
            let all = site.lang_articles(def);
            ("root", all.len().div_ceil(per).max(1)).hash(&mut h);
            versions(slice(all, 1, per), &mut h);
            def
        }
        Job::Home { lang, n, total } => {
            ("home", lang, n, total).hash(&mut h);
            versions(slice(site.lang_articles(lang), n, per), &mut h);
            lang
        }
        Job::Article(i) => {
            "article".hash(&mut h);
            versions(&[i], &mut h);
            versions(&site.translations[i], &mut h);
            versions(&site.related[i], &mut h);
            site.articles[i].lang.as_str()
        }
        Job::Topics { lang } => {
            ("topics", lang).hash(&mut h);
            for t in site.used_topics() {
                (t, members(&site.topic_members[t], lang)).hash(&mut h);
            }
            lang
        }
        Job::Topic { lang, t, n, total } => {
            let list = site.topic_members[t].get(lang).map_or(&[][..], Vec::as_slice);
            ("topic", lang, t, n, total, list.len()).hash(&mut h);
            versions(slice(list, n, per), &mut h);
            lang
        }
        Job::Entities { lang } => {
            ("entities", lang).hash(&mut h);
            for e in site.used_entities() {
                (e, members(&site.entity_members[e], lang)).hash(&mut h);
            }
            lang
        }
        Job::Entity { lang, e, n, total } => {
            let list = site.entity_ranked[e].get(lang).map_or(&[][..], Vec::as_slice);
            ("entity", lang, e, n, total, list.len()).hash(&mut h);
            versions(slice(list, n, per), &mut h);
            lang
        }
        Job::NotFound => {
            ("404", inp.versions.all_langs).hash(&mut h);
            return Some(h.finish());
        }
        _ => return None,
    };
    lang_version(inp, lang).hash(&mut h);
    Some(h.finish())
}

/// Fallback key: the template, the path and the whole context.
fn context_key(inp: &Inputs<'_>, template: &str, path: &str, context: &tera::Context) -> u64 {
    struct HashWriter(DefaultHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(DefaultHasher::new());
    ("context", inp.versions.common, inp.versions.all_langs, template, templates_version(inp, &[template, "card.html"]), path).hash(&mut w.0);
    // a context that cannot be serialized gets a key of its own: always rendered
    if serde_json::to_writer(&mut w, &context.clone().into_json()).is_err() {
        return 0;
    }
    w.0.finish()
}

/// A page rendered, or known to be on disk already.
enum Done {
    Kept(u64),
    Rendered(u64, OutFile),
}

fn render_job(inp: &Inputs<'_>, ctx: &Ctx<'_>, old: &Record, job: Job<'_>) -> Result<Done, Diagnostic> {
    let key = job_key(inp, &job);
    if let Some(k) = key.filter(|k| old.contains_key(k)) {
        return Ok(Done::Kept(k));
    }
    let (path, template, context) = render::page(ctx, job).map_err(render::context::PageError::into_diagnostic)?;
    let key = match key {
        Some(k) => k,
        None => {
            let k = context_key(inp, template, &path, &context);
            if k != 0 && old.get(&k).is_some_and(|p| p.as_slice() == [path.as_str()]) {
                return Ok(Done::Kept(k));
            }
            k
        }
    };
    let html = inp.tera.render(template, &context).map_err(|e| engine::render_error(inp.theme, template, &e))?;
    Ok(Done::Rendered(key, OutFile { path, bytes: html.into_bytes() }))
}

/// Render what changed since `old`. Errors are every distinct render error
/// met (only the pages rendered are looked at).
pub fn render_changed(inp: &Inputs<'_>, old: &Record) -> Result<Plan, Vec<Diagnostic>> {
    let t = std::time::Instant::now();
    let cards = render::context::Cards::new(inp.tera, inp.theme, inp.site.articles.len());
    let terms = crate::render::terms::TermLinks::new(&Ctx { site: inp.site, i18n: inp.i18n, bodies: inp.bodies, cards: None, html: None, terms: None });
    let ctx = Ctx { site: inp.site, i18n: inp.i18n, bodies: inp.bodies, cards: Some(&cards), html: None, terms: Some(&terms) };
    let jobs = render::jobs(inp.site);
    let results: Vec<Result<Done, Diagnostic>> = jobs.par_iter().map(|&job| render_job(inp, &ctx, old, job)).collect();
    let mut plan = Plan::default();
    let mut errs: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(Done::Kept(k)) => {
                plan.live.insert(k);
            }
            Ok(Done::Rendered(k, file)) => {
                plan.rendered += 1;
                plan.add(old, k, || file);
            }
            Err(d) if !errs.contains(&d) => errs.push(d),
            Err(_) => {}
        }
    }
    crate::build::timing("pages", t);
    let t = std::time::Instant::now();
    feeds(inp, &ctx, old, &mut plan, &mut errs);
    crate::build::timing("feeds", t);
    let t = std::time::Instant::now();
    sitemaps(inp, &ctx, &jobs, old, &mut plan, &mut errs);
    crate::build::timing("sitemaps", t);
    let t = std::time::Instant::now();
    // the search pages and index files, each keyed by its bytes (the index
    // is kept up to date by the watcher)
    for r in crate::search::pages(&ctx, inp.tera, inp.theme) {
        match r {
            Ok(f) => plan.add(old, hash_of(&("search page", &f.path, &f.bytes)), || f),
            Err(d) if !errs.contains(&d) => errs.push(d),
            Err(_) => {}
        }
    }
    for f in inp.search.files() {
        plan.add(old, hash_of(&("search", &f.path, f.hash)), || OutFile { path: f.path.clone(), bytes: f.bytes.clone() });
    }
    crate::build::timing("search", t);
    if !errs.is_empty() {
        return Err(errs);
    }
    for s in &inp.theme.static_files {
        plan.add(old, hash_of(&("static", &s.rel, &s.bytes)), || OutFile { path: s.rel.clone(), bytes: s.bytes.clone() });
    }
    let written: HashSet<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    let mut removed: Vec<String> = old.iter().filter(|(k, _)| !plan.live.contains(k)).flat_map(|(_, p)| p)
        .filter(|p| !written.contains(p.as_str())).cloned().collect();
    removed.sort();
    plan.removed = removed;
    Ok(plan)
}

/// Every feed, each keyed by the articles it shows; only new keys are rendered.
fn feeds(inp: &Inputs<'_>, ctx: &Ctx<'_>, old: &Record, plan: &mut Plan, errs: &mut Vec<Diagnostic>) {
    let site = inp.site;
    let newest = site.articles.iter().map(render::meta::modified).max_by_key(|d| d.timestamp());
    let keys: Vec<u64> = render::feeds::list(ctx).iter().map(|(path, lang, shown)| {
        let mut h = DefaultHasher::new();
        ("feed", inp.versions.common, templates_version(inp, &["atom.xml"]), lang_version(inp, lang), path, shown.len()).hash(&mut h);
        for &i in *shown {
            inp.articles[i].hash(&mut h);
            for &j in &site.translations[i] {
                inp.articles[j].hash(&mut h);
            }
        }
        if shown.is_empty() {
            newest.map(date_key).hash(&mut h);
        }
        h.finish()
    }).collect();
    let selected: Vec<bool> = keys.iter().map(|k| !old.contains_key(k)).collect();
    let mut rendered = if selected.contains(&true) {
        render::feeds::render_selected(ctx, inp.tera, inp.theme, |k| selected[k]).into_iter()
    } else {
        Vec::new().into_iter()
    };
    for (k, new) in keys.into_iter().zip(selected) {
        if !new {
            plan.live.insert(k);
            continue;
        }
        match rendered.next() {
            Some(Ok(file)) => plan.add(old, k, || file),
            Some(Err(d)) if !errs.contains(&d) => errs.push(d),
            _ => {}
        }
    }
}

pub(super) fn date_key(d: &crate::content::ArticleDate) -> (chrono::NaiveDateTime, Option<i32>, bool) {
    (d.local, d.offset.map(|o| o.local_minus_utc()), d.date_only)
}

/// The sitemap parts, each keyed by what the URLs it lists are made of
/// (the pages' paths, translations and the dates their `lastmod` comes
/// from, never the articles' text), the sitemap index by the parts, the news
/// sitemap by its articles' URLs, titles and dates. Only new keys are
/// rendered, and the URL list is only made when one is.
fn sitemaps(inp: &Inputs<'_>, ctx: &Ctx<'_>, jobs: &[Job<'_>], old: &Record, plan: &mut Plan, errs: &mut Vec<Diagnostic>) {
    use render::sitemap::URLS_PER_FILE;
    let site = inp.site;
    let common = inp.versions.common;
    let template = |name: &str| templates_version(inp, &[name]);
    let per = site.config.paginate.max(1);
    let newest = |list: &mut dyn Iterator<Item = &usize>| {
        list.map(|&i| render::meta::modified(&site.articles[i])).max_by_key(|d| d.timestamp()).map(date_key)
    };
    let page_of = |list: Option<&Vec<usize>>, n: usize| {
        newest(&mut list.map_or(&[][..], Vec::as_slice).iter().skip((n - 1) * per).take(per))
    };
    let listed: Vec<&Job<'_>> = jobs.iter().filter(|j| !matches!(j, Job::Root | Job::NotFound)).collect();
    let single = listed.len() <= URLS_PER_FILE;
    let mut keys: HashMap<String, u64> = HashMap::new();
    let known = inp.sitemap_parts.filter(|k| !k.is_empty()).cloned();
    let chunks = if known.is_some() { Vec::new() } else { listed.chunks(URLS_PER_FILE.max(1)).collect() };
    keys.extend(known.into_iter().flatten());
    let job_hash = |job: &Job<'_>| -> u64 {
        let mut h = DefaultHasher::new();
        match *job {
            Job::Root | Job::NotFound => {}
            Job::Home { lang, n, .. } => ("home", lang, n, page_of(site.by_lang.get(lang), n)).hash(&mut h),
            Job::Article(i) => {
                let a = &site.articles[i];
                // what the URL is made of (`rel_url`), without making it
                ("article", &a.lang, a.date.year(), a.date.month(), &a.slug, date_key(render::meta::modified(a))).hash(&mut h);
                for &j in &site.translations[i] {
                    let b = &site.articles[j];
                    (&b.lang, b.date.year(), b.date.month(), &b.slug).hash(&mut h);
                }
            }
            Job::Topics { lang } => ("topics", lang, newest(&mut site.lang_articles(lang).iter())).hash(&mut h),
            Job::Entities { lang } => ("entities", lang, newest(&mut site.lang_articles(lang).iter())).hash(&mut h),
            Job::Topic { lang, t, n, .. } => ("topic", lang, t, n, page_of(site.topic_members[t].get(lang), n)).hash(&mut h),
            Job::Entity { lang, e, n, .. } => ("entity", lang, e, n, page_of(site.entity_members[e].get(lang), n)).hash(&mut h),
        }
        h.finish()
    };
    for (k, chunk) in chunks.into_iter().enumerate() {
        let name = if single { "sitemap.xml".to_string() } else { format!("sitemap-{}.xml", k + 1) };
        let hashes: Vec<u64> = chunk.par_iter().map(|job| job_hash(job)).collect();
        keys.insert(name.clone(), hash_of(&("sitemap part", common, template("sitemap.xml"), &name, hashes)));
    }
    let parts = keys.len();
    plan.sitemap_parts = keys.clone();
    if parts > 1 {
        let mut all: Vec<(&String, &u64)> = keys.iter().collect();
        all.sort();
        let index = hash_of(&("sitemap index", common, template("sitemap_index.xml"), all));
        keys.insert("sitemap.xml".into(), index);
    }
    let mut h = DefaultHasher::new();
    ("news sitemap", common, template("news-sitemap.xml")).hash(&mut h);
    for i in render::sitemap::news_articles(ctx) {
        let a = &site.articles[i];
        (a.rel_url(), &a.title, &a.lang, date_key(&a.date)).hash(&mut h);
    }
    keys.insert("news-sitemap.xml".into(), h.finish());
    keys.insert("robots.txt".into(), hash_of(&("robots", common, template("robots.txt"), inp.theme.static_files.iter().any(|s| s.rel == "robots.txt"))));
    for k in keys.values().filter(|k| old.contains_key(k)) {
        plan.live.insert(*k);
    }
    let want = |name: &str| keys.get(name).is_some_and(|k| !old.contains_key(k));
    if !keys.keys().any(|name| want(name)) {
        return;
    }
    let urls = render::sitemap::entries(ctx);
    for r in render::sitemap::render_some(ctx, inp.tera, inp.theme, &urls, &want) {
        match r {
            Ok(file) => match keys.get(&file.path) {
                Some(&k) => plan.add(old, k, || file),
                None => plan.files.push(file),
            },
            Err(d) if !errs.contains(&d) => errs.push(d),
            Err(_) => {}
        }
    }
}
