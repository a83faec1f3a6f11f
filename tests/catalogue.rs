//! The bad-input catalogue: a table of broken sites. For each one the build
//! must fail with a clear message at the right file (and line, where there is
//! one), leave the previous output byte-for-byte as it was, and create nothing
//! outside the output folder. A few inputs that look odd but are valid (BOM,
//! CRLF, a 5 MB article, deep nesting) must build.

mod common;
use common::*;

const A: &str = "content/en/launch.md";

/// Replace `from` by `to` in a fixture file (the text must be there).
fn edit(s: &Site, rel: &str, from: &str, to: &str) {
    let text = s.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    s.write(rel, &text.replacen(from, to, 1));
}

fn article(s: &Site, front: &str) {
    s.write(A, &format!("---\n{front}\n---\n\nBody.\n"));
}

struct Case {
    name: &'static str,
    apply: fn(&Site),
    /// The file the first error names (suffix) and its line (0: no line).
    path: &'static str,
    line: usize,
    /// Words the message (or hint) must hold.
    says: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "malformed yaml", apply: |s| article(s, "title: \"x\"\ndate: 2025-12-01\ntopics: [tech"), path: A, line: 4, says: &["topics: [tech", "expected ',' or ']'"] },
    Case { name: "bad indentation", apply: |s| article(s, "title: x\n  date: 2025-12-01"), path: A, line: 3, says: &["mapping"] },
    Case { name: "missing title", apply: |s| article(s, "date: 2025-12-01"), path: A, line: 1, says: &["missing `title`"] },
    Case { name: "missing date", apply: |s| article(s, "title: x"), path: A, line: 1, says: &["missing `date`"] },
    Case { name: "title is a list", apply: |s| article(s, "title: [a, b]\ndate: 2025-12-01"), path: A, line: 2, says: &["`title` must be text"] },
    Case { name: "topics is a mapping", apply: |s| article(s, "title: x\ndate: 2025-12-01\ntopics: { a: b }"), path: A, line: 4, says: &["`topics` must be a list"] },
    Case { name: "draft is not a boolean", apply: |s| article(s, "title: x\ndate: 2025-12-01\ndraft: maybe"), path: A, line: 4, says: &["`draft` must be true or false"] },
    Case { name: "impossible date", apply: |s| article(s, "title: x\ndate: 2025-02-30"), path: A, line: 3, says: &["2025-02-30", "YYYY-MM-DD"] },
    Case { name: "date is a word", apply: |s| article(s, "title: x\ndate: tomorrow"), path: A, line: 3, says: &["tomorrow"] },
    Case { name: "bad updated date", apply: |s| article(s, "title: x\ndate: 2025-12-01\nupdated: 2025-13-01"), path: A, line: 4, says: &["`updated`"] },
    Case { name: "unknown topic", apply: |s| edit(s, A, "topics: [tech]", "topics: [techh]"), path: A, line: 4, says: &["unknown topic `techh`", "`tech`"] },
    Case { name: "unknown entity", apply: |s| edit(s, A, "entities: [spacex, elon-musk]", "entities: [spacex, elon-mask]"), path: A, line: 5, says: &["unknown entity `elon-mask`", "`elon-musk`"] },
    Case { name: "ambiguous entity", apply: |s| {
        s.write("content/entities.yaml", &format!("{}melania-trump:\n  kind: person\n  names: {{ en: \"Melania Trump\" }}\n  aliases: {{ en: [\"Trump\"] }}\n", s.read("content/entities.yaml")));
    }, path: "content/en/dinner.md", line: 6, says: &["ambiguous", "`donald-trump`", "`melania-trump`"] },
    Case { name: "two articles, one url", apply: |s| s.write("content/en/launch-2.md", &s.read(A).replace("summary:", "slug: launch\ntranslation_key: other\nsummary:")), path: "content/en/launch", line: 0, says: &["both map to /en/2025/12/launch/", "launch-2.md"] },
    Case { name: "two translations in one language", apply: |s| s.write("content/en/launch-2.md", &s.read(A).replace("summary:", "slug: launch-two\ntranslation_key: launch\nsummary:")), path: "content/en/launch", line: 0, says: &["translation key `launch`"] },
    Case { name: "front matter not closed", apply: |s| s.write(A, "---\ntitle: x\ndate: 2025-12-01\n\nBody\n"), path: A, line: 1, says: &["not closed"] },
    Case { name: "empty file", apply: |s| s.write(A, ""), path: A, line: 0, says: &["empty"] },
    Case { name: "whitespace-only file", apply: |s| s.write(A, "  \n\n\t\n"), path: A, line: 0, says: &["empty"] },
    Case { name: "no front matter", apply: |s| s.write(A, "# Just markdown\n\nText.\n"), path: A, line: 1, says: &["no front matter"] },
    Case { name: "front matter is a list", apply: |s| s.write(A, "---\n- a\n- b\n---\nx\n"), path: A, line: 2, says: &["field: value"] },
    Case { name: "non-utf-8 bytes", apply: |s| std::fs::write(s.root.join(A), b"---\ntitle: \"caf\xe9\"\ndate: 2025-12-01\n---\n").unwrap(), path: A, line: 2, says: &["UTF-8"] },
    Case { name: "dangling symlink", apply: |s| std::os::unix::fs::symlink("nowhere.md", s.root.join("content/en/gone.md")).unwrap(), path: "content/en/gone.md", line: 0, says: &["symbolic link"] },
    Case { name: "symlink loop", apply: |s| {
        std::os::unix::fs::symlink("loop-b.md", s.root.join("content/en/loop-a.md")).unwrap();
        std::os::unix::fs::symlink("loop-a.md", s.root.join("content/en/loop-b.md")).unwrap();
    }, path: "content/en/loop-a.md", line: 0, says: &["looping"] },
    Case { name: "slug with ..", apply: |s| edit(s, A, "date: 2025-12-01", "date: 2025-12-01\nslug: \"../../x\""), path: A, line: 4, says: &["cannot be used in a URL", "`..`"] },
    Case { name: "slug with a slash", apply: |s| edit(s, A, "date: 2025-12-01", "date: 2025-12-01\nslug: a/b"), path: A, line: 4, says: &["slash"] },
    Case { name: "slug with a drive letter", apply: |s| edit(s, A, "date: 2025-12-01", "date: 2025-12-01\nslug: \"C:\""), path: A, line: 4, says: &["drive letter"] },
    Case { name: "slug with NUL", apply: |s| edit(s, A, "date: 2025-12-01", "date: 2025-12-01\nslug: \"a\\0b\""), path: A, line: 4, says: &["control character"] },
    Case { name: "entity id with ..", apply: |s| s.write("content/entities.yaml", &format!("{}\"..\":\n  kind: place\n", s.read("content/entities.yaml"))), path: "content/entities.yaml", line: 15, says: &["id `..`"] },
    Case { name: "topic id with a slash", apply: |s| s.write("content/topics.yaml", &format!("{}\"a/b\": {{ en: \"x\" }}\n", s.read("content/topics.yaml"))), path: "content/topics.yaml", line: 4, says: &["id `a/b`"] },
    Case { name: "entity of an unknown kind", apply: |s| edit(s, "content/entities.yaml", "kind: place", "kind: plaec"), path: "content/entities.yaml", line: 9, says: &["kind is one of"] },
    Case { name: "registry is not yaml", apply: |s| s.write("content/topics.yaml", "politics: { ar: \"x\"\n"), path: "content/topics.yaml", line: 1, says: &["expected ',' or '}'"] },
    Case { name: "image with ..", apply: |s| edit(s, A, "date: 2025-12-01", "date: 2025-12-01\nimage: ../../etc/passwd\nimage_alt: x"), path: A, line: 4, says: &["image"] },
    Case { name: "site.yaml syntax", apply: |s| edit(s, "site.yaml", "paginate: 2", "paginate: [2"), path: "site.yaml", line: 8, says: &["paginate"] },
    Case { name: "site.yaml unknown field", apply: |s| edit(s, "site.yaml", "paginate: 2", "paginat: 2"), path: "site.yaml", line: 8, says: &["did you mean `paginate`?"] },
    Case { name: "site.yaml default language", apply: |s| edit(s, "site.yaml", "default_language: ar", "default_language: fr"), path: "site.yaml", line: 4, says: &["`fr`", "`ar`"] },
    Case { name: "site.yaml bad direction", apply: |s| edit(s, "site.yaml", "numerals: arab", "dir: sideways"), path: "site.yaml", line: 6, says: &["`sideways`", "rtl"] },
    Case { name: "site.yaml bad base_url", apply: |s| edit(s, "site.yaml", "https://example.org", "example.org"), path: "site.yaml", line: 3, says: &["https://"] },
    Case { name: "template syntax error", apply: |s| s.write("themes/default/templates/topics.html", "{% extends \"base.html\" %}\n{% block content %}\n{% for t in topics %}\n{% endblock content %}\n"), path: "themes/default/templates/topics.html", line: 4, says: &["template syntax error"] },
    Case { name: "template undefined variable", apply: |s| s.write("themes/default/templates/topics.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ nothing_here }}</p>\n{% endblock content %}\n"), path: "themes/default/templates/topics.html", line: 3, says: &["nothing_here"] },
    Case { name: "card template undefined variable", apply: |s| s.write("themes/default/templates/card.html", "<article class=\"card\">\n  <h2>{{ card.title }}</h2>\n  <p>{{ card.no_such_field }}</p>\n</article>"), path: "themes/default/templates/card.html", line: 3, says: &["no_such_field"] },
    Case { name: "template asks for a missing message", apply: |s| s.write("themes/default/templates/topics.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ t(key=\"no-such-message\", lang=lang.code) }}</p>\n{% endblock content %}\n"), path: "themes/default/templates/topics.html", line: 3, says: &["no-such-message"] },
    Case { name: "template prints a message no .ftl defines", apply: |s| s.write("themes/default/templates/topics.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ ui.no_such_message }}</p>\n{% endblock content %}\n"), path: "themes/default/templates/topics.html", line: 3, says: &["ui.no_such_message", "message `no-such-message`"] },
    Case { name: "a language lacks a message the layout prints", apply: |s| {
        // a third language whose .ftl lacks `nav-home`, and is the default (no fallback)
        edit(s, "site.yaml", "default_language: ar", "default_language: fr");
        edit(s, "site.yaml", "languages:", "languages:\n  fr: { name: \"Français\" }");
        let en = include_str!("../i18n/en.ftl");
        s.write("i18n/fr.ftl", &en.lines().filter(|l| !l.starts_with("nav-home")).collect::<Vec<_>>().join("\n"));
    }, path: "templates/base.html", line: 35, says: &["ui.nav_home", "message `nav-home`"] },
    Case { name: "ftl syntax error", apply: |s| s.write("i18n/en.ftl", "nav-home = Home\nbroken = {\n"), path: "i18n/en.ftl", line: 2, says: &["ftl"] },
    Case { name: "ftl message missing a variable", apply: |s| s.write("i18n/en.ftl", "article-count = { $cuont } articles\n"), path: "i18n", line: 0, says: &["cuont"] },
];

#[test]
fn every_broken_input_fails_cleanly() {
    let mut failures = Vec::new();
    for case in CASES {
        let s = Site::copy("basic");
        s.build_ok();
        let before = snapshot(&s.out());
        (case.apply)(&s);
        let outside: Vec<_> = tree(s.tmp.path()).into_iter().filter(|p| !p.starts_with(s.out())).collect();
        let result = s.build();
        let Err(f) = result else {
            failures.push(format!("{}: the build succeeded", case.name));
            continue;
        };
        let text = f.0 .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        let d = f.0.errors().next().expect("an error");
        let mut problems = Vec::new();
        if !d.path.to_string_lossy().contains(case.path) {
            problems.push(format!("path {} lacks {}", d.path.display(), case.path));
        }
        if d.line != case.line {
            problems.push(format!("line {} instead of {}", d.line, case.line));
        }
        if d.line > 0 && d.source_line.is_none() {
            problems.push("no source line shown".to_string());
        }
        for word in case.says {
            if !text.contains(word) {
                problems.push(format!("message lacks {word:?}"));
            }
        }
        if snapshot(&s.out()) != before {
            problems.push("public/ changed".to_string());
        }
        let outside_after: Vec<_> = tree(s.tmp.path()).into_iter().filter(|p| !p.starts_with(s.out())).collect();
        if outside_after != outside {
            problems.push("files appeared outside public/".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{text}", case.name, problems.join("; ")));
        }
    }
    assert!(CASES.len() >= 30);
    assert!(failures.is_empty(), "{} of {} cases:\n\n{}", failures.len(), CASES.len(), failures.join("\n\n"));
}

#[test]
fn several_broken_files_are_all_reported() {
    let s = Site::copy("basic");
    edit(&s, A, "topics: [tech]", "topics: [nope]");
    edit(&s, "content/ar/launch.md", "date: 2025-12-01", "date: 2025-99-01");
    s.write("content/ar/only-ar.md", "");
    edit(&s, "content/en/dinner.md", "title:", "title: [x]\ntitel:");
    let (f, text) = s.build_err();
    assert_eq!(f.0.errors().count(), 4, "{text}");
    for file in ["content/en/launch.md:4", "content/ar/launch.md:3", "content/ar/only-ar.md", "content/en/dinner.md:2"] {
        assert!(text.contains(file), "{file} missing in\n{text}");
    }
}

#[test]
fn odd_but_valid_inputs_build() {
    let s = Site::copy("basic");
    // BOM and CRLF line endings
    let text = s.read(A).replace('\n', "\r\n");
    std::fs::write(s.root.join(A), format!("\u{FEFF}{text}")).unwrap();
    // a 5 MB article
    let para = "A long paragraph of words that repeats to make a very large article. ".repeat(20);
    let big: String = (0..3700).map(|i| format!("## Part {i}\n\n{para}\n\n")).collect();
    assert!(big.len() > 5_000_000);
    s.write("content/en/big.md", &format!("---\ntitle: Big\ndate: 2024-01-01\n---\n\n{big}"));
    // deeply nested markdown
    s.write("content/en/deep.md", &format!("---\ntitle: Deep\ndate: 2024-01-02\n---\n\n{}deep\n\n{}x\n", "> ".repeat(5000), "- ".repeat(1000)));
    s.build_ok();
    assert_eq!(texts(&s.page("en/2025/12/launch/"), "h1"), vec!["A new rocket launch"]);
    assert_eq!(texts(&s.page("en/2024/01/big/"), "h1"), vec!["Big"]);
    assert!(s.exists("en/2024/01/deep/index.html"));
}
