//! Builders of the template views from the `Site` model: URLs, the base
//! context, cards, article views and pagination. Pure functions.

use super::views::*;
use crate::config::Language;
use crate::content::Article;
use crate::i18n::{Arg, I18n};
use crate::markdown::Rendered;
use super::terms::Registry;
use crate::registry::EntityKind;
use crate::site::Site;
use crate::diag::Diagnostic;
use crate::theme::Theme;
use crate::lock;
use std::sync::Mutex;

/// Everything a page builder needs, shared by all pages of one build.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub i18n: &'a I18n,
    pub bodies: &'a [Rendered],
    /// Article cards for the lists; `None` where no page is rendered (the
    /// search index), and asking for a card there is an error.
    pub cards: Option<&'a Cards<'a>>,
    /// The bodies' HTML when the caller handed it over (`bodies[i].html` is
    /// then empty), each freed once nothing still to be made shows it.
    pub html: Option<&'a Htmls>,
    /// The terms' names and links, made once; `None`, each is made when asked for.
    pub terms: Option<&'a super::terms::TermLinks>,
}

/// Bodies' HTML handed over to the renderer: every body is kept from the
/// index until its page is made, and freeing each once its page (and, for
/// the newest, its feed entries) is made lets the rest of the build reuse
/// its memory.
pub struct Htmls {
    slots: Vec<Mutex<String>>,
    /// Shown by a feed too: kept after its page.
    keep: Vec<bool>,
}

impl Htmls {
    /// `html` by article; `keep`: those a feed shows as well.
    pub fn new(html: Vec<String>, keep: Vec<bool>) -> Htmls {
        Htmls { slots: html.into_iter().map(Mutex::new).collect(), keep }
    }

    /// Free the slots off the caller's path (see `crate::drop_later`).
    pub fn drop_later(self) {
        crate::drop_later(self.slots);
    }
}

/// Every article's card, made the first time a page shows it and kept for
/// every page after that: its fields and its HTML (the theme's `card.html`),
/// so a list page costs no template run per card. A page borrows each card
/// it shows ([`Ctx::lend_card`]): the value moves into its context and back
/// once it has rendered ([`Ctx::give_back_card`]), rather than being copied
/// (about a twentieth of a large build's CPU time went to those copies).
pub struct Cards<'a> {
    tera: &'a tera::Tera,
    theme: &'a Theme,
    slots: Vec<Mutex<Slot>>,
}

enum Slot {
    Unmade,
    Ready(tera::Value),
    /// On a page being rendered: a page asking for it meanwhile gets it
    /// made again (the same value).
    Lent,
    Failed(Diagnostic),
}

impl<'a> Cards<'a> {
    pub fn new(tera: &'a tera::Tera, theme: &'a Theme, articles: usize) -> Cards<'a> {
        Cards { tera, theme, slots: (0..articles).map(|_| Mutex::new(Slot::Unmade)).collect() }
    }

    /// Free the cards off the caller's path (see `crate::drop_later`).
    pub fn drop_later(self) {
        crate::drop_later(self.slots);
    }
}

/// Why a page could not be made: a message (from the strings, reported
/// against `i18n`) or a diagnostic of its own (a template's).
#[derive(Debug)]
pub enum PageError {
    Message(String),
    Diagnostic(Diagnostic),
}

impl From<String> for PageError {
    fn from(msg: String) -> Self {
        PageError::Message(msg)
    }
}

impl PageError {
    pub fn into_diagnostic(self) -> Diagnostic {
        match self {
            PageError::Message(msg) => Diagnostic::error("i18n", msg),
            PageError::Diagnostic(d) => d,
        }
    }
}

/// Pages linked on either side of the current one in a pagination.
pub const PAGE_WINDOW: usize = 2;

/// Page numbers linked from page `n` of `total`: 1, `n ± PAGE_WINDOW` and `total`,
/// in order, each with whether pages were skipped just before it.
pub fn page_window(n: usize, total: usize) -> Vec<(usize, bool)> {
    let lo = n.saturating_sub(PAGE_WINDOW).max(1);
    let hi = (n + PAGE_WINDOW).min(total);
    let mut pages: Vec<usize> = Vec::with_capacity(2 * PAGE_WINDOW + 3);
    pages.push(1);
    pages.extend((lo..=hi).filter(|&k| k > 1));
    if total > hi && total > 1 {
        pages.push(total);
    }
    let mut prev = 0;
    pages.into_iter().map(|k| {
        let gap = k > prev + 1;
        prev = k;
        (k, gap)
    }).collect()
}

/// Relative URL (below the base path) of page `n` of a list whose first page is `first`.
pub fn page_rel(first: &str, n: usize) -> String {
    if n <= 1 { first.to_string() } else { format!("{first}page/{n}/") }
}

impl<'a> Ctx<'a> {
    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.site.config.base_path, rel)
    }
    pub fn permalink(&self, rel: &str) -> String {
        format!("{}/{}", self.site.config.base_url, rel)
    }
    pub fn default_lang(&self) -> &str {
        &self.site.config.default_language
    }

    /// A Fluent message; a failure becomes the message id so a page still
    /// renders (the strings were checked for the required ids at load time).
    pub fn t(&self, lang: &str, id: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        self.i18n.t(lang, id, args).map_err(|e| format!("i18n/{lang}.ftl: message `{id}`: {e}"))
    }

    pub fn lang_view(l: &Language) -> LangView {
        LangView { code: l.code.clone(), name: l.name.clone(), dir: l.dir.as_str() }
    }

    pub fn lang_link(&self, l: &Language, rel: &str) -> LangLink {
        LangLink { code: l.code.clone(), name: l.name.clone(), dir: l.dir.as_str(), url: self.url(rel), permalink: self.permalink(rel) }
    }

    /// The own part of the base context of a page at `rel` in language `lang`
    /// (the rest is [`Ctx::shared`]).
    pub fn base(&self, lang: &Language, kind: &'static str, rel: &str, title: String, description: String, alternates: Vec<LangLink>, missing: Vec<Missing>) -> Base {
        let og = super::meta::website_og(self, &lang.code, &title, &description, &self.permalink(rel), &alternates);
        let feeds = vec![super::meta::language_feed(self, &lang.code)];
        Base {
            page: PageView { kind, url: self.url(rel), permalink: self.permalink(rel), title, description, canonical: self.permalink(rel), og, jsonld: None, feeds },
            alternates,
            missing,
        }
    }

    /// The part of the base context every page in language `lang` shares.
    pub fn shared(&self, lang: &Language) -> Shared {
        let cfg = &self.site.config;
        let def = self.default_lang();
        Shared {
            lang: Self::lang_view(lang),
            site: SiteView {
                title: cfg.title.get(&lang.code, def).to_string(),
                description: cfg.description.get(&lang.code, def).to_string(),
                base_url: cfg.base_url.clone(),
            },
            languages: cfg.languages.iter().map(|l| self.lang_link(l, &format!("{}/", l.code))).collect(),
            nav: Nav {
                home: self.url(&format!("{}/", lang.code)),
                topics: self.url(&format!("{}/topics/", lang.code)),
                entities: self.url(&format!("{}/entities/", lang.code)),
                search: self.url(&format!("{}/search/", lang.code)),
            },
            asset_base: cfg.base_path.clone(),
            ui: self.i18n.plain_messages(&lang.code).into_iter().map(|(id, text)| (id.replace('-', "_"), text)).collect(),
        }
    }

    /// A template context holding [`Ctx::shared`] of `lang`.
    pub fn shared_context(&self, lang: &Language) -> Result<tera::Context, String> {
        tera::Context::from_serialize(self.shared(lang)).map_err(|e| e.to_string())
    }

    /// The same relative page in every other language.
    pub fn other_langs(&self, lang: &str, rel_of: impl Fn(&str) -> String) -> Vec<LangLink> {
        self.site.config.languages.iter().filter(|l| l.code != lang).map(|l| self.lang_link(l, &rel_of(&l.code))).collect()
    }

    pub fn topic_name(&self, i: usize, lang: &str) -> String {
        self.term(Registry::Topics, i, lang).name.clone()
    }

    pub fn entity_name(&self, i: usize, lang: &str) -> String {
        self.term(Registry::Entities, i, lang).name.clone()
    }

    pub fn topic_refs(&self, a: &Article) -> Vec<TopicRef> {
        a.topics.iter().filter_map(|id| self.site.registries.topic_pos(id)).map(|i| {
            let link = self.term(Registry::Topics, i, &a.lang);
            TopicRef { id: self.site.registries.topics[i].id.clone(), name: link.name.clone(), url: link.url.clone() }
        }).collect()
    }

    pub fn entity_refs(&self, a: &Article) -> Vec<EntityRef> {
        a.entities.iter().filter_map(|id| self.site.registries.entity_pos(id)).map(|i| {
            let e = &self.site.registries.entities[i];
            let link = self.term(Registry::Entities, i, &a.lang);
            EntityRef { id: e.id.clone(), name: link.name.clone(), kind: e.kind.as_str(), url: link.url.clone() }
        }).collect()
    }

    fn dir_of(&self, lang: &str) -> &'static str {
        self.site.config.language(lang).map_or("ltr", |l| l.dir.as_str())
    }

    pub fn summary(&self, i: usize) -> String {
        let a = &self.site.articles[i];
        a.summary.clone().unwrap_or_else(|| self.bodies[i].first_paragraph.clone())
    }

    /// Article `i`'s card, lent (see [`Cards`]): hand it back with
    /// [`Ctx::give_back_card`] once the page showing it has rendered.
    pub fn lend_card(&self, i: usize) -> Result<tera::Value, PageError> {
        let Some(cards) = self.cards else {
            return Err(PageError::Message("internal error: article cards asked for without a template engine".into()));
        };
        let mut slot = lock(&cards.slots[i]);
        match std::mem::replace(&mut *slot, Slot::Lent) {
            Slot::Ready(v) => Ok(v),
            Slot::Lent => {
                drop(slot);
                self.make_card(cards, i).map_err(PageError::Diagnostic)
            }
            Slot::Unmade => self.make_card(cards, i).map_err(|d| {
                *slot = Slot::Failed(d.clone());
                PageError::Diagnostic(d)
            }),
            Slot::Failed(d) => {
                *slot = Slot::Failed(d.clone());
                Err(PageError::Diagnostic(d))
            }
        }
    }

    /// Article `i`'s card back from a page (see [`Ctx::lend_card`]).
    pub fn give_back_card(&self, i: usize, card: tera::Value) {
        if let Some(cards) = self.cards {
            let mut slot = lock(&cards.slots[i]);
            if matches!(*slot, Slot::Lent) {
                *slot = Slot::Ready(card);
            }
        }
    }

    fn make_card(&self, cards: &Cards<'_>, i: usize) -> Result<tera::Value, Diagnostic> {
        let card = self.card_fields(i).map_err(|msg| Diagnostic::error("i18n", msg))?;
        let mut c = tera::Context::new();
        c.insert("card", &card);
        let html = cards.tera.render("card.html", &c).map_err(|e| super::engine::render_error(cards.theme, "card.html", &e))?;
        // the value the template was given (inserted just above, so
        // present), serialized once, then its HTML added
        let mut value = c.remove("card").unwrap_or(tera::Value::Null);
        if let tera::Value::Object(map) = &mut value {
            map.insert("html".to_string(), tera::Value::String(html));
        }
        Ok(value)
    }

    fn card_fields(&self, i: usize) -> Result<Card, String> {
        let a = &self.site.articles[i];
        Ok(Card {
            title: a.title.clone(),
            url: self.url(&a.rel_url()),
            lang: a.lang.clone(),
            dir: self.dir_of(&a.lang),
            date_iso: a.date.iso(),
            date_display: self.i18n.format_date(&a.lang, a.date.date())?,
            summary: self.summary(i),
            author: a.author.clone(),
            topics: self.topic_refs(a),
        })
    }

    pub fn article_view(&self, i: usize) -> Result<ArticleView, PageError> {
        let a = &self.site.articles[i];
        let body = &self.bodies[i];
        let updated_display = match &a.updated {
            Some(u) => Some(self.i18n.format_date(&a.lang, u.date())?),
            None => None,
        };
        let image = a.image.as_ref().map(|img| {
            let external = img.src.starts_with("http://") || img.src.starts_with("https://");
            let rel = img.src.trim_start_matches('/');
            ImageView {
                src: if external { img.src.clone() } else { self.url(rel) },
                permalink: if external { img.src.clone() } else { self.permalink(rel) },
                alt: img.alt.clone(),
            }
        });
        let entities = self.entity_refs(a);
        let mut entity_groups = Vec::new();
        for kind in EntityKind::ALL {
            let members: Vec<EntityRef> = entities.iter().filter(|e| e.kind == kind.as_str()).cloned().collect();
            if !members.is_empty() {
                let label = self.t(&a.lang, &format!("entity-group-{}", kind.as_str()), &[])?;
                entity_groups.push(EntityRefGroup { kind: kind.as_str(), label, entities: members });
            }
        }
        Ok(ArticleView {
            title: a.title.clone(),
            url: self.url(&a.rel_url()),
            permalink: self.permalink(&a.rel_url()),
            lang: a.lang.clone(),
            dir: self.dir_of(&a.lang),
            date_iso: a.date.iso(),
            date_display: self.i18n.format_date(&a.lang, a.date.date())?,
            updated_iso: a.updated.as_ref().map(|u| u.iso()),
            updated_display,
            author: a.author.clone(),
            summary: self.summary(i),
            body_html: self.linked_body(i),
            reading_minutes: body.reading_minutes,
            reading_display: self.t(&a.lang, "reading-time", &[("minutes", Arg::Num(i64::from(body.reading_minutes)))])?,
            topics: self.topic_refs(a),
            entities,
            entity_groups,
            image,
            related: self.site.related[i].iter().map(|&j| self.lend_card(j)).collect::<Result<_, _>>()?,
        })
    }

    /// The rendered body with the first mention of each entity linked to its
    /// page (`link_mentions: first`), or as rendered (`none`).
    pub fn linked_body(&self, i: usize) -> String {
        let Some(h) = self.html else { return self.link_body(i, &self.bodies[i].html) };
        let mut slot = lock(&h.slots[i]);
        if h.keep.get(i).copied().unwrap_or(true) {
            return self.link_body(i, &slot);
        }
        // its page is the last to show it
        let html = std::mem::take(&mut *slot);
        drop(slot);
        self.link_body(i, &html)
    }

    /// Article `i`'s body HTML, as a feed shows it.
    pub fn with_body_html<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> R {
        match self.html {
            Some(h) => f(&lock(&h.slots[i])),
            None => f(&self.bodies[i].html),
        }
    }

    fn link_body(&self, i: usize, html: &str) -> String {
        let site = self.site;
        if site.config.link_mentions == crate::config::LinkMentions::None {
            return html.to_string();
        }
        let a = &site.articles[i];
        let found = &site.mentions[i];
        let url = |e: usize| self.term(Registry::Entities, e, &a.lang).url.clone();
        match &found.links {
            // placed when the body was read (for the HTML it had then)
            Some(links) if links.html_len == html.len() => crate::mentions::splice(html, &links.at, url),
            _ => {
                let counted: Vec<usize> = found.counts.iter().map(|&(e, _)| e).collect();
                site.detector.link_first(&a.lang, html, &counted, &found.named, &found.licensed, url)
            }
        }
    }

    pub fn count_display(&self, lang: &str, n: usize) -> Result<String, String> {
        self.t(lang, "article-count", &[("count", Arg::Num(n as i64))])
    }

    pub fn kind_label(&self, lang: &str, kind: EntityKind) -> Result<String, String> {
        self.t(lang, &format!("entity-kind-{}", kind.as_str()), &[])
    }

    /// Pagination of page `n` (1-based) of `total` pages whose first page is `first`.
    /// The page links are the first, the last and the [`PAGE_WINDOW`] pages on
    /// either side of the current one, so that a page's size does not grow with
    /// the number of pages (which would make the whole list quadratic).
    pub fn pagination(&self, lang: &str, first: &str, n: usize, total: usize) -> Option<Pagination> {
        if total <= 1 {
            return None;
        }
        Some(Pagination {
            current: n,
            total,
            prev_url: (n > 1).then(|| self.url(&page_rel(first, n - 1))),
            next_url: (n < total).then(|| self.url(&page_rel(first, n + 1))),
            pages: page_window(n, total).into_iter().map(|(k, gap_before)| PageLink {
                n: k,
                n_display: self.i18n.format_number(lang, k as i64),
                url: self.url(&page_rel(first, k)),
                is_current: k == n,
                gap_before,
            }).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn pagination_links_a_window_not_every_page() {
        assert_eq!(page_window(1, 1), vec![(1, false)]);
        assert_eq!(page_window(1, 3), vec![(1, false), (2, false), (3, false)]);
        assert_eq!(page_window(1, 500), vec![(1, false), (2, false), (3, false), (500, true)]);
        assert_eq!(page_window(250, 500), vec![(1, false), (248, true), (249, false), (250, false), (251, false), (252, false), (500, true)]);
        assert_eq!(page_window(4, 6), vec![(1, false), (2, false), (3, false), (4, false), (5, false), (6, false)]);
        assert_eq!(page_window(500, 500), vec![(1, false), (498, true), (499, false), (500, false)]);
        for total in 1..40 {
            for n in 1..=total {
                let w = page_window(n, total);
                assert!(w.len() <= 7 && w.windows(2).all(|p| p[0].0 < p[1].0));
                assert!(w.iter().any(|&(k, _)| k == n) && w[0].0 == 1 && w.last().unwrap().0 == total);
            }
        }
    }
}
