//! Diagnostics as data, rendered in one place: `line L:C: message`, the source line, a caret
//! line under the span, and hints.

use crate::syntax::SyntaxError;
use std::fmt::Write;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The query cannot run.
    Error,
    /// The query runs, but something deserves attention.
    Warning,
}

/// A message about a span of query text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Byte offsets `[start, end)` in the query text, when the message is about a spot.
    pub span: Option<(usize, usize)>,
    /// How to fix it.
    pub hints: Vec<String>,
    /// The name an `Unknown column [name]` error is about (`SET unmapped_fields="nullify"`
    /// makes it a null column instead).
    pub column: Option<String>,
}

impl Diagnostic {
    /// An error about `start..end`.
    pub fn error(message: impl Into<String>, span: Option<(usize, usize)>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, message: message.into(), span, hints: vec![], column: None }
    }

    /// The same diagnostic with one more hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// Renders against the query text it refers to.
    pub fn render(&self, src: &str) -> String {
        let mut out = String::new();
        let Some((start, end)) = self.span else {
            let _ = writeln!(out, "{}", self.message);
            self.render_hints(&mut out, 0);
            return out;
        };
        let loc = Location::of(src, start);
        let _ = writeln!(out, "line {}:{}: {}", loc.line, loc.col, self.message);
        let gutter = loc.line.to_string().len();
        let line_end = loc.line_start + loc.line_text.len();
        let width = src.get(start..end.min(line_end).max(start)).map_or(0, |s| s.chars().count()).max(1);
        let (text, col, width) = window(&loc.line_text.replace('\t', " "), loc.col - 1, width);
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{}", format!("{} | {}", loc.line, text).trim_end());
        let _ = writeln!(out, "{:gutter$} | {}{}", "", " ".repeat(col), "^".repeat(width));
        self.render_hints(&mut out, gutter);
        out
    }

    /// The one line Elasticsearch writes for it: `line L:C: message`, or the message.
    pub fn render_line(&self, src: &str) -> String {
        match self.span {
            Some((start, _)) => {
                let loc = Location::of(src, start);
                format!("line {}:{}: {}", loc.line, loc.col, self.message)
            }
            None => self.message.clone(),
        }
    }

    fn render_hints(&self, out: &mut String, gutter: usize) {
        for h in &self.hints {
            let _ = writeln!(out, "{:gutter$} = hint: {h}", "");
        }
    }
}

impl From<SyntaxError> for Diagnostic {
    fn from(e: SyntaxError) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: e.message,
            span: Some((e.span.start as usize, e.span.end as usize)),
            hints: e.hint.into_iter().collect(),
            column: None,
        }
    }
}

/// Characters of a source line shown at most: a machine-written query can be one line of
/// many kilobytes, and only the part around the caret helps.
const SHOWN: usize = 100;

/// The part of `line` shown around the 0-based character column `col`, with `…` where it is
/// cut, and the caret's column and width in it.
fn window(line: &str, col: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= SHOWN {
        return (line.to_string(), col, width);
    }
    let lo = col.saturating_sub(SHOWN / 3).min(chars.len().saturating_sub(SHOWN));
    let hi = (lo + SHOWN).min(chars.len());
    let mut text: String = if lo > 0 { "…".into() } else { String::new() };
    text.extend(&chars[lo..hi]);
    if hi < chars.len() {
        text.push('…');
    }
    let shift = usize::from(lo > 0);
    (text, col - lo + shift, width.min(hi.saturating_sub(col)).max(1))
}

/// A byte offset as a 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Byte offset where the line starts.
    pub line_start: usize,
    /// The line's text, without its line break.
    pub line_text: &'a str,
}

impl<'a> Location<'a> {
    /// Where `offset` lies in `src` (clamped to the text).
    pub fn of(src: &'a str, offset: usize) -> Location<'a> {
        let mut offset = offset.min(src.len());
        while !src.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &src[..offset];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let line = before.matches('\n').count() + 1;
        let col = src[line_start..offset].chars().count() + 1;
        let line_end = src[line_start..].find('\n').map_or(src.len(), |n| line_start + n);
        let line_text = src[line_start..line_end].trim_end_matches('\r');
        Location { line, col, line_start, line_text }
    }
}

/// Where lines start in a text, to place many offsets without rescanning it: a machine-written
/// query can be one line of a megabyte holding a hundred thousand expressions.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Per line: all ASCII, so a column is a byte distance.
    ascii: Vec<bool>,
}

impl LineIndex {
    /// Indexes `src`.
    pub fn new(src: &str) -> LineIndex {
        let starts: Vec<usize> = std::iter::once(0).chain(src.match_indices('\n').map(|(k, _)| k + 1)).collect();
        let ends = starts.iter().skip(1).copied().chain(std::iter::once(src.len()));
        let ascii = starts.iter().zip(ends).map(|(&a, b)| src.as_bytes()[a..b].is_ascii()).collect();
        LineIndex { starts, ascii }
    }

    /// The 1-based line and column (in characters) of byte `offset` of `src`, the text
    /// this index was built from.
    pub fn line_col(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line];
        let col =
            if self.ascii[line] { offset - start } else { src.get(start..offset).map_or(0, |t| t.chars().count()) };
        (line + 1, col + 1)
    }
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(diags: &[Diagnostic], src: &str) -> String {
    diags.iter().map(|d| d.render(src)).collect::<Vec<_>>().join("\n")
}
