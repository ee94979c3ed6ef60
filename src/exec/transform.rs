//! Streaming row-preserving steps: WHERE, EVAL, KEEP/DROP/RENAME, LIMIT, MV_EXPAND.

use super::eval::{eval, eval_column, Rows};
use super::warnings::Warnings;
use super::{batch, ExecError};
use crate::functions::grok::Extractor;
use crate::plan::{PlanExpr, PlanKind};
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::{ArrayRef, BooleanArray, NullArray, RecordBatch, RecordBatchOptions, UInt32Array};
use arrow::compute::FilterBuilder;
use arrow::datatypes::DataType;
use std::sync::Arc;

/// WHERE: keeps rows whose condition is true (not false, not null).
pub fn filter(
    b: &RecordBatch,
    input: &[ColumnDef],
    (cond, combined): (&PlanExpr, &[&PlanExpr]),
    now: i64,
    w: &mut Warnings,
) -> Result<RecordBatch, ExecError> {
    let rows = Rows::new(b, input, now);
    let mask = super::mask::mask(cond, b.columns(), &rows, b.num_rows(), w);
    if !combined.is_empty() {
        warn_rejected(b, input, &mask, combined, now, w)?;
    }
    filter_batch(b, &mask)
}

/// Elasticsearch evaluates the conditions of adjacent WHEREs as one filter, each over every
/// row: the `combined` conditions of the WHEREs that follow are evaluated here over the rows
/// this one rejects, for their warnings only (their own stages see the rows it keeps).
fn warn_rejected(
    b: &RecordBatch,
    input: &[ColumnDef],
    mask: &BooleanArray,
    combined: &[&PlanExpr],
    now: i64,
    w: &mut Warnings,
) -> Result<(), ExecError> {
    let rejected: BooleanArray = mask.iter().map(|m| Some(m != Some(true))).collect();
    if rejected.true_count() == 0 {
        return Ok(());
    }
    let rest = filter_batch(b, &rejected)?;
    let rows = Rows::new(&rest, input, now);
    for c in combined {
        super::mask::mask(c, rest.columns(), &rows, rest.num_rows(), w);
    }
    Ok(())
}

/// Keeps the rows of `b` where `mask` is true. Arrow's own batch filter copies untyped null
/// columns (the unread fields) one selected run at a time; here they are made anew, and
/// the mask is analysed once for all columns.
pub fn filter_batch(b: &RecordBatch, mask: &BooleanArray) -> Result<RecordBatch, ExecError> {
    let keep = mask.true_count();
    if keep == b.num_rows() {
        return Ok(b.clone());
    }
    let predicate = FilterBuilder::new(mask).optimize().build();
    let cols = b
        .columns()
        .iter()
        .map(|c| match c.data_type() {
            DataType::Null => Ok(Arc::new(NullArray::new(keep)) as ArrayRef),
            _ => predicate.filter(c),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(keep));
    Ok(RecordBatch::try_new_with_options(b.schema(), cols, &options)?)
}

/// EVAL: keeps `keep` and appends one computed column per expression. The first reads the
/// input columns (a column it replaces is still there); each later one reads the kept
/// columns and those appended before it, a prefix of the output.
pub fn eval_step(
    b: &RecordBatch,
    (input, out): (&[ColumnDef], &[ColumnDef]),
    exprs: &[PlanExpr],
    keep: &[usize],
    now: i64,
    w: &mut Warnings,
) -> Result<RecordBatch, ExecError> {
    let mut cols: Vec<ArrayRef> = keep.iter().map(|&i| b.column(i).clone()).collect();
    for (j, expr) in exprs.iter().enumerate() {
        let (over, schema) = if j == 0 { (b.columns(), input) } else { (cols.as_slice(), &out[..keep.len() + j]) };
        let fast = match &expr.kind {
            PlanKind::Case(args) => super::mask::case_columns(expr, args, over, b.num_rows()),
            _ => None,
        };
        let new = match fast {
            Some(a) => a,
            None => eval_column(expr, &Rows::over(over, schema, now), b.num_rows(), w),
        };
        cols.push(new);
    }
    batch(out, cols, b.num_rows())
}

/// KEEP, DROP, RENAME: picks columns by position.
pub fn project(b: &RecordBatch, cols: &[usize], out: &[ColumnDef]) -> Result<RecordBatch, ExecError> {
    batch(out, cols.iter().map(|&i| b.column(i).clone()).collect(), b.num_rows())
}

/// MV_EXPAND: one row per value of column `c` (a null stays one null row). Output goes to
/// `emit` in batches of at most `chunk` rows, so chained expansions stream; `emit` returning
/// false stops the expansion (a LIMIT downstream is satisfied).
pub fn mv_expand(
    b: &RecordBatch,
    input: &[ColumnDef],
    c: usize,
    chunk: usize,
    emit: &mut dyn FnMut(RecordBatch) -> Result<bool, ExecError>,
) -> Result<bool, ExecError> {
    let ty = input[c].ty;
    let reader = ColumnReader::new(b.column(c).as_ref(), ty);
    let mut indices: Vec<u32> = Vec::new();
    let mut expanded = ColumnBuilder::new(ty);
    for row in 0..b.num_rows() {
        let cell = reader.cell(row);
        let values: Vec<Cell<'_>> = match cell {
            Cell::Many(vs) => vs.into_iter().map(Cell::One).collect(),
            other => vec![other],
        };
        for v in values {
            indices.push(row as u32);
            expanded.push(&v);
            if indices.len() >= chunk {
                let full = std::mem::replace(&mut expanded, ColumnBuilder::new(ty));
                if !emit(expanded_batch(b, input, c, std::mem::take(&mut indices), full)?)? {
                    return Ok(false);
                }
            }
        }
    }
    if indices.is_empty() {
        return Ok(true);
    }
    emit(expanded_batch(b, input, c, indices, expanded)?)
}

fn expanded_batch(
    b: &RecordBatch,
    input: &[ColumnDef],
    c: usize,
    indices: Vec<u32>,
    expanded: ColumnBuilder,
) -> Result<RecordBatch, ExecError> {
    let idx = UInt32Array::from(indices);
    let mut cols = Vec::with_capacity(b.num_columns());
    let mut expanded = Some(expanded);
    for (i, col) in b.columns().iter().enumerate() {
        if i == c {
            cols.push(expanded.take().map(ColumnBuilder::finish).unwrap_or_else(|| col.clone()));
        } else {
            cols.push(arrow::compute::take(col.as_ref(), &idx, None)?);
        }
    }
    batch(input, cols, idx.len())
}

/// GROK/DISSECT: each value of the input is matched; fields of several values become
/// multi-values; a row that does not match gets nulls.
#[allow(clippy::too_many_arguments)]
pub fn extract(
    b: &RecordBatch,
    input: &[ColumnDef],
    e: &PlanExpr,
    extractor: &Extractor,
    keep: &[usize],
    out: &[ColumnDef],
    now: i64,
    w: &mut Warnings,
) -> Result<RecordBatch, ExecError> {
    let rows = Rows::new(b, input, now);
    let fields = extractor.fields();
    let mut builders: Vec<ColumnBuilder> = fields.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
    let mut memo = crate::functions::grok::Memo::default();
    for r in 0..b.num_rows() {
        let mut values: Vec<Vec<Value<'static>>> = vec![Vec::new(); fields.len()];
        for v in eval(e, &rows, r, w).into_values() {
            if let Some(found) = v.as_str().and_then(|s| extractor.extract(s, &mut memo)) {
                for (slot, mut vs) in values.iter_mut().zip(found) {
                    slot.append(&mut vs);
                }
            }
        }
        for (bld, vs) in builders.iter_mut().zip(values) {
            bld.push(&Cell::from_values(vs));
        }
    }
    let mut cols: Vec<ArrayRef> = keep.iter().map(|&i| b.column(i).clone()).collect();
    cols.extend(builders.into_iter().map(ColumnBuilder::finish));
    batch(out, cols, b.num_rows())
}
