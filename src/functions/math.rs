//! Numeric functions.

use super::p::{opt, req, NUM};
use super::{Ctx, Eval, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};

const INT: &[EsType] = &[EsType::Integer, EsType::Long];

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "abs",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(abs)),
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
    Ok(Some(match a[0] {
        Value::Double(v) => Value::Double(round_double(v, d)),
        Value::Int(v) if d < 0 => Value::Int(round_double(v as f64, d) as i32),
        Value::Long(v) if d < 0 => Value::Long(round_double(v as f64, d) as i64),
        ref other => other.clone(),
    }))
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
