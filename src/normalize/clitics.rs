//! Arabic prefix clitics: the conjunctions و ف, the prepositions ب ل ك and
//! the article ال, alone and combined (وال، بال، لل، فب، وب، ولل ...). A word
//! is never stripped blindly (`وزير` is not `و` + `زير`): [`clitic_splits`]
//! lists the readings of a normalized word, least stripped first, and
//! [`strip_clitics`] takes the first whose stem the caller knows.

pub const CONJUNCTIONS: &[&str] = &["و", "ف"];
pub const PREPOSITIONS: &[&str] = &["ب", "ل", "ك"];
pub const ARTICLE: &str = "ال";
/// A stem keeps at least this many characters.
pub const MIN_STEM_CHARS: usize = 2;

/// One reading of a word as clitics + stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Bytes of the word before the stem's first written letter.
    pub prefix: usize,
    /// The stem as a dictionary would write it: `للحزب` gives `الحزب`
    /// (the article's alef is elided after ل).
    pub stem: String,
}

/// Every reading of `word` (normalized) with at least one clitic, least
/// stripped first.
pub fn clitic_splits(word: &str) -> Vec<Split> {
    // (letters removed, split): sorted by the first, stable
    let mut out: Vec<(usize, Split)> = Vec::new();
    let mut push = |removed: usize, prefix: usize, stem: String| {
        if stem.chars().count() >= MIN_STEM_CHARS && !out.iter().any(|(_, s)| s.stem == stem) {
            out.push((removed, Split { prefix, stem }));
        }
    };
    for c1 in std::iter::once("").chain(CONJUNCTIONS.iter().copied()) {
        let Some(r1) = word.strip_prefix(c1) else { continue };
        for c2 in std::iter::once("").chain(PREPOSITIONS.iter().copied()) {
            let Some(rest) = r1.strip_prefix(c2) else { continue };
            let p = c1.len() + c2.len();
            let n = c1.chars().count() + c2.chars().count();
            if c2 == "ل" && rest.starts_with('ل') {
                // ل + ال + noun is written لل + noun
                let noun = &rest['ل'.len_utf8()..];
                push(n, p, format!("{ARTICLE}{noun}"));
                if n > 0 {
                    push(n, p, rest.to_string());
                }
                push(n + 1, p + 'ل'.len_utf8(), noun.to_string());
                continue;
            }
            if n > 0 {
                push(n, p, rest.to_string());
            }
            if let Some(noun) = rest.strip_prefix(ARTICLE) {
                push(n + 2, p + ARTICLE.len(), noun.to_string());
            }
        }
    }
    out.sort_by_key(|(removed, _)| *removed);
    out.into_iter().map(|(_, s)| s).collect()
}

/// The least-stripped reading of `word` whose stem is `known`; `None` when
/// there is none (the word itself is not looked up).
pub fn strip_clitics(word: &str, known: impl Fn(&str) -> bool) -> Option<Split> {
    clitic_splits(word).into_iter().find(|s| known(&s.stem))
}

/// The rules for the browser's search script.
pub fn js_table() -> serde_json::Value {
    serde_json::json!({
        "conjunctions": CONJUNCTIONS,
        "prepositions": PREPOSITIONS,
        "article": ARTICLE,
        "min_stem": MIN_STEM_CHARS,
    })
}
