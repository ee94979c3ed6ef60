//! Which source columns a plan reads: walked backwards from the result, so that a scan
//! decodes only what some stage uses (the seed rule reads 7 of ~100 fields).

use super::{LogicalPlan, PlanExpr, PlanKind, Source, Step};

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
    let mut needed = vec![true; plan.schema().len()];
    for (k, stage) in plan.stages.iter().enumerate().rev() {
        let input_len = if k == 0 { plan.source_schema.len() } else { plan.stages[k - 1].schema.len() };
        needed = needed_inputs(&stage.step, &needed, input_len);
    }
    if let Source::From { needed: n, .. } = &mut plan.source {
        *n = needed;
    }
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
            for (k, &i) in keep.iter().enumerate() {
                input[i] |= out.get(k).copied().unwrap_or(true);
            }
            columns_of(e, &mut input);
        }
        Step::Project(cols) => {
            for (k, &i) in cols.iter().enumerate() {
                input[i] |= out.get(k).copied().unwrap_or(true);
            }
        }
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
            for (k, &i) in e.keep.iter().enumerate() {
                input[i] |= out.get(k).copied().unwrap_or(true);
            }
            input[e.input] = true;
        }
        Step::LookupJoin(j) => {
            for (k, &i) in j.keep.iter().enumerate() {
                input[i] |= out.get(k).copied().unwrap_or(true);
            }
            j.left_keys.iter().for_each(|&i| input[i] = true);
        }
        Step::ChangePoint(c) => {
            for (k, &i) in c.keep.iter().enumerate() {
                input[i] |= out.get(k).copied().unwrap_or(true);
            }
            input[c.value] = true;
            input[c.key] = true;
        }
        Step::Fork(f) => {
            for stages in &f.branches {
                let mut needed = vec![true; stages.last().map_or(input_len, |st| st.schema.len())];
                for (j, st) in stages.iter().enumerate().rev() {
                    let len = if j == 0 { input_len } else { stages[j - 1].schema.len() };
                    needed = needed_inputs(&st.step, &needed, len);
                }
                input.iter_mut().zip(needed).for_each(|(i, n)| *i |= n);
            }
        }
        Step::InlineStats(s) => {
            for (k, &i) in s.keep.iter().enumerate() {
                input[i] |= out.get(k).copied().unwrap_or(true);
            }
            s.keys.iter().for_each(|&i| input[i] = true);
            // The STATS reads what its own stages need, all of its output being used.
            let mut needed = vec![true; s.stats.last().map_or(0, |st| st.schema.len())];
            for (j, st) in s.stats.iter().enumerate().rev() {
                let len = if j == 0 { input_len } else { s.stats[j - 1].schema.len() };
                needed = needed_inputs(&st.step, &needed, len);
            }
            input.iter_mut().zip(needed).for_each(|(i, n)| *i |= n);
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
