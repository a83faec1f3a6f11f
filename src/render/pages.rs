//! One page's template context, from the `Site` model: its own part (page
//! metadata, alternates, its view, lent cards, pagination) built apart from
//! the part every page of its language shares (`Ctx::shared`). Pure.

use super::context::{page_rel, Ctx, PageError};
use super::terms::Registry;
use super::views::*;
use super::{meta, pages_for, Job};
use crate::registry::EntityKind;
use serde::Serialize;

/// A page's template context, built as one JSON object and handed to Tera
/// whole: `tera::Context::insert` serializes every value it is given again,
/// and a list page's cards are already values (see `context::Cards`). It
/// is written over the last context of a page of the same template
/// ([`Spare`]), whose shape it shares (see `reuse`); the keys this page
/// wrote are listed.
pub(super) struct PageCtx(pub(super) tera::Map<String, tera::Value>, Vec<&'static str>);

impl PageCtx {
    fn new(spare: &mut Spare, template: &'static str, base: &Base) -> Result<PageCtx, String> {
        let mut c = PageCtx(spare.take(template), Vec::with_capacity(8));
        super::reuse::update_fields(&mut c.0, base, &mut c.1).map_err(|e| e.to_string())?;
        Ok(c)
    }

    fn put<T: Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), String> {
        super::reuse::update(self.slot(key), v).map_err(|e| e.to_string())
    }

    /// Cards lent by the card cache.
    fn put_cards(&mut self, key: &'static str, cards: Vec<tera::Value>) {
        *self.slot(key) = tera::Value::Array(cards);
    }

    /// `key`'s value, to be written over (null where the spare context had
    /// none), the key listed as this page's.
    fn slot(&mut self, key: &'static str) -> &mut tera::Value {
        self.1.push(key);
        if !self.0.contains_key(key) {
            self.0.insert(key.to_string(), tera::Value::Null);
        }
        // present: inserted just above if it was not
        self.0.get_mut(key).unwrap()
    }

    /// The keys this page wrote.
    pub(super) fn keys(&self) -> &[&'static str] {
        &self.1
    }

    pub(super) fn done(mut self) -> Result<tera::Context, String> {
        // a spare context of another page's shape held other keys: they go
        if self.0.len() != self.1.len() {
            let keys = self.1;
            self.0.retain(|k, _| keys.contains(&k.as_str()));
        }
        tera::Context::from_value(tera::Value::Object(self.0)).map_err(|e| e.to_string())
    }
}

/// A worker's last page context of each template, to write the next over.
#[derive(Default)]
pub(super) struct Spare(std::collections::HashMap<&'static str, tera::Map<String, tera::Value>>);

impl Spare {
    fn take(&mut self, template: &'static str) -> tera::Map<String, tera::Value> {
        self.0.remove(template).unwrap_or_default()
    }

    /// `template`'s page context back, once the page has rendered (its
    /// cards given back).
    pub(super) fn give(&mut self, template: &'static str, own: tera::Map<String, tera::Value>) {
        self.0.insert(template, own);
    }
}

/// Output path, template name and context of one page.
pub(crate) fn page(ctx: &Ctx<'_>, job: Job<'_>) -> Result<(String, &'static str, tera::Context), PageError> {
    let Made { path, template, lang, mut own, lent } = page_parts(ctx, job, &mut Spare::default())?;
    // the context keeps its cards: copies go back to the cache
    lent.give_back(ctx, &mut own.0, true);
    let mut context = ctx.shared_context(lang)?;
    context.extend(own.done()?);
    Ok((path, template, context))
}

/// One page, not rendered yet: its output path, its template, its
/// language (whose [`Ctx::shared`] part its context also holds) and the
/// part of its context that is its own.
pub(super) struct Made<'s> {
    pub(super) path: String,
    pub(super) template: &'static str,
    pub(super) lang: &'s crate::config::Language,
    pub(super) own: PageCtx,
    pub(super) lent: Lent,
}

/// The cards a page's own context holds, lent by the card cache (see
/// [`context::Cards`]), by article: a list page's `articles` or an article's
/// `article.related`.
pub(super) enum Lent {
    Nothing,
    List(Vec<usize>),
    Related(Vec<usize>),
}

impl Lent {
    /// Hand the cards back from a page's own context values: copied, or
    /// moved out with the list holding them (so that the next page's
    /// context, written over this one, has no such key to remove).
    pub(super) fn give_back(&self, ctx: &Ctx<'_>, own: &mut tera::Map<String, tera::Value>, copy: bool) {
        let (holder, key, which) = match self {
            Lent::Nothing => return,
            Lent::List(which) => (Some(own), "articles", which),
            Lent::Related(which) => (own.get_mut("article").and_then(tera::Value::as_object_mut), "related", which),
        };
        let Some(holder) = holder else { return };
        if copy {
            if let Some(tera::Value::Array(cards)) = holder.get(key) {
                for (&i, card) in which.iter().zip(cards) {
                    ctx.give_back_card(i, card.clone());
                }
            }
        } else if let Some(tera::Value::Array(cards)) = holder.remove(key) {
            for (&i, card) in which.iter().zip(cards) {
                ctx.give_back_card(i, card);
            }
        }
    }
}

pub(super) fn page_parts<'s>(ctx: &Ctx<'s>, job: Job<'_>, spare: &mut Spare) -> Result<Made<'s>, PageError> {
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
            let mut c = PageCtx::new(spare, "home.html", &base)?;
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
            let mut c = PageCtx::new(spare, "article.html", &base)?;
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
            let index = Index { section: "topics", title_id: "topics-title", template: "topics.html", key: "topics" };
            index_page(ctx, spare, lang_of(lang)?, index, || {
                let mut topics: Vec<TopicView> = site.used_topics().map(|t| topic_view(ctx, lang, t)).collect::<Result<_, _>>()?;
                topics.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(topics)
            })
        }
        Job::Topic { lang, t, n, total } => {
            let view = topic_view(ctx, lang, t)?;
            let term = Term { section: "topics", kind: "topic", template: "topic.html", id: &view.id, name: &view.name, count: &view.count_display,
                members: site.topic_members[t].get(lang).map_or(&[][..], Vec::as_slice) };
            term_page(ctx, spare, lang_of(lang)?, term, n, total, &view, |_| {})
        }
        Job::Entities { lang } => {
            let index = Index { section: "entities", title_id: "entities-title", template: "entities.html", key: "entity_groups" };
            index_page(ctx, spare, lang_of(lang)?, index, || {
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
                Ok(groups)
            })
        }
        Job::Entity { lang, e, n, total } => {
            let view = entity_view(ctx, lang, e)?;
            let term = Term { section: "entities", kind: "entity", template: "entity.html", id: &view.id, name: &view.name, count: &view.count_display,
                members: site.entity_ranked[e].get(lang).map_or(&[][..], Vec::as_slice) };
            term_page(ctx, spare, lang_of(lang)?, term, n, total, &view, |page| meta::entity(ctx, lang, e, page))
        }
        Job::NotFound => {
            let code = def.code.as_str();
            let title = ctx.t(code, "not-found-title", &[])?;
            let base = ctx.base(def, "not_found", "404.html", title.clone(), title, Vec::new(), Vec::new());
            Ok(Made { path: "404.html".to_string(), template: "404.html", lang: def, own: PageCtx::new(spare, "404.html", &base)?, lent: Lent::Nothing })
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

/// The index of all topics or of all entities in a language.
struct Index {
    /// `topics` or `entities`: the URL's section and the page kind.
    section: &'static str,
    title_id: &'static str,
    template: &'static str,
    /// The name of the list in the context.
    key: &'static str,
}

/// The index page of `index` in `l`'s language, listing what `items` makes
/// (after the page's own metadata, as for the other pages).
fn index_page<'s, T: Serialize>(ctx: &Ctx<'s>, spare: &mut Spare, l: &'s crate::config::Language, index: Index,
    items: impl FnOnce() -> Result<T, PageError>) -> Result<Made<'s>, PageError> {
    let (lang, section) = (l.code.as_str(), index.section);
    let rel = format!("{lang}/{section}/");
    let title = ctx.t(lang, index.title_id, &[])?;
    let base = ctx.base(l, section, &rel, title.clone(), title, ctx.other_langs(lang, |c| format!("{c}/{section}/")), Vec::new());
    let items = items()?;
    let mut c = PageCtx::new(spare, index.template, &base)?;
    c.put(index.key, &items)?;
    Ok(Made { path: format!("{rel}index.html"), template: index.template, lang: l, own: c, lent: Lent::Nothing })
}

/// Page `n` of `total` of a topic's or entity's articles in `l`'s language:
/// the term's view, its cards and pagination, and its feed linked first;
/// `meta` adds to the page's metadata.
fn term_page<'s>(ctx: &Ctx<'s>, spare: &mut Spare, l: &'s crate::config::Language, term: Term<'_>, n: usize, total: usize, view: &impl Serialize,
    meta: impl FnOnce(&mut PageView)) -> Result<Made<'s>, PageError> {
    let lang = l.code.as_str();
    let (section, id) = (term.section, term.id);
    let first = format!("{lang}/{section}/{id}/");
    let rel = page_rel(&first, n);
    let mut base = ctx.base(l, term.kind, &rel, term.name.to_string(), term.count.to_string(),
        ctx.other_langs(lang, |c| format!("{c}/{section}/{id}/")), Vec::new());
    base.page.feeds.insert(0, meta::term_feed(ctx, lang, &first, term.name));
    meta(&mut base.page);
    let mut c = PageCtx::new(spare, term.template, &base)?;
    c.put(term.kind, view)?;
    let (which, cards) = page_cards(ctx, term.members, n)?;
    c.put_cards("articles", cards);
    c.put("pagination", &ctx.pagination(lang, &first, n, total))?;
    Ok(Made { path: format!("{rel}index.html"), template: term.template, lang: l, own: c, lent: Lent::List(which) })
}

fn topic_view(ctx: &Ctx<'_>, lang: &str, t: usize) -> Result<TopicView, String> {
    let count = ctx.site.topic_members[t].get(lang).map_or(0, Vec::len);
    let link = ctx.term(Registry::Topics, t, lang);
    Ok(TopicView {
        name: link.name.clone(),
        url: link.url.clone(),
        id: ctx.site.registries.topics[t].id.clone(),
        count,
        count_display: ctx.count_display(lang, count)?,
    })
}

fn entity_view(ctx: &Ctx<'_>, lang: &str, e: usize) -> Result<EntityView, String> {
    let count = ctx.site.entity_members[e].get(lang).map_or(0, Vec::len);
    let ent = &ctx.site.registries.entities[e];
    let link = ctx.term(Registry::Entities, e, lang);
    Ok(EntityView {
        id: ent.id.clone(),
        name: link.name.clone(),
        kind: ent.kind.as_str(),
        kind_label: ctx.kind_label(lang, ent.kind)?,
        url: link.url.clone(),
        count,
        count_display: ctx.count_display(lang, count)?,
    })
}
