//! The site of the last good index, kept between rebuilds. While only
//! article files change, and each edit keeps its article's URL and date, the
//! edits are applied to it in place (`Site::replace`, `search::Index::update`)
//! instead of indexing every article again; anything else dissolves it: the
//! articles go back to their sources, their mention analyses and rendered
//! bodies to the caches, and the next index is made anew.

use super::incremental::{put_back, Incremental};
use super::plan::{date_key, hash_of};
use crate::build::{self, Failure};
use crate::markdown::{self, Rendered};
use crate::render::context::Ctx;
use crate::search;
use crate::site::Site;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

pub struct Live {
    pub site: Site,
    /// Per article of `site`: its rendered body, the body's cache key and
    /// the version of its source file.
    pub bodies: Vec<Rendered>,
    pub body_keys: Vec<u64>,
    pub versions: Vec<u64>,
    /// Article index by source path.
    at: HashMap<PathBuf, usize>,
    /// `None` until first made (or after an update it could not apply).
    pub search: Option<search::Index>,
    /// The sitemap parts' keys of the last render, and whether the edits
    /// since kept every URL, date, translation and membership (so that they
    /// still hold).
    pub sitemap_parts: Option<HashMap<String, u64>>,
    pub same_structure: bool,
}

impl Live {
    pub fn new(site: Site, bodies: Vec<Rendered>, body_keys: Vec<u64>, versions: Vec<u64>) -> Live {
        let at = site.articles.iter().enumerate().map(|(i, a)| (a.source.clone(), i)).collect();
        Live { site, bodies, body_keys, versions, at, search: None, sitemap_parts: None, same_structure: false }
    }
}

impl Incremental {
    /// Give the live site's articles back to their sources (those not
    /// edited since), and its analyses and bodies to the caches.
    pub(super) fn dissolve(&mut self) {
        let Some(live) = self.live.take() else { return };
        let Some(p) = self.parts.as_mut() else { return };
        let (rv, cv) = (p.regs_version, p.config_version);
        let Site { articles, mentions, body_words, .. } = live.site;
        self.bodies = live.body_keys.into_iter().zip(live.bodies).collect();
        self.facts = live.versions.iter().zip(mentions.into_iter().zip(body_words))
            .map(|(&v, f)| (hash_of(&(v, rv, cv)), f)).collect();
        let current: Vec<_> = articles.into_iter().zip(live.versions)
            .filter(|(a, v)| p.sources.get(&a.source).is_some_and(|s| s.version == *v))
            .map(|(a, _)| a).collect();
        put_back(p, current);
    }

    /// Apply the edited articles to the live site in place and render what
    /// changed; `None` when that cannot be done (errors, an article added,
    /// removed, moved or turned into a draft): the caller indexes anew.
    pub(super) fn patch(&mut self, start: Instant) -> Option<Result<super::Report, Failure>> {
        let p = self.parts.as_mut()?;
        let live = self.live.as_mut()?;
        if p.moved || p.touched.is_empty() {
            return None;
        }
        let warnings = Self::checked(p).ok()?;
        let Some(i18n) = p.i18n.0.as_ref() else { return None };
        let opts = markdown::Options { unsafe_html: live.site.config.unsafe_html };
        build::timing("sources", start);
        let t = Instant::now();
        let mut same = true;
        for shown in &p.touched {
            let s = p.sources.get_mut(shown)?;
            let &i = live.at.get(shown)?;
            let a = s.article.take()?;
            if a.draft && !self.opts.drafts {
                s.article = Some(a);
                return None;
            }
            let dates = |a: &crate::content::Article| (date_key(&a.date), a.updated.as_ref().map(date_key));
            let before = dates(&live.site.articles[i]);
            match live.site.replace(i, a, None) {
                Ok(r) => same &= r.topics.is_empty() && r.entities.is_empty() && before == dates(&live.site.articles[i]),
                Err(a) => {
                    s.article = Some(*a);
                    return None;
                }
            }
            live.versions[i] = s.version;
            let key = hash_of(&(s.body, opts.unsafe_html));
            if live.body_keys[i] != key {
                live.bodies[i] = markdown::render(&live.site.articles[i].body, &opts);
                live.body_keys[i] = key;
            }
            let ctx = Ctx { site: &live.site, i18n, bodies: &live.bodies, cards: None, html: None, terms: None };
            if let Some(ix) = live.search.as_mut() {
                // an index it cannot update (or an error, reported by the full render) is made anew
                if !ix.update(&ctx, i).unwrap_or(false) {
                    live.search = None;
                }
            }
        }
        build::timing("index", t);
        live.same_structure = same;
        Some(self.render_live(start, warnings))
    }
}
