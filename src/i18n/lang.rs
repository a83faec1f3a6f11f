//! One language's compiled messages for the i18n module: formatting a message
//! with localized numbers and the plural selector values that `load` set up.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::resolver::errors::ReferenceKind;
use fluent_bundle::resolver::ResolverError;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use icu_plurals::PluralOperands;

use unic_langid::LanguageIdentifier;

use super::load::{Merged, Selector, EXACT_PREFIX};
use super::numbers::NumberStyle;
use super::Arg;

pub(crate) struct Lang {
    pub code: String,
    pub bundle: FluentBundle<FluentResource>,
    pub numbers: NumberStyle,
    pub selectors: Vec<Selector>,
    pub by_message: HashMap<String, Vec<usize>>,
    /// Ids of the messages defined (with a value or not), in file order.
    pub ids: Vec<String>,
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    }
}

impl Lang {
    /// Compile one language's merged messages. Errors can only come from nashra
    /// itself (the rewritten resource failing to re-parse or to load).
    pub(crate) fn new(
        code: &str,
        langid: LanguageIdentifier,
        numbers: NumberStyle,
        merged: Merged,
    ) -> Result<Lang, Vec<String>> {
        let resource = FluentResource::try_new(merged.ftl)
            .map_err(|(_, errs)| errs.iter().map(|e| e.kind.to_string()).collect::<Vec<_>>())?;
        let ids = resource.entries().filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        }).collect();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .map_err(|errs| errs.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        let (selectors, by_message) = (merged.selectors, merged.by_message);
        Ok(Lang { code: code.to_string(), bundle, numbers, selectors, by_message, ids })
    }

    pub(crate) fn has(&self, id: &str) -> bool {
        let (mid, attr) = split_id(id);
        match (self.bundle.get_message(mid), attr) {
            (Some(m), None) => m.value().is_some(),
            (Some(m), Some(a)) => m.get_attribute(a).is_some(),
            (None, _) => false,
        }
    }

    pub(crate) fn format(&self, id: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        let (mid, attr) = split_id(id);
        let fail = |what: &str| format!("message `{id}` ({}): {what}", self.code);
        let msg = self.bundle.get_message(mid).ok_or_else(|| fail("not defined"))?;
        let pattern = match attr {
            None => msg.value().ok_or_else(|| fail("has no value, only attributes"))?,
            Some(a) => msg.get_attribute(a).ok_or_else(|| fail("no such attribute"))?.value(),
        };
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, arg) in args {
            let value = match arg {
                Arg::Str(s) => FluentValue::from(s.as_str()),
                Arg::Num(n) => FluentValue::from(self.numbers.format(*n)),
            };
            fargs.set(*name, value);
        }
        let used = self.by_message.get(mid).map(Vec::as_slice).unwrap_or_default();
        for sel in used.iter().filter_map(|&i| self.selectors.get(i)) {
            if let Some(v) = self.selector_value(sel, args) {
                fargs.set(sel.name.as_str(), FluentValue::from(v));
            }
        }
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if errors.is_empty() {
            return Ok(text.into_owned());
        }
        let mut described: Vec<String> = Vec::new();
        for d in errors.iter().map(|e| self.describe(e)) {
            if !described.contains(&d) {
                described.push(d);
            }
        }
        Err(fail(&described.join("; ")))
    }

    /// What a rewritten selector gets: the exact numeric key that equals the number,
    /// else its CLDR category; a string argument is matched as itself.
    fn selector_value(&self, sel: &Selector, args: &[(&str, Arg)]) -> Option<String> {
        let (_, arg) = args.iter().rev().find(|(name, _)| *name == sel.source)?;
        Some(match arg {
            Arg::Num(n) => {
                let x = *n as f64;
                match sel.exact.iter().find(|(k, _)| *k == x) {
                    Some((_, key)) => key.clone(),
                    None => {
                        self.numbers.category(PluralOperands::from(*n), sel.ordinal).to_string()
                    }
                }
            }
            Arg::Str(s) if s.starts_with(EXACT_PREFIX) => String::new(),
            Arg::Str(s) => s.clone(),
        })
    }

    fn describe(&self, e: &FluentError) -> String {
        match e {
            FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable {
                id,
            })) => {
                let name = self
                    .selectors
                    .iter()
                    .find(|s| &s.name == id)
                    .map_or(id.as_str(), |s| s.source.as_str());
                format!("missing variable `${name}`")
            }
            FluentError::ResolverError(r) => r.to_string(),
            other => other.to_string(),
        }
    }
}
