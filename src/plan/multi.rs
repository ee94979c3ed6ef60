//! Which output columns can hold several values in a row, from the plan alone: what
//! `--format arrow` writes as `list<T>` (every other column is `T`), so a program reading the
//! result sees the same types whatever rows a query returns. Document fields can always hold
//! several values; computed columns only when a function or literal makes them (see
//! [`FunctionDef::may_give_many`](crate::functions::FunctionDef::may_give_many)). Unsure
//! means yes: a list is never wrong, a scalar column cannot hold a multi-value.

use super::{LogicalPlan, PlanExpr, PlanKind, Source, Stage, Step};
use crate::types::{Cell, ColumnDef};

/// Per output column of `plan`: whether a row can hold several values in it.
pub fn multi_columns(plan: &LogicalPlan) -> Vec<bool> {
    let mut flags = match &plan.source {
        Source::From { .. } => plan.source_schema.iter().map(field_can_be_many).collect(),
        Source::Row(cells) => cells.iter().map(|c| matches!(c, Cell::Many(_))).collect(),
        Source::ShowInfo => vec![false; plan.source_schema.len()],
    };
    for stage in &plan.stages {
        flags = step(stage, &flags);
    }
    flags
}

/// A FROM column: document fields yes; metadata no, but `_ignored` (a list of fields).
fn field_can_be_many(c: &ColumnDef) -> bool {
    let metadata = super::METADATA_FIELDS.iter().any(|(n, _)| *n == c.name);
    !metadata || c.name == "_ignored"
}

/// Whether `e` can give several values, its columns' flags being `cols`.
fn expr(e: &PlanExpr, cols: &[bool]) -> bool {
    match &e.kind {
        PlanKind::Column(k) => cols.get(*k).copied().unwrap_or(true),
        PlanKind::Literal(c) => matches!(c, Cell::Many(_)),
        PlanKind::Call { func, args, .. } => {
            let args: Vec<bool> = args.iter().map(|a| expr(a, cols)).collect();
            func.may_give_many(&args)
        }
        // CASE gives one of its values: odd positions, and the default last.
        PlanKind::Case(args) => {
            args.iter().enumerate().any(|(k, a)| (k % 2 == 1 || k + 1 == args.len()) && expr(a, cols))
        }
        PlanKind::And(..)
        | PlanKind::Or(..)
        | PlanKind::Not(_)
        | PlanKind::IsNull(..)
        | PlanKind::In(..)
        | PlanKind::Like(..)
        | PlanKind::Search(..) => false,
    }
}

/// The flags after one step, its input's being `flags`.
fn step(stage: &Stage, flags: &[bool]) -> Vec<bool> {
    let of = |k: &usize| flags.get(*k).copied().unwrap_or(true);
    match &stage.step {
        Step::Where(_) | Step::Sort(_) | Step::Limit(_) | Step::Sample(_) => flags.to_vec(),
        Step::Project(cols) => cols.iter().map(of).collect(),
        Step::MvExpand(c) => flags.iter().enumerate().map(|(k, m)| *m && k != *c).collect(),
        Step::Eval { exprs, keep } => {
            let mut out: Vec<bool> = keep.iter().map(of).collect();
            for (k, e) in exprs.iter().enumerate() {
                // The first expression reads the input, each later one the output so far.
                let m = if k == 0 { expr(e, flags) } else { expr(e, &out) };
                out.push(m);
            }
            out
        }
        Step::Aggregate(a) => {
            let aggs = a.aggs.iter().map(|c| {
                let args: Vec<bool> = c.args.iter().map(|x| expr(x, flags)).collect();
                c.func.may_give_many(&args)
            });
            // Groups take one value per row (a multi-valued key groups each of its values).
            aggs.chain(a.groups.iter().map(|_| false)).collect()
        }
        // GROK/DISSECT keep input columns and add text ones (GROK may repeat a name).
        Step::Extract { keep, .. } => {
            keep.iter().map(of).chain(std::iter::repeat(true)).take(stage.schema.len()).collect()
        }
        // The joins, INLINE STATS, FORK and CHANGE_POINT: lists, to be sure.
        _ => vec![true; stage.schema.len()],
    }
}
