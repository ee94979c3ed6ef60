//! What of a query the scan can do itself: a first `WHERE` that bounds a date column by a
//! constant becomes an [`io::prefilter::Prefilter`](crate::io::scan::prefilter::Prefilter).

use super::fold::fold;
use crate::functions::{ColumnKernel, Comparison};
use crate::io::scan::prefilter::{Bound, Prefilter};
use crate::plan::{LogicalPlan, PlanKind, Step};
use crate::types::{Cell, EsType, Value};

/// The prefilter of `plan` at `now_ms`, when its first step is `WHERE date_column OP
/// constant` (either side), OP one of `<`, `<=`, `>`, `>=`.
pub fn prefilter(plan: &LogicalPlan, now_ms: i64) -> Option<Prefilter> {
    let Step::Where(cond) = &plan.stages.first()?.step else { return None };
    let mut cond = cond.clone();
    fold(&mut cond, now_ms);
    let PlanKind::Call { func, args, .. } = &cond.kind else { return None };
    let op = match func.column? {
        ColumnKernel::Compare(Comparison::Gt) => Bound::Gt,
        ColumnKernel::Compare(Comparison::Gte) => Bound::Ge,
        ColumnKernel::Compare(Comparison::Lt) => Bound::Lt,
        ColumnKernel::Compare(Comparison::Lte) => Bound::Le,
        _ => return None,
    };
    let [l, r] = args.as_slice() else { return None };
    let (column, op, lit) = match (&l.kind, &r.kind) {
        (PlanKind::Column(c), PlanKind::Literal(v)) if l.ty == EsType::Date => (*c, op, v),
        (PlanKind::Literal(v), PlanKind::Column(c)) if r.ty == EsType::Date => (*c, Prefilter::flipped(op), v),
        _ => return None,
    };
    let Cell::One(Value::Date(value)) = lit else { return None };
    Some(Prefilter { column, op, value: *value })
}
