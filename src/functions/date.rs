//! Date functions. All times are UTC.

use super::date_units::{self, Unit};
use super::p::req;
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};
use chrono::{DateTime, Datelike, NaiveDate, Timelike};

const DATES: &[EsType] = &[EsType::Date, EsType::DateNanos];
const SPANS: &[EsType] = &[EsType::TimeDuration, EsType::DatePeriod];
const STR: &[EsType] = &[EsType::Keyword, EsType::Text];

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "now",
        params: &[],
        variadic: false,
        returns: Returns::Fixed(EsType::Date),
        kind: Kind::Scalar(Eval::Single(now)),
        doc: "The current date and time, the same for the whole query (pinned by --now).",
        column: None,
    },
    FunctionDef {
        name: "date_trunc",
        params: &[req("interval", SPANS), req("date", DATES)],
        variadic: false,
        returns: Returns::Arg(1),
        kind: Kind::Scalar(Eval::Single(date_trunc)),
        doc: "Rounds a date down to the closest multiple of an interval (weeks start on Monday).",
        column: None,
    },
    FunctionDef {
        name: "date_extract",
        params: &[req("datePart", STR), req("date", DATES)],
        variadic: false,
        returns: Returns::Fixed(EsType::Long),
        kind: Kind::Scalar(Eval::Single(date_extract)),
        doc: "A part of a date (year, month_of_year, day_of_month, hour_of_day, ...).",
        column: None,
    },
    FunctionDef {
        name: "date_diff",
        params: &[req("unit", STR), req("startTimestamp", DATES), req("endTimestamp", DATES)],
        variadic: false,
        returns: Returns::Fixed(EsType::Integer),
        kind: Kind::Scalar(Eval::Single(date_diff)),
        doc: "Whole units between two dates (end - start).",
        column: None,
    },
];

fn now<'a>(c: &Ctx<'_>, _: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Date(c.now_ms)))
}

/// A date or date_nanos value in epoch milliseconds.
pub(crate) fn millis(v: &Value<'_>) -> Option<i64> {
    match *v {
        Value::Date(ms) => Some(ms),
        Value::DateNanos(ns) => Some(ns.div_euclid(1_000_000)),
        _ => None,
    }
}

/// `ms` as the same kind of date as `like`.
pub(super) fn same_kind<'a>(like: &Value<'_>, ms: i64) -> Value<'a> {
    match like {
        Value::DateNanos(_) => Value::DateNanos(ms.saturating_mul(1_000_000)),
        _ => Value::Date(ms),
    }
}

/// Floors `ms` to the interval.
pub fn trunc_ms(ms: i64, span: &Value<'_>) -> Option<i64> {
    const DAY: i64 = 86_400_000;
    match *span {
        Value::Duration(d) if d > 0 => Some(ms.div_euclid(d) * d),
        Value::Period { months, days: 0 } if months > 0 => {
            let dt = DateTime::from_timestamp_millis(ms)?;
            // Months counted from 0001-01, as Elasticsearch aligns spans that do not divide a
            // year (20 months: 1986-01, 1987-09, ...).
            let total = (dt.year() as i64 - 1) * 12 + dt.month0() as i64;
            let floored = total.div_euclid(months) * months;
            let date =
                NaiveDate::from_ymd_opt(floored.div_euclid(12) as i32 + 1, floored.rem_euclid(12) as u32 + 1, 1)?;
            Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
        }
        Value::Period { months: 0, days } if days > 0 => {
            let day = ms.div_euclid(DAY);
            // Weeks start on Monday; 1970-01-01 was a Thursday (3 days after Monday).
            let shift = if days % 7 == 0 { 3 } else { 0 };
            Some(((day + shift).div_euclid(days as i64) * days as i64 - shift) * DAY)
        }
        _ => None,
    }
}

fn date_trunc<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let ms = millis(&a[1]).unwrap_or(0);
    let t = trunc_ms(ms, &a[0])
        .ok_or_else(|| EvalError::illegal_argument("zero or negative time interval is not supported"))?;
    Ok(Some(same_kind(&a[1], t)))
}

fn date_extract<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let part = a[0].as_str().unwrap_or("").to_ascii_lowercase();
    let ms = millis(&a[1]).unwrap_or(0);
    let dt = DateTime::from_timestamp_millis(ms).ok_or_else(|| EvalError::illegal_argument("date out of range"))?;
    let v: i64 = match part.as_str() {
        "year" => dt.year() as i64,
        "month_of_year" => dt.month() as i64,
        "day_of_month" => dt.day() as i64,
        "day_of_week" => dt.weekday().number_from_monday() as i64,
        "day_of_year" => dt.ordinal() as i64,
        "hour_of_day" => dt.hour() as i64,
        "minute_of_hour" => dt.minute() as i64,
        "second_of_minute" => dt.second() as i64,
        "milli_of_second" => ms.rem_euclid(1000),
        "minute_of_day" => (dt.hour() * 60 + dt.minute()) as i64,
        "second_of_day" => dt.num_seconds_from_midnight() as i64,
        "epoch_day" => ms.div_euclid(86_400_000),
        "instant_seconds" => ms.div_euclid(1000),
        "aligned_week_of_year" => ((dt.ordinal() - 1) / 7 + 1) as i64,
        "quarter_of_year" => (dt.month0() / 3 + 1) as i64,
        _ => {
            return Err(EvalError::illegal_argument(format!(
                "No enum constant java.time.temporal.ChronoField.{}",
                part.to_ascii_uppercase()
            )))
        }
    };
    Ok(Some(Value::Long(v)))
}

fn date_diff<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let (start, end) = (millis(&a[1]).unwrap_or(0), millis(&a[2]).unwrap_or(0));
    let unit = a[0].as_str().unwrap_or("");
    // Nanoseconds per unit; the difference is taken in i128 so extreme dates cannot wrap.
    let per = match date_units::resolve(unit) {
        Some(Unit::Nanos(per)) => per,
        Some(Unit::Months(per)) => return months_between(start, end, per),
        None => return Err(EvalError::illegal_argument(date_units::unit_error(unit).unwrap_or_default())),
    };
    let diff = (nanos(&a[2]) - nanos(&a[1])) / per;
    // Java counts the units in a long (`ChronoUnit.between`), then narrows it to an int.
    if per == 1 && i64::try_from(diff).is_err() {
        return Err(EvalError::arithmetic("long overflow"));
    }
    to_int(diff)
}

/// A count of units as an integer, or Elasticsearch's `safeToInt` failure.
fn to_int<'a>(n: i128) -> ValueResult<'a> {
    i32::try_from(n).map(|d| Some(Value::Int(d))).map_err(|_| super::conversion::out_of_range(n, "integer"))
}

/// A date as nanoseconds since the epoch, exactly (i128: any millisecond date fits).
fn nanos(v: &Value<'_>) -> i128 {
    match *v {
        Value::DateNanos(ns) => i128::from(ns),
        ref other => i128::from(millis(other).unwrap_or(0)) * 1_000_000,
    }
}

fn months_between<'a>(start: i64, end: i64, per: i64) -> ValueResult<'a> {
    let (Some(s), Some(e)) = (DateTime::from_timestamp_millis(start), DateTime::from_timestamp_millis(end)) else {
        return Ok(None);
    };
    let mut months = (e.year() as i64 - s.year() as i64) * 12 + e.month() as i64 - s.month() as i64;
    let rest = |d: &DateTime<chrono::Utc>| (d.day(), d.num_seconds_from_midnight(), d.timestamp_subsec_millis());
    if months > 0 && rest(&e) < rest(&s) {
        months -= 1;
    } else if months < 0 && rest(&e) > rest(&s) {
        months += 1;
    }
    to_int(i128::from(months / per))
}
