//! Text analysis as Elasticsearch's `standard` analyzer does it: words at Unicode word
//! boundaries (UAX #29), lower-cased; and date math for range bounds (`now-15m/m`).

use crate::types::zone::Zone;
use chrono::NaiveDateTime;
use unicode_segmentation::UnicodeSegmentation;

/// The words of a text, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    text.unicode_words().map(str::to_lowercase).collect()
}

/// A date bound in epoch milliseconds: a date (`2024-01-01`, `2024-01-01T10:00:00Z`), epoch
/// milliseconds, or date math from `now` or a date followed by `||` (`now-15m`, `now/d`,
/// `2024-01-01||+1M/d`). A date written without a zone is read in `zone`, and the math is
/// done on its local time there (Elasticsearch's JavaDateMathParser: `now/d` is the start of
/// the zone's day); rounding goes down to the start of the unit.
pub fn date_math(text: &str, now_ms: i64, zone: Zone) -> Option<i64> {
    let text = text.trim();
    let instant = |date: &str| {
        let ms = crate::types::text_form::parse_date(date)?;
        if has_zone(date) {
            Some(ms)
        } else {
            zone.utc(chrono::DateTime::from_timestamp_millis(ms)?.naive_utc())
        }
    };
    let (base, ops) = if let Some(rest) = text.strip_prefix("now") {
        (now_ms, rest)
    } else if let Some((date, rest)) = text.split_once("||") {
        (instant(date)?, rest)
    } else {
        return instant(text).or_else(|| text.parse().ok());
    };
    if ops.is_empty() {
        return Some(base);
    }
    let mut t = zone.local(base)?;
    let mut rest = ops;
    while let Some(op) = rest.chars().next() {
        let body = &rest[op.len_utf8()..];
        let digits = body.chars().take_while(char::is_ascii_digit).count();
        let n: i64 = if digits == 0 { 1 } else { body[..digits].parse().ok()? };
        let unit = body[digits..].chars().next()?;
        rest = &body[digits + unit.len_utf8()..];
        t = match op {
            '+' | '-' => shift(t, if op == '-' { -n } else { n }, unit)?,
            '/' => round_down(t, unit)?,
            _ => return None,
        };
    }
    zone.utc(t)
}

/// Whether a date text names its zone (`Z`, `+02:00` or `-0500` after the time).
fn has_zone(date: &str) -> bool {
    date.split_once('T').is_some_and(|(_, time)| time.ends_with(['Z', 'z']) || time.contains(['+', '-']))
}

fn shift(t: NaiveDateTime, n: i64, unit: char) -> Option<NaiveDateTime> {
    use chrono::{Duration, Months};
    let months = |m: i64| {
        let m = u32::try_from(m.unsigned_abs()).ok()?;
        if n < 0 {
            t.checked_sub_months(Months::new(m))
        } else {
            t.checked_add_months(Months::new(m))
        }
    };
    match unit {
        'y' => months(n.checked_mul(12)?),
        'M' => months(n),
        'w' => t.checked_add_signed(Duration::try_weeks(n)?),
        'd' => t.checked_add_signed(Duration::try_days(n)?),
        'h' | 'H' => t.checked_add_signed(Duration::try_hours(n)?),
        'm' => t.checked_add_signed(Duration::try_minutes(n)?),
        's' => t.checked_add_signed(Duration::try_seconds(n)?),
        _ => None,
    }
}

fn round_down(t: NaiveDateTime, unit: char) -> Option<NaiveDateTime> {
    use chrono::{Datelike, NaiveDate, Timelike};
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(0, 0, 0);
    match unit {
        'y' => day(t.year(), 1, 1),
        'M' => day(t.year(), t.month(), 1),
        'w' => day(t.year(), t.month(), t.day())
            .map(|d| d - chrono::Duration::days(i64::from(t.weekday().num_days_from_monday()))),
        'd' => day(t.year(), t.month(), t.day()),
        'h' | 'H' => t.with_nanosecond(0)?.with_second(0)?.with_minute(0),
        'm' => t.with_nanosecond(0)?.with_second(0),
        's' => t.with_nanosecond(0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_date_math() {
        assert_eq!(
            words("The Lord of the Rings: Return-of the KING!"),
            ["the", "lord", "of", "the", "rings", "return", "of", "the", "king"]
        );
        assert_eq!(words("user@example.com 10.0.0.1"), ["user", "example.com", "10.0.0.1"]);
        let now = crate::types::text_form::parse_date("2025-07-30T12:34:56Z").unwrap();
        let at = |s: &str| crate::types::text_form::parse_date(s).unwrap();
        assert_eq!(date_math("now-15m/m", now, Zone::UTC), Some(at("2025-07-30T12:19:00Z")));
        assert_eq!(date_math("now/d", now, Zone::UTC), Some(at("2025-07-30T00:00:00Z")));
        assert_eq!(date_math("2024-01-31||+1M", now, Zone::UTC), Some(at("2024-02-29T00:00:00Z")));
        assert_eq!(date_math("2024-01-01", now, Zone::UTC), Some(at("2024-01-01T00:00:00Z")));
        assert_eq!(date_math("2024-01-01", now, Zone::Fixed(7200)), Some(at("2023-12-31T22:00:00Z")));
        assert_eq!(date_math("2024-01-01T05:00:00Z", now, Zone::Fixed(7200)), Some(at("2024-01-01T05:00:00Z")));
        assert_eq!(date_math("now-x", now, Zone::UTC), None);
        // In a zone, rounding goes to the start of its day (New York is UTC-4 in July).
        let ny = Zone::parse("America/New_York").unwrap();
        assert_eq!(date_math("now/d", now, ny), Some(at("2025-07-30T04:00:00Z")));
        assert_eq!(date_math("2025-03-08||+1d", now, ny), Some(at("2025-03-09T05:00:00Z")));
        assert_eq!(date_math("2025-03-09||+1d", now, ny), Some(at("2025-03-10T04:00:00Z")));
    }
}
