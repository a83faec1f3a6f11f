//! Streaming writes for a full build. Files arrive one by one, from several
//! threads, as they are rendered; none is kept in memory. A file whose bytes
//! the output folder already holds is only counted; any other goes to a
//! staging folder (`.nashra-stage` inside the output folder, so on the same
//! file system). Only when the whole site has rendered without an error does
//! [`Stage::commit`] move the staged files into place (each by a rename, so a
//! reader never sees a half-written file; a folder the output lacks moves
//! whole) and remove the files the site no longer produces. [`Stage::abort`]
//! (or dropping the stage) removes the staging folder: a failed build leaves
//! the output as it was.

use super::manifest::Stamp;
use super::{holds, io_err, remove_stale, safe_rel, OutputError, SyncReport};
use crate::lock;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Name of the staging folder inside the output folder.
pub const STAGE_DIR: &str = ".nashra-stage";

#[derive(Debug)]
pub struct Stage {
    out: PathBuf,
    dir: PathBuf,
    /// The output folder had no files: nothing to compare against or remove.
    fresh: bool,
    /// The output folder did not exist before this build.
    created_out: bool,
    /// Folders already made inside the staging folder (the staging folder
    /// itself, as the empty path, only once a file needs it: a build that
    /// changes nothing leaves even the output folder's timestamp alone).
    made: Mutex<HashSet<PathBuf>>,
    /// Every file of the site, relative to the output folder.
    paths: Mutex<Vec<PathBuf>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    done: bool,
}

impl Stage {
    /// Start a build into `out` (made if missing; a leftover staging folder
    /// of an interrupted build is cleared).
    pub fn begin(out: &Path) -> Result<Stage, OutputError> {
        let created_out = std::fs::symlink_metadata(out).is_err();
        std::fs::create_dir_all(out).map_err(io_err(out))?;
        let dir = out.join(STAGE_DIR);
        if std::fs::symlink_metadata(&dir).is_ok() {
            std::fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        let fresh = std::fs::read_dir(out).map_err(io_err(out))?.next().is_none();
        Ok(Stage {
            out: out.to_path_buf(), dir, fresh, created_out,
            made: Mutex::new(HashSet::new()), paths: Mutex::new(Vec::new()),
            written: AtomicUsize::new(0), unchanged: AtomicUsize::new(0), done: false,
        })
    }

    /// Take one file of the site (`path` below the output folder,
    /// `/`-separated). Safe to call from several threads at once.
    /// Returns the file's stamp as the build leaves it (a rename into place
    /// keeps it), or `None` if it could not be read.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<Option<Stamp>, OutputError> {
        let rel = safe_rel(path)?;
        if !self.fresh {
            if let Some(stamp) = self.holds(&rel, bytes)? {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                lock(&self.paths).push(rel);
                return Ok(stamp);
            }
        }
        let staged = self.dir.join(&rel);
        let parent = rel.parent().unwrap_or(Path::new(""));
        if !lock(&self.made).contains(parent) {
            let p = self.dir.join(parent);
            std::fs::create_dir_all(&p).map_err(io_err(&p))?;
            lock(&self.made).insert(parent.to_path_buf());
        }
        let mut file = std::fs::File::create(&staged).map_err(io_err(&staged))?;
        io::Write::write_all(&mut file, bytes).map_err(io_err(&staged))?;
        // from the open file: no second walk down its path
        let stamp = file.metadata().ok().as_ref().and_then(Stamp::of);
        drop(file);
        self.written.fetch_add(1, Ordering::Relaxed);
        lock(&self.paths).push(rel);
        Ok(stamp)
    }

    /// If the output folder already holds exactly `bytes` at `rel`, that
    /// file's stamp (`Some(None)` if it has none to read).
    fn holds(&self, rel: &Path, bytes: &[u8]) -> Result<Option<Option<Stamp>>, OutputError> {
        let target = self.out.join(rel);
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => Err(OutputError::Symlink(target)),
            Ok(m) if m.is_file() => Ok(holds(&target, &m, bytes)?.then(|| Stamp::of(&m))),
            _ => Ok(None),
        }
    }

    /// Move the staged files into place and remove stale files.
    pub fn commit(mut self) -> Result<SyncReport, OutputError> {
        self.done = true;
        if self.written.load(Ordering::Relaxed) > 0 {
            merge(&self.dir, &self.out)?;
            std::fs::remove_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        }
        let paths = std::mem::take(&mut *lock(&self.paths));
        let removed = if self.fresh { 0 } else { remove_stale(&self.out, &paths.iter().map(PathBuf::as_path).collect())? };
        Ok(SyncReport { written: self.written.load(Ordering::Relaxed), unchanged: self.unchanged.load(Ordering::Relaxed), removed })
    }

    /// Drop everything staged; the output folder stays as it was.
    pub fn abort(mut self) {
        self.cleanup();
    }

    fn cleanup(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        // best effort: the build has already failed for another reason
        if !lock(&self.made).is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        if self.created_out {
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        self.cleanup();
    }
}

/// Move every entry of the staging folder `from` to the same place below
/// `to`: a folder `to` lacks moves whole; a folder both have is merged; a
/// file replaces what stood there. Symbolic links in the output are refused.
fn merge(from: &Path, to: &Path) -> Result<(), OutputError> {
    for entry in std::fs::read_dir(from).map_err(io_err(from))? {
        let entry = entry.map_err(io_err(from))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let src_dir = entry.file_type().map_err(io_err(&src))?.is_dir();
        match std::fs::symlink_metadata(&dst) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&dst)(e)),
            Ok(m) if m.file_type().is_symlink() => return Err(OutputError::Symlink(dst)),
            Ok(m) if m.is_dir() && src_dir => {
                merge(&src, &dst)?;
                continue;
            }
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&dst).map_err(io_err(&dst))?,
            Ok(_) if src_dir => std::fs::remove_file(&dst).map_err(io_err(&dst))?,
            Ok(_) => {} // a file replaced by a file: the rename does it atomically
        }
        std::fs::rename(&src, &dst).map_err(io_err(&dst))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir).into_iter().flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_writes_changes_only_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Stage::begin(&out).unwrap();
        for (p, b) in [("a/x/index.html", "x"), ("b/index.html", "b"), ("old.txt", "o"), ("d", "file")] {
            s.put(p, b.as_bytes()).unwrap();
        }
        assert_eq!(s.commit().unwrap(), SyncReport { written: 4, unchanged: 0, removed: 0 });
        std::fs::write(out.join(".keep"), "mine").unwrap();
        let before = std::fs::metadata(out.join("b/index.html")).unwrap().modified().unwrap();
        let s = Stage::begin(&out).unwrap();
        for (p, b) in [("a/x/index.html", "x2"), ("b/index.html", "b"), ("d/index.html", "folder now"), ("c/new.html", "c")] {
            s.put(p, b.as_bytes()).unwrap();
        }
        assert_eq!(s.commit().unwrap(), SyncReport { written: 3, unchanged: 1, removed: 1 });
        assert_eq!(tree(&out), [(".keep", "mine"), ("a/x/index.html", "x2"), ("b/index.html", "b"), ("c/new.html", "c"), ("d/index.html", "folder now")]
            .map(|(a, b)| (a.to_string(), b.to_string())));
        assert_eq!(std::fs::metadata(out.join("b/index.html")).unwrap().modified().unwrap(), before, "unchanged file untouched");
        let folder = std::fs::metadata(&out).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let s = Stage::begin(&out).unwrap();
        for (p, b) in [("a/x/index.html", "x2"), ("b/index.html", "b"), ("d/index.html", "folder now"), ("c/new.html", "c")] {
            s.put(p, b.as_bytes()).unwrap();
        }
        assert_eq!(s.commit().unwrap(), SyncReport { written: 0, unchanged: 4, removed: 0 });
        assert_eq!(std::fs::metadata(&out).unwrap().modified().unwrap(), folder, "a build that changes nothing does not touch the folder");
    }

    #[test]
    fn abort_leaves_the_output_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Stage::begin(&out).unwrap();
        s.put("a.html", b"a").unwrap();
        s.commit().unwrap();
        let s = Stage::begin(&out).unwrap();
        s.put("a.html", b"changed").unwrap();
        s.put("b.html", b"new").unwrap();
        s.abort();
        assert_eq!(tree(&out), [("a.html".to_string(), "a".to_string())]);
        assert!(!out.join(STAGE_DIR).exists());
        let never = tmp.path().join("never");
        let s = Stage::begin(&never).unwrap();
        s.put("x.html", b"x").unwrap();
        drop(s);
        assert!(!never.exists(), "an output folder made by a failed build goes again");
        assert!(Stage::begin(&out).unwrap().put("../x", b"x").is_err());
    }
}
