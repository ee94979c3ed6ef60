//! Numeric functions.

use super::p::{opt, req, NUM};
use super::{Ctx, Eval, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{Cell, EsType, Value};

const INT: &[EsType] = &[EsType::Integer, EsType::Long];

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "abs",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Cells(abs_cells)),
        doc: "Absolute value.",
        column: None,
    },
    FunctionDef {
        name: "round",
        params: &[req("number", NUM), opt("decimals", INT)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(round)),
        doc: "Rounds half away from zero to a number of decimals (default 0; negative rounds left of the point).",
        column: None,
    },
    FunctionDef {
        name: "floor",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(floor)),
        doc: "Largest whole number not above the value.",
        column: None,
    },
    FunctionDef {
        name: "ceil",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(ceil)),
        doc: "Smallest whole number not below the value.",
        column: None,
    },
];

/// ABS of an unsigned long is the argument itself in Elasticsearch, multi-values included;
/// of anything else a single-valued function.
fn abs_cells<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, super::EvalError> {
    match args.into_iter().next().unwrap_or_default() {
        cell if c.ty == EsType::UnsignedLong => Ok(cell),
        Cell::One(v) => Ok(abs(c, &[v])?.map_or(Cell::Null, Cell::One)),
        Cell::Many(_) => Err(super::EvalError::multi_value()),
        Cell::Null => Ok(Cell::Null),
    }
}

fn abs<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(match a[0] {
        Value::Int(v) => Value::Int(v.wrapping_abs()),
        Value::Long(v) => Value::Long(v.wrapping_abs()),
        Value::Double(v) => Value::Double(v.abs()),
        ref other => other.clone(),
    }))
}

/// Java's `Math.round`-style half-up rounding of a double at `decimals`.
fn round_double(v: f64, decimals: i64) -> f64 {
    if decimals >= 0 {
        let f = 10f64.powi(decimals.min(300) as i32);
        let r = (v * f).round() / f;
        if r.is_finite() {
            r
        } else {
            v
        }
    } else {
        let f = 10f64.powi((-decimals).min(300) as i32);
        (v / f).round() * f
    }
}

fn round<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let d = a.get(1).and_then(Value::as_i64).unwrap_or(0);
    let overflow = |ty: &str| super::EvalError::arithmetic(format!("{ty} overflow"));
    Ok(Some(match a[0] {
        Value::Double(v) => Value::Double(round_double(v, d)),
        Value::Int(v) if d < 0 => Value::Int(i32::try_from(round_whole(v.into(), d)).map_err(|_| overflow("integer"))?),
        Value::Long(v) if d < 0 => Value::Long(i64::try_from(round_whole(v.into(), d)).map_err(|_| overflow("long"))?),
        Value::ULong(v) if d < 0 => {
            Value::ULong(u64::try_from(round_whole(v.into(), d)).map_err(|_| overflow("unsigned_long"))?)
        }
        ref other => other.clone(),
    }))
}

/// A whole number rounded half away from zero to `decimals` < 0 places, exactly (a long
/// near 2^63 through a double would lose its last digits).
fn round_whole(v: i128, decimals: i64) -> i128 {
    let Some(ten) = u32::try_from(decimals.unsigned_abs()).ok().and_then(|p| 10i128.checked_pow(p)) else {
        return 0;
    };
    let (q, r) = (v / ten, v % ten);
    let q = if r.abs() * 2 >= ten { q + v.signum() } else { q };
    q * ten
}

fn floor<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(match a[0] {
        Value::Double(v) => Value::Double(v.floor()),
        ref other => other.clone(),
    }))
}

fn ceil<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(match a[0] {
        Value::Double(v) => Value::Double(v.ceil()),
        ref other => other.clone(),
    }))
}
