//! Head metadata of pages: Open Graph and Twitter card view data, schema.org
//! JSON-LD (`NewsArticle` for articles, the entity's own type for entity
//! pages, `WebSite` for language homes), the Atom feeds each page links, and
//! language code → Open Graph locale. JSON-LD is serialized here with
//! serde_json, never assembled in templates, and escaped so that no text can
//! end its `<script>` element.

use super::context::Ctx;
use super::jsonld;
use super::terms::{Registry, TermLink};
use super::views::*;
use crate::content::{Article, ArticleDate};
use crate::registry::EntityKind;
use serde_json::json;

/// Open Graph locale (`language_TERRITORY`) of a language code: `ar` →
/// `ar_AR`, `en` → `en_US`, `en-GB` → `en_GB`; a code not known here is
/// returned as it is.
pub fn og_locale(code: &str) -> String {
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or(code).to_ascii_lowercase();
    if let Some(region) = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic())) {
        return format!("{primary}_{}", region.to_ascii_uppercase());
    }
    let region = match primary.as_str() {
        "ar" => "AR",
        "en" => "US",
        "fr" => "FR",
        "de" => "DE",
        "es" => "ES",
        "it" => "IT",
        "pt" => "PT",
        "nl" => "NL",
        "ru" => "RU",
        "uk" => "UA",
        "pl" => "PL",
        "tr" => "TR",
        "fa" => "IR",
        "he" => "IL",
        "ur" => "PK",
        "hi" => "IN",
        "bn" => "IN",
        "id" => "ID",
        "ms" => "MY",
        "sw" => "KE",
        "zh" => "CN",
        "ja" => "JP",
        "ko" => "KR",
        "sv" => "SE",
        "el" => "GR",
        _ => return code.to_string(),
    };
    format!("{primary}_{region}")
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and
/// `&` (and U+2028/U+2029) written as `\u` escapes, so neither `</script>`
/// nor `<!--` can appear whatever the text holds. Still the same JSON value.
pub fn script_json(v: &impl serde::Serialize) -> String {
    // a value of plain records, strings and lists always serializes
    let json = serde_json::to_string(v).unwrap_or_default();
    const SPECIAL: super::escape::ByteSet = super::escape::ByteSet::new(b"<>&\xE2", false);
    super::escape::replace_runs(&json, &SPECIAL, |bytes, i| match bytes[i] {
        b'<' => Some(("\\u003c", 1)),
        b'>' => Some(("\\u003e", 1)),
        b'&' => Some(("\\u0026", 1)),
        // U+2028 and U+2029: E2 80 A8, E2 80 A9
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => Some(("\\u2028", 3)),
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => Some(("\\u2029", 3)),
        _ => None,
    })
}

fn site_title<'a>(ctx: &'a Ctx<'_>, lang: &str) -> &'a str {
    ctx.site.config.title.get(lang, ctx.default_lang())
}

/// Title of a feed: the site's title, or `name — site title` for a topic or
/// entity feed. The feed's `<title>` and the pages' links to it share it.
pub fn feed_title(ctx: &Ctx<'_>, lang: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{n} — {}", site_title(ctx, lang)),
        None => site_title(ctx, lang).to_string(),
    }
}

/// The language's feed, linked from every page of that language.
pub fn language_feed(ctx: &Ctx<'_>, lang: &str) -> FeedLink {
    FeedLink { url: ctx.url(&format!("{lang}/feed.xml")), title: feed_title(ctx, lang, None) }
}

/// The feed of a topic or entity page whose first page is at `first_rel`.
pub fn term_feed(ctx: &Ctx<'_>, lang: &str, first_rel: &str, name: &str) -> FeedLink {
    FeedLink { url: ctx.url(&format!("{first_rel}feed.xml")), title: feed_title(ctx, lang, Some(name)) }
}

/// Open Graph data every page starts with (`og:type` website).
pub fn website_og(ctx: &Ctx<'_>, lang: &str, title: &str, description: &str, url: &str, alternates: &[LangLink]) -> OpenGraph {
    OpenGraph {
        og_type: "website",
        title: title.to_string(),
        description: description.to_string(),
        url: url.to_string(),
        site_name: site_title(ctx, lang).to_string(),
        locale: og_locale(lang),
        locale_alternates: alternates.iter().map(|a| og_locale(&a.code)).collect(),
        image: None,
        article: None,
        twitter_card: "summary",
    }
}

/// When the article last changed: `updated`, else `date`.
pub fn modified(a: &Article) -> &ArticleDate {
    a.updated.as_ref().unwrap_or(&a.date)
}

/// The original of article `i`'s translation group: the default language's
/// version, or else the version in the language `site.yaml` lists first.
pub fn original_of(ctx: &Ctx<'_>, i: usize) -> usize {
    let site = ctx.site;
    let order = |j: usize| {
        let lang = &site.articles[j].lang;
        (lang != ctx.default_lang(), site.config.languages.iter().position(|l| &l.code == lang).unwrap_or(usize::MAX))
    };
    std::iter::once(i).chain(site.translations[i].iter().copied()).min_by_key(|&j| order(j)).unwrap_or(i)
}

fn schema_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organization",
        EntityKind::Place => "Place",
        EntityKind::Event => "Event",
        EntityKind::Other => "Thing",
    }
}

fn article_node<'a>(ctx: &Ctx<'a>, j: usize) -> jsonld::ArticleNode<'a> {
    let a = &ctx.site.articles[j];
    let url = ctx.permalink(&a.rel_url());
    jsonld::ArticleNode { id: format!("{url}#article"), kind: "NewsArticle", headline: &a.title, in_language: &a.lang, url }
}

/// Open Graph (`og:type` article and the `article:` tags) and `NewsArticle`
/// JSON-LD of article `i`, written into its page.
pub fn article(ctx: &Ctx<'_>, i: usize, view: &ArticleView, page: &mut PageView) {
    let a = &ctx.site.articles[i];
    let published = a.date.iso();
    let modified = modified(a).iso();
    let image = view.image.as_ref().map(|im| OgImage { url: im.permalink.clone(), alt: im.alt.clone() });
    let og = &mut page.og;
    og.og_type = "article";
    if image.is_some() {
        og.twitter_card = "summary_large_image";
    }
    og.image = image;
    og.article = Some(OgArticle {
        published_time: published.clone(),
        modified_time: modified.clone(),
        section: view.topics.first().map(|t| t.name.clone()),
        tags: view.topics.iter().map(|t| t.name.clone()).chain(view.entities.iter().map(|e| e.name.clone())).collect(),
    });

    let home = ctx.permalink("");
    let publisher = jsonld::Agent { kind: "Organization", name: site_title(ctx, &a.lang), url: Some(&home) };
    let author = match &a.author {
        Some(name) => jsonld::Agent { kind: "Person", name, url: None },
        None => publisher.clone(),
    };
    let original = original_of(ctx, i);
    let ld = jsonld::NewsArticle {
        context: "https://schema.org",
        id: format!("{}#article", view.permalink),
        kind: "NewsArticle",
        about: a.topics.iter().filter_map(|id| ctx.site.registries.topic_pos(id)).map(|t| {
            let (name, _, url) = TermLink::parts(ctx.term(Registry::Topics, t, &a.lang));
            jsonld::Thing { kind: "Thing", name, url }
        }).collect(),
        author: vec![author],
        date_modified: modified,
        date_published: published,
        description: &view.summary,
        headline: &a.title,
        image: view.image.as_ref().map(|im| [im.permalink.as_str()]),
        in_language: &a.lang,
        main_entity_of_page: jsonld::WebPage { id: &view.permalink, kind: "WebPage" },
        mentions: a.entities.iter().filter_map(|id| ctx.site.registries.entity_pos(id)).map(|e| {
            let (name, _, url) = TermLink::parts(ctx.term(Registry::Entities, e, &a.lang));
            jsonld::Mention { id: ctx.entity_node_id(e), kind: schema_type(ctx.site.registries.entities[e].kind), name, url }
        }).collect(),
        publisher,
        translation_of_work: (original != i).then(|| article_node(ctx, original)),
        url: &view.permalink,
        work_translation: if original == i { ctx.site.translations[i].iter().map(|&j| article_node(ctx, j)).collect() } else { Vec::new() },
    };
    page.jsonld = Some(script_json(&ld));
}

/// JSON-LD of entity `e` on its page in `lang`: its schema.org type, `name`
/// in the page's language and `alternateName` with its names in the other
/// languages and its aliases.
pub fn entity(ctx: &Ctx<'_>, lang: &str, e: usize, page: &mut PageView) {
    let ent = &ctx.site.registries.entities[e];
    let link = ctx.term(Registry::Entities, e, lang);
    let name = &link.name;
    let mut alternate: Vec<&str> = Vec::new();
    let others = ctx.site.config.languages.iter().filter(|l| l.code != lang).filter_map(|l| ent.names.get(&l.code));
    let aliases = ctx.site.config.languages.iter().filter_map(|l| ent.aliases.get(&l.code)).flatten();
    for n in others.chain(aliases) {
        if n != name && !alternate.contains(&n.as_str()) {
            alternate.push(n);
        }
    }
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": schema_type(ent.kind),
        "@id": ctx.entity_node_id(e),
        "name": name,
        "url": link.permalink,
        "inLanguage": lang,
    });
    if !alternate.is_empty() {
        ld["alternateName"] = json!(alternate);
    }
    page.jsonld = Some(script_json(&ld));
}

/// `WebSite` JSON-LD of a language's home.
pub fn website(ctx: &Ctx<'_>, lang: &str, page: &mut PageView) {
    let cfg = &ctx.site.config;
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_title(ctx, lang),
        "url": ctx.permalink(&format!("{lang}/")),
        "inLanguage": lang,
    });
    let description = cfg.description.get(lang, ctx.default_lang());
    if !description.is_empty() {
        ld["description"] = json!(description);
    }
    page.jsonld = Some(script_json(&ld));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_have_a_territory() {
        assert_eq!(og_locale("ar"), "ar_AR");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert_eq!(og_locale("zh-Hant-TW"), "zh_TW");
        assert_eq!(og_locale("tlh"), "tlh");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({ "headline": "</script><script>alert(1)</script> & \"q\" <!--" });
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        let v = json!({ "a": "x\u{2028}y\u{2029}z — عربي <b>" });
        assert_eq!(script_json(&v), "{\"a\":\"x\\u2028y\\u2029z — عربي \\u003cb\\u003e\"}");
    }
}
