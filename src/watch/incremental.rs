//! The watcher's memory of a site: its sources as last read and parsed,
//! rendered markdown bodies, and the record of what the output folder holds.
//! `rebuild` takes a set of changes, re-reads only what they touch, checks
//! everything the way `build` does (same diagnostics), renders only the files
//! whose inputs changed (`plan`) and lets `output::apply` write them: the
//! output stays byte-identical to a fresh full build, and a failed rebuild
//! leaves it as it was.

use super::plan::{self, hash_of, Inputs, Record, Versions};
use super::reuse::{bodies_for, index, Facts};
use crate::build::{self, BuildOptions, Failure};
use crate::config::Config;
use crate::content::{self, Article, SourceFile};
use crate::diag::Diagnostic;
use crate::i18n::I18n;
use crate::markdown::Rendered;
use crate::output::{self, SyncReport};
use crate::registry::{self, Registries};
use crate::render::{self, engine};
use crate::site::Site;
use crate::theme::{self, Theme};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One kind of source change, as the watcher classifies file events.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// `site.yaml`: everything is reloaded.
    Config,
    /// `content/topics.yaml` or `content/entities.yaml`: every article is re-read.
    Registries,
    /// A file below `themes/` or `static/`.
    Theme,
    /// An `.ftl` file below `i18n/`.
    Strings,
    /// A folder below `content/` appeared, went or moved: look for article files again.
    Tree,
    /// One article file (path below the site root as `--root` gives it).
    Article(PathBuf),
    /// Events were lost: reload everything.
    Everything,
}

#[derive(Debug)]
pub struct Report {
    /// HTML pages and files of the whole site, and where they are.
    pub pages: usize,
    pub files: usize,
    pub out: PathBuf,
    /// Pages rendered with a template (the rest were known to be unchanged).
    pub rendered: usize,
    pub sync: SyncReport,
    pub elapsed: Duration,
    /// Every warning of the site as it is now.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug)]
pub enum Outcome {
    /// The sources' bytes are what they were: nothing to do.
    Unchanged,
    Built(Report),
    /// The site has errors: nothing was written.
    Failed(Failure),
}

/// One article file and what was made of it.
struct Source {
    file: SourceFile,
    lang_pos: usize,
    /// Hash of the shown path and the file's bytes.
    version: u64,
    /// Hash of the markdown body (key of the rendered-body cache).
    body: u64,
    /// `None` while it is in a `Site` being rendered, or when it has errors.
    article: Option<Article>,
    diags: Vec<Diagnostic>,
}

/// Everything loaded for one `site.yaml`.
struct Parts {
    config: Config,
    config_version: u64,
    regs: Result<Registries, Vec<Diagnostic>>,
    regs_version: u64,
    theme: Result<Theme, Vec<Diagnostic>>,
    theme_version: u64,
    i18n: (Option<Arc<I18n>>, Vec<Diagnostic>),
    langs: (HashMap<String, u64>, u64),
    tera: Option<Result<tera::Tera, Vec<Diagnostic>>>,
    discover_diags: Vec<Diagnostic>,
    sources: HashMap<PathBuf, Source>,
}

pub struct Incremental {
    opts: BuildOptions,
    pub out: PathBuf,
    config_error: Option<Vec<Diagnostic>>,
    parts: Option<Parts>,
    bodies: HashMap<u64, Rendered>,
    /// What the index found in each article (mentions, body text), by file
    /// version, registries and configuration.
    facts: HashMap<u64, Facts>,
    /// What the output holds; `None` until a first good build synced it.
    record: Option<Record>,
}

fn file_hash(path: &Path) -> u64 {
    hash_of(&std::fs::read(path).ok())
}

fn read_source(file: SourceFile, lang_pos: usize, regs: Option<&Registries>) -> Source {
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
    fn load(opts: &BuildOptions, config: Config) -> Parts {
        let config_version = hash_of(&(file_hash(&config.root.join("site.yaml")), &opts.base_url, opts.drafts));
        let mut p = Parts {
            config, config_version,
            regs: Err(Vec::new()), regs_version: 0,
            theme: Err(Vec::new()), theme_version: 0,
            i18n: (None, Vec::new()), langs: (HashMap::new(), 0),
            tera: None, discover_diags: Vec::new(), sources: HashMap::new(),
        };
        p.load_regs();
        p.load_theme();
        p.load_strings();
        p.discover(true);
        p
    }

    fn lang_pos(&self, code: &str) -> usize {
        self.config.languages.iter().position(|l| l.code == code).unwrap_or(usize::MAX)
    }

    /// Reload the registries; with good ones, re-read every article.
    fn load_regs(&mut self) -> bool {
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

    fn read_all(&mut self, files: Vec<SourceFile>) {
        let regs = self.regs.as_ref().ok();
        let read: Vec<Source> = files.into_par_iter().map(|f| {
            let pos = self.lang_pos(&f.lang);
            read_source(f, pos, regs)
        }).collect();
        for s in read {
            self.sources.insert(s.file.shown.clone(), s);
        }
    }

    fn load_theme(&mut self) -> bool {
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

    fn load_strings(&mut self) -> bool {
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
    fn discover(&mut self, all: bool) -> bool {
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
    fn touch(&mut self, path: &Path) -> bool {
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
                    self.sources.insert(shown, source);
                }
                !same
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.sources.contains_key(&shown) => {
                self.sources.remove(&shown);
                true
            }
            // a link, a folder named `*.md`, or a path never seen: look again
            _ => self.discover(false),
        }
    }

    fn versions(&self) -> Versions {
        let templates = self.theme.as_ref().map(|t| hash_of(&t.templates.iter().map(|t| (&t.name, &t.source)).collect::<Vec<_>>()));
        Versions {
            common: hash_of(&(self.config_version, self.regs_version, templates.unwrap_or(0))),
            langs: self.langs.0.clone(),
            all_langs: self.langs.1,
        }
    }

    /// Every diagnostic of the sources, in the order `build::load` finds them.
    fn diagnostics(&self) -> Vec<Diagnostic> {
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

impl Incremental {
    /// Load everything (a first build is `rebuild(&[Change::Everything])`).
    pub fn new(opts: BuildOptions) -> Incremental {
        let root = if opts.root.as_os_str().is_empty() { PathBuf::from(".") } else { opts.root.clone() };
        let out = opts.out.clone().unwrap_or_else(|| content::display_path(&root, Path::new("public")));
        Incremental { opts, out, config_error: None, parts: None, bodies: HashMap::new(), facts: HashMap::new(), record: None }
    }

    /// Apply `changes` to the sources, then bring the output up to date.
    pub fn rebuild(&mut self, changes: &BTreeSet<Change>) -> Outcome {
        let start = Instant::now();
        let mut changed = false;
        let reload = self.parts.is_none() || changes.contains(&Change::Config) || changes.contains(&Change::Everything);
        if reload {
            match build::load_config(&self.opts) {
                Ok(config) => {
                    self.config_error = None;
                    self.parts = Some(Parts::load(&self.opts, config));
                }
                Err(f) => self.config_error = Some(f.0 .0),
            }
            changed = true;
        } else if let Some(p) = self.parts.as_mut() {
            for c in changes {
                changed |= match c {
                    Change::Registries => p.load_regs(),
                    Change::Theme => p.load_theme(),
                    Change::Strings => p.load_strings(),
                    Change::Tree => p.discover(false),
                    Change::Article(path) => p.touch(path),
                    Change::Config | Change::Everything => false,
                };
            }
        }
        if !changed {
            return Outcome::Unchanged;
        }
        match self.output(start) {
            Ok(r) => Outcome::Built(r),
            Err(f) => Outcome::Failed(f),
        }
    }

    fn output(&mut self, start: Instant) -> Result<Report, Failure> {
        if let Some(e) = &self.config_error {
            return Err(Failure::from(e.clone()));
        }
        let Some(p) = self.parts.as_mut() else { return Err(Failure::from(Vec::new())) };
        let diags = p.diagnostics();
        let (Ok(_), Ok(theme), (Some(i18n), _)) = (&p.regs, &p.theme, &p.i18n) else { return Err(diags.into()) };
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags.into());
        }
        let mut warnings = diags;
        warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        let with_warnings = |mut e: Vec<Diagnostic>| {
            e.extend(warnings.iter().cloned());
            Failure::from(e)
        };
        let versions = p.versions();
        let tera = p.tera.get_or_insert_with(|| engine::build(theme, i18n.clone()));
        let tera = tera.as_ref().map_err(|e| with_warnings(e.clone()))?;

        // the site, made of the parsed articles (moved in now, moved back below)
        let mut articles = Vec::new();
        for s in p.sources.values_mut() {
            if s.article.as_ref().is_some_and(|a| self.opts.drafts || !a.draft) {
                articles.extend(s.article.take());
            }
        }
        let regs = std::mem::take(p.regs.as_mut().map_err(|_| Failure::from(Vec::new()))?);
        build::timing("sources", start);
        let t = Instant::now();
        let (sources, rv, cv) = (&p.sources, p.regs_version, p.config_version);
        let facts_key = |source: &Path| sources.get(source).map(|s| hash_of(&(s.version, rv, cv)));
        let known: Mutex<HashMap<PathBuf, Facts>> = Mutex::new(articles.iter()
            .filter_map(|a| Some((a.source.clone(), self.facts.remove(&facts_key(&a.source)?)?))).collect());
        let site = match index(p.config.clone(), regs, articles, |a| known.lock().ok()?.remove(&a.source)) {
            Ok(site) => site,
            Err((e, kept)) => {
                match kept.map(|b| *b) {
                    Some((regs, articles)) => put_back(p, regs, articles),
                    None => self.parts = None, // lost: the next rebuild reloads everything
                }
                return Err(with_warnings(e));
            }
        };
        let body_keys: Vec<u64> = site.articles.iter()
            .map(|a| hash_of(&(p.sources.get(&a.source).map_or(0, |s| s.body), site.config.unsafe_html))).collect();
        build::timing("index", t);
        let bodies = bodies_for(&mut self.bodies, &site, &body_keys);
        let article_versions: Vec<u64> = site.articles.iter().map(|a| p.sources.get(&a.source).map_or(0, |s| s.version)).collect();
        let empty = Record::new();
        let old = self.record.as_ref().unwrap_or(&empty);
        let inputs = Inputs { site: &site, theme, tera, i18n, bodies: &bodies, articles: &article_versions, versions: &versions };
        let planned = plan::render_changed(&inputs, old).map_err(|e| {
            // report exactly what a full build reports
            with_warnings(render::render_site(&site, theme, i18n.clone()).err().unwrap_or(e))
        });
        self.bodies = body_keys.into_iter().zip(bodies).collect();
        let Site { registries, articles, mentions, body_text, .. } = site;
        self.facts = articles.iter().zip(mentions.into_iter().zip(body_text))
            .filter_map(|(a, f)| Some((facts_key(&a.source)?, f))).collect();
        put_back(p, registries, articles);
        let planned = planned?;

        let to_diag = |e: output::OutputError| Failure::from(vec![Diagnostic::error(&self.out, e.to_string())
            .with_hint("choose another folder with --out")]);
        // the record is only good again once the output is written
        let t = Instant::now();
        let synced = match self.record.take() {
            None => output::check_out_dir(&p.config.root, &self.out)
                .and_then(|()| output::sync(&self.out, &planned.files)).map(|r| (r, Record::new())),
            Some(record) => output::apply(&self.out, &planned.files, &planned.removed).map(|r| (r, record)),
        };
        let (sync, mut record) = synced.map_err(to_diag)?;
        build::timing("write", t);
        let rendered = planned.rendered;
        planned.commit(&mut record);
        let pages = record.values().flatten().filter(|p| p.ends_with(".html")).count();
        let files = record.values().map(Vec::len).sum();
        self.record = Some(record);
        Ok(Report { pages, files, out: self.out.clone(), rendered, sync, elapsed: start.elapsed(), warnings })
    }
}

fn put_back(p: &mut Parts, regs: Registries, articles: Vec<Article>) {
    if let Ok(r) = p.regs.as_mut() {
        *r = regs;
    }
    for a in articles {
        if let Some(s) = p.sources.get_mut(&a.source) {
            s.article = Some(a);
        }
    }
}
