//! The `Site` model: validated config, registries and articles, indexed once
//! (articles per language newest first, translation groups, topic and entity
//! membership). Pure: built from values, reads nothing, writes nothing.

use crate::config::Config;
use crate::content::Article;
use crate::diag::Diagnostic;
use crate::registry::Registries;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub registries: Registries,
    /// Newest first (then by language and slug, for a stable order).
    pub articles: Vec<Article>,
    /// Article indexes per language code, newest first.
    pub by_lang: BTreeMap<String, Vec<usize>>,
    /// For each article, the indexes of the same article in the other languages.
    pub translations: Vec<Vec<usize>>,
    /// Per topic (registry order): article indexes per language, newest first.
    pub topic_members: Vec<BTreeMap<String, Vec<usize>>>,
    pub entity_members: Vec<BTreeMap<String, Vec<usize>>>,
}

impl Site {
    /// Index the articles. Errors: two articles with one URL, or two articles
    /// of one language sharing a translation key.
    pub fn new(config: Config, registries: Registries, mut articles: Vec<Article>) -> Result<Site, Vec<Diagnostic>> {
        articles.sort_by(|a, b| {
            b.date.timestamp().cmp(&a.date.timestamp())
                .then_with(|| a.lang.cmp(&b.lang))
                .then_with(|| a.slug.cmp(&b.slug))
                .then_with(|| a.source.cmp(&b.source))
        });
        let mut errs = Vec::new();

        let mut urls: HashMap<String, usize> = HashMap::with_capacity(articles.len());
        for (i, a) in articles.iter().enumerate() {
            if let Some(&j) = urls.get(&a.rel_url()) {
                let other = &articles[j];
                errs.push(Diagnostic::error(&a.source, format!("this article and {} both map to /{}", other.source.display(), a.rel_url()))
                    .with_hint("give one of them a different `slug`"));
            } else {
                urls.insert(a.rel_url(), i);
            }
        }

        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in articles.iter().enumerate() {
            let group = groups.entry(a.translation_key.as_str()).or_default();
            if let Some(&j) = group.iter().find(|&&j| articles[j].lang == a.lang) {
                errs.push(Diagnostic::error(&a.source, format!(
                    "this article and {} are both the `{}` version of translation key `{}`",
                    articles[j].source.display(), a.lang, a.translation_key))
                    .with_hint("give one of them another `translation_key` (or file name)"));
                continue;
            }
            group.push(i);
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let mut translations = vec![Vec::new(); articles.len()];
        for members in groups.values() {
            for &i in members {
                translations[i] = members.iter().copied().filter(|&j| j != i).collect();
            }
        }
        let lang_order = |code: &str| config.languages.iter().position(|l| l.code == code).unwrap_or(usize::MAX);
        for t in &mut translations {
            t.sort_by_key(|&j| lang_order(&articles[j].lang));
        }

        let mut by_lang: BTreeMap<String, Vec<usize>> = config.languages.iter().map(|l| (l.code.clone(), Vec::new())).collect();
        let mut topic_members = vec![BTreeMap::<String, Vec<usize>>::new(); registries.topics.len()];
        let mut entity_members = vec![BTreeMap::<String, Vec<usize>>::new(); registries.entities.len()];
        for (i, a) in articles.iter().enumerate() {
            by_lang.entry(a.lang.clone()).or_default().push(i);
            for t in &a.topics {
                if let Some(p) = registries.topic_pos(t) {
                    topic_members[p].entry(a.lang.clone()).or_default().push(i);
                }
            }
            for e in &a.entities {
                if let Some(p) = registries.entity_pos(e) {
                    entity_members[p].entry(a.lang.clone()).or_default().push(i);
                }
            }
        }
        Ok(Site { config, registries, articles, by_lang, translations, topic_members, entity_members })
    }

    /// Topics named by at least one article (registry order).
    pub fn used_topics(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.registries.topics.len()).filter(|&i| !self.topic_members[i].is_empty())
    }

    pub fn used_entities(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.registries.entities.len()).filter(|&i| !self.entity_members[i].is_empty())
    }

    pub fn lang_articles(&self, lang: &str) -> &[usize] {
        self.by_lang.get(lang).map_or(&[], Vec::as_slice)
    }
}
