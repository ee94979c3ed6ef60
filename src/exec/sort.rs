//! SORT: gathers its input, orders rows by the keys (ascending with nulls last, descending
//! with nulls first by default; a multi-value sorts by its minimum ascending, maximum
//! descending), and keeps only the first `limit` rows when a LIMIT follows.

use super::eval::{eval, Rows};
use super::warnings::Warnings;
use super::{batch, ExecError};
use crate::plan::SortKey;
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::{RecordBatch, UInt32Array};
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

/// Sorts the concatenated input.
pub fn sort(
    batches: &[RecordBatch],
    schema: &[ColumnDef],
    keys: &[SortKey],
    limit: Option<usize>,
    now: i64,
    w: &mut Warnings,
) -> Result<Vec<RecordBatch>, ExecError> {
    let Some(first) = batches.first() else { return Ok(vec![]) };
    let all = arrow::compute::concat_batches(&first.schema(), batches)?;
    let rows = Rows::new(&all, schema, now);
    let key_rows: Vec<Vec<Option<Value<'_>>>> = (0..all.num_rows())
        .map(|r| keys.iter().map(|k| representative(eval(&k.expr, &rows, r, w), k)).collect())
        .collect();
    let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
    // A stable sort keeps input order among equal keys, which makes results repeatable.
    order.sort_by(|&a, &b| compare_keys(&key_rows[a as usize], &key_rows[b as usize], keys));
    if let Some(n) = limit {
        order.truncate(n);
    }
    let idx = UInt32Array::from(order);
    let cols =
        all.columns().iter().map(|c| arrow::compute::take(c.as_ref(), &idx, None)).collect::<Result<Vec<_>, _>>()?;
    Ok(vec![batch(schema, cols, idx.len())?])
}
