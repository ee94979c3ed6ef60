//! `HYPOT`, `COPY_SIGN` and `ROUND_TO`: numeric functions whose result type depends on
//! their arguments' types in Elasticsearch's particular ways.

use super::p::{req, NUM};
use super::{wider_numeric, Ctx, Eval, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};

const POINTS: &[EsType] = &[EsType::Integer, EsType::Long, EsType::Double, EsType::Date, EsType::DateNanos];

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "hypot",
        params: &[req("number1", NUM), req("number2", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(|_, a| {
            Ok(Some(Value::Double(a[0].as_f64().unwrap_or(0.0).hypot(a[1].as_f64().unwrap_or(0.0)))))
        })),
        doc: "The hypotenuse: sqrt(a² + b²), without overflow in between.",
        column: None,
    },
    FunctionDef {
        name: "copy_sign",
        params: &[req("magnitude", NUM), req("sign", NUM)],
        variadic: false,
        returns: Returns::Custom(|t| match t.first() {
            Some(EsType::Integer | EsType::Long) => EsType::Long,
            Some(t) => *t,
            None => EsType::Null,
        }),
        kind: Kind::Scalar(Eval::Single(copy_sign)),
        doc: "The magnitude of the first argument with the sign of the second (integers widen to long).",
        column: None,
    },
    FunctionDef {
        name: "round_to",
        params: &[req("field", POINTS), req("points", POINTS)],
        variadic: true,
        returns: Returns::Custom(round_to_type),
        kind: Kind::Scalar(Eval::Single(round_to)),
        doc: "Rounds down to the largest of the points not above the value (the smallest when all are).",
        column: None,
    },
];

fn copy_sign<'a>(ctx: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let negative = a[1].as_f64().is_some_and(|s| s.is_sign_negative());
    Ok(Some(match (ctx.ty, &a[0]) {
        (EsType::Double, m) => Value::Double(m.as_f64().unwrap_or(0.0).copysign(if negative { -1.0 } else { 1.0 })),
        (_, m) => {
            let m = m.as_i64().unwrap_or(0).unsigned_abs() as i64;
            Value::Long(if negative { -m } else { m })
        }
    }))
}

fn round_to_type(t: &[EsType]) -> EsType {
    if t.iter().any(|t| matches!(t, EsType::Date | EsType::DateNanos)) {
        return t[0];
    }
    t.iter().copied().fold(EsType::Null, wider_numeric)
}

/// The largest point not above the value, else the smallest point; in the result type.
fn round_to<'a>(ctx: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let key = |v: &Value<'_>| match *v {
        Value::Date(ms) => ms as f64,
        Value::DateNanos(ns) => ns as f64,
        ref other => other.as_f64().unwrap_or(f64::NAN),
    };
    let x = key(&a[0]);
    let points = &a[1..];
    let below = points.iter().filter(|p| key(p) <= x).max_by(|p, q| key(p).total_cmp(&key(q)));
    let chosen = below.or_else(|| points.iter().min_by(|p, q| key(p).total_cmp(&key(q))));
    Ok(chosen.map(|p| match (ctx.ty, p) {
        (EsType::Double, p) => Value::Double(p.as_f64().unwrap_or(0.0)),
        (EsType::Long, p) => Value::Long(p.as_i64().unwrap_or(0)),
        (_, p) => p.clone().into_owned(),
    }))
}
