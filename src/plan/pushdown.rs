//! What of a query the scan can do itself, decided with the rest of the plan: one condition
//! of the first `WHERE` (the WHERE itself or one of its ANDed parts) that Elasticsearch
//! would answer from its index before loading a document, of one of two kinds:
//! - `date_column OP bound` (either side; OP one of `<`, `<=`, `>`, `>=`) whose bound reads
//!   no column (`@timestamp > now() - 8 hours` opens most rules), evaluated when the query
//!   runs, since `now()` is only known then;
//! - `keyword_column == "text"` or `keyword_column IN ("a", "b")`.
//!
//! The scan drops rows that fail it while decoding; the WHERE still runs on the rows it
//! keeps. A rejected row fails the whole WHERE (a failing part of an AND fails it), and its
//! other parts are not evaluated, as Elasticsearch evaluates them only over the documents
//! its index query matched. A date range is preferred: it is what rules open with.

use super::{LogicalPlan, PlanExpr, PlanKind, Step};
use crate::functions::{ColumnKernel, Comparison};
use crate::types::{Cell, EsType, Value};

/// One condition the scan applies, on the column at `column` of the source's columns.
#[derive(Clone, Debug)]
pub struct Pushdown {
    /// The column.
    pub column: usize,
    /// What its value must be.
    pub test: PushTest,
}

/// What a pushed-down condition asks of its column's value.
#[derive(Clone, Debug)]
pub enum PushTest {
    /// A date compared with a constant expression (no column), the column on the left.
    Range {
        /// How the column compares with the bound.
        op: Comparison,
        /// The bound.
        bound: PlanExpr,
    },
    /// A keyword equal to one of these.
    Keywords(Vec<String>),
}

/// The pushdown of `plan`'s first step, if it has one.
pub(super) fn pushdown(plan: &LogicalPlan) -> Option<Pushdown> {
    let Step::Where(cond) = &plan.stages.first()?.step else { return None };
    let mut parts = Vec::new();
    conjuncts(cond, &mut parts);
    parts.iter().find_map(|c| range(c)).or_else(|| parts.iter().find_map(|c| keywords(c)))
}

/// The parts of an AND chain (the expression itself when it is not one).
fn conjuncts<'e>(e: &'e PlanExpr, out: &mut Vec<&'e PlanExpr>) {
    match &e.kind {
        PlanKind::And(a, b) => {
            conjuncts(a, out);
            conjuncts(b, out);
        }
        _ => out.push(e),
    }
}

fn range(cond: &PlanExpr) -> Option<Pushdown> {
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
    Some(Pushdown { column, test: PushTest::Range { op, bound: bound.clone() } })
}

fn keywords(cond: &PlanExpr) -> Option<Pushdown> {
    let (column, values) = match &cond.kind {
        PlanKind::Call { func, args, .. } if func.column == Some(ColumnKernel::Compare(Comparison::Equal)) => {
            match args.as_slice() {
                [c, v] | [v, c] if matches!(c.kind, PlanKind::Column(_)) && text(v).is_some() => (c, vec![v]),
                _ => return None,
            }
        }
        PlanKind::In(c, list) => (&**c, list.iter().collect()),
        _ => return None,
    };
    let PlanKind::Column(k) = column.kind else { return None };
    let values: Option<Vec<String>> = values.into_iter().map(text).collect();
    (column.ty == EsType::Keyword).then_some(Pushdown { column: k, test: PushTest::Keywords(values?) })
}

/// A string constant.
fn text(e: &PlanExpr) -> Option<String> {
    match &e.kind {
        PlanKind::Literal(Cell::One(Value::Str(s))) => Some(s.to_string()),
        _ => None,
    }
}

fn reads_a_column(e: &PlanExpr) -> bool {
    matches!(e.kind, PlanKind::Column(_)) || e.children().into_iter().any(reads_a_column)
}
