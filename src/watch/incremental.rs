//! The watcher's memory of a site: its sources as last read and parsed,
//! rendered markdown bodies, and the record of what the output folder holds.
//! `rebuild` takes a set of changes, re-reads only what they touch, checks
//! everything the way `build` does (same diagnostics), renders only the files
//! whose inputs changed (`plan`) and lets `output::apply` write them: the
//! output stays byte-identical to a fresh full build, and a failed rebuild
//! leaves it as it was.

use super::live::Live;
use super::parts::Parts;
use super::plan::{self, hash_of, Inputs, Record};
use super::reuse::{bodies_for, index};
use crate::build::{self, BuildOptions, Failure};
use crate::content::{self, Article};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::output::{self, SyncReport};
use crate::registry::Registries;
use crate::render::{self, context::Ctx, engine};
use crate::site::{Facts, Site};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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

pub struct Incremental {
    pub(super) opts: BuildOptions,
    pub out: PathBuf,
    config_error: Option<Vec<Diagnostic>>,
    pub(super) parts: Option<Parts>,
    pub(super) bodies: HashMap<u64, Rendered>,
    /// What the index found in each article (mentions, body text), by file
    /// version, registries and configuration.
    pub(super) facts: HashMap<u64, Facts>,
    /// The site of the last good index, kept while only articles change.
    pub(super) live: Option<Live>,
    /// What the output holds; `None` until a first good build synced it.
    record: Option<Record>,
}

impl Incremental {
    /// Load everything (a first build is `rebuild(&[Change::Everything])`).
    pub fn new(opts: BuildOptions) -> Incremental {
        let root = if opts.root.as_os_str().is_empty() { PathBuf::from(".") } else { opts.root.clone() };
        let out = opts.out.clone().unwrap_or_else(|| content::display_path(&root, Path::new("public")));
        Incremental { opts, out, config_error: None, parts: None, bodies: HashMap::new(), facts: HashMap::new(), live: None, record: None }
    }

    /// Apply `changes` to the sources, then bring the output up to date.
    pub fn rebuild(&mut self, changes: &BTreeSet<Change>) -> Outcome {
        let start = Instant::now();
        let mut changed = false;
        let reload = self.parts.is_none() || changes.contains(&Change::Config) || changes.contains(&Change::Everything);
        // edits of articles alone are applied to the live site in place
        let in_place = !reload && self.live.is_some() && changes.iter().all(|c| matches!(c, Change::Article(_)));
        if !in_place {
            self.dissolve();
        }
        if let Some(p) = self.parts.as_mut() {
            p.touched.clear();
            p.moved = false;
        }
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
        let result = match in_place.then(|| self.patch(start)).flatten() {
            Some(r) => r,
            None => {
                self.dissolve();
                self.output(start)
            }
        };
        match result {
            Ok(r) => Outcome::Built(r),
            Err(f) => Outcome::Failed(f),
        }
    }

    /// The warnings of the sources, or every diagnostic when one is an error.
    pub(super) fn checked(p: &Parts) -> Result<Vec<Diagnostic>, Failure> {
        let diags = p.diagnostics();
        if diags.iter().any(Diagnostic::is_error) || p.regs.is_err() || p.theme.is_err() || p.i18n.0.is_none() {
            return Err(diags.into());
        }
        let mut warnings = diags;
        warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Ok(warnings)
    }

    /// Index the sources anew, then render what changed.
    fn output(&mut self, start: Instant) -> Result<Report, Failure> {
        if let Some(e) = &self.config_error {
            return Err(Failure::from(e.clone()));
        }
        let Some(p) = self.parts.as_mut() else { return Err(Failure::from(Vec::new())) };
        let warnings = Self::checked(p)?;
        let with_warnings = |mut e: Vec<Diagnostic>| {
            e.extend(warnings.iter().cloned());
            Failure::from(e)
        };
        let (Ok(regs), Ok(theme), (Some(i18n), _)) = (&p.regs, &p.theme, &p.i18n) else { return Err(Failure::from(Vec::new())) };
        let tera = p.tera.get_or_insert_with(|| engine::build(theme, i18n.clone()));
        tera.as_ref().map_err(|e| with_warnings(e.clone()))?;

        // the site, made of the parsed articles (moved in now, back out by `dissolve`)
        let mut articles = Vec::new();
        for s in p.sources.values_mut() {
            if s.article.as_ref().is_some_and(|a| self.opts.drafts || !a.draft) {
                articles.extend(s.article.take());
            }
        }
        let regs = Registries::new(regs.topics.clone(), regs.entities.clone());
        build::timing("sources", start);
        let t = Instant::now();
        let (sources, rv, cv) = (&p.sources, p.regs_version, p.config_version);
        let facts_key = |source: &Path| sources.get(source).map(|s| hash_of(&(s.version, rv, cv)));
        let known: Mutex<HashMap<PathBuf, Facts>> = Mutex::new(articles.iter()
            .filter_map(|a| Some((a.source.clone(), self.facts.remove(&facts_key(&a.source)?)?))).collect());
        let mut site = match index(p.config.clone(), regs, articles, |a| known.lock().ok()?.remove(&a.source)) {
            Ok(site) => site,
            Err((e, kept)) => {
                match kept {
                    Some(b) => put_back(p, b.1),
                    None => self.parts = None, // lost: the next rebuild reloads everything
                }
                return Err(with_warnings(e));
            }
        };
        let body_keys: Vec<u64> = site.articles.iter()
            .map(|a| hash_of(&(p.sources.get(&a.source).map_or(0, |s| s.body), site.config.unsafe_html))).collect();
        build::timing("index", t);
        let bodies = bodies_for(&mut self.bodies, &mut site, &body_keys);
        let versions: Vec<u64> = site.articles.iter().map(|a| p.sources.get(&a.source).map_or(0, |s| s.version)).collect();
        self.live = Some(Live::new(site, bodies, body_keys, versions));
        self.render_live(start, warnings)
    }

    /// Render what changed of the live site and write it.
    pub(super) fn render_live(&mut self, start: Instant, warnings: Vec<Diagnostic>) -> Result<Report, Failure> {
        let with_warnings = |mut e: Vec<Diagnostic>| {
            e.extend(warnings.iter().cloned());
            Failure::from(e)
        };
        let (Some(p), Some(live)) = (self.parts.as_ref(), self.live.as_mut()) else { return Err(Failure::from(Vec::new())) };
        let (Ok(theme), (Some(i18n), _), Some(Ok(tera))) = (&p.theme, &p.i18n, &p.tera) else { return Err(Failure::from(Vec::new())) };
        let versions = p.versions();
        // report exactly what a full build reports
        let full_errors = |site: &Site, e: Vec<Diagnostic>| with_warnings(render::render_site(site, theme, i18n.clone()).err().unwrap_or(e));
        if live.search.is_none() {
            let t = Instant::now();
            let ctx = Ctx { site: &live.site, i18n, bodies: &live.bodies, cards: None, html: None, terms: None };
            live.search = Some(crate::search::Index::build(&ctx).map_err(|e| full_errors(&live.site, vec![e]))?);
            build::timing("search index", t);
        }
        let Some(search) = live.search.as_ref() else { return Err(Failure::from(Vec::new())) };
        let empty = Record::new();
        let old = self.record.as_ref().unwrap_or(&empty);
        // the sitemap keys are reused once, and only after a successful render
        let parts = live.sitemap_parts.take();
        let reuse = std::mem::replace(&mut live.same_structure, false);
        let sitemap_parts = parts.as_ref().filter(|_| reuse);
        let inputs = Inputs { site: &live.site, theme, tera, i18n, bodies: &live.bodies, articles: &live.versions, versions: &versions, search, sitemap_parts };
        let mut planned = plan::render_changed(&inputs, old).map_err(|e| full_errors(&live.site, e))?;
        live.sitemap_parts = Some(std::mem::take(&mut planned.sitemap_parts));

        let to_diag = |e: output::OutputError| Failure::from(vec![Diagnostic::error(&self.out, e.to_string())
            .with_hint("choose another folder with --out")]);
        // the record is only good again once the output is written
        let t = Instant::now();
        let synced = match self.record.take() {
            None => output::check_out_dir(&p.config.root, &self.out)
                .and_then(|()| {
                    // the folder changes from here on without a manifest
                    output::manifest::forget(&self.out);
                    output::sync(&self.out, &planned.files)
                }).map(|r| (r, Record::new())),
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

/// Hand articles back to their sources (those still at the version they were read at).
pub(super) fn put_back(p: &mut Parts, articles: Vec<Article>) {
    for a in articles {
        if let Some(s) = p.sources.get_mut(&a.source) {
            if s.article.is_none() {
                s.article = Some(a);
            }
        }
    }
}
