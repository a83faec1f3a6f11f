//! The shared case table (`tests/fixtures/normalize_cases.json`, also run
//! against the browser script) plus Rust-only checks of offsets.

use super::*;
use serde_json::Value;

fn cases() -> Value {
    serde_json::from_str(include_str!("../../tests/fixtures/normalize_cases.json")).expect("normalize_cases.json parses")
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
}

#[test]
fn shared_normalize_cases() {
    let all = cases();
    let list = all["normalize"].as_array().unwrap();
    assert!(list.len() >= 40, "at least 40 cases");
    let mut failures = Vec::new();
    for case in list {
        let input = case["in"].as_str().unwrap();
        let out = normalize(input);
        if out != case["out"].as_str().unwrap() {
            failures.push(format!("normalize({input:?}) = {out:?}, want {:?} ({})", case["out"], case["note"]));
        }
        let toks: Vec<String> = tokens(input).into_iter().map(|t| t.text).collect();
        if toks != strs(&case["tokens"]) {
            failures.push(format!("tokens({input:?}) = {toks:?}, want {:?} ({})", case["tokens"], case["note"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shared_clitic_cases() {
    let all = cases();
    let mut failures = Vec::new();
    for case in all["clitics"].as_array().unwrap() {
        let word = case["word"].as_str().unwrap();
        let known = strs(&case["known"]);
        let got = strip_clitics(word, |s| known.iter().any(|k| k == s));
        let got = got.map(|s| (s.stem, word[..s.prefix].to_string()));
        let want = case["stem"].as_str().map(|s| (s.to_string(), case["prefix"].as_str().unwrap_or("").to_string()));
        if got != want {
            failures.push(format!("{word} with {known:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tokens_point_into_the_original_text() {
    let all = cases();
    for case in all["offsets"].as_array().unwrap() {
        let input = case["in"].as_str().unwrap();
        let got: Vec<(String, String)> = tokens(input).into_iter().map(|t| (t.text.clone(), input[t.start..t.end].to_string())).collect();
        let want: Vec<(String, String)> = case["tokens"].as_array().unwrap().iter()
            .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(got, want, "{input}");
    }
}

#[test]
fn a_stem_maps_back_to_its_original_letters() {
    let text = "قال لإيلون ماسك";
    let toks = tokens(text);
    let t = &toks[1];
    let split = strip_clitics(&t.text, |s| s == "ايلون").unwrap();
    let from = t.origin(split.prefix);
    assert_eq!(&text[from..t.end], "إيلون");
    assert_eq!(t.origin(t.text.len()), t.end);
}

#[test]
fn punctuation_is_a_hard_break_and_spaces_hyphens_are_not() {
    let hard: Vec<bool> = tokens("Mar-a-Lago, Florida “X” Musk’s").iter().map(|t| t.hard_before).collect();
    assert_eq!(hard, [false, false, false, true, true, true, false]);
}

#[test]
fn splits_are_listed_least_stripped_first() {
    let stems: Vec<String> = clitic_splits("وبالذكاء").into_iter().map(|s| s.stem).collect();
    assert_eq!(stems, ["بالذكاء", "الذكاء", "ذكاء"]);
    assert!(clitic_splits("ماسك").is_empty());
}

#[test]
fn js_tables_hold_every_fold() {
    let t = js_tables();
    assert_eq!(t["folds"]["أ"], "ا");
    assert_eq!(t["folds"]["\u{0640}"], "");
    assert_eq!(t["folds"]["٣"], "3");
    assert_eq!(t["folds"]["۹"], "9");
    assert_eq!(t["clitics"]["article"], "ال");
}

#[test]
fn unifies_arabic_spellings() {
    for (a, b) in [("ايلون ماسك", "إيلون ماسك"), ("الذكاء", "الذَّكَاءُ"), ("مدرسة", "مدرسه"), ("مصطفى", "مصطفي"), ("ســـلام", "سلام"), ("Elon  MUSK", "elon musk"), ("٢٠٢٦", "2026")] {
        assert_eq!(normalize(a), normalize(b), "{a} vs {b}");
    }
    assert_eq!(normalize_words("Mar-a-Lago"), "mar a lago");
}
