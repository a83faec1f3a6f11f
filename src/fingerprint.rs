//! What a build's output depends on, as one number: the relative paths,
//! sizes and modification times of every file under the site's inputs
//! (`site.yaml`, `content/`, `themes/`, `i18n/`, `static/`), the build
//! options, and the `nashra` binary itself (its version, size and
//! modification time, which also stand for the embedded theme and strings).
//! Nothing else reaches the output: the Google News window counts from the
//! newest article, not from today.
//!
//! Like make and Cargo, it trusts a file's size and time rather than reading
//! it, so taking it costs a walk of the folders, not a second read of every
//! article. A file written in the last [`RACY_SECS`] seconds (or dated in the
//! future) could still change within the same tick of the file system's
//! clock without its time changing, so its bytes are hashed too; a later
//! build, no longer seeing it as recent, then finds a different fingerprint
//! and renders in full once.
//!
//! `build` compares it with the one the output folder's manifest recorded
//! (`output::manifest`): equal, with every recorded file as it was left, the
//! build has nothing to do. The hash is not cryptographic; a build with any
//! doubt (no manifest, another binary, an edited output file) renders in full.

use crate::build::BuildOptions;
use rayon::prelude::*;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// The folders and files below the site root that a build reads.
pub const INPUTS: [&str; 5] = ["site.yaml", "content", "themes", "i18n", "static"];

/// Every file below `root`'s inputs, as (`/`-separated relative path,
/// absolute path), sorted; symbolic links are followed (the build may read
/// through them). `None` when anything cannot be walked (a broken link, a
/// loop): the build reports that, so it must run.
fn input_files(root: &Path) -> Option<Vec<(String, PathBuf)>> {
    // each input's top-level entries are walked side by side (content/ar
    // beside content/en); a loop through a link is still found, one level on
    let mut starts = Vec::new();
    for name in INPUTS {
        let top = root.join(name);
        if std::fs::symlink_metadata(&top).is_err() {
            continue;
        }
        if std::fs::metadata(&top).ok()?.is_dir() {
            for entry in std::fs::read_dir(&top).ok()? {
                starts.push(entry.ok()?.path());
            }
        } else {
            starts.push(top);
        }
    }
    let walks: Vec<Vec<(String, PathBuf)>> = starts.par_iter().map(|start| {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(start).follow_links(true) {
            let entry = entry.ok()?;
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(root) {
                    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                    files.push((rel, entry.path().to_path_buf()));
                }
            }
        }
        Some(files)
    }).collect::<Option<_>>()?;
    let mut files: Vec<(String, PathBuf)> = walks.into_iter().flatten().collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(files)
}

/// The running binary: version, and the size and modification time of the
/// executable (a rebuilt or upgraded `nashra` renders in full once).
fn binary() -> (String, u64, u128) {
    let meta = std::env::current_exe().and_then(std::fs::metadata).ok();
    let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
    let mtime = meta.and_then(|m| m.modified().ok()).map_or(0, nanos);
    (env!("CARGO_PKG_VERSION").to_string(), len, mtime)
}

/// Files modified this recently (in seconds) are hashed, not only dated.
pub const RACY_SECS: u64 = 3;

/// A time as nanoseconds since the epoch (0 before it).
fn nanos(t: std::time::SystemTime) -> u128 {
    t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// The fingerprint of a build of the site at `root` with `opts`; `None`
/// when an input cannot be read (the build will say why).
pub fn of_build(root: &Path, opts: &BuildOptions) -> Option<u64> {
    let t = std::time::Instant::now();
    let files = input_files(root)?;
    crate::build::timing("walk", t);
    let racy_from = nanos(std::time::SystemTime::now()).saturating_sub(u128::from(RACY_SECS) * 1_000_000_000);
    let stamps: Vec<(u64, u128, Option<u64>)> = files.par_iter().map(|(_, abs)| {
        let meta = std::fs::metadata(abs).ok()?;
        let mtime = nanos(meta.modified().ok()?);
        let bytes = if mtime >= racy_from {
            let mut h = DefaultHasher::new();
            std::fs::read(abs).ok()?.hash(&mut h);
            Some(h.finish())
        } else {
            None
        };
        Some((meta.len(), mtime, bytes))
    }).collect::<Option<_>>()?;
    let mut h = DefaultHasher::new();
    binary().hash(&mut h);
    (opts.drafts, &opts.base_url).hash(&mut h);
    for ((rel, _), stamp) in files.iter().zip(stamps) {
        (rel, stamp).hash(&mut h);
    }
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_with_any_input_edit_name_or_option_and_nothing_else() {
        let tmp = bare_site();
        let root = tmp.path();
        std::fs::write(root.join("content/ar/a.md"), "one").unwrap();
        let opts = BuildOptions::default();
        let of_build = |root: &Path, opts: &BuildOptions| of_build(root, opts).expect("readable");
        let first = of_build(root, &opts);
        assert_eq!(of_build(root, &opts), first, "stable");
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/index.html"), "out").unwrap();
        std::fs::write(root.join("notes.txt"), "not an input").unwrap();
        assert_eq!(of_build(root, &opts), first, "the output and other files are not inputs");
        // written just now: its bytes count, even within one tick of the clock
        std::fs::write(root.join("content/ar/a.md"), "two").unwrap();
        let edited = of_build(root, &opts);
        assert_ne!(edited, first, "an edit of the same size");
        // an old file is judged by its size and time
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(root.join("content/ar/a.md")).unwrap();
        file.set_modified(old).unwrap();
        let dated = of_build(root, &opts);
        assert_ne!(dated, edited, "no longer recent: dated, not hashed");
        assert_eq!(of_build(root, &opts), dated);
        std::fs::write(root.join("content/ar/a.md"), "six").unwrap();
        file.set_modified(old + std::time::Duration::from_secs(1)).unwrap();
        assert_ne!(of_build(root, &opts), dated, "another time");
        std::fs::rename(root.join("content/ar/a.md"), root.join("content/ar/b.md")).unwrap();
        assert_ne!(of_build(root, &opts), edited, "a rename");
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/x.png"), "").unwrap();
        let with_static = of_build(root, &opts);
        assert_ne!(with_static, edited, "a new static file");
        assert_ne!(of_build(root, &BuildOptions { drafts: true, ..Default::default() }), with_static, "--drafts");
        assert_ne!(of_build(root, &BuildOptions { base_url: Some("https://a.example".into()), ..Default::default() }), with_static, "--base-url");
    }

    /// A folder holding `site.yaml` and an empty `content/ar`.
    fn bare_site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content/ar")).unwrap();
        std::fs::write(tmp.path().join("site.yaml"), "title: x\n").unwrap();
        tmp
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_link_among_the_inputs_leaves_no_fingerprint() {
        let tmp = bare_site();
        let root = tmp.path();
        assert!(of_build(root, &BuildOptions::default()).is_some());
        std::os::unix::fs::symlink(root.join("nowhere.md"), root.join("content/ar/a.md")).unwrap();
        assert_eq!(of_build(root, &BuildOptions::default()), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_leaves_no_fingerprint_and_linked_files_count() {
        let tmp = bare_site();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("elsewhere")).unwrap();
        std::fs::write(root.join("elsewhere/b.md"), "one").unwrap();
        // a folder linked at the top of content/ is walked through
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("content/en")).unwrap();
        let linked = of_build(root, &BuildOptions::default()).expect("readable");
        std::fs::write(root.join("elsewhere/b.md"), "two").unwrap();
        assert_ne!(of_build(root, &BuildOptions::default()), Some(linked), "a linked file's edit counts");
        // a link from content/ar back up to content/, then one to content/ar itself
        std::os::unix::fs::symlink(root.join("content"), root.join("content/ar/up")).unwrap();
        assert_eq!(of_build(root, &BuildOptions::default()), None);
        std::fs::remove_file(root.join("content/ar/up")).unwrap();
        assert!(of_build(root, &BuildOptions::default()).is_some());
        std::os::unix::fs::symlink(root.join("content/ar"), root.join("content/ar/self")).unwrap();
        assert_eq!(of_build(root, &BuildOptions::default()), None);
    }
}
