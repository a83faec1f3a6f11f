//! The article model: one markdown file after its front matter was validated
//! and its topic and entity names resolved to registry ids.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::path::PathBuf;

/// A date as the contributor wrote it: its own offset, not converted to UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDate {
    pub local: NaiveDateTime,
    pub offset: Option<FixedOffset>,
    pub date_only: bool,
}

impl ArticleDate {
    /// RFC 3339 (`2026-01-04T21:30:00+03:00`) or `YYYY-MM-DD`; also accepts a
    /// space for `T` and a time without offset (taken as UTC for ordering).
    pub fn parse(s: &str) -> Result<ArticleDate, String> {
        let s = s.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Ok(ArticleDate { local: dt.naive_local(), offset: Some(*dt.offset()), date_only: false });
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            // and_hms_opt(0,0,0) is always a valid time
            let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            return Ok(ArticleDate { local, offset: None, date_only: true });
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
            if let Ok(local) = NaiveDateTime::parse_from_str(s, fmt) {
                return Ok(ArticleDate { local, offset: None, date_only: false });
            }
        }
        Err(format!("`{s}` is not a valid date"))
    }

    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }
    pub fn year(&self) -> i32 {
        self.local.year()
    }
    pub fn month(&self) -> u32 {
        self.local.month()
    }

    /// Seconds since the epoch, for ordering (no offset = UTC).
    pub fn timestamp(&self) -> i64 {
        self.to_utc().timestamp()
    }

    pub fn to_utc(&self) -> DateTime<Utc> {
        match self.offset {
            Some(off) => match off.from_local_datetime(&self.local).single() {
                Some(dt) => dt.with_timezone(&Utc),
                None => Utc.from_utc_datetime(&self.local),
            },
            None => Utc.from_utc_datetime(&self.local),
        }
    }

    /// As written: `YYYY-MM-DD` for date-only values, RFC 3339 otherwise.
    pub fn iso(&self) -> String {
        if self.date_only {
            return self.local.format("%Y-%m-%d").to_string();
        }
        self.rfc3339()
    }

    /// Always a full RFC 3339 timestamp (feeds, sitemaps, JSON-LD).
    pub fn rfc3339(&self) -> String {
        match self.offset {
            Some(off) => match off.from_local_datetime(&self.local).single() {
                Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                None => self.to_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            },
            None => self.to_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub src: String,
    pub alt: String,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// Path for messages (relative to the current directory when possible).
    pub source: PathBuf,
    pub lang: String,
    pub stem: String,
    pub title: String,
    pub date: ArticleDate,
    pub updated: Option<ArticleDate>,
    pub summary: Option<String>,
    /// Registry ids, in front-matter order, without duplicates.
    pub topics: Vec<String>,
    pub entities: Vec<String>,
    pub author: Option<String>,
    pub slug: String,
    pub translation_key: String,
    pub draft: bool,
    pub image: Option<Image>,
    /// Markdown body (after the front matter).
    pub body: String,
    /// The body rendered, when that was done while indexing (`build`
    /// parses each body once: see `site::Bodies`); the renderer takes it.
    pub prerendered: Option<Box<crate::markdown::Rendered>>,
}

impl Article {
    /// Output path of the article page, relative to the site root, without
    /// the base path: `ar/2026/01/slug/`.
    pub fn rel_url(&self) -> String {
        format!("{}/{:04}/{:02}/{}/", self.lang, self.date.year(), self.date.month(), self.slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_written_offset_for_the_month() {
        let d = ArticleDate::parse("2026-01-31T23:30:00-05:00").unwrap();
        assert_eq!((d.year(), d.month()), (2026, 1));
        assert_eq!(d.to_utc().format("%m").to_string(), "02");
        assert_eq!(d.iso(), "2026-01-31T23:30:00-05:00");
    }

    #[test]
    fn date_only_and_invalid_dates() {
        let d = ArticleDate::parse("2025-12-01").unwrap();
        assert_eq!(d.iso(), "2025-12-01");
        assert_eq!(d.rfc3339(), "2025-12-01T00:00:00Z");
        assert!(ArticleDate::parse("2025-02-30").is_err());
        assert!(ArticleDate::parse("yesterday").is_err());
    }
}
