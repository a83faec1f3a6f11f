//! `nashra watch`: a first build, then a rebuild after every change to the
//! site's sources. File events (debounced by `notify-debouncer-full`, which
//! pairs renames and folds an editor's save-by-rename into one change) are
//! classified into `Change`s before anything is read; `incremental` then
//! redoes only what they touch.

pub mod incremental;
mod live;
mod parts;
pub mod plan;
mod reuse;

pub use incremental::{Change, Incremental, Outcome, Report};

use crate::build::BuildOptions;
use crate::content::is_ignored_name;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::Duration;

/// Quiet time after the last event before a rebuild starts. Editors finish a
/// save (temporary file, rename, metadata) within a few milliseconds, so a
/// short window keeps an edit-to-page round trip well under 100 ms.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often the debouncer looks for a quiet window that has passed.
const DEBOUNCE_TICK: Duration = Duration::from_millis(4);

/// The folders below the site root that hold sources (watched recursively);
/// the root itself is watched alone, for `site.yaml` and these folders.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "i18n", "static"];

/// What the watch loop waits for.
pub enum Msg {
    Files(DebounceEventResult),
    /// Stop after the rebuild in progress (Ctrl-C).
    Stop,
}

/// The change a path below the site root stands for, or `None` when it is
/// not a source (output, editor leftovers, unknown files). `rel` is relative
/// to the root; `root` is the root as `--root` gives it.
pub fn classify(root: &Path, rel: &Path) -> Option<Change> {
    let names: Vec<&str> = rel.components().map(|c| match c {
        Component::Normal(n) => n.to_str().unwrap_or("\u{0}"),
        _ => "\u{0}",
    }).collect();
    if names.is_empty() || names.iter().any(|n| n.contains('\u{0}') || is_ignored_name(n)) {
        return None;
    }
    let last = names[names.len() - 1];
    match (names[0], names.len()) {
        ("site.yaml", 1) => Some(Change::Config),
        ("content", 1) => Some(Change::Tree),
        ("content", 2) if last == "topics.yaml" || last == "entities.yaml" => Some(Change::Registries),
        ("content", n) if n >= 3 && last.ends_with(".md") => Some(Change::Article(root.join(rel))),
        // a folder (or something gone that had no extension): look again
        ("content", _) if !last.contains('.') || root.join(rel).is_dir() => Some(Change::Tree),
        ("themes" | "static", _) => Some(Change::Theme),
        ("i18n", _) => Some(Change::Strings),
        _ => None,
    }
}

/// A short account of a set of changes, for the one line per rebuild.
pub fn describe(changes: &BTreeSet<Change>, root: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let articles: Vec<&PathBuf> = changes.iter().filter_map(|c| if let Change::Article(p) = c { Some(p) } else { None }).collect();
    for c in changes {
        let s = match c {
            Change::Config => "site.yaml",
            Change::Registries => "registries",
            Change::Theme => "theme",
            Change::Strings => "strings",
            Change::Tree => "content folders",
            Change::Everything => "everything",
            Change::Article(_) => continue,
        };
        parts.push(s.to_string());
    }
    match articles.as_slice() {
        [] => {}
        [one] => parts.push(one.strip_prefix(root).unwrap_or(one).display().to_string()),
        many => parts.push(format!("{} articles", many.len())),
    }
    parts.join(", ")
}

/// A running watch: the incremental state and the file watcher feeding it.
pub struct Watcher {
    pub inc: Incremental,
    /// The root as given, and as the file watcher reports it.
    root: PathBuf,
    watched_root: PathBuf,
    out: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watching: Vec<&'static str>,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
}

impl Watcher {
    /// Start watching the site (nothing is built yet: see `first_build`).
    pub fn new(opts: BuildOptions) -> Result<Watcher, String> {
        let root = if opts.root.as_os_str().is_empty() { PathBuf::from(".") } else { opts.root.clone() };
        let watched_root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
        let inc = Incremental::new(opts);
        let out = inc.out.canonicalize().unwrap_or_else(|_| watched_root.join(inc.out.strip_prefix(&root).unwrap_or(&inc.out)));
        let (tx, rx) = channel();
        let to_loop = tx.clone();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), move |r| {
            let _ = to_loop.send(Msg::Files(r));
        }).map_err(|e| format!("cannot watch files: {e}"))?;
        debouncer.watch(&watched_root, RecursiveMode::NonRecursive).map_err(|e| format!("{}: {e}", root.display()))?;
        let mut w = Watcher { inc, root, watched_root, out, debouncer, watching: Vec::new(), tx, rx };
        w.watch_source_dirs();
        Ok(w)
    }

    /// Watch every source folder that exists and is not watched yet (they
    /// may appear after the start), and forget those that went.
    fn watch_source_dirs(&mut self) {
        for name in SOURCE_DIRS {
            let dir = self.watched_root.join(name);
            let on = self.watching.contains(&name);
            if dir.is_dir() && !on && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok() {
                self.watching.push(name);
            } else if !dir.is_dir() && on {
                let _ = self.debouncer.unwatch(&dir);
                self.watching.retain(|n| *n != name);
            }
        }
    }

    /// The site root, as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A sender that stops the loop (for a Ctrl-C handler).
    pub fn stopper(&self) -> Sender<Msg> {
        self.tx.clone()
    }

    pub fn first_build(&mut self) -> Outcome {
        self.inc.rebuild(&BTreeSet::from([Change::Everything]))
    }

    /// Wait for changes and rebuild; `None` once stopped. The description
    /// says what changed.
    pub fn next_rebuild(&mut self) -> Option<(String, Outcome)> {
        loop {
            let mut changes = BTreeSet::new();
            let mut stop = false;
            match self.rx.recv() {
                Ok(Msg::Files(r)) => self.collect(r, &mut changes),
                Ok(Msg::Stop) | Err(_) => return None,
            }
            // fold in whatever else is already waiting
            while let Ok(m) = self.rx.try_recv() {
                match m {
                    Msg::Files(r) => self.collect(r, &mut changes),
                    Msg::Stop => stop = true,
                }
            }
            if stop {
                let _ = self.tx.send(Msg::Stop);
            }
            if changes.is_empty() {
                continue;
            }
            if changes.iter().any(|c| matches!(c, Change::Tree | Change::Theme | Change::Strings | Change::Everything)) {
                self.watch_source_dirs();
            }
            let what = describe(&changes, &self.root);
            match self.inc.rebuild(&changes) {
                Outcome::Unchanged => continue,
                outcome => return Some((what, outcome)),
            }
        }
    }

    fn collect(&self, result: DebounceEventResult, changes: &mut BTreeSet<Change>) {
        let events = match result {
            Ok(events) => events,
            Err(_) => {
                changes.insert(Change::Everything);
                return;
            }
        };
        for e in events {
            if e.need_rescan() {
                changes.insert(Change::Everything);
            }
            if matches!(e.kind, EventKind::Access(_)) {
                continue;
            }
            for p in &e.paths {
                if p.starts_with(&self.out) {
                    continue;
                }
                let rel = p.strip_prefix(&self.watched_root).or_else(|_| p.strip_prefix(&self.root));
                if let Some(c) = rel.ok().and_then(|rel| classify(&self.root, rel)) {
                    changes.insert(c);
                }
            }
        }
    }
}
