//! The steps of the commands that join, fork or gather beyond STATS: what the planner
//! decides for them and the executor reads.

use super::Stage;
use crate::types::ColumnDef;

/// `LOOKUP JOIN index ON keys`: a left join with an index in lookup mode. A row whose key
/// is null or multi-valued matches nothing; one matching N rows of the index gives N rows.
/// Output: the kept input columns, then the index's columns added.
#[derive(Clone, Debug)]
pub struct LookupJoin {
    /// The lookup index.
    pub index: String,
    /// Its columns, as read.
    pub columns: Vec<ColumnDef>,
    /// Key columns of the input.
    pub left_keys: Vec<usize>,
    /// The matching key columns of the index.
    pub right_keys: Vec<usize>,
    /// Input columns kept (those the index's columns replace are left out).
    pub keep: Vec<usize>,
    /// Index columns added.
    pub add: Vec<usize>,
}

/// `ENRICH policy ON field WITH fields`: one row out per row in, with the enrich fields of
/// every source document the row's value matches (several: their values together).
#[derive(Clone, Debug)]
pub struct Enrich {
    /// The policy, as `range` (the match field holds ranges) or `match`.
    pub range: bool,
    /// The source indices.
    pub indices: Vec<String>,
    /// What is read of them: the match field as text, then the enrich fields added.
    pub columns: Vec<ColumnDef>,
    /// The input column matched.
    pub input: usize,
    /// Input columns kept (those an enrich field replaces are left out).
    pub keep: Vec<usize>,
    /// The column of `columns` each added column comes from.
    pub outputs: Vec<usize>,
}

/// `FORK (...) (...)`: the branches' stages, each over this step's input, and for each
/// branch where each output column comes from in its output (the last being `_fork`).
#[derive(Clone, Debug)]
pub struct Fork {
    /// The branches, planned.
    pub branches: Vec<Vec<Stage>>,
    /// Per branch, per output column: its column in the branch's output plus `_fork`.
    pub maps: Vec<Vec<Option<usize>>>,
}

/// `CHANGE_POINT value ON key`: output is the kept columns, then the change type and its
/// p-value (null on every row but the change point's).
#[derive(Clone, Debug)]
pub struct ChangePoint {
    /// The value column.
    pub value: usize,
    /// The key column the rows are sorted by.
    pub key: usize,
    /// Input columns kept (not named like the two added).
    pub keep: Vec<usize>,
}

/// `INLINE STATS aggs BY keys`: the STATS runs over every input row, then each row gets the
/// aggregates of its group. Output: the kept input columns, the aggregates, the keys.
#[derive(Clone, Debug)]
pub struct InlineStats {
    /// The STATS, over this step's input: its output is the aggregates, then the keys.
    pub stats: Vec<Stage>,
    /// The input columns holding the keys, in the STATS's key order.
    pub keys: Vec<usize>,
    /// The input columns kept (not keys, not shadowed by an aggregate's name).
    pub keep: Vec<usize>,
    /// How many aggregate columns the STATS output starts with.
    pub aggs: usize,
}
