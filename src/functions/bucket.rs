//! `BUCKET(field, span)` and `BUCKET(field, buckets, from, to)`: values grouped into
//! evenly spaced buckets, as Elasticsearch's `Bucket` does. Numbers come out as
//! `floor(x / span) * span` (a double); dates are truncated to the span. With a bucket count
//! and a range, the span is picked: for numbers the half or whole power of ten that gives at
//! most that many buckets, for dates the smallest "human" rounding (year, month, week, day,
//! 12 hours, ... 1 ms) that does.

use super::date::{millis, same_kind, trunc_ms};
use super::operators::shift_ms;
use super::p::{opt, req};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::text_form::parse_date;
use crate::types::{EsType, Value};

use EsType::*;

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    BUCKET,
    FunctionDef { name: "bin", ..BUCKET },
    FunctionDef { name: "auto_bucket", doc: "BUCKET's name before Elasticsearch 8.14.", ..BUCKET },
];

const BUCKET: FunctionDef = FunctionDef {
    name: "bucket",
    params: &[
        req("field", &[Integer, Long, UnsignedLong, Double, Date, DateNanos]),
        req("buckets", &[Integer, Long, Double, DatePeriod, TimeDuration]),
        opt("from", &[Integer, Long, UnsignedLong, Double, Date, Keyword, Text]),
        opt("to", &[Integer, Long, UnsignedLong, Double, Date, Keyword, Text]),
    ],
    variadic: false,
    returns: Returns::Custom(|t| if t.first().is_some_and(|t| t.is_numeric()) { Double } else { t[0] }),
    kind: Kind::Scalar(Eval::Single(bucket)),
    doc: "Groups values into buckets of a span, or into about n buckets over a range (from, to).",
    column: None,
};

fn bucket<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let range = match (a.get(2), a.get(3)) {
        (Some(f), Some(t)) => Some((f, t)),
        (None, None) => None,
        _ => return Err(EvalError::illegal_argument("BUCKET takes two or four arguments")),
    };
    match &a[0] {
        Value::Date(_) | Value::DateNanos(_) => date_bucket(&a[0], &a[1], range),
        x => {
            let x = x.as_f64().unwrap_or(0.0);
            let span = match (range, a[1].as_i64()) {
                (Some((f, t)), Some(n)) => pick_numeric(n, number(f)?, number(t)?),
                _ => a[1].as_f64().ok_or_else(|| EvalError::illegal_argument("a numeric span is required"))?,
            };
            // A double divided by zero fails in ES|QL rather than giving infinity.
            if span == 0.0 || !span.is_finite() {
                return Err(EvalError::arithmetic("/ by zero"));
            }
            Ok(Some(Value::Double((x / span).floor() * span)))
        }
    }
}

fn number(v: &Value<'_>) -> Result<f64, EvalError> {
    v.as_f64().ok_or_else(|| EvalError::illegal_argument("from and to must be numbers for a numeric field"))
}

/// `Bucket.pickRounding`: the half or whole power of ten at or above the exact span.
fn pick_numeric(buckets: i64, from: f64, to: f64) -> f64 {
    let precise = (to - from) / buckets as f64;
    let next_power_of_ten = 10f64.powf(precise.log10().ceil());
    let half = next_power_of_ten / 2.0;
    if precise < half {
        half
    } else {
        next_power_of_ten
    }
}

fn date_bucket<'a>(field: &Value<'a>, spec: &Value<'_>, range: Option<(&Value<'_>, &Value<'_>)>) -> ValueResult<'a> {
    let span = match (range, spec.as_i64()) {
        (Some((f, t)), Some(n)) => picked_span(n, f, t)?,
        (None, Some(_)) => return Err(EvalError::illegal_argument("a bucket count needs from and to")),
        _ => spec.clone(),
    };
    let Some(ms) = millis(field) else { return Ok(None) };
    let t = trunc_ms(ms, &span)
        .ok_or_else(|| EvalError::illegal_argument("zero or negative time interval is not supported"))?;
    Ok(Some(same_kind(field, t)))
}

/// The date span for `n` buckets from `f` to `t`, remembered per thread: the arguments are
/// constants, so every row asks the same question, and answering it parses two dates and
/// walks up to `n` buckets for each of 18 roundings.
fn picked_span(n: i64, f: &Value<'_>, t: &Value<'_>) -> Result<Value<'static>, EvalError> {
    type Memo = Option<(i64, Value<'static>, Value<'static>, Value<'static>)>;
    thread_local! {
        static LAST: std::cell::RefCell<Memo> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        if let Some((ln, lf, lt, span)) = &*last.borrow() {
            if *ln == n && lf == f && lt == t {
                return Ok(span.clone());
            }
        }
        let span = pick_date(n, instant(f)?, instant(t)?);
        *last.borrow_mut() = Some((n, f.clone().into_owned(), t.clone().into_owned(), span.clone()));
        Ok(span)
    })
}

fn instant(v: &Value<'_>) -> Result<i64, EvalError> {
    match v {
        Value::Date(ms) => Ok(*ms),
        Value::Str(s) => parse_date(s).ok_or_else(|| EvalError::illegal_argument(format!("cannot parse date [{s}]"))),
        _ => Err(EvalError::illegal_argument("from and to must be dates or date strings for a date field")),
    }
}

/// The roundings `Bucket` tries, largest first after the year.
fn human_roundings() -> [Value<'static>; 18] {
    let d = Value::Duration;
    let p = |months, days| Value::Period { months, days };
    const H: i64 = 3_600_000;
    const M: i64 = 60_000;
    [
        p(1, 0),
        p(0, 7),
        p(0, 1),
        d(12 * H),
        d(3 * H),
        d(H),
        d(30 * M),
        d(10 * M),
        d(5 * M),
        d(M),
        d(30_000),
        d(10_000),
        d(5_000),
        d(1_000),
        d(100),
        d(50),
        d(10),
        d(1),
    ]
}

/// `DateRoundingPicker.pickRounding`: the smallest rounding (walking down from a year)
/// whose buckets from `from` pass `to` within `buckets` steps.
fn pick_date(buckets: i64, from: i64, to: i64) -> Value<'static> {
    let mut prev = Value::Period { months: 12, days: 0 };
    for r in human_roundings() {
        if !fits(&r, buckets, from, to) {
            return prev;
        }
        prev = r;
    }
    prev
}

fn fits(r: &Value<'_>, buckets: i64, from: i64, to: i64) -> bool {
    let Some(mut bucket) = trunc_ms(from, r) else { return false };
    for _ in 0..buckets.max(0) {
        bucket = next(bucket, r);
        if bucket > to {
            return true;
        }
    }
    false
}

/// The start of the bucket after the one starting at `ms`.
fn next(ms: i64, r: &Value<'_>) -> i64 {
    shift_ms(ms, r, 1).unwrap_or(i64::MAX)
}
