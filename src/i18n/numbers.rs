//! Numbers for the i18n module: digits and grouping through ICU4X `icu_decimal`,
//! CLDR plural categories through ICU4X `icu_plurals`.
//!
//! ICU4X formatters are not `Send`/`Sync` without the `sync` feature of
//! `icu_provider`, so `NumberStyle` keeps only the (thread-safe) locale and builds
//! a formatter or rule set per call: with compiled data that costs about a
//! microsecond, less than a cache would be worth.

use std::str::FromStr;

use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralOperands, PluralRuleType, PluralRules};

/// How one language writes numbers, e.g. the locale `ar-u-nu-arab`.
#[derive(Debug, Clone)]
pub(crate) struct NumberStyle {
    locale: Locale,
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
        Ok(NumberStyle { locale })
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
        let mut options = DecimalFormatterOptions::default();
        if !grouping {
            options.grouping_strategy = Some(GroupingStrategy::Never);
        }
        match DecimalFormatter::try_new((&self.locale).into(), options) {
            Ok(f) => f.format(&Decimal::from(n)).to_string(),
            Err(_) => n.to_string(),
        }
    }

    /// CLDR plural category of `operands` (cardinal, or ordinal when `ordinal`).
    pub(crate) fn category(&self, operands: PluralOperands, ordinal: bool) -> &'static str {
        let kind = if ordinal { PluralRuleType::Ordinal } else { PluralRuleType::Cardinal };
        match PluralRules::try_new((&self.locale).into(), kind.into()) {
            Ok(rules) => category_str(rules.category_for(operands)),
            Err(_) => "other",
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
