//! Arithmetic and comparison operators, as single-valued functions.

use super::p::{req, ANY, NUM};
use super::{wider_numeric, ColumnKernel, Comparison, Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::text_form::parse_ip;
use crate::types::{EsType, Value};
use chrono::{DateTime, Datelike, Months, TimeDelta};
use std::cmp::Ordering;

/// Operators are not callable by name; the table is empty.
pub const NAMED: &[FunctionDef] = &[];

const ARITH_TYPES: &[EsType] = &[
    EsType::Integer,
    EsType::Long,
    EsType::UnsignedLong,
    EsType::Double,
    EsType::Date,
    EsType::DateNanos,
    EsType::TimeDuration,
    EsType::DatePeriod,
];

macro_rules! op {
    ($name:expr, $types:expr, $ret:expr, $f:expr) => {
        op!($name, $types, $ret, $f, None)
    };
    ($name:expr, $types:expr, $ret:expr, $f:expr, $column:expr) => {
        FunctionDef {
            name: $name,
            params: &[req("lhs", $types), req("rhs", $types)],
            variadic: false,
            returns: $ret,
            kind: Kind::Scalar(Eval::Single($f)),
            doc: "",
            column: $column,
        }
    };
}

/// The result type of `a op b` for arithmetic.
pub fn arith_type(args: &[EsType]) -> EsType {
    match (args[0], args[1]) {
        (d, s) if d.is_date() && s.is_span() => d,
        (s, d) if s.is_span() && d.is_date() => d,
        // Time spans add up (`1 year + 2 months`); a null beside a span or a date takes
        // the other's type, as Elasticsearch's date arithmetic does.
        (s, t) if s.is_span() && (t == s || t == EsType::Null) => s,
        (EsType::Null, t) if t.is_span() || t.is_date() => t,
        (a, b) => wider_numeric(a, b),
    }
}

/// `+`
pub static ADD: FunctionDef = op!("+", ARITH_TYPES, Returns::Custom(arith_type), add);
/// `-`
pub static SUB: FunctionDef = op!("-", ARITH_TYPES, Returns::Custom(arith_type), sub);
/// `*`
pub static MUL: FunctionDef = op!("*", NUM, Returns::Custom(arith_type), mul);
/// `/`
pub static DIV: FunctionDef = op!("/", NUM, Returns::Custom(arith_type), div);
/// `%`
pub static MOD: FunctionDef = op!("%", NUM, Returns::Custom(arith_type), rem);
/// unary `-`
pub static NEG: FunctionDef = FunctionDef {
    name: "-",
    params: &[req("v", ARITH_TYPES)],
    variadic: false,
    returns: Returns::Arg(0),
    kind: Kind::Scalar(Eval::Single(neg)),
    doc: "",
    column: None,
};
/// `==`
pub static EQ: FunctionDef =
    op!("==", ANY, Returns::Fixed(EsType::Boolean), eq, Some(ColumnKernel::Compare(Comparison::Equal)));
/// `!=`
pub static NEQ: FunctionDef =
    op!("!=", ANY, Returns::Fixed(EsType::Boolean), neq, Some(ColumnKernel::Compare(Comparison::NotEqual)));
/// `<`
pub static LT: FunctionDef =
    op!("<", ANY, Returns::Fixed(EsType::Boolean), lt, Some(ColumnKernel::Compare(Comparison::Less)));
/// `<=`
pub static LTE: FunctionDef =
    op!("<=", ANY, Returns::Fixed(EsType::Boolean), lte, Some(ColumnKernel::Compare(Comparison::AtMost)));
/// `>`
pub static GT: FunctionDef =
    op!(">", ANY, Returns::Fixed(EsType::Boolean), gt, Some(ColumnKernel::Compare(Comparison::Greater)));
/// `>=`
pub static GTE: FunctionDef =
    op!(">=", ANY, Returns::Fixed(EsType::Boolean), gte, Some(ColumnKernel::Compare(Comparison::AtLeast)));

fn eq<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    cmp_with(c, a, Ordering::is_eq)
}

fn neq<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    cmp_with(c, a, Ordering::is_ne)
}

fn lt<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    cmp_with(c, a, Ordering::is_lt)
}

fn lte<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    cmp_with(c, a, Ordering::is_le)
}

fn gt<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    cmp_with(c, a, Ordering::is_gt)
}

fn gte<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    cmp_with(c, a, Ordering::is_ge)
}

fn cmp_with<'a>(c: &Ctx<'_>, a: &[Value<'a>], test: fn(Ordering) -> bool) -> ValueResult<'a> {
    Ok(compare(c, &a[0], &a[1]).map(|o| Value::Bool(test(o))))
}

/// Compares two single values of compatible types (numbers across widths, date with
/// date_nanos); `None` when they cannot be compared.
pub fn compare(c: &Ctx<'_>, a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    let ty = c.arg_types.first().copied().unwrap_or(EsType::Null);
    Some(match (a, b) {
        (Value::Date(x), Value::DateNanos(y)) => (*x as i128 * 1_000_000).cmp(&(*y as i128)),
        (Value::DateNanos(x), Value::Date(y)) => (*x as i128).cmp(&(*y as i128 * 1_000_000)),
        (Value::Str(x), Value::Ip(y)) => parse_ip(x)?.cmp(y),
        (Value::Ip(x), Value::Str(y)) => x.cmp(&parse_ip(y)?),
        _ => a.compare(b, ty),
    })
}

fn overflow(ty: EsType) -> EvalError {
    EvalError::arithmetic(match ty {
        EsType::Integer => "integer overflow",
        EsType::UnsignedLong => "unsigned_long overflow",
        _ => "long overflow",
    })
}

/// A double result that is not finite, as `NumericUtils.asFiniteNumber` says it (add,
/// subtract, multiply).
fn not_finite(r: f64) -> EvalError {
    let java = if r.is_nan() {
        "NaN"
    } else if r > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    };
    EvalError::arithmetic(format!("not a finite double number: {java}"))
}

/// Division and remainder: Elasticsearch's Div and Mod say `/ by zero` for any result
/// that is not finite.
fn by_zero(_: f64) -> EvalError {
    EvalError::arithmetic("/ by zero")
}

/// An operation on doubles and the error for a result that is not finite.
type DoubleOp = (fn(f64, f64) -> f64, fn(f64) -> EvalError);

/// Applies an integer operation in the result type, with Elasticsearch's overflow rules.
fn int_op<'a>(
    c: &Ctx<'_>,
    a: &Value<'_>,
    b: &Value<'_>,
    f32_: fn(i32, i32) -> Option<i32>,
    f64_: fn(i64, i64) -> Option<i64>,
    fu: fn(u64, u64) -> Option<u64>,
    (fd, not_finite): DoubleOp,
) -> ValueResult<'a> {
    let err = || overflow(c.ty);
    Ok(Some(match c.ty {
        EsType::Integer => {
            let (x, y) = (a.as_i64().unwrap_or(0) as i32, b.as_i64().unwrap_or(0) as i32);
            Value::Int(f32_(x, y).ok_or_else(err)?)
        }
        EsType::Long => Value::Long(f64_(a.as_i64().ok_or_else(err)?, b.as_i64().ok_or_else(err)?).ok_or_else(err)?),
        EsType::UnsignedLong => match (a, b) {
            (Value::ULong(x), Value::ULong(y)) => Value::ULong(fu(*x, *y).ok_or_else(err)?),
            _ => return Err(err()),
        },
        _ => {
            let r = fd(a.as_f64().unwrap_or(f64::NAN), b.as_f64().unwrap_or(f64::NAN));
            if !r.is_finite() {
                return Err(not_finite(r));
            }
            Value::Double(r)
        }
    }))
}

fn add<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    if c.ty.is_date() {
        return date_shift(&a[0], &a[1], 1);
    }
    if c.ty.is_span() {
        return span_sum(&a[0], &a[1], 1);
    }
    int_op(c, &a[0], &a[1], i32::checked_add, i64::checked_add, u64::checked_add, (|x, y| x + y, not_finite))
}

fn sub<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    if c.ty.is_date() {
        return date_shift(&a[0], &a[1], -1);
    }
    if c.ty.is_span() {
        return span_sum(&a[0], &a[1], -1);
    }
    int_op(c, &a[0], &a[1], i32::checked_sub, i64::checked_sub, u64::checked_sub, (|x, y| x - y, not_finite))
}

fn mul<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    int_op(c, &a[0], &a[1], i32::checked_mul, i64::checked_mul, u64::checked_mul, (|x, y| x * y, not_finite))
}

fn div<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    if c.ty != EsType::Double && a[1].as_f64() == Some(0.0) {
        return Err(EvalError::arithmetic("/ by zero"));
    }
    int_op(c, &a[0], &a[1], i32::checked_div, i64::checked_div, u64::checked_div, (|x, y| x / y, by_zero))
}

fn rem<'a>(c: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    if c.ty != EsType::Double && a[1].as_f64() == Some(0.0) {
        return Err(EvalError::arithmetic("/ by zero"));
    }
    int_op(c, &a[0], &a[1], i32::checked_rem, i64::checked_rem, u64::checked_rem, (|x, y| x % y, by_zero))
}

fn neg<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(match a[0] {
        Value::Int(v) => Value::Int(v.checked_neg().ok_or_else(|| overflow(EsType::Integer))?),
        Value::Long(v) => Value::Long(v.checked_neg().ok_or_else(|| overflow(EsType::Long))?),
        Value::Double(v) => Value::Double(-v),
        Value::Duration(v) => Value::Duration(-v),
        Value::Period { months, days } => match (months.checked_neg(), days.checked_neg()) {
            (Some(months), Some(days)) => Value::Period { months, days },
            _ => return Err(overflow(EsType::Integer)),
        },
        _ => return Err(EvalError::arithmetic("unsigned_long overflow")),
    }))
}

/// `span ± span` of one kind: durations in milliseconds, periods field by field (Java's
/// `Period.plus`: months and days apart, nothing carried).
fn span_sum<'a>(a: &Value<'_>, b: &Value<'_>, sign: i32) -> ValueResult<'a> {
    let sum = match (a, b) {
        (Value::Duration(x), Value::Duration(y)) => {
            y.checked_mul(i64::from(sign)).and_then(|y| x.checked_add(y)).map(Value::Duration)
        }
        (Value::Period { months: m1, days: d1 }, Value::Period { months: m2, days: d2 }) => {
            let months = m2.checked_mul(i64::from(sign)).and_then(|m| m1.checked_add(m));
            let days = d2.checked_mul(sign).and_then(|d| d1.checked_add(d));
            months.zip(days).map(|(months, days)| Value::Period { months, days })
        }
        _ => return Ok(None),
    };
    let long = matches!(a, Value::Duration(_));
    sum.map(Some).ok_or_else(|| overflow(if long { EsType::Long } else { EsType::Integer }))
}

/// `date ± span` (either order), UTC calendar arithmetic for periods.
fn date_shift<'a>(a: &Value<'_>, b: &Value<'_>, sign: i64) -> ValueResult<'a> {
    let (date, span) = if matches!(a, Value::Date(_) | Value::DateNanos(_)) { (a, b) } else { (b, a) };
    match date {
        Value::Date(ms) => Ok(Some(Value::Date(shift(*ms, span, sign)?))),
        Value::DateNanos(ns) => {
            let shifted = shift(ns.div_euclid(1_000_000), span, sign)?;
            let ns = shifted.checked_mul(1_000_000).and_then(|v| v.checked_add(ns.rem_euclid(1_000_000)));
            // A nanosecond date holds 1970 to 2262 only.
            match ns {
                Some(ns) if ns >= 0 => Ok(Some(Value::DateNanos(ns))),
                _ => Err(EvalError {
                    class: DATE_TIME,
                    message: "Date nanos out of range.  Must be between 1970-01-01T00:00:00Z and \
                              2262-04-11T23:47:16.854775807"
                        .into(),
                }),
            }
        }
        _ => Ok(None),
    }
}

const DATE_TIME: &str = "java.time.DateTimeException";

/// [`shift_ms`] with Java's failures: a year past Java's range is a DateTimeException
/// naming it, anything else out of reach a long overflow.
fn shift(ms: i64, span: &Value<'_>, sign: i64) -> Result<i64, EvalError> {
    if let (Some(dt), Value::Period { months, .. }) = (DateTime::from_timestamp_millis(ms), span) {
        // `ZonedDateTime.plusMonths`: the new year is checked before anything else.
        let total = i128::from(dt.year()) * 12 + i128::from(dt.month0()) + i128::from(*months) * i128::from(sign);
        let year = total.div_euclid(12);
        if !(-999_999_999..=999_999_999).contains(&year) {
            return Err(EvalError {
                class: DATE_TIME,
                message: format!("Invalid value for Year (valid values -999999999 - 999999999): {year}"),
            });
        }
    }
    shift_ms(ms, span, sign).ok_or_else(|| EvalError::arithmetic("long overflow"))
}

/// `ms` moved by a time span, forwards (`sign` 1) or backwards (-1).
pub(super) fn shift_ms(ms: i64, span: &Value<'_>, sign: i64) -> Option<i64> {
    match *span {
        Value::Duration(d) => ms.checked_add(d.checked_mul(sign)?),
        Value::Period { months, days } => {
            let dt = DateTime::from_timestamp_millis(ms)?;
            let months = months.checked_mul(sign)?;
            let step = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
            let dt = if months >= 0 { dt.checked_add_months(step)? } else { dt.checked_sub_months(step)? };
            let dt = dt.checked_add_signed(TimeDelta::try_days(days as i64 * sign)?)?;
            Some(dt.timestamp_millis())
        }
        _ => None,
    }
}
