//! `nashra new` (an article file with its front matter filled in) and
//! `nashra init` (a new site folder that builds at once). These write source
//! files the user asked for, never output.

use crate::config::Config;
use crate::paths::slugify;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("language `{0}` is not configured in site.yaml (configured: {1})")]
    UnknownLanguage(String, String),
    #[error("{0} already exists; choose another title or edit that file")]
    Exists(PathBuf),
    #[error("{0} is not empty; `init` only creates new sites")]
    NotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| if e.kind() == std::io::ErrorKind::AlreadyExists { ScaffoldError::Exists(path.to_path_buf()) } else { io(e) })
}

/// YAML double-quoted string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
}

/// The front matter and a placeholder body of a new article.
pub fn article_text(title: &str, now: chrono::DateTime<chrono::FixedOffset>) -> String {
    format!(
        "---\ntitle: {}\ndate: {}\n# summary: \"One sentence for lists and feeds\"\ntopics: []\nentities: []\n# author: \"\"\ndraft: true\n---\n\n",
        quoted(title),
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    )
}

/// Create `content/<lang>/<slug>.md`; returns its path.
pub fn new_article(config: &Config, lang: &str, title: &str) -> Result<PathBuf, ScaffoldError> {
    if config.language(lang).is_none() {
        let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(ScaffoldError::UnknownLanguage(lang.to_string(), known.join(", ")));
    }
    let path = config.content_dir().join(lang).join(format!("{}.md", slugify(title, "article")));
    let now = chrono::Local::now().fixed_offset();
    write_new(&path, &article_text(title, now))?;
    Ok(path)
}

const SITE_YAML: &str = r#"# nashra site configuration: see the README for every field.
title: { ar: "نشرتي", en: "My digest" }
description: { ar: "نشرة أخبار ثنائية اللغة", en: "A bilingual news digest" }
base_url: "https://example.org"
default_language: ar
languages:
  ar: { name: "العربية", numerals: arab }   # dir defaults to rtl for Arabic
  en: { name: "English" }
theme: default
paginate: 20
"#;

const TOPICS_YAML: &str = "# Topics: id: { <lang>: label }\nnews: { ar: \"أخبار\", en: \"News\" }\n";

const ENTITIES_YAML: &str = r#"# Entities: people, organizations, places, events.
nashra:
  kind: other
  names: { ar: "نشرة", en: "nashra" }
"#;

const WELCOME_AR: &str = "---\ntitle: \"مرحبًا بكم في نشرتكم\"\ndate: 2026-01-01\ntopics: [news]\nentities: [nashra]\n---\n\nهذه أول مقالة في موقعكم. عدّلوها أو احذفوها، ثم أضيفوا مقالاتكم في `content/ar/`.\n";

const WELCOME_EN: &str = "---\ntitle: \"Welcome to your digest\"\ndate: 2026-01-01\ntopics: [news]\nentities: [nashra]\n---\n\nThis is the first article of your site. Edit or delete it, then add your own in `content/en/`.\n";

/// Scaffold a new site in `dir` (which must not exist or be empty).
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let files = [
        ("site.yaml", SITE_YAML),
        ("content/topics.yaml", TOPICS_YAML),
        ("content/entities.yaml", ENTITIES_YAML),
        ("content/ar/welcome.md", WELCOME_AR),
        ("content/en/welcome.md", WELCOME_EN),
        (".gitignore", "/public\n"),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        write_new(&p, text)?;
        written.push(p);
    }
    let static_dir = dir.join("static");
    std::fs::create_dir_all(&static_dir).map_err(|source| ScaffoldError::Io { path: static_dir.clone(), source })?;
    Ok(written)
}
