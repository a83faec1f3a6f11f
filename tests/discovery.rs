//! Discovery outputs of a built fixture site: Atom feeds, the sitemap with
//! hreflang alternates, the Google News sitemap, robots.txt, and the head
//! metadata of pages (Open Graph, JSON-LD, feed links). Feeds and sitemaps
//! are parsed as XML, JSON-LD as JSON; every URL they hold must lead to a
//! file the build wrote.

mod common;
use common::*;
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const BASE: &str = "https://example.org/";
const HOSTILE: &str = "Quotes \"here\" & <script>alert(1)</script>";

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap_or_else(|_| panic!("bad escape in {s}")));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The file under `public/` that an absolute URL of the site is served from.
fn file_of(s: &Site, url: &str) -> PathBuf {
    let rel = url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not on the site"));
    assert!(rel.is_ascii(), "{url}: not percent-encoded");
    let rel = percent_decode(rel.split(['#', '?']).next().unwrap());
    let mut p = s.out().join(&rel);
    if rel.is_empty() || rel.ends_with('/') {
        p = p.join("index.html");
    }
    p
}

fn assert_written(s: &Site, url: &str) {
    let p = file_of(s, url);
    assert!(p.is_file(), "{url} → {} was not written", p.display());
}

fn read_out(s: &Site, rel: &str) -> String {
    std::fs::read_to_string(s.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, ns: &str, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns))
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, ns: &'static str, name: &'static str) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.children().filter(move |c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns))
}

fn text_of(n: roxmltree::Node<'_, '_>, ns: &str, name: &str) -> String {
    child(n, ns, name).unwrap_or_else(|| panic!("no <{name}> in <{}>", n.tag_name().name())).text().unwrap_or("").to_string()
}

fn rfc3339(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A checked Atom entry.
#[derive(Debug)]
struct Entry {
    id: String,
    title: String,
    link: String,
    hreflangs: Vec<String>,
    published: String,
    author: String,
    categories: Vec<String>,
    content: String,
}

/// Parse an Atom feed, check what RFC 4287 and the issue require, and
/// return its entries.
fn check_feed(s: &Site, rel: &str, lang: &str) -> Vec<Entry> {
    let text = read_out(s, rel);
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let feed = doc.root_element();
    assert_eq!((feed.tag_name().namespace(), feed.tag_name().name()), (Some(ATOM), "feed"), "{rel}");
    assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(lang), "{rel}: xml:lang");
    let self_link = children(feed, ATOM, "link").find(|l| l.attribute("rel") == Some("self")).expect("rel=self");
    assert_eq!(self_link.attribute("href").unwrap(), format!("{BASE}{rel}"));
    assert_eq!(self_link.attribute("type"), Some("application/atom+xml"));
    let page = children(feed, ATOM, "link").find(|l| l.attribute("rel") == Some("alternate")).expect("rel=alternate");
    assert_written(s, page.attribute("href").unwrap());
    assert!(!text_of(feed, ATOM, "id").is_empty());
    assert!(!text_of(feed, ATOM, "title").is_empty());
    rfc3339(&text_of(feed, ATOM, "updated"));
    assert!(!text_of(child(feed, ATOM, "author").expect("feed author"), ATOM, "name").is_empty());

    let mut out = Vec::new();
    for e in children(feed, ATOM, "entry") {
        let links: Vec<_> = children(e, ATOM, "link").collect();
        for l in &links {
            assert_eq!(l.attribute("rel"), Some("alternate"));
            assert_written(s, l.attribute("href").unwrap());
        }
        let main = links.first().expect("an entry link");
        assert_eq!(main.attribute("hreflang"), Some(lang), "the first link is the entry itself");
        let published = text_of(e, ATOM, "published");
        let updated = text_of(e, ATOM, "updated");
        assert!(rfc3339(&updated) >= rfc3339(&published), "{rel}: updated before published");
        let summary = child(e, ATOM, "summary").expect("summary");
        assert_eq!(summary.attribute("type"), Some("text"));
        let content = child(e, ATOM, "content").expect("content");
        assert_eq!(content.attribute("type"), Some("html"));
        let author = text_of(child(e, ATOM, "author").expect("entry author"), ATOM, "name");
        assert!(!author.is_empty());
        let entry = Entry {
            id: text_of(e, ATOM, "id"),
            title: text_of(e, ATOM, "title"),
            link: main.attribute("href").unwrap().to_string(),
            hreflangs: links.iter().map(|l| l.attribute("hreflang").unwrap_or("").to_string()).collect(),
            published,
            author,
            categories: children(e, ATOM, "category").map(|c| c.attribute("term").unwrap().to_string()).collect(),
            content: content.text().unwrap_or("").to_string(),
        };
        assert!(entry.id.starts_with("tag:example.org,") || entry.id.starts_with(BASE), "{}", entry.id);
        out.push(entry);
    }
    let ids: BTreeSet<&str> = out.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), out.len(), "{rel}: entry ids are unique");
    let dates: Vec<_> = out.iter().map(|e| rfc3339(&e.published)).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{rel}: newest first");
    out
}

/// The `href` of a page's Atom feed links, in order.
fn feed_links(doc: &Html) -> Vec<String> {
    attrs(doc, "link[rel=alternate][type='application/atom+xml']", "href")
}

fn jsonld(doc: &Html) -> serde_json::Value {
    let scripts: Vec<String> = doc.select(&sel("script[type='application/ld+json']")).map(|e| e.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD block");
    serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("JSON-LD: {e}\n{}", scripts[0]))
}

fn meta(doc: &Html, property: &str) -> Vec<String> {
    attrs(doc, &format!("meta[property='{property}']"), "content")
}

#[test]
fn language_feeds_hold_the_newest_articles_with_every_required_element() {
    let s = Site::copy("basic");
    s.build_ok();
    let en = check_feed(&s, "en/feed.xml", "en");
    let titles: Vec<&str> = en.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Mar-a-Lago dinner revives the alliance", "A new rocket launch", HOSTILE]);
    let dinner = &en[0];
    assert_eq!(dinner.link, "https://example.org/en/2026/01/dinner/");
    assert_eq!(dinner.hreflangs, ["en", "ar"], "the translation is linked too");
    assert_eq!(dinner.categories, ["politics", "tech"]);
    assert_eq!(dinner.author, "The desk");
    assert_eq!(dinner.published, "2026-01-04T21:30:00+03:00");
    // content is HTML, escaped in the XML, and keeps the body
    let body = Html::parse_fragment(&dinner.content);
    assert_eq!(texts(&body, "th"), ["who", "where"]);
    assert_eq!(attrs(&body, "div", "dir"), ["ltr"]);
    // an article without a byline is by the site
    assert_eq!(en[1].author, "Test Digest");

    let ar = check_feed(&s, "ar/feed.xml", "ar");
    assert_eq!(ar.len(), 4);
    assert_eq!(attrs(&Html::parse_fragment(&ar[0].content), "div", "dir"), ["rtl"]);

    // feed_limit keeps the newest
    let s2 = Site::copy("basic");
    s2.write("site.yaml", &format!("{}feed_limit: 1\n", s2.read("site.yaml")));
    s2.build_ok();
    let en = check_feed(&s2, "en/feed.xml", "en");
    assert_eq!(en.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["Mar-a-Lago dinner revives the alliance"]);
}

#[test]
fn every_topic_and_entity_page_has_a_feed_that_the_pages_link() {
    let s = Site::copy("basic");
    s.build_ok();
    for lang in ["ar", "en"] {
        for kind in ["topics", "entities"] {
            let dir = s.out().join(lang).join(kind);
            let mut ids = Vec::new();
            for e in std::fs::read_dir(&dir).unwrap() {
                let e = e.unwrap();
                if e.path().join("index.html").is_file() {
                    ids.push(e.file_name().to_string_lossy().into_owned());
                }
            }
            assert!(!ids.is_empty());
            for id in ids {
                let rel = format!("{lang}/{kind}/{id}/feed.xml");
                let entries = check_feed(&s, &rel, lang);
                let page = s.page(&format!("{lang}/{kind}/{id}/"));
                assert_eq!(feed_links(&page), [format!("/{rel}"), format!("/{lang}/feed.xml")], "{lang}/{kind}/{id}/");
                // the feed holds the articles the page lists (the fixture has
                // fewer than feed_limit per page, so all of them)
                let cards = attrs(&page, ".card-title a", "href");
                let links: Vec<String> = entries.iter().map(|e| e.link.trim_start_matches("https://example.org").to_string()).collect();
                for card in &cards {
                    assert!(links.contains(card), "{rel}: {card} is on the page but not in the feed");
                }
            }
        }
    }
    let tech = check_feed(&s, "en/topics/tech/feed.xml", "en");
    assert!(tech.iter().all(|e| e.categories.contains(&"tech".to_string())));
    // an entity page in a language with no article on it still has a valid (empty) feed
    let s2 = Site::copy("basic");
    // (the body names Florida too, and mentions in the text count: drop them all)
    s2.write("content/en/dinner.md", &s2.read("content/en/dinner.md").replace("entities: [Musk, Trump, Florida]", "entities: [Musk, Trump]").replace("Florida", "the south"));
    s2.build_ok();
    assert!(check_feed(&s2, "en/entities/florida/feed.xml", "en").is_empty());

    for (page, feeds) in [("", vec!["/ar/feed.xml"]), ("en/", vec!["/en/feed.xml"]), ("en/2026/01/dinner/", vec!["/en/feed.xml"]),
        ("ar/topics/", vec!["/ar/feed.xml"]), ("en/entities/", vec!["/en/feed.xml"]), ("404.html", vec!["/ar/feed.xml"])] {
        assert_eq!(feed_links(&s.page(page)), feeds, "{page}");
    }
    for href in feed_links(&s.page("en/topics/tech/")) {
        assert!(s.exists(href.trim_start_matches('/')), "{href}");
    }
}

#[test]
fn feed_content_urls_are_absolute() {
    let s = Site::copy("basic");
    s.write("content/en/links.md", "---\ntitle: Links\ndate: 2026-01-10\nimage: /pics/lead.png\nimage_alt: Lead\n---\n\nSee [tech](/en/topics/tech/), ![a picture](pic.png), [up](../), [note](#n) and [out](https://other.example/x).\n");
    s.build_ok();
    let en = check_feed(&s, "en/feed.xml", "en");
    let e = en.iter().find(|e| e.title == "Links").unwrap();
    let body = Html::parse_fragment(&e.content);
    let hrefs = attrs(&body, "a", "href");
    assert_eq!(hrefs, [
        "https://example.org/en/topics/tech/",
        "https://example.org/en/2026/01/",
        "https://example.org/en/2026/01/links/#n",
        "https://other.example/x",
    ]);
    assert_written(&s, &hrefs[0]);
    assert_eq!(attrs(&body, "img", "src"), ["https://example.org/pics/lead.png", "https://example.org/en/2026/01/links/pic.png"]);
    assert_eq!(attrs(&body, "img", "alt"), ["Lead", "a picture"]);
}

/// Every `<url>` of the sitemap: loc → (lastmod, [(hreflang, href)]).
fn sitemap(s: &Site) -> BTreeMap<String, (Option<String>, Vec<(String, String)>)> {
    let text = read_out(s, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(SM), "urlset"));
    let mut out = BTreeMap::new();
    for u in children(root, SM, "url") {
        let loc = text_of(u, SM, "loc");
        let lastmod = child(u, SM, "lastmod").map(|n| n.text().unwrap().to_string());
        let alts = children(u, XHTML, "link").map(|l| {
            assert_eq!(l.attribute("rel"), Some("alternate"));
            (l.attribute("hreflang").unwrap().to_string(), l.attribute("href").unwrap().to_string())
        }).collect();
        assert!(out.insert(loc.clone(), (lastmod, alts)).is_none(), "{loc} listed twice");
    }
    out
}

/// Every HTML page written, as its URL (`index.html` → the folder's URL).
fn written_pages(s: &Site) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in walkdir::WalkDir::new(s.out()) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(s.out()).unwrap().to_string_lossy().replace('\\', "/");
        if rel.ends_with(".html") {
            out.insert(format!("{BASE}{}", rel.strip_suffix("index.html").unwrap_or(&rel)));
        }
    }
    out
}

#[test]
fn the_sitemap_lists_every_page_once_with_reciprocal_hreflang_alternates() {
    let s = Site::copy("basic");
    s.write("content/ar/عاجل.md", "---\ntitle: عاجل\ndate: 2026-01-20\ntopics: [politics]\n---\n\nخبر عاجل.\n");
    s.build_ok();
    let map = sitemap(&s);
    for (loc, (lastmod, alts)) in &map {
        assert_written(&s, loc);
        for (_, href) in alts {
            assert_written(&s, href);
        }
        if let Some(d) = lastmod {
            assert!(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() || chrono::DateTime::parse_from_rfc3339(d).is_ok(), "{d}");
        }
    }
    // every page but the root (whose canonical URL is /ar/), the 404 page and
    // search pages (nothing of their own to index)
    let decoded: BTreeSet<String> = map.keys().map(|k| percent_decode(k)).collect();
    let mut expected = written_pages(&s);
    expected.remove(BASE);
    expected.remove(&format!("{BASE}404.html"));
    expected.retain(|u| !u.contains("/search/"));
    assert_eq!(decoded, expected);

    // the Arabic slug is percent-encoded
    let encoded = "https://example.org/ar/2026/01/%D8%B9%D8%A7%D8%AC%D9%84/";
    assert!(map.contains_key(encoded), "{:?}", map.keys().collect::<Vec<_>>());

    let (lastmod, alts) = &map["https://example.org/en/2026/01/dinner/"];
    assert_eq!(lastmod.as_deref(), Some("2026-01-05"), "`updated` wins over `date`");
    let want = [("ar", "https://example.org/ar/2026/01/dinner/"), ("en", "https://example.org/en/2026/01/dinner/"), ("x-default", "https://example.org/ar/2026/01/dinner/")];
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(alts, &want);
    assert_eq!(map["https://example.org/ar/2026/01/dinner/"].0.as_deref(), Some("2026-01-04T21:30:00+03:00"));
    assert_eq!(map["https://example.org/ar/2026/01/dinner/"].1, want);
    assert!(map["https://example.org/ar/2025/11/only-ar/"].1.is_empty(), "no translation, no alternates");
    let home = &map["https://example.org/en/"].1;
    assert!(home.contains(&("x-default".to_string(), "https://example.org/ar/".to_string())));
    assert!(map["https://example.org/en/entities/florida/"].1.len() == 3);

    // hreflang is reciprocal: each alternate lists the same set back
    for (loc, (_, alts)) in &map {
        for (lang, href) in alts.iter().filter(|(l, _)| l != "x-default") {
            let back = &map.get(href).unwrap_or_else(|| panic!("{href} (alternate of {loc}) not in the sitemap")).1;
            assert_eq!(back, alts, "{loc} ↔ {href} ({lang})");
        }
    }
}

#[test]
fn the_news_sitemap_covers_the_window_before_the_newest_article() {
    let news = |s: &Site| -> Vec<[String; 5]> {
        let text = read_out(s, "news-sitemap.xml");
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        children(doc.root_element(), SM, "url").map(|u| {
            let n = child(u, NEWS, "news").expect("news:news");
            let p = child(n, NEWS, "publication").expect("news:publication");
            let loc = text_of(u, SM, "loc");
            assert_written(s, &loc);
            [loc, text_of(p, NEWS, "name"), text_of(p, NEWS, "language"), text_of(n, NEWS, "publication_date"), text_of(n, NEWS, "title")]
        }).collect()
    };
    let s = Site::copy("basic");
    s.build_ok();
    // default: two days before the newest article (31 Jan 23:30 -05:00)
    let items = news(&s);
    assert_eq!(items, [[
        "https://example.org/ar/2026/01/late-jan/".to_string(), "نشرة الاختبار".into(), "ar".into(),
        "2026-01-31T23:30:00-05:00".into(), "خبر في آخر يناير".into(),
    ]]);

    let s = Site::copy("basic");
    s.write("site.yaml", &format!("{}news_window_days: 30\n", s.read("site.yaml")));
    s.build_ok();
    let items = news(&s);
    let titles: Vec<&str> = items.iter().map(|i| i[4].as_str()).collect();
    assert_eq!(titles, ["خبر في آخر يناير", "عشاء مارالاجو يعيد التحالف", "Mar-a-Lago dinner revives the alliance"]);
    assert_eq!(items[2][1], "Test Digest", "publication name in the article's language");
    assert_eq!(items[2][2], "en");

    let s = Site::copy("basic");
    s.write("site.yaml", &format!("{}news_window_days: 0\n", s.read("site.yaml")));
    let (_, text) = s.build_err();
    assert!(text.contains("news_window_days"), "{text}");
}

#[test]
fn robots_allows_all_and_points_at_both_sitemaps() {
    let s = Site::copy("basic");
    s.build_ok();
    let text = read_out(&s, "robots.txt");
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[..2], ["User-agent: *", "Allow: /"]);
    let maps: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("Sitemap: ")).collect();
    assert_eq!(maps, ["https://example.org/sitemap.xml", "https://example.org/news-sitemap.xml"]);
    for m in maps {
        assert_written(&s, m);
    }
    // a site's own robots.txt wins
    let s = Site::copy("basic");
    s.write("static/robots.txt", "User-agent: *\nDisallow: /private/\n");
    s.build_ok();
    assert_eq!(read_out(&s, "robots.txt"), "User-agent: *\nDisallow: /private/\n");
}

#[test]
fn articles_carry_news_article_json_ld_and_open_graph() {
    let s = Site::copy("basic");
    s.build_ok();
    let en = s.page("en/2026/01/dinner/");
    let ld = jsonld(&en);
    let url = "https://example.org/en/2026/01/dinner/";
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Mar-a-Lago dinner revives the alliance");
    assert_eq!(ld["inLanguage"], "en");
    assert_eq!(ld["datePublished"], "2026-01-04T21:30:00+03:00");
    assert_eq!(ld["dateModified"], "2026-01-05");
    assert_eq!(ld["author"][0]["name"], "The desk");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "Test Digest");
    assert_eq!(ld["mainEntityOfPage"]["@id"], url);
    assert_eq!(attrs(&en, "link[rel=canonical]", "href"), [url]);
    let about: Vec<&str> = ld["about"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(about, ["Politics", "Technology"]);
    let mentions: Vec<(&str, &str)> = ld["mentions"].as_array().unwrap().iter().map(|m| (m["@type"].as_str().unwrap(), m["name"].as_str().unwrap())).collect();
    assert_eq!(mentions, [("Person", "Elon Musk"), ("Person", "Donald Trump"), ("Place", "Florida")]);
    for m in ld["mentions"].as_array().unwrap() {
        assert_written(&s, m["url"].as_str().unwrap());
    }
    // the default language's version is the original
    assert_eq!(ld["translationOfWork"]["url"], "https://example.org/ar/2026/01/dinner/");
    assert_eq!(ld["translationOfWork"]["inLanguage"], "ar");
    assert!(ld.get("workTranslation").is_none());
    let ar_ld = jsonld(&s.page("ar/2026/01/dinner/"));
    assert!(ar_ld.get("translationOfWork").is_none());
    let versions = ar_ld["workTranslation"].as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["url"], url);
    assert_eq!(versions[0]["@id"], ld["@id"], "the same node on both pages");
    assert_eq!(ar_ld["translationOfWork"], serde_json::Value::Null);
    let only = jsonld(&s.page("ar/2025/11/only-ar/"));
    assert!(only.get("translationOfWork").is_none() && only.get("workTranslation").is_none());
    assert_eq!(only["author"][0]["@type"], "Organization", "no byline: the publication");

    assert_eq!(meta(&en, "og:type"), ["article"]);
    assert_eq!(meta(&en, "og:url"), [url]);
    assert_eq!(meta(&en, "og:title"), ["Mar-a-Lago dinner revives the alliance"]);
    assert_eq!(meta(&en, "og:locale"), ["en_US"]);
    assert_eq!(meta(&en, "og:locale:alternate"), ["ar_AR"]);
    assert_eq!(meta(&en, "article:published_time"), ["2026-01-04T21:30:00+03:00"]);
    assert_eq!(meta(&en, "article:modified_time"), ["2026-01-05"]);
    assert_eq!(meta(&en, "article:section"), ["Politics"]);
    assert_eq!(meta(&en, "article:tag"), ["Politics", "Technology", "Elon Musk", "Donald Trump", "Florida"]);
    assert_eq!(attrs(&en, "meta[name='twitter:card']", "content"), ["summary"]);
    let ar = s.page("ar/2026/01/dinner/");
    assert_eq!(meta(&ar, "og:locale"), ["ar_AR"]);
    assert_eq!(meta(&ar, "article:section"), ["سياسة"]);
    assert!(meta(&s.page("ar/2025/11/only-ar/"), "og:locale:alternate").is_empty());

    // a lead image: og:image, a large card, JSON-LD image, all absolute
    let s = Site::copy("basic");
    s.write("static/pics/lead.png", "png");
    s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("summary:", "image: pics/lead.png\nimage_alt: \"The \\\"rocket\\\"\"\nsummary:"));
    s.build_ok();
    let doc = s.page("en/2025/12/launch/");
    assert_eq!(meta(&doc, "og:image"), ["https://example.org/pics/lead.png"]);
    assert_eq!(meta(&doc, "og:image:alt"), ["The \"rocket\""]);
    assert_written(&s, "https://example.org/pics/lead.png");
    assert_eq!(attrs(&doc, "meta[name='twitter:card']", "content"), ["summary_large_image"]);
    assert_eq!(jsonld(&doc)["image"][0], "https://example.org/pics/lead.png");
}

#[test]
fn topic_entity_and_home_pages_carry_canonical_alternates_and_open_graph() {
    let s = Site::copy("basic");
    s.build_ok();
    for (rel, canonical, locale, alternate) in [
        ("", "https://example.org/ar/", "ar_AR", "https://example.org/en/"),
        ("en/", "https://example.org/en/", "en_US", "https://example.org/ar/"),
        ("ar/topics/politics/", "https://example.org/ar/topics/politics/", "ar_AR", "https://example.org/en/topics/politics/"),
        ("en/entities/florida/", "https://example.org/en/entities/florida/", "en_US", "https://example.org/ar/entities/florida/"),
    ] {
        let doc = s.page(rel);
        assert_eq!(attrs(&doc, "link[rel=canonical]", "href"), [canonical], "{rel}");
        assert_eq!(meta(&doc, "og:url"), [canonical], "{rel}");
        assert_eq!(meta(&doc, "og:type"), ["website"], "{rel}");
        assert_eq!(meta(&doc, "og:locale"), [locale], "{rel}");
        assert_eq!(meta(&doc, "og:locale:alternate").len(), 1, "{rel}");
        assert!(attrs(&doc, "link[rel=alternate][hreflang]", "href").contains(&alternate.to_string()), "{rel}");
        assert_eq!(meta(&doc, "og:title").len(), 1);
        assert_eq!(meta(&doc, "og:site_name").len(), 1);
    }
    let home = jsonld(&s.page("en/"));
    assert_eq!((home["@type"].as_str(), home["inLanguage"].as_str(), home["name"].as_str()), (Some("WebSite"), Some("en"), Some("Test Digest")));

    // entity JSON-LD: its schema.org type and its names in both languages
    for (rel, ty, name, other) in [
        ("en/entities/elon-musk/", "Person", "Elon Musk", "إيلون ماسك"),
        ("ar/entities/elon-musk/", "Person", "إيلون ماسك", "Elon Musk"),
        ("en/entities/spacex/", "Organization", "SpaceX", "سبيس إكس"),
        ("ar/entities/florida/", "Place", "فلوريدا", "Florida"),
    ] {
        let ld = jsonld(&s.page(rel));
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], ty, "{rel}");
        assert_eq!(ld["name"], name, "{rel}");
        let alt: Vec<&str> = ld["alternateName"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(alt[0], other, "{rel}: {alt:?}");
        assert!(!alt.contains(&name));
        assert_eq!(ld["url"], format!("{BASE}{rel}"));
    }
    // one node id for the entity in every language, also used by articles' `mentions`
    let id = jsonld(&s.page("en/entities/elon-musk/"))["@id"].clone();
    assert_eq!(id, jsonld(&s.page("ar/entities/elon-musk/"))["@id"]);
    let article = jsonld(&s.page("en/2026/01/dinner/"));
    assert!(article["mentions"].as_array().unwrap().iter().any(|m| m["@id"] == id));
    // topic pages have no JSON-LD of their own
    assert_eq!(s.page("en/topics/tech/").select(&sel("script")).count(), 0);
}

#[test]
fn a_hostile_title_stays_text_in_html_json_ld_feeds_and_sitemaps() {
    let s = Site::copy("basic");
    // bring the hostile article into the news window too
    s.write("site.yaml", &format!("{}news_window_days: 200\n", s.read("site.yaml")));
    s.write("content/en/hostile.md", &s.read("content/en/hostile.md").replace("topics: [tech]", "topics: [tech]\nentities: [\"Elon Musk\"]"));
    s.build_ok();
    let url = "https://example.org/en/2025/10/hostile/";
    let doc = s.page("en/2025/10/hostile/");
    assert_eq!(texts(&doc, "h1"), [HOSTILE]);
    assert_eq!(meta(&doc, "og:title"), [HOSTILE]);
    assert!(texts(&doc, "title")[0].starts_with(HOSTILE));
    assert_eq!(doc.select(&sel("script")).count(), 1, "only the JSON-LD script");
    let ld = jsonld(&doc);
    assert_eq!(ld["headline"], HOSTILE);
    assert_eq!(ld["author"][0]["name"], "<b>Mallory</b>");
    let raw = read_out(&s, "en/2025/10/hostile/index.html");
    let script = &raw[raw.find("application/ld+json").unwrap()..];
    let script = &script[..script.find("</script>").unwrap()];
    assert!(!script[1..].contains('<'), "JSON-LD holds no raw `<`: {script}");

    let entries = check_feed(&s, "en/feed.xml", "en");
    let e = entries.iter().find(|e| e.link == url).unwrap();
    assert_eq!(e.title, HOSTILE);
    assert_eq!(e.author, "<b>Mallory</b>");
    let feed = check_feed(&s, "en/entities/elon-musk/feed.xml", "en");
    assert!(feed.iter().any(|e| e.title == HOSTILE));

    let news = read_out(&s, "news-sitemap.xml");
    let doc = roxmltree::Document::parse(&news).unwrap();
    let titles: Vec<&str> = doc.descendants().filter(|n| n.tag_name().name() == "title" && n.tag_name().namespace() == Some(NEWS)).filter_map(|n| n.text()).collect();
    assert!(titles.contains(&HOSTILE), "{titles:?}");
    assert!(sitemap(&s).contains_key(url));
}

/// Run Python's feedparser over every feed the build wrote; any complaint
/// (`bozo`) fails. Skipped only when feedparser is missing outside CI.
#[test]
fn every_feed_passes_feedparser() {
    let probe = std::process::Command::new("python3").args(["-c", "import feedparser"]).output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        if std::env::var_os("CI").is_some() {
            panic!("python3 with feedparser is required under CI (.ci/run installs it): {probe:?}");
        }
        eprintln!("SKIPPED every_feed_passes_feedparser: python3 cannot import feedparser (pip install feedparser)");
        return;
    }
    let s = Site::copy("basic");
    s.write("content/ar/عاجل.md", "---\ntitle: \"عاجل & <مهم>\"\ndate: 2026-01-20\ntopics: [politics]\n---\n\nخبر [عاجل](/ar/topics/politics/) \u{b}مع حرف تحكم.\n");
    s.build_ok();
    let feeds: Vec<PathBuf> = walkdir::WalkDir::new(s.out()).into_iter().map(|e| e.unwrap().into_path())
        .filter(|p| p.file_name().is_some_and(|n| n == "feed.xml")).collect();
    assert!(feeds.len() > 10, "{feeds:?}");
    let script = r#"
import json, sys, feedparser
bad = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    if d.bozo or d.version != "atom10":
        bad.append(f"{path}: version={d.version!r} bozo={d.get('bozo_exception')!r}")
    for e in d.entries:
        if not (e.get("id") and e.get("title") is not None and e.get("link") and e.get("published_parsed") and e.get("updated_parsed") and e.get("content")):
            bad.append(f"{path}: incomplete entry {e.get('id')!r}")
print(json.dumps({"bad": bad, "titles": {p: [e.title for e in feedparser.parse(p).entries] for p in sys.argv[1:]}}))
"#;
    let out = std::process::Command::new("python3").arg("-c").arg(script).args(&feeds).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bad"], serde_json::json!([]), "feedparser complained");
    let key = |p: &Path| p.to_string_lossy().into_owned();
    let ar = &v["titles"][key(&s.out().join("ar/feed.xml"))];
    assert_eq!(ar[0], "خبر في آخر يناير");
    assert_eq!(ar[1], "عاجل & <مهم>");
    let en = &v["titles"][key(&s.out().join("en/feed.xml"))];
    assert!(en.as_array().unwrap().iter().any(|t| t == HOSTILE), "{en}");
}
