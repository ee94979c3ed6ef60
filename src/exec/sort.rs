//! SORT: gathers its input, orders rows by the keys (ascending with nulls last, descending
//! with nulls first by default; a multi-value sorts by its minimum ascending, maximum
//! descending), and keeps only the first `limit` rows when a LIMIT follows.

use super::eval::{eval, Rows};
use super::warnings::Warnings;
use super::{batch, concat, ExecError};
use crate::plan::{PlanKind, SortKey};
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, ColumnDef, EsType, Value};
use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use std::cmp::Ordering;

/// The sort key of one row: the representative value of each key.
fn representative<'a>(cell: Cell<'a>, key: &SortKey) -> Option<Value<'a>> {
    let ty = key.expr.ty;
    let want = if key.descending { Ordering::Greater } else { Ordering::Less };
    cell.into_values().into_iter().reduce(|a, b| if b.compare(&a, ty) == want { b } else { a })
}

fn compare_keys(a: &[Option<Value<'_>>], b: &[Option<Value<'_>>], keys: &[SortKey]) -> Ordering {
    for ((x, y), k) in a.iter().zip(b).zip(keys) {
        let ord = match (x, y) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => {
                if k.nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (Some(_), None) => {
                if k.nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Some(x), Some(y)) => {
                let o = x.compare(y, k.expr.ty);
                if k.descending {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Rows a top-N SORT gathers before cutting back to its limit, at least: cutting sorts, so
/// it pays to let a few batches arrive first.
const COMPACT_ROWS: usize = 16 * 1024;

/// SORT's running state. Each batch arrives with its sort keys evaluated once into extra
/// columns (so no row is evaluated twice, nor warned about twice); when a LIMIT follows and
/// the rows held pass twice the limit, they are cut back to the first `limit` in order, so
/// memory follows the limit, not the input (top-N).
pub struct Sorter {
    parts: Vec<RecordBatch>,
    rows: usize,
    limit: Option<usize>,
}

impl Sorter {
    /// An empty sorter; `limit` is the LIMIT that follows, if any.
    pub fn new(limit: Option<usize>) -> Sorter {
        Sorter { parts: Vec::new(), rows: 0, limit }
    }

    /// Takes one input batch.
    pub fn push(
        &mut self,
        b: &RecordBatch,
        schema: &[ColumnDef],
        keys: &[SortKey],
        now: i64,
        w: &mut Warnings,
    ) -> Result<(), ExecError> {
        let keyed = with_keys(b, schema, keys, self.limit, now, w)?;
        self.rows += keyed.num_rows();
        self.parts.push(keyed);
        if let Some(n) = self.limit {
            if self.rows >= 2 * n.max(COMPACT_ROWS) {
                let top = ordered(&self.parts, schema, keys, Some(n))?;
                self.rows = top.num_rows();
                self.parts = vec![top];
            }
        }
        Ok(())
    }

    /// The sorted rows (the first `limit` of them), without the key columns.
    pub fn finish(self, schema: &[ColumnDef], keys: &[SortKey]) -> Result<Vec<RecordBatch>, ExecError> {
        if self.parts.is_empty() {
            return Ok(vec![]);
        }
        let all = ordered(&self.parts, schema, keys, self.limit)?;
        Ok(vec![batch(schema, all.columns()[..schema.len()].to_vec(), all.num_rows())?])
    }
}

/// The input columns followed by one column per key.
fn keyed_schema(schema: &[ColumnDef], keys: &[SortKey]) -> Vec<ColumnDef> {
    let extra = keys.iter().enumerate().map(|(k, key)| ColumnDef::new(format!("\u{1}sort{k}"), key.expr.ty));
    schema.iter().cloned().chain(extra).collect()
}

/// `b` with each row's representative key values appended as columns; with a `limit`
/// below its size, only its first `limit` rows in key order. A row not among its batch's
/// first `limit` (ties go to the earlier row) has `limit` rows before it in any input that
/// holds the batch, so it is cut before the key columns are built: the 350k groups of a
/// high-cardinality STATS then cost one comparison each, not a copy.
fn with_keys(
    b: &RecordBatch,
    schema: &[ColumnDef],
    keys: &[SortKey],
    limit: Option<usize>,
    now: i64,
    w: &mut Warnings,
) -> Result<RecordBatch, ExecError> {
    if let Some(keyed) = by_plain_columns(b, schema, keys, limit)? {
        return Ok(keyed);
    }
    let rows = Rows::new(b, schema, now);
    let nk = keys.len();
    let mut key_values: Vec<Option<Value<'_>>> = Vec::with_capacity(b.num_rows() * nk);
    for r in 0..b.num_rows() {
        for k in keys {
            key_values.push(representative(eval(&k.expr, &rows, r, w), k));
        }
    }
    let row_keys = |r: u32| &key_values[r as usize * nk..][..nk];
    let mut order: Vec<u32> = (0..b.num_rows() as u32).collect();
    if let Some(n) = limit.filter(|&n| n < b.num_rows()) {
        first_in_order(&mut order, n, |a, b| compare_keys(row_keys(*a), row_keys(*b), keys).then(a.cmp(b)));
    }
    let mut builders: Vec<ColumnBuilder> = keys.iter().map(|k| ColumnBuilder::new(k.expr.ty)).collect();
    for &r in &order {
        for (v, builder) in row_keys(r).iter().zip(&mut builders) {
            match v {
                Some(v) => builder.push_values(std::slice::from_ref(v)),
                None => builder.push_null(),
            }
        }
    }
    let n = order.len();
    let mut cols = if n < b.num_rows() { taken(b.columns(), &UInt32Array::from(order))? } else { b.columns().to_vec() };
    cols.extend(builders.into_iter().map(ColumnBuilder::finish));
    batch(&keyed_schema(schema, keys), cols, n)
}

/// [`with_keys`] by [`kernel_order`] when every key is an input column.
fn by_plain_columns(
    b: &RecordBatch,
    schema: &[ColumnDef],
    keys: &[SortKey],
    limit: Option<usize>,
) -> Result<Option<RecordBatch>, ExecError> {
    let mut at = Vec::with_capacity(keys.len());
    for k in keys {
        let PlanKind::Column(c) = k.expr.kind else { return Ok(None) };
        if c >= b.num_columns() {
            return Ok(None);
        }
        at.push(c);
    }
    let arrays: Vec<ArrayRef> = at.iter().map(|&c| b.column(c).clone()).collect();
    let Some(idx) = kernel_order(&arrays, keys, limit)? else { return Ok(None) };
    // The key columns are input columns: taken once, shared by both places.
    let mut cols = taken(b.columns(), &idx)?;
    cols.extend(at.into_iter().map(|c| cols[c].clone()).collect::<Vec<_>>());
    Ok(Some(batch(&keyed_schema(schema, keys), cols, idx.len())?))
}

/// The first `limit` rows in key order by Arrow's sort kernel (a heap for a small limit),
/// when each key's array holds one value per row of a type Arrow orders as
/// [`Value::compare`] does: integers and dates by number, doubles by `total_cmp`, text by
/// bytes, false before true. The row's position, as a last key, breaks ties as the general
/// path does. A high-cardinality STATS before `SORT … LIMIT` spent 75 ms building a value
/// per row and comparing values; the kernel compares the arrays in place.
fn kernel_order(arrays: &[ArrayRef], keys: &[SortKey], limit: Option<usize>) -> Result<Option<UInt32Array>, ExecError> {
    use arrow::compute::{lexsort_to_indices, SortColumn, SortOptions};
    use arrow::datatypes::DataType;
    let mut columns = Vec::with_capacity(keys.len() + 1);
    for (values, k) in arrays.iter().zip(keys) {
        let plain = matches!(
            values.data_type(),
            DataType::Int32
                | DataType::Int64
                | DataType::UInt64
                | DataType::Float64
                | DataType::Boolean
                | DataType::Utf8
                | DataType::Timestamp(_, _)
        );
        if !plain || k.expr.ty == EsType::Version || *values.data_type() != k.expr.ty.arrow_type() {
            return Ok(None);
        }
        let options = SortOptions { descending: k.descending, nulls_first: k.nulls_first };
        columns.push(SortColumn { values: values.clone(), options: Some(options) });
    }
    let n = arrays.first().map_or(0, |a| a.len());
    let position = UInt32Array::from_iter_values(0..n as u32);
    columns.push(SortColumn { values: std::sync::Arc::new(position), options: None });
    Ok(Some(lexsort_to_indices(&columns, limit.filter(|&l| l < n))?))
}

/// Sorts `order` by `cmp`, keeping the first `limit`: those found in linear time, then
/// only they are sorted.
fn first_in_order(order: &mut Vec<u32>, limit: usize, cmp: impl Fn(&u32, &u32) -> Ordering) {
    if limit < order.len() {
        if limit > 0 {
            order.select_nth_unstable_by(limit - 1, &cmp);
        }
        order.truncate(limit);
    }
    order.sort_unstable_by(cmp);
}

/// The keyed `parts` as one batch in key order, cut to `limit` rows.
fn ordered(
    parts: &[RecordBatch],
    schema: &[ColumnDef],
    keys: &[SortKey],
    limit: Option<usize>,
) -> Result<RecordBatch, ExecError> {
    let ext = keyed_schema(schema, keys);
    let all = concat(parts, &ext)?.ok_or_else(|| ExecError::Internal("nothing to sort".into()))?;
    let idx = match kernel_order(&all.columns()[schema.len()..], keys, limit)? {
        Some(idx) => idx,
        None => general_order(&all, schema, keys, limit),
    };
    batch(&ext, taken(all.columns(), &idx)?, idx.len())
}

/// Each of `columns`, its rows at `idx` in that order.
fn taken(columns: &[ArrayRef], idx: &UInt32Array) -> Result<Vec<ArrayRef>, ExecError> {
    Ok(arrow::compute::take_arrays(columns, idx, None)?)
}

/// The first `limit` rows of `all` in key order, value by value.
fn general_order(all: &RecordBatch, schema: &[ColumnDef], keys: &[SortKey], limit: Option<usize>) -> UInt32Array {
    let readers: Vec<ColumnReader<'_>> = keys
        .iter()
        .enumerate()
        .map(|(k, key)| ColumnReader::new(all.column(schema.len() + k).as_ref(), key.expr.ty))
        .collect();
    // The keys of row r are key_values[r * nk..][..nk]: one allocation for all rows.
    let nk = keys.len();
    let key_values: Vec<Option<Value<'_>>> = (0..all.num_rows())
        .flat_map(|r| readers.iter().map(move |rd| rd.cell(r).into_values().into_iter().next()))
        .collect();
    let row_keys = |r: u32| &key_values[r as usize * nk..][..nk];
    // Input order breaks ties, which makes results repeatable (a stable sort); the rows kept
    // by an earlier cut come first, so cutting again keeps that order.
    let cmp = |a: &u32, b: &u32| compare_keys(row_keys(*a), row_keys(*b), keys).then(a.cmp(b));
    let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
    first_in_order(&mut order, limit.unwrap_or(usize::MAX), cmp);
    UInt32Array::from(order)
}

#[cfg(test)]
#[path = "sort_tests.rs"]
mod tests;
