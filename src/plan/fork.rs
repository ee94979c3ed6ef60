//! `FORK (branch) (branch) ...`: each branch, a pipe of its own, runs over the same input
//! rows; the result is every branch's rows, each with `_fork` naming its branch (`fork1`,
//! ...). Columns are the branches' columns in order of first appearance, `_fork` after the
//! first branch's (Elasticsearch appends `EVAL _fork = "forkN"` to each branch); a column a
//! branch lacks is null in its rows. As in Elasticsearch, a branch without LIMIT gets the
//! default one.

use super::commands::Planner;
use super::{error, Fork, Stage, Step, DEFAULT_LIMIT, MAX_LIMIT};
use crate::diagnostic::Diagnostic;
use crate::syntax::Command;
use crate::types::{ColumnDef, EsType};

impl Planner<'_> {
    /// The stage of one FORK.
    pub fn fork(&mut self, branches: &[Vec<Command>], input: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        let mut planned: Vec<Vec<Stage>> = Vec::new();
        let mut outputs: Vec<Vec<ColumnDef>> = Vec::new();
        // Each branch starts from the constants of the FORK's input.
        let before = self.constants.snapshot();
        for branch in branches {
            self.constants.restore(before.clone());
            let mut stages: Vec<Stage> = Vec::new();
            for cmd in branch {
                let schema = stages.last().map_or(input, |s| &s.schema).to_vec();
                stages.extend(self.command(cmd, &schema, k)?);
            }
            let schema = stages.last().map_or(input, |s| &s.schema).to_vec();
            match stages.last_mut() {
                Some(Stage { step: Step::Limit(n), .. }) => *n = (*n).min(MAX_LIMIT),
                _ => stages.push(Stage { step: Step::Limit(DEFAULT_LIMIT), schema: schema.clone(), command: k }),
            }
            let mut out = schema;
            out.push(ColumnDef::new("_fork", EsType::Keyword));
            planned.push(stages);
            outputs.push(out);
        }
        let mut columns: Vec<ColumnDef> = Vec::new();
        for (b, out) in outputs.iter().enumerate() {
            for c in out {
                match columns.iter().find(|u| u.name == c.name) {
                    Some(u) if u.ty != c.ty && u.ty != EsType::Null && c.ty != EsType::Null => {
                        let span = branches[b].first().map_or(crate::syntax::Span { start: 0, end: 0 }, |c| c.span);
                        return Err(error(
                            format!(
                                "Column [{}] has conflicting data types in FORK branches: [{}] and [{}]",
                                c.name, u.ty, c.ty
                            ),
                            span,
                        ));
                    }
                    Some(_) => {}
                    None => columns.push(c.clone()),
                }
            }
        }
        let maps = outputs
            .iter()
            .map(|out| columns.iter().map(|c| out.iter().position(|o| o.name == c.name)).collect())
            .collect();
        let step = Step::Fork(Box::new(Fork { branches: planned, maps }));
        Ok(vec![Stage { step, schema: columns, command: k }])
    }
}
