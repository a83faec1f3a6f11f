//! Loading `.ftl` sources for the i18n module: parse with `fluent-syntax`, report
//! syntax errors as diagnostics, merge sources message by message (later wins),
//! and rewrite plural selectors so that Fluent never chooses a plural category itself.
//!
//! Why the rewrite: `fluent-bundle` 0.16 selects plural variants with
//! `intl_pluralrules` 7, which is wrong for Arabic from 100 up (103 → other
//! instead of few). Every select expression on a variable, `{ $n -> … }` or
//! `{ NUMBER($n) -> … }`, gets a synthetic selector variable of its own
//! (`n__nashra3`), and its numeric keys (`[0]`) become identifier keys
//! (`[nashra-exact-0]`). At format time `Lang::selector_value` hands Fluent the
//! exact key or the CLDR category from `icu_plurals` as a *string*, so Fluent
//! only compares strings. Selects on number literals are decided here, at load.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use fluent_syntax::ast::{
    CallArguments, Entry, Expression, Identifier, InlineExpression, Pattern, PatternElement,
    Resource, VariantKey,
};
use fluent_syntax::parser::{self, ErrorKind};

use super::numbers::NumberStyle;
use crate::diag::Diagnostic;

/// Identifier keys that replace numeric variant keys start with this.
pub(crate) const EXACT_PREFIX: &str = "nashra-exact-";
/// Deeper nesting of `{` / `(` is refused before parsing (the parser recurses).
const MAX_DEPTH: usize = 64;

/// One rewritten select expression.
#[derive(Debug)]
pub(crate) struct Selector {
    /// The synthetic variable Fluent now selects on.
    pub name: String,
    /// The variable the `.ftl` author selected on.
    pub source: String,
    pub ordinal: bool,
    /// Value of each numeric key, and the identifier key that replaced it.
    pub exact: Vec<(f64, String)>,
}

/// One language's sources merged into one Fluent resource.
pub(crate) struct Merged {
    pub ftl: String,
    pub selectors: Vec<Selector>,
    /// Message id → indexes into `selectors` used by it or by messages it references.
    pub by_message: HashMap<String, Vec<usize>>,
}

/// Parse `sources` (in override order), push syntax errors to `errors` and
/// in-file duplicate definitions to `warnings`, and merge what parsed.
pub(crate) fn load(
    sources: &[(PathBuf, String)],
    numbers: &NumberStyle,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Merged {
    let mut body: Vec<Entry<String>> = Vec::new();
    let mut index: HashMap<(bool, String), usize> = HashMap::new();
    for (path, text) in sources {
        if let Some(offset) = too_deep(text) {
            errors.push(
                Diagnostic::error(
                    path,
                    format!("placeables nested more than {MAX_DEPTH} levels deep"),
                )
                .at_offset(text, offset)
                .with_hint("simplify the message; nesting this deep is almost certainly a typo"),
            );
            continue;
        }
        let resource = match parser::parse(text.clone()) {
            Ok(r) => r,
            Err((r, errs)) => {
                for e in errs {
                    errors.push(
                        Diagnostic::error(
                            path,
                            format!("invalid Fluent syntax: {}", lower_first(&e.kind.to_string())),
                        )
                        .at_offset(text, visible_offset(text, e.pos.start))
                        .with_hint(hint(&e.kind)),
                    );
                }
                r
            }
        };
        let mut seen: HashMap<(bool, String), usize> = HashMap::new();
        for mut entry in resource.body {
            let key = match &mut entry {
                Entry::Message(m) => {
                    m.comment = None;
                    (false, m.id.name.clone())
                }
                Entry::Term(t) => {
                    t.comment = None;
                    (true, t.id.name.clone())
                }
                _ => continue,
            };
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                let shown = if key.0 { format!("-{}", key.1) } else { key.1.clone() };
                let msg =
                    format!("`{shown}` is defined more than once in this file; the last one wins");
                let mut d = Diagnostic::warning(path, msg);
                if let Some(off) = nth_definition(text, &shown, *count) {
                    d = d.at_offset(text, off);
                }
                warnings.push(d.with_hint("remove or rename one of the definitions"));
            }
            match index.get(&key) {
                // `index` only holds positions already pushed to `body`.
                Some(&i) => body[i] = entry,
                None => {
                    index.insert(key, body.len());
                    body.push(entry);
                }
            }
        }
    }
    rewrite(body, numbers)
}

fn rewrite(mut body: Vec<Entry<String>>, numbers: &NumberStyle) -> Merged {
    let mut selectors = Vec::new();
    let mut own: HashMap<String, (Vec<usize>, Vec<String>)> = HashMap::new();
    for entry in &mut body {
        let in_term = matches!(entry, Entry::Term(_));
        let mut rw = Rewriter {
            selectors: &mut selectors,
            numbers,
            in_term,
            own: Vec::new(),
            refs: Vec::new(),
        };
        match entry {
            Entry::Message(m) => {
                if let Some(v) = &mut m.value {
                    rw.pattern(v);
                }
                for a in &mut m.attributes {
                    rw.pattern(&mut a.value);
                }
                let (o, r) = (rw.own, rw.refs);
                own.insert(m.id.name.clone(), (o, r));
            }
            Entry::Term(t) => {
                rw.pattern(&mut t.value);
                for a in &mut t.attributes {
                    rw.pattern(&mut a.value);
                }
            }
            _ => {}
        }
    }
    let mut by_message = HashMap::new();
    for id in own.keys() {
        let mut found = Vec::new();
        let mut visited = HashSet::new();
        let mut stack = vec![id.as_str()];
        while let Some(cur) = stack.pop() {
            if !visited.insert(cur) {
                continue;
            }
            if let Some((o, r)) = own.get(cur) {
                found.extend_from_slice(o);
                stack.extend(r.iter().map(String::as_str));
            }
        }
        by_message.insert(id.clone(), found);
    }
    let ftl = fluent_syntax::serializer::serialize(&Resource { body });
    Merged { ftl, selectors, by_message }
}

struct Rewriter<'a> {
    selectors: &'a mut Vec<Selector>,
    numbers: &'a NumberStyle,
    in_term: bool,
    own: Vec<usize>,
    refs: Vec<String>,
}

impl Rewriter<'_> {
    fn pattern(&mut self, p: &mut Pattern<String>) {
        for el in &mut p.elements {
            if let PatternElement::Placeable { expression } = el {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, e: &mut Expression<String>) {
        let (selector, variants) = match e {
            Expression::Inline(i) => return self.inline(i),
            Expression::Select { selector, variants } => (selector, variants),
        };
        let (var, literal, ordinal) = select_source(selector);
        let dynamic = var.is_some() && !self.in_term;
        if dynamic || literal.is_some() {
            let mut exact = Vec::new();
            for (i, v) in variants.iter_mut().enumerate() {
                if let VariantKey::NumberLiteral { value } = &v.key {
                    let key = format!("{EXACT_PREFIX}{i}");
                    if let Ok(x) = value.parse::<f64>() {
                        exact.push((x, key.clone()));
                    }
                    v.key = VariantKey::Identifier { name: key };
                }
            }
            if let Some(lit) = literal {
                // Decided now: `{ 3 -> … }` cannot change at format time.
                let chosen =
                    match lit.parse::<f64>().ok().and_then(|x| exact.iter().find(|(k, _)| *k == x))
                    {
                        Some((_, key)) => key.clone(),
                        None => self.numbers.category_of_literal(&lit, ordinal).to_string(),
                    };
                *selector = InlineExpression::StringLiteral { value: chosen };
            } else if let Some(source) = var {
                let name = format!("{source}__nashra{}", self.selectors.len());
                *selector =
                    InlineExpression::VariableReference { id: Identifier { name: name.clone() } };
                self.own.push(self.selectors.len());
                self.selectors.push(Selector { name, source, ordinal, exact });
            }
        } else {
            self.inline(selector);
        }
        for v in variants {
            self.pattern(&mut v.value);
        }
    }

    fn inline(&mut self, e: &mut InlineExpression<String>) {
        // `NUMBER($n)` as a placeable: `$n` already arrives formatted.
        if let (Some(var), None, _) = select_source(e) {
            if matches!(e, InlineExpression::FunctionReference { .. }) {
                *e = InlineExpression::VariableReference { id: Identifier { name: var } };
                return;
            }
        }
        match e {
            InlineExpression::FunctionReference { arguments, .. } => self.arguments(arguments),
            InlineExpression::MessageReference { id, .. } => self.refs.push(id.name.clone()),
            InlineExpression::TermReference { arguments: Some(arguments), .. } => {
                // Term arguments reach Fluent as strings, so no selector inside a
                // term ever sees a number (the plural path we avoid).
                for named in &mut arguments.named {
                    if let InlineExpression::NumberLiteral { value } = &named.value {
                        named.value = InlineExpression::StringLiteral { value: value.clone() };
                    }
                }
                self.arguments(arguments);
            }
            InlineExpression::Placeable { expression } => self.expression(expression),
            _ => {}
        }
    }

    fn arguments(&mut self, args: &mut CallArguments<String>) {
        for a in &mut args.positional {
            self.inline(a);
        }
        for n in &mut args.named {
            self.inline(&mut n.value);
        }
    }
}

/// What a selector selects on: (`$variable`, number literal, ordinal?).
fn select_source(sel: &InlineExpression<String>) -> (Option<String>, Option<String>, bool) {
    match sel {
        InlineExpression::VariableReference { id } => (Some(id.name.clone()), None, false),
        InlineExpression::NumberLiteral { value } => (None, Some(value.clone()), false),
        InlineExpression::FunctionReference { id, arguments } if id.name == "NUMBER" => {
            let ordinal = arguments.named.iter().any(|n| {
                n.name.name == "type"
                    && matches!(&n.value, InlineExpression::StringLiteral { value } if value == "ordinal")
            });
            match arguments.positional.as_slice() {
                [InlineExpression::VariableReference { id }] => {
                    (Some(id.name.clone()), None, ordinal)
                }
                [InlineExpression::NumberLiteral { value }] => (None, Some(value.clone()), ordinal),
                _ => (None, None, false),
            }
        }
        _ => (None, None, false),
    }
}

/// Byte offset where `{`/`(` nesting first exceeds `MAX_DEPTH`. String literals
/// are skipped; a `"` opens one only where an expression can start.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev = ' ';
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '(' if c == '{' || depth > 0 => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            '}' | ')' if depth > 0 => depth -= 1,
            '"' if depth > 0 && matches!(prev, '{' | '(' | ',' | ':') => {
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' | '\n' if !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            _ => {}
        }
        if !c.is_whitespace() {
            prev = c;
        }
    }
    None
}

/// Offset of the `n`th line (1-based) that defines `id` (`id =` at column 1).
fn nth_definition(text: &str, id: &str, n: usize) -> Option<usize> {
    let mut offset = 0;
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(id) {
            if rest.trim_start_matches([' ', '\t']).starts_with('=') {
                count += 1;
                if count == n {
                    return Some(offset);
                }
            }
        }
        offset += line.len();
    }
    None
}

/// `offset`, moved back from the very end of the file onto its last line so that
/// the diagnostic can show that line.
fn visible_offset(text: &str, offset: usize) -> usize {
    if offset < text.len() {
        return offset;
    }
    text.trim_end_matches(['\n', '\r']).len()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn hint(kind: &ErrorKind) -> &'static str {
    use ErrorKind as K;
    match kind {
        K::MissingDefaultVariant => "mark the fallback variant with `*`: `*[other] { $n } items`",
        K::MultipleDefaultVariants => "only one variant may start with `*`",
        K::ExpectedMessageField { .. } | K::ExpectedTermField { .. } | K::MissingValue => {
            "write `id = text`; a value continued on the next lines must be indented"
        }
        K::UnterminatedStringLiteral => "close the string literal with `\"` on the same line",
        K::UnbalancedClosingBrace => "write a literal brace in text as `{ \"}\" }`",
        K::UnknownEscapeSequence(_) | K::InvalidUnicodeEscapeSequence(_) => {
            "string literals accept only `\\\\`, `\\\"`, `\\uXXXX` and `\\UXXXXXX`"
        }
        K::ExpectedSimpleExpressionAsSelector
        | K::MessageReferenceAsSelector
        | K::TermReferenceAsSelector
        | K::MessageAttributeAsSelector => "select on a variable: `{ $count -> … }`",
        _ => {
            "a message is `id = text` with an id starting with a letter; variables are \
             written `{ $name }`; continuation lines are indented"
        }
    }
}
