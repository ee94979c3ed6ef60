//! `DATE_FORMAT([format,] date)`: a date written with a Java `DateTimeFormatter` pattern, as
//! Elasticsearch does (root locale, UTC). Letters count: `yyyy` pads, `yy` keeps two digits,
//! `MMM` is a short month name; text in quotes is literal; `Y` is the week-based year (so
//! `YYYY-mm-dd` is a week year and minutes, as in Java). Unknown letters are an error.

use super::p::{opt, req};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};
use chrono::{DateTime, Datelike, Timelike, Utc};
use std::borrow::Cow;
use std::fmt::Write;

/// Elasticsearch's default: `strict_date_optional_time` as it prints.
const DEFAULT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "date_format",
        // `DATE_FORMAT(date)` is the one-argument form: the first parameter takes a date then.
        params: &[
            req("dateFormat", &[EsType::Keyword, EsType::Text, EsType::Date, EsType::DateNanos]),
            opt("date", &[EsType::Date, EsType::DateNanos]),
        ],
        variadic: false,
        returns: Returns::Fixed(EsType::Keyword),
        kind: Kind::Scalar(Eval::Single(date_format)),
        doc: "Writes a date with a Java date-time pattern (default yyyy-MM-dd'T'HH:mm:ss.SSS'Z').",
        column: None,
    },
    FunctionDef {
        name: "day_name",
        params: &[req("date", &[EsType::Date, EsType::DateNanos])],
        variadic: false,
        returns: Returns::Fixed(EsType::Keyword),
        kind: Kind::Scalar(Eval::Single(|_, a| named(&a[0], |dt| DAYS[dt.weekday().num_days_from_monday() as usize]))),
        doc: "The day of the week in English (Monday ...), in UTC.",
        column: None,
    },
    FunctionDef {
        name: "month_name",
        params: &[req("date", &[EsType::Date, EsType::DateNanos])],
        variadic: false,
        returns: Returns::Fixed(EsType::Keyword),
        kind: Kind::Scalar(Eval::Single(|_, a| named(&a[0], |dt| MONTHS[dt.month0() as usize]))),
        doc: "The month in English (January ...), in UTC.",
        column: None,
    },
];

fn named<'a>(date: &Value<'_>, name: fn(&DateTime<Utc>) -> &'static str) -> ValueResult<'a> {
    let Some(ms) = super::date::millis(date) else { return Ok(None) };
    let dt = DateTime::from_timestamp_millis(ms).ok_or_else(|| EvalError::illegal_argument("date out of range"))?;
    Ok(Some(Value::Str(Cow::Borrowed(name(&dt)))))
}

fn date_format<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    // One argument (the date) uses the default pattern.
    let (pattern, date) = match a {
        [d] => (DEFAULT, d),
        [Value::Str(p), d] => (p.as_ref(), d),
        _ => return Ok(None),
    };
    let (ms, nanos) = match *date {
        Value::Date(ms) => (ms, ms.rem_euclid(1000) * 1_000_000),
        Value::DateNanos(ns) => (ns.div_euclid(1_000_000), ns.rem_euclid(1_000_000_000)),
        _ => return Ok(None),
    };
    let dt = DateTime::from_timestamp_millis(ms).ok_or_else(|| EvalError::illegal_argument("date out of range"))?;
    format(pattern, &dt, nanos).map(|s| Some(Value::Str(Cow::Owned(s)))).map_err(EvalError::illegal_argument)
}

/// `pattern` applied to `dt` (`nanos`: the fraction of its second).
pub fn format(pattern: &str, dt: &DateTime<Utc>, nanos: i64) -> Result<String, String> {
    let mut out = String::new();
    for t in tokens(pattern) {
        match t {
            Tok::Literal(text) => out.push_str(&text),
            Tok::Field(c, run) => field(c, run, dt, nanos, &mut out)?,
        }
    }
    Ok(out)
}

/// A piece of a Java date-time pattern: a letter and how many times it is repeated, or
/// literal text (quoted, or anything that is not a letter).
#[derive(Debug, PartialEq)]
pub(super) enum Tok {
    Field(char, usize),
    Literal(String),
}

/// The pieces of a pattern; `''` is a quote.
pub(super) fn tokens(pattern: &str) -> Vec<Tok> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if c == '\'' {
            let mut lit = String::new();
            k += 1;
            while k < chars.len() {
                if chars[k] == '\'' && chars.get(k + 1) == Some(&'\'') {
                    lit.push('\'');
                    k += 2;
                } else if chars[k] == '\'' {
                    k += 1;
                    break;
                } else {
                    lit.push(chars[k]);
                    k += 1;
                }
            }
            out.push(Tok::Literal(if lit.is_empty() { "'".into() } else { lit }));
            continue;
        }
        let run = chars[k..].iter().take_while(|&&x| x == c).count();
        k += run;
        out.push(if c.is_ascii_alphabetic() { Tok::Field(c, run) } else { Tok::Literal(c.to_string().repeat(run)) });
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn number(out: &mut String, v: i64, width: usize) {
    let _ = write!(out, "{v:0width$}");
}

/// A year: two letters keep the last two digits, others pad to their count.
fn year(out: &mut String, y: i64, run: usize) {
    if run == 2 {
        number(out, y.rem_euclid(100), 2);
    } else {
        number(out, y, run);
    }
}

fn text(out: &mut String, name: &str, run: usize) {
    out.push_str(if run >= 4 { name } else { &name[..3] });
}

fn field(c: char, run: usize, dt: &DateTime<Utc>, nanos: i64, out: &mut String) -> Result<(), String> {
    match c {
        'y' | 'u' => year(out, i64::from(dt.year()), run),
        'Y' => year(out, i64::from(dt.iso_week().year()), run),
        'M' | 'L' if run >= 3 => text(out, MONTHS[dt.month0() as usize], run),
        'M' | 'L' => number(out, i64::from(dt.month()), run),
        'd' => number(out, i64::from(dt.day()), run),
        'D' => number(out, i64::from(dt.ordinal()), run),
        'w' => number(out, i64::from(dt.iso_week().week()), run),
        'E' => text(out, DAYS[dt.weekday().num_days_from_monday() as usize], run),
        'e' | 'c' if run >= 3 => text(out, DAYS[dt.weekday().num_days_from_monday() as usize], run),
        'e' | 'c' => number(out, i64::from(dt.weekday().number_from_monday()), run),
        'a' => out.push_str(if dt.hour() < 12 { "AM" } else { "PM" }),
        'H' => number(out, i64::from(dt.hour()), run),
        'k' => number(out, i64::from(if dt.hour() == 0 { 24 } else { dt.hour() }), run),
        'h' => number(out, i64::from((dt.hour() + 11) % 12 + 1), run),
        'K' => number(out, i64::from(dt.hour() % 12), run),
        'm' => number(out, i64::from(dt.minute()), run),
        's' => number(out, i64::from(dt.second()), run),
        'S' => {
            let digits = format!("{nanos:09}");
            out.push_str(&digits[..run.min(9)]);
            (9..run).for_each(|_| out.push('0'));
        }
        'n' => number(out, nanos, run),
        'A' => number(out, i64::from(dt.num_seconds_from_midnight()) * 1000 + nanos / 1_000_000, run),
        'X' => out.push('Z'),
        'x' | 'Z' => out.push_str(match run {
            1 | 2 => "+00",
            _ => "+0000",
        }),
        'z' | 'V' | 'v' => out.push_str(if c == 'z' && run >= 4 { "Coordinated Universal Time" } else { "UTC" }),
        'O' => out.push_str("GMT"),
        'G' => out.push_str(if run >= 4 { "Anno Domini" } else { "AD" }),
        'Q' | 'q' => number(out, i64::from(dt.month0() / 3 + 1), run),
        other => return Err(format!("Unknown pattern letter: {other}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_patterns_print_as_java_prints_them() {
        let dt = DateTime::from_timestamp_millis(1_753_875_378_317).expect("date");
        let nanos = 317_000_000;
        for (pattern, want) in [
            ("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", "2025-07-30T11:36:18.317Z"),
            // Week year and minutes: the corpus rule's own pattern.
            ("YYYY-mm-dd", "2025-36-30"),
            ("EEEE d MMMM yy, h a", "Wednesday 30 July 25, 11 AM"),
            ("'It''s' D", "It's 211"),
            ("yyyyy", "02025"),
        ] {
            assert_eq!(format(pattern, &dt, nanos).as_deref(), Ok(want), "{pattern}");
        }
        assert!(format("yyyy-bb", &dt, nanos).is_err());
    }
}
