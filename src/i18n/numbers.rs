//! Numbers for the i18n module: digits and grouping through ICU4X `icu_decimal`,
//! CLDR plural categories through ICU4X `icu_plurals`.
//!
//! The formatters and plural rules are built once per language (with the `sync`
//! feature of `icu_provider` they are `Send + Sync`) and shared by every page:
//! building them per call showed up in profiles of large sites.

use std::str::FromStr;
use std::sync::Arc;

use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralOperands, PluralRuleType, PluralRules};

/// How one language writes numbers, e.g. the locale `ar-u-nu-arab`.
#[derive(Debug, Clone)]
pub(crate) struct NumberStyle {
    inner: Arc<Formatters>,
}

/// One locale's ICU4X formatters; `None` where ICU has no data for it.
#[derive(Debug)]
struct Formatters {
    grouped: Option<DecimalFormatter>,
    plain: Option<DecimalFormatter>,
    cardinal: Option<PluralRules>,
    ordinal: Option<PluralRules>,
}

impl NumberStyle {
    /// `lang` is a well-formed BCP 47 tag; `numerals` a numbering system such as
    /// `arab` or `latn`. Returns a description of the problem when the pair does
    /// not make a locale.
    pub(crate) fn new(lang: &str, numerals: Option<&str>) -> Result<Self, String> {
        let mut tag = lang.to_string();
        if let Some(nu) = numerals {
            let valid =
                (3..=8).contains(&nu.len()) && nu.bytes().all(|b| b.is_ascii_alphanumeric());
            if !valid {
                return Err(format!("`{nu}` is not a numbering system"));
            }
            tag.push_str("-u-nu-");
            tag.push_str(&nu.to_ascii_lowercase());
        }
        let locale = Locale::from_str(&tag)
            .map_err(|e| format!("`{tag}` is not a locale ICU understands: {e}"))?;
        let decimal = |grouping: Option<GroupingStrategy>| {
            let mut options = DecimalFormatterOptions::default();
            options.grouping_strategy = grouping;
            DecimalFormatter::try_new((&locale).into(), options).ok()
        };
        let rules = |kind: PluralRuleType| PluralRules::try_new((&locale).into(), kind.into()).ok();
        Ok(NumberStyle {
            inner: Arc::new(Formatters {
                grouped: decimal(None),
                plain: decimal(Some(GroupingStrategy::Never)),
                cardinal: rules(PluralRuleType::Cardinal),
                ordinal: rules(PluralRuleType::Ordinal),
            }),
        })
    }

    /// `n` with the language's digits and grouping separators (`١٬٢٣٤` / `1,234`).
    pub(crate) fn format(&self, n: i64) -> String {
        self.format_with(n, true)
    }

    /// `n` with the language's digits and no grouping (years: `٢٠٢٦`).
    pub(crate) fn format_plain(&self, n: i64) -> String {
        self.format_with(n, false)
    }

    fn format_with(&self, n: i64, grouping: bool) -> String {
        let f = if grouping { &self.inner.grouped } else { &self.inner.plain };
        match f {
            Some(f) => f.format(&Decimal::from(n)).to_string(),
            None => n.to_string(),
        }
    }

    /// CLDR plural category of `operands` (cardinal, or ordinal when `ordinal`).
    pub(crate) fn category(&self, operands: PluralOperands, ordinal: bool) -> &'static str {
        let rules = if ordinal { &self.inner.ordinal } else { &self.inner.cardinal };
        match rules {
            Some(rules) => category_str(rules.category_for(operands)),
            None => "other",
        }
    }

    /// Plural category of a number literal written in an `.ftl` file (`1`, `-2`, `1.5`).
    pub(crate) fn category_of_literal(&self, literal: &str, ordinal: bool) -> &'static str {
        match Decimal::from_str(literal) {
            Ok(d) => self.category(PluralOperands::from(&d), ordinal),
            Err(_) => "other",
        }
    }
}

fn category_str(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}
