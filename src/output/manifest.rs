//! The output folder's record of the last build (`.nashra-manifest`, a
//! dotfile like the staging folder, so stale-file removal leaves it alone):
//! the build's fingerprint (`crate::fingerprint`: its number, then a
//! `recent HASH PATH` line per input too recent for its time to be trusted)
//! and every file the build produced with its size and modification time
//! as it was left (`LEN MTIME PATH`).
//!
//! A build whose fingerprint matches, into a folder where every recorded file
//! still has its size and time and no other file has appeared, would write
//! nothing: [`up_to_date`] says so, and `build` stops there. Watch mode,
//! which writes the folder without a manifest, removes it first ([`forget`]).

use super::{io_err, OutputError};
use crate::fingerprint::Fingerprint;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::fmt::Write as _;
use std::time::UNIX_EPOCH;

/// Name of the manifest inside the output folder.
pub const MANIFEST: &str = ".nashra-manifest";
/// The first line's start; a manifest of another version does not parse,
/// and the build renders in full.
const HEADER: &str = "nashra-manifest 2";
const RECENT: &str = "recent ";

/// One file of the last build: `/`-separated path below the output folder,
/// size, and modification time in nanoseconds since the epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub len: u64,
    pub mtime: u128,
}

/// A file's size and modification time (nanoseconds since the epoch), as
/// the manifest records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub mtime: u128,
}

impl Stamp {
    /// The stamp of a file's metadata; `None` for anything but a file.
    pub fn of(m: &std::fs::Metadata) -> Option<Stamp> {
        if !m.is_file() {
            return None;
        }
        let mtime = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        Some(Stamp { len: m.len(), mtime })
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    Stamp::of(&std::fs::symlink_metadata(path).ok()?)
}

/// Record that `out` now holds exactly `files` (paths below it, as the build
/// produced them, each with its stamp as the build left it: taken when it
/// was written or found unchanged, since a rename into place keeps it) for
/// a build of fingerprint `fingerprint`. The manifest is written only when
/// its bytes change, and over the old one (a rename would change the output
/// folder's own time; a manifest cut short by a crash only fails to parse,
/// and the next build renders in full).
pub fn record<'a>(out: &Path, fingerprint: &Fingerprint, files: impl IntoIterator<Item = (&'a str, Stamp)>) -> Result<(), OutputError> {
    let mut files: Vec<(&str, Stamp)> = files.into_iter().collect();
    files.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut text = format!("{HEADER} {:016x}\n", fingerprint.hash);
    // (a path holding a line break splits its line, and the manifest no
    // longer parses: the next build renders in full)
    for (path, hash) in &fingerprint.recent {
        let _ = writeln!(text, "{RECENT}{hash:016x} {path}");
    }
    for (path, Stamp { len, mtime }) in &files {
        // writing to a String cannot fail
        let _ = writeln!(text, "{len} {mtime} {path}");
    }
    let target = out.join(MANIFEST);
    if std::fs::read(&target).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    std::fs::write(&target, text).map_err(io_err(&target))
}

/// Remove the manifest: the folder is about to change without one.
pub fn forget(out: &Path) {
    // a missing manifest is the goal; any other failure surfaces when the
    // folder itself is written
    let _ = std::fs::remove_file(out.join(MANIFEST));
}

fn parse(text: &str) -> Option<(Fingerprint, Vec<Entry>)> {
    let mut lines = text.lines().peekable();
    let hash = u64::from_str_radix(lines.next()?.strip_prefix(HEADER)?.trim(), 16).ok()?;
    let mut recent = Vec::new();
    while let Some(line) = lines.next_if(|l| l.starts_with(RECENT)) {
        let (h, path) = line[RECENT.len()..].split_once(' ')?;
        recent.push((path.to_string(), u64::from_str_radix(h, 16).ok()?));
    }
    // as the fingerprint keeps them, for its lookups
    if !recent.is_sorted_by(|a: &(String, u64), b| a.0 < b.0) {
        return None;
    }
    let entries = lines.map(|l| {
        let mut parts = l.splitn(3, ' ');
        Some(Entry { len: parts.next()?.parse().ok()?, mtime: parts.next()?.parse().ok()?, path: parts.next()?.to_string() })
    }).collect::<Option<Vec<_>>>()?;
    Some((Fingerprint { hash, recent }, entries))
}

/// The site's files below `out` (as stale-file removal sees them), counted.
fn count_files(out: &Path) -> usize {
    super::site_entries(out).flatten().filter(|e| !e.file_type().is_dir()).count()
}

/// The files of the last build, if `out` holds exactly what it left there
/// and `matches` accepts its fingerprint (see [`Fingerprint::matches`]);
/// `None` when anything differs.
pub fn up_to_date(out: &Path, matches: impl FnOnce(&Fingerprint) -> bool) -> Option<Vec<Entry>> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).ok()?;
    let (recorded, entries) = parse(&text)?;
    if entries.is_empty() || !matches(&recorded) {
        return None;
    }
    let intact = entries.par_iter().all(|e| {
        super::safe_rel(&e.path).is_ok() && stamp(&out.join(PathBuf::from(&e.path))) == Some(Stamp { len: e.len, mtime: e.mtime })
    });
    (intact && count_files(out) == entries.len()).then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fingerprint without recent inputs.
    fn fp(hash: u64) -> Fingerprint {
        Fingerprint { hash, recent: Vec::new() }
    }

    /// The files with their stamps as they are now (a build takes each as it writes it).
    fn stamped<'a>(out: &Path, files: &'a [String]) -> Vec<(&'a str, Stamp)> {
        files.iter().map(|p| (p.as_str(), stamp(&out.join(p)).expect("a file"))).collect()
    }

    #[test]
    fn a_recorded_folder_is_up_to_date_until_anything_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "a").unwrap();
        std::fs::write(out.join("b.xml"), "b").unwrap();
        std::fs::write(out.join(".git"), "theirs").unwrap();
        let files = vec!["a/index.html".to_string(), "b.xml".to_string()];
        assert!(up_to_date(out, |then| *then == fp(7)).is_none(), "no manifest yet");
        record(out, &fp(7), stamped(out, &files)).unwrap();
        let entries = up_to_date(out, |then| *then == fp(7)).expect("just recorded");
        assert_eq!(entries.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["a/index.html", "b.xml"]);
        assert!(up_to_date(out, |then| *then == fp(8)).is_none(), "another fingerprint");

        let when = std::fs::metadata(out.join(MANIFEST)).unwrap().modified().unwrap();
        let folder = std::fs::metadata(out).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        record(out, &fp(7), stamped(out, &files)).unwrap();
        assert_eq!(std::fs::metadata(out.join(MANIFEST)).unwrap().modified().unwrap(), when, "same record, manifest untouched");
        record(out, &fp(9), stamped(out, &files)).unwrap();
        assert!(up_to_date(out, |then| *then == fp(9)).is_some());
        assert_eq!(std::fs::metadata(out).unwrap().modified().unwrap(), folder, "a new record leaves the folder's time alone");
        record(out, &fp(7), stamped(out, &files)).unwrap();

        std::fs::write(out.join("stray.html"), "x").unwrap();
        assert!(up_to_date(out, |then| *then == fp(7)).is_none(), "a file the build did not make");
        std::fs::remove_file(out.join("stray.html")).unwrap();
        assert!(up_to_date(out, |then| *then == fp(7)).is_some());
        std::fs::write(out.join("b.xml"), "B").unwrap();
        assert!(up_to_date(out, |then| *then == fp(7)).is_none(), "an edited file (same size, new time)");
        record(out, &fp(7), stamped(out, &files)).unwrap();
        std::fs::remove_file(out.join("a/index.html")).unwrap();
        assert!(up_to_date(out, |then| *then == fp(7)).is_none(), "a deleted file");
        forget(out);
        assert!(!out.join(MANIFEST).exists());
    }

    #[test]
    fn the_recent_inputs_are_recorded_with_the_fingerprint() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::write(out.join("index.html"), "a").unwrap();
        let files = vec!["index.html".to_string()];
        let fp = Fingerprint { hash: 7, recent: vec![("content/ar/a b.md".into(), 1), ("site.yaml".into(), u64::MAX)] };
        record(out, &fp, stamped(out, &files)).unwrap();
        let mut seen = None;
        assert!(up_to_date(out, |then| {
            seen = Some(then.clone());
            true
        }).is_some());
        assert_eq!(seen, Some(fp), "read back as written");
        assert!(up_to_date(out, |_| false).is_none(), "not up to date when the fingerprint does not match");

        // the first version's manifest, or recent inputs out of order: a build in full
        std::fs::write(out.join(MANIFEST), "nashra-manifest 1 0000000000000007\n1 2 index.html\n").unwrap();
        assert!(up_to_date(out, |_| true).is_none());
        let text = format!("{HEADER} 0000000000000007\n{RECENT}0000000000000001 b\n{RECENT}0000000000000001 a\n1 2 index.html\n");
        std::fs::write(out.join(MANIFEST), text).unwrap();
        assert!(up_to_date(out, |_| true).is_none());
    }
}
