//! Theme and UI-string loading: the default theme and `i18n/*.ftl` embedded in
//! the binary, overridden file by file by the site's `themes/<name>/` and
//! message by message by the site's `i18n/*.ftl`; plus the site's `static/`.

use crate::config::Config;
use crate::content::{display_path, is_ignored_name, read_text};
use crate::diag::Diagnostic;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
static EMBEDDED_I18N: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/i18n");

#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub source: String,
    /// The site file it came from; `None` for the embedded default.
    pub origin: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path below the output root, `/`-separated.
    pub rel: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<Template>,
    pub static_files: Vec<StaticFile>,
}

/// Every file of an embedded folder as (`/`-separated path, bytes).
fn embedded_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<(String, &'a [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// The embedded default theme's files, for `init`.
pub fn default_theme_files() -> Vec<(String, &'static [u8])> {
    let mut v = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut v);
    v
}

/// The embedded `.ftl` files, for `init`.
pub fn embedded_ftl_files() -> Vec<(String, &'static [u8])> {
    let mut v = Vec::new();
    embedded_files(&EMBEDDED_I18N, &mut v);
    v.retain(|(p, _)| p.ends_with(".ftl"));
    v
}

/// Files under `dir` (recursively) as (`/`-separated relative path, absolute path),
/// skipping editor leftovers and anything whose real location is outside `dir`.
fn walk_files(dir: &Path, diags: &mut Vec<Diagnostic>, shown: impl Fn(&Path) -> PathBuf) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let canon = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let walker = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(shown(e.path().unwrap_or(dir)), format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(t) if t.starts_with(&canon) && t.is_file() => {}
                _ => {
                    diags.push(Diagnostic::warning(shown(entry.path()), "symbolic link is broken or leads outside its folder; ignored"));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        out.push((rel, entry.path().to_path_buf()));
    }
    out
}

/// Load the theme named in the config: embedded default, then the site's files.
pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let shown = |p: &Path| display_path(&config.root, p.strip_prefix(&config.root).unwrap_or(p));
    let site_theme = config.root.join("themes").join(&config.theme);
    if config.theme != "default" && !site_theme.is_dir() {
        let text = std::fs::read_to_string(config.root.join("site.yaml")).unwrap_or_default();
        let (l, c) = crate::config::key_position(&text, "theme");
        return Err(vec![Diagnostic::error(shown(&config.root.join("site.yaml")), format!("theme `{}` not found in themes/", config.theme))
            .at(&text, l, c).with_hint("use `theme: default`, or create the folder themes/<name>/templates")]);
    }

    let mut templates: BTreeMap<String, Template> = BTreeMap::new();
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (path, bytes) in default_theme_files() {
        if let Some(name) = path.strip_prefix("templates/") {
            let source = String::from_utf8_lossy(bytes).into_owned();
            templates.insert(name.to_string(), Template { name: name.to_string(), source, origin: None });
        } else if let Some(rel) = path.strip_prefix("static/") {
            statics.insert(rel.to_string(), bytes.to_vec());
        }
    }
    for (rel, abs) in walk_files(&site_theme.join("templates"), &mut diags, shown) {
        match read_text(&abs, &shown(&abs)) {
            Ok(source) => {
                templates.insert(rel.clone(), Template { name: rel, source, origin: Some(shown(&abs)) });
            }
            Err(d) => diags.push(d),
        }
    }
    let site_static = [site_theme.join("static"), config.root.join("static")];
    for dir in &site_static {
        for (rel, abs) in walk_files(dir, &mut diags, shown) {
            match std::fs::read(&abs) {
                Ok(bytes) => {
                    statics.insert(rel, bytes);
                }
                Err(e) => diags.push(Diagnostic::error(shown(&abs), format!("cannot read: {e}"))),
            }
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(Theme {
        templates: templates.into_values().collect(),
        static_files: statics.into_iter().map(|(rel, bytes)| StaticFile { rel, bytes }).collect(),
    })
}

/// `.ftl` sources per language: the embedded file first (when there is one),
/// then the site's `i18n/<lang>.ftl`.
pub fn load_strings(config: &Config) -> Result<BTreeMap<String, Vec<(PathBuf, String)>>, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    let mut errs = Vec::new();
    let embedded = embedded_ftl_files();
    for lang in &config.languages {
        let mut sources = Vec::new();
        let name = format!("{}.ftl", lang.code);
        if let Some((_, bytes)) = embedded.iter().find(|(p, _)| *p == name) {
            sources.push((PathBuf::from(format!("<built-in>/i18n/{name}")), String::from_utf8_lossy(bytes).into_owned()));
        }
        let site_file = config.root.join("i18n").join(&name);
        if site_file.is_file() {
            let shown = display_path(&config.root, Path::new("i18n").join(&name).as_path());
            match read_text(&site_file, &shown) {
                Ok(text) => sources.push((shown, text)),
                Err(d) => errs.push(d),
            }
        }
        out.insert(lang.code.clone(), sources);
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// Each template's version: a hash of its source and of the sources of every
/// template it names in quotes (`extends`, `import`, `include`), followed
/// transitively. A template change then changes the versions of the
/// templates that use it, and only theirs (naming is read generously: a
/// template named anywhere in quotes counts as used, which can only re-render
/// more, never less).
pub fn template_versions(templates: &[Template]) -> std::collections::HashMap<String, u64> {
    use std::hash::{Hash, Hasher};
    let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
    let uses: Vec<Vec<usize>> = templates.iter().map(|t| {
        (0..names.len()).filter(|&j| {
            let n = names[j];
            t.name != n && (t.source.contains(&format!("\"{n}\"")) || t.source.contains(&format!("'{n}'")))
        }).collect()
    }).collect();
    templates.iter().enumerate().map(|(i, t)| {
        let mut seen = vec![false; templates.len()];
        let mut todo = vec![i];
        seen[i] = true;
        while let Some(k) = todo.pop() {
            for &j in &uses[k] {
                if !seen[j] {
                    seen[j] = true;
                    todo.push(j);
                }
            }
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (k, used) in seen.iter().enumerate().filter(|(_, s)| **s) {
            (&templates[k].name, &templates[k].source, used).hash(&mut h);
        }
        (t.name.clone(), h.finish())
    }).collect()
}
