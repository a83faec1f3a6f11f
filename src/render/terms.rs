//! Each topic's and entity's name and links in each language, made once per
//! build: article pages, cards, feeds and JSON-LD show them for every
//! article that has the term, and formatting each URL afresh there was a
//! sizeable share of making those pages.

use super::context::Ctx;
use crate::registry::pick;
use std::borrow::Cow;

/// A topic's or an entity's name and links in one language.
#[derive(Debug, Clone)]
pub struct TermLink {
    pub name: String,
    /// Below the base path: `/ar/topics/politics/`.
    pub url: String,
    pub permalink: String,
}

/// Every topic's and entity's [`TermLink`] in every language of the site,
/// and each entity's JSON-LD node id.
#[derive(Debug)]
pub struct TermLinks {
    langs: Vec<LangTerms>,
    node_ids: Vec<String>,
}

#[derive(Debug)]
struct LangTerms {
    code: String,
    topics: Vec<TermLink>,
    entities: Vec<TermLink>,
}

impl TermLink {
    /// The name, URL and permalink of `link`, borrowed where it is.
    pub fn parts(link: Cow<'_, TermLink>) -> (Cow<'_, str>, Cow<'_, str>, Cow<'_, str>) {
        match link {
            Cow::Borrowed(l) => (Cow::Borrowed(&l.name), Cow::Borrowed(&l.url), Cow::Borrowed(&l.permalink)),
            Cow::Owned(l) => (Cow::Owned(l.name), Cow::Owned(l.url), Cow::Owned(l.permalink)),
        }
    }
}

/// Which registry a term is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registry {
    Topics,
    Entities,
}

impl TermLinks {
    pub fn new(ctx: &Ctx<'_>) -> TermLinks {
        let site = ctx.site;
        let langs = site.config.languages.iter().map(|l| LangTerms {
            code: l.code.clone(),
            topics: (0..site.registries.topics.len()).map(|t| make(ctx, Registry::Topics, t, &l.code)).collect(),
            entities: (0..site.registries.entities.len()).map(|e| make(ctx, Registry::Entities, e, &l.code)).collect(),
        }).collect();
        let node_ids = (0..site.registries.entities.len()).map(|e| node_id(ctx, e)).collect();
        TermLinks { langs, node_ids }
    }

    fn get(&self, of: Registry, i: usize, lang: &str) -> Option<&TermLink> {
        let l = self.langs.iter().find(|l| l.code == lang)?;
        match of {
            Registry::Topics => l.topics.get(i),
            Registry::Entities => l.entities.get(i),
        }
    }
}

/// Term `i`'s name and links in `lang`, as [`TermLinks::new`] makes them.
fn make(ctx: &Ctx<'_>, of: Registry, i: usize, lang: &str) -> TermLink {
    let regs = &ctx.site.registries;
    let (name, rel) = match of {
        Registry::Topics => {
            let t = &regs.topics[i];
            (pick(&t.labels, lang, ctx.default_lang(), &t.id), format!("{lang}/topics/{}/", t.id))
        }
        Registry::Entities => {
            let e = &regs.entities[i];
            (pick(&e.names, lang, ctx.default_lang(), &e.id), format!("{lang}/entities/{}/", e.id))
        }
    };
    TermLink { name: name.to_string(), url: ctx.url(&rel), permalink: ctx.permalink(&rel) }
}

/// Entity `e`'s JSON-LD node id, the same on every page and in every
/// language: its default-language page's URL with `#entity`.
fn node_id(ctx: &Ctx<'_>, e: usize) -> String {
    format!("{}#entity", ctx.permalink(&format!("{}/entities/{}/", ctx.default_lang(), ctx.site.registries.entities[e].id)))
}

impl<'a> Ctx<'a> {
    /// Term `i`'s name and links in `lang` (made here for a language the
    /// site does not list, or a context made without [`TermLinks`]).
    pub fn term(&self, of: Registry, i: usize, lang: &str) -> Cow<'_, TermLink> {
        match self.terms.and_then(|t| t.get(of, i, lang)) {
            Some(link) => Cow::Borrowed(link),
            None => Cow::Owned(make(self, of, i, lang)),
        }
    }

    /// Entity `e`'s JSON-LD node id.
    pub fn entity_node_id(&self, e: usize) -> Cow<'_, str> {
        match self.terms.and_then(|t| t.node_ids.get(e)) {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Owned(node_id(self, e)),
        }
    }
}
