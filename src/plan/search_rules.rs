//! Where Elasticsearch allows full-text search, with its messages: only in WHERE and STATS
//! (`[KQL] function is only supported in WHERE and STATS commands`); KQL and QSTR only after
//! FROM, WHERE and SORT, any of them not after LIMIT or STATS (`[MATCH] function cannot be
//! used after LIMIT`); inside a condition only under AND, OR, NOT, a comparison or another
//! search; and MATCH, MATCH_PHRASE and `:` only on a field of the indices, not one the query
//! made.

use super::error;
use crate::diagnostic::Diagnostic;
use crate::syntax::{BinaryOp, Command, CommandKind, Expr, ExprKind, Span, UnaryOp};

/// Whether `name` is a full-text function of the table.
pub fn is_search(name: &str) -> bool {
    crate::functions::lookup(name).is_some_and(|f| matches!(f.kind, crate::functions::Kind::Search))
}

/// Checks command `k` of `commands` against Elasticsearch's rules for full-text search.
pub fn check(commands: &[Command], k: usize, src: &str) -> Result<(), Diagnostic> {
    let cmd = &commands[k];
    let exprs: Vec<&Expr> = match &cmd.kind {
        CommandKind::Where(cond) => return check_where(cond, &commands[..k], cmd.span, src),
        CommandKind::Stats(s) => s.by.iter().map(|f| &f.expr).collect(),
        _ => cmd.exprs(),
    };
    match exprs.into_iter().flat_map(searches).next() {
        Some(s) => Err(error(format!("{} is only supported in WHERE and STATS commands", s.what), s.expr.span)),
        None => Ok(()),
    }
}

/// A full-text call or `:` in an expression.
struct Search<'e> {
    /// `[KQL] function`, `[:] operator`.
    what: String,
    /// KQL or QSTR (the stricter placement).
    query_string: bool,
    expr: &'e Expr,
}

fn searches(e: &Expr) -> Vec<Search<'_>> {
    let mut out = Vec::new();
    collect(e, &mut out);
    out
}

fn collect<'e>(e: &'e Expr, out: &mut Vec<Search<'e>>) {
    match as_search(e) {
        Some(s) => out.push(s),
        None => e.children().into_iter().for_each(|c| collect(c, out)),
    }
}

/// `e` itself as a search, if it is one.
fn as_search(e: &Expr) -> Option<Search<'_>> {
    match &e.kind {
        ExprKind::Call { name, .. } if is_search(name) => {
            let upper = name.to_ascii_uppercase();
            let query_string = matches!(upper.as_str(), "KQL" | "QSTR");
            Some(Search { what: format!("[{upper}] function"), query_string, expr: e })
        }
        ExprKind::Match { .. } => Some(Search { what: "[:] operator".into(), query_string: false, expr: e }),
        _ => None,
    }
}

fn check_where(cond: &Expr, before: &[Command], span: Span, src: &str) -> Result<(), Diagnostic> {
    let found = searches(cond);
    for s in &found {
        // The closest command first, as Elasticsearch walks the plan down from the WHERE.
        for c in before.iter().skip(1).rev() {
            let allowed = if s.query_string {
                matches!(c.kind, CommandKind::Where(_) | CommandKind::Sort(_))
            } else {
                !matches!(c.kind, CommandKind::Limit(_) | CommandKind::Stats(_))
            };
            if !allowed {
                let word = c.span.text(src).split(' ').next().unwrap_or("").to_uppercase();
                return Err(error(format!("{} cannot be used after {word}", s.what), span));
            }
        }
    }
    if !found.is_empty() {
        check_parents(cond, cond, src)?;
    }
    for s in &found {
        check_field(s, before, src)?;
    }
    Ok(())
}

/// A search's parent must be AND, OR, NOT, a comparison or another search.
fn check_parents(e: &Expr, cond: &Expr, src: &str) -> Result<(), Diagnostic> {
    for child in e.children() {
        if let Some(s) = as_search(child) {
            let parent = match &e.kind {
                ExprKind::Binary(op, ..)
                    if !matches!(op, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod) =>
                {
                    None
                }
                ExprKind::Binary(op, ..) => Some(op.symbol().to_string()),
                ExprKind::Unary(UnaryOp::Not, _) => None,
                ExprKind::Call { name, .. } if is_search(name) => None,
                ExprKind::Call { name, .. } => Some(name.to_ascii_uppercase()),
                ExprKind::In { .. } => Some("IN".into()),
                ExprKind::IsNull { negated, .. } => Some(if *negated { "ISNOTNULL" } else { "ISNULL" }.into()),
                ExprKind::Like { regex, .. } => Some(if *regex { "RLIKE" } else { "LIKE" }.into()),
                ExprKind::Cast(_, ty) => Some(format!("TO_{}", ty.to_ascii_uppercase())),
                _ => Some("?".into()),
            };
            if let Some(parent) = parent {
                let message =
                    format!("Invalid condition [{}]. {} can't be used with {parent}", cond.span.text(src), s.what);
                return Err(error(message, cond.span));
            }
        } else {
            check_parents(child, cond, src)?;
        }
    }
    Ok(())
}

/// MATCH, MATCH_PHRASE and `:` search one field of the indices (possibly cast), MULTI_MATCH
/// several (its arguments after the query), not a column the query made before.
fn check_field(s: &Search<'_>, before: &[Command], src: &str) -> Result<(), Diagnostic> {
    let fields: Vec<&Expr> = match &s.expr.kind {
        ExprKind::Match { field, .. } => vec![&**field],
        ExprKind::Call { name, args, .. } if name.eq_ignore_ascii_case("multi_match") => {
            args.iter().skip(1).filter(|a| !matches!(a.kind, ExprKind::Map(_))).collect()
        }
        ExprKind::Call { args, .. } if !s.query_string => args.first().into_iter().collect(),
        _ => vec![],
    };
    for field in fields {
        let inner = match &field.kind {
            ExprKind::Cast(inner, _) => &**inner,
            _ => field,
        };
        let made = match &inner.kind {
            ExprKind::Field(name) => before.iter().any(|c| creates(c, name)),
            _ => true,
        };
        if made {
            let name = s.what.split(']').next().unwrap_or("").trim_start_matches('[');
            let (_, kind) = s.what.split_once(' ').unwrap_or(("", "function"));
            let message = format!(
                "[{name}] {kind} cannot operate on [{}], which is not a field from an index mapping",
                field.span.text(src)
            );
            return Err(error(message, field.span));
        }
    }
    Ok(())
}

/// Whether a command makes a column of this name (rather than passing an index field on).
fn creates(c: &Command, name: &str) -> bool {
    c.created().iter().any(|n| n == name)
}
