//! Rows joined with a table by key. INLINE STATS gives each row the aggregates of its group
//! (a multi-valued key belongs to several groups: their values are put together, as
//! Elasticsearch does); the lookup of rows by key is shared with the other joins.

use super::aggregate::{expand_keys, Key};
use super::{batch, ExecError};
use crate::plan::{InlineStats, LookupJoin};
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::{ArrayRef, RecordBatch};
use std::collections::HashMap;

/// A table's rows by the values of its key columns.
pub(super) struct KeyIndex {
    rows: HashMap<Key, Vec<usize>>,
}

impl KeyIndex {
    /// Indexes `table` by `keys` (a multi-valued key indexes the row under each value).
    pub(super) fn build(table: &RecordBatch, schema: &[ColumnDef], keys: &[usize]) -> KeyIndex {
        let readers: Vec<ColumnReader<'_>> =
            keys.iter().map(|&k| ColumnReader::new(table.column(k).as_ref(), schema[k].ty)).collect();
        let mut rows: HashMap<Key, Vec<usize>> = HashMap::new();
        for row in 0..table.num_rows() {
            let cells: Vec<Cell<'_>> = readers.iter().map(|r| r.cell(row)).collect();
            for key in expand_keys(&cells) {
                rows.entry(key.into_iter().map(|v| v.map(Value::into_owned)).collect()).or_default().push(row);
            }
        }
        KeyIndex { rows }
    }

    /// The rows whose keys match `cells`, in table order, each once.
    pub(super) fn find(&self, cells: &[Cell<'_>]) -> Vec<usize> {
        let mut found: Vec<usize> =
            expand_keys(cells).iter().filter_map(|k| self.rows.get(k)).flatten().copied().collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// One output batch per input batch: the kept columns, the aggregates of the row's groups
/// (from `stats`, of `stats_schema`: aggregates then keys), the keys.
pub(super) fn inline_stats(
    step: &InlineStats,
    input: &[ColumnDef],
    batches: &[RecordBatch],
    (stats, stats_schema): (Option<&RecordBatch>, &[ColumnDef]),
    out: &[ColumnDef],
) -> Result<Vec<RecordBatch>, ExecError> {
    let Some(stats) = stats else { return Ok(Vec::new()) };
    let stats_keys: Vec<usize> = (step.aggs..stats.num_columns()).collect();
    let index = KeyIndex::build(stats, stats_schema, &stats_keys);
    let agg_readers: Vec<ColumnReader<'_>> =
        (0..step.aggs).map(|j| ColumnReader::new(stats.column(j).as_ref(), stats_schema[j].ty)).collect();
    let mut produced = Vec::with_capacity(batches.len());
    for b in batches {
        let keys: Vec<ColumnReader<'_>> =
            step.keys.iter().map(|&k| ColumnReader::new(b.column(k).as_ref(), input[k].ty)).collect();
        let mut builders: Vec<ColumnBuilder> =
            stats_schema[..step.aggs].iter().map(|c| ColumnBuilder::new(c.ty)).collect();
        for row in 0..b.num_rows() {
            let cells: Vec<Cell<'_>> = keys.iter().map(|r| r.cell(row)).collect();
            let groups = index.find(&cells);
            for (builder, reader) in builders.iter_mut().zip(&agg_readers) {
                let values: Vec<Value<'_>> = groups.iter().flat_map(|&g| reader.cell(g).values().to_vec()).collect();
                builder.push_values(&values);
            }
        }
        let mut cols: Vec<ArrayRef> = step.keep.iter().map(|&k| b.column(k).clone()).collect();
        cols.extend(builders.into_iter().map(ColumnBuilder::finish));
        cols.extend(step.keys.iter().map(|&k| b.column(k).clone()));
        produced.push(batch(out, cols, b.num_rows())?);
    }
    Ok(produced)
}

/// A lookup index read whole, with its rows by key.
pub(super) struct Lookup {
    table: Option<RecordBatch>,
    index: KeyIndex,
}

impl Lookup {
    pub(super) fn new(step: &LookupJoin, table: Option<RecordBatch>) -> Lookup {
        let index = match &table {
            Some(t) => KeyIndex::build(t, &step.columns, &step.right_keys),
            None => KeyIndex { rows: HashMap::new() },
        };
        Lookup { table, index }
    }

    /// The rows of `b` joined: a row matching N index rows N times, a row matching none (a
    /// null or multi-valued key among them) once with nulls.
    pub(super) fn join(
        &self,
        step: &LookupJoin,
        b: &RecordBatch,
        input: &[ColumnDef],
        out: &[ColumnDef],
    ) -> Result<RecordBatch, ExecError> {
        let keys: Vec<ColumnReader<'_>> =
            step.left_keys.iter().map(|&k| ColumnReader::new(b.column(k).as_ref(), input[k].ty)).collect();
        let (mut left, mut right): (Vec<u32>, Vec<Option<u32>>) = (Vec::new(), Vec::new());
        for row in 0..b.num_rows() {
            let cells: Vec<Cell<'_>> = keys.iter().map(|r| r.cell(row)).collect();
            let single = cells.iter().all(|c| matches!(c, Cell::One(_)));
            let found = if single { self.index.find(&cells) } else { Vec::new() };
            if found.is_empty() {
                left.push(row as u32);
                right.push(None);
            }
            for r in found {
                left.push(row as u32);
                right.push(Some(r as u32));
            }
        }
        let left = arrow::array::UInt32Array::from(left);
        let right = arrow::array::UInt32Array::from(right);
        let mut cols: Vec<ArrayRef> = Vec::with_capacity(out.len());
        for &k in &step.keep {
            cols.push(arrow::compute::take(b.column(k).as_ref(), &left, None)?);
        }
        for &r in &step.add {
            cols.push(match &self.table {
                Some(t) => arrow::compute::take(t.column(r).as_ref(), &right, None)?,
                None => arrow::array::new_null_array(&arrow::datatypes::DataType::Null, left.len()),
            });
        }
        batch(out, cols, left.len())
    }
}

/// One FORK branch's rows as the FORK's columns: each from the branch's column `map`
/// gives, `_fork` (the branch's last, one past its output) its name, the rest null.
pub(super) fn fork_rows(
    b: &RecordBatch,
    map: &[Option<usize>],
    name: &str,
    out: &[ColumnDef],
) -> Result<RecordBatch, ExecError> {
    let n = b.num_rows();
    let cols: Vec<ArrayRef> = map
        .iter()
        .zip(out)
        .map(|(m, c)| match m {
            Some(k) if *k < b.num_columns() => b.column(*k).clone(),
            Some(_) => {
                let mut builder = ColumnBuilder::new(c.ty);
                (0..n).for_each(|_| builder.push(&Cell::One(Value::Str(std::borrow::Cow::Borrowed(name)))));
                builder.finish()
            }
            None => {
                let mut builder = ColumnBuilder::new(c.ty);
                (0..n).for_each(|_| builder.push_null());
                builder.finish()
            }
        })
        .collect();
    batch(out, cols, n)
}
