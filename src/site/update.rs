//! Editing one article of an indexed `Site` in place (the watcher's common
//! case: a body or front-matter edit that keeps the article's URL and date).
//! Only what the article touches is worked out again: its mention analysis,
//! the topic and entity lists it joins or leaves, the entity rankings whose
//! counts moved and the related articles of those whose candidate windows
//! changed. The result is the index `Site::new` makes of the same articles.

use super::{add_found_entities, analyze, rank, related_articles, Site, RELATED_WINDOW};
use crate::content::Article;
use crate::mentions::Analysis;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What an in-place edit changed in the index.
#[derive(Debug, Default)]
pub struct Replaced {
    /// Articles whose related articles were ranked again (sorted).
    pub related: Vec<usize>,
    /// Topic and entity lists the article joined or left.
    pub topics: Vec<usize>,
    pub entities: Vec<usize>,
}

/// Add or remove `i` in the `lang` list of `members` (kept in index order;
/// a list left empty goes, as `Site::new` makes none).
fn set_member(members: &mut BTreeMap<String, Vec<usize>>, lang: &str, i: usize, on: bool) {
    let list = members.entry(lang.to_string()).or_default();
    match (list.binary_search(&i), on) {
        (Err(p), true) => list.insert(p, i),
        (Ok(p), false) => {
            list.remove(p);
        }
        _ => {}
    }
    if list.is_empty() {
        members.remove(lang);
    }
}

/// The members of `list` whose related-article window could include
/// position `p` (where `i` is or was).
fn near(list: &[usize], i: usize) -> &[usize] {
    let p = list.binary_search(&i).unwrap_or_else(|p| p);
    &list[p.saturating_sub(RELATED_WINDOW + 2)..(p + RELATED_WINDOW + 3).min(list.len())]
}

impl Site {
    /// Replace article `i` with `new`, an edit of the same file, when the
    /// edit keeps it in its place (same source, language, slug, translation
    /// key, URL and date); `known` is its mention analysis and body text
    /// when already worked out. Gives `new` back otherwise: the caller
    /// indexes the articles anew.
    pub fn replace(&mut self, i: usize, mut new: Article, known: Option<(Analysis, crate::search::BodyWords)>) -> Result<Replaced, Box<Article>> {
        let Some(old) = self.articles.get(i) else { return Err(Box::new(new)) };
        if old.source != new.source || old.lang != new.lang || old.slug != new.slug || old.translation_key != new.translation_key
            || old.date.timestamp() != new.date.timestamp() || old.rel_url() != new.rel_url()
        {
            return Err(Box::new(new));
        }
        let (found, body) = known.unwrap_or_else(|| analyze(&self.detector, &self.registries, &new, &crate::markdown::Options { unsafe_html: self.config.unsafe_html }));
        add_found_entities(&mut new, &found, &self.registries);
        let regs = &self.registries;
        let topics = |a: &Article| -> Vec<usize> { a.topics.iter().filter_map(|id| regs.topic_pos(id)).collect() };
        let entities = |a: &Article| -> Vec<usize> { a.entities.iter().filter_map(|id| regs.entity_pos(id)).collect() };
        let (old_t, new_t, old_e, new_e) = (topics(old), topics(&new), entities(old), entities(&new));
        let flip = |before: &[usize], after: &[usize]| -> Vec<(usize, bool)> {
            let mut v: Vec<(usize, bool)> = before.iter().filter(|x| !after.contains(x)).map(|&x| (x, false)).collect();
            v.extend(after.iter().filter(|x| !before.contains(x)).map(|&x| (x, true)));
            v
        };
        let (topic_flips, entity_flips) = (flip(&old_t, &new_t), flip(&old_e, &new_e));
        let lang = new.lang.clone();
        let mut recount: Vec<usize> = new_e.iter().copied()
            .filter(|&e| found.count_of(e) != self.mentions[i].count_of(e)).collect();

        self.articles[i] = new;
        self.mentions[i] = found;
        self.body_words[i] = body;
        for &(t, on) in &topic_flips {
            set_member(&mut self.topic_members[t], &lang, i, on);
        }
        for &(e, on) in &entity_flips {
            set_member(&mut self.entity_members[e], &lang, i, on);
            recount.push(e);
        }
        recount.sort_unstable();
        recount.dedup();
        for e in recount {
            match self.entity_members[e].get(&lang) {
                Some(list) => {
                    let ranked = rank(list, &self.mentions, e);
                    self.entity_ranked[e].insert(lang.clone(), ranked);
                }
                None => {
                    self.entity_ranked[e].remove(&lang);
                }
            }
        }

        let empty = Vec::new();
        let mut affected = vec![i];
        for &(t, _) in &topic_flips {
            affected.extend_from_slice(near(self.topic_members[t].get(&lang).unwrap_or(&empty), i));
        }
        for &(e, _) in &entity_flips {
            affected.extend_from_slice(near(self.entity_members[e].get(&lang).unwrap_or(&empty), i));
        }
        affected.sort_unstable();
        affected.dedup();
        let ranked = related_articles(&self.articles, &self.registries, &self.topic_members, &self.entity_members, affected.clone().into_par_iter());
        for (&j, r) in affected.iter().zip(ranked) {
            self.related[j] = r;
        }
        Ok(Replaced {
            related: affected,
            topics: topic_flips.into_iter().map(|(t, _)| t).collect(),
            entities: entity_flips.into_iter().map(|(e, _)| e).collect(),
        })
    }
}
