//! Entity mention detection: which registry entities an article talks about,
//! how often, and where.
//!
//! The names and aliases of every entity, normalized, are compiled once per
//! language into one Aho-Corasick automaton. A text is matched as a stream of
//! normalized words, each wrapped in markers, so a match always starts and
//! ends on a word boundary; a word that is not itself a known name word is
//! read through its Arabic prefix clitics (`لإيلون` → `ايلون`, `وترامب` →
//! `ترامب`) when the stem is one. Leftmost-longest matching makes
//! `ميلانيا ترامب` win over `ترامب` and `سبيس إكس` over `إكس`.
//!
//! What counts (a contributor can see every decision with
//! `nashra check --mentions FILE`):
//! * a full name always counts, and so does an alias of two words or more
//!   (`President Trump`, `منصة إكس`): they are not ordinary words;
//! * a one-word alias (`ماسك`, also "holding" in Arabic) and a full name of
//!   one or two letters (`X`) count only in an article where a full name of
//!   the entity counts or whose front matter names it;
//! * a registry name written with a capital (`Musk`, `X`) or in capitals
//!   (`DOGE`) matches only text written so (`x` the letter, `doge` do not);
//! * a name shared by two entities counts for the one the front matter names,
//!   or for none.

use crate::content::Article;
use crate::normalize;
use crate::registry::Registries;
use crate::search::BodyWords;
use std::collections::HashMap;

/// Whether a matched form is an entity's name or one of its aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Name,
    Alias,
}

mod matcher;
use matcher::*;
mod reader;
use reader::*;

/// Why a mention counts or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A full name.
    Name,
    /// An alias of two words or more.
    LongAlias,
    /// A one-word alias or very short name, allowed because the front matter names the entity.
    NamedInFrontMatter,
    /// A one-word alias or very short name, allowed because a full name of the entity appears.
    NameAppears,
    /// Not counted: a one-word alias or short name, and neither of the above.
    NotAllowed,
    /// Not counted: the text's capitals differ from the registry's (`x` for `X`).
    CaseDiffers,
    /// Not counted: the form belongs to several entities and none is named in the front matter.
    Ambiguous,
}

impl Verdict {
    pub fn counts(self) -> bool {
        matches!(self, Verdict::Name | Verdict::LongAlias | Verdict::NamedInFrontMatter | Verdict::NameAppears)
    }

    /// In words, for `nashra check --mentions`.
    pub fn explain(self) -> &'static str {
        match self {
            Verdict::Name => "counted: full name",
            Verdict::LongAlias => "counted: alias of several words",
            Verdict::NamedInFrontMatter => "counted: alias allowed, the front matter names the entity",
            Verdict::NameAppears => "counted: alias allowed, the full name appears in the article",
            Verdict::NotAllowed => "not counted: a one-word alias counts only where the full name appears or the front matter names the entity",
            Verdict::CaseDiffers => "not counted: the registry writes it with capitals",
            Verdict::Ambiguous => "not counted: several entities share this name and the front matter names none of them",
        }
    }
}

/// One place where a registry name or alias was found.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Index of the text in the list given to [`Detector::analyze`].
    pub field: usize,
    /// Byte range in that text (clitics in front included) and where the name proper starts.
    pub start: usize,
    pub name_start: usize,
    pub end: usize,
    /// The entity it counts for (or, when it does not count, the likeliest one).
    pub entity: usize,
    /// Every entity the form may mean.
    pub candidates: Vec<usize>,
    /// The registry form that matched, and whether it is a name or an alias.
    pub written: String,
    pub kind: NameKind,
    pub verdict: Verdict,
}

/// What [`Detector::analyze`] found in one article.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub mentions: Vec<Mention>,
    /// Counted mentions per entity, in order of first mention.
    pub counts: Vec<(usize, u32)>,
    /// Entities the front matter names.
    pub named: Vec<usize>,
    /// Entities whose one-word aliases count in this article (named in the
    /// front matter, or a full name counted).
    pub licensed: Vec<usize>,
    /// Where the body's mention links go (see [`Detector::place_links`]);
    /// `None` when not worked out (the link pass reads the HTML instead).
    pub links: Option<BodyLinks>,
}

impl Analysis {
    pub fn count_of(&self, entity: usize) -> u32 {
        self.counts.iter().find(|(e, _)| *e == entity).map_or(0, |(_, n)| *n)
    }
}

/// The texts of an article that mentions are looked for in, with their
/// names: title, summary (when the front matter gives one) and body text.
pub fn article_texts(a: &Article) -> Vec<(&'static str, String)> {
    article_texts_with(a, None)
}

/// [`article_texts`], with the body's plain text when it is already known.
pub fn article_texts_with(a: &Article, body: Option<String>) -> Vec<(&'static str, String)> {
    vec![
        ("title", a.title.clone()),
        ("summary", a.summary.clone().unwrap_or_default()),
        ("body", body.unwrap_or_else(|| crate::markdown::plain_text(&a.body))),
    ]
}

/// The compiled registry, one automaton per language.
#[derive(Debug)]
pub struct Detector {
    by_lang: HashMap<String, Matcher>,
}

impl Detector {
    /// Compile the names and aliases of `regs` for each language of `langs`:
    /// the entity's names and aliases in that language (its names in the
    /// other languages when it has none there).
    pub fn new<'a>(regs: &Registries, langs: impl IntoIterator<Item = &'a str>) -> Detector {
        let mut by_lang = HashMap::new();
        for lang in langs {
            let mut entries = Vec::new();
            for (i, e) in regs.entities.iter().enumerate() {
                let names: Vec<&String> = match e.names.get(lang) {
                    Some(n) => vec![n],
                    None => e.names.values().collect(),
                };
                let forms = names.into_iter().map(|n| (n, NameKind::Name))
                    .chain(e.aliases.get(lang).into_iter().flatten().map(|a| (a, NameKind::Alias)));
                for (written, kind) in forms {
                    let toks = normalize::tokens(written);
                    if toks.is_empty() {
                        continue;
                    }
                    let strong = match kind {
                        NameKind::Name => toks.len() > 1 || toks[0].text.chars().count() > 2,
                        NameKind::Alias => toks.len() > 1,
                    };
                    let cand = Candidate { entity: i, kind, strong, case: CaseRule::of(written), written: written.clone() };
                    entries.push((key_of(&toks), cand, toks.into_iter().map(|t| t.text).collect()));
                }
            }
            by_lang.insert(lang.to_string(), Matcher::new(entries));
        }
        Detector { by_lang }
    }

    /// Decide what one hit counts for, given the entities the front matter
    /// names and those licensed so far; `None` when it is not a candidate
    /// of this pass (`strong_pass`: full names and long aliases only).
    fn resolve(m: &Matcher, text: &str, hit: &Hit, named: &[usize], licensed: &[usize], strong_pass: bool) -> Option<(usize, NameKind, String, Verdict)> {
        let all = &m.candidates[hit.pattern];
        let original = &text[hit.name_start..hit.end];
        let fitting: Vec<&Candidate> = all.iter().filter(|c| c.case.accepts(original)).collect();
        let describe = |c: &Candidate, v: Verdict| Some((c.entity, c.kind, c.written.clone(), v));
        if fitting.is_empty() {
            return if strong_pass { None } else { describe(&all[0], Verdict::CaseDiffers) };
        }
        // one candidate, or the only one the front matter names
        let pick = |cs: &[&Candidate]| -> Option<usize> {
            if cs.len() == 1 {
                return Some(0);
            }
            let named_ones: Vec<usize> = (0..cs.len()).filter(|&i| named.contains(&cs[i].entity)).collect();
            (named_ones.len() == 1).then(|| named_ones[0])
        };
        let strong: Vec<&Candidate> = fitting.iter().copied().filter(|c| c.strong).collect();
        if !strong.is_empty() {
            if !strong_pass {
                return None;
            }
            return match pick(&strong) {
                Some(i) => describe(strong[i], if strong[i].kind == NameKind::Name { Verdict::Name } else { Verdict::LongAlias }),
                None => describe(strong[0], Verdict::Ambiguous),
            };
        }
        if strong_pass {
            return None;
        }
        let allowed: Vec<&Candidate> = fitting.iter().copied().filter(|c| licensed.contains(&c.entity)).collect();
        if allowed.is_empty() {
            return describe(fitting[0], Verdict::NotAllowed);
        }
        match pick(&allowed) {
            Some(i) => {
                let v = if named.contains(&allowed[i].entity) { Verdict::NamedInFrontMatter } else { Verdict::NameAppears };
                describe(allowed[i], v)
            }
            None => describe(allowed[0], Verdict::Ambiguous),
        }
    }

    /// Find the entities mentioned in `texts` (title, summary, body...) of
    /// an article in `lang` whose front matter names the entities `named`
    /// (registry positions).
    pub fn analyze(&self, lang: &str, texts: &[&str], named: &[usize]) -> Analysis {
        self.analyze_reading(lang, texts, named, &mut |_| {})
    }

    /// [`Detector::analyze`], handing every word of the last text (the body)
    /// to `body_word` from the same reading.
    pub fn analyze_reading(&self, lang: &str, texts: &[&str], named: &[usize], body_word: &mut dyn FnMut(&str)) -> Analysis {
        self.analyze_by(lang, texts, named, &[], &mut Fresh::new(body_word))
    }

    /// [`Detector::analyze`], the words read by `reader`, which counts
    /// those of the last text (the body) and marks those of each text
    /// before it with its bits in `fields` (none past its end).
    fn analyze_by(&self, lang: &str, texts: &[&str], named: &[usize], fields: &[u8], reader: &mut dyn Reader) -> Analysis {
        let last = texts.len().saturating_sub(1);
        let count = |f: usize| match fields.get(f) {
            _ if f == last => Count::Body,
            Some(&bits) if bits != 0 => Count::Field(bits),
            _ => Count::Not,
        };
        let Some(m) = self.by_lang.get(lang) else {
            // no names to find: only the words to count or mark are read
            for (f, t) in texts.iter().enumerate() {
                let what = count(f);
                if what != Count::Not {
                    reader.counting(what);
                    reader.each(None, t, &mut |_| {});
                }
            }
            return Analysis::default();
        };
        let mut hits: Vec<(usize, Hit)> = Vec::with_capacity(texts.iter().map(|t| matcher::hits_room(t)).sum());
        for (f, t) in texts.iter().enumerate() {
            reader.counting(count(f));
            hits.extend(m.hits(t, reader).into_iter().map(|h| (f, h)));
        }
        let mut licensed: Vec<usize> = named.to_vec();
        let mut decided: Vec<Option<(usize, NameKind, String, Verdict)>> = Vec::with_capacity(hits.len());
        for (f, h) in &hits {
            let d = Self::resolve(m, texts[*f], h, named, &[], true);
            if let Some((e, _, _, v)) = &d {
                if v.counts() && !licensed.contains(e) {
                    licensed.push(*e);
                }
            }
            decided.push(d);
        }
        let mut out = Analysis { mentions: Vec::with_capacity(hits.len()), ..Analysis::default() };
        for ((f, h), d) in hits.iter().zip(decided) {
            let Some((entity, kind, written, verdict)) = d.or_else(|| Self::resolve(m, texts[*f], h, named, &licensed, false)) else { continue };
            if verdict.counts() {
                match out.counts.iter_mut().find(|(e, _)| *e == entity) {
                    Some((_, n)) => *n += 1,
                    None => out.counts.push((entity, 1)),
                }
            }
            out.mentions.push(Mention {
                field: *f,
                start: h.start,
                name_start: h.name_start,
                end: h.end,
                entity,
                candidates: m.candidates[h.pattern].iter().map(|c| c.entity).collect(),
                written,
                kind,
                verdict,
            });
        }
        out.licensed = licensed;
        out.named = named.to_vec();
        out
    }

    /// [`Detector::analyze`] on an article: its title, summary and body text
    /// ([`article_texts`]), with the entities its front matter names.
    pub fn analyze_article(&self, a: &Article, regs: &Registries) -> Analysis {
        self.analyze_texts(a, &article_texts(a), regs)
    }

    /// [`Detector::analyze_article`] with the texts already extracted.
    pub fn analyze_texts(&self, a: &Article, texts: &[(&'static str, String)], regs: &Registries) -> Analysis {
        let (named, refs) = named_and_texts(a, texts, regs);
        self.analyze(&a.lang, &refs, &named)
    }

    /// [`Detector::analyze_texts`] with the words of the body (the last
    /// text) counted, the words read through the worker's `vocabs`: its
    /// normalized words for search (with those of the title and summary,
    /// marked as such), and how many words the body holds as
    /// [`crate::markdown::count_words`] counts them.
    pub fn analyze_counting(&self, vocabs: &mut Vocabs, a: &Article, texts: &[(&'static str, String)], regs: &Registries) -> (Analysis, BodyWords, usize) {
        let (named, refs) = named_and_texts(a, texts, regs);
        let fields: Vec<u8> = texts.iter().map(|(name, _)| match *name {
            "title" => crate::search::TITLE,
            "summary" => crate::search::SUMMARY,
            _ => 0,
        }).collect();
        let vocab = vocabs.0.entry(a.lang.clone()).or_default();
        let found = self.analyze_by(&a.lang, &refs, &named, &fields, vocab);
        let (words, count) = vocab.finish();
        (found, words, count)
    }
}

/// The entities `a`'s front matter names (registry positions), and `texts` as text.
fn named_and_texts<'t>(a: &Article, texts: &'t [(&'static str, String)], regs: &Registries) -> (Vec<usize>, Vec<&'t str>) {
    (a.entities.iter().filter_map(|id| regs.entity_pos(id)).collect(), texts.iter().map(|(_, t)| t.as_str()).collect())
}

/// One worker's [`Vocab`] per language, for [`Detector::analyze_counting`]
/// (the readings hold for one [`Detector`] only).
#[derive(Debug, Default)]
pub struct Vocabs(HashMap<String, Vocab>);

mod link;
pub use link::{splice, BodyLinks, Link};
pub mod report;
#[cfg(test)]
mod tests;
