//! Elasticsearch's `PushDownAndCombineFilters`: a WHERE runs as early as it can. It moves
//! below SORT, KEEP/DROP/RENAME, and below EVAL, GROK and DISSECT for the parts of it (its
//! AND-ed conditions) that read no column those create; never below LIMIT, STATS or
//! MV_EXPAND, which would change the answer. The rows are the same; what changes is which
//! rows later expressions see, so their warnings match Elasticsearch's (`EVAL
//! j = JSON_EXTRACT(...) | WHERE level == "ERROR"` evaluates only the errors), and the work.
//! Adjacent WHEREs stay apart (the explanation counts each command's rows) but are
//! evaluated as the one filter Elasticsearch makes of them ([`combined_after`]).

use super::{LogicalPlan, PlanExpr, PlanKind, Stage, Step};
use crate::types::{ColumnDef, EsType};

/// Moves every WHERE down as far as it goes.
pub fn push_down(plan: &mut LogicalPlan) {
    let mut j = 1;
    while j < plan.stages.len() {
        if sink(&mut plan.stages, j, &plan.source_schema) {
            // The moved part may go further down; what stayed is looked at again after it.
            j = (j - 1).max(1);
        } else {
            j += 1;
        }
    }
}

/// The conditions of the WHERE stages right after stage `j` that Elasticsearch combines
/// with its condition into one filter (`PushDownAndCombineFilters` ANDs adjacent filters),
/// where every condition sees every row: `WHERE a IN (b, true) | WHERE a != b` warns of
/// multi-valued `a` in both. Not a Query DSL filter (command 0, answered by the index) nor
/// the two halves [`search_first`] made of one WHERE (the search is answered by the index
/// too), which share a command.
pub fn combined_after(plan: &LogicalPlan, j: usize) -> Vec<&PlanExpr> {
    let mut out = Vec::new();
    let Some(Stage { step: Step::Where(_), command, .. }) = plan.stages.get(j) else { return out };
    let mut previous = *command;
    if previous == 0 {
        return out;
    }
    for s in &plan.stages[j + 1..] {
        match &s.step {
            Step::Where(c) if s.command != previous => out.push(c),
            _ => break,
        }
        previous = s.command;
    }
    out
}

/// Splits the full-text conditions of a WHERE right after FROM into a WHERE of their own that
/// runs first. Elasticsearch answers them in Lucene, where the other conditions only visit
/// the documents they match: `kql("host: beta") and cidr_match(ip1, ...)` warns of no
/// multi-valued `ip1` outside `beta`.
pub fn search_first(plan: &mut LogicalPlan) {
    let Some(Stage { step: Step::Where(cond), .. }) = plan.stages.first() else { return };
    let mut conjuncts = Vec::new();
    cond.clone().into_operands(true, &mut conjuncts);
    let (search, rest): (Vec<_>, Vec<_>) = conjuncts.into_iter().partition(has_search);
    let (Some(search), Some(rest)) = (and_all(search), and_all(rest)) else { return };
    let first = Stage { step: Step::Where(search), ..plan.stages[0].clone() };
    plan.stages[0].step = Step::Where(rest);
    plan.stages.insert(0, first);
}

fn has_search(e: &PlanExpr) -> bool {
    matches!(e.kind, PlanKind::Search(..)) || e.children().into_iter().any(has_search)
}

/// How the columns of a step's output come from its input.
pub(super) enum Pass {
    /// Unchanged (SORT).
    Same,
    /// Output column k is input column `map[k]`, or made by the step (`None`).
    Through(Vec<Option<usize>>),
}

/// Moves what it can of the WHERE at `j` below stage `j - 1`; true when something moved.
fn sink(stages: &mut Vec<Stage>, j: usize, source: &[ColumnDef]) -> bool {
    let Step::Where(cond) = &stages[j].step else { return false };
    let Some(pass) = pass(&stages[j - 1].step) else { return false };
    let mut conjuncts = Vec::new();
    cond.clone().into_operands(true, &mut conjuncts);
    let (mut moved, mut stay) = (Vec::new(), Vec::new());
    for c in conjuncts {
        match remap(&c, &pass) {
            Some(m) => moved.push(m),
            None => stay.push(c),
        }
    }
    let Some(moved) = and_all(moved) else { return false };
    let command = stages[j].command;
    let schema = if j >= 2 { stages[j - 2].schema.clone() } else { source.to_vec() };
    match and_all(stay) {
        Some(rest) => stages[j].step = Step::Where(rest),
        None => {
            stages.remove(j);
        }
    }
    stages.insert(j - 1, Stage { step: Step::Where(moved), schema, command });
    true
}

/// How a step passes columns through; `None` for steps a WHERE may not pass.
pub(super) fn pass(step: &Step) -> Option<Pass> {
    Some(match step {
        Step::Sort(_) => Pass::Same,
        Step::Project(cols) | Step::Extract { keep: cols, .. } => kept(cols),
        Step::Eval { exprs, keep } => {
            let mut out: Vec<Option<usize>> = keep.iter().map(|&c| Some(c)).collect();
            for (k, e) in exprs.iter().enumerate() {
                // A plain alias of a column is that column (`EVAL x = a | WHERE x > 1`); the
                // first expression reads the input, later ones the output so far.
                let alias = match e.kind {
                    PlanKind::Column(c) if k == 0 => Some(c),
                    PlanKind::Column(c) => out.get(c).copied().flatten(),
                    _ => None,
                };
                out.push(alias);
            }
            Pass::Through(out)
        }
        // A condition on the input's columns filters the same rows before a left join (the
        // columns it adds, past `keep`, map to nothing).
        Step::LookupJoin(j) => kept(&j.keep),
        Step::Enrich(e) => kept(&e.keep),
        // Which rows a WHERE keeps does not depend on the sample; it may go first.
        Step::Sample(_) => Pass::Same,
        Step::Where(_)
        | Step::Limit(_)
        | Step::Aggregate(_)
        | Step::InlineStats(_)
        | Step::Fork(_)
        | Step::ChangePoint(_)
        | Step::MvExpand(_) => return None,
    })
}

/// Output column k is input column `cols[k]`; any further one is made by the step.
fn kept(cols: &[usize]) -> Pass {
    Pass::Through(cols.iter().map(|&c| Some(c)).collect())
}

fn remap(e: &PlanExpr, pass: &Pass) -> Option<PlanExpr> {
    let mut out = e.clone();
    match pass {
        Pass::Same => Some(out),
        Pass::Through(map) => remap_in(&mut out, map).then_some(out),
    }
}

fn remap_in(e: &mut PlanExpr, map: &[Option<usize>]) -> bool {
    if let PlanKind::Column(c) = &mut e.kind {
        return match map.get(*c).copied().flatten() {
            Some(to) => {
                *c = to;
                true
            }
            None => false,
        };
    }
    e.children_mut().into_iter().all(|c| remap_in(c, map))
}

fn and_all(parts: Vec<PlanExpr>) -> Option<PlanExpr> {
    let mut it = parts.into_iter();
    let first = it.next()?;
    Some(it.fold(first, |acc, next| PlanExpr {
        origin: acc.origin.clone(),
        kind: PlanKind::And(Box::new(acc), Box::new(next)),
        ty: EsType::Boolean,
    }))
}
