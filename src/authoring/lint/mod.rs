//! `esql lint`: logic pitfalls that silently break detections, each with an id, a caret and
//! a suggested fix. A finding is silenced by `// esql-lint: allow <id>` on its line.

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::syntax::{BinaryOp, Command, Expr, ExprKind, Literal, Query};

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable id (`case-mismatch`, ...).
    pub id: &'static str,
    /// Message, span and hint.
    pub diagnostic: Diagnostic,
    /// The text that, put in place of the span, fixes it, when the fix is obvious.
    pub fix: Option<String>,
}

/// Every lint id with what it catches.
pub const LINTS: &[(&str, &str)] = &[
    (
        "case-mismatch",
        "a comparison with a value that differs only in case from one compared earlier: == is case-sensitive",
    ),
    ("mv-compare", "==, IN or LIKE on a field ECS defines as multi-valued: a multi-value makes the comparison null"),
    ("not-in-null", "NOT ... IN (...) with a null in the list: never true"),
    ("null-compare", "== null, != null or IN (null): null for every row, never true (IS NULL tests for null)"),
    ("sql-like-wildcard", "SQL's % in a LIKE pattern: ES|QL's wildcards are * and ?, % matches itself"),
    (
        "ecs-value",
        "event.kind, category, type or outcome compared with a value ECS does not allow (\"Failure\" for \"failure\")",
    ),
    ("unknown-field", "a near miss of an ECS field name (a likely typo) that the query does not create"),
    ("unused-eval", "an EVAL column nothing uses and the result does not show"),
    ("dropped-column", "a column used after KEEP or DROP removed it"),
    (
        "lookback",
        "a rule whose look-back is longer than its interval (overlapping runs: duplicate alerts) or shorter (gaps)",
    ),
];

mod case_mismatch;
mod dropped_column;
mod ecs_value;
mod lookback;
mod mv_compare;
mod not_in_null;
mod null_compare;
mod sql_like;
mod unknown_field;
mod unused_eval;

use case_mismatch::case_mismatch;
use dropped_column::dropped_column;
use ecs_value::ecs_value;
pub use lookback::schedule_findings;
use mv_compare::mv_compare;
use not_in_null::not_in_null;
use null_compare::null_compare;
use sql_like::sql_like_wildcard;
use unknown_field::unknown_field;
pub use unknown_field::unknown_in_data;
use unused_eval::unused_eval;

pub(super) fn finding(id: &'static str, message: String, e: &Expr, hint: String) -> Finding {
    let d = Diagnostic {
        severity: Severity::Warning,
        message,
        span: Some((e.span.start as usize, e.span.end as usize)),
        hints: vec![hint],
        column: None,
    };
    Finding { id, diagnostic: d, fix: None }
}

pub(super) fn walk<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    f(e);
    for c in e.children() {
        walk(c, f);
    }
}

/// `field == "literal"` (either order) as (field, literal, the literal's expression).
pub(super) fn string_equality(e: &Expr) -> Option<(&str, &str, &Expr)> {
    let ExprKind::Binary(BinaryOp::Eq, l, r) = &e.kind else { return None };
    match (&l.kind, &r.kind) {
        (ExprKind::Field(f), ExprKind::Literal(Literal::String(s))) => Some((f, s, r)),
        (ExprKind::Literal(Literal::String(s)), ExprKind::Field(f)) => Some((f, s, l)),
        _ => None,
    }
}

/// A `KQL("...")` call's parsed query, with the text and the source offset where the text
/// starts (exact for strings without escapes).
pub(super) fn kql_of(e: &Expr) -> Option<(crate::search::Query<String>, &str, u32)> {
    let ExprKind::Call { name, args, .. } = &e.kind else { return None };
    if !name.eq_ignore_ascii_case("kql") {
        return None;
    }
    let Some(Expr { kind: ExprKind::Literal(Literal::String(text)), span }) = args.first() else { return None };
    let kql = crate::search::kql::parse(text).ok()?;
    // A triple-quoted string has no escapes: its span is the text and six quotes.
    let quote = if (span.end - span.start) as usize == text.len() + 6 { 3 } else { 1 };
    Some((kql, text, span.start + quote))
}

/// An expression of `kind` spanning the first `piece` of a KQL text at or after byte
/// `from` (a finding's caret inside the string).
pub(super) fn spot_in(text: &str, base: u32, piece: &str, from: usize, kind: ExprKind) -> Option<Expr> {
    let at = from + text.get(from..)?.find(piece)?;
    let start = base + at as u32;
    Some(Expr { kind, span: crate::syntax::Span { start, end: start + piece.len() as u32 } })
}

/// Lints a parsed query.
pub fn lint(q: &Query) -> Vec<Finding> {
    let mut out = Vec::new();
    case_mismatch(q, &mut out);
    for c in &q.commands {
        for e in c.exprs() {
            walk(e, &mut |x| {
                mv_compare(x, &mut out);
                not_in_null(x, &mut out);
                null_compare(x, &mut out);
                sql_like_wildcard(x, &mut out);
                ecs_value(x, &mut out);
                unknown_field(q, x, &mut out);
            });
        }
    }
    unused_eval(q, &mut out);
    dropped_column(q, &mut out);
    // `NOT x IN (a, null)` is not-in-null's: a null-compare finding around its null goes.
    let not_in: Vec<_> = out.iter().filter(|f| f.id == "not-in-null").filter_map(|f| f.diagnostic.span).collect();
    let inside = |f: &Finding| f.diagnostic.span.is_some_and(|(s, e)| not_in.iter().any(|&(a, b)| s <= a && b <= e));
    out.retain(|f| f.id != "null-compare" || !inside(f));
    out.sort_by_key(|f| f.diagnostic.span);
    out
}

/// Names the query itself creates (EVAL, ROW, STATS, RENAME, DISSECT/GROK keys).
pub(super) fn created(q: &Query) -> Vec<String> {
    q.commands.iter().flat_map(|c| c.created()).collect()
}

/// Drops findings silenced by `// esql-lint: allow <id>` on their line.
pub fn unsilenced(findings: Vec<Finding>, src: &str) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| {
            let Some((start, _)) = f.diagnostic.span else { return true };
            let line = Location::of(src, start).line_text;
            !line.split("esql-lint: allow").skip(1).any(|rest| rest.split_whitespace().next() == Some(f.id))
        })
        .collect()
}

/// Renders findings with their ids.
pub fn render(findings: &[Finding], src: &str) -> String {
    findings.iter().map(|f| format!("warning[{}]: {}", f.id, f.diagnostic.render(src))).collect::<Vec<_>>().join("\n")
}

/// Fields referenced by a command's expressions.
pub(super) fn references(c: &Command) -> Vec<&Expr> {
    let mut out = Vec::new();
    for e in c.exprs() {
        walk(e, &mut |x| {
            if matches!(x.kind, ExprKind::Field(_)) {
                out.push(x);
            }
        });
    }
    out
}
