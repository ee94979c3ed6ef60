//! Columns that hold a known constant, so that an argument Elasticsearch requires to be
//! foldable may name one: `EVAL span = "3 hours", x = t + span::time_duration`, or a ROW
//! column (its optimizer propagates the foldable values of ROW and EVAL before checking).
//! Only the places that need a constant look through a column to its value; every other
//! reference stays a column.

use super::{PlanExpr, PlanKind, Stage, Step};
use std::cell::RefCell;
use std::collections::HashMap;

/// The constant columns of the current schema, by name (the last column of a name).
#[derive(Default, Debug)]
pub(crate) struct Constants(RefCell<HashMap<String, PlanExpr>>);

impl Constants {
    /// Column `name` now holds `value`: a constant when it is a literal.
    pub fn assign(&self, name: &str, value: &PlanExpr) {
        let mut map = self.0.borrow_mut();
        match value.kind {
            PlanKind::Literal(_) => map.insert(name.to_string(), value.clone()),
            _ => map.remove(name),
        };
    }

    /// The constant column `name` holds, if any.
    pub fn get(&self, name: &str) -> Option<PlanExpr> {
        self.0.borrow().get(name).cloned()
    }

    /// A copy, to plan alternatives (FORK's branches) from the same state.
    pub fn snapshot(&self) -> HashMap<String, PlanExpr> {
        self.0.borrow().clone()
    }

    /// Back to a copy taken before.
    pub fn restore(&self, saved: HashMap<String, PlanExpr>) {
        *self.0.borrow_mut() = saved;
    }

    /// Follows a command's stages: EVAL's literals, KEEP, DROP and RENAME carry the values of
    /// the columns they keep under their new names, WHERE, SORT and LIMIT keep every value;
    /// any other step (MV_EXPAND, STATS, joins, GROK...) leaves no column known.
    pub fn follow(&self, input: &[crate::types::ColumnDef], stages: &[Stage]) {
        let mut schema = input;
        for stage in stages {
            match &stage.step {
                // EVAL and ROW assign as they are planned (`Planner::eval_fields`, which folds
                // `EVAL m = n` with n known); the other EVAL steps (STATS's, the nullified
                // columns') only add literals.
                Step::Eval { exprs, keep } => {
                    for (j, e) in exprs.iter().enumerate() {
                        if let (Some(col), PlanKind::Literal(_)) = (stage.schema.get(keep.len() + j), &e.kind) {
                            self.assign(&col.name, e);
                        }
                    }
                }
                Step::Project(cols) => {
                    let old = self.snapshot();
                    let kept = cols.iter().zip(&stage.schema).filter_map(|(&c, out)| {
                        let value = old.get(&schema.get(c)?.name)?;
                        Some((out.name.clone(), value.clone()))
                    });
                    self.restore(kept.collect());
                }
                Step::Where(_) | Step::Sort(_) | Step::Limit(_) => {}
                _ => self.restore(HashMap::new()),
            }
            schema = &stage.schema;
        }
    }
}
