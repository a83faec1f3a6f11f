//! `pgo/rustc-wrapper`, the rustc wrapper of `.cargo/config.toml`: the
//! profile goes to the crates compiled at opt-level 3 (the release build)
//! and to nothing else, and a profile another LLVM wrote is left unused.
//! Run against a stand-in rustc that prints the arguments it is given.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A stand-in for rustc: `-vV` prints the LLVM version `llvm`, anything
/// else prints its arguments, one per line.
fn fake_rustc(dir: &Path, llvm: &str) -> PathBuf {
    let path = dir.join(format!("rustc-llvm{llvm}"));
    let script = format!(
        "#!/usr/bin/env bash\nif [ \"$1\" = -vV ]; then echo 'rustc 1.0.0'; echo 'LLVM version: {llvm}.1.0'; exit 0; fi\nprintf '%s\\n' \"$@\"\n"
    );
    std::fs::write(&path, script).unwrap();
    Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    path
}

/// The arguments the wrapper hands to `rustc` for `args`, with `env` set.
fn run(rustc: &Path, args: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let mut cmd = Command::new(repo().join("pgo/rustc-wrapper"));
    cmd.arg(rustc).args(args).env_remove("NASHRA_NO_PGO").env_remove("NASHRA_PGO_GENERATE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "wrapper failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

fn committed_llvm() -> String {
    std::fs::read_to_string(repo().join("pgo/llvm-version")).unwrap().trim().to_string()
}

#[test]
fn the_release_build_and_only_it_gets_the_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let rustc = fake_rustc(tmp.path(), &committed_llvm());
    let profile = format!("-Cprofile-use={}", repo().join("pgo/nashra.profdata").display());

    let release = run(&rustc, &["--crate-name", "x", "-C", "opt-level=3", "lib.rs"], &[]);
    assert_eq!(&release[..5], ["--crate-name", "x", "-C", "opt-level=3", "lib.rs"]);
    assert!(release.contains(&profile), "{release:?}");
    // written as one argument too
    assert!(run(&rustc, &["-Copt-level=3", "lib.rs"], &[]).contains(&profile));

    // the tests' builds (opt-level 0, dependencies at 2) and other calls
    for args in [&["-C", "opt-level=2", "lib.rs"][..], &["-C", "opt-level=0", "lib.rs"], &["lib.rs"], &["-", "--print=cfg"]] {
        assert_eq!(run(&rustc, args, &[]), args, "{args:?}");
    }
    // opted out
    assert_eq!(run(&rustc, &["-C", "opt-level=3", "lib.rs"], &[("NASHRA_NO_PGO", "1")]), ["-C", "opt-level=3", "lib.rs"]);
}

#[test]
fn a_profile_of_another_llvm_is_left_unused() {
    let tmp = tempfile::tempdir().unwrap();
    let other = (committed_llvm().parse::<u32>().unwrap() + 1).to_string();
    let rustc = fake_rustc(tmp.path(), &other);
    assert_eq!(run(&rustc, &["-C", "opt-level=3", "lib.rs"], &[]), ["-C", "opt-level=3", "lib.rs"]);
}

#[test]
fn training_instruments_the_release_build_instead() {
    let tmp = tempfile::tempdir().unwrap();
    let rustc = fake_rustc(tmp.path(), &committed_llvm());
    let env = [("NASHRA_PGO_GENERATE", "/tmp/counts")];
    assert_eq!(run(&rustc, &["-C", "opt-level=3", "lib.rs"], &env), ["-C", "opt-level=3", "lib.rs", "-Cprofile-generate=/tmp/counts"]);
    assert_eq!(run(&rustc, &["-C", "opt-level=0", "lib.rs"], &env), ["-C", "opt-level=0", "lib.rs"]);
}
