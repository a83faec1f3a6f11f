//! View structs: what templates see (documented in docs/themes.md). Kept
//! apart from the domain types so the model can change without breaking themes.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct LangView {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LangLink {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
    pub url: String,
    pub permalink: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Nav {
    pub home: String,
    pub topics: String,
    pub entities: String,
    /// The language's search page.
    pub search: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub url: String,
    pub permalink: String,
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// Open Graph and Twitter card data (see `meta.rs`).
    pub og: OpenGraph,
    /// schema.org JSON-LD, serialized and escaped for a `<script>` element.
    pub jsonld: Option<String>,
    /// The Atom feeds this page links, most specific first.
    pub feeds: Vec<FeedLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub url: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenGraph {
    /// `og:type`: `article` or `website`.
    #[serde(rename = "type")]
    pub og_type: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub site_name: String,
    /// `ar_AR`, `en_US`...
    pub locale: String,
    pub locale_alternates: Vec<String>,
    pub image: Option<OgImage>,
    pub article: Option<OgArticle>,
    /// `summary` or `summary_large_image`.
    pub twitter_card: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct OgImage {
    pub url: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OgArticle {
    pub published_time: String,
    pub modified_time: String,
    pub section: Option<String>,
    pub tags: Vec<String>,
}

/// The context every page template gets: the part that every page of its
/// language shares ([`Shared`]) and this part, its own.
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    pub page: PageView,
    pub alternates: Vec<LangLink>,
    pub missing: Vec<Missing>,
}

/// What every page of one language has in its context alike (made once per
/// language and thread in a full build, not per page).
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    pub lang: LangView,
    pub site: SiteView,
    pub languages: Vec<LangLink>,
    pub nav: Nav,
    pub asset_base: String,
    /// The page language's messages that take no variables, by id with
    /// `-` written `_` (see `I18n::plain_messages`).
    pub ui: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityRefGroup {
    pub kind: &'static str,
    pub label: String,
    pub entities: Vec<EntityRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub src: String,
    /// Absolute URL (for Open Graph and JSON-LD).
    pub permalink: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub lang: String,
    pub dir: &'static str,
    pub date_iso: String,
    pub date_display: String,
    pub updated_iso: Option<String>,
    pub updated_display: Option<String>,
    pub author: Option<String>,
    pub summary: String,
    pub body_html: String,
    pub reading_minutes: u32,
    pub reading_display: String,
    pub topics: Vec<TopicRef>,
    pub entities: Vec<EntityRef>,
    /// `entities` by kind (in `EntityKind::ALL` order, empty kinds left
    /// out), each with its heading.
    pub entity_groups: Vec<EntityRefGroup>,
    pub image: Option<ImageView>,
    /// Articles of the same language sharing entities and topics, best
    /// first: cards (with `html`, see [`super::context::Cards`]), lent
    /// by the card cache and moved into the page's context, not serialized.
    #[serde(skip)]
    pub related: Vec<tera::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub lang: String,
    pub dir: &'static str,
    pub date_iso: String,
    pub date_display: String,
    pub summary: String,
    pub author: Option<String>,
    pub topics: Vec<TopicRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub n: usize,
    /// `n` in the language's numerals.
    pub n_display: String,
    pub url: String,
    pub is_current: bool,
    /// Pages were left out between the previous link and this one.
    pub gap_before: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub count: usize,
    pub count_display: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub url: String,
    pub count: usize,
    pub count_display: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityGroup {
    pub kind: &'static str,
    pub label: String,
    pub entities: Vec<EntityView>,
}
