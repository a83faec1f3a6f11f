//! The whole pipeline, top to bottom: load and validate everything into a
//! `Site`, render it in memory, and only then let `output` write. `check`
//! runs the same steps without the last one.

use crate::config::{self, Config};
use crate::content;
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::{LangSpec, I18n, REQUIRED_IDS};
use crate::output::{self, SyncReport};
use crate::registry;
use crate::render::{self, OutFile};
use crate::mentions::{Detector, Vocabs};
use crate::site::{Bodies, Reader, Site};
use crate::theme::{self, Theme};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// Everything loaded and validated, ready to render.
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
    pub i18n: Arc<I18n>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub sync: SyncReport,
    pub out: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Sizes of each language's search index.
    pub search: Vec<crate::search::IndexStats>,
    /// Nothing was rendered: the output folder already held what this build
    /// would write (see `crate::fingerprint`).
    pub up_to_date: bool,
}

/// Errors (and the warnings gathered before them) of a failed run.
#[derive(Debug)]
pub struct Failure(pub Diagnostics);

impl From<Vec<Diagnostic>> for Failure {
    fn from(v: Vec<Diagnostic>) -> Self {
        let mut d = Diagnostics(v);
        d.sort();
        Failure(d)
    }
}

/// Whether `NASHRA_TIMINGS` is set.
pub(crate) fn timings_on() -> bool {
    std::env::var_os("NASHRA_TIMINGS").is_some()
}

/// With the environment variable `NASHRA_TIMINGS` set, print to stderr how long
/// a phase took and the process's memory so far (for profiling large sites).
pub(crate) fn timing(phase: &str, since: Instant) {
    if !timings_on() {
        return;
    }
    // where each phase ends, on one clock: from the start of the first
    // phase reported
    static FIRST: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let at = FIRST.get_or_init(|| since).elapsed().as_secs_f64() * 1000.0;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mib = |key: &str| status.lines().find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or_else(|| "?".to_string(), |kb| (kb / 1024).to_string());
    // user + system time of the whole process so far, in clock ticks (fields
    // 14 and 15 of /proc/self/stat, counted after the parenthesised name)
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let ticks: Option<u64> = stat.rsplit_once(')').and_then(|(_, rest)| {
        let f: Vec<&str> = rest.split_whitespace().collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    });
    let cpu = ticks.map_or_else(|| "?".to_string(), |t| format!("{:.2}", t as f64 / 100.0));
    eprintln!("timing: {phase:<12} {:>9.1} ms   at {at:>7.1} ms   rss {:>5} MiB   peak {:>5} MiB   cpu so far {cpu} s",
        since.elapsed().as_secs_f64() * 1000.0, mib("VmRSS:"), mib("VmHWM:"));
}

fn root_path(root: &Path) -> PathBuf {
    if root.as_os_str().is_empty() { PathBuf::from(".") } else { root.to_path_buf() }
}

pub fn load_config(opts: &BuildOptions) -> Result<Config, Failure> {
    let root = root_path(&opts.root);
    let mut config = config::load(&root)?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url).map_err(|msg| vec![Diagnostic::error("--base-url", msg)])?;
    }
    Ok(config)
}

/// The UI strings of every configured language (embedded, then the site's
/// `i18n/*.ftl`), with warnings for messages a language lacks.
pub fn load_i18n(config: &Config) -> (Option<I18n>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let sources = match theme::load_strings(config) {
        Ok(sources) => sources,
        Err(e) => return (None, e),
    };
    let langs: Vec<LangSpec> = config.languages.iter().map(|l| LangSpec { code: l.code.clone(), numerals: l.numerals.clone() }).collect();
    match I18n::new(&langs, &config.default_language, &sources) {
        Ok((i18n, warnings)) => {
            diags.extend(warnings);
            for l in &config.languages {
                let missing = i18n.missing_ids(&l.code, REQUIRED_IDS);
                if !missing.is_empty() {
                    diags.push(Diagnostic::warning(content::display_path(&config.root, &Path::new("i18n").join(format!("{}.ftl", l.code))),
                        format!("{} message(s) missing, the default language's are used: {}", missing.len(), missing.join(", "))));
                }
            }
            (Some(i18n), diags)
        }
        Err(e) => (None, e),
    }
}

/// The output folder: `--out`, else `<root>/public`.
pub fn out_dir(opts: &BuildOptions, config: &Config) -> PathBuf {
    opts.out.clone().unwrap_or_else(|| content::display_path(&config.root, Path::new("public")))
}

/// Load and validate config, registries, articles, theme and strings,
/// reporting every error found. Each article's body comes rendered; its
/// markdown is not kept.
pub fn load(opts: &BuildOptions) -> Result<Loaded, Failure> {
    load_with(opts, false)
}

/// [`load`], keeping each article's markdown (to report on its text).
pub fn load_keeping_markdown(opts: &BuildOptions) -> Result<Loaded, Failure> {
    load_with(opts, true)
}

fn load_with(opts: &BuildOptions, keep_markdown: bool) -> Result<Loaded, Failure> {
    let config = load_config(opts)?;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let shown_content = content::display_path(&config.root, Path::new("content"));
    let regs = registry::load(&config.content_dir(), &shown_content).map_err(|e| diags.extend(e)).ok();
    let theme = theme::load(&config).map_err(|e| diags.extend(e)).ok();
    let (i18n, d) = load_i18n(&config);
    diags.extend(d);
    let t = Instant::now();
    let (files, d) = content::discover(&config);
    timing("discover", t);
    diags.extend(d);
    // Each body is parsed once, as soon as its file is read: rendered, its
    // text read for mentions and search words, its HTML kept for the
    // renderer, its markdown dropped (so the files' texts are never all in
    // memory at once).
    let mut read = Vec::new();
    let mut detector = None;
    if let Some(regs) = &regs {
        let d = Detector::new(regs, config.languages.iter().map(|l| l.code.as_str()));
        let reader = Reader { detector: &d, registries: regs, bodies: Bodies::Render { keep_markdown }, unsafe_html: config.unsafe_html };
        let (r, errs) = content::load_articles(&files, regs, opts.drafts, Vocabs::default, |vocabs, mut a| {
            let facts = reader.read(vocabs, &mut a);
            (a, facts)
        });
        read = r;
        diags.extend(errs);
        detector = Some(d);
    }
    timing("articles", t);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags.into());
    }
    let (Some(regs), Some(detector), Some(theme), Some(i18n)) = (regs, detector, theme, i18n) else {
        return Err(diags.into());
    };
    let t = Instant::now();
    let site = match Site::of_read(config, regs, detector, read) {
        Ok(s) => s,
        Err(e) => {
            diags.extend(e);
            return Err(diags.into());
        }
    };
    timing("index", t);
    let mut warnings = diags;
    warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(Loaded { site, theme, i18n: Arc::new(i18n), warnings })
}

/// `nashra build`: load, then render, each file going to the output folder's
/// staging area as soon as it is made; only when everything rendered are the
/// changed files moved into place (`output::Stage`).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let config = load_config(opts)?;
    let out = out_dir(opts, &config);
    let fingerprint = crate::fingerprint::of_build(&config.root, opts);
    let out_checked = output::check_out_dir(&config.root, &out);
    if let (Some(fp), Ok(())) = (&fingerprint, &out_checked) {
        if let Some(entries) = output::manifest::up_to_date(&out, |then| fp.matches(&config.root, then)) {
            let files: Vec<(String, usize)> = entries.into_iter().map(|e| (e.path, e.len as usize)).collect();
            let (pages, search) = summary(&config, &files);
            return Ok(BuildReport {
                pages, search, files: files.len(),
                sync: SyncReport { written: 0, unchanged: files.len(), removed: 0 },
                out, elapsed: start.elapsed(), warnings: Vec::new(), up_to_date: true,
            });
        }
    }
    timing("fingerprint", start);
    let mut loaded = load(opts)?;
    timing("load", start);
    let mut bodies = render::take_bodies(&mut loaded.site);
    let t = Instant::now();
    let to_diag = |e: output::OutputError| Diagnostic::error(&out, e.to_string()).with_hint("choose another folder with --out");
    let fail = |d: Vec<Diagnostic>| {
        let mut d = d;
        d.extend(loaded.warnings.iter().cloned());
        Failure::from(d)
    };
    out_checked.map_err(|e| fail(vec![to_diag(e)]))?;
    let stage = output::Stage::begin(&out).map_err(|e| fail(vec![to_diag(e)]))?;
    // every file's path, size and stamp: for the build summary and the manifest
    let made = std::sync::Mutex::new(Vec::new());
    let emit = |f: OutFile| -> Result<(), Diagnostic> {
        let stamp = stage.put(&f.path, &f.bytes).map_err(to_diag)?;
        crate::lock(&made).push((f.path, f.bytes.len(), stamp));
        Ok(())
    };
    // the body words and the bodies' HTML are handed over, to be freed as
    // soon as the search index and the article pages (and feeds) have them
    let handed = render::Handed {
        words: std::mem::take(&mut loaded.site.body_words),
        html: bodies.iter_mut().map(|b| std::mem::take(&mut b.html)).collect(),
    };
    let rendered = render::render_site_to(&loaded.site, &loaded.theme, loaded.i18n.clone(), &bodies, Some(handed), &emit);
    timing("render", t);
    let files = match rendered {
        Ok(n) => n,
        Err(e) => {
            stage.abort();
            return Err(fail(e));
        }
    };
    let t = Instant::now();
    let sync = stage.commit().map_err(|e| fail(vec![to_diag(e)]))?;
    // A build with warnings is not recorded: the next one shows them again.
    // Nor is one whose record cannot be written (the output is already in
    // place; the next build only renders in full).
    let made = made.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    match fingerprint.filter(|_| loaded.warnings.is_empty()) {
        // a file whose stamp could not be read is not recorded: the next
        // build finds the manifest short of it and renders in full
        Some(fp) if output::manifest::record(&out, &fp, made.iter().filter_map(|(p, _, s)| Some((p.as_str(), (*s)?)))).is_ok() => {}
        _ => output::manifest::forget(&out),
    }
    timing("write", t);
    let made: Vec<(String, usize)> = made.into_iter().map(|(p, len, _)| (p, len)).collect();
    let (pages, search) = summary(&loaded.site.config, &made);
    let warnings = std::mem::take(&mut loaded.warnings);
    crate::drop_later((loaded, bodies, made));
    Ok(BuildReport {
        search,
        pages,
        files,
        sync,
        out,
        elapsed: start.elapsed(),
        warnings,
        up_to_date: false,
    })
}

/// The pages and the search index's sizes per language of a build, from its
/// files (path below the output folder, size).
fn summary(config: &Config, files: &[(String, usize)]) -> (usize, Vec<crate::search::IndexStats>) {
    let langs: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    (files.iter().filter(|(p, _)| p.ends_with(".html")).count(), crate::search::stats(files, &langs))
}

/// `nashra check`: everything `build` does except writing.
pub fn check(opts: &BuildOptions) -> Result<(usize, Vec<Diagnostic>), Failure> {
    let mut loaded = load(opts)?;
    let bodies = render::take_bodies(&mut loaded.site);
    match render::render_site_to(&loaded.site, &loaded.theme, loaded.i18n.clone(), &bodies, None, &|_| Ok(())) {
        Ok(n) => Ok((n, loaded.warnings)),
        Err(mut e) => {
            e.extend(loaded.warnings);
            Err(Failure::from(e))
        }
    }
}
