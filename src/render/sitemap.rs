//! `/sitemap.xml` (sitemaps.org: every indexable page with `lastmod` and
//! `xhtml:link` hreflang alternates, `x-default` on the default language's
//! version; split under a sitemap index past `URLS_PER_FILE`),
//! `/news-sitemap.xml` (Google News: the articles of the last
//! `news_window_days` before the newest one) and `/robots.txt`. View data is
//! built here; the theme's `sitemap.xml`, `sitemap_index.xml`,
//! `news-sitemap.xml` and `robots.txt` templates write the files.

use super::context::{page_rel, Ctx};
use super::meta::modified;
use super::{engine, jobs, xml, Job, OutFile};
use crate::content::ArticleDate;
use crate::diag::Diagnostic;
use crate::theme::Theme;
use serde::Serialize;

/// URLs per sitemap file. The protocol allows 50,000 and 50 MB; with an
/// alternate link per language an entry can be long, so stay well below.
pub const URLS_PER_FILE: usize = 25_000;

/// Google News reads at most 1,000 URLs from one news sitemap.
const NEWS_MAX: usize = 1_000;

#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    pub alternates: Vec<Alternate>,
}

#[derive(Debug, Clone, Serialize)]
struct SitemapRef {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct NewsEntry {
    loc: String,
    publication: String,
    language: String,
    publication_date: String,
    title: String,
}

/// The latest change among some articles, as written (W3C datetime).
fn lastmod(ctx: &Ctx<'_>, list: impl Iterator<Item = usize>) -> Option<String> {
    list.map(|i| modified(&ctx.site.articles[i])).max_by_key(|d| d.timestamp()).map(ArticleDate::iso)
}

/// The page list of a paginated listing, page `n`.
fn slice(all: &[usize], n: usize, per: usize) -> impl Iterator<Item = usize> + '_ {
    all.iter().copied().skip((n - 1) * per).take(per)
}

/// Every indexable page: site-relative path, its versions in every language
/// (code, path) when it has any, and the articles it shows (for `lastmod`).
/// The root and the 404 page are left out: the root's canonical URL is the
/// default language's home, and a sitemap lists canonical URLs only.
pub fn entries(ctx: &Ctx<'_>) -> Vec<UrlEntry> {
    let site = ctx.site;
    let cfg = &site.config;
    let per = cfg.paginate;
    let every_lang = |rel_of: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
        cfg.languages.iter().map(|l| (l.code.clone(), rel_of(&l.code))).collect()
    };
    let mut out = Vec::new();
    for job in jobs(site) {
        let (rel, group, lm): (String, Vec<(String, String)>, Option<String>) = match job {
            Job::Root | Job::NotFound => continue,
            Job::Home { lang, n, .. } => {
                let group = if n == 1 { every_lang(&|c| format!("{c}/")) } else { Vec::new() };
                (page_rel(&format!("{lang}/"), n), group, lastmod(ctx, slice(site.lang_articles(lang), n, per)))
            }
            Job::Article(i) => {
                let a = &site.articles[i];
                let mut group: Vec<(String, String)> = std::iter::once(i).chain(site.translations[i].iter().copied())
                    .map(|j| (site.articles[j].lang.clone(), site.articles[j].rel_url())).collect();
                if group.len() == 1 {
                    group.clear();
                }
                (a.rel_url(), group, Some(modified(a).iso()))
            }
            Job::Topics { lang } => (format!("{lang}/topics/"), every_lang(&|c| format!("{c}/topics/")), lastmod(ctx, site.lang_articles(lang).iter().copied())),
            Job::Entities { lang } => (format!("{lang}/entities/"), every_lang(&|c| format!("{c}/entities/")), lastmod(ctx, site.lang_articles(lang).iter().copied())),
            Job::Topic { lang, t, n, .. } => {
                let id = &site.registries.topics[t].id;
                let members = site.topic_members[t].get(lang).map_or(&[][..], Vec::as_slice);
                let group = if n == 1 { every_lang(&|c| format!("{c}/topics/{id}/")) } else { Vec::new() };
                (page_rel(&format!("{lang}/topics/{id}/"), n), group, lastmod(ctx, slice(members, n, per)))
            }
            Job::Entity { lang, e, n, .. } => {
                let id = &site.registries.entities[e].id;
                let members = site.entity_members[e].get(lang).map_or(&[][..], Vec::as_slice);
                let group = if n == 1 { every_lang(&|c| format!("{c}/entities/{id}/")) } else { Vec::new() };
                (page_rel(&format!("{lang}/entities/{id}/"), n), group, lastmod(ctx, slice(members, n, per)))
            }
        };
        out.push(UrlEntry { loc: xml::abs_uri(cfg, &rel), lastmod: lm, alternates: alternates(ctx, group) });
    }
    out
}

/// `xhtml:link` alternates of a translation group, in `site.yaml`'s language
/// order, then `x-default` → the default language's version when there is one.
fn alternates(ctx: &Ctx<'_>, mut group: Vec<(String, String)>) -> Vec<Alternate> {
    let cfg = &ctx.site.config;
    group.sort_by_key(|(code, _)| cfg.languages.iter().position(|l| &l.code == code).unwrap_or(usize::MAX));
    let mut out: Vec<Alternate> = group.iter().map(|(code, rel)| Alternate { hreflang: code.clone(), href: xml::abs_uri(cfg, rel) }).collect();
    if let Some((_, rel)) = group.iter().find(|(code, _)| code == &cfg.default_language) {
        out.push(Alternate { hreflang: "x-default".into(), href: xml::abs_uri(cfg, rel) });
    }
    out
}

/// Language code as Google News wants it: ISO 639 (`ar`, `en`), except
/// `zh-cn` and `zh-tw`.
pub fn news_language(code: &str) -> String {
    let lower = code.to_ascii_lowercase().replace('_', "-");
    if lower == "zh-cn" || lower == "zh-tw" {
        return lower;
    }
    lower.split('-').next().unwrap_or(&lower).to_string()
}

/// The articles of the news sitemap: published at most `news_window_days`
/// days before the newest article (not before "now": a build must not
/// depend on the clock), newest first, at most 1,000.
pub fn news_articles(ctx: &Ctx<'_>) -> Vec<usize> {
    let site = ctx.site;
    let Some(newest) = site.articles.iter().map(|a| a.date.timestamp()).max() else { return Vec::new() };
    let from = newest - i64::try_from(site.config.news_window_days).unwrap_or(i64::MAX / 2).saturating_mul(86_400);
    (0..site.articles.len()).filter(|&i| site.articles[i].date.timestamp() >= from).take(NEWS_MAX).collect()
}

fn news_entries(ctx: &Ctx<'_>) -> Vec<NewsEntry> {
    let cfg = &ctx.site.config;
    news_articles(ctx).into_iter().map(|i| {
        let a = &ctx.site.articles[i];
        NewsEntry {
            loc: xml::abs_uri(cfg, &a.rel_url()),
            publication: cfg.title.get(&a.lang, &cfg.default_language).to_string(),
            language: news_language(&a.lang),
            publication_date: a.date.iso(),
            title: a.title.clone(),
        }
    }).collect()
}

fn render(tera: &tera::Tera, theme: &Theme, template: &str, path: String, c: &tera::Context) -> Result<OutFile, Diagnostic> {
    let text = tera.render(template, c).map_err(|e| engine::render_error(theme, template, &e))?;
    Ok(OutFile { path, bytes: text.into_bytes() })
}

/// The sitemap files: one `sitemap.xml` when the URLs fit in `per_file`,
/// else `sitemap-1.xml`, `sitemap-2.xml`... and the index entries that
/// `/sitemap.xml` then lists.
fn split<'u>(cfg: &crate::config::Config, urls: &'u [UrlEntry], per_file: usize) -> (Vec<(String, &'u [UrlEntry])>, Option<Vec<SitemapRef>>) {
    if urls.len() <= per_file {
        return (vec![("sitemap.xml".to_string(), urls)], None);
    }
    let mut files = Vec::new();
    let mut index = Vec::new();
    for (k, chunk) in urls.chunks(per_file.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", k + 1);
        let newest = chunk.iter().filter_map(|u| u.lastmod.as_ref())
            .max_by_key(|d| ArticleDate::parse(d).map_or(i64::MIN, |d| d.timestamp()));
        index.push(SitemapRef { loc: xml::abs_uri(cfg, &name), lastmod: newest.cloned() });
        files.push((name, chunk));
    }
    (files, Some(index))
}

/// Render the sitemap (or sitemap index and its parts), the news sitemap
/// and `robots.txt` (unless the site ships its own in `static/`).
pub fn render_all(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme) -> Vec<Result<OutFile, Diagnostic>> {
    render_some(ctx, tera, theme, &entries(ctx), &|_| true)
}

/// The sitemap files holding `urls` (`entries`): names and URLs of each.
pub fn parts<'u>(cfg: &crate::config::Config, urls: &'u [UrlEntry]) -> Vec<(String, &'u [UrlEntry])> {
    split(cfg, urls, URLS_PER_FILE).0
}

/// The files of `render_all` whose name `want` accepts (for the watcher,
/// which renders only the parts whose URLs changed); `urls` is `entries(ctx)`.
pub fn render_some(ctx: &Ctx<'_>, tera: &tera::Tera, theme: &Theme, urls: &[UrlEntry], want: &dyn Fn(&str) -> bool) -> Vec<Result<OutFile, Diagnostic>> {
    let cfg = &ctx.site.config;
    let mut out = Vec::new();
    let (files, index) = split(cfg, urls, URLS_PER_FILE);
    for (name, chunk) in files.into_iter().filter(|(name, _)| want(name)) {
        let mut c = tera::Context::new();
        c.insert("urls", chunk);
        out.push(render(tera, theme, "sitemap.xml", name, &c));
    }
    if let Some(parts) = index.filter(|_| want("sitemap.xml")) {
        let mut c = tera::Context::new();
        c.insert("sitemaps", &parts);
        out.push(render(tera, theme, "sitemap_index.xml", "sitemap.xml".into(), &c));
    }
    if want("news-sitemap.xml") {
        let mut c = tera::Context::new();
        c.insert("articles", &news_entries(ctx));
        out.push(render(tera, theme, "news-sitemap.xml", "news-sitemap.xml".into(), &c));
    }
    if !theme.static_files.iter().any(|s| s.rel == "robots.txt") && want("robots.txt") {
        let mut c = tera::Context::new();
        c.insert("sitemaps", &[xml::abs_uri(cfg, "sitemap.xml"), xml::abs_uri(cfg, "news-sitemap.xml")]);
        out.push(render(tera, theme, "robots.txt", "robots.txt".into(), &c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_news_language_codes() {
        assert_eq!(news_language("ar"), "ar");
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-TW"), "zh-tw");
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let text = "title: T\nbase_url: \"https://example.org\"\ndefault_language: en\nlanguages:\n  en: { name: English }\n";
        let cfg = crate::config::parse(std::path::Path::new("."), std::path::Path::new("site.yaml"), text).unwrap();
        let url = |k: usize, lastmod: &str| UrlEntry { loc: format!("https://example.org/{k}/"), lastmod: Some(lastmod.into()), alternates: Vec::new() };
        let urls = vec![url(1, "2026-01-02"), url(2, "2026-01-01T23:00:00-05:00"), url(3, "2025-01-01")];
        let (files, index) = split(&cfg, &urls, 3);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(index.is_none());
        let (files, index) = split(&cfg, &urls, 2);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml"]);
        assert_eq!(files[1].1.len(), 1);
        let index = index.unwrap();
        assert_eq!(index[0].loc, "https://example.org/sitemap-1.xml");
        // 2026-01-01T23:00-05:00 is 2026-01-02T04:00Z, later than 2026-01-02T00:00Z
        assert_eq!(index[0].lastmod.as_deref(), Some("2026-01-01T23:00:00-05:00"));
        assert_eq!(index[1].lastmod.as_deref(), Some("2025-01-01"));
    }
}
