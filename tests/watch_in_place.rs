//! Issue 4: the watcher applies an article edit that keeps its URL and date
//! in place (`Site::replace`, `search::Index::update`). On a site larger than
//! the related-articles window (so that windows shift when an article joins
//! or leaves a topic) and with Arabic words filed under stems that appear
//! and vanish, each such edit must leave the output byte-identical to a
//! fresh full build.

mod common;
use common::*;
use nashra::build::{self, BuildOptions};
use nashra::watch::{Change, Incremental, Outcome};
use std::collections::BTreeSet;
use std::path::Path;


const EN: usize = 230;

fn en_article(k: usize, topics: &str, body: &str) -> String {
    let day = 1 + k % 28;
    let month = 1 + (k / 28) % 12;
    format!("---\ntitle: \"Story {k}\"\ndate: 2025-{month:02}-{day:02}T{:02}:00:00Z\ntopics: [{topics}]\n---\n\nWord{k} {body}\n", k % 24)
}

fn ar_article(k: usize, body: &str) -> String {
    format!("---\ntitle: \"خبر {k}\"\ndate: 2025-06-{:02}\ntopics: [politics]\n---\n\n{body}\n", 1 + k)
}

fn rebuild(inc: &mut Incremental, root: &Path, rel: &str) {
    match inc.rebuild(&BTreeSet::from([Change::Article(root.join(rel))])) {
        Outcome::Built(_) => {}
        Outcome::Unchanged => panic!("{rel}: no change seen"),
        Outcome::Failed(f) => panic!("{rel}: rebuild failed: {:?}", f.0 .0.first()),
    }
}

#[test]
fn in_place_edits_on_a_site_larger_than_the_windows_match_full_builds() {
    let site = Site::copy("basic");
    for k in 0..EN {
        let topics = if k % 3 == 0 { "tech, politics" } else { "tech" };
        site.write(&format!("content/en/s{k:03}.md"), &en_article(k, topics, "Musk met reporters."));
    }
    for k in 0..6 {
        site.write(&format!("content/ar/a{k}.md"), &ar_article(k, "قال المراسلون ولقطار والحزب."));
    }
    let inc_out = site.tmp.path().join("incremental");
    let full_out = site.tmp.path().join("full");
    let opts = BuildOptions { root: site.root.clone(), out: Some(inc_out.clone()), ..Default::default() };
    let mut inc = Incremental::new(opts.clone());
    assert!(matches!(inc.rebuild(&BTreeSet::from([Change::Everything])), Outcome::Built(_)));
    let full = BuildOptions { out: Some(full_out.clone()), ..opts };

    let edits: Vec<(String, String)> = vec![
        // a body edit with a word no other article has
        ("content/en/s100.md".into(), en_article(100, "tech", "Musk met reporters. Zanzibarian news.")),
        // joins and leaves topics in the middle of a long list: windows shift
        ("content/en/s120.md".into(), en_article(120, "politics, sport", "Musk met reporters.")),
        ("content/en/s120.md".into(), en_article(120, "tech", "Musk met reporters.")),
        // an entity named in the text, then gone
        ("content/en/s010.md".into(), en_article(10, "tech", "Elon Musk and SpaceX in Florida.")),
        ("content/en/s010.md".into(), en_article(10, "tech", "Nobody.")),
        // `قطار` becomes a word of the site: `ولقطار` is filed under it too, then no more
        ("content/ar/a2.md".into(), ar_article(2, "قال قطار المراسلون.")),
        ("content/ar/a2.md".into(), ar_article(2, "قال المراسلون.")),
    ];
    for (step, (rel, text)) in edits.iter().enumerate() {
        site.write(rel, text);
        rebuild(&mut inc, &site.root, rel);
        build::build(&full).unwrap_or_else(|f| panic!("step {step}: full build failed: {:?}", f.0 .0.first()));
        let (a, b) = (contents(&inc_out), contents(&full_out));
        let differ: Vec<_> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        assert!(differ.is_empty(), "step {step} ({rel}): incremental and full output differ in {differ:?}");
    }
}

/// Files below `dir` whose path matches `keep`.
fn count(dir: &Path, keep: impl Fn(&str) -> bool) -> usize {
    contents(dir).keys().filter(|p| keep(&p.to_string_lossy())).count()
}

#[test]
fn a_template_edit_re_renders_only_the_pages_that_use_it() {
    let site = Site::copy("basic");
    let out = site.tmp.path().join("incremental");
    let full_out = site.tmp.path().join("full");
    let opts = BuildOptions { root: site.root.clone(), out: Some(out.clone()), ..Default::default() };
    let mut inc = Incremental::new(opts.clone());
    assert!(matches!(inc.rebuild(&BTreeSet::from([Change::Everything])), Outcome::Built(_)));
    let full = BuildOptions { out: Some(full_out.clone()), ..opts };
    let mut step = |file: &str, source: String, expected: usize, what: &str| {
        site.write(&format!("themes/default/templates/{file}"), &source);
        match inc.rebuild(&BTreeSet::from([Change::Theme])) {
            Outcome::Built(r) => assert_eq!(r.rendered, expected, "{what}: pages rendered"),
            _ => panic!("{what}: the rebuild did not build"),
        }
        let _ = std::fs::remove_dir_all(&full_out);
        build::build(&full).unwrap();
        assert!(contents(&out) == contents(&full_out), "{what}: watch output differs from a full build");
    };
    // topic pages (every language, every page of each) and nothing else
    let topic_pages = count(&out, |p| p.contains("/topics/") && p.ends_with("index.html") && !p.ends_with("/topics/index.html"));
    assert!(topic_pages >= 2);
    let topic = include_str!("../themes/default/templates/topic.html").replace("<header class=\"term-header\">", "<header class=\"term-header\" data-edited=\"1\">");
    step("topic.html", topic, topic_pages, "topic.html");
    // card.html: the pages with cards (homes, topics, entities, articles' related cards), not the indexes or the 404 page
    let with_cards = count(&out, |p| p.ends_with("index.html") && !p.ends_with("/topics/index.html") && !p.ends_with("/entities/index.html")
        && !p.contains("/search/"));
    let card = include_str!("../themes/default/templates/card.html").replace("<article class=\"card\"", "<article class=\"card edited\"");
    step("card.html", card, with_cards, "card.html");
}
