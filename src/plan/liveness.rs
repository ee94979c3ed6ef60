//! Which source columns a plan reads: walked backwards from the result, so that a scan
//! decodes only what some stage uses (the seed rule reads 7 of ~100 fields).

use super::{LogicalPlan, PlanExpr, PlanKind, Source, Stage, Step};

/// Adds the columns `e` reads to `needed`.
pub fn columns_of(e: &PlanExpr, needed: &mut [bool]) {
    if let PlanKind::Column(i) = e.kind {
        if let Some(n) = needed.get_mut(i) {
            *n = true;
        }
    }
    e.children().into_iter().for_each(|c| columns_of(c, needed));
}

/// Sets `needed` on a FROM source.
pub fn mark_needed(plan: &mut LogicalPlan) {
    let needed = needed_by(&plan.stages, plan.source_schema.len());
    if let Source::From { needed: n, .. } = &mut plan.source {
        *n = needed;
    }
}

/// The input columns `stages` read (of `input_len`), every column of their output used:
/// walked from the last stage back.
fn needed_by(stages: &[Stage], input_len: usize) -> Vec<bool> {
    let mut needed = vec![true; stages.last().map_or(input_len, |s| s.schema.len())];
    for (k, stage) in stages.iter().enumerate().rev() {
        let len = if k == 0 { input_len } else { stages[k - 1].schema.len() };
        needed = needed_inputs(&stage.step, &needed, len);
    }
    needed
}

/// Input column `keep[k]` is needed when output column `k` is.
fn through(keep: &[usize], out: &[bool], input: &mut [bool]) {
    for (k, &i) in keep.iter().enumerate() {
        input[i] |= out.get(k).copied().unwrap_or(true);
    }
}

fn or_into(input: &mut [bool], more: Vec<bool>) {
    input.iter_mut().zip(more).for_each(|(i, n)| *i |= n);
}

fn needed_inputs(step: &Step, out: &[bool], input_len: usize) -> Vec<bool> {
    let mut input = vec![false; input_len];
    match step {
        Step::Where(e) => {
            input.copy_from_slice(&out[..input_len.min(out.len())]);
            columns_of(e, &mut input);
        }
        Step::Eval { exprs, keep } => {
            // The first expression reads the input; later ones read a prefix of the output
            // (the kept columns, then those computed before them).
            let mut inner: Vec<bool> =
                (0..keep.len() + exprs.len()).map(|k| out.get(k).copied().unwrap_or(true)).collect();
            exprs.iter().skip(1).for_each(|e| columns_of(e, &mut inner));
            for (k, &i) in keep.iter().enumerate() {
                input[i] |= inner[k];
            }
            exprs.iter().take(1).for_each(|e| columns_of(e, &mut input));
        }
        Step::Extract { input: e, keep, .. } => {
            through(keep, out, &mut input);
            columns_of(e, &mut input);
        }
        Step::Project(cols) => through(cols, out, &mut input),
        Step::Sort(keys) => {
            input.copy_from_slice(&out[..input_len.min(out.len())]);
            keys.iter().for_each(|s| columns_of(&s.expr, &mut input));
        }
        Step::Limit(_) | Step::Sample(_) => input.copy_from_slice(&out[..input_len.min(out.len())]),
        Step::MvExpand(c) => {
            input.copy_from_slice(&out[..input_len.min(out.len())]);
            input[*c] = true;
        }
        Step::Enrich(e) => {
            through(&e.keep, out, &mut input);
            input[e.input] = true;
        }
        Step::LookupJoin(j) => {
            through(&j.keep, out, &mut input);
            j.left_keys.iter().for_each(|&i| input[i] = true);
        }
        Step::ChangePoint(c) => {
            through(&c.keep, out, &mut input);
            input[c.value] = true;
            input[c.key] = true;
        }
        // A branch, or the STATS of an INLINE STATS, reads what its own stages need, all of
        // its output being used.
        Step::Fork(f) => f.branches.iter().for_each(|b| or_into(&mut input, needed_by(b, input_len))),
        Step::InlineStats(s) => {
            through(&s.keep, out, &mut input);
            s.keys.iter().for_each(|&i| input[i] = true);
            or_into(&mut input, needed_by(&s.stats, input_len));
        }
        Step::Aggregate(a) => {
            a.groups.iter().for_each(|g| columns_of(g, &mut input));
            for call in &a.aggs {
                call.args.iter().chain(call.filter.iter()).for_each(|e| columns_of(e, &mut input));
            }
        }
    }
    input
}
