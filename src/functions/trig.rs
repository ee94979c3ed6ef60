//! Floating-point math: trigonometry, roots, logarithms, powers and constants. Results are
//! doubles; arguments of any numeric type are widened.

use super::p::{opt, req, NUM};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};

macro_rules! unary {
    ($name:expr, $f:expr, $doc:expr) => {
        FunctionDef {
            name: $name,
            params: &[req("number", NUM)],
            variadic: false,
            returns: Returns::Fixed(EsType::Double),
            kind: Kind::Scalar(Eval::Single(|_, a| unary(a, $f))),
            doc: $doc,
            column: None,
        }
    };
}

macro_rules! constant {
    ($name:expr, $v:expr, $doc:expr) => {
        FunctionDef {
            name: $name,
            params: &[],
            variadic: false,
            returns: Returns::Fixed(EsType::Double),
            kind: Kind::Scalar(Eval::Single(|_, _| Ok(Some(Value::Double($v))))),
            doc: $doc,
            column: None,
        }
    };
}

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    unary!("sin", f64::sin, "Sine of an angle in radians."),
    unary!("cos", f64::cos, "Cosine of an angle in radians."),
    unary!("tan", f64::tan, "Tangent of an angle in radians."),
    unary!("sinh", f64::sinh, "Hyperbolic sine."),
    unary!("cosh", f64::cosh, "Hyperbolic cosine."),
    unary!("tanh", f64::tanh, "Hyperbolic tangent."),
    unary!("atan", f64::atan, "Arctangent, in radians."),
    unary!("cbrt", f64::cbrt, "Cube root."),
    unary!("exp", f64::exp, "e raised to the power of the number."),
    FunctionDef {
        name: "to_degrees",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Each(|_, v, _| finite(num(&v).to_degrees()))),
        doc: "Radians to degrees (multi-values element-wise).",
        column: None,
    },
    FunctionDef {
        name: "to_radians",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Each(|_, v, _| finite(num(&v).to_radians()))),
        doc: "Degrees to radians (multi-values element-wise).",
        column: None,
    },
    constant!("pi", std::f64::consts::PI, "The ratio of a circle's circumference to its diameter."),
    constant!("e", std::f64::consts::E, "Euler's number."),
    constant!("tau", std::f64::consts::TAU, "The ratio of a circle's circumference to its radius."),
    FunctionDef {
        name: "asin",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(|_, a| bounded(a, f64::asin, "Asin"))),
        doc: "Arcsine of a number in [-1, 1], in radians.",
        column: None,
    },
    FunctionDef {
        name: "acos",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(|_, a| bounded(a, f64::acos, "Acos"))),
        doc: "Arccosine of a number in [-1, 1], in radians.",
        column: None,
    },
    FunctionDef {
        name: "atan2",
        params: &[req("y_coordinate", NUM), req("x_coordinate", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(atan2)),
        doc: "Angle of the point (x, y) from the origin, in radians.",
        column: None,
    },
    FunctionDef {
        name: "sqrt",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(sqrt)),
        doc: "Square root; negative numbers give null and a warning.",
        column: None,
    },
    FunctionDef {
        name: "log10",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(log10)),
        doc: "Base-10 logarithm; non-positive numbers give null and a warning.",
        column: None,
    },
    FunctionDef {
        name: "log",
        params: &[req("base", NUM), opt("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(log)),
        doc: "Logarithm of the number in the base (natural logarithm with one argument).",
        column: None,
    },
    FunctionDef {
        name: "pow",
        params: &[req("base", NUM), req("exponent", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(pow)),
        doc: "The base raised to the power of the exponent.",
        column: None,
    },
    FunctionDef {
        name: "scalb",
        params: &[req("d", NUM), req("scaleFactor", &[EsType::Integer, EsType::Long])],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(|_, a| {
            finite(num(&a[0]) * 2f64.powi(num(&a[1]).clamp(-2000.0, 2000.0) as i32))
        })),
        doc: "The number times 2 to the power of the scale factor.",
        column: None,
    },
    FunctionDef {
        name: "signum",
        params: &[req("number", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Scalar(Eval::Single(|_, a| unary(a, |x| if x == 0.0 { 0.0 } else { x.signum() }))),
        doc: "-1, 0 or 1 by the number's sign.",
        column: None,
    },
];

fn num(v: &Value<'_>) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn unary<'a>(a: &[Value<'a>], f: fn(f64) -> f64) -> ValueResult<'a> {
    Ok(Some(Value::Double(f(num(&a[0])))))
}

fn finite<'a>(x: f64) -> ValueResult<'a> {
    if x.is_finite() {
        Ok(Some(Value::Double(x)))
    } else {
        Err(EvalError::arithmetic(
            "not a finite double number: ".to_string() + &crate::types::text_form::format_double(x),
        ))
    }
}

fn bounded<'a>(a: &[Value<'a>], f: fn(f64) -> f64, name: &str) -> ValueResult<'a> {
    let x = num(&a[0]);
    if !(-1.0..=1.0).contains(&x) {
        return Err(EvalError::arithmetic(format!("{name} input out of range")));
    }
    Ok(Some(Value::Double(f(x))))
}

fn atan2<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Double(num(&a[0]).atan2(num(&a[1])))))
}

fn sqrt<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let x = num(&a[0]);
    if x < 0.0 {
        return Err(EvalError::arithmetic("Square root of negative"));
    }
    Ok(Some(Value::Double(x.sqrt())))
}

fn log10<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let x = num(&a[0]);
    if x <= 0.0 {
        return Err(EvalError::arithmetic("Log of non-positive number"));
    }
    Ok(Some(Value::Double(x.log10())))
}

fn log<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let (base, x) = match a {
        [x] => (None, num(x)),
        [b, x, ..] => (Some(num(b)), num(x)),
        [] => return Ok(None),
    };
    if x <= 0.0 || base.is_some_and(|b| b <= 0.0) {
        return Err(EvalError::arithmetic("Log of non-positive number"));
    }
    match base {
        None => Ok(Some(Value::Double(x.ln()))),
        Some(1.0) => Err(EvalError::arithmetic("Log of base 1")),
        // Elasticsearch divides base-10 logarithms: LOG(10, 1e12) is exactly 12.0.
        Some(b) => Ok(Some(Value::Double(x.log10() / b.log10()))),
    }
}

fn pow<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    finite(num(&a[0]).powf(num(&a[1])))
}
