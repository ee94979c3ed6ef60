//! What of a query the scan can do itself, decided with the rest of the plan: a first
//! `WHERE date_column OP bound` (either side; OP one of `<`, `<=`, `>`, `>=`) whose bound
//! reads no column (`@timestamp > now() - 8 hours` opens most rules). The scan drops rows
//! that fail it while decoding; the WHERE still runs on the rows it keeps. The bound is
//! evaluated when the query runs, since `now()` is only known then.

use super::{LogicalPlan, PlanExpr, PlanKind, Step};
use crate::functions::{ColumnKernel, Comparison};
use crate::types::EsType;

/// `column op bound`, the column by position in the source's columns.
#[derive(Clone, Debug)]
pub struct Pushdown {
    /// The date column.
    pub column: usize,
    /// How the column compares with the bound, the column on the left.
    pub op: Comparison,
    /// A constant expression: no column, evaluated at run time.
    pub bound: PlanExpr,
}

/// The pushdown of `plan`'s first step, if it has one.
pub(super) fn pushdown(plan: &LogicalPlan) -> Option<Pushdown> {
    let Step::Where(cond) = &plan.stages.first()?.step else { return None };
    let PlanKind::Call { func, args, .. } = &cond.kind else { return None };
    let ColumnKernel::Compare(op) = func.column? else { return None };
    if matches!(op, Comparison::Equal | Comparison::NotEqual) {
        return None;
    }
    let [l, r] = args.as_slice() else { return None };
    let (column, op, bound) = match (&l.kind, &r.kind) {
        (PlanKind::Column(c), _) if l.ty == EsType::Date && !reads_a_column(r) => (*c, op, r),
        (_, PlanKind::Column(c)) if r.ty == EsType::Date && !reads_a_column(l) => (*c, op.flipped(), l),
        _ => return None,
    };
    Some(Pushdown { column, op, bound: bound.clone() })
}

fn reads_a_column(e: &PlanExpr) -> bool {
    matches!(e.kind, PlanKind::Column(_)) || e.children().into_iter().any(reads_a_column)
}
