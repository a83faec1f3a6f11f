//! What the watcher reuses from one rebuild to the next: rendered markdown
//! bodies (by body text) and the articles themselves, moved into a `Site`
//! and back out of it rather than copied.

use crate::config::Config;
use crate::content::Article;
use crate::diag::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::registry::Registries;
use crate::site::{Facts, Site};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// The rendered body of every article of `site` (`keys`: their cache keys),
/// from the cache when its markdown is unchanged, else as the index rendered
/// it (taken from the article); the cache is emptied.
pub fn bodies_for(cache: &mut HashMap<u64, Rendered>, site: &mut Site, keys: &[u64]) -> Vec<Rendered> {
    let opts = markdown::Options { unsafe_html: site.config.unsafe_html };
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut out: Vec<Option<Rendered>> = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        let rendered_by_index = site.articles[i].prerendered.take().map(|r| *r);
        let r = match first.get(k) {
            Some(&j) => out[j].clone(),
            None => cache.remove(k).or(rendered_by_index),
        };
        out.push(r);
        first.entry(*k).or_insert(i);
    }
    let missing: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_none()).collect();
    let rendered: Vec<(usize, Rendered)> = missing.into_par_iter().map(|i| (i, markdown::render(&site.articles[i].body, &opts))).collect();
    for (i, r) in rendered {
        out[i] = Some(r);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// Articles and registries handed back when the index refuses them.
pub type Refused = (Vec<Diagnostic>, Option<Box<(Registries, Vec<Article>)>>);

/// `Site::new`, keeping the articles when it refuses them (checked first, so
/// that the common case moves them instead of copying).
pub fn index(config: Config, regs: Registries, articles: Vec<Article>, known: impl Fn(&Article) -> Option<Facts> + Sync) -> Result<Site, Refused> {
    let mut urls = HashSet::new();
    let mut keys = HashSet::new();
    let clash = articles.iter().any(|a| {
        !urls.insert((a.lang.as_str(), a.date.year(), a.date.month(), a.slug.as_str())) || !keys.insert((a.lang.as_str(), a.translation_key.as_str()))
    });
    if !clash {
        return Site::new_with(config, regs, articles, known).map_err(|e| (e, None));
    }
    let copy = Registries::new(regs.topics.clone(), regs.entities.clone());
    Site::new(config, copy, articles.clone()).map_err(|e| (e, Some(Box::new((regs, articles)))))
}
