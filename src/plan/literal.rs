//! Literals to values: numbers, strings, arrays and time spans with their types, the
//! implicit casts of string literals, and constant expressions folded to their value.

use super::{PlanExpr, PlanKind};
use crate::syntax::Literal;
use crate::types::{Cell, EsType, Value};
use std::borrow::Cow;

/// The value and type of a literal.
pub fn literal_value(l: &Literal) -> Result<(Cell<'static>, EsType), String> {
    Ok(match l {
        Literal::Null => (Cell::Null, EsType::Null),
        Literal::Boolean(b) => (Cell::One(Value::Bool(*b)), EsType::Boolean),
        Literal::Integer(v) => match i32::try_from(*v) {
            Ok(i) => (Cell::One(Value::Int(i)), EsType::Integer),
            Err(_) => (Cell::One(Value::Long(*v)), EsType::Long),
        },
        Literal::UnsignedLong(v) => (Cell::One(Value::ULong(*v)), EsType::UnsignedLong),
        Literal::Double(d) => (Cell::One(Value::Double(*d)), EsType::Double),
        Literal::String(s) => (Cell::One(Value::Str(Cow::Owned(s.clone()))), EsType::Keyword),
        Literal::TimeSpan(v, unit) => {
            let (value, ty) = time_span(*v, unit)?;
            (Cell::One(value), ty)
        }
        Literal::Array(items) => array_value(items)?,
    })
}

/// `8 hours` → 28 800 000 ms; `1 month` → a calendar period.
pub fn time_span(v: i64, unit: &str) -> Result<(Value<'static>, EsType), String> {
    let range = || format!("Number [{v}] outside of [{unit}] range");
    let ms = |per: i64| v.checked_mul(per).map(|d| (Value::Duration(d), EsType::TimeDuration)).ok_or_else(range);
    let period = |months: i64, days: i64| {
        // Elasticsearch reads the number as an int (`Period.ofYears(int)`); the months it
        // makes may pass the int range.
        i32::try_from(v).map_err(|_| range())?;
        let m = v.checked_mul(months).ok_or_else(range)?;
        let d = i32::try_from(v.checked_mul(days).ok_or_else(range)?).map_err(|_| range())?;
        Ok((Value::Period { months: m, days: d }, EsType::DatePeriod))
    };
    match unit {
        "millisecond" | "milliseconds" | "ms" => ms(1),
        "second" | "seconds" | "sec" | "s" => ms(1000),
        "minute" | "minutes" | "min" | "m" => ms(60_000),
        "hour" | "hours" | "h" => ms(3_600_000),
        "day" | "days" | "d" => period(0, 1),
        "week" | "weeks" | "w" => period(0, 7),
        "month" | "months" | "mo" => period(1, 0),
        "quarter" | "quarters" | "q" => period(3, 0),
        "year" | "years" | "yr" | "y" => period(12, 0),
        _ => Err(format!("Unexpected temporal unit: '{unit}'")),
    }
}

pub(super) fn array_value(items: &[Literal]) -> Result<(Cell<'static>, EsType), String> {
    let any_double = items.iter().any(|i| matches!(i, Literal::Double(_)));
    let any_long = items.iter().any(|i| matches!(i, Literal::Integer(v) if i32::try_from(*v).is_err()));
    let any_ul = items.iter().any(|i| matches!(i, Literal::UnsignedLong(_)));
    let all_non_negative = items.iter().all(|i| !matches!(i, Literal::Integer(v) if *v < 0));
    let mut values = Vec::with_capacity(items.len());
    let mut ty = EsType::Null;
    for item in items {
        let (cell, t) = literal_value(item)?;
        let Cell::One(v) = cell else { continue };
        let (v, t) = match (v, t) {
            (v, EsType::Integer | EsType::Long | EsType::UnsignedLong) if any_double => {
                (Value::Double(v.as_f64().unwrap_or(0.0)), EsType::Double)
            }
            (v, EsType::Integer | EsType::Long) if any_ul && all_non_negative => {
                (Value::ULong(v.as_i64().unwrap_or(0) as u64), EsType::UnsignedLong)
            }
            (Value::Int(i), EsType::Integer) if any_long => (Value::Long(i as i64), EsType::Long),
            other => other,
        };
        ty = t;
        values.push(v);
    }
    Ok((Cell::from_values(values), ty))
}

pub(super) fn negate_literal(v: &Value<'_>) -> Option<(Cell<'static>, EsType)> {
    Some(match *v {
        Value::Int(i) => (Cell::One(Value::Int(i.checked_neg()?)), EsType::Integer),
        Value::Long(l) if l == i32::MAX as i64 + 1 => (Cell::One(Value::Int(i32::MIN)), EsType::Integer),
        Value::Long(l) => (Cell::One(Value::Long(l.checked_neg()?)), EsType::Long),
        Value::ULong(u) if u == 1u64 << 63 => (Cell::One(Value::Long(i64::MIN)), EsType::Long),
        Value::Double(d) => (Cell::One(Value::Double(-d)), EsType::Double),
        Value::Duration(d) => (Cell::One(Value::Duration(d.checked_neg()?)), EsType::TimeDuration),
        Value::Period { months, days } => {
            (Cell::One(Value::Period { months: months.checked_neg()?, days: days.checked_neg()? }), EsType::DatePeriod)
        }
        _ => return None,
    })
}

/// A keyword literal where `target` is expected becomes a `target` literal.
pub fn implicit_cast(e: PlanExpr, target: EsType) -> Result<PlanExpr, String> {
    let castable = matches!(
        target,
        EsType::Ip
            | EsType::Date
            | EsType::DateNanos
            | EsType::Version
            | EsType::Boolean
            | EsType::TimeDuration
            | EsType::DatePeriod
    );
    let PlanKind::Literal(Cell::One(Value::Str(s))) = &e.kind else { return Ok(e) };
    if e.ty != EsType::Keyword || !castable {
        return Ok(e);
    }
    let fail = || format!("Cannot convert string [{s}] to [{}]", target.name().to_uppercase());
    let value = match target {
        EsType::Ip => Value::Ip(crate::types::text_form::parse_ip(s).ok_or_else(fail)?),
        EsType::Date => Value::Date(crate::types::text_form::parse_date(s).ok_or_else(fail)?),
        EsType::DateNanos => Value::DateNanos(crate::types::text_form::parse_date_nanos(s).ok_or_else(fail)?),
        EsType::Version => Value::Str(Cow::Owned(s.to_string())),
        EsType::Boolean if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        EsType::Boolean if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        EsType::TimeDuration | EsType::DatePeriod => parse_span_text(s).ok_or_else(fail)?.0,
        _ => return Err(fail()),
    };
    let ty = if target.is_span() { parse_span_text(s).map_or(target, |(_, t)| t) } else { target };
    Ok(PlanExpr { kind: PlanKind::Literal(Cell::One(value)), ty, origin: e.origin })
}

/// `"1 day"` as a time span.
pub(super) fn parse_span_text(s: &str) -> Option<(Value<'static>, EsType)> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '-')?;
    let (num, unit) = s.split_at(split);
    time_span(num.parse().ok()?, &unit.trim().to_ascii_lowercase()).ok()
}

/// The value of a call over constants, by its kernel (single values only; anything else,
/// or a failure, is not a constant here).
pub(super) fn fold(e: &PlanExpr) -> Option<crate::types::Value<'static>> {
    use crate::functions::{Ctx, Eval, Kind};
    match &e.kind {
        PlanKind::Literal(Cell::One(v)) => Some(v.clone()),
        PlanKind::Call { func, args, arg_types } => {
            let values: Vec<Value<'static>> = args.iter().map(fold).collect::<Option<_>>()?;
            let ctx = Ctx { arg_types, ty: e.ty, now_ms: 0 };
            match func.kind {
                Kind::Scalar(Eval::Single(f)) => f(&ctx, &values).ok().flatten().map(Value::into_owned),
                Kind::Scalar(Eval::Each(f)) => {
                    let (first, rest) = values.split_first()?;
                    f(&ctx, first.clone(), rest).ok().flatten().map(Value::into_owned)
                }
                Kind::Scalar(Eval::Cells(f)) => match f(&ctx, values.into_iter().map(Cell::One).collect()).ok()? {
                    Cell::One(v) => Some(v.into_owned()),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// A call over constant arguments as the constant it makes: null when a single-value or
/// element-wise function meets a null (as they answer one), else [`fold`]'s value; None
/// when it makes none here.
pub(super) fn fold_cell(e: &PlanExpr) -> Option<Cell<'static>> {
    use crate::functions::{Eval, Kind};
    let PlanKind::Call { func, args, .. } = &e.kind else { return None };
    let null = args.iter().any(|a| matches!(a.kind, PlanKind::Literal(Cell::Null)));
    if null && matches!(func.kind, Kind::Scalar(Eval::Single(_) | Eval::Each(_))) {
        return Some(Cell::Null);
    }
    fold(e).map(Cell::One)
}
