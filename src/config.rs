//! Site configuration: `site.yaml` read into raw serde types, then validated
//! into a `Config` (languages with their direction and numerals, base URL,
//! paths). Every mistake becomes a `Diagnostic` pointing into `site.yaml`.

use crate::diag::Diagnostic;
use crate::i18n::default_dir;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A string given per language (`{ ar: "...", en: "..." }`) or once for all.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Localized {
    One(String),
    Many(BTreeMap<String, String>),
}

impl Localized {
    /// The text for `lang`, falling back to `default`, then to any language.
    pub fn get<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        match self {
            Localized::One(s) => s,
            Localized::Many(m) => m
                .get(lang)
                .or_else(|| m.get(default))
                .or_else(|| m.values().next())
                .map_or("", String::as_str),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    dir: Option<String>,
    numerals: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Localized,
    description: Option<Localized>,
    base_url: String,
    default_language: String,
    languages: serde_yaml::Mapping,
    theme: Option<String>,
    paginate: Option<usize>,
    unsafe_html: Option<bool>,
    feed_limit: Option<usize>,
    news_window_days: Option<u32>,
    link_mentions: Option<String>,
}

/// Fields `site.yaml` accepts, for "did you mean" hints.
const FIELDS: &[&str] = &[
    "title", "description", "base_url", "default_language", "languages", "theme",
    "paginate", "unsafe_html", "feed_limit", "news_window_days", "link_mentions",
];

/// `link_mentions`: which mentions of an entity in an article body link to its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMentions {
    /// The first mention of each entity (the default).
    First,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub dir: Dir,
    /// Numbering system for digits: `arab` (Arabic-Indic) or `latn`.
    pub numerals: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: Localized,
    pub description: Localized,
    /// Without trailing slash, e.g. `https://example.org/news`.
    pub base_url: String,
    /// Path part of `base_url` with a trailing slash: `/` or `/news/`.
    pub base_path: String,
    pub default_language: String,
    /// In the order `site.yaml` lists them.
    pub languages: Vec<Language>,
    pub theme: String,
    pub paginate: usize,
    pub unsafe_html: bool,
    pub feed_limit: usize,
    /// Days before the newest article that the Google News sitemap covers.
    pub news_window_days: u32,
    pub link_mentions: LinkMentions,
}

impl Config {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
    /// Replace the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base, path) = split_base_url(url)?;
        self.base_url = base;
        self.base_path = path;
        Ok(())
    }
}

pub const CONFIG_FILE: &str = "site.yaml";

/// Read and validate `<root>/site.yaml`.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = crate::content::display_path(root, Path::new(CONFIG_FILE));
    let text = match std::fs::read(root.join(CONFIG_FILE)) {
        Ok(bytes) => match crate::content::decode_text(&path, bytes) {
            Ok(t) => t,
            Err(d) => return Err(vec![d]),
        },
        Err(e) => {
            return Err(vec![Diagnostic::error(&path, format!("cannot read the site configuration: {e}"))
                .with_hint("run nashra in the site's folder, pass --root DIR, or create one with `nashra init DIR`")])
        }
    };
    parse(root, &path, &text)
}

/// Validate the text of `site.yaml` (pure; `path` is for messages).
pub fn parse(root: &Path, path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = serde_yaml::from_str(text).map_err(|e| vec![yaml_error(path, text, &e, FIELDS)])?;
    let mut errs = Vec::new();
    let at_key = |key: &str, msg: String| {
        let (line, col) = key_position(text, key);
        Diagnostic::error(path, msg).at(text, line, col)
    };

    let mut languages = Vec::new();
    for (k, v) in &raw.languages {
        let Some(code) = k.as_str() else {
            errs.push(at_key("languages", "language codes must be strings such as `ar`".into()));
            continue;
        };
        if !valid_lang_code(code) {
            errs.push(at_key(code, format!("`{code}` is not a language code")).with_hint("use a BCP 47 code such as `ar`, `en` or `fr`"));
            continue;
        }
        let lang: RawLanguage = match serde_yaml::from_value(v.clone()) {
            Ok(l) => l,
            Err(e) => {
                errs.push(at_key(code, format!("language `{code}`: {e}")).with_hint("a language is `{ name: \"...\", dir: rtl|ltr, numerals: arab|latn }`"));
                continue;
            }
        };
        let dir = match lang.dir.as_deref() {
            None => if default_dir(code) == "rtl" { Dir::Rtl } else { Dir::Ltr },
            Some("rtl") => Dir::Rtl,
            Some("ltr") => Dir::Ltr,
            Some(other) => {
                errs.push(at_key("dir", format!("unknown text direction `{other}` for `{code}`")).with_hint("use `rtl` or `ltr`"));
                Dir::Ltr
            }
        };
        if let Some(n) = lang.numerals.as_deref() {
            if n != "arab" && n != "latn" {
                errs.push(at_key("numerals", format!("unknown numerals `{n}` for `{code}`")).with_hint("use `arab` (Arabic-Indic digits) or `latn`"));
            }
        }
        languages.push(Language { code: code.to_string(), name: lang.name, dir, numerals: lang.numerals });
    }
    if languages.is_empty() && errs.is_empty() {
        errs.push(at_key("languages", "no languages are configured".into()).with_hint("add e.g. `languages: { ar: { name: \"العربية\" } }`"));
    }
    if !languages.is_empty() && !languages.iter().any(|l| l.code == raw.default_language) {
        let known: Vec<_> = languages.iter().map(|l| format!("`{}`", l.code)).collect();
        errs.push(
            at_key("default_language", format!("default language `{}` is not among the languages", raw.default_language))
                .with_hint(format!("use one of {}", known.join(", "))),
        );
    }
    let (base_url, base_path) = match split_base_url(&raw.base_url) {
        Ok(p) => p,
        Err(msg) => {
            errs.push(at_key("base_url", msg).with_hint("e.g. `base_url: \"https://example.org\"`"));
            (String::new(), "/".into())
        }
    };
    let paginate = raw.paginate.unwrap_or(20);
    if paginate == 0 {
        errs.push(at_key("paginate", "`paginate` must be at least 1".into()));
    }
    let news_window_days = raw.news_window_days.unwrap_or(2);
    if news_window_days == 0 {
        errs.push(at_key("news_window_days", "`news_window_days` must be at least 1".into())
            .with_hint("Google News takes the articles of the last two days; the default is 2"));
    }
    let link_mentions = match raw.link_mentions.as_deref() {
        None | Some("first") => LinkMentions::First,
        Some("none") => LinkMentions::None,
        Some(other) => {
            errs.push(at_key("link_mentions", format!("unknown `link_mentions` value `{other}`")).with_hint("use `first` or `none`"));
            LinkMentions::First
        }
    };
    let theme = raw.theme.unwrap_or_else(|| "default".into());
    if !crate::paths::is_safe_segment(&theme) {
        errs.push(at_key("theme", format!("theme name `{theme}` is not a plain folder name")));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title,
        description: raw.description.unwrap_or(Localized::One(String::new())),
        base_url,
        base_path,
        default_language: raw.default_language,
        languages,
        theme,
        paginate,
        unsafe_html: raw.unsafe_html.unwrap_or(false),
        feed_limit: raw.feed_limit.unwrap_or(20),
        news_window_days,
        link_mentions,
    })
}

fn valid_lang_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 35
        && code.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// `https://example.org/news/` → (`https://example.org/news`, `/news/`).
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("base_url `{url}` has no valid host"));
    }
    let path = if path.is_empty() { "/".to_string() } else { format!("/{path}/") };
    Ok((url.to_string(), path))
}

/// 1-based line and column of the first `key:` in a YAML text (1, 1 if absent).
pub fn key_position(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.chars().count() - trimmed.chars().count();
        for prefix in [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")] {
            if trimmed.starts_with(&prefix) {
                return (i + 1, indent + 1);
            }
        }
        // flow mappings: `{ ar: ..., key: ... }`
        if let Some(pos) = line.find(&format!(" {key}:")).or_else(|| line.find(&format!("{{{key}:"))) {
            return (i + 1, line[..pos].chars().count() + 2);
        }
    }
    (1, 1)
}

/// Turn a serde_yaml error into a diagnostic at its position in `text`,
/// with a "did you mean" hint for unknown fields.
pub fn yaml_error(path: &Path, text: &str, e: &serde_yaml::Error, fields: &[&str]) -> Diagnostic {
    let msg = e.to_string();
    // serde_yaml appends " at line L column C"; we print the position ourselves.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let mut d = Diagnostic::error(path, msg.clone());
    if let Some(loc) = e.location() {
        // an error found at the end of the text (an unclosed `[`, `{` or quote)
        // belongs to the last line that has something on it
        let last = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).last();
        d = match last {
            Some((i, l)) if loc.line() > i + 1 => d.at(text, i + 1, l.chars().count() + 1),
            _ => d.at(text, loc.line(), loc.column()),
        };
    }
    if let Some(field) = msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
        if let Some(best) = crate::suggest::closest(field, fields.iter().copied()).first() {
            d = d.with_hint(format!("did you mean `{best}`?"));
        }
    } else if msg.starts_with("missing field") {
        d = d.with_hint("add the field; see the README for the format");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<Config, Vec<Diagnostic>> {
        parse(Path::new("."), Path::new("site.yaml"), text)
    }

    const GOOD: &str = "title: { ar: \"نشرة\", en: \"Nashra\" }\nbase_url: \"https://example.org/news/\"\ndefault_language: ar\nlanguages:\n  ar: { name: \"العربية\", numerals: arab }\n  en: { name: \"English\" }\n";

    #[test]
    fn directions_default_from_the_code_and_order_is_kept() {
        let c = cfg(GOOD).unwrap();
        assert_eq!(c.languages[0].code, "ar");
        assert_eq!(c.languages[0].dir, Dir::Rtl);
        assert_eq!(c.languages[1].dir, Dir::Ltr);
        assert_eq!(c.base_url, "https://example.org/news");
        assert_eq!(c.base_path, "/news/");
        assert_eq!(c.paginate, 20);
    }

    #[test]
    fn default_language_must_be_configured() {
        let errs = cfg(&GOOD.replace("default_language: ar", "default_language: fr")).unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].message.contains("`fr`"));
    }

    #[test]
    fn unknown_field_suggests_the_nearest() {
        let errs = cfg(&format!("{GOOD}paginat: 3\n")).unwrap_err();
        assert_eq!(errs[0].line, 7);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `paginate`?"));
    }

    #[test]
    fn link_mentions_is_first_or_none() {
        assert_eq!(cfg(GOOD).unwrap().link_mentions, LinkMentions::First);
        assert_eq!(cfg(&format!("{GOOD}link_mentions: none\n")).unwrap().link_mentions, LinkMentions::None);
        let errs = cfg(&format!("{GOOD}link_mentions: all\n")).unwrap_err();
        assert_eq!(errs[0].line, 7);
        assert!(errs[0].hint.as_deref().unwrap().contains("first"));
    }

    #[test]
    fn bad_dir_is_an_error_at_its_line() {
        let errs = cfg(&GOOD.replace("numerals: arab", "dir: up")).unwrap_err();
        assert_eq!(errs[0].line, 5);
        assert!(errs[0].message.contains("`up`"));
    }
}
