//! The `Site` model: validated config, registries and articles, indexed once
//! (articles per language newest first, translation groups, topic and entity
//! membership, entity mentions, related articles). Pure: built from values,
//! reads nothing, writes nothing.

use crate::search::BodyWords;
use crate::config::Config;
use crate::content::Article;
use crate::diag::Diagnostic;
use crate::markdown::BodyText;
use crate::mentions::{Analysis, Detector, Vocabs};
use crate::registry::Registries;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

mod update;
pub use update::Replaced;

/// Related articles shown under an article, at most.
pub const RELATED_MAX: usize = 5;
/// Related articles are looked for among this many articles on either side
/// of an article in each of its entities and topics.
pub const RELATED_WINDOW: usize = 100;

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
    /// Per entity: `entity_members` ranked for the entity page: most mentions
    /// first, then newest first.
    pub entity_ranked: Vec<BTreeMap<String, Vec<usize>>>,
    /// The registry's names compiled for mention detection.
    pub detector: Detector,
    /// For each article, what mention detection found (without the
    /// individual mentions): counts per entity, named and licensed entities.
    pub mentions: Vec<Analysis>,
    /// For each article, up to [`RELATED_MAX`] articles of its language
    /// sharing entities or topics with it, best first.
    pub related: Vec<Vec<usize>>,
    /// For each article, the words of its body (for search).
    pub body_words: Vec<BodyWords>,
}

impl Site {
    /// Index the articles. Errors: two articles with one URL, or two articles
    /// of one language sharing a translation key.
    pub fn new(config: Config, registries: Registries, articles: Vec<Article>) -> Result<Site, Vec<Diagnostic>> {
        Site::new_with(config, registries, articles, |_| None)
    }

    /// `new`, taking from `known` what is already known of an article (its
    /// mention analysis and body text, from an earlier index of the same
    /// file with the same registries), for incremental rebuilds. The bodies
    /// are read, not rendered (watch renders them itself).
    pub fn new_with(config: Config, registries: Registries, mut articles: Vec<Article>,
        known: impl Fn(&Article) -> Option<Facts> + Sync) -> Result<Site, Vec<Diagnostic>> {
        // checked before anything is read: a refused index costs little
        let translations = order_and_check(&config, &mut articles, |a| a)?;
        let detector = Detector::new(&registries, config.languages.iter().map(|l| l.code.as_str()));
        let reader = Reader { detector: &detector, registries: &registries, bodies: Bodies::Read, unsafe_html: config.unsafe_html };
        let pool = crate::Pool::new();
        let facts: Vec<Facts> = articles.par_iter_mut()
            .map_init(|| pool.take(Vocabs::default), |vocabs, a| reader.read_known(vocabs, a, &known)).collect();
        Ok(Site::assemble(config, registries, detector, articles, facts, translations))
    }

    /// The index of articles already read by a [`Reader`] (made with
    /// `detector`) as they were loaded, each with what it found.
    pub fn of_read(config: Config, registries: Registries, detector: Detector, mut read: Vec<(Article, Facts)>) -> Result<Site, Vec<Diagnostic>> {
        let translations = order_and_check(&config, &mut read, |(a, _)| a)?;
        let (articles, facts) = read.into_iter().unzip();
        Ok(Site::assemble(config, registries, detector, articles, facts, translations))
    }

    /// The indexes of checked, ordered articles and what was found in them.
    fn assemble(config: Config, registries: Registries, detector: Detector, mut articles: Vec<Article>, facts: Vec<Facts>,
        translations: Vec<Vec<usize>>) -> Site {
        let (mentions, body_words): (Vec<Analysis>, Vec<BodyWords>) = facts.into_iter().unzip();
        // each article's topics and entities as registry positions, looked up side by side
        let positions: Vec<(Vec<usize>, Vec<usize>)> = articles.par_iter_mut().zip(&mentions).map(|(a, found)| {
            add_found_entities(a, found, &registries);
            (a.topics.iter().filter_map(|t| registries.topic_pos(t)).collect(), a.entities.iter().filter_map(|e| registries.entity_pos(e)).collect())
        }).collect();

        let mut by_lang: BTreeMap<String, Vec<usize>> = config.languages.iter().map(|l| (l.code.clone(), Vec::new())).collect();
        let mut topic_members = vec![BTreeMap::<String, Vec<usize>>::new(); registries.topics.len()];
        let mut entity_members = vec![BTreeMap::<String, Vec<usize>>::new(); registries.entities.len()];
        for (i, (a, (topics, entities))) in articles.iter().zip(&positions).enumerate() {
            add_member(&mut by_lang, &a.lang, i);
            for &p in topics {
                add_member(&mut topic_members[p], &a.lang, i);
            }
            for &p in entities {
                add_member(&mut entity_members[p], &a.lang, i);
            }
        }
        drop(positions);
        let entity_ranked: Vec<BTreeMap<String, Vec<usize>>> = entity_members.par_iter().enumerate().map(|(e, per_lang)| {
            per_lang.iter().map(|(lang, list)| (lang.clone(), rank(list, &mentions, e))).collect()
        }).collect();
        let related = related_articles(&articles, &registries, &topic_members, &entity_members, (0..articles.len()).into_par_iter());
        Site { config, registries, articles, by_lang, translations, topic_members, entity_members, entity_ranked, detector, mentions, related, body_words }
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

/// What a [`Reader`] does with each article's body as it reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Renders it only when its facts are not known already, keeping the
    /// HTML in `Article::prerendered` and the markdown (`Site::new_with`:
    /// watch mode takes the HTML for its bodies, and renders edited ones itself).
    Read,
    /// Renders it, keeping the HTML in `Article::prerendered` and handing
    /// the text to the index, so a build parses each body once; the
    /// markdown goes unless `keep_markdown` (a sixth of a large build's
    /// memory, and the texts are never all held at once).
    Render { keep_markdown: bool },
}

/// What the index finds in one article: its mention analysis (without the
/// individual mentions) and the words of its body.
pub type Facts = (Analysis, BodyWords);

/// Reads articles for the index, one at a time, on any thread: renders the
/// body when `bodies` says so and finds its mentions and words.
pub struct Reader<'a> {
    pub detector: &'a Detector,
    pub registries: &'a Registries,
    pub bodies: Bodies,
    pub unsafe_html: bool,
}

impl Reader<'_> {
    /// What article `a` holds; `vocabs` is the calling worker's memory of
    /// the words it has read.
    pub fn read(&self, vocabs: &mut Vocabs, a: &mut Article) -> Facts {
        self.read_known(vocabs, a, |_| None)
    }

    fn read_known(&self, vocabs: &mut Vocabs, a: &mut Article, known: impl Fn(&Article) -> Option<Facts>) -> Facts {
        // the body's text is read for its words while it is at hand (and
        // they are counted then: `render_for_index`)
        let md = crate::markdown::Options { unsafe_html: self.unsafe_html };
        let text = match self.bodies {
            Bodies::Read => None,
            Bodies::Render { keep_markdown } => {
                let (rendered, text) = crate::markdown::render_for_index(&a.body, &md);
                a.prerendered = Some(Box::new(rendered));
                if !keep_markdown {
                    a.body = String::new();
                }
                Some(text)
            }
        };
        if let Some(facts) = known(a) {
            if let (Some(text), Some(r)) = (&text, a.prerendered.as_mut()) {
                if text.uncounted {
                    r.set_word_count(crate::markdown::count_words(&text.text));
                }
            }
            return facts;
        }
        let text = text.unwrap_or_else(|| {
            let (rendered, text) = crate::markdown::render_for_index(&a.body, &md);
            a.prerendered = Some(Box::new(rendered));
            text
        });
        let uncounted = text.uncounted;
        let html = a.prerendered.as_deref().map_or("", |r| r.html.as_str());
        let (facts, words) = analyze_with(self.detector, vocabs, self.registries, a, text, html);
        if uncounted {
            if let Some(r) = a.prerendered.as_mut() {
                r.set_word_count(words);
            }
        }
        facts
    }
}

/// Put the articles (held in `items`) in site order: newest first, then by
/// language, slug and file. Errors: two articles with one URL, or two
/// articles of one language sharing a translation key. Returns each
/// article's translations (their positions, in language order).
fn order_and_check<T>(config: &Config, items: &mut [T], article: impl Fn(&T) -> &Article) -> Result<Vec<Vec<usize>>, Vec<Diagnostic>> {
    // sorted as positions, then put in that order: an item is large, and
    // sorting the items themselves moved each of them some fifteen times
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (article(&items[x]), article(&items[y]));
        b.date.timestamp().cmp(&a.date.timestamp())
            .then_with(|| a.lang.cmp(&b.lang))
            .then_with(|| a.slug.cmp(&b.slug))
            .then_with(|| a.source.cmp(&b.source))
    });
    put_in_order(items, &mut order);
    let articles: Vec<&Article> = items.iter().map(&article).collect();
    let mut errs = Vec::new();

    // an article's URL is made of these (see `Article::rel_url`)
    let mut urls: HashMap<(&str, i32, u32, &str), usize> = HashMap::with_capacity(articles.len());
    for (i, a) in articles.iter().enumerate() {
        let url = (a.lang.as_str(), a.date.year(), a.date.month(), a.slug.as_str());
        if let Some(&j) = urls.get(&url) {
            let other = articles[j];
            errs.push(Diagnostic::error(&a.source, format!("this article and {} both map to /{}", other.source.display(), a.rel_url()))
                .with_hint("give one of them a different `slug`"));
        } else {
            urls.insert(url, i);
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
    Ok(translations)
}

/// Rearrange `items` so that position `k` holds what was at `order[k]`
/// (`order` a permutation, used up), each item moved by one swap.
fn put_in_order<T>(items: &mut [T], order: &mut [usize]) {
    for k in 0..items.len() {
        // the item wanted here may have been swapped away already: follow it
        let mut from = order[k];
        while from < k {
            from = order[from];
        }
        order[k] = from;
        items.swap(k, from);
    }
}

/// Add article `i` to the members of `lang` (its code copied only for a
/// language's first member).
fn add_member(members: &mut BTreeMap<String, Vec<usize>>, lang: &str, i: usize) {
    match members.get_mut(lang) {
        Some(list) => list.push(i),
        None => {
            members.insert(lang.to_string(), vec![i]);
        }
    }
}

/// An entity's members ranked for its page: most mentions first, then newest first.
fn rank(members: &[usize], mentions: &[Analysis], e: usize) -> Vec<usize> {
    let mut ranked = members.to_vec();
    // stable: equal counts stay newest first; each count looked up once
    ranked.sort_by_cached_key(|&i| std::cmp::Reverse(mentions[i].count_of(e)));
    ranked
}

/// What mention detection finds in one article (without the individual
/// mentions, but with where its body's mention links go), and the words of
/// its body, from the same reading; its body (markdown, rendered with `md`)
/// is read for its text.
pub(crate) fn analyze(detector: &Detector, registries: &Registries, a: &Article, md: &crate::markdown::Options) -> Facts {
    let (rendered, text) = crate::markdown::render_with_text(&a.body, md);
    analyze_with(detector, &mut Vocabs::default(), registries, a, text, &rendered.html).0
}

/// [`analyze`], with the body's plain text and HTML already made, the
/// words read through `vocabs` (the worker's memory of the words it has
/// read); also how many words the body holds ([`crate::markdown::count_words`]).
fn analyze_with(detector: &Detector, vocabs: &mut Vocabs, registries: &Registries, a: &Article, body: BodyText, html: &str) -> (Facts, usize) {
    let BodyText { text, spans, .. } = body;
    let texts = crate::mentions::article_texts_with(a, Some(text));
    let (mut found, words, count) = detector.analyze_counting(vocabs, a, &texts, registries);
    if let (Some(spans), Some((_, text))) = (spans, texts.last()) {
        found.place_links(texts.len() - 1, text, html, &spans);
    }
    found.mentions = Vec::new();
    ((found, words), count)
}

/// Entities mentioned in the text join those the front matter names (after them).
fn add_found_entities(a: &mut Article, found: &Analysis, registries: &Registries) {
    for &(e, _) in &found.counts {
        let id = &registries.entities[e].id;
        if !a.entities.contains(id) {
            a.entities.push(id.clone());
        }
    }
}

/// For each article, the articles of its language that share the most
/// entities (2 points each) and topics (1 point each) with it, at least 2
/// points, best first, then newest first. The candidates are the
/// [`RELATED_WINDOW`] articles on either side of it (in date order) in each
/// entity and topic it has: a big topic's whole archive is not scored for
/// every article, so the work grows linearly with the site.
/// `which` are the articles to rank (all of them for a new index, those
/// whose candidate windows changed after an edit).
fn related_articles(articles: &[Article], regs: &Registries, topic_members: &[BTreeMap<String, Vec<usize>>],
    entity_members: &[BTreeMap<String, Vec<usize>>], which: impl IndexedParallelIterator<Item = usize>) -> Vec<Vec<usize>> {
    let n = articles.len();
    which.map_init(|| (vec![0u16; n], Vec::<u32>::new()), |(scores, touched), i| {
        let a = &articles[i];
        let windows: Vec<(&[usize], u16)> = a.entities.iter().filter_map(|id| regs.entity_pos(id))
            .filter_map(|e| Some((window(entity_members[e].get(&a.lang)?, i), 2)))
            .chain(a.topics.iter().filter_map(|id| regs.topic_pos(id)).filter_map(|t| Some((window(topic_members[t].get(&a.lang)?, i), 1))))
            .collect();
        // every article scored, each listed once, in the order first scored
        // (without a branch on whether it was: the lists are long and mixed).
        // Scores are `u16`s and the list `u32`s (article indexes: a site
        // holds far fewer than 2^32 articles), half the memory an `usize`
        // walks: the scores of 20,000 articles fit in 40 KiB, and this took a
        // fifth less time at 10,000 pairs. A score stops at `u16::MAX`,
        // reached only by two articles sharing over 30,000 entities.
        touched.clear();
        touched.resize(windows.iter().map(|(w, _)| w.len()).sum(), 0);
        let mut len = 0;
        for (members, points) in windows {
            for &j in members {
                touched[len] = j as u32;
                len += usize::from(scores[j] == 0);
                scores[j] = scores[j].saturating_add(points);
            }
        }
        let touched = &touched[..len];
        let best = top_scored(touched.iter().map(|&j| j as usize).filter(|&j| j != i).map(|j| (j, u32::from(scores[j]))).filter(|&(_, s)| s >= 2));
        for &j in touched {
            scores[j as usize] = 0;
        }
        best
    }).collect()
}

/// The members of a list (newest first, that is by index) at most
/// [`RELATED_WINDOW`] places from article `i`.
fn window(members: &[usize], i: usize) -> &[usize] {
    let at = members.binary_search(&i).unwrap_or_else(|p| p);
    &members[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(members.len())]
}

/// The [`RELATED_MAX`] best of (article, score) pairs: highest score first,
/// then newest first (article indexes run newest first). The order is
/// total, so the few best are kept in order as the pairs go by.
fn top_scored(scored: impl IntoIterator<Item = (usize, u32)>) -> Vec<usize> {
    let better = |x: &(usize, u32), y: &(usize, u32)| x.1 > y.1 || (x.1 == y.1 && x.0 < y.0);
    let mut best: Vec<(usize, u32)> = Vec::with_capacity(RELATED_MAX + 1);
    for pair in scored {
        if best.len() == RELATED_MAX && !better(&pair, &best[RELATED_MAX - 1]) {
            continue;
        }
        best.insert(best.partition_point(|b| better(b, &pair)), pair);
        best.truncate(RELATED_MAX);
    }
    // collected from a borrow, at its length: kept for the whole build
    best.iter().map(|&(j, _)| j).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Picking the best before sorting gives the head of the full sort.
        #[test]
        fn top_scored_is_the_head_of_the_sorted_list(scores in proptest::collection::vec(2u32..9, 0..40), shuffle in any::<u64>()) {
            let mut scored: Vec<(usize, u32)> = scores.iter().copied().enumerate().collect();
            // any order in: the touched articles come in the windows' order
            let n = scored.len().max(1);
            scored.rotate_left((shuffle as usize) % n);
            let mut sorted = scored.clone();
            sorted.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let want: Vec<usize> = sorted.iter().take(RELATED_MAX).map(|&(j, _)| j).collect();
            let got = top_scored(scored);
            // kept for the whole build, once per article: no spare room
            prop_assert!(got.capacity() <= RELATED_MAX, "capacity {}", got.capacity());
            prop_assert_eq!(got, want);
        }

        /// Sorting positions and putting the items in their order is
        /// sorting the items (stable: equal keys keep their order).
        #[test]
        fn put_in_order_is_sorting(keys in proptest::collection::vec(0u8..6, 0..60)) {
            let mut items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut want = items.clone();
            want.sort_by_key(|x| x.0);
            let mut order: Vec<usize> = (0..items.len()).collect();
            order.sort_by_key(|&i| items[i].0);
            put_in_order(&mut items, &mut order);
            prop_assert_eq!(items, want);
        }
    }
}
