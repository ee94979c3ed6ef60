//! `DATE_PARSE([format,] text)`: a date read with a Java `DateTimeFormatter` pattern, the
//! inverse of `DATE_FORMAT` (UTC unless the text carries an offset). Numbers next to another
//! number (`yyyyMMdd`) take exactly their letter count; otherwise they take the digits there
//! are. Fields the pattern leaves out default to 1970-01-01T00:00:00. Without a format the
//! text is read as `strict_date_optional_time`.

use super::date_format::{tokens, Tok};
use super::p::{opt, req, STR};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::{EsType, Value};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[FunctionDef {
    name: "date_parse",
    params: &[req("datePattern", STR), opt("dateString", STR)],
    variadic: false,
    returns: Returns::Fixed(EsType::Date),
    kind: Kind::Scalar(Eval::Single(date_parse)),
    doc: "Reads a date with a Java date-time pattern (one argument: strict_date_optional_time).",
    column: None,
}];

fn date_parse<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let text = |v: &Value<'_>| match v {
        Value::Str(s) => s.to_string(),
        other => other.render(),
    };
    let (pattern, input) = match a {
        [input] => (None, text(input)),
        [pattern, input, ..] => (Some(text(pattern)), text(input)),
        [] => return Ok(None),
    };
    let ms = match &pattern {
        None => crate::types::text_form::parse_date(&input),
        Some(p) => parse(p, &input).ok(),
    };
    let shown = pattern.as_deref().unwrap_or("strict_date_optional_time");
    ms.map(|ms| Some(Value::Date(ms))).ok_or_else(|| {
        EvalError::illegal_argument(format!("failed to parse date field [{input}] with format [{shown}]"))
    })
}

/// What the text said, field by field.
#[derive(Default)]
struct Parsed {
    year: Option<i64>,
    month: Option<u32>,
    day: Option<u32>,
    day_of_year: Option<u32>,
    hour: u32,
    pm: Option<bool>,
    minute: u32,
    second: u32,
    nanos: u32,
    offset_seconds: i64,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// `input` read with `pattern`, in epoch milliseconds.
pub fn parse(pattern: &str, input: &str) -> Result<i64, String> {
    let toks = tokens(pattern);
    let mut p = Parsed::default();
    let mut rest = input;
    for (i, t) in toks.iter().enumerate() {
        let adjacent = matches!(toks.get(i + 1), Some(Tok::Field(c, _)) if is_numeric(*c));
        rest = match t {
            Tok::Literal(l) => rest.strip_prefix(l.as_str()).ok_or("literal")?,
            Tok::Field(c, run) => field(*c, *run, adjacent, rest, &mut p)?,
        };
    }
    if !rest.is_empty() {
        return Err("unparsed text".into());
    }
    to_millis(&p)
}

fn is_numeric(c: char) -> bool {
    matches!(c, 'y' | 'u' | 'Y' | 'M' | 'L' | 'd' | 'D' | 'H' | 'k' | 'h' | 'K' | 'm' | 's' | 'S' | 'n')
}

/// Reads one field from the front of `s`; returns what is left.
fn field<'s>(c: char, run: usize, adjacent: bool, s: &'s str, p: &mut Parsed) -> Result<&'s str, String> {
    if matches!(c, 'M' | 'L') && run >= 3 {
        let (m, rest) = name(s, &MONTHS)?;
        p.month = Some(m as u32 + 1);
        return Ok(rest);
    }
    match c {
        'E' => return name(s, &DAYS).map(|(_, rest)| rest),
        'a' => {
            let upper = s.get(..2).map(str::to_ascii_uppercase).ok_or("am/pm")?;
            p.pm = Some(match upper.as_str() {
                "AM" => false,
                "PM" => true,
                _ => return Err("am/pm".into()),
            });
            return Ok(&s[2..]);
        }
        'X' | 'x' | 'Z' => return offset(s, p),
        _ => {}
    }
    // Java's widths: a doubled letter is exactly two digits (`MM`, `dd`, `HH`, `yy`), a
    // fraction exactly its letters (`SSS`), a year at least its letters; a single letter
    // takes what digits there are, and a year next to another number exactly its letters.
    let (min, max) = match c {
        'y' | 'u' | 'Y' if run == 2 => (2, 2),
        'y' | 'u' | 'Y' if adjacent => (run, run),
        'y' | 'u' | 'Y' => (run, 9),
        'S' => (run, run),
        'n' => (1, 9),
        'D' if run == 1 => (1, 3),
        _ if run == 1 => (1, 2),
        _ => (run, run),
    };
    let digits = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if digits < min.max(1) {
        return Err(format!("expected {min} digits for {c}"));
    }
    let v: i64 = s[..digits].parse().map_err(|_| "number")?;
    let small = u32::try_from(v).map_err(|_| "number")?;
    match c {
        'y' | 'u' | 'Y' => p.year = Some(if run == 2 { 2000 + v } else { v }),
        'M' | 'L' => p.month = Some(small),
        'd' => p.day = Some(small),
        'D' => p.day_of_year = Some(small),
        'H' | 'k' => p.hour = small % 24,
        'h' | 'K' => p.hour = small % 12,
        'm' => p.minute = small,
        's' => p.second = small,
        'S' => p.nanos = (v * 10i64.pow(9 - digits.min(9) as u32)) as u32,
        'n' => p.nanos = small,
        other => return Err(format!("Unknown pattern letter: {other}")),
    }
    Ok(&s[digits..])
}

/// A month or day name, full or its first three letters, any case.
fn name<'s>(s: &'s str, names: &[&str]) -> Result<(usize, &'s str), String> {
    // ASCII lower-casing keeps byte offsets, so the match length applies to `s` too.
    let lower = s.to_ascii_lowercase();
    for (k, full) in names.iter().enumerate() {
        for cand in [*full, &full[..3]] {
            if lower.starts_with(cand) {
                return Ok((k, &s[cand.len()..]));
            }
        }
    }
    Err("name".into())
}

/// `Z`, `+01`, `+0100`, `+01:00`.
fn offset<'s>(s: &'s str, p: &mut Parsed) -> Result<&'s str, String> {
    if let Some(rest) = s.strip_prefix('Z') {
        return Ok(rest);
    }
    let sign = match s.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err("offset".into()),
    };
    let body = &s[1..];
    let digits: String = body.chars().take(5).filter(char::is_ascii_digit).collect();
    let used = match (digits.len(), body.as_bytes().get(2)) {
        (4.., Some(b':')) => 5,
        (4.., _) => 4,
        _ => 2,
    };
    let hh: i64 = digits.get(..2).and_then(|d| d.parse().ok()).ok_or("offset")?;
    let mm: i64 = if used > 2 { digits.get(2..4).and_then(|d| d.parse().ok()).ok_or("offset")? } else { 0 };
    p.offset_seconds = sign * (hh * 3600 + mm * 60);
    Ok(&body[used..])
}

fn to_millis(p: &Parsed) -> Result<i64, String> {
    let year = i32::try_from(p.year.unwrap_or(1970)).map_err(|_| "year")?;
    let date = match p.day_of_year {
        Some(doy) => NaiveDate::from_yo_opt(year, doy),
        None => NaiveDate::from_ymd_opt(year, p.month.unwrap_or(1), p.day.unwrap_or(1)),
    }
    .ok_or("date")?;
    let hour = if p.pm == Some(true) { p.hour % 12 + 12 } else { p.hour };
    let time = NaiveTime::from_hms_nano_opt(hour, p.minute, p.second, p.nanos).ok_or("time")?;
    let utc = NaiveDateTime::new(date, time).and_utc().timestamp_millis();
    Ok(utc - p.offset_seconds * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_patterns_read_what_they_write() {
        let ms = |s: &str| crate::types::text_form::parse_date(s).unwrap();
        for (pattern, text, want) in [
            ("yyyy-MM-dd", "2023-12-25", "2023-12-25T00:00:00Z"),
            ("yyyy-MM-dd HH:mm:ss", "2023-12-25 14:05:09", "2023-12-25T14:05:09Z"),
            ("yyyyMMddHHmmss", "20231225140509", "2023-12-25T14:05:09Z"),
            ("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36Z"),
            ("MMMM d, yyyy h:mm a", "July 4, 2024 9:30 PM", "2024-07-04T21:30:00Z"),
            ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-02T03:04:05.678+01:00", "2024-01-02T02:04:05.678Z"),
            ("EEE, dd MMM yyyy", "Tue, 02 Jan 2024", "2024-01-02T00:00:00Z"),
            ("yy-M-d", "24-1-2", "2024-01-02T00:00:00Z"),
        ] {
            assert_eq!(parse(pattern, text), Ok(ms(want)), "{pattern} {text}");
        }
        for (pattern, text) in [("yyyy-MM-dd", "2023-13-01"), ("yyyy-MM-dd", "2023-12-25x"), ("yyyyMMdd", "2023125")] {
            assert!(parse(pattern, text).is_err(), "{pattern} {text}");
        }
    }
}
