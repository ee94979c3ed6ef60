//! `null-compare`: `x == null`, `x != null` (any comparison with null) is null for every
//! row, so a WHERE keeps none; a null in an IN list never matches.

use super::{finding, Finding};
use crate::syntax::{BinaryOp, Expr, ExprKind, Literal};

fn is_null(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Literal(Literal::Null))
}

pub(super) fn null_compare(e: &Expr, out: &mut Vec<Finding>) {
    match &e.kind {
        ExprKind::Binary(op, l, r) if op.is_comparison() && (is_null(l) || is_null(r)) => {
            let subject = if is_null(l) { r } else { l };
            let msg = format!("a comparison with null is null for every row: `{e}` is never true");
            let f = match op {
                BinaryOp::Eq | BinaryOp::Neq => {
                    let test = if *op == BinaryOp::Eq { "IS NULL" } else { "IS NOT NULL" };
                    let fixed = format!("{subject} {test}");
                    let mut f = finding("null-compare", msg, e, format!("write `{fixed}`"));
                    f.fix = Some(fixed);
                    f
                }
                _ => finding("null-compare", msg, e, "compare with a value, or test IS NULL".into()),
            };
            out.push(f);
        }
        ExprKind::In { expr, list, negated: false } => {
            let Some(null) = list.iter().find(|i| is_null(i)) else { return };
            let msg = "a null in an IN list never matches: IN compares with ==".to_string();
            let f = if list.iter().all(is_null) {
                let fixed = format!("{expr} IS NULL");
                let mut f = finding("null-compare", msg, e, format!("write `{fixed}`"));
                f.fix = Some(fixed);
                f
            } else {
                finding("null-compare", msg, null, format!("remove null and add `OR {expr} IS NULL`"))
            };
            out.push(f);
        }
        _ => {}
    }
}
