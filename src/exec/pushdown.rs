//! The plan's [`Pushdown`] made concrete for a run: a date bound folded at `now` into the
//! scan's [`Prefilter`].

use super::fold::fold;
use crate::functions::Comparison;
use crate::io::scan::prefilter::{Bound, Prefilter, Test};
use crate::plan::{PlanKind, PushTest, Pushdown};
use crate::types::{Cell, Value};

/// The scan's prefilter for `p` at `now_ms`; for a range, when the bound folds to a date.
pub fn prefilter(p: &Pushdown, now_ms: i64) -> Option<Prefilter> {
    let test = match &p.test {
        PushTest::Keywords(values) => Test::Keywords(values.clone()),
        PushTest::Matches(m) => Test::Matches(m.clone()),
        PushTest::Range { op, bound } => {
            let mut bound = bound.clone();
            fold(&mut bound, now_ms);
            let PlanKind::Literal(Cell::One(Value::Date(value))) = bound.kind else { return None };
            let op = match op {
                Comparison::Greater => Bound::Gt,
                Comparison::AtLeast => Bound::Ge,
                Comparison::Less => Bound::Lt,
                Comparison::AtMost => Bound::Le,
                Comparison::Equal | Comparison::NotEqual => return None,
            };
            Test::Date(op, value)
        }
    };
    Some(Prefilter { column: p.column, test })
}
