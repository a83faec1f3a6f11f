//! The pages of a built fixture site: URLs, `lang`/`dir`, translation links,
//! topic and entity membership, pagination, drafts, escaping.

mod common;
use common::*;

#[test]
fn urls_follow_the_contract() {
    let s = Site::copy("basic");
    s.build_ok();
    for rel in [
        "index.html", "404.html", "style.css",
        "ar/index.html", "ar/page/2/index.html", "en/index.html", "en/page/2/index.html",
        "ar/2026/01/dinner/index.html", "en/2026/01/dinner/index.html",
        "ar/2025/12/launch/index.html", "ar/2025/11/only-ar/index.html",
        "ar/topics/index.html", "ar/topics/politics/index.html", "en/topics/politics/index.html",
        "ar/entities/index.html", "ar/entities/elon-musk/index.html", "en/entities/florida/index.html",
    ] {
        assert!(s.exists(rel), "missing {rel}");
    }
    // the written offset decides the month: 23:30 at -05:00 on 31 January is February in UTC
    assert!(s.exists("ar/2026/01/late-jan/index.html"));
    // drafts are left out; unused topics have no page
    assert!(!s.exists("ar/2026/02/draft/index.html"));
    assert!(!s.exists("ar/topics/sport/index.html"));
}

#[test]
fn drafts_are_built_with_the_flag() {
    let s = Site::copy("basic");
    let opts = nashra::build::BuildOptions { drafts: true, ..s.opts() };
    nashra::build::build(&opts).unwrap();
    assert!(s.exists("ar/2026/02/draft/index.html"));
}

#[test]
fn every_page_has_lang_and_dir() {
    let s = Site::copy("basic");
    s.build_ok();
    for (rel, lang, dir) in [
        ("", "ar", "rtl"), ("ar/", "ar", "rtl"), ("en/", "en", "ltr"),
        ("ar/2026/01/dinner/", "ar", "rtl"), ("en/2026/01/dinner/", "en", "ltr"),
        ("en/topics/tech/", "en", "ltr"), ("ar/entities/", "ar", "rtl"), ("404.html", "ar", "rtl"),
    ] {
        let doc = s.page(rel);
        assert_eq!(html_attr(&doc, "lang"), lang, "{rel}");
        assert_eq!(html_attr(&doc, "dir"), dir, "{rel}");
    }
}

#[test]
fn the_root_is_the_default_home_with_a_canonical_link() {
    let s = Site::copy("basic");
    s.build_ok();
    let root = s.page("");
    assert_eq!(attrs(&root, "link[rel=canonical]", "href"), vec!["https://example.org/ar/"]);
    assert_eq!(texts(&root, ".card-title"), texts(&s.page("ar/"), ".card-title"));
}

#[test]
fn translations_link_each_other_and_a_missing_one_is_said() {
    let s = Site::copy("basic");
    s.build_ok();
    let ar = s.page("ar/2026/01/dinner/");
    assert_eq!(attrs(&ar, "link[rel=alternate][hreflang=en]", "href"), vec!["https://example.org/en/2026/01/dinner/"]);
    assert_eq!(attrs(&ar, ".lang-switch a[hreflang=en]", "href"), vec!["/en/2026/01/dinner/"]);
    let en = s.page("en/2026/01/dinner/");
    assert_eq!(attrs(&en, ".lang-switch a[hreflang=ar]", "href"), vec!["/ar/2026/01/dinner/"]);

    let only = s.page("ar/2025/11/only-ar/");
    assert!(attrs(&only, ".lang-switch a", "href").is_empty(), "no dead translation link");
    let note = texts(&only, ".translation-missing");
    assert_eq!(note.len(), 1);
    assert!(note[0].contains("English"), "{note:?}");
}

#[test]
fn articles_show_localized_date_byline_topics_and_entities() {
    let s = Site::copy("basic");
    s.build_ok();
    let ar = s.page("ar/2026/01/dinner/");
    assert_eq!(texts(&ar, "h1"), vec!["عشاء مارالاجو يعيد التحالف"]);
    assert_eq!(attrs(&ar, ".published time", "datetime"), vec!["2026-01-04T21:30:00+03:00"]);
    let date = texts(&ar, ".published time").join("");
    assert!(date.contains("يناير") && date.contains("٢٠٢٦"), "Arabic month and digits: {date}");
    assert!(texts(&ar, ".author").join("").contains("فريق التحرير"));
    // topics named by label, entities by an unnormalized name: resolved to ids
    let topic_links = attrs(&ar, ".article-footer a[href*='/topics/']", "href");
    assert_eq!(topic_links, vec!["/ar/topics/politics/", "/ar/topics/tech/"]);
    let entity_links = attrs(&ar, ".article-footer a[href*='/entities/']", "href");
    for id in ["elon-musk", "donald-trump", "florida"] {
        assert!(entity_links.contains(&format!("/ar/entities/{id}/")), "{id} in {entity_links:?}");
    }
    let en = s.page("en/2026/01/dinner/");
    let date = texts(&en, ".published time").join("");
    assert_eq!(date, "4 January 2026");
    assert_eq!(texts(&en, ".prose th"), vec!["who", "where"]);
}

#[test]
fn arabic_heading_ids_are_unique() {
    let s = Site::copy("basic");
    s.build_ok();
    let ids = attrs(&s.page("ar/2026/01/dinner/"), ".prose h2", "id");
    assert_eq!(ids, vec!["مارالاجو-يشهد-المصالحة", "مارالاجو-يشهد-المصالحة-1"]);
}

#[test]
fn topic_and_entity_pages_list_their_articles_per_language_and_link_across() {
    let s = Site::copy("basic");
    s.build_ok();
    let ar = s.page("ar/topics/politics/");
    assert_eq!(texts(&ar, "h1"), vec!["سياسة"]);
    let titles = texts(&ar, ".card-title");
    assert_eq!(titles, vec!["خبر في آخر يناير", "عشاء مارالاجو يعيد التحالف"], "newest first, page 1 of 2");
    assert_eq!(attrs(&ar, "link[rel=alternate][hreflang=en]", "href"), vec!["https://example.org/en/topics/politics/"]);
    let ar2 = s.page("ar/topics/politics/page/2/");
    assert_eq!(texts(&ar2, ".card-title"), vec!["خبر بالعربية فقط"]);

    let en = s.page("en/topics/politics/");
    assert_eq!(texts(&en, ".card-title"), vec!["Mar-a-Lago dinner revives the alliance"]);

    // an entity with no English article still has its English page, which says so
    let s2 = Site::copy("basic");
    s2.write("content/ar/only-ar.md", &s2.read("content/ar/only-ar.md").replace("topics: [politics]", "topics: [politics]\nentities: [florida]"));
    // (the body names Florida too, and mentions in the text count: drop them all)
    s2.write("content/en/dinner.md", &s2.read("content/en/dinner.md").replace("entities: [Musk, Trump, Florida]", "entities: [Musk, Trump]").replace("Florida", "the south"));
    s2.build_ok();
    let en = s2.page("en/entities/florida/");
    assert!(texts(&en, ".card-title").is_empty());
    assert_eq!(texts(&en, "h1"), vec!["Florida"]);
    assert!(texts(&en, "main").join(" ").contains("English"), "the page says there is no article in English");
}

#[test]
fn entity_index_groups_by_kind() {
    let s = Site::copy("basic");
    s.build_ok();
    let doc = s.page("en/entities/");
    let groups = texts(&doc, "main h2");
    assert_eq!(groups.len(), 3, "person, organization, place: {groups:?}");
    let links = attrs(&doc, "main a[href*='/entities/']", "href");
    assert!(links.contains(&"/en/entities/spacex/".to_string()));
}

#[test]
fn home_pagination_links_newer_and_older() {
    let s = Site::copy("basic");
    s.build_ok();
    let p1 = s.page("ar/");
    assert_eq!(texts(&p1, ".card-title").len(), 2);
    assert_eq!(attrs(&p1, ".pagination a[rel=next]", "href"), vec!["/ar/page/2/"]);
    assert!(attrs(&p1, ".pagination a[rel=prev]", "href").is_empty());
    let p2 = s.page("ar/page/2/");
    assert_eq!(attrs(&p2, ".pagination a[rel=prev]", "href"), vec!["/ar/"]);
    assert_eq!(attrs(&p2, ".pagination a[aria-current=page]", "href"), vec!["/ar/page/2/"]);
    // four Arabic articles, newest first, across the two pages
    let all: Vec<String> = [texts(&p1, ".card-title"), texts(&p2, ".card-title")].concat();
    assert_eq!(all, vec!["خبر في آخر يناير", "عشاء مارالاجو يعيد التحالف", "إطلاق صاروخ جديد", "خبر بالعربية فقط"]);
}

#[test]
fn hostile_text_stays_text_and_raw_html_is_sanitized() {
    let s = Site::copy("basic");
    s.build_ok();
    let doc = s.page("en/2025/10/hostile/");
    assert_eq!(texts(&doc, "h1"), vec!["Quotes \"here\" & <script>alert(1)</script>"]);
    assert_eq!(texts(&doc, ".author b").len(), 0, "author markup is escaped");
    let raw = std::fs::read_to_string(s.out().join("en/2025/10/hostile/index.html")).unwrap();
    for bad in ["alert(2)", "onerror", "javascript:", "onclick", "<iframe"] {
        assert!(!raw.contains(bad), "{bad} survived");
    }
    // the JSON-LD block is still valid JSON holding the title as text
    let ld: String = doc.select(&sel("script[type='application/ld+json']")).next().unwrap().text().collect();
    let v: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(v["headline"], "Quotes \"here\" & <script>alert(1)</script>");
    assert_eq!(doc.select(&sel("script")).count(), 1, "only the JSON-LD script");
    assert_eq!(attrs(&doc, ".prose img", "alt"), vec!["x"], "harmless markup is kept");
}

#[test]
fn unsafe_html_keeps_raw_html() {
    let s = Site::copy("basic");
    s.write("site.yaml", &format!("{}unsafe_html: true\n", s.read("site.yaml")));
    s.build_ok();
    let raw = std::fs::read_to_string(s.out().join("en/2025/10/hostile/index.html")).unwrap();
    assert!(raw.contains("<script>alert(2)</script>"));
}

#[test]
fn base_url_override_changes_links() {
    let s = Site::copy("basic");
    let opts = nashra::build::BuildOptions { base_url: Some("https://news.example.com/digest/".into()), ..s.opts() };
    nashra::build::build(&opts).unwrap();
    let doc = s.page("en/2026/01/dinner/");
    assert_eq!(attrs(&doc, "link[rel=canonical]", "href"), vec!["https://news.example.com/digest/en/2026/01/dinner/"]);
    assert_eq!(attrs(&doc, "link[rel=stylesheet]", "href"), vec!["/digest/style.css"]);
}

/// A theme calling the `cards` and `term_list` macros (as list pages did
/// before they included cards.html and term_list.html) gets the same pages.
#[test]
fn the_list_macros_give_what_the_included_templates_give() {
    let s = Site::copy("basic");
    s.build_ok();
    let included = contents(&s.out());
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let calls = [
        ("home.html", r#"{% include "cards.html" %}"#, "{{ m::cards(articles=articles, lang=lang) }}"),
        ("topic.html", r#"{%- include "term_list.html" %}"#, "{{- m::term_list(articles=articles, pagination=pagination, alternates=alternates, lang=lang) }}"),
        ("entity.html", r#"{%- include "term_list.html" %}"#, "{{- m::term_list(articles=articles, pagination=pagination, alternates=alternates, lang=lang) }}"),
    ];
    for (name, include, call) in calls {
        let text = std::fs::read_to_string(theme.join(name)).unwrap();
        assert!(text.contains(include), "{name}");
        s.write(&format!("themes/default/templates/{name}"), &text.replace(include, call));
    }
    s.build_ok();
    let called = contents(&s.out());
    assert!(called.keys().any(|p| p.starts_with("en/topics/")) && called.len() > 20);
    assert!(called == included, "pages differ: {:?}",
        called.iter().filter(|(p, b)| included.get(*p) != Some(*b)).map(|(p, _)| p).collect::<Vec<_>>());
}

/// A card lent to a page and not yet handed back is made again for a page
/// asking meanwhile, the same; one handed back is the one lent next.
#[test]
fn a_lent_card_asked_for_again_is_made_the_same() {
    use nashra::render::{self, context::{Cards, Ctx}, engine};
    let s = Site::copy("basic");
    let mut loaded = nashra::build::load(&s.opts()).unwrap();
    let bodies = render::take_bodies(&mut loaded.site);
    let tera = engine::build(&loaded.theme, loaded.i18n.clone()).unwrap();
    let cards = Cards::new(&tera, &loaded.theme, loaded.site.articles.len());
    let ctx = Ctx { site: &loaded.site, i18n: &loaded.i18n, bodies: &bodies, cards: Some(&cards), html: None, terms: None };
    let first = ctx.lend_card(0).unwrap();
    let html = first.get("html").and_then(|h| h.as_str()).unwrap();
    assert!(html.contains("class=\"card\"") && html.contains(&loaded.site.articles[0].title), "{html}");
    let again = ctx.lend_card(0).unwrap();
    assert_eq!(first, again);
    ctx.give_back_card(0, again);
    // one copy is kept: the other goes
    ctx.give_back_card(0, serde_json::Value::Null);
    assert_eq!(ctx.lend_card(0).unwrap(), first);
}

/// The terms' names and links made once per build are those made when
/// asked for, in every language and for every term; a language the site
/// does not list is made when asked for, with the default language's name.
#[test]
fn term_links_made_once_are_those_made_when_asked_for() {
    use nashra::render::{self, context::Ctx, terms::{Registry, TermLinks}};
    let s = Site::copy("basic");
    let mut loaded = nashra::build::load(&s.opts()).unwrap();
    let bodies = render::take_bodies(&mut loaded.site);
    let asked = Ctx { site: &loaded.site, i18n: &loaded.i18n, bodies: &bodies, cards: None, html: None, terms: None };
    let links = TermLinks::new(&asked);
    let made = Ctx { terms: Some(&links), ..asked };
    let regs = &loaded.site.registries;
    assert!(!regs.topics.is_empty() && !regs.entities.is_empty());
    for lang in ["ar", "en", "fr"] {
        for (of, n) in [(Registry::Topics, regs.topics.len()), (Registry::Entities, regs.entities.len())] {
            for i in 0..n {
                let (a, b) = (asked.term(of, i, lang), made.term(of, i, lang));
                assert_eq!((&a.name, &a.url, &a.permalink), (&b.name, &b.url, &b.permalink), "{of:?} {i} in {lang}");
                assert!(b.url.starts_with(&format!("/{lang}/")) && b.permalink.ends_with(&b.url[1..]), "{:?}", *b);
            }
        }
    }
    let e = regs.entities.iter().position(|e| e.names.contains_key("ar") && e.names.contains_key("en")).unwrap();
    assert_ne!(made.term(Registry::Entities, e, "ar").name, made.term(Registry::Entities, e, "en").name);
    assert_eq!(made.term(Registry::Entities, e, "fr").name, made.term(Registry::Entities, e, loaded.site.config.default_language.as_str()).name);
    for e in 0..regs.entities.len() {
        assert_eq!(asked.entity_node_id(e), made.entity_node_id(e));
        assert!(made.entity_node_id(e).ends_with(&format!("/entities/{}/#entity", regs.entities[e].id)));
    }
}

/// The strings pages print through `ui` (messages without variables) are
/// the site's own where its `.ftl` overrides one, the embedded ones
/// elsewhere, in the page's language, with terms (`-brand`) resolved.
#[test]
fn ui_strings_follow_the_sites_own_messages() {
    let s = Site::copy("basic");
    s.write("i18n/en.ftl", "nav-home = Front page\n");
    s.build_ok();
    let en = s.page("en/");
    let nav = texts(&en, ".site-nav a");
    assert_eq!(nav.first().map(String::as_str), Some("Front page"), "{nav:?}");
    assert_eq!(nav.get(1).map(String::as_str), Some("Topics"), "{nav:?}");
    assert_eq!(texts(&en, ".built-with"), vec!["Built with nashra"]);
    let ar = s.page("ar/");
    assert_eq!(texts(&ar, ".site-nav a").first().map(String::as_str), Some("الرئيسية"));
}
