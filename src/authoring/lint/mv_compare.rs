//! `mv-compare`: `==`, IN or LIKE on a field ECS defines as multi-valued; a multi-value
//! makes the comparison null, so the row silently drops out.

use super::{finding, Finding};
use crate::syntax::{Expr, ExprKind};

pub(super) fn is_array_field(name: &str) -> bool {
    crate::io::catalog::ecs::lookup(name).is_some_and(|f| f.array)
}

pub(super) fn mv_compare(e: &Expr, out: &mut Vec<Finding>) {
    let operand = match &e.kind {
        ExprKind::Binary(op, l, r) if op.is_comparison() => {
            [l, r].into_iter().find(|x| matches!(x.kind, ExprKind::Field(_)))
        }
        ExprKind::In { expr, .. } | ExprKind::Like { expr, .. } => Some(expr),
        _ => None,
    };
    let Some(field) = operand else { return };
    let ExprKind::Field(name) = &field.kind else { return };
    if is_array_field(name) {
        let msg = format!("[{name}] is multi-valued in ECS: this comparison is null, and the row dropped, whenever it holds several values");
        out.push(finding("mv-compare", msg, field, format!("use mv_contains({name}, ...), or MV_EXPAND {name} first")));
    }
}
