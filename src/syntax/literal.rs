//! Literal forms that need more than one token: time spans (`8 hours`) and arrays.

use super::ast::Literal;
use super::error::PErr;
use super::lexical::{cut, is_reserved, kw, number, raw_word, string, sym, ws, PResult};

/// Time-unit words, as Elasticsearch's converter accepts them (lower-case).
pub const TIME_UNITS: &[&str] = &[
    "millisecond",
    "milliseconds",
    "ms",
    "second",
    "seconds",
    "sec",
    "s",
    "minute",
    "minutes",
    "min",
    "m",
    "hour",
    "hours",
    "h",
    "day",
    "days",
    "d",
    "week",
    "weeks",
    "w",
    "month",
    "months",
    "mo",
    "quarter",
    "quarters",
    "q",
    "year",
    "years",
    "yr",
    "y",
];

/// After a number: an unreserved word makes it a time span (`1 day`, `8HOURS`).
///
/// `start` is where the number began (for error positions), `rest` what follows it.
pub(crate) fn time_unit_check<'a>(start: &'a str, rest: &'a str, n: Literal) -> PResult<'a, Literal> {
    let (t, ()) = ws(rest)?;
    let Some(word) = raw_word(t).filter(|w| !is_reserved(w)) else {
        return Ok((rest, n));
    };
    let unit = word.to_ascii_lowercase();
    let known = TIME_UNITS.contains(&unit.as_str());
    let after = &t[word.len()..];
    match n {
        Literal::Integer(v) if known => Ok((after, Literal::TimeSpan(v, unit))),
        Literal::Integer(_) => cut(PErr::message(t, word.len(), format!("Unexpected temporal unit: '{word}'"))
            .hint(format!("time units are: {}", TIME_UNITS.join(", ")))),
        Literal::Double(_) if known => {
            cut(PErr::message(start, start.len() - after.len(), "a time span needs a whole number")
                .hint(format!("write a whole number of a smaller unit, e.g. 90 minutes instead of 1.5 {unit}")))
        }
        Literal::UnsignedLong(v) if known => {
            cut(PErr::message(start, start.len() - after.len(), format!("Number [{v}] outside of [{unit}] range")))
        }
        other => Ok((rest, other)),
    }
}

/// The kinds an array literal may hold; elements must all be of one kind.
#[derive(PartialEq, Clone, Copy)]
enum ElemKind {
    Number,
    String,
    Boolean,
    Null,
}

/// `[1, 2]`, `[-1.5, 2]`, `["a", "b"]`, `[true, false]`.
pub(crate) fn array(t: &str) -> PResult<'_, Literal> {
    let (mut r, _) = sym("[")(t)?;
    let mut items = Vec::new();
    let mut kind: Option<ElemKind> = None;
    loop {
        let (elem, ()) = ws(r)?;
        let (r2, (lit, k)) = array_elem(elem)?;
        if kind.is_some_and(|prev| prev != k) {
            let len = elem.len() - r2.len();
            return cut(PErr::message(elem, len, "array elements must all be numbers, all strings or all booleans")
                .hint("split mixed values into separate arrays or convert them first"));
        }
        kind = Some(k);
        items.push(lit);
        match sym(",")(r2) {
            Ok((r3, _)) => r = r3,
            Err(_) => {
                r = r2;
                break;
            }
        }
    }
    let (r, _) = sym("]")(r).or_else(|e| match e {
        nom::Err::Error(e) => cut(e),
        other => Err(other),
    })?;
    Ok((r, Literal::Array(items)))
}

fn array_elem(t: &str) -> PResult<'_, (Literal, ElemKind)> {
    if t.starts_with('"') {
        let (r, s) = string(t)?;
        return Ok((r, (Literal::String(s), ElemKind::String)));
    }
    for (word, lit, k) in [
        ("true", Literal::Boolean(true), ElemKind::Boolean),
        ("false", Literal::Boolean(false), ElemKind::Boolean),
        ("null", Literal::Null, ElemKind::Null),
    ] {
        if let Ok((r, _)) = kw(word)(t) {
            return Ok((r, (lit, k)));
        }
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match number(body) {
        Ok((r, n)) => Ok((r, (if neg { negate(n) } else { n }, ElemKind::Number))),
        Err(_) => cut(PErr::expected(t, "a constant (number, string or boolean) in the array")),
    }
}

/// The negative of a numeric literal, keeping `-9223372036854775808` a long.
pub(crate) fn negate(n: Literal) -> Literal {
    match n {
        Literal::Integer(v) => Literal::Integer(-v),
        Literal::UnsignedLong(u) if u == 1u64 << 63 => Literal::Integer(i64::MIN),
        Literal::UnsignedLong(u) => Literal::Double(-(u as f64)),
        Literal::Double(d) => Literal::Double(-d),
        other => other,
    }
}
