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
//! clock without its time changing, so the hash of its bytes is kept beside
//! the number ([`Fingerprint::recent`]), as git does for its racily clean
//! entries: a later build matches only if each such file still holds those
//! bytes, read again then ([`Fingerprint::matches`]), so a build made right
//! after an edit does not make the next one render in full.
//!
//! `build` compares it with the one the output folder's manifest recorded
//! (`output::manifest`): matching, with every recorded file as it was left, the
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

/// A build's fingerprint: one number for every input's path, size and
/// time, the options and the binary, and the inputs too recent for their
/// time to be trusted, with their bytes' hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: u64,
    /// (`/`-separated path below the site root, hash of its bytes) of each
    /// input written in the last [`RACY_SECS`] seconds or dated in the
    /// future, sorted by path.
    pub recent: Vec<(String, u64)>,
}

impl Fingerprint {
    /// Whether the inputs are as they were for a build whose fingerprint was
    /// `then` (read back from its manifest): the same number; no input
    /// recent now that was not recent then (its time unchanged since, it
    /// can only have been, unless the clock went back); and every input
    /// recent then still holding the bytes it held, hashed again if it is
    /// no longer recent.
    pub fn matches(&self, root: &Path, then: &Fingerprint) -> bool {
        self.hash == then.hash
            && self.recent.iter().all(|(p, _)| then.recent_hash(p).is_some())
            && then.recent.par_iter().all(|(p, h)| {
                // a path from the manifest names an input (the equal number
                // says the same files are there): nothing outside the site
                let inside = !p.is_empty() && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..");
                inside && self.recent_hash(p).or_else(|| bytes_hash(&root.join(p))) == Some(*h)
            })
    }

    /// The hash of recent input `path`'s bytes; `None` if it is not recent.
    fn recent_hash(&self, path: &str) -> Option<u64> {
        self.recent.binary_search_by(|(q, _)| q.as_str().cmp(path)).ok().map(|i| self.recent[i].1)
    }
}

/// The hash of a file's bytes; `None` if it cannot be read.
fn bytes_hash(path: &Path) -> Option<u64> {
    let mut h = DefaultHasher::new();
    std::fs::read(path).ok()?.hash(&mut h);
    Some(h.finish())
}

/// The fingerprint of a build of the site at `root` with `opts`; `None`
/// when an input cannot be read (the build will say why).
pub fn of_build(root: &Path, opts: &BuildOptions) -> Option<Fingerprint> {
    of_build_at(root, opts, std::time::SystemTime::now())
}

/// [`of_build`], taken at time `now`.
fn of_build_at(root: &Path, opts: &BuildOptions, now: std::time::SystemTime) -> Option<Fingerprint> {
    let t = std::time::Instant::now();
    let files = input_files(root)?;
    crate::build::timing("walk", t);
    let racy_from = nanos(now).saturating_sub(u128::from(RACY_SECS) * 1_000_000_000);
    let stamps: Vec<(u64, u128, Option<u64>)> = files.par_iter().map(|(_, abs)| {
        let meta = std::fs::metadata(abs).ok()?;
        let mtime = nanos(meta.modified().ok()?);
        let bytes = if mtime >= racy_from { Some(bytes_hash(abs)?) } else { None };
        Some((meta.len(), mtime, bytes))
    }).collect::<Option<_>>()?;
    let mut h = DefaultHasher::new();
    binary().hash(&mut h);
    (opts.drafts, &opts.base_url).hash(&mut h);
    let mut recent = Vec::new();
    for ((rel, _), (len, mtime, bytes)) in files.iter().zip(stamps) {
        (rel, len, mtime).hash(&mut h);
        if let Some(b) = bytes {
            recent.push((rel.clone(), b));
        }
    }
    // `files` is sorted by path, so `recent` is too
    Some(Fingerprint { hash: h.finish(), recent })
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
        let of_build = |opts: &BuildOptions| of_build(root, opts).expect("readable");
        // whether a build of fingerprint `then` would be up to date for `now`
        let same = |now: &Fingerprint, then: &Fingerprint| now.matches(root, then);
        let first = of_build(&opts);
        assert!(same(&of_build(&opts), &first), "stable");
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/index.html"), "out").unwrap();
        std::fs::write(root.join("notes.txt"), "not an input").unwrap();
        assert!(same(&of_build(&opts), &first), "the output and other files are not inputs");
        // written just now: its bytes count, even within one tick of the clock
        std::fs::write(root.join("content/ar/a.md"), "two").unwrap();
        let edited = of_build(&opts);
        assert!(!same(&edited, &first), "an edit of the same size");
        // an old file is judged by its size and time
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(root.join("content/ar/a.md")).unwrap();
        file.set_modified(old).unwrap();
        let dated = of_build(&opts);
        assert!(!same(&dated, &edited), "an older time");
        assert!(dated.recent.iter().all(|(p, _)| p != "content/ar/a.md"), "no longer recent: dated, not hashed");
        assert!(same(&of_build(&opts), &dated));
        std::fs::write(root.join("content/ar/a.md"), "six").unwrap();
        file.set_modified(old + std::time::Duration::from_secs(1)).unwrap();
        let six = of_build(&opts);
        assert!(!same(&six, &dated), "another time");
        std::fs::rename(root.join("content/ar/a.md"), root.join("content/ar/b.md")).unwrap();
        let renamed = of_build(&opts);
        assert!(!same(&renamed, &six), "a rename");
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/x.png"), "").unwrap();
        let with_static = of_build(&opts);
        assert!(!same(&with_static, &renamed), "a new static file");
        assert!(!same(&of_build(&BuildOptions { drafts: true, ..Default::default() }), &with_static), "--drafts");
        assert!(!same(&of_build(&BuildOptions { base_url: Some("https://a.example".into()), ..Default::default() }), &with_static), "--base-url");
    }

    #[test]
    fn a_recent_input_that_turns_old_still_matches_while_its_bytes_are_the_same() {
        let tmp = bare_site();
        let root = tmp.path();
        let a = root.join("content/ar/a.md");
        std::fs::write(&a, "one").unwrap();
        let opts = BuildOptions::default();
        let now = std::time::SystemTime::now();
        let later = now + std::time::Duration::from_secs(RACY_SECS + 1);
        let then = of_build_at(root, &opts, now).unwrap();
        assert_eq!(then.recent.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["content/ar/a.md", "site.yaml"], "just written: recent");
        let aged = of_build_at(root, &opts, later).unwrap();
        assert!(aged.recent.is_empty(), "no longer recent");
        assert!(aged.matches(root, &then), "the same bytes: the build made then is up to date");

        // the same size and time with other bytes, as a second edit within
        // one tick of the file system's clock leaves it
        let mtime = std::fs::metadata(&a).unwrap().modified().unwrap();
        std::fs::write(&a, "two").unwrap();
        std::fs::File::options().write(true).open(&a).unwrap().set_modified(mtime).unwrap();
        let edited = of_build_at(root, &opts, later).unwrap();
        assert_eq!(edited.hash, then.hash, "size and time cannot tell");
        assert!(!edited.matches(root, &then), "the bytes, read again, do");
        assert!(!of_build_at(root, &opts, now).unwrap().matches(root, &aged), "recent now but not then (the clock went back): a doubt");
        let outside = Fingerprint { hash: aged.hash, recent: vec![("../a.md".into(), 0)] };
        assert!(!aged.matches(root, &outside), "a recorded path is never read outside the site");
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
        assert!(!of_build(root, &BuildOptions::default()).expect("readable").matches(root, &linked), "a linked file's edit counts");
        // a link from content/ar back up to content/, then one to content/ar itself
        std::os::unix::fs::symlink(root.join("content"), root.join("content/ar/up")).unwrap();
        assert_eq!(of_build(root, &BuildOptions::default()), None);
        std::fs::remove_file(root.join("content/ar/up")).unwrap();
        assert!(of_build(root, &BuildOptions::default()).is_some());
        std::os::unix::fs::symlink(root.join("content/ar"), root.join("content/ar/self")).unwrap();
        assert_eq!(of_build(root, &BuildOptions::default()), None);
    }
}
