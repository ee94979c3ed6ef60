//! WHERE conditions a column at a time. AND, OR and NOT combine whole masks with
//! three-valued (Kleene) logic; a comparison of a single-valued column with a constant, IS
//! NULL on one, and `cidr_match` of an IP column with constant blocks run as column kernels.
//! Everything else falls back to the row evaluator for that part of the condition only, so
//! null, multi-value and warning semantics stay the row evaluator's.

use super::eval::{boolean, Rows};
use super::warnings::Warnings;
use crate::functions::ip::Block;
use crate::functions::{ColumnKernel, Comparison};
use crate::plan::{PlanExpr, PlanKind};
use crate::types::{Cell, EsType, Value};
use arrow::array::{
    Array, ArrayRef, BooleanArray, FixedSizeBinaryArray, Int32Array, Int64Array, Scalar, StringArray,
    TimestampMillisecondArray,
};
use arrow::compute::kernels::cmp;
use arrow::datatypes::DataType;

/// The condition's value for every row (null where it is null).
pub fn mask(e: &PlanExpr, batch: &[ArrayRef], rows: &Rows<'_>, n: usize, w: &mut Warnings) -> BooleanArray {
    let fast = match &e.kind {
        PlanKind::And(a, b) => {
            arrow::compute::and_kleene(&mask(a, batch, rows, n, w), &mask(b, batch, rows, n, w)).ok()
        }
        PlanKind::Or(a, b) => arrow::compute::or_kleene(&mask(a, batch, rows, n, w), &mask(b, batch, rows, n, w)).ok(),
        PlanKind::Not(x) => arrow::compute::not(&mask(x, batch, rows, n, w)).ok(),
        _ => kernel(e, batch),
    };
    fast.unwrap_or_else(|| (0..n).map(|r| boolean(e, rows, r, w)).collect())
}

/// The condition's value for every row when column kernels alone compute it (they never
/// warn); `None` when some part needs the row evaluator.
pub fn exact(e: &PlanExpr, batch: &[ArrayRef]) -> Option<BooleanArray> {
    match &e.kind {
        PlanKind::And(a, b) => arrow::compute::and_kleene(&exact(a, batch)?, &exact(b, batch)?).ok(),
        PlanKind::Or(a, b) => arrow::compute::or_kleene(&exact(a, batch)?, &exact(b, batch)?).ok(),
        PlanKind::Not(x) => arrow::compute::not(&exact(x, batch)?).ok(),
        _ => kernel(e, batch),
    }
}

/// A column kernel for one leaf of a condition.
fn kernel(e: &PlanExpr, batch: &[ArrayRef]) -> Option<BooleanArray> {
    let n = batch.first().map_or(0, |a| a.len());
    match &e.kind {
        PlanKind::IsNull(x, negated) => flat_column(x, batch).map(|a| {
            if *negated { arrow::compute::is_not_null(a.as_ref()) } else { arrow::compute::is_null(a.as_ref()) }
                .unwrap_or_else(|_| BooleanArray::from(vec![false; n]))
        }),
        PlanKind::In(x, list) => in_list(x, list, batch),
        PlanKind::Call { func, args, .. } => match func.column? {
            ColumnKernel::CidrMatch => cidr(args, batch),
            ColumnKernel::Compare(op) => compare(op, args, batch),
            ColumnKernel::Identity | ColumnKernel::Flat(_) | ColumnKernel::DocValues(_) => None,
        },
        _ => None,
    }
}

/// `keyword_column IN ("a", "b", ...)`: any equal.
fn in_list(x: &PlanExpr, list: &[PlanExpr], batch: &[ArrayRef]) -> Option<BooleanArray> {
    let a = flat_column(x, batch)?;
    if x.ty != EsType::Keyword || list.is_empty() {
        return None;
    }
    let mut acc: Option<BooleanArray> = None;
    for item in list {
        let PlanKind::Literal(Cell::One(Value::Str(s))) = &item.kind else { return None };
        if item.ty != EsType::Keyword {
            return None;
        }
        let eq = cmp::eq(a, &Scalar::new(StringArray::from(vec![s.as_ref()]))).ok()?;
        acc = Some(match acc {
            Some(m) => arrow::compute::or_kleene(&m, &eq).ok()?,
            None => eq,
        });
    }
    acc
}

/// The array of a column reference whose values are all single (not a list); a function
/// that is the identity on its argument's type (`to_ip` of an IP column) is that column.
pub fn flat_column<'b>(e: &PlanExpr, batch: &'b [ArrayRef]) -> Option<&'b ArrayRef> {
    let i = e.read_column()?;
    let a = batch.get(i)?;
    (!matches!(a.data_type(), DataType::List(_) | DataType::Null)).then_some(a)
}

/// `column op constant` for keyword, long, integer and date of the same type.
fn compare(op: Comparison, args: &[PlanExpr], batch: &[ArrayRef]) -> Option<BooleanArray> {
    let [col, lit] = args else { return None };
    let a = flat_column(col, batch)?;
    let PlanKind::Literal(Cell::One(v)) = &lit.kind else { return None };
    if col.ty != lit.ty || matches!(col.kind, PlanKind::Call { .. }) {
        return None;
    }
    let scalar: ArrayRef = match (col.ty, v, a.data_type()) {
        (EsType::Keyword, Value::Str(s), DataType::Utf8) => std::sync::Arc::new(StringArray::from(vec![s.as_ref()])),
        (EsType::Long, Value::Long(x), DataType::Int64) => std::sync::Arc::new(Int64Array::from(vec![*x])),
        (EsType::Integer, Value::Int(x), DataType::Int32) => std::sync::Arc::new(Int32Array::from(vec![*x])),
        (EsType::Date, Value::Date(x), t @ DataType::Timestamp(..)) => {
            std::sync::Arc::new(TimestampMillisecondArray::from(vec![*x]).with_data_type(t.clone()))
        }
        _ => return None,
    };
    let s = Scalar::new(scalar);
    let out = match op {
        Comparison::Equal => cmp::eq(a, &s),
        Comparison::NotEqual => cmp::neq(a, &s),
        Comparison::Less => cmp::lt(a, &s),
        Comparison::AtMost => cmp::lt_eq(a, &s),
        Comparison::Greater => cmp::gt(a, &s),
        Comparison::AtLeast => cmp::gt_eq(a, &s),
    };
    out.ok()
}

/// `cidr_match(ip, "block", ...)` with an IP column (or `to_ip` of one) and constant blocks.
fn cidr(args: &[PlanExpr], batch: &[ArrayRef]) -> Option<BooleanArray> {
    let (ip, blocks) = args.split_first()?;
    if ip.ty != EsType::Ip {
        return None;
    }
    let a = flat_column(ip, batch)?.as_any().downcast_ref::<FixedSizeBinaryArray>()?;
    let blocks: Vec<_> = blocks
        .iter()
        .map(|b| match &b.kind {
            PlanKind::Literal(Cell::One(Value::Str(s))) => Block::parse(s).map(|b| b.masked()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    Some(
        (0..a.len())
            .map(|i| {
                let ip = u128::from_be_bytes(a.value(i).try_into().ok()?);
                a.is_valid(i).then(|| blocks.iter().any(|b| b.holds(ip)))
            })
            .collect(),
    )
}

/// `case(c1, v1, c2, v2, ..., [default])` as column operations, when every condition has a
/// kernel and every value is a single-valued column (or `to_ip` of one) or null: nothing
/// can warn then, so evaluating all branches is the same as evaluating the one taken.
pub fn case_columns(e: &PlanExpr, args: &[PlanExpr], batch: &[ArrayRef], n: usize) -> Option<ArrayRef> {
    let out = e.ty.arrow_type();
    let value = |v: &PlanExpr| -> Option<ArrayRef> {
        match &v.kind {
            PlanKind::Literal(Cell::Null) => Some(arrow::array::new_null_array(&out, n)),
            _ => flat_column(v, batch).filter(|a| *a.data_type() == out).cloned(),
        }
    };
    let pairs = args.chunks_exact(2);
    let mut acc = match pairs.remainder() {
        [default] => value(default)?,
        _ => arrow::array::new_null_array(&out, n),
    };
    for pair in pairs.rev() {
        let cond = exact(&pair[0], batch)?;
        // Null conditions fall through (the helper expects a null buffer).
        let taken = if cond.null_count() > 0 { arrow::compute::prep_null_mask_filter(&cond) } else { cond };
        acc = arrow::compute::kernels::zip::zip(&taken, &value(&pair[1])?, &acc).ok()?;
    }
    Some(acc)
}
