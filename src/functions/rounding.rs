//! `HYPOT`, `COPY_SIGN` and `ROUND_TO`: numeric functions whose result type depends on
//! their arguments' types in Elasticsearch's particular ways.

use super::p::{req, NUM};
use super::{Ctx, Eval, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};

const POINTS: &[EsType] = &[EsType::Integer, EsType::Long, EsType::Double, EsType::Date, EsType::DateNanos];
/// COPY_SIGN's magnitude: Elasticsearch has no unsigned_long form of it.
const SIGNED: &[EsType] = &[EsType::Integer, EsType::Long, EsType::Double];

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
        params: &[req("magnitude", SIGNED), req("sign", NUM)],
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

/// The points' common type: the planner has brought every argument to it
/// ([`super::unify`]).
fn round_to_type(t: &[EsType]) -> EsType {
    t.iter().copied().find(|t| *t != EsType::Null).unwrap_or(EsType::Null)
}

/// The largest point not above the value, else the smallest point. The value and the
/// points share one type, compared exactly: through `f64`, nanosecond dates (and longs past
/// 2^53) lost their last digits and could round to the wrong point.
fn round_to<'a>(ctx: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let order = |p: &&Value<'a>, q: &&Value<'a>| p.compare(q, ctx.ty);
    let (x, points) = (&a[0], &a[1..]);
    let below = points.iter().filter(|p| p.compare(x, ctx.ty).is_le()).max_by(order);
    Ok(below.or_else(|| points.iter().min_by(order)).map(|p| p.clone().into_owned()))
}
