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
use crate::normalize::{self, Token};
use crate::registry::Registries;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

const SOFT: char = ' ';
const HARD: char = '\u{1}';
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';
/// Between two name words with other words between them: no name spans it.
const GAP: char = '\u{4}';

/// Whether a matched form is an entity's name or one of its aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Name,
    Alias,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    Any,
    /// The first letter must be a capital.
    Initial,
    /// Every cased letter must be a capital.
    AllCaps,
}

impl CaseRule {
    fn of(written: &str) -> CaseRule {
        let cased: Vec<char> = written.chars().filter(|c| c.is_uppercase() || c.is_lowercase()).collect();
        match cased.first() {
            Some(c) if c.is_uppercase() => {
                if cased.len() >= 2 && cased.iter().all(|c| c.is_uppercase()) { CaseRule::AllCaps } else { CaseRule::Initial }
            }
            _ => CaseRule::Any,
        }
    }

    fn accepts(self, original: &str) -> bool {
        let mut cased = original.chars().filter(|c| c.is_uppercase() || c.is_lowercase());
        match self {
            CaseRule::Any => true,
            CaseRule::Initial => cased.next().is_none_or(char::is_uppercase),
            CaseRule::AllCaps => cased.all(char::is_uppercase),
        }
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    entity: usize,
    kind: NameKind,
    /// Counts without the entity being named elsewhere in the article.
    strong: bool,
    case: CaseRule,
    /// As the registry writes it.
    written: String,
}

/// The automaton of one language.
#[derive(Debug)]
struct Matcher {
    ac: Option<AhoCorasick>,
    /// Per automaton pattern: the entities it may mean.
    candidates: Vec<Vec<Candidate>>,
    /// Every normalized word of every pattern (for clitic readings).
    known: Known,
}

/// A set of words with a bit table in front: nearly every word of a text is
/// not a name word, and one bit test (on its length and its first and last
/// bytes) turns most of them away before any hashing.
#[derive(Debug)]
struct Known {
    words: normalize::hash::WordSet,
    bits: Vec<u64>,
}

const KNOWN_BITS: usize = 1 << 16;

fn quick_hash(w: &str) -> usize {
    let b = w.as_bytes();
    let byte = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let n = b.len();
    let x = n as u64 | byte(0) << 16 | byte(1) << 24 | byte(n.wrapping_sub(2)) << 32 | byte(n.wrapping_sub(1)) << 40;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

impl Known {
    fn new(words: normalize::hash::WordSet) -> Known {
        let mut bits = vec![0u64; KNOWN_BITS / 64];
        for w in &words {
            let h = quick_hash(w);
            bits[h / 64] |= 1 << (h % 64);
        }
        Known { words, bits }
    }

    fn contains(&self, w: &str) -> bool {
        let h = quick_hash(w);
        self.bits[h / 64] & (1 << (h % 64)) != 0 && self.words.contains(w)
    }
}

/// Where a word sits in the match stream.
struct Slot {
    /// Byte offset of the word's `OPEN` marker in the stream.
    at: usize,
    /// Bytes of the normalized word read as clitics (0 if none).
    clitic: usize,
    /// The word's byte range in the text.
    start: usize,
    end: usize,
}

/// A raw automaton match, in original-text byte offsets.
struct Hit {
    pattern: usize,
    /// Start of the first word (clitics included) and of the name proper.
    start: usize,
    name_start: usize,
    end: usize,
}

impl Matcher {
    fn new(entries: Vec<(String, Candidate, Vec<String>)>) -> Matcher {
        let mut keys: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut candidates: Vec<Vec<Candidate>> = Vec::new();
        let mut known = normalize::hash::WordSet::default();
        for (key, cand, words) in entries {
            known.extend(words);
            let i = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                candidates.push(Vec::new());
                candidates.len() - 1
            });
            let list = &mut candidates[i];
            match list.iter_mut().find(|c| c.entity == cand.entity) {
                // one entity, one form twice (a name that is also an alias): keep the strongest reading
                Some(c) => {
                    if cand.strong && !c.strong {
                        *c = cand;
                    }
                }
                None => list.push(cand),
            }
        }
        let ac = if keys.is_empty() {
            None
        } else {
            // Building only fails past the automaton's size limits, far beyond any registry.
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&keys).ok()
        };
        Matcher { ac, candidates, known: Known::new(known) }
    }

    /// The reading of `word` through its clitics whose stem is a known name
    /// word. Most words have none: a stem is the word without its first one
    /// to four letters (or, after لل, the article and the rest), so those
    /// suffixes are looked up first and the readings built only if one is known.
    fn clitic_stem(&self, word: &str) -> Option<normalize::Split> {
        // every clitic reading starts with a conjunction, a preposition or
        // the article's alef: most words (and every Latin one) have none
        if !word.starts_with(['و', 'ف', 'ب', 'ل', 'ك', 'ا']) {
            return None;
        }
        let suffix_known = word.char_indices().skip(1).take(4).any(|(i, _)| self.known.contains(&word[i..]));
        let article_after_lam = ["لل", "ولل", "فلل"].iter().any(|p| word.starts_with(p));
        if !suffix_known && !article_after_lam {
            return None;
        }
        normalize::strip_clitics(word, |w| self.known.contains(w))
    }

    /// The match stream of `text`: every word that is a known name word,
    /// or whose clitic-free stem is one (then the stem stands for it), as
    /// `OPEN word CLOSE`, joined to the word before it by `SOFT` or (across
    /// punctuation) `HARD`, or by `GAP` when other words came between. A
    /// name's words are all known words, so a name can only match a run of
    /// them, and most words of a text never reach the automaton.
    fn stream(&self, text: &str, every_word: &mut dyn FnMut(&str)) -> (String, Vec<Slot>) {
        let mut s = String::new();
        let mut slots: Vec<Slot> = Vec::new();
        let mut after_gap = true;
        normalize::scan(text, |w| {
            every_word(w.text);
            let (word, clitic) = if self.known.contains(w.text) {
                (std::borrow::Cow::Borrowed(w.text), 0)
            } else if let Some(split) = self.clitic_stem(w.text) {
                (std::borrow::Cow::Owned(split.stem), split.prefix)
            } else {
                after_gap = true;
                return;
            };
            if !slots.is_empty() {
                s.push(if after_gap { GAP } else if w.hard_before { HARD } else { SOFT });
            }
            after_gap = false;
            let at = s.len();
            s.push(OPEN);
            s.push_str(&word);
            s.push(CLOSE);
            slots.push(Slot { at, clitic, start: w.start, end: w.end });
        });
        (s, slots)
    }

    /// The names found in `text`; every word of it also goes to `every_word`.
    fn hits(&self, text: &str, every_word: &mut dyn FnMut(&str)) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            normalize::scan(text, |w| every_word(w.text));
            return Vec::new();
        };
        let (stream, slots) = self.stream(text, every_word);
        if slots.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for m in ac.find_iter(&stream) {
            // patterns start with OPEN and end with CLOSE: always whole words
            let Ok(first) = slots.binary_search_by_key(&m.start(), |s| s.at) else { continue };
            let last = match slots.binary_search_by_key(&m.end(), |s| s.at) {
                Ok(next) | Err(next) => next - 1,
            };
            // clitics only in front of the name, not inside it
            if slots[first + 1..=last].iter().any(|s| s.clitic > 0) {
                continue;
            }
            let f = &slots[first];
            let name_start = if f.clitic == 0 {
                f.start
            } else {
                // where the name proper starts in the original word
                normalize::tokens(&text[f.start..f.end]).first().map_or(f.start, |t| f.start + t.origin(f.clitic))
            };
            out.push(Hit { pattern: m.pattern().as_usize(), start: f.start, name_start, end: slots[last].end });
        }
        out
    }
}

/// The pattern key of a name: its words in markers, joined like a text.
fn key_of(toks: &[Token]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            s.push(if t.hard_before { HARD } else { SOFT });
        }
        s.push(OPEN);
        s.push_str(&t.text);
        s.push(CLOSE);
    }
    s
}

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
        let last = texts.len().saturating_sub(1);
        let Some(m) = self.by_lang.get(lang) else {
            if let Some(body) = texts.last() {
                normalize::scan(body, |w| body_word(w.text));
            }
            return Analysis::default();
        };
        let mut hits: Vec<(usize, Hit)> = Vec::new();
        for (f, t) in texts.iter().enumerate() {
            let found = if f == last { m.hits(t, body_word) } else { m.hits(t, &mut |_| {}) };
            hits.extend(found.into_iter().map(|h| (f, h)));
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
        let mut out = Analysis::default();
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
        self.analyze_texts_reading(a, texts, regs, &mut |_| {})
    }

    /// [`Detector::analyze_texts`], handing every word of the body (the last
    /// text) to `body_word` from the same reading.
    pub fn analyze_texts_reading(&self, a: &Article, texts: &[(&'static str, String)], regs: &Registries, body_word: &mut dyn FnMut(&str)) -> Analysis {
        let named: Vec<usize> = a.entities.iter().filter_map(|id| regs.entity_pos(id)).collect();
        let refs: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        self.analyze_reading(&a.lang, &refs, &named, body_word)
    }
}

mod link;
pub mod report;
#[cfg(test)]
mod tests;
