//! The plan's [`Pushdown`] made concrete for a run: its bound folded at `now` into the
//! scan's [`Prefilter`].

use super::fold::fold;
use crate::functions::Comparison;
use crate::io::scan::prefilter::{Bound, Prefilter};
use crate::plan::{PlanKind, Pushdown};
use crate::types::{Cell, Value};

/// The scan's prefilter for `p` at `now_ms`, when the bound folds to a date.
pub fn prefilter(p: &Pushdown, now_ms: i64) -> Option<Prefilter> {
    let mut bound = p.bound.clone();
    fold(&mut bound, now_ms);
    let PlanKind::Literal(Cell::One(Value::Date(value))) = bound.kind else { return None };
    let op = match p.op {
        Comparison::Greater => Bound::Gt,
        Comparison::AtLeast => Bound::Ge,
        Comparison::Less => Bound::Lt,
        Comparison::AtMost => Bound::Le,
        Comparison::Equal | Comparison::NotEqual => return None,
    };
    Some(Prefilter { column: p.column, op, value })
}
