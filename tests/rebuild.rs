//! A second `build` with nothing changed finds the output up to date and
//! renders nothing; any change to an input, an option or the output folder
//! itself makes it render again, and the result is what a first build gives.

mod common;
use common::*;
use nashra::build::{self, BuildOptions};
use std::path::Path;

fn wait_for_a_new_mtime() {
    std::thread::sleep(std::time::Duration::from_millis(20));
}

/// Date every input an hour back: files written in the last seconds are
/// hashed, not dated, and one turning old between two builds of a slow test
/// run would change the fingerprint.
fn age(s: &Site) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(&s.root).into_iter().flatten() {
        if e.file_type().is_file() && !e.path().starts_with(s.out()) {
            std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(old).unwrap();
        }
    }
}

#[test]
fn a_no_change_rebuild_renders_nothing_and_any_change_renders_again() {
    let s = Site::copy("basic");
    age(&s);
    let first = s.build_ok();
    assert!(!first.up_to_date);
    assert!(s.out().join(".nashra-manifest").is_file());
    let before = snapshot(&s.out());
    wait_for_a_new_mtime();

    let again = s.build_ok();
    assert!(again.up_to_date, "nothing changed");
    assert_eq!((again.pages, again.files, again.sync.written, again.sync.unchanged), (first.pages, first.files, 0, first.files));
    assert_eq!(again.search.iter().map(|x| (x.entry, x.term_shards)).collect::<Vec<_>>(),
        first.search.iter().map(|x| (x.entry, x.term_shards)).collect::<Vec<_>>(), "the summary still reports the index");
    assert_eq!(snapshot(&s.out()), before, "no file or time changed");

    // an edited article renders again, and only its pages change
    let path = "content/en/launch.md";
    s.write(path, &s.read(path).replace("title:", "title: Updated —"));
    let edited = s.build_ok();
    assert!(!edited.up_to_date);
    assert!(edited.sync.written > 0 && edited.sync.unchanged > 0, "{:?}", edited.sync);
    assert!(texts(&s.page("en/"), ".card-title").iter().any(|t| t.starts_with("Updated —")));
    age(&s);
    assert!(!s.build_ok().up_to_date, "an older time is a change too");
    assert!(s.build_ok().up_to_date, "the edit is recorded");

    // an option the last build did not have
    let opts = BuildOptions { base_url: Some("https://news.example.net".into()), ..s.opts() };
    assert!(!build::build(&opts).unwrap().up_to_date);
    assert!(build::build(&opts).unwrap().up_to_date);
    assert!(!s.build_ok().up_to_date, "back to the site's base_url");

    // an output file edited by hand is put back
    let home = s.out().join("ar/index.html");
    let good = std::fs::read(&home).unwrap();
    std::fs::write(&home, b"tampered").unwrap();
    let r = s.build_ok();
    assert!(!r.up_to_date);
    assert_eq!((r.sync.written, r.sync.removed), (1, 0));
    assert_eq!(std::fs::read(&home).unwrap(), good);

    // a stray file in the output goes, as in any build
    std::fs::write(s.out().join("stray.html"), "x").unwrap();
    let r = s.build_ok();
    assert!(!r.up_to_date);
    assert_eq!((r.sync.written, r.sync.removed), (0, 1));
    assert!(!s.exists("stray.html"));
}

#[test]
fn a_build_right_after_an_edit_is_up_to_date_for_the_next_one_once_the_edit_is_old() {
    // the fixture was copied just now: every input is too recent for its
    // time to be trusted, and the build records the hash of its bytes
    let s = Site::copy("basic");
    let first = s.build_ok();
    assert!(!first.up_to_date);
    let manifest = std::fs::read_to_string(s.out().join(".nashra-manifest")).unwrap();
    assert!(manifest.lines().any(|l| l.starts_with("recent ") && l.ends_with(" content/en/launch.md")), "{manifest}");
    let before = snapshot(&s.out());
    std::thread::sleep(std::time::Duration::from_millis(nashra::fingerprint::RACY_SECS * 1000 + 200));

    // now dated, no longer hashed: the same bytes, read once more
    let again = s.build_ok();
    assert!(again.up_to_date, "the inputs have their bytes of the last build");
    assert_eq!(snapshot(&s.out()), before, "no file or time changed, the manifest's neither");

    // an edit of the same size and time (as a second edit within one tick
    // of the file system's clock leaves it) is still seen
    let path = s.root.join("content/en/launch.md");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = s.read("content/en/launch.md");
    // the body's last `a` made a `b`
    let at = text.rfind('a').unwrap();
    let edited = format!("{}b{}", &text[..at], &text[at + 1..]);
    s.write("content/en/launch.md", &edited);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(mtime).unwrap();
    let r = s.build_ok();
    assert!(!r.up_to_date, "other bytes under the same size and time");
    assert!(r.sync.written > 0);
}

#[test]
fn without_a_manifest_a_rebuild_renders_and_still_writes_nothing() {
    let s = Site::copy("basic");
    s.build_ok();
    std::fs::remove_file(s.out().join(".nashra-manifest")).unwrap();
    let before = snapshot(&s.out());
    wait_for_a_new_mtime();
    let r = s.build_ok();
    assert!(!r.up_to_date);
    assert_eq!(r.sync.written, 0);
    let mut after = snapshot(&s.out());
    assert!(after.remove(Path::new(".nashra-manifest")).is_some(), "recorded again");
    assert_eq!(after, before, "every page kept its bytes and time");
}

#[test]
fn a_build_with_warnings_is_not_recorded_so_the_next_one_shows_them() {
    let s = Site::copy("basic");
    let path = "content/en/launch.md";
    s.write(path, &s.read(path).replace("topics:", "tpoics: [x]\ntopics:"));
    assert!(!s.build_ok().warnings.is_empty());
    let r = s.build_ok();
    assert!(!r.up_to_date);
    assert!(!r.warnings.is_empty(), "the warning is shown again");
}
