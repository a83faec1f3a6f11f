//! Search: the index files and page a build writes, and the theme's
//! search.js run under node (tests/js/search_harness.js) against the built
//! folder served over HTTP: the shared normalization cases, then queries.

mod common;

use common::Site;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn harness(out: &Path, queries: &Value) -> Value {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let qfile = out.parent().unwrap().join("queries.json");
    std::fs::write(&qfile, serde_json::to_vec(queries).unwrap()).unwrap();
    let run = Command::new("node")
        .arg(repo.join("tests/js/search_harness.js"))
        .arg(out)
        .arg(repo.join("tests/fixtures/normalize_cases.json"))
        .arg(&qfile)
        .output()
        .expect("node must be installed to test search.js (https://nodejs.org, or apt-get install nodejs)");
    assert!(run.status.success(), "harness failed:\n{}", String::from_utf8_lossy(&run.stderr));
    serde_json::from_slice(&run.stdout).unwrap()
}

fn urls(report: &Value, i: usize) -> Vec<String> {
    report["queries"][i]["urls"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_string()).collect()
}

#[test]
fn search_js_agrees_with_rust_and_finds_words_behind_clitics() {
    let site = Site::copy("search");
    site.build_ok();
    let out = site.out();
    for f in ["ar/search/index.html", "en/search/index.html", "ar/search-index.json", "en/search-index.json", "search.js", "ar/search/r0.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let queries = serde_json::json!([
        {"lang": "ar", "q": "الذكاء"},
        {"lang": "ar", "q": "ماسك"},
        {"lang": "ar", "q": "مادورو"},
        {"lang": "en", "q": "musk"},
        {"lang": "ar", "q": "بالذكاء"},
        {"lang": "en", "q": "dona"},
        {"lang": "ar", "q": "الذكاء سوق"},
        {"lang": "en", "q": "nothingatall"},
        {"lang": "ar", "q": "Ma\u{0301}sk \u{0645}\u{0627}\u{0633}\u{0643}"},
    ]);
    let r = harness(&out, &queries);
    assert_eq!(r["normalize"], serde_json::json!([]), "search.js normalizes as Rust does");
    assert_eq!(r["clitics"], serde_json::json!([]), "search.js reads clitics as Rust does");

    assert_eq!(urls(&r, 0), ["/ar/2026/01/ai/"], "الذكاء finds والذَّكَاءُ");
    assert_eq!(r["queries"][0]["marked"], serde_json::json!(["والذَّكَاءُ"]));
    // ماسك: the title hit first, then the body's لماسك
    assert_eq!(urls(&r, 1), ["/ar/2026/01/musk-title/", "/ar/2026/01/musk-body/"]);
    assert_eq!(urls(&r, 2), ["/ar/2026/01/maduro/"], "مادورو finds لمادورو");
    assert_eq!(urls(&r, 3), ["/en/2026/01/musk/"], "musk finds Musk's");
    assert_eq!(urls(&r, 4), ["/ar/2026/01/ai/"], "a query word with clitics is read through them");
    assert_eq!(urls(&r, 5), ["/en/2026/01/musk/"], "the last word matches the words it begins");
    assert_eq!(urls(&r, 6), ["/ar/2026/01/ai/"], "every word must match");
    assert_eq!(urls(&r, 7), Vec::<String>::new());
    assert_eq!(urls(&r, 8), ["/ar/2026/01/musk-title/", "/ar/2026/01/musk-body/"], "no word in common: any word");
}

#[test]
fn search_page_works_without_a_server_side_and_says_it_needs_javascript() {
    let site = Site::copy("search");
    site.build_ok();
    let page = site.read("public/ar/search/index.html");
    assert!(page.contains("<noscript><p class=\"search-noscript\">يحتاج البحث إلى جافاسكريبت"), "{page}");
    assert!(page.contains("search.js\" defer></script>"));
    assert!(page.contains("data-index=\"../search-index.json\""), "the index is found relative to the page");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"));
    let en = site.read("public/en/search/index.html");
    assert!(en.contains("Search needs JavaScript"));
    // every page links to its language's search page
    let home = site.read("public/en/index.html");
    assert!(home.contains("href=\"/en/search/\""), "nav link");
    // the entry point carries the Rust normalization tables
    let entry: Value = serde_json::from_str(&site.read("public/ar/search-index.json")).unwrap();
    assert_eq!(entry["tables"], nashra::normalize::js_tables());
    assert_eq!(entry["docs"], 4);
}

#[test]
fn build_reports_the_index_sizes() {
    let site = Site::copy("search");
    let out = Command::new(env!("CARGO_BIN_EXE_nashra")).args(["build", "--root"]).arg(&site.root).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Search index: ar: entry ") && text.contains("; en: entry "), "{text}");
    assert!(text.contains("a one-word query fetches at most"), "{text}");
}
