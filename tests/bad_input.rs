//! SPEC §6: every bad input is reported as `path:line:col` with the line and a
//! hint, all in one run, with a non-zero exit; the previous output stays
//! byte-for-byte and timestamp-for-timestamp as it was; nothing is written
//! outside the output folder.

mod common;
use common::*;
use std::path::Path;

/// Build the good fixture, break it with `edit`, build again: the build must
/// fail, `public/` must be untouched and nothing may appear outside it.
fn fails_cleanly(edit: impl FnOnce(&Site)) -> (nashra::build::Failure, String) {
    let s = Site::copy("basic");
    s.build_ok();
    let before = snapshot(&s.out());
    edit(&s);
    let outside_before = tree(s.tmp.path()).into_iter().filter(|p| !p.starts_with(s.out())).count();
    let (f, text) = s.build_err();
    assert_eq!(snapshot(&s.out()), before, "a failed build changed public/");
    let outside_after = tree(s.tmp.path()).into_iter().filter(|p| !p.starts_with(s.out())).count();
    assert_eq!(outside_before, outside_after, "a failed build created files outside public/");
    (f, text)
}

fn first_error(f: &nashra::build::Failure) -> &nashra::diag::Diagnostic {
    f.0.errors().next().expect("an error")
}

#[test]
fn malformed_yaml_points_at_the_article_line() {
    let (f, text) = fails_cleanly(|s| s.write("content/en/launch.md", "---\ntitle: \"A launch\"\ndate: 2025-12-01\ntopics: [tech\n---\nbody\n"));
    let d = first_error(&f);
    assert!(d.path.ends_with("content/en/launch.md"), "{text}");
    assert!(d.line >= 4 && d.line <= 5, "line {} in {text}", d.line);
    assert!(d.source_line.is_some() && d.hint.is_some(), "{text}");
}

#[test]
fn unknown_topic_names_file_line_and_nearest_ids() {
    let (f, text) = fails_cleanly(|s| {
        s.write("content/ar/launch.md", &s.read("content/ar/launch.md").replace("topics: [tech]", "topics: [tehc]"))
    });
    let d = first_error(&f);
    assert_eq!((d.line, d.col), (4, 10), "{text}");
    assert!(d.message.contains("unknown topic `tehc`"), "{text}");
    assert!(d.hint.as_deref().unwrap().contains("`tech`"), "{text}");
    assert!(text.contains("content/ar/launch.md:4:10: error"), "{text}");
    assert!(text.contains("4 | topics: [tehc]"), "{text}");
}

#[test]
fn ambiguous_entity_alias_is_an_error() {
    let (_, text) = fails_cleanly(|s| {
        s.write("content/entities.yaml", &format!("{}melania-trump:\n  kind: person\n  names: {{ en: \"Melania Trump\" }}\n  aliases: {{ en: [\"Trump\"] }}\n", s.read("content/entities.yaml")));
    });
    assert!(text.contains("content/en/dinner.md:6:"), "{text}");
    assert!(text.contains("`Trump` is ambiguous") && text.contains("`melania-trump`"), "{text}");
}

#[test]
fn impossible_date_is_an_error_with_a_hint() {
    let (f, text) = fails_cleanly(|s| {
        s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("date: 2025-12-01", "date: 2025-02-30"))
    });
    let d = first_error(&f);
    assert_eq!(d.line, 3, "{text}");
    assert!(d.message.contains("2025-02-30") && d.hint.as_deref().unwrap().contains("YYYY-MM-DD"), "{text}");
}

#[test]
fn missing_required_fields_and_unclosed_front_matter() {
    let (_, text) = fails_cleanly(|s| {
        s.write("content/en/launch.md", "---\ntitle: \"No date\"\n---\nbody\n");
        s.write("content/ar/launch.md", "---\ntitle: \"لا نهاية\"\ndate: 2025-12-01\n\nbody\n");
        s.write("content/ar/only-ar.md", "");
    });
    assert!(text.contains("content/en/launch.md:1:1: error: missing `date`"), "{text}");
    assert!(text.contains("content/ar/launch.md:1:1: error: the front matter is not closed"), "{text}");
    assert!(text.contains("content/ar/only-ar.md: error: the file is empty"), "{text}");
}

#[test]
fn all_errors_of_a_run_are_reported_and_the_cli_exits_non_zero() {
    let s = Site::copy("basic");
    s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("topics: [tech]", "topics: [nope]"));
    s.write("content/ar/launch.md", &s.read("content/ar/launch.md").replace("date: 2025-12-01", "date: soon"));
    s.write("content/topics.yaml", &format!("{}\"bad/id\": {{ en: \"x\" }}\n", s.read("content/topics.yaml")));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nashra"))
        .args(["build", "--root"]).arg(&s.root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("topics.yaml:4:1: error: id `bad/id`"), "{err}");
    // the registry is broken, so articles wait; fix it and both article errors come together
    s.write("content/topics.yaml", &s.read("content/topics.yaml").replace("\"bad/id\": { en: \"x\" }\n", ""));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nashra"))
        .args(["build", "--root"]).arg(&s.root).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("launch.md:4:10: error: unknown topic `nope`"), "{err}");
    assert!(err.contains("launch.md:3:7: error: `date`"), "{err}");
    assert!(err.contains("2 error(s)"), "{err}");
    assert!(!s.out().exists(), "nothing written");
}

#[test]
fn slugs_and_ids_cannot_escape_the_output_folder() {
    for bad in ["../../escaped", "a/b", "..", "C:evil", "x\\y"] {
        let (f, text) = fails_cleanly(|s| {
            let yaml_slug = serde_json::to_string(bad).unwrap();
            s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("date: 2025-12-01", &format!("date: 2025-12-01\nslug: {yaml_slug}")));
        });
        assert!(first_error(&f).message.contains("cannot be used in a URL"), "{bad}: {text}");
    }
    let (_, text) = fails_cleanly(|s| {
        s.write("content/entities.yaml", &format!("{}\"../../evil\":\n  kind: person\n", s.read("content/entities.yaml")));
    });
    assert!(text.contains("entities.yaml:15:1: error: id `../../evil` cannot be used in a URL"), "{text}");
}

#[test]
fn duplicate_urls_name_both_files() {
    let (_, text) = fails_cleanly(|s| {
        s.write("content/en/launch-copy.md", &s.read("content/en/launch.md").replace("summary:", "slug: launch\ntranslation_key: other\nsummary:"));
    });
    assert!(text.contains("launch-copy.md") && text.contains("content/en/launch.md"), "{text}");
    assert!(text.contains("/en/2025/12/launch/"), "{text}");
}

#[test]
fn broken_site_yaml_and_templates_and_ftl() {
    let (f, text) = fails_cleanly(|s| s.write("site.yaml", &s.read("site.yaml").replace("paginate: 2", "paginate: [2")));
    assert!(first_error(&f).path.ends_with("site.yaml") && first_error(&f).line > 0, "{text}");

    let (f, text) = fails_cleanly(|s| s.write("themes/default/templates/topics.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ topics | length \n{% endblock content %}\n"));
    let d = first_error(&f);
    assert!(d.path.ends_with("themes/default/templates/topics.html"), "{text}");
    assert!(d.line >= 3, "{text}");

    let (f, text) = fails_cleanly(|s| s.write("themes/default/templates/topics.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ no_such_thing }}</p>\n{% endblock content %}\n"));
    let d = first_error(&f);
    assert!(d.path.ends_with("topics.html") && d.line == 3 && d.message.contains("no_such_thing"), "{text}");

    let (f, text) = fails_cleanly(|s| s.write("i18n/en.ftl", "nav-home = Home\nbroken = {\n"));
    let d = first_error(&f);
    assert!(d.path.ends_with("i18n/en.ftl") && d.line == 2, "{text}");
}

#[test]
fn non_utf8_is_an_error_but_bom_and_crlf_work() {
    let (f, text) = fails_cleanly(|s| {
        std::fs::write(s.root.join("content/en/launch.md"), b"---\ntitle: \"Bad \xff byte\"\ndate: 2025-12-01\n---\nx\n").unwrap();
    });
    assert_eq!(first_error(&f).line, 2, "{text}");

    let s = Site::copy("basic");
    let text = s.read("content/en/launch.md").replace('\n', "\r\n");
    std::fs::write(s.root.join("content/en/launch.md"), format!("\u{FEFF}{text}")).unwrap();
    s.build_ok();
    assert_eq!(texts(&s.page("en/2025/12/launch/"), "h1"), vec!["A new rocket launch"]);
}

#[test]
fn unknown_fields_are_warnings_naming_field_and_file() {
    let s = Site::copy("basic");
    s.write("content/en/launch.md", &s.read("content/en/launch.md").replace("topics:", "tpoics: [x]\ntopics:"));
    let r = s.build_ok();
    let w: Vec<String> = r.warnings.iter().map(|d| d.to_string()).collect();
    assert!(w.iter().any(|w| w.contains("content/en/launch.md:4:1: warning: unknown front-matter field `tpoics`") && w.contains("did you mean `topics`?")), "{w:?}");
}

#[test]
fn a_rebuild_with_nothing_changed_touches_nothing_and_stale_files_go() {
    let s = Site::copy("basic");
    s.build_ok();
    std::fs::create_dir_all(s.out().join(".git")).unwrap();
    std::fs::write(s.out().join(".git/HEAD"), "keep me").unwrap();
    std::fs::write(s.out().join("stale.html"), "old").unwrap();
    let before = snapshot(&s.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = s.build_ok();
    assert_eq!(r.sync.written, 0);
    assert_eq!(r.sync.removed, 1);
    let mut after = snapshot(&s.out());
    assert!(!after.contains_key(Path::new("stale.html")));
    after.insert("stale.html".into(), before[Path::new("stale.html")].clone());
    assert_eq!(after, before, "unchanged files keep their bytes and timestamps; dotfiles stay");

    // deleting an article removes its page
    std::fs::remove_file(s.root.join("content/ar/only-ar.md")).unwrap();
    s.build_ok();
    assert!(!s.exists("ar/2025/11/only-ar/index.html"));
    assert!(!s.exists("ar/2025/11"), "empty folders go too");
}

#[test]
fn output_folder_holding_the_sources_is_refused() {
    let s = Site::copy("basic");
    let opts = nashra::build::BuildOptions { out: Some(s.root.clone()), ..s.opts() };
    let before = tree(&s.root).len();
    let err = nashra::build::build(&opts).unwrap_err();
    assert!(err.0 .0[0].message.contains("refusing"), "{:?}", err.0);
    assert_eq!(tree(&s.root).len(), before);
}
