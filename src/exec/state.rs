//! Each stage's state in the push pipeline, and the whole indices the joining steps read.

use super::aggregate::AggState;
use super::{enrich, join, sort, ExecError};
use crate::plan::{Stage, Step};
use crate::types::ColumnDef;
use arrow::array::RecordBatch;

/// Per-stage state of the push pipeline.
pub(super) enum State {
    Streaming,
    Limit(usize),
    Sort(sort::Sorter),
    Aggregate(Box<AggState>),
    /// INLINE STATS holds every input row until the STATS is known; FORK until each branch
    /// can run over all of them.
    Inline(Vec<RecordBatch>),
    /// LOOKUP JOIN: the index, read and keyed when the first row comes.
    Lookup(Option<Box<join::Lookup>>),
    /// ENRICH: the policy's sources, likewise.
    Enrich(Option<Box<enrich::EnrichTable>>),
    /// SAMPLE: the random sequence (splitmix64), one draw per row in order.
    Sample(crate::rng::Rng),
}

/// Whole indices, for the steps that join with one (LOOKUP JOIN, ENRICH).
pub trait Tables {
    /// Every row of `index`, as `columns`.
    fn read(&self, index: &str, columns: &[ColumnDef]) -> Result<Vec<RecordBatch>, ExecError>;
}

/// No index at all (ROW queries without a data directory, tests).
pub struct NoTables;

impl Tables for NoTables {
    fn read(&self, index: &str, _: &[ColumnDef]) -> Result<Vec<RecordBatch>, ExecError> {
        Err(ExecError::Failed(format!("index [{index}] cannot be read: no data directory")))
    }
}

/// The state each stage starts in.
pub(super) fn states(stages: &[Stage], seed: u64) -> Vec<State> {
    stages
        .iter()
        .enumerate()
        .map(|(j, s)| match &s.step {
            Step::Sample(_) => State::Sample(crate::rng::Rng::from_state(seed.wrapping_add(j as u64))),
            Step::Limit(n) => State::Limit(*n),
            Step::Sort(_) => State::Sort(sort::Sorter::new(limit_after(&stages[j + 1..]))),
            Step::Aggregate(a) => State::Aggregate(Box::new(AggState::new(a))),
            Step::InlineStats(_) | Step::Fork(_) | Step::ChangePoint(_) => State::Inline(Vec::new()),
            Step::LookupJoin(_) => State::Lookup(None),
            Step::Enrich(_) => State::Enrich(None),
            _ => State::Streaming,
        })
        .collect()
}

/// The LIMIT a SORT's output meets before anything changes the row count: the SORT keeps
/// only that many rows (EVAL and KEEP between them see just those, as in Elasticsearch,
/// which pushes the limit down into a top-N).
fn limit_after(stages: &[Stage]) -> Option<usize> {
    for s in stages {
        match &s.step {
            Step::Limit(n) => return Some(*n),
            Step::Eval { .. } | Step::Project(_) => {}
            _ => return None,
        }
    }
    None
}
