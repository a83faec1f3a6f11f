//! "Did you mean" suggestions: the known names nearest to a mistyped one.

/// Up to three candidates closest to `wanted`, best first; only reasonably
/// close ones (Jaro-Winkler ≥ 0.7 or a small edit distance).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted_l = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let cl = c.to_lowercase();
            let jw = strsim::jaro_winkler(&wanted_l, &cl);
            let lev = strsim::levenshtein(&wanted_l, &cl);
            let len = wanted_l.chars().count().max(cl.chars().count()).max(1);
            let score = jw.max(1.0 - lev as f64 / len as f64);
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_near_names_and_rejects_far_ones() {
        let c = ["politics", "economy", "technology"];
        assert_eq!(super::closest("politcs", c), vec!["politics"]);
        assert!(super::closest("zzzz", c).is_empty());
    }
}
