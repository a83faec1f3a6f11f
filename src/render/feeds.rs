//! Atom 1.0 feeds (RFC 4287): `/{lang}/feed.xml` and, for every topic and
//! entity page, `/{lang}/topics/{id}/feed.xml` and `/{lang}/entities/{id}/feed.xml`,
//! each with the newest `feed_limit` articles. This module builds the feed
//! view data (ids, absolute URIs, full content with absolute URLs); the
//! theme's `atom.xml` template writes the XML.

use super::context::Ctx;
use super::meta::{feed_title, modified};
use super::{engine, xml, OutFile};
use crate::content::{Article, ArticleDate};
use crate::diag::Diagnostic;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;

/// Which articles a feed holds.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Language,
    Topic(usize),
    Entity(usize),
}

#[derive(Debug, Clone, Copy)]
struct FeedJob<'a> {
    lang: &'a str,
    scope: Scope,
}

#[derive(Debug, Serialize)]
struct Link {
    lang: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct Category {
    term: String,
    label: String,
    scheme: String,
}

#[derive(Debug, Serialize)]
struct EntryView<'c> {
    id: String,
    title: String,
    url: String,
    /// The same article in other languages (`<link rel="alternate" hreflang>`).
    translations: Vec<Link>,
    published: String,
    updated: String,
    author: String,
    summary: String,
    /// Borrowed: serializing the context copies it once.
    content_html: &'c str,
    categories: Vec<Category>,
}

#[derive(Debug, Serialize)]
struct FeedView<'c> {
    lang: String,
    title: String,
    subtitle: String,
    id: String,
    self_url: String,
    page_url: String,
    updated: String,
    author: String,
    generator_version: &'static str,
    entries: Vec<EntryView<'c>>,
}

fn feed_jobs<'a>(ctx: &Ctx<'a>) -> Vec<FeedJob<'a>> {
    let site = ctx.site;
    let mut jobs = Vec::new();
    for l in &site.config.languages {
        let lang = l.code.as_str();
        jobs.push(FeedJob { lang, scope: Scope::Language });
        jobs.extend(site.used_topics().map(|t| FeedJob { lang, scope: Scope::Topic(t) }));
        jobs.extend(site.used_entities().map(|e| FeedJob { lang, scope: Scope::Entity(e) }));
    }
    jobs
}

/// Articles of a feed, newest first (all of them; the feed takes the first
/// `feed_limit`).
fn members<'a>(ctx: &Ctx<'a>, job: FeedJob<'_>) -> &'a [usize] {
    let site = ctx.site;
    let of = |m: &'a std::collections::BTreeMap<String, Vec<usize>>| m.get(job.lang).map_or(&[][..], Vec::as_slice);
    match job.scope {
        Scope::Language => site.lang_articles(job.lang),
        Scope::Topic(t) => of(&site.topic_members[t]),
        Scope::Entity(e) => of(&site.entity_members[e]),
    }
}

/// Site-relative path of the page a feed belongs to (`en/topics/tech/`).
fn page_rel(ctx: &Ctx<'_>, job: FeedJob<'_>) -> String {
    let regs = &ctx.site.registries;
    match job.scope {
        Scope::Language => format!("{}/", job.lang),
        Scope::Topic(t) => format!("{}/topics/{}/", job.lang, regs.topics[t].id),
        Scope::Entity(e) => format!("{}/entities/{}/", job.lang, regs.entities[e].id),
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The article's HTML for a feed: its lead image and body with every URL
/// absolute, inside an element carrying its language and direction (so an
/// Arabic article reads right to left in a feed reader too).
fn content_html(ctx: &Ctx<'_>, i: usize) -> String {
    let a = &ctx.site.articles[i];
    let cfg = &ctx.site.config;
    let base = xml::abs_uri(cfg, &a.rel_url());
    let dir = cfg.language(&a.lang).map_or("ltr", |l| l.dir.as_str());
    // the body first, so that the entry is made in room for it at once
    let body = ctx.with_body_html(i, |body| xml::absolutize_html(body, &base));
    let mut html = String::with_capacity(body.len() + 512);
    html.push_str(&format!("<div lang=\"{}\" dir=\"{dir}\">", escape_html(&a.lang)));
    if let Some(img) = &a.image {
        let src = if img.src.starts_with("http://") || img.src.starts_with("https://") {
            img.src.clone()
        } else {
            xml::abs_uri(cfg, img.src.trim_start_matches('/'))
        };
        html.push_str(&format!("<p><img src=\"{}\" alt=\"{}\"></p>", escape_html(&src), escape_html(&img.alt)));
    }
    html.push_str(&body);
    html.push_str("</div>");
    html
}

/// A stable entry id: a `tag:` URI (RFC 4151) made of the site's host, the
/// article's date, language and translation key, so it survives a change of
/// slug or base path. Falls back to the permalink when the host is not a
/// plain DNS name.
fn entry_id(ctx: &Ctx<'_>, a: &Article) -> String {
    let base = &ctx.site.config.base_url;
    let host = xml::origin(base).split("://").nth(1).unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    let dns = !host.is_empty() && host.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !dns {
        return xml::abs_uri(&ctx.site.config, &a.rel_url());
    }
    format!("tag:{},{}:{}/{}", host.to_ascii_lowercase(), a.date.date().format("%Y-%m-%d"), a.lang, xml::encode_path(&a.translation_key))
}

fn entry<'c>(ctx: &Ctx<'_>, i: usize, content: &'c str) -> EntryView<'c> {
    let site = ctx.site;
    let cfg = &site.config;
    let a = &site.articles[i];
    let topics_scheme = xml::abs_uri(cfg, &format!("{}/topics/", a.lang));
    EntryView {
        id: entry_id(ctx, a),
        title: a.title.clone(),
        url: xml::abs_uri(cfg, &a.rel_url()),
        translations: site.translations[i].iter().map(|&j| Link {
            lang: site.articles[j].lang.clone(),
            url: xml::abs_uri(cfg, &site.articles[j].rel_url()),
        }).collect(),
        published: a.date.rfc3339(),
        updated: modified(a).rfc3339(),
        author: a.author.clone().unwrap_or_else(|| cfg.title.get(&a.lang, &cfg.default_language).to_string()),
        summary: ctx.summary(i),
        content_html: content,
        categories: a.topics.iter().filter_map(|id| site.registries.topic_pos(id)).map(|t| Category {
            term: site.registries.topics[t].id.clone(),
            label: ctx.topic_name(t, &a.lang),
            scheme: topics_scheme.clone(),
        }).collect(),
    }
}

fn newest_change(articles: &[Article], list: impl Iterator<Item = usize>) -> Option<&ArticleDate> {
    list.map(|i| modified(&articles[i])).max_by_key(|d| d.timestamp())
}

fn feed<'c>(ctx: &Ctx<'_>, job: FeedJob<'_>, contents: &'c [Option<String>]) -> (String, FeedView<'c>) {
    let site = ctx.site;
    let cfg = &site.config;
    let shown: Vec<usize> = members(ctx, job).iter().copied().take(cfg.feed_limit).collect();
    let name = match job.scope {
        Scope::Language => None,
        Scope::Topic(t) => Some(ctx.topic_name(t, job.lang)),
        Scope::Entity(e) => Some(ctx.entity_name(e, job.lang)),
    };
    let page = page_rel(ctx, job);
    let rel = format!("{page}feed.xml");
    // the newest change among the entries; an empty feed takes the site's newest
    let updated = newest_change(&site.articles, shown.iter().copied())
        .or_else(|| newest_change(&site.articles, 0..site.articles.len()))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), ArticleDate::rfc3339);
    let entries = shown.iter().map(|&i| entry(ctx, i, contents[i].as_deref().unwrap_or_default())).collect();
    let view = FeedView {
        lang: job.lang.to_string(),
        title: feed_title(ctx, job.lang, name.as_deref()),
        subtitle: cfg.description.get(job.lang, &cfg.default_language).to_string(),
        id: xml::abs_uri(cfg, &rel),
        self_url: xml::abs_uri(cfg, &rel),
        page_url: xml::abs_uri(cfg, &page),
        updated,
        author: cfg.title.get(job.lang, &cfg.default_language).to_string(),
        generator_version: env!("CARGO_PKG_VERSION"),
        entries,
    };
    (rel, view)
}

/// Every feed, in `render_selected`'s order: its path, language and the
/// articles it shows (what an incremental rebuild needs to tell whether it
/// changed).
pub fn list<'a>(ctx: &Ctx<'a>) -> Vec<(String, &'a str, &'a [usize])> {
    let limit = ctx.site.config.feed_limit;
    feed_jobs(ctx).into_iter().map(|job| {
        let all = members(ctx, job);
        (format!("{}feed.xml", page_rel(ctx, job)), job.lang, &all[..all.len().min(limit)])
    }).collect()
}

/// Render every feed with the theme's `atom.xml`, handing each to `emit`
/// as soon as it is made (from several threads).
pub fn render_each(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, emit: impl Fn(Result<OutFile, Diagnostic>) + Sync) {
    let (jobs, contents) = prepare(ctx, |_| true);
    jobs.par_iter().for_each(|job| emit(render_one(ctx, tera, theme, *job, &contents)));
}

/// Render the feeds whose position in `list` is selected.
pub fn render_selected(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, selected: impl Fn(usize) -> bool + Sync) -> Vec<Result<OutFile, Diagnostic>> {
    let (jobs, contents) = prepare(ctx, selected);
    jobs.par_iter().map(|job| render_one(ctx, tera, theme, *job, &contents)).collect()
}

/// The selected feeds, and the content of every article they show (each
/// computed once, and only if a feed shows it).
fn prepare<'a>(ctx: &Ctx<'a>, selected: impl Fn(usize) -> bool + Sync) -> (Vec<FeedJob<'a>>, Vec<Option<String>>) {
    let jobs: Vec<FeedJob<'_>> = feed_jobs(ctx).into_iter().enumerate().filter(|(k, _)| selected(*k)).map(|(_, j)| j).collect();
    let needed = shown(ctx, &jobs);
    let contents = needed.par_iter().enumerate().map(|(i, &needed)| needed.then(|| content_html(ctx, i))).collect();
    (jobs, contents)
}

/// By article: whether one of the feeds `jobs` shows it.
fn shown(ctx: &Ctx<'_>, jobs: &[FeedJob<'_>]) -> Vec<bool> {
    let mut needed = vec![false; ctx.site.articles.len()];
    for job in jobs {
        for &i in members(ctx, *job).iter().take(ctx.site.config.feed_limit) {
            needed[i] = true;
        }
    }
    needed
}

/// By article: whether some feed of the site shows it.
pub fn shown_in_feeds(ctx: &Ctx<'_>) -> Vec<bool> {
    shown(ctx, &feed_jobs(ctx))
}

fn render_one(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, job: FeedJob<'_>, contents: &[Option<String>]) -> Result<OutFile, Diagnostic> {
    let (path, view) = feed(ctx, job, contents);
    // room for the escaped contents (an eighth longer: the markup's
    // escapes) and the rest, so the buffer is not grown and copied (the
    // feeds of a 10,000-pair build fill 84 to 91% of it)
    let room = view.entries.iter().map(|e| e.content_html.len() * 9 / 8 + 1536).sum::<usize>() + 4096;
    let mut c = tera::Context::new();
    c.insert("feed", &view);
    let mut bytes = Vec::with_capacity(room);
    tera.render_to("atom.xml", &c, &mut bytes).map_err(|e| engine::render_error(theme, "atom.xml", &e))?;
    Ok(OutFile { path, bytes })
}
