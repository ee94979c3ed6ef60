//! `sql-like-wildcard`: SQL's `%` in a LIKE pattern. ES|QL's LIKE wildcards are `*` (any
//! text) and `?` (one character); `%` and `_` match themselves, so `LIKE "%curl%"` matches
//! only text that starts and ends with a percent sign.

use super::{finding, Finding};
use crate::syntax::{Expr, ExprKind, Literal};

pub(super) fn sql_like_wildcard(e: &Expr, out: &mut Vec<Finding>) {
    let ExprKind::Like { patterns, regex: false, .. } = &e.kind else { return };
    for p in patterns {
        let ExprKind::Literal(Literal::String(text)) = &p.kind else { continue };
        // SQL's shape: a % at either end and no ES|QL wildcard. A % inside (URL encodings
        // such as %2e) or beside a * is taken as meant.
        let sql = (text.starts_with('%') || text.ends_with('%')) && !text.contains(['*', '?']);
        if !sql {
            continue;
        }
        let fixed = crate::syntax::quote_string(&text.replace('%', "*"));
        let mut hint = format!("ES|QL's LIKE wildcards are * and ?: write {fixed}");
        if text.contains('_') {
            hint.push_str(" (and ? where _ meant any one character)");
        }
        let msg =
            format!("% is SQL's wildcard: in ES|QL, LIKE {} matches a literal %", crate::syntax::quote_string(text));
        let mut f = finding("sql-like-wildcard", msg, p, hint);
        f.fix = Some(fixed);
        out.push(f);
    }
}
