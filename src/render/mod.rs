//! Rendering: `Site` → every output file, in memory, in parallel. Pure: the
//! model, theme and strings go in, `OutFile`s come out; nothing is written.

pub mod context;
pub mod engine;
pub mod feeds;
pub mod filters;
mod jsonld;
pub mod meta;
pub mod sitemap;
pub mod views;
pub mod xml;

use crate::diag::Diagnostic;
use crate::i18n::I18n;
use crate::lock;
use crate::markdown;
use crate::registry::EntityKind;
use crate::site::Site;
use crate::theme::Theme;
use context::{page_rel, Cards, Ctx, PageError};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use views::*;

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
    render_site_to(site, theme, i18n, &bodies(site), &|f| {
        lock(&files).push(f);
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Every article's body rendered, in `site.articles` order: taken from the
/// articles where loading rendered it, else rendered now.
pub fn take_bodies(site: &mut Site) -> Vec<markdown::Rendered> {
    let opts = markdown::Options { unsafe_html: site.config.unsafe_html };
    let t = std::time::Instant::now();
    let bodies = site.articles.par_iter_mut()
        .map(|a| a.prerendered.take().map_or_else(|| markdown::render(&a.body, &opts), |p| p.0)).collect();
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

/// Render the whole site (with the articles' `bodies`, see [`bodies`]),
/// handing every file to `emit` as soon as it is made (from several
/// threads), so that no more than a few pages are in memory at once. Returns
/// how many files were made, or every distinct error: template and string
/// errors and `emit`'s own.
pub fn render_site_to(site: &Site, theme: &Theme, i18n: Arc<I18n>, bodies: &[markdown::Rendered], emit: &(dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync)) -> Result<usize, Vec<Diagnostic>> {
    let tera = engine::build(theme, i18n.clone())?;
    let cards = Cards::new(&tera, theme, site.articles.len());
    let ctx = Ctx { site, i18n: &i18n, bodies, cards: Some(&cards) };
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
            crate::search::render_all(&ctx, &tera, theme).into_iter().for_each(&take);
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
    if errs.is_empty() { Ok(count.into_inner()) } else { Err(errs) }
}

/// Render every page (not feeds, sitemaps or the search index) to `take`.
fn render_pages(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, take: &(dyn Fn(Result<OutFile, Diagnostic>) + Sync)) {
    let t = std::time::Instant::now();
    let stats = crate::build::timings_on().then(|| Mutex::new(std::collections::BTreeMap::<&str, [f64; 3]>::new()));
    // each worker keeps a context per language holding what all its pages
    // share; a page's own part goes in for its rendering and out after
    jobs(ctx.site).par_iter().for_each_init(HashMap::<&str, tera::Context>::new, |shared, job| {
        take((|| {
            let t0 = std::time::Instant::now();
            let Made { path, template, lang, own, lent } = page_parts(ctx, *job).map_err(PageError::into_diagnostic)?;
            let context = match shared.entry(lang.code.as_str()) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(ctx.shared_context(lang).map_err(|m| PageError::Message(m).into_diagnostic())?),
            };
            let keys: Vec<String> = own.0.keys().cloned().collect();
            context.extend(own.done().map_err(|m| PageError::Message(m).into_diagnostic())?);
            let t1 = std::time::Instant::now();
            let mut bytes = Vec::with_capacity(32 * 1024);
            let rendered = tera.render_to(template, context, &mut bytes);
            let mut back = tera::Map::new();
            for k in keys {
                if let Some(v) = context.remove(&k) {
                    back.insert(k, v);
                }
            }
            lent.give_back(ctx, &mut back, false);
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

/// A page's template context, built as one JSON object and handed to Tera
/// whole: `tera::Context::insert` serializes every value it is given again,
/// and a list page's cards are already values (see `context::Cards`).
struct PageCtx(tera::Map<String, tera::Value>);

impl PageCtx {
    fn new(base: &Base) -> Result<PageCtx, String> {
        match tera::to_value(base) {
            Ok(tera::Value::Object(map)) => Ok(PageCtx(map)),
            Ok(_) => Err("internal error: the base context is not an object".to_string()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn put<T: Serialize>(&mut self, key: &str, v: &T) -> Result<(), String> {
        self.0.insert(key.to_string(), tera::to_value(v).map_err(|e| e.to_string())?);
        Ok(())
    }

    /// Cards lent by the card cache.
    fn put_cards(&mut self, key: &str, cards: Vec<tera::Value>) {
        self.0.insert(key.to_string(), tera::Value::Array(cards));
    }

    fn done(self) -> Result<tera::Context, String> {
        tera::Context::from_value(tera::Value::Object(self.0)).map_err(|e| e.to_string())
    }
}

/// Output path, template name and context of one page.
pub(crate) fn page(ctx: &Ctx<'_>, job: Job<'_>) -> Result<(String, &'static str, tera::Context), PageError> {
    let Made { path, template, lang, mut own, lent } = page_parts(ctx, job)?;
    // the context keeps its cards: copies go back to the cache
    lent.give_back(ctx, &mut own.0, true);
    let mut context = ctx.shared_context(lang)?;
    context.extend(own.done()?);
    Ok((path, template, context))
}

/// One page, not rendered yet: its output path, its template, its
/// language (whose [`Ctx::shared`] part its context also holds) and the
/// part of its context that is its own.
struct Made<'s> {
    path: String,
    template: &'static str,
    lang: &'s crate::config::Language,
    own: PageCtx,
    lent: Lent,
}

/// The cards a page's own context holds, lent by the card cache (see
/// [`context::Cards`]), by article: a list page's `articles` or an article's
/// `article.related`.
enum Lent {
    Nothing,
    List(Vec<usize>),
    Related(Vec<usize>),
}

impl Lent {
    /// Hand the cards back from a page's own context values (moved out, or
    /// with `copy` copied).
    fn give_back(&self, ctx: &Ctx<'_>, own: &mut tera::Map<String, tera::Value>, copy: bool) {
        let (cards, which) = match self {
            Lent::Nothing => return,
            Lent::List(which) => (own.get_mut("articles"), which),
            Lent::Related(which) => (own.get_mut("article").and_then(|a| a.get_mut("related")), which),
        };
        let Some(tera::Value::Array(cards)) = cards else { return };
        for (&i, card) in which.iter().zip(cards.iter_mut()) {
            ctx.give_back_card(i, if copy { card.clone() } else { std::mem::take(card) });
        }
    }
}

fn page_parts<'s>(ctx: &Ctx<'s>, job: Job<'_>) -> Result<Made<'s>, PageError> {
    let site = ctx.site;
    let cfg = &site.config;
    let lang_of = move |code: &str| cfg.language(code).ok_or_else(|| format!("unknown language {code}"));
    let def = cfg.language(&cfg.default_language).ok_or_else(|| "no default language".to_string())?;
    let home_base = |code: &str, rel: &str, canonical_rel: &str| -> Result<Base, String> {
        let l = lang_of(code)?;
        let mut b = ctx.base(l, "home", rel, cfg.title.get(code, &cfg.default_language).to_string(),
            cfg.description.get(code, &cfg.default_language).to_string(),
            ctx.other_langs(code, |c| format!("{c}/")), Vec::new());
        b.page.canonical = ctx.permalink(canonical_rel);
        b.page.og.url = b.page.canonical.clone();
        Ok(b)
    };
    let with_base = PageCtx::new;

    match job {
        Job::Root | Job::Home { .. } => {
            let (code, n, total, rel) = match job {
                Job::Home { lang, n, total } => (lang, n, total, page_rel(&format!("{lang}/"), n)),
                _ => (def.code.as_str(), 1, pages_for(site.lang_articles(&def.code).len(), cfg.paginate), String::new()),
            };
            let first = format!("{code}/");
            let canonical = if rel.is_empty() { first.clone() } else { rel.clone() };
            let mut base = home_base(code, &rel, &canonical)?;
            if n == 1 {
                meta::website(ctx, code, &mut base.page);
            }
            let mut c = with_base(&base)?;
            let (which, cards) = page_cards(ctx, site.lang_articles(code), n)?;
            c.put_cards("articles", cards);
            c.put("pagination", &ctx.pagination(code, &first, n, total))?;
            Ok(Made { path: format!("{rel}index.html"), template: "home.html", lang: lang_of(code)?, own: c, lent: Lent::List(which) })
        }
        Job::Article(i) => {
            let a = &site.articles[i];
            let l = lang_of(&a.lang)?;
            let alternates: Vec<LangLink> = site.translations[i].iter()
                .filter_map(|&j| cfg.language(&site.articles[j].lang).map(|tl| ctx.lang_link(tl, &site.articles[j].rel_url())))
                .collect();
            let missing: Vec<Missing> = cfg.languages.iter()
                .filter(|x| x.code != a.lang && !alternates.iter().any(|alt| alt.code == x.code))
                .map(|x| Missing { code: x.code.clone(), name: x.name.clone() })
                .collect();
            let rel = a.rel_url();
            let mut base = ctx.base(l, "article", &rel, a.title.clone(), ctx.summary(i), alternates, missing);
            let mut view = ctx.article_view(i)?;
            meta::article(ctx, i, &view, &mut base.page);
            let mut c = with_base(&base)?;
            // the body moves into the context rather than being serialized (copied)
            let body = std::mem::take(&mut view.body_html);
            c.put("article", &view)?;
            if let Some(tera::Value::Object(article)) = c.0.get_mut("article") {
                article.insert("related".to_string(), tera::Value::Array(std::mem::take(&mut view.related)));
                article.insert("body_html".to_string(), tera::Value::String(body));
            }
            Ok(Made { path: format!("{rel}index.html"), template: "article.html", lang: l, own: c, lent: Lent::Related(site.related[i].clone()) })
        }
        Job::Topics { lang } => {
            let l = lang_of(lang)?;
            let rel = format!("{lang}/topics/");
            let title = ctx.t(lang, "topics-title", &[])?;
            let base = ctx.base(l, "topics", &rel, title.clone(), title, ctx.other_langs(lang, |c| format!("{c}/topics/")), Vec::new());
            let mut topics: Vec<TopicView> = site.used_topics().map(|t| topic_view(ctx, lang, t)).collect::<Result<_, _>>()?;
            topics.sort_by(|a, b| a.name.cmp(&b.name));
            let mut c = with_base(&base)?;
            c.put("topics", &topics)?;
            Ok(Made { path: format!("{rel}index.html"), template: "topics.html", lang: l, own: c, lent: Lent::Nothing })
        }
        Job::Topic { lang, t, n, total } => {
            let view = topic_view(ctx, lang, t)?;
            let term = Term { section: "topics", kind: "topic", template: "topic.html", id: &view.id, name: &view.name, count: &view.count_display,
                members: site.topic_members[t].get(lang).map_or(&[][..], Vec::as_slice) };
            term_page(ctx, lang_of(lang)?, term, n, total, &view, |_| {})
        }
        Job::Entities { lang } => {
            let l = lang_of(lang)?;
            let rel = format!("{lang}/entities/");
            let title = ctx.t(lang, "entities-title", &[])?;
            let base = ctx.base(l, "entities", &rel, title.clone(), title, ctx.other_langs(lang, |c| format!("{c}/entities/")), Vec::new());
            let mut groups = Vec::new();
            for kind in EntityKind::ALL {
                let mut entities: Vec<EntityView> = site.used_entities()
                    .filter(|&e| site.registries.entities[e].kind == kind)
                    .map(|e| entity_view(ctx, lang, e)).collect::<Result<_, _>>()?;
                if entities.is_empty() {
                    continue;
                }
                entities.sort_by(|a, b| a.name.cmp(&b.name));
                let label = ctx.t(lang, &format!("entity-group-{}", kind.as_str()), &[])?;
                groups.push(EntityGroup { kind: kind.as_str(), label, entities });
            }
            let mut c = with_base(&base)?;
            c.put("entity_groups", &groups)?;
            Ok(Made { path: format!("{rel}index.html"), template: "entities.html", lang: l, own: c, lent: Lent::Nothing })
        }
        Job::Entity { lang, e, n, total } => {
            let view = entity_view(ctx, lang, e)?;
            let term = Term { section: "entities", kind: "entity", template: "entity.html", id: &view.id, name: &view.name, count: &view.count_display,
                members: site.entity_ranked[e].get(lang).map_or(&[][..], Vec::as_slice) };
            term_page(ctx, lang_of(lang)?, term, n, total, &view, |page| meta::entity(ctx, lang, e, page))
        }
        Job::NotFound => {
            let code = def.code.as_str();
            let title = ctx.t(code, "not-found-title", &[])?;
            let base = ctx.base(def, "not_found", "404.html", title.clone(), title, Vec::new(), Vec::new());
            Ok(Made { path: "404.html".to_string(), template: "404.html", lang: def, own: with_base(&base)?, lent: Lent::Nothing })
        }
    }
}

/// The articles of page `n` (1-based) of a list of articles, and their
/// cards, lent (see [`context::Cards`]).
fn page_cards(ctx: &Ctx<'_>, all: &[usize], n: usize) -> Result<(Vec<usize>, Vec<tera::Value>), PageError> {
    let per = ctx.site.config.paginate;
    let which: Vec<usize> = all.iter().skip((n - 1) * per).take(per).copied().collect();
    let cards = which.iter().map(|&i| ctx.lend_card(i)).collect::<Result<_, _>>()?;
    Ok((which, cards))
}

/// What a topic or an entity page is made of, besides its own view.
struct Term<'v> {
    /// `topics` or `entities`: the URL's section.
    section: &'static str,
    /// `topic` or `entity`: the page kind and its view's name in the context.
    kind: &'static str,
    template: &'static str,
    id: &'v str,
    name: &'v str,
    count: &'v str,
    /// The articles listed, in order.
    members: &'v [usize],
}

/// Page `n` of `total` of a topic's or entity's articles in `l`'s language:
/// the term's view, its cards and pagination, and its feed linked first;
/// `meta` adds to the page's metadata.
fn term_page<'s>(ctx: &Ctx<'s>, l: &'s crate::config::Language, term: Term<'_>, n: usize, total: usize, view: &impl Serialize,
    meta: impl FnOnce(&mut PageView)) -> Result<Made<'s>, PageError> {
    let lang = l.code.as_str();
    let (section, id) = (term.section, term.id);
    let first = format!("{lang}/{section}/{id}/");
    let rel = page_rel(&first, n);
    let mut base = ctx.base(l, term.kind, &rel, term.name.to_string(), term.count.to_string(),
        ctx.other_langs(lang, |c| format!("{c}/{section}/{id}/")), Vec::new());
    base.page.feeds.insert(0, meta::term_feed(ctx, lang, &first, term.name));
    meta(&mut base.page);
    let mut c = PageCtx::new(&base)?;
    c.put(term.kind, view)?;
    let (which, cards) = page_cards(ctx, term.members, n)?;
    c.put_cards("articles", cards);
    c.put("pagination", &ctx.pagination(lang, &first, n, total))?;
    Ok(Made { path: format!("{rel}index.html"), template: term.template, lang: l, own: c, lent: Lent::List(which) })
}

fn topic_view(ctx: &Ctx<'_>, lang: &str, t: usize) -> Result<TopicView, String> {
    let count = ctx.site.topic_members[t].get(lang).map_or(0, Vec::len);
    let id = ctx.site.registries.topics[t].id.clone();
    Ok(TopicView {
        name: ctx.topic_name(t, lang),
        url: ctx.url(&format!("{lang}/topics/{id}/")),
        id,
        count,
        count_display: ctx.count_display(lang, count)?,
    })
}

fn entity_view(ctx: &Ctx<'_>, lang: &str, e: usize) -> Result<EntityView, String> {
    let count = ctx.site.entity_members[e].get(lang).map_or(0, Vec::len);
    let ent = &ctx.site.registries.entities[e];
    Ok(EntityView {
        id: ent.id.clone(),
        name: ctx.entity_name(e, lang),
        kind: ent.kind.as_str(),
        kind_label: ctx.kind_label(lang, ent.kind)?,
        url: ctx.url(&format!("{lang}/entities/{}/", ent.id)),
        count,
        count_display: ctx.count_display(lang, count)?,
    })
}
