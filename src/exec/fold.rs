//! Constant folding before execution: a call whose arguments are all constants (`now() -
//! 8 hours`, `to_ip("10.0.0.1")`) is evaluated once instead of on every row. A call that
//! warns is left alone, so its warnings still come per row as Elasticsearch reports them.

use super::eval::{eval, Rows};
use super::warnings::Warnings;
use crate::functions::Kind;
use crate::plan::{LogicalPlan, PlanExpr, PlanKind};

/// A copy of `plan` with constant calls folded.
pub fn fold_plan(plan: &LogicalPlan, now_ms: i64) -> LogicalPlan {
    let mut out = plan.clone();
    for stage in &mut out.stages {
        stage.step.exprs_mut().into_iter().for_each(|e| fold(e, now_ms));
    }
    out
}

pub(super) fn fold(e: &mut PlanExpr, now_ms: i64) {
    e.children_mut().into_iter().for_each(|c| fold(c, now_ms));
    let PlanKind::Call { func, args, .. } = &e.kind else { return };
    if !matches!(func.kind, Kind::Scalar(_)) || !args.iter().all(|a| matches!(a.kind, PlanKind::Literal(_))) {
        return;
    }
    let rows = Rows { readers: Vec::new(), now_ms };
    let mut w = Warnings::default();
    let value = eval(e, &rows, 0, &mut w).into_owned();
    if w.is_empty() {
        e.kind = PlanKind::Literal(value);
    }
}
