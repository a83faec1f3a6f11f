//! Diagnostics: user-facing errors and warnings that point at `path:line:col`,
//! show the offending line and carry a hint. Every loader returns these instead
//! of bare error strings so `build` and `check` can report all of them at once.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one user file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based; 0 when the problem has no line (e.g. an unreadable file).
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// The offending source line, without its line terminator.
    pub source_line: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(path, message) }
    }

    /// Point at `line:col` (1-based) of `text`, the whole content of the file,
    /// and keep that line for display.
    pub fn at(mut self, text: &str, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self.source_line = if line > 0 {
            text.lines().nth(line - 1).map(|l| l.trim_end_matches('\r').to_string())
        } else {
            None
        };
        self
    }

    /// Point at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, col) = line_col(text, offset);
        self.at(text, line, col)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and character column of a byte offset (clamped to the text).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", display_path(&self.path))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            write!(f, "\n {pad} |\n {num} | {src}")?;
            if self.col > 0 {
                let caret_pad: String = src
                    .chars()
                    .take(self.col - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {pad} | {caret_pad}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

fn display_path(p: &Path) -> String {
    p.display().to_string()
}

/// A collection of diagnostics gathered over one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
    /// Sort by file, then position, so output is stable across parallel loads.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_path_line_col_source_and_hint() {
        let text = "a: 1\nbad line here\n";
        let d = Diagnostic::error("content/ar/x.md", "something wrong")
            .at(text, 2, 5)
            .with_hint("fix it");
        let s = d.to_string();
        assert!(s.starts_with("content/ar/x.md:2:5: error: something wrong"), "{s}");
        assert!(s.contains(" 2 | bad line here"), "{s}");
        assert!(s.contains("   |     ^"), "{s}");
        assert!(s.ends_with("= hint: fix it"), "{s}");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "سطر\nعربي x";
        let off = text.find('x').unwrap();
        assert_eq!(line_col(text, off), (2, 6));
    }
}
