//! `INLINE STATS`: a STATS over every row of its input, whose aggregates are then added to
//! each row of the group, in Elasticsearch's column order (the input's other columns, the
//! aggregates, the keys). Computed keys (`BY l = SUBSTRING(name, 0, 1)`) become columns of
//! the rows first, as Elasticsearch evaluates them.

use super::commands::Planner;
use super::{error, InlineStats, Stage, Step};
use crate::diagnostic::Diagnostic;
use crate::syntax::{Expr, ExprKind, Field, Stats};
use crate::types::ColumnDef;

impl Planner<'_> {
    /// The stages of one INLINE STATS command.
    pub fn inline_stats(&self, stats: &Stats, input: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        self.warn_shadowed(stats);
        let with_keys = self.reusing_keys(stats);
        let (mut stages, schema) = self.computed_keys(&with_keys, input, k)?;
        // The keys are columns of the rows now: the STATS groups by them by name.
        // A key named again later is replaced by the later one (`BY x = a, x = b`).
        let names: Vec<String> = with_keys.by.iter().map(|g| self.output_name(g)).collect();
        let by: Vec<Field> = with_keys
            .by
            .iter()
            .enumerate()
            .filter(|(j, _)| !names[j + 1..].contains(&names[*j]))
            .map(|(_, g)| Field {
                name: None,
                expr: Expr { kind: ExprKind::Field(self.output_name(g)), span: g.span },
                span: g.span,
            })
            .collect();
        let plain = Stats { aggs: with_keys.aggs.clone(), by };
        let sub = self.stats_quietly(&plain, &schema, k)?;
        let out = sub.last().map_or(&schema, |s| &s.schema);
        let aggs = out.len() - plain.by.len();
        let mut keys = Vec::new();
        for g in &plain.by {
            let ExprKind::Field(name) = &g.expr.kind else { continue };
            let at = schema.iter().rposition(|c| c.name == *name);
            keys.push(at.ok_or_else(|| error("internal error: lost a key", g.span))?);
        }
        // A column named as an aggregate or a key gives way to it.
        let shadowed = |name: &str| out.iter().any(|a| a.name == name);
        let keep: Vec<usize> = (0..schema.len()).filter(|i| !keys.contains(i) && !shadowed(&schema[*i].name)).collect();
        let mut columns: Vec<ColumnDef> = keep.iter().map(|&i| schema[i].clone()).collect();
        columns.extend(out[..aggs].iter().cloned());
        columns.extend(keys.iter().map(|&i| schema[i].clone()));
        let step = Step::InlineStats(Box::new(InlineStats { stats: sub, keys, keep, aggs }));
        stages.push(Stage { step, schema: columns, command: k });
        Ok(stages)
    }
}
