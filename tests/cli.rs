//! The command line: `init` scaffolds a site that builds at once, `new`
//! creates an article, `check` writes nothing, `--help` explains.

mod common;
use common::*;
use std::process::Command;

fn nashra() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nashra"))
}

#[test]
fn init_then_build_then_new_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("mysite");
    let out = nashra().arg("init").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = nashra().arg("--root").arg(&site).arg("build").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Built ") && stdout.contains(" ms"), "{stdout}");
    let home = scraper::Html::parse_document(&std::fs::read_to_string(site.join("public/ar/index.html")).unwrap());
    assert_eq!(texts(&home, ".card-title"), vec!["مرحبًا بكم في نشرتكم"]);

    let out = nashra().args(["new", "ar", "خبر عاجل: اختبار"]).arg("--root").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let created = site.join("content/ar/خبر-عاجل-اختبار.md");
    let text = std::fs::read_to_string(&created).unwrap();
    assert!(text.contains("title: \"خبر عاجل: اختبار\"") && text.contains("draft: true"), "{text}");
    // a second `new` with the same title refuses to overwrite
    let out = nashra().args(["new", "ar", "خبر عاجل: اختبار"]).arg("--root").arg(&site).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = nashra().args(["new", "fr", "x"]).arg("--root").arg(&site).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("language `fr` is not configured"));

    // the new draft parses; check writes nothing
    let before = snapshot(&site.join("public"));
    let out = nashra().args(["check", "--drafts"]).arg("--root").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(snapshot(&site.join("public")), before);

    // init refuses a non-empty folder
    let out = nashra().arg("init").arg(&site).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn help_lists_the_commands() {
    let out = nashra().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["build", "check", "new", "init", "--root"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn missing_site_yaml_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = nashra().arg("--root").arg(tmp.path()).arg("build").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("site.yaml: error: cannot read the site configuration") && err.contains("nashra init"), "{err}");
}
