//! Mention detection against a labelled fixture (precision and recall per
//! language, with false-positive traps) and on the default digest's seed
//! article in both languages; entity ranking, mention links and related
//! articles in a built site; `nashra check --mentions`.

mod common;

use nashra::content::frontmatter::parse_article;
use nashra::mentions::Detector;
use nashra::registry::{parse_entities, Registries};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn registry() -> Registries {
    let path = repo().join("content/entities.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    Registries::new(Vec::new(), parse_entities(&path, &text).unwrap())
}

#[test]
fn labelled_fixture_precision_and_recall() {
    let regs = registry();
    let detector = Detector::new(&regs, ["ar", "en"]);
    let dir = repo().join("tests/fixtures/mentions");
    let labels: BTreeMap<String, Vec<String>> = serde_yaml::from_str(&std::fs::read_to_string(dir.join("labels.yaml")).unwrap()).unwrap();
    let mut report = String::new();
    for lang in ["ar", "en"] {
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        let mut articles = 0;
        for (file, want) in labels.iter().filter(|(f, _)| f.starts_with(&format!("{lang}/"))) {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
            let (article, diags) = parse_article(&path, lang, stem, &text, &regs);
            let article = article.unwrap_or_else(|| panic!("{file}: {diags:?}"));
            let found = detector.analyze_article(&article, &regs);
            let got: BTreeSet<&str> = found.counts.iter().map(|&(e, _)| regs.entities[e].id.as_str()).collect();
            let want: BTreeSet<&str> = want.iter().map(String::as_str).collect();
            tp += got.intersection(&want).count();
            let extra: Vec<&&str> = got.difference(&want).collect();
            let missed: Vec<&&str> = want.difference(&got).collect();
            fp += extra.len();
            fn_ += missed.len();
            if !extra.is_empty() || !missed.is_empty() {
                report.push_str(&format!("  {file}: false positives {extra:?}, missed {missed:?}\n"));
            }
            articles += 1;
        }
        assert!(articles >= 10, "{lang}: at least 10 labelled articles");
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fn_).max(1) as f64;
        println!("{lang}: {articles} articles, {tp} true positives, {fp} false positives, {fn_} missed: precision {precision:.3}, recall {recall:.3}");
        assert!(precision >= 0.95 && recall >= 0.95, "{lang}: precision {precision:.3}, recall {recall:.3}\n{report}");
    }
    print!("{report}");
}

const SEED_SET: &[&str] = &["donald-trump", "elon-musk", "melania-trump", "mar-a-lago", "florida", "x-platform", "tesla", "spacex", "nicolas-maduro", "venezuela"];

#[test]
fn seed_article_mentions_in_both_languages() {
    let opts = nashra::build::BuildOptions { root: repo(), ..Default::default() };
    let loaded = nashra::build::load_keeping_markdown(&opts).unwrap_or_else(|f| panic!("{:?}", f.0 .0));
    let site = &loaded.site;
    for lang in ["ar", "en"] {
        let i = site.articles.iter().position(|a| a.lang == lang && a.stem == "mar-a-lago-dinner").unwrap();
        let found = &site.mentions[i];
        for id in SEED_SET {
            let e = site.registries.entity_pos(id).unwrap();
            assert!(found.count_of(e) >= 1, "{lang}: {id} not found in the text");
        }
        // "لإيلون ماسك" in the last paragraph counts
        let a = &site.articles[i];
        let full = site.detector.analyze_article(a, &site.registries);
        let musk = site.registries.entity_pos("elon-musk").unwrap();
        let last = full.mentions.iter().filter(|m| m.entity == musk && m.verdict.counts()).last().unwrap();
        assert!(last.end > last.start);
        if lang == "ar" {
            let body = nashra::mentions::article_texts(a).pop().unwrap().1;
            assert_eq!(&body[last.start..last.end], "لإيلون ماسك");
        }
        // without the front matter's help, every full name is still found;
        // by design, one-word aliases and one-letter names then do not count:
        // the text has Venezuela only as "الفنزويلي" / "Venezuelan", and the
        // English X only as the letter
        let mut bare = a.clone();
        bare.entities.clear();
        let alone = site.detector.analyze_article(&bare, &site.registries);
        let needs_front_matter: &[&str] = if lang == "en" { &["venezuela", "x-platform"] } else { &["venezuela"] };
        for id in SEED_SET.iter().filter(|id| !needs_front_matter.contains(id)) {
            let e = site.registries.entity_pos(id).unwrap();
            assert!(alone.count_of(e) >= 1, "{lang}: {id} not found without front matter");
        }
    }
}

#[test]
fn built_site_links_first_mentions_ranks_entity_pages_and_relates_articles() {
    let site = common::Site::copy("basic");
    // the fixture's registry has elon-musk; one page holds every article
    let cfg = site.read("site.yaml").replace("paginate: 2", "paginate: 50");
    site.write("site.yaml", &cfg);
    site.write("content/en/one.md", "---\ntitle: \"One\"\ndate: 2026-02-01\ntopics: []\n---\n\n## Elon Musk\n\nElon Musk said so. Musk again, and Elon Musk.\n");
    site.write("content/en/two.md", "---\ntitle: \"Two\"\ndate: 2026-02-02\n---\n\nElon Musk once.\n");
    site.write("content/en/three.md", "---\ntitle: \"Three\"\ndate: 2026-02-03\n---\n\nNothing about him; musk is a scent.\n");
    site.build_ok();
    let one = site.read("public/en/2026/02/one/index.html");
    assert_eq!(one.matches("class=\"mention\"").count(), 1, "{one}");
    assert!(one.contains("<p><a class=\"mention\" href=\"/en/entities/elon-musk/\">Elon Musk</a> said so."), "{one}");
    assert!(one.contains("<h2") && !one.contains("<h2 id=\"elon-musk\"><a class=\"mention\""));
    // related: "two" shares the entity
    assert!(one.contains("class=\"related\"") && one.contains("/en/2026/02/two/"), "{one}");
    // entity page: most mentions first, though "two" is newer
    let page = site.read("public/en/entities/elon-musk/index.html");
    let (p1, p2) = (page.find("/en/2026/02/one/").unwrap(), page.find("/en/2026/02/two/").unwrap());
    assert!(p1 < p2, "one (3 mentions) before two (1)");
    assert!(!page.contains("/en/2026/02/three/"));
    // link_mentions: none
    site.write("site.yaml", &format!("{cfg}\nlink_mentions: none\n"));
    site.build_ok();
    assert!(!site.read("public/en/2026/02/one/index.html").contains("class=\"mention\""));
}

#[test]
fn check_mentions_explains_what_it_found() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nashra"))
        .args(["check", "--mentions", "content/ar/mar-a-lago-dinner.md"])
        .current_dir(repo())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("«لإيلون ماسك»"), "{text}");
    assert!(text.contains("elon-musk name “إيلون ماسك”: counted: full name"), "{text}");
    assert!(text.contains("counted: alias allowed, the front matter names the entity"), "{text}");
    assert!(text.contains("body, line "), "{text}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nashra"))
        .args(["check", "--mentions", "README.md"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an article of this site"));
}
