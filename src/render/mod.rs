//! Rendering: `Site` → every output file, in memory, in parallel. Pure: the
//! model, theme and strings go in, `OutFile`s come out; nothing is written.

pub mod context;
pub mod engine;
mod escape;
pub mod feeds;
pub mod filters;
mod jsonld;
pub mod meta;
mod og_tags;
mod pages;
pub mod terms;
pub mod sitemap;
mod reuse;
pub mod views;
pub mod xml;

use crate::diag::Diagnostic;
use crate::i18n::I18n;
use crate::lock;
use crate::markdown;
use crate::search::BodyWords;
use crate::site::Site;
use crate::theme::Theme;
use context::{Cards, Ctx, Htmls, PageError};
use terms::TermLinks;
pub(crate) use pages::page;
use pages::{page_parts, Made, Spare};
use rayon::prelude::*;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Path below the output folder, `/`-separated (`ar/2026/01/x/index.html`).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job<'a> {
    Root,
    Home { lang: &'a str, n: usize, total: usize },
    Article(usize),
    Topics { lang: &'a str },
    Topic { lang: &'a str, t: usize, n: usize, total: usize },
    Entities { lang: &'a str },
    Entity { lang: &'a str, e: usize, n: usize, total: usize },
    NotFound,
}

fn pages_for(count: usize, per: usize) -> usize {
    count.div_ceil(per).max(1)
}

/// Every page of the site.
pub(crate) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let per = site.config.paginate;
    let mut jobs = vec![Job::Root, Job::NotFound];
    jobs.extend((0..site.articles.len()).map(Job::Article));
    for l in &site.config.languages {
        let lang = l.code.as_str();
        let total = pages_for(site.lang_articles(lang).len(), per);
        jobs.extend((1..=total).map(|n| Job::Home { lang, n, total }));
        jobs.push(Job::Topics { lang });
        jobs.push(Job::Entities { lang });
        for t in site.used_topics() {
            let total = pages_for(site.topic_members[t].get(lang).map_or(0, Vec::len), per);
            jobs.extend((1..=total).map(|n| Job::Topic { lang, t, n, total }));
        }
        for e in site.used_entities() {
            let total = pages_for(site.entity_members[e].get(lang).map_or(0, Vec::len), per);
            jobs.extend((1..=total).map(|n| Job::Entity { lang, e, n, total }));
        }
    }
    jobs
}

/// Render the whole site into memory, files sorted by path. All template and
/// string errors are collected (each distinct one once).
pub fn render_site(site: &Site, theme: &Theme, i18n: Arc<I18n>) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    render_site_to(site, theme, i18n, &bodies(site), None, &|f| {
        lock(&files).push(f);
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every article's body rendered, in `site.articles` order: taken from the
/// articles where indexing rendered it, else rendered now.
pub fn take_bodies(site: &mut Site) -> Vec<markdown::Rendered> {
    let opts = markdown::Options { unsafe_html: site.config.unsafe_html };
    let t = std::time::Instant::now();
    let bodies = site.articles.par_iter_mut()
        .map(|a| a.prerendered.take().map_or_else(|| markdown::render(&a.body, &opts), |p| *p)).collect();
    crate::build::timing("markdown", t);
    bodies
}

/// Every article's body rendered from markdown, in `site.articles` order.
pub fn bodies(site: &Site) -> Vec<markdown::Rendered> {
    let opts = markdown::Options { unsafe_html: site.config.unsafe_html };
    let t = std::time::Instant::now();
    let bodies = site.articles.par_iter().map(|a| markdown::render(&a.body, &opts)).collect();
    crate::build::timing("markdown", t);
    bodies
}

/// What a caller of [`render_site_to`] may hand over, taken from the site
/// and the bodies, to be freed as soon as nothing still to be made needs it:
/// the body words (for the search index) and the bodies' HTML, by article.
pub struct Handed {
    pub words: Vec<BodyWords>,
    pub html: Vec<String>,
}

/// Render the whole site (with the articles' `bodies`, see [`bodies`]),
/// handing every file to `emit` as soon as it is made (from several
/// threads), so that no more than a few pages are in memory at once. Returns
/// how many files were made, or every distinct error: template and string
/// errors and `emit`'s own. `handed`: see [`Handed`]; `None`, the site's
/// and the bodies' own are read.
pub fn render_site_to(site: &Site, theme: &Theme, i18n: Arc<I18n>, bodies: &[markdown::Rendered], handed: Option<Handed>,
    emit: &(dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync)) -> Result<usize, Vec<Diagnostic>> {
    let t0 = std::time::Instant::now();
    let tera = engine::build(theme, i18n.clone())?;
    let cards = Cards::new(&tera, theme, site.articles.len());
    let (words, html) = match handed {
        Some(Handed { words, html }) => {
            let keep = feeds::shown_in_feeds(&Ctx { site, i18n: &i18n, bodies, cards: None, html: None, terms: None });
            (Some(words), Some(Htmls::new(html, keep)))
        }
        None => (None, None),
    };
    let terms = TermLinks::new(&Ctx { site, i18n: &i18n, bodies, cards: None, html: None, terms: None });
    let ctx = Ctx { site, i18n: &i18n, bodies, cards: Some(&cards), html: html.as_ref(), terms: Some(&terms) };
    crate::build::timing("prepare", t0);
    let errs: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let count = AtomicUsize::new(0);
    let take = |r: Result<OutFile, Diagnostic>| {
        match r.and_then(emit) {
            Ok(()) => {
                count.fetch_add(1, Ordering::Relaxed);
            }
            Err(d) => {
                let mut errs = lock(&errs);
                if !errs.contains(&d) {
                    errs.push(d);
                }
            }
        }
    };
    // The search index and the sitemaps are built mostly on one thread: they
    // run beside the pages and feeds, which keep the other threads busy.
    rayon::join(
        || {
            let t = std::time::Instant::now();
            crate::search::render_all(&ctx, &tera, theme, words).into_iter().for_each(&take);
            crate::build::timing("search", t);
            let t = std::time::Instant::now();
            sitemap::render_all(&ctx, &tera, theme).into_iter().for_each(&take);
            crate::build::timing("sitemaps", t);
        },
        || {
            render_pages(&ctx, &tera, theme, &take);
            let t = std::time::Instant::now();
            feeds::render_each(&ctx, &tera, theme, &take);
            crate::build::timing("feeds", t);
        },
    );
    for s in &theme.static_files {
        take(Ok(OutFile { path: s.rel.clone(), bytes: s.bytes.clone() }));
    }
    let errs = errs.into_inner().unwrap_or_else(PoisonError::into_inner);
    cards.drop_later();
    if let Some(html) = html {
        html.drop_later();
    }
    if errs.is_empty() { Ok(count.into_inner()) } else { Err(errs) }
}

/// Render every page (not feeds, sitemaps or the search index) to `take`.
fn render_pages(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, take: &(dyn Fn(Result<OutFile, Diagnostic>) + Sync)) {
    let t = std::time::Instant::now();
    let stats = crate::build::timings_on().then(|| Mutex::new(std::collections::BTreeMap::<&str, [f64; 3]>::new()));
    // each worker keeps a context per language holding what all its pages
    // share; a page's own part goes in for its rendering and out after
    // (and its last page context of each template, to write the next over)
    jobs(ctx.site).par_iter().for_each_init(|| (HashMap::<&str, tera::Context>::new(), Spare::default()), |(shared, spare), job| {
        take((|| {
            let t0 = std::time::Instant::now();
            let Made { path, template, lang, own, lent } = page_parts(ctx, *job, spare).map_err(PageError::into_diagnostic)?;
            let context = match shared.entry(lang.code.as_str()) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(ctx.shared_context(lang).map_err(|m| PageError::Message(m).into_diagnostic())?),
            };
            let keys = own.keys().to_vec();
            context.extend(own.done().map_err(|m| PageError::Message(m).into_diagnostic())?);
            let t1 = std::time::Instant::now();
            let mut bytes = Vec::with_capacity(32 * 1024);
            let rendered = tera.render_to(template, context, &mut bytes);
            let mut back = tera::Map::new();
            for k in keys {
                if let Some(v) = context.remove(k) {
                    back.insert(k.to_string(), v);
                }
            }
            lent.give_back(ctx, &mut back, false);
            spare.give(template, back);
            rendered.map_err(|e| engine::render_error(theme, template, &e))?;
            if let Some(stats) = &stats {
                let mut s = lock(stats);
                let e = s.entry(template).or_default();
                e[0] += 1.0;
                e[1] += (t1 - t0).as_secs_f64();
                e[2] += t1.elapsed().as_secs_f64();
            }
            Ok(OutFile { path, bytes })
        })());
    });
    if let Some(stats) = stats {
        for (template, [n, context, render]) in stats.into_inner().unwrap_or_else(PoisonError::into_inner) {
            eprintln!("timing:   {template:<16} {n:>7} pages: context {:>7.1} ms, template {:>7.1} ms (thread time)", context * 1e3, render * 1e3);
        }
    }
    crate::build::timing("pages", t);
}
