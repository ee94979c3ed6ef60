//! STATS whose keys and aggregate arguments are input columns read as they are (the common
//! shape: an EVAL names the values, the STATS counts them): nothing there can warn, so the
//! rows' groups are found first, then each aggregate takes its column's cells in row order,
//! with no expression evaluated per row and aggregate. The seed rule spent a third of its
//! STATS time in that evaluation.

use super::slots::Arg;
use super::AggState;
use crate::exec::eval::Rows;
use crate::plan::{Aggregate, PlanExpr};

impl AggState {
    /// [`AggState::update`] when every key and every aggregate's argument is an input
    /// column read as it is and no aggregate has its own WHERE; `false`, having done
    /// nothing, otherwise. Groups are made in the same order, and each accumulator takes
    /// the same cells in the same order, as row by row.
    pub(super) fn update_plain(&mut self, agg: &Aggregate, rows: &Rows<'_>, n: usize) -> bool {
        let Some(keys) = agg.groups.iter().map(PlanExpr::read_column).collect::<Option<Vec<_>>>() else { return false };
        let mut args = Vec::with_capacity(agg.aggs.len());
        for call in &agg.aggs {
            match (call.filter.is_some(), call.args.as_slice()) {
                (false, []) => args.push(None),
                (false, [a]) => match a.read_column() {
                    Some(c) => args.push(Some(c)),
                    None => return false,
                },
                _ => return false,
            }
        }
        // Row r's groups are flat[at[r]..at[r + 1]]: several when a key is multi-valued.
        let (mut flat, mut at) = (Vec::with_capacity(n), Vec::with_capacity(n + 1));
        at.push(0);
        let (mut key_cells, mut key) = (Vec::with_capacity(keys.len()), Vec::with_capacity(keys.len()));
        for r in 0..n {
            key_cells.clear();
            key_cells.extend(keys.iter().map(|&c| rows.cell(c, r)));
            self.groups_of(&mut key_cells, &mut key, &mut flat);
            at.push(flat.len());
        }
        for (slots, arg) in self.slots.iter_mut().zip(args) {
            let arg = arg.map_or(Arg::Star, |c| Arg::Column(rows.readers.get(c)));
            slots.add_column(arg, &flat, &at);
        }
        true
    }
}
