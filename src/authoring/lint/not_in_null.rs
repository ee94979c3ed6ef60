//! `not-in-null`: `NOT x IN (..., null)` is never true.

use super::{finding, Finding};
use crate::syntax::UnaryOp;
use crate::syntax::{Expr, ExprKind, Literal};

pub(super) fn not_in_null(e: &Expr, out: &mut Vec<Finding>) {
    let list = match &e.kind {
        ExprKind::In { list, negated: true, .. } => list,
        ExprKind::Unary(UnaryOp::Not, x) => match &x.kind {
            ExprKind::In { list, .. } => list,
            _ => return,
        },
        _ => return,
    };
    if let Some(null) = list.iter().find(|i| matches!(i.kind, ExprKind::Literal(Literal::Null))) {
        let msg =
            "a null in a NOT IN list makes the test null (never true) for every value not in the list".to_string();
        out.push(finding("not-in-null", msg, null, "remove null from the list and test IS NULL separately".into()));
    }
}
