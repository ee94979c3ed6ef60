//! A query laid out within a width (`esql fmt`): one command per line; a command that does
//! not fit breaks its list one item per line, or its condition before the lowest-precedence
//! operator that makes it fit; arguments likewise, constants filled line by line; every
//! comment where it stood (after code on its line, or on a line of its own) and blank lines
//! between commands kept.
//!
//! Names, constants and parameters are written as the query spells them, and so is an
//! unnamed EVAL, ROW or STATS expression: its text is the column's name.

mod commands;
mod comments;
mod doc;
mod expr;

use super::ast::{Query, Span};
pub use comments::comment_spans;
use doc::Doc;

/// How to lay a query out.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// The widest a line may be (a single long name or string may pass it).
    pub width: usize,
    /// Keywords in lower case rather than upper.
    pub lower: bool,
}

/// Continuation lines start this much further in.
const INDENT: usize = 4;

/// `q`, parsed from `src`, laid out in `style`, ending in a new line.
pub fn pretty(src: &str, q: &Query, style: Style) -> String {
    let mut p = Printer { src, comments: comment_spans(src), next: 0, lower: style.lower };
    let mut docs = Vec::new();
    for s in &q.settings {
        docs.extend(p.lead(s.span.start as usize, true));
        docs.push(p.setting(s));
        docs.push(Doc::Hard);
    }
    let mut prev_end = q.settings.last().map_or(0, |s| s.span.end as usize);
    for (k, c) in q.commands.iter().enumerate() {
        let start = c.span.start as usize;
        docs.extend(p.lead(start, true));
        if k > 0 {
            if p.blank_before_pipe(prev_end, start) {
                docs.push(Doc::Blank);
            }
            docs.push(Doc::Hard);
            docs.push(Doc::text("| "));
        }
        docs.push(p.command(c));
        prev_end = c.span.end as usize;
    }
    docs.extend(p.lead(src.len() + 1, true));
    let mut out = doc::render(&Doc::Concat(docs), style.width);
    out.push('\n');
    out
}

struct Printer<'a> {
    src: &'a str,
    /// Every comment of the text, in order.
    comments: Vec<(usize, usize)>,
    /// The first comment not yet written.
    next: usize,
    lower: bool,
}

impl Printer<'_> {
    /// A keyword in the query's case.
    fn kw(&self, word: &str) -> Doc {
        Doc::text(if self.lower { word.to_ascii_lowercase() } else { word.to_ascii_uppercase() })
    }

    /// The source text of `span` (`fallback` when there is none), after the comments before
    /// it; the comments inside it are part of the text.
    fn verbatim(&mut self, span: Span, fallback: &dyn std::fmt::Display) -> Doc {
        let text = span.text(self.src);
        if text.is_empty() {
            return Doc::text(fallback.to_string());
        }
        let lead = self.lead(span.start as usize, false);
        while self.comments.get(self.next).is_some_and(|&(s, _)| s < span.end as usize) {
            self.next += 1;
        }
        Self::after(lead, Doc::text(text))
    }

    /// `doc` after the comments `lead`.
    fn after(lead: Vec<Doc>, doc: Doc) -> Doc {
        if lead.is_empty() {
            doc
        } else {
            Doc::Concat(lead.into_iter().chain(std::iter::once(doc)).collect())
        }
    }

    /// The comments not yet written that start before `pos`: after code on their line in the
    /// source, they stay after code; else on a line of their own (after a blank line when
    /// one preceded them and `blanks` allows).
    fn lead(&mut self, pos: usize, blanks: bool) -> Vec<Doc> {
        let mut out = Vec::new();
        while let Some(&(start, end)) = self.comments.get(self.next).filter(|&&(s, _)| s < pos) {
            self.next += 1;
            let text = self.src[start..end].to_string();
            let before = self.src[..start].trim_end_matches([' ', '\t', '\r']);
            if before.is_empty() || before.ends_with('\n') {
                if blanks && has_blank_line(&self.src[..start]) {
                    out.push(Doc::Blank);
                }
                out.push(Doc::OwnLine(text));
            } else {
                out.push(Doc::Trailing(text));
            }
        }
        out
    }

    /// Whether an empty line stands before the `|` of the command at `start`, after the
    /// previous command (ending at `prev_end`) and the comments between them.
    fn blank_before_pipe(&self, prev_end: usize, start: usize) -> bool {
        let from = self.comments[..self.next].last().map_or(prev_end, |&(_, e)| e.max(prev_end));
        let gap = self.src.get(from..start).unwrap_or("");
        let pipe = gap.find('|').unwrap_or(gap.len());
        has_blank_line(&gap[..pipe]) || has_blank_line(&gap[pipe..])
    }

    fn setting(&mut self, s: &super::ast::Setting) -> Doc {
        let name = self.verbatim(s.name.span, &s.name);
        let value = self.expr(&s.value, super::Precedence::Or);
        Doc::Concat(vec![self.kw("SET"), Doc::text(" "), name, Doc::text(" = "), value, Doc::text(";")])
    }

    /// Items one per line, each after a break, with the comments before each: the body of
    /// KEEP, EVAL, STATS and the like, `indent` further in. `parts` pairs each item with the
    /// comments before it; `first` goes before the first item.
    fn block(parts: Vec<(Vec<Doc>, Doc)>, first: Doc, indent: usize) -> Doc {
        let mut docs = Vec::new();
        let n = parts.len();
        for (k, (lead, item)) in parts.into_iter().enumerate() {
            docs.extend(lead);
            docs.push(if k == 0 { first.clone() } else { Doc::Line });
            docs.push(item);
            if k + 1 < n {
                docs.push(Doc::text(","));
            }
        }
        Doc::nest(indent, Doc::Concat(docs))
    }
}

/// Whether the text ends in whitespace holding an empty line.
fn has_blank_line(text: &str) -> bool {
    let tail = &text[text.trim_end().len()..];
    tail.replace([' ', '\t', '\r'], "").contains("\n\n")
}
