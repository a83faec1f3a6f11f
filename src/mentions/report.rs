//! `nashra check --mentions FILE`: every match in one article, what it
//! counted for and why, for contributors tuning the registry.

use super::{article_texts, NameKind};
use crate::site::Site;
use std::fmt::Write;

/// A few words of `text` around `start..end`, the match in «».
fn excerpt(text: &str, start: usize, end: usize) -> String {
    let before: String = {
        let b = &text[..start];
        let cut = b.char_indices().rev().filter(|(_, c)| c.is_whitespace()).nth(3).map_or(0, |(i, c)| i + c.len_utf8());
        b[cut..].to_string()
    };
    let after: String = {
        let a = &text[end..];
        let cut = a.char_indices().filter(|(_, c)| c.is_whitespace()).nth(3).map_or(a.len(), |(i, _)| i);
        a[..cut].to_string()
    };
    let pre = if before.len() < start { "…" } else { "" };
    let post = if after.len() < text.len() - end { "…" } else { "" };
    format!("{pre}{before}«{}»{after}{post}", &text[start..end]).replace('\n', " ")
}

/// 1-based line of the first occurrence of `needle` in `source` at or after
/// `*from` (which moves past it).
fn line_of(source: &str, needle: &str, from: &mut usize) -> Option<usize> {
    let at = *from + source.get(*from..)?.find(needle)?;
    *from = at + needle.len();
    Some(source[..at].matches('\n').count() + 1)
}

/// The report for article `i` of `site`; `source` is the article file's text
/// (for line numbers).
pub fn explain(site: &Site, i: usize, source: &str) -> String {
    let a = &site.articles[i];
    let regs = &site.registries;
    let found = site.detector.analyze_article(a, regs);
    let texts = article_texts(a);
    let id = |e: usize| regs.entities[e].id.as_str();
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}): {} entities", a.source.display(), a.lang, a.entities.len());
    let named: Vec<&str> = found.named.iter().map(|&e| id(e)).collect();
    let _ = writeln!(out, "  front matter names: {}", if named.is_empty() { "none".to_string() } else { named.join(", ") });
    let _ = writeln!(out, "\nentities (front matter first, then found in the text):");
    for e in a.entities.iter().filter_map(|x| regs.entity_pos(x)) {
        let n = found.count_of(e);
        let origin = if found.named.contains(&e) { "front matter" } else { "found in the text" };
        let _ = writeln!(out, "  {:<28} {:>3} mention{}  ({origin})", id(e), n, if n == 1 { "" } else { "s" });
    }
    let _ = writeln!(out, "\nmatches:");
    if found.mentions.is_empty() {
        let _ = writeln!(out, "  none: no name or alias of the registry appears in the title, summary or body");
    }
    let body_start = source.find("\n---").map_or(0, |p| p + 4);
    let mut body_cursor = body_start;
    for m in &found.mentions {
        let (field, text) = (&texts[m.field].0, &texts[m.field].1);
        let matched = &text[m.start..m.end];
        let line = if *field == "body" { line_of(source, matched, &mut body_cursor) } else { line_of(source, matched, &mut 0) };
        let place = match line {
            Some(l) => format!("{field}, line {l}"),
            None => field.to_string(),
        };
        let kind = match m.kind {
            NameKind::Name => "name",
            NameKind::Alias => "alias",
        };
        let mark = if m.verdict.counts() { "+" } else { "-" };
        let _ = writeln!(out, "  {mark} {place}: {}", excerpt(text, m.start, m.end));
        let others: Vec<&str> = m.candidates.iter().filter(|&&c| c != m.entity).map(|&c| id(c)).collect();
        let also = if others.is_empty() { String::new() } else { format!(" (also a form of {})", others.join(", ")) };
        let _ = writeln!(out, "      {} {kind} “{}”{also}: {}", id(m.entity), m.written, m.verdict.explain());
    }
    let ignored = found.mentions.iter().filter(|m| !m.verdict.counts()).count();
    let _ = writeln!(out, "\n{} match(es), {} counted, {} not counted", found.mentions.len(), found.mentions.len() - ignored, ignored);
    out
}
