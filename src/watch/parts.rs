//! What the watcher has loaded of a site: configuration, registries, theme,
//! strings and every article file as last read and parsed, each with a
//! version (a hash of its bytes). A change re-reads only what it touches.

use super::plan::{hash_of, Versions};
use crate::build::{self, BuildOptions};
use crate::config::Config;
use crate::content::{self, Article, SourceFile};
use crate::diag::Diagnostic;
use crate::i18n::I18n;
use crate::registry::{self, Registries};
use crate::theme::{self, Theme};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One article file and what was made of it.
pub(super) struct Source {
    pub(super) file: SourceFile,
    pub(super) lang_pos: usize,
    /// Hash of the shown path and the file's bytes.
    pub(super) version: u64,
    /// Hash of the markdown body (key of the rendered-body cache).
    pub(super) body: u64,
    /// `None` while it is in a `Site` being rendered, or when it has errors.
    pub(super) article: Option<Article>,
    pub(super) diags: Vec<Diagnostic>,
}

/// Everything loaded for one `site.yaml`.
pub(super) struct Parts {
    pub(super) config: Config,
    pub(super) config_version: u64,
    pub(super) regs: Result<Registries, Vec<Diagnostic>>,
    pub(super) regs_version: u64,
    pub(super) theme: Result<Theme, Vec<Diagnostic>>,
    pub(super) theme_version: u64,
    pub(super) i18n: (Option<Arc<I18n>>, Vec<Diagnostic>),
    pub(super) langs: (HashMap<String, u64>, u64),
    pub(super) tera: Option<Result<tera::Tera, Vec<Diagnostic>>>,
    pub(super) discover_diags: Vec<Diagnostic>,
    pub(super) sources: HashMap<PathBuf, Source>,
    /// Article files `touch` found edited since `touched` was last cleared
    /// (shown paths), and whether files appeared or went.
    pub(super) touched: Vec<PathBuf>,
    pub(super) moved: bool,
}

pub(super) fn file_hash(path: &Path) -> u64 {
    hash_of(&std::fs::read(path).ok())
}

pub(super) fn read_source(file: SourceFile, lang_pos: usize, regs: Option<&Registries>) -> Source {
    let (version, body, article, diags) = match content::read_bytes(&file.abs, &file.shown) {
        Err(d) => (hash_of(&(&file.shown, 0u8)), 0, None, vec![d]),
        Ok(bytes) => {
            let version = hash_of(&(&file.shown, &bytes));
            match (content::decode_text(&file.shown, bytes), regs) {
                (Err(d), _) => (version, 0, None, vec![d]),
                (Ok(_), None) => (version, 0, None, Vec::new()),
                (Ok(text), Some(regs)) => {
                    let (a, d) = content::frontmatter::parse_article(&file.shown, &file.lang, &file.stem, &text, regs);
                    (version, a.as_ref().map_or(0, |a| hash_of(&a.body)), a, d)
                }
            }
        }
    };
    Source { file, lang_pos, version, body, article, diags }
}

impl Parts {
    pub(super) fn load(opts: &BuildOptions, config: Config) -> Parts {
        let config_version = hash_of(&(file_hash(&config.root.join("site.yaml")), &opts.base_url, opts.drafts));
        let mut p = Parts {
            config, config_version,
            regs: Err(Vec::new()), regs_version: 0,
            theme: Err(Vec::new()), theme_version: 0,
            i18n: (None, Vec::new()), langs: (HashMap::new(), 0),
            tera: None, discover_diags: Vec::new(), sources: HashMap::new(), touched: Vec::new(), moved: false,
        };
        p.load_regs();
        p.load_theme();
        p.load_strings();
        p.discover(true);
        p
    }

    pub(super) fn lang_pos(&self, code: &str) -> usize {
        self.config.languages.iter().position(|l| l.code == code).unwrap_or(usize::MAX)
    }

    /// Reload the registries; with good ones, re-read every article.
    pub(super) fn load_regs(&mut self) -> bool {
        let dir = self.config.content_dir();
        let version = hash_of(&[file_hash(&dir.join(registry::TOPICS_FILE)), file_hash(&dir.join(registry::ENTITIES_FILE))]);
        if version == self.regs_version && self.regs.is_ok() {
            return false;
        }
        let shown = content::display_path(&self.config.root, Path::new("content"));
        self.regs = registry::load(&dir, &shown);
        self.regs_version = version;
        if self.regs.is_ok() {
            let files: Vec<SourceFile> = self.sources.values().map(|s| s.file.clone()).collect();
            self.read_all(files);
        }
        true
    }

    pub(super) fn read_all(&mut self, files: Vec<SourceFile>) {
        let regs = self.regs.as_ref().ok();
        let read: Vec<Source> = files.into_par_iter().map(|f| {
            let pos = self.lang_pos(&f.lang);
            read_source(f, pos, regs)
        }).collect();
        for s in read {
            self.sources.insert(s.file.shown.clone(), s);
        }
    }

    pub(super) fn load_theme(&mut self) -> bool {
        let theme = theme::load(&self.config);
        let version = match &theme {
            Ok(t) => hash_of(&(t.templates.iter().map(|t| (&t.name, &t.source)).collect::<Vec<_>>(),
                t.static_files.iter().map(|s| (&s.rel, &s.bytes)).collect::<Vec<_>>())),
            Err(e) => hash_of(&e.iter().map(ToString::to_string).collect::<Vec<_>>()),
        };
        let changed = version != self.theme_version || theme.is_err() != self.theme.is_err();
        self.theme = theme;
        self.theme_version = version;
        self.tera = None;
        changed
    }

    pub(super) fn load_strings(&mut self) -> bool {
        let before = self.langs.clone();
        let (i18n, diags) = build::load_i18n(&self.config);
        let sources = theme::load_strings(&self.config).unwrap_or_default();
        let def = sources.get(&self.config.default_language);
        let per_lang = sources.iter().map(|(code, s)| (code.clone(), hash_of(&(s, def)))).collect();
        self.langs = (per_lang, hash_of(&sources));
        let changed = before != self.langs || i18n.is_none() != self.i18n.0.is_none();
        self.i18n = (i18n.map(Arc::new), diags);
        self.tera = None;
        changed
    }

    /// Find the article files again; with `all`, re-read every one of them,
    /// else only those not known yet.
    pub(super) fn discover(&mut self, all: bool) -> bool {
        let (files, diags) = content::discover(&self.config);
        let mut changed = diags != self.discover_diags;
        self.discover_diags = diags;
        let found: HashSet<PathBuf> = files.iter().map(|f| f.shown.clone()).collect();
        let before = self.sources.len();
        self.sources.retain(|k, _| found.contains(k));
        changed |= self.sources.len() != before;
        let new: Vec<SourceFile> = files.into_iter().filter(|f| all || !self.sources.contains_key(&f.shown)).collect();
        changed |= !new.is_empty();
        self.read_all(new);
        changed
    }

    /// One article file changed, appeared or went.
    pub(super) fn touch(&mut self, path: &Path) -> bool {
        let cfg = &self.config;
        let Ok(rel) = path.strip_prefix(cfg.content_dir()) else { return false };
        let names: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let (Some(lang), Some(name)) = (names.first(), names.last()) else { return false };
        if cfg.language(lang).is_none() || names.len() < 2 || names[1..].iter().any(|n| content::is_ignored_name(n)) {
            return false;
        }
        let Some(stem) = name.strip_suffix(".md") else { return false };
        let shown = content::display_path(&cfg.root, path.strip_prefix(&cfg.root).unwrap_or(path));
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_file() => {
                let file = SourceFile { abs: path.to_path_buf(), shown: shown.clone(), lang: lang.clone(), stem: stem.to_string() };
                let source = read_source(file, self.lang_pos(lang), self.regs.as_ref().ok());
                let same = self.sources.get(&shown).is_some_and(|s| s.version == source.version);
                if !same {
                    self.moved |= !self.sources.contains_key(&shown);
                    self.touched.push(shown.clone());
                    self.sources.insert(shown, source);
                }
                !same
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.sources.contains_key(&shown) => {
                self.sources.remove(&shown);
                self.moved = true;
                true
            }
            // a link, a folder named `*.md`, or a path never seen: look again
            _ => {
                self.moved = true;
                self.discover(false)
            }
        }
    }

    pub(super) fn versions(&self) -> Versions {
        Versions {
            common: hash_of(&(self.config_version, self.regs_version)),
            templates: self.theme.as_ref().map(|t| theme::template_versions(&t.templates)).unwrap_or_default(),
            langs: self.langs.0.clone(),
            all_langs: self.langs.1,
        }
    }

    /// Every diagnostic of the sources, in the order `build::load` finds them.
    pub(super) fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        diags.extend(self.regs.as_ref().err().into_iter().flatten().cloned());
        diags.extend(self.theme.as_ref().err().into_iter().flatten().cloned());
        diags.extend(self.i18n.1.iter().cloned());
        diags.extend(self.discover_diags.iter().cloned());
        if self.regs.is_ok() {
            let mut with: Vec<&Source> = self.sources.values().filter(|s| !s.diags.is_empty()).collect();
            with.sort_by(|a, b| (a.lang_pos, &a.file.shown).cmp(&(b.lang_pos, &b.file.shown)));
            diags.extend(with.into_iter().flat_map(|s| s.diags.iter().cloned()));
        }
        diags
    }
}
