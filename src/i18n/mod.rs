//! i18n: the site's UI strings, in Project Fluent, for every configured language.
//!
//! This module owns: loading the embedded `i18n/<lang>.ftl` files and a site's own
//! (which override them message by message); reporting `.ftl` syntax errors as
//! `path:line:col` diagnostics; formatting messages without bidi isolation marks,
//! with numbers in the language's numerals (ICU4X `icu_decimal`) and plural variants
//! chosen by the correct CLDR category (ICU4X `icu_plurals`, working around
//! fluent-bundle's Arabic plural bug, see `load`); localized long dates; and each
//! language's default text direction.

mod lang;
mod load;
mod numbers;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;

use chrono::Datelike;
use icu_plurals::PluralOperands;
use unic_langid::LanguageIdentifier;

use crate::diag::Diagnostic;
use lang::Lang;
use numbers::NumberStyle;

/// Message ids the default theme uses (docs/themes.md); every shipped `.ftl` defines them.
#[rustfmt::skip]
pub const REQUIRED_IDS: &[&str] = &[
    "site-nav-label", "nav-home", "nav-topics", "nav-entities", "skip-to-content",
    "language-switch-label", "translation-missing", "published-on", "updated-on", "byline",
    "reading-time", "article-count", "topics-title", "entities-title", "topics-in-article",
    "entities-in-article", "entity-kind-person", "entity-kind-organization", "entity-kind-place",
    "entity-kind-event", "entity-kind-other", "entity-group-person", "entity-group-organization",
    "entity-group-place", "entity-group-event", "entity-group-other", "no-articles-in-language",
    "other-languages", "latest-heading", "pagination-label", "pagination-newer",
    "pagination-older", "pagination-page", "not-found-title", "not-found-body", "back-home",
    "footer-built-with", "date-long", "month-1", "month-2", "month-3", "month-4", "month-5",
    "month-6", "month-7", "month-8", "month-9", "month-10", "month-11", "month-12",
    "related-articles", "nav-search", "search-title", "search-label", "search-button",
    "search-needs-js", "search-loading", "search-error", "search-no-results", "search-more",
];

/// The Arabic UI strings embedded in the binary.
pub const EMBEDDED_AR: &str = include_str!("../../i18n/ar.ftl");
/// The English UI strings embedded in the binary.
pub const EMBEDDED_EN: &str = include_str!("../../i18n/en.ftl");

/// The embedded `.ftl` text for `code` (`ar`, `en`), if nashra ships one.
pub fn embedded_ftl(code: &str) -> Option<&'static str> {
    match code {
        "ar" => Some(EMBEDDED_AR),
        "en" => Some(EMBEDDED_EN),
        _ => None,
    }
}

/// Default text direction of a language code: `"rtl"` for Arabic, Persian, Hebrew,
/// Urdu, Pashto, Sindhi, Uyghur, Yiddish, Dhivehi and Sorani (with any region, e.g.
/// `ar-EG`), or for any code whose script subtag is right-to-left (`az-Arab`);
/// `"ltr"` otherwise, including for a left-to-right script subtag (`sd-Deva`).
pub fn default_dir(code: &str) -> &'static str {
    const RTL_SCRIPTS: &[&str] =
        &["arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"];
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or_default().to_ascii_lowercase();
    if let Some(script) =
        parts.next().filter(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
    {
        let script = script.to_ascii_lowercase();
        return if RTL_SCRIPTS.contains(&script.as_str()) { "rtl" } else { "ltr" };
    }
    match primary.as_str() {
        "ar" | "fa" | "he" | "iw" | "ur" | "ps" | "sd" | "ug" | "yi" | "ji" | "dv" | "ckb" => "rtl",
        _ => "ltr",
    }
}

/// One configured language, as `site.yaml` declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangSpec {
    pub code: String,
    /// Numbering system: `"arab"` (Arabic-Indic digits), `"latn"`, or `None` for the
    /// locale's default.
    pub numerals: Option<String>,
}

/// An argument to a message: text, or a number (formatted and plural-selected per language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}
impl From<i32> for Arg {
    fn from(n: i32) -> Self {
        Arg::Num(n.into())
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Num(n.into())
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Every language's messages; cheap to share across threads.
pub struct I18n {
    default_lang: String,
    default_numbers: NumberStyle,
    langs: BTreeMap<String, Lang>,
    /// Messages asked for without arguments (labels, headings: a dozen per
    /// page), formatted once: language → id → text.
    plain: std::sync::RwLock<HashMap<String, HashMap<String, String>>>,
    /// Messages asked for with arguments, and dates, formatted once: the
    /// same few ("3 minutes to read", a template's placeholder, a day) come
    /// back page after page. By [`memo_key`]; at most [`MEMO_MAX`] of them.
    formatted: std::sync::RwLock<crate::normalize::hash::WordMap<String>>,
}

/// How many formatted messages [`I18n`] keeps at most: a theme may pass
/// every article's own text, which would not come back.
const MEMO_MAX: usize = 1 << 16;

/// The key of a message formatted in `lang` with `args`: the same for the
/// same arguments in any order, different for a number and the same digits
/// as text (their plural forms differ). Every text is written after its
/// length, so no two lists of arguments make one key.
fn memo_key(lang: &str, id: &str, args: &[(&str, Arg)]) -> String {
    use std::fmt::Write;
    let mut sorted: Vec<&(&str, Arg)> = args.iter().collect();
    sorted.sort_by_key(|(name, _)| *name);
    let mut key = String::with_capacity(lang.len() + id.len() + 16 * args.len() + 8);
    let _ = write!(key, "{}:{lang}{}:{id}", lang.len(), id.len());
    for (name, arg) in sorted {
        let _ = match arg {
            Arg::Num(n) => write!(key, "{}:{name}#{n};", name.len()),
            Arg::Str(s) => write!(key, "{}:{name}{}:{s}", name.len(), s.len()),
        };
    }
    key
}

// Tera functions and rayon workers share one `I18n`.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<I18n>();
};

impl fmt::Debug for I18n {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("I18n")
            .field("default_lang", &self.default_lang)
            .field("langs", &self.langs.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl I18n {
    /// Build every language's messages. `sources[lang]` lists (path, ftl text) in
    /// override order: the embedded default first, then the site's own file.
    /// `default_lang` provides messages missing in other languages.
    ///
    /// Errors: every `.ftl` syntax error at `path:line:col`, malformed language
    /// codes or numbering systems (reported against `site.yaml`), and a default
    /// language that is not configured. Warnings: a message defined twice in one
    /// file, and `.ftl` sources for a language that is not configured. (Ids a language
    /// lacks are reported by the caller through [`I18n::missing_ids`].)
    pub fn new(
        langs: &[LangSpec],
        default_lang: &str,
        sources: &BTreeMap<String, Vec<(PathBuf, String)>>,
    ) -> Result<(I18n, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let config = PathBuf::from("site.yaml");
        let mut out = BTreeMap::new();
        for spec in langs {
            let langid: LanguageIdentifier = match spec.code.parse() {
                Ok(l) => l,
                Err(e) => {
                    errors.push(
                        Diagnostic::error(
                            &config,
                            format!("`{}` is not a valid language code: {e}", spec.code),
                        )
                        .with_hint("use a BCP 47 code such as `ar`, `en`, `fr` or `ar-EG`"),
                    );
                    continue;
                }
            };
            let numbers = match NumberStyle::new(&langid.to_string(), spec.numerals.as_deref()) {
                Ok(n) => n,
                Err(e) => {
                    errors.push(
                        Diagnostic::error(
                            &config,
                            format!("numerals of language `{}`: {e}", spec.code),
                        )
                        .with_hint(
                            "use `numerals: arab` (Arabic-Indic digits) or `numerals: latn`",
                        ),
                    );
                    continue;
                }
            };
            let srcs = sources.get(&spec.code).map(Vec::as_slice).unwrap_or_default();
            let merged = load::load(srcs, &numbers, &mut errors, &mut warnings);
            match Lang::new(&spec.code, langid, numbers, merged) {
                Ok(lang) => {
                    out.insert(spec.code.clone(), lang);
                }
                Err(problems) => errors.extend(problems.into_iter().map(|p| {
                    let path = format!("i18n/{}.ftl", spec.code);
                    Diagnostic::error(path, format!("internal error preparing messages: {p}"))
                        .with_hint("please report this as a nashra bug, with the .ftl files")
                })),
            }
        }
        for (code, srcs) in sources {
            if !langs.iter().any(|l| &l.code == code) {
                if let Some((path, _)) = srcs.last() {
                    let msg =
                        format!("language `{code}` is not configured; these messages are ignored");
                    let hint =
                        format!("add `{code}` under `languages:` in site.yaml, or remove the file");
                    warnings.push(Diagnostic::warning(path, msg).with_hint(hint));
                }
            }
        }
        let default_numbers = match out.get(default_lang) {
            Some(l) => Some(l.numbers.clone()),
            None => {
                if !langs.iter().any(|l| l.code == default_lang) {
                    let msg = format!("default language `{default_lang}` is not configured");
                    let hint = "add it under `languages:` or change `default_language:`";
                    errors.push(Diagnostic::error(&config, msg).with_hint(hint));
                }
                None
            }
        };
        match default_numbers {
            Some(default_numbers) if errors.is_empty() => Ok((
                I18n { default_lang: default_lang.to_string(), default_numbers, langs: out, plain: Default::default(), formatted: Default::default() },
                warnings,
            )),
            _ => Err(errors),
        }
    }

    /// The default (fallback) language's code.
    pub fn default_lang(&self) -> &str {
        &self.default_lang
    }

    /// Configured language codes, sorted.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.langs.keys().map(String::as_str)
    }

    /// Format message `id` (or `id.attribute`) in `lang`, falling back to the default
    /// language's message. Errors: unknown language, message missing everywhere,
    /// missing variable, or any other Fluent resolver error.
    pub fn t(&self, lang: &str, id: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        if !args.is_empty() {
            let key = memo_key(lang, id, args);
            return self.memo(key, || self.provider(lang, id)?.format(id, args));
        }
        let read = |m: &HashMap<String, HashMap<String, String>>| m.get(lang).and_then(|l| l.get(id)).cloned();
        if let Some(text) = read(&self.plain.read().unwrap_or_else(std::sync::PoisonError::into_inner)) {
            return Ok(text);
        }
        let text = self.provider(lang, id)?.format(id, args)?;
        self.plain.write().unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(lang.to_string()).or_default().insert(id.to_string(), text.clone());
        Ok(text)
    }

    /// Every message of `lang` (or, failing that, of the default language)
    /// that takes no variables, formatted, by id; ids holding `_` are left
    /// out, so that the ids with `-` written `_` (a template's `ui.nav_home`)
    /// name one message each. Sorted by id.
    pub fn plain_messages(&self, lang: &str) -> Vec<(String, String)> {
        let ids_of = |code: &str| self.langs.get(code).map(|l| l.ids.iter()).into_iter().flatten();
        let mut ids: Vec<&String> = ids_of(lang).chain(ids_of(&self.default_lang)).filter(|id| !id.contains('_')).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().filter_map(|id| Some((id.clone(), self.t(lang, id, &[]).ok()?))).collect()
    }

    /// Whether `lang` itself (not the fallback) defines `id` (or `id.attribute`) with a value.
    pub fn has_message(&self, lang: &str, id: &str) -> bool {
        self.langs.get(lang).is_some_and(|l| l.has(id))
    }

    /// `n` in `lang`'s numerals with its grouping: `١٬٢٣٤` with `numerals: arab`,
    /// `1,234` for en.
    pub fn format_number(&self, lang: &str, n: i64) -> String {
        self.numbers(lang).format(n)
    }

    /// CLDR cardinal plural category of `n` in `lang`: zero, one, two, few, many or other.
    pub fn plural_category(&self, lang: &str, n: u64) -> &'static str {
        self.numbers(lang).category(PluralOperands::from(n), false)
    }

    /// Localized long date from the messages `date-long` (`$day`, `$month`, `$year`) and
    /// `month-1`…`month-12`, e.g. `٤ يناير ٢٠٢٦` or `4 January 2026`. The year has
    /// no grouping.
    pub fn format_date(&self, lang: &str, date: chrono::NaiveDate) -> Result<String, String> {
        // not a message id: ids do not start with a space
        let key = memo_key(lang, " date", &[("day", Arg::Num(date.num_days_from_ce().into()))]);
        self.memo(key, || self.format_date_afresh(lang, date))
    }

    fn format_date_afresh(&self, lang: &str, date: chrono::NaiveDate) -> Result<String, String> {
        let l = self.provider(lang, "date-long")?;
        let month = self.t(&l.code, &format!("month-{}", date.month()), &[])?;
        let year = l.numbers.format_plain(i64::from(date.year()));
        let day = i64::from(date.day());
        l.format(
            "date-long",
            &[("day", Arg::Num(day)), ("month", Arg::Str(month)), ("year", Arg::Str(year))],
        )
    }

    /// The text kept under `key`, else what `format` makes (kept, unless an error).
    fn memo(&self, key: String, format: impl FnOnce() -> Result<String, String>) -> Result<String, String> {
        let kept = self.formatted.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key).cloned();
        if let Some(text) = kept {
            return Ok(text);
        }
        let text = format()?;
        let mut formatted = self.formatted.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if formatted.len() < MEMO_MAX {
            formatted.insert(key, text.clone());
        }
        Ok(text)
    }

    /// The ids in `required` that `lang` does not define itself (they fall back).
    pub fn missing_ids(&self, lang: &str, required: &[&str]) -> Vec<String> {
        required.iter().filter(|id| !self.has_message(lang, id)).map(|id| id.to_string()).collect()
    }

    fn numbers(&self, lang: &str) -> &NumberStyle {
        self.langs.get(lang).map_or(&self.default_numbers, |l| &l.numbers)
    }

    /// The language whose message `id` a request in `lang` uses.
    fn provider(&self, lang: &str, id: &str) -> Result<&Lang, String> {
        let own = self.langs.get(lang).ok_or_else(|| format!("unknown language `{lang}`"))?;
        if own.has(id) {
            return Ok(own);
        }
        match self.langs.get(&self.default_lang) {
            Some(d) if d.has(id) => Ok(d),
            _ => Err(format!(
                "no message `{id}` in language `{lang}` nor in the default language `{}`",
                self.default_lang
            )),
        }
    }
}
