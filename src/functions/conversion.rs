//! Type conversions (`to_*`, also reached by `::type` casts). All convert multi-values
//! element-wise.

use super::p::{req, ANY};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::text_form::{format_instant, parse_date, parse_date_wide};
use crate::types::EsType::{
    Boolean, Date, DateNanos, Double, GeoHash, GeoHex, GeoTile, Integer, Keyword, Long, Text, UnsignedLong, Version,
};
use crate::types::{EsType, Value};
use std::borrow::Cow;

const INVALID: &str = "org.elasticsearch.xpack.esql.core.InvalidArgumentException";

macro_rules! conv {
    ($name:expr, $ty:expr, $f:expr, $doc:expr) => {
        conv!($name, $ty, ANY, $f, $doc)
    };
    ($name:expr, $ty:expr, $from:expr, $f:expr, $doc:expr) => {
        FunctionDef {
            name: $name,
            params: &[req("field", $from)],
            variadic: false,
            returns: Returns::Fixed($ty),
            kind: Kind::Scalar(Eval::Each($f)),
            doc: $doc,
            column: None,
        }
    };
}

/// What each conversion takes, as the evaluator maps of Elasticsearch's `To*` functions
/// list them (its counter types aside, which have no column here).
const TO_BOOLEAN: &[EsType] = &[Boolean, Keyword, Text, Double, Long, UnsignedLong, Integer];
const TO_NUMBER: &[EsType] = &[Boolean, Date, Keyword, Text, Double, Long, UnsignedLong, Integer];
const TO_LONG: &[EsType] =
    &[Boolean, Date, DateNanos, Keyword, Text, Double, Long, UnsignedLong, Integer, GeoHash, GeoTile, GeoHex];
const TO_DATETIME: &[EsType] = &[Date, DateNanos, Keyword, Text, Double, Long, UnsignedLong, Integer];
const TO_DATE_NANOS: &[EsType] = &[Date, DateNanos, Keyword, Text, Double, Long, UnsignedLong];
const TO_VERSION: &[EsType] = &[Keyword, Text, Version];

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    conv!("to_string", EsType::Keyword, to_string, "Converts any value to its string form."),
    conv!("to_str", EsType::Keyword, to_string, "Alias of to_string."),
    conv!("to_text", EsType::Text, to_string, "Converts any value to its string form, typed text."),
    conv!(
        "to_timeduration",
        EsType::TimeDuration,
        |_, v, _| Ok(Some(v)),
        "A constant string (\"3 hours\") as a time_duration."
    ),
    conv!(
        "to_dateperiod",
        EsType::DatePeriod,
        |_, v, _| Ok(Some(v)),
        "A constant string (\"3 days\") as a date_period."
    ),
    conv!(
        "to_long",
        EsType::Long,
        TO_LONG,
        to_long,
        "Converts to a long; strings are parsed, doubles rounded half up."
    ),
    conv!(
        "to_integer",
        EsType::Integer,
        TO_NUMBER,
        to_integer,
        "Converts to an integer; strings are parsed, doubles rounded half up."
    ),
    conv!("to_int", EsType::Integer, TO_NUMBER, to_integer, "Alias of to_integer."),
    conv!("to_double", EsType::Double, TO_NUMBER, to_double, "Converts to a double; dates become epoch milliseconds."),
    conv!("to_dbl", EsType::Double, TO_NUMBER, to_double, "Alias of to_double."),
    conv!("to_unsigned_long", EsType::UnsignedLong, TO_NUMBER, to_unsigned_long, "Converts to an unsigned long."),
    conv!("to_ul", EsType::UnsignedLong, TO_NUMBER, to_unsigned_long, "Alias of to_unsigned_long."),
    conv!("to_ulong", EsType::UnsignedLong, TO_NUMBER, to_unsigned_long, "Alias of to_unsigned_long."),
    conv!(
        "to_boolean",
        EsType::Boolean,
        TO_BOOLEAN,
        to_boolean,
        "Converts to a boolean: \"true\" (any case) or a non-zero number."
    ),
    conv!("to_bool", EsType::Boolean, TO_BOOLEAN, to_boolean, "Alias of to_boolean."),
    conv!(
        "to_datetime",
        EsType::Date,
        TO_DATETIME,
        to_datetime,
        "Converts ISO-8601 strings or epoch milliseconds to a date."
    ),
    conv!("to_dt", EsType::Date, TO_DATETIME, to_datetime, "Alias of to_datetime."),
    conv!("to_date_nanos", EsType::DateNanos, TO_DATE_NANOS, to_date_nanos, "Converts to a nanosecond-precision date."),
    conv!("to_version", EsType::Version, TO_VERSION, to_version, "Converts a string to a version."),
    conv!("to_ver", EsType::Version, TO_VERSION, to_version, "Alias of to_version."),
];

/// The conversion an alias stands for (`to_int` is `to_integer`), as its entry above says;
/// any other name is itself.
pub fn canonical(name: &'static str) -> &'static str {
    let entry = FUNCTIONS.iter().find(|f| f.name == name);
    entry.and_then(|f| f.doc.strip_prefix("Alias of ")).map_or(name, |of| of.trim_end_matches('.'))
}

/// The conversion function a `::type` cast stands for.
pub fn cast_function(ty: EsType) -> Option<&'static str> {
    Some(match ty {
        EsType::Keyword | EsType::Text => "to_string",
        EsType::Long => "to_long",
        EsType::Integer => "to_integer",
        EsType::Double => "to_double",
        EsType::UnsignedLong => "to_unsigned_long",
        EsType::Boolean => "to_boolean",
        EsType::Date => "to_datetime",
        EsType::DateNanos => "to_date_nanos",
        EsType::Version => "to_version",
        EsType::Ip => "to_ip",
        EsType::TimeDuration => "to_timeduration",
        EsType::DatePeriod => "to_dateperiod",
        EsType::GeoPoint => "to_geopoint",
        EsType::CartesianPoint => "to_cartesianpoint",
        EsType::GeoShape => "to_geoshape",
        EsType::CartesianShape => "to_cartesianshape",
        _ => return None,
    })
}

fn cannot_parse(s: &str) -> EvalError {
    EvalError { class: INVALID, message: format!("Cannot parse number [{s}]") }
}

pub(super) fn out_of_range(v: impl std::fmt::Display, ty: &str) -> EvalError {
    EvalError { class: INVALID, message: format!("[{v}] out of [{ty}] range") }
}

fn to_string<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(match v {
        Value::Str(s) => Value::Str(s),
        other => Value::Str(Cow::Owned(other.render())),
    }))
}

/// A whole number from a value, with the given range. The range error names the value in
/// its own type (`[501379200000] out of [integer] range`, `[1.0E19] out of [long] range`), and
/// a string that is no number in range says so (`Cannot parse number [2147483648]`), as
/// Elasticsearch's converters do.
fn whole(v: &Value<'_>, min: i128, max: i128, ty: &str) -> Result<i64, EvalError> {
    let exact = |x: i128| {
        if (min..=max).contains(&x) {
            Ok(x as i64)
        } else {
            Err(out_of_range(x, ty))
        }
    };
    // Java's Math.round (half up) for integer and long, after a range check of the double
    // itself; unsigned longs truncate.
    let double = |d: f64| {
        if !(d.is_finite() && (min as f64..=max as f64).contains(&d)) {
            return Err(out_of_range(crate::types::text_form::format_double(d), ty));
        }
        let whole = if ty == "unsigned_long" { d.trunc() } else { (d + 0.5).floor() };
        Ok((whole as i128).clamp(min, max) as i64)
    };
    match v {
        Value::Int(x) => exact(*x as i128),
        Value::Long(x) | Value::Date(x) => exact(*x as i128),
        Value::DateNanos(x) => exact(x.div_euclid(1_000_000) as i128),
        Value::ULong(x) => exact(*x as i128),
        Value::Double(x) => double(*x),
        Value::Bool(b) => Ok(*b as i64),
        Value::Str(s) => {
            let t = s.trim();
            let parsed = match t.parse::<i128>() {
                Ok(x) => exact(x).ok(),
                Err(_) => t.parse::<f64>().ok().and_then(|d| double(d).ok()),
            };
            parsed.ok_or_else(|| cannot_parse(s))
        }
        _ => Err(cannot_parse(&v.render())),
    }
}

fn to_long<'a>(c: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    // A grid cell's long form is Elasticsearch's encoding of it, not a number in its text.
    if let (Some(grid), Value::Str(s)) = (c.arg_types.first().filter(|t| t.is_grid()), &v) {
        return Ok(super::spatial::grid_to_long(*grid, s).map(Value::Long));
    }
    Ok(Some(Value::Long(whole(&v, i64::MIN.into(), i64::MAX.into(), "long")?)))
}

fn to_integer<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Int(whole(&v, i32::MIN.into(), i32::MAX.into(), "integer")? as i32)))
}

fn to_unsigned_long<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    if let Value::ULong(x) = v {
        return Ok(Some(Value::ULong(x)));
    }
    if let Value::Str(s) = &v {
        if let Ok(x) = s.trim().parse::<u64>() {
            return Ok(Some(Value::ULong(x)));
        }
    }
    let x = whole(&v, 0, u64::MAX.into(), "unsigned_long")?;
    Ok(Some(Value::ULong(x as u64)))
}

fn to_double<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Double(match v {
        Value::Str(s) => s.trim().parse::<f64>().map_err(|_| EvalError {
            class: "java.lang.NumberFormatException",
            message: format!("For input string: \"{s}\""),
        })?,
        Value::Bool(b) => b as i64 as f64,
        Value::Date(ms) => ms as f64,
        Value::DateNanos(ns) => ns as f64,
        other => other.as_f64().ok_or_else(|| cannot_parse(&other.render()))?,
    })))
}

fn to_boolean<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Bool(match v {
        Value::Bool(b) => b,
        Value::Str(s) => s.eq_ignore_ascii_case("true"),
        other => other.as_f64().is_some_and(|d| d != 0.0),
    })))
}

fn date_error(s: &str) -> EvalError {
    EvalError::illegal_argument(format!("failed to parse date field [{s}] with format [strict_date_optional_time]"))
}

fn to_datetime<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Date(match v {
        Value::Date(ms) => ms,
        Value::DateNanos(ns) => ns.div_euclid(1_000_000),
        Value::Str(s) => parse_date(&s).ok_or_else(|| date_error(&s))?,
        // Numbers are epoch milliseconds, converted as `to_long` converts them (an unsigned
        // long past the long range fails, a double rounds).
        other => whole(&other, i64::MIN.into(), i64::MAX.into(), "long")?,
    })))
}

fn to_date_nanos<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::DateNanos(match v {
        Value::DateNanos(ns) => ns,
        Value::Date(ms) => millis_to_nanos(ms)?,
        Value::Str(s) => {
            let ns = parse_date_wide(&s).ok_or_else(|| date_error(&s))?;
            let side = if ns < 0 { "before the epoch in 1970" } else { NANOS_END };
            let stored =
                format!("date[{}] is {side} and cannot be stored in nanosecond resolution", format_instant(ns));
            i64::try_from(ns).ok().filter(|n| *n >= 0).ok_or_else(|| EvalError::illegal_argument(stored))?
        }
        // Numbers are nanoseconds, converted as TO_LONG converts them.
        other => match whole(&other, i64::MIN.into(), i64::MAX.into(), "long")? {
            n if n < 0 => {
                return Err(EvalError::illegal_argument(
                    "Nanosecond dates before 1970-01-01T00:00:00.000Z are not supported.",
                ))
            }
            n => n,
        },
    })))
}

/// The last instant a nanosecond date holds, as Elasticsearch's range errors name it.
const NANOS_END: &str = "after 2262-04-11T23:47:16.854775807";

/// Elasticsearch's `DateUtils.toNanoSeconds`.
fn millis_to_nanos(ms: i64) -> Result<i64, EvalError> {
    let side = if ms < 0 { "before the epoch in 1970" } else { NANOS_END };
    match ms.checked_mul(1_000_000) {
        Some(ns) if ms >= 0 => Ok(ns),
        _ => Err(EvalError::illegal_argument(format!(
            "milliSeconds [{ms}] are {side} and cannot be converted to nanoseconds"
        ))),
    }
}

fn to_version<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(match v {
        Value::Str(s) => Value::Str(s),
        other => Value::Str(Cow::Owned(other.render())),
    }))
}
