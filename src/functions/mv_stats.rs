//! Statistics of one multi-value: `MV_PERCENTILE`, `MV_MEDIAN_ABSOLUTE_DEVIATION`,
//! `MV_PSERIES_WEIGHTED_SUM`, as Elasticsearch computes them (integers interpolate and then
//! truncate toward zero, in the values' own type).

use super::p::{req, NUM};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns};
use crate::types::{Cell, EsType, Value};

type R<'a> = Result<Cell<'a>, EvalError>;

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "mv_percentile",
        params: &[req("number", NUM), req("percentile", NUM)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Cells(mv_percentile)),
        doc: "The value at which the given percentage (0 to 100) of the values lie, interpolated.",
        column: None,
    },
    FunctionDef {
        name: "mv_median_absolute_deviation",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Cells(mv_mad)),
        doc: "The median of the absolute deviations from the values' median.",
        column: None,
    },
    FunctionDef {
        name: "mv_pseries_weighted_sum",
        params: &[req("number", &[EsType::Double]), req("p", &[EsType::Double])],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Cells(mv_pseries)),
        doc: "The sum of the values, the i-th (from 1) divided by i^p.",
        column: None,
    },
];

/// The values as numbers, sorted.
fn sorted(cell: Cell<'_>) -> Vec<f64> {
    let mut v: Vec<f64> = cell.into_values().iter().filter_map(Value::as_f64).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// A number of the column's type: integers truncate toward zero.
fn typed<'a>(ty: EsType, x: f64) -> Value<'a> {
    match ty {
        EsType::Integer => Value::Int(x as i32),
        EsType::Long => Value::Long(x as i64),
        EsType::UnsignedLong => Value::ULong(x as u64),
        _ => Value::Double(x),
    }
}

/// Interpolates between the neighbours of rank `p` (0..=1) of sorted values.
fn percentile(v: &[f64], p: f64) -> f64 {
    let index = p * (v.len() - 1) as f64;
    let lower = index as usize;
    let fraction = index - lower as f64;
    match v.get(lower + 1) {
        Some(&upper) if fraction > 0.0 => {
            let lo = v[lower];
            // Elasticsearch's order of operations when the neighbours straddle zero.
            if lo < 0.0 && upper > 0.0 {
                (lo + fraction * upper) - fraction * lo
            } else {
                lo + fraction * (upper - lo)
            }
        }
        _ => v[lower],
    }
}

fn mv_percentile<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let (values, p) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    let Cell::One(p) = p else {
        return if p.is_null() { Ok(Cell::Null) } else { Err(EvalError::multi_value()) };
    };
    let p = p.as_f64().unwrap_or(f64::NAN);
    let v = sorted(values);
    if v.is_empty() {
        return Ok(Cell::Null);
    }
    if !(0.0..=100.0).contains(&p) {
        let shown = crate::types::text_form::format_double(p);
        return Err(EvalError::illegal_argument(format!(
            "Percentile parameter must be a number between 0 and 100, found [{shown}]"
        )));
    }
    Ok(Cell::One(typed(c.ty, percentile(&v, p / 100.0))))
}

fn mv_mad<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let v = sorted(args.into_iter().next().unwrap_or_default());
    if v.is_empty() {
        return Ok(Cell::Null);
    }
    let median = percentile(&v, 0.5);
    let median = if c.ty == EsType::Double { median } else { median.trunc() };
    let mut dev: Vec<f64> = v.iter().map(|x| (x - median).abs()).collect();
    dev.sort_by(f64::total_cmp);
    Ok(Cell::One(typed(c.ty, percentile(&dev, 0.5))))
}

fn mv_pseries<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let (values, p) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    let (Some(p), false) = (p.values().first().and_then(Value::as_f64), values.is_null()) else {
        return Ok(Cell::Null);
    };
    let sum =
        values.values().iter().filter_map(Value::as_f64).enumerate().map(|(i, x)| x / ((i + 1) as f64).powf(p)).sum();
    Ok(Cell::One(Value::Double(sum)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: fn(&Ctx<'_>, Vec<Cell<'static>>) -> R<'static>, ty: EsType, args: Vec<Cell<'static>>) -> Cell<'static> {
        f(&Ctx { arg_types: &[], ty, now_ms: 0 }, args).unwrap_or(Cell::Null)
    }

    #[test]
    fn multi_value_statistics() {
        let ints = || Cell::from_values(vec![Value::Int(5), Value::Int(1), Value::Int(2), Value::Int(10)]);
        let p = |x: f64| Cell::One(Value::Double(x));
        // Sorted 1 2 5 10: rank 0.5 * 3 = 1.5 between 2 and 5 is 3.5, truncated for integers.
        assert_eq!(call(mv_percentile, EsType::Integer, vec![ints(), p(50.0)]), Cell::One(Value::Int(3)));
        assert_eq!(call(mv_percentile, EsType::Integer, vec![ints(), p(100.0)]), Cell::One(Value::Int(10)));
        // Median 3 (truncated), deviations 2 1 2 7 -> median of 1 2 2 7 is 2.
        assert_eq!(call(mv_mad, EsType::Integer, vec![ints()]), Cell::One(Value::Int(2)));
        let d = Cell::from_values(vec![Value::Double(2.0), Value::Double(4.0)]);
        assert_eq!(call(mv_pseries, EsType::Double, vec![d, p(1.0)]), Cell::One(Value::Double(4.0)));
    }
}
