//! The one module that writes: brings the output folder up to date with a
//! rendered site. Only files whose bytes changed are written (each through a
//! temporary file and a rename), files the site no longer produces are
//! removed, dotfiles are left alone, and no path can leave the folder.

pub mod manifest;
pub mod stage;

pub use stage::Stage;

use crate::render::OutFile;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write `{0}`: the path would leave the output folder")]
    UnsafePath(String),
    #[error("refusing to use {0} as the output folder: it holds the site's sources")]
    UnsafeOutDir(PathBuf),
    #[error("refusing to write through the symbolic link {0}")]
    Symlink(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// `a/b/c.html` → checked relative path; rejects anything that is not a plain
/// downward path (absolute, `..`, `.`, empty, backslashes, control characters).
pub fn safe_rel(path: &str) -> Result<PathBuf, OutputError> {
    let bad = || OutputError::UnsafePath(path.escape_debug().to_string());
    if path.is_empty() || path.starts_with('/') || path.contains('\\') || path.chars().any(char::is_control) {
        return Err(bad());
    }
    let mut out = PathBuf::new();
    for seg in path.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains(':') {
            return Err(bad());
        }
        out.push(seg);
    }
    if out.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(bad());
    }
    Ok(out)
}

/// Refuse output folders that would make stale-file removal delete sources.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), OutputError> {
    let root_c = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_c = match out.canonicalize() {
        Ok(p) => p,
        Err(_) => return Ok(()), // does not exist yet: nothing to delete
    };
    if root_c.starts_with(&out_c) || out_c.join("site.yaml").exists() || out_c.join("content").is_dir() && out_c.join("site.yaml").exists() {
        return Err(OutputError::UnsafeOutDir(out.to_path_buf()));
    }
    Ok(())
}

/// Make sure no existing ancestor of `target` below `out` is a symlink.
fn check_no_symlink(out: &Path, rel: &Path) -> Result<(), OutputError> {
    let mut p = out.to_path_buf();
    for c in rel.components() {
        p.push(c);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => return Err(OutputError::Symlink(p)),
            Ok(_) => {}
            Err(_) => break, // does not exist yet: nothing below can be a link
        }
    }
    Ok(())
}

/// Make every folder in `dirs` (relative to `out`, each listed after its
/// parent, as a sorted set gives them) exist as a real folder: a file standing
/// where a folder is needed goes, a symbolic link is refused. One `lstat` per
/// folder, however many files it holds.
fn prepare_dirs(out: &Path, dirs: &BTreeSet<&Path>) -> Result<(), OutputError> {
    for rel in dirs {
        let p = out.join(rel);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => return Err(OutputError::Symlink(p)),
            Ok(m) if m.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&p).map_err(io_err(&p))?,
            Err(_) => {}
        }
        match std::fs::create_dir(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && p.is_dir() => {}
            Err(e) => return Err(io_err(&p)(e)),
        }
    }
    Ok(())
}

/// Whether the file at `target` (of metadata `m`) holds exactly `bytes`.
fn holds(target: &Path, m: &std::fs::Metadata, bytes: &[u8]) -> Result<bool, OutputError> {
    Ok(m.len() == bytes.len() as u64 && std::fs::read(target).map_err(io_err(target))? == bytes)
}

/// Write one file whose folder exists, unless it already holds these bytes.
/// A new file is written in place; an existing one is replaced through a
/// temporary file and a rename, so a reader never sees it half-written.
fn write_one(out: &Path, rel: &Path, bytes: &[u8]) -> Result<bool, OutputError> {
    let target = out.join(rel);
    let exists = match std::fs::symlink_metadata(&target) {
        Ok(m) if m.file_type().is_symlink() => return Err(OutputError::Symlink(target)),
        Ok(m) if m.is_dir() => {
            std::fs::remove_dir_all(&target).map_err(io_err(&target))?;
            false
        }
        Ok(m) => {
            if holds(&target, &m, bytes)? {
                return Ok(false);
            }
            true
        }
        Err(_) => false,
    };
    if !exists {
        let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&target)
            .and_then(|mut f| io::Write::write_all(&mut f, bytes));
        match created {
            Ok(()) => return Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {} // appeared meanwhile: replace it
            Err(e) => return Err(io_err(&target)(e)),
        }
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.nashra-tmp"));
    std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, &target).map_err(io_err(&target))?;
    Ok(true)
}

/// Write `files` below `out`, each only if its bytes changed: every path is
/// checked first, then each folder is made once, then the files are written in
/// parallel. Returns the files' relative paths and how many were written.
fn write_files(out: &Path, files: &[OutFile]) -> Result<(Vec<PathBuf>, usize), OutputError> {
    let rels: Vec<PathBuf> = files.iter().map(|f| safe_rel(&f.path)).collect::<Result<_, _>>()?;
    std::fs::create_dir_all(out).map_err(io_err(out))?;
    let dirs: BTreeSet<&Path> = rels.iter().flat_map(|r| r.ancestors().skip(1)).filter(|d| !d.as_os_str().is_empty()).collect();
    prepare_dirs(out, &dirs)?;
    let written: Vec<bool> = files.par_iter().zip(rels.par_iter())
        .map(|(f, rel)| write_one(out, rel, &f.bytes))
        .collect::<Result<_, _>>()?;
    let written = written.iter().filter(|w| **w).count();
    Ok((rels, written))
}

/// Bring `out` up to date with `files`.
pub fn sync(out: &Path, files: &[OutFile]) -> Result<SyncReport, OutputError> {
    let fresh = match std::fs::read_dir(out) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => true,
    };
    let (rels, written) = write_files(out, files)?;
    // an output folder that was empty has nothing stale in it
    let removed = if fresh { 0 } else { remove_stale(out, &rels.iter().map(PathBuf::as_path).collect())? };
    Ok(SyncReport { written, unchanged: files.len() - written, removed })
}

/// Bring `out` up to date with part of a site, for incremental rebuilds:
/// write `files` (only those whose bytes changed), remove the files at
/// `removed` (paths below `out`, `/`-separated), then the folders that this
/// left empty. Everything else is left as it is.
pub fn apply(out: &Path, files: &[OutFile], removed: &[String]) -> Result<SyncReport, OutputError> {
    let gone: Vec<PathBuf> = removed.iter().map(|p| safe_rel(p)).collect::<Result<_, _>>()?;
    let (_, written) = write_files(out, files)?;
    let mut count = 0;
    for rel in &gone {
        check_no_symlink(out, rel)?;
        let path = out.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {
                std::fs::remove_file(&path).map_err(io_err(&path))?;
                count += 1;
            }
            _ => continue, // already gone, or not a file of ours
        }
        // empty parents go, up to (not including) `out`
        let mut dir = rel.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            if std::fs::remove_dir(out.join(d)).is_err() {
                break; // not empty (or not ours): stop climbing
            }
            dir = d.parent();
        }
    }
    Ok(SyncReport { written, unchanged: files.len() - written, removed: count })
}

/// Everything below `out` that belongs to the site (`out` itself first):
/// dotfiles and dot-folders (a `.git`, the staging folder, the manifest)
/// are not, and are never removed or counted.
fn site_entries(out: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(out).follow_links(false).into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

/// Remove files below `out` not in `keep` (dotfiles and dot-folders are left
/// alone), then the folders that became empty.
fn remove_stale(out: &Path, keep: &HashSet<&Path>) -> Result<usize, OutputError> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in site_entries(out) {
        let entry = entry.map_err(|e| OutputError::Io { path: out.to_path_buf(), source: e.into() })?;
        if entry.depth() == 0 {
            continue;
        }
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if !keep.contains(rel) {
            std::fs::remove_file(entry.path()).map_err(io_err(entry.path()))?;
            removed += 1;
        }
    }
    // deepest first, so parents empty out after their children
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        if std::fs::read_dir(&d).map(|mut it| it.next().is_none()).unwrap_or(false) {
            std::fs::remove_dir(&d).map_err(io_err(&d))?;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_paths_that_leave_the_folder() {
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "./a", "c:/x", "a\0b"] {
            assert!(safe_rel(bad).is_err(), "{bad:?}");
        }
        assert!(safe_rel("ar/2026/01/عشاء/index.html").is_ok());
    }

    #[test]
    fn apply_writes_changes_and_removes_only_what_it_is_told() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let file = |p: &str, b: &str| OutFile { path: p.into(), bytes: b.as_bytes().to_vec() };
        sync(out, &[file("a/x/index.html", "x"), file("b/index.html", "b"), file("keep.txt", "k")]).unwrap();
        std::fs::write(out.join(".git"), "mine").unwrap();
        let r = apply(out, &[file("b/index.html", "b"), file("c/index.html", "c")], &["a/x/index.html".into(), "gone.txt".into()]).unwrap();
        assert_eq!(r, SyncReport { written: 1, unchanged: 1, removed: 1 });
        assert!(!out.join("a").exists(), "emptied folders go");
        assert!(out.join("keep.txt").exists() && out.join(".git").exists() && out.join("c/index.html").exists());
        assert!(apply(out, &[], &["../x".into()]).is_err());
    }
}
