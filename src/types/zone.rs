//! Time zones as Elasticsearch's `time_zone` options name them: `Z` or `UTC`, an offset
//! (`+02:00`, `-0530`, `+2`) or a tz database name (`America/New_York`, resolved per date,
//! daylight saving included, as Java's `ZoneId` is).

use chrono::{Duration, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// A zone to read local dates in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zone {
    /// Seconds east of UTC.
    Fixed(i32),
    /// A tz database zone.
    Named(Tz),
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone::Fixed(0);

    /// The zone `name` names, if any.
    pub fn parse(name: &str) -> Option<Zone> {
        offset(name).map(Zone::Fixed).or_else(|| name.trim().parse::<Tz>().ok().map(Zone::Named))
    }

    /// The local date and time of the instant `ms` (epoch milliseconds).
    pub fn local(self, ms: i64) -> Option<NaiveDateTime> {
        let t = chrono::DateTime::from_timestamp_millis(ms)?;
        match self {
            Zone::Fixed(s) => t.naive_utc().checked_add_signed(Duration::seconds(i64::from(s))),
            Zone::Named(tz) => Some(t.with_timezone(&tz).naive_local()),
        }
    }

    /// The instant (epoch milliseconds) of a local date and time, as Java's
    /// `ZonedDateTime.ofLocal` reads it: the earlier offset where clocks go back, and a time
    /// that clocks skip read at the offset before the change (moved later by the gap).
    pub fn utc(self, local: NaiveDateTime) -> Option<i64> {
        let offset_s = match self {
            Zone::Fixed(s) => i64::from(s),
            Zone::Named(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return Some(t.timestamp_millis()),
                LocalResult::None => {
                    let before = tz.from_local_datetime(&local.checked_sub_signed(Duration::days(1))?).earliest()?;
                    i64::from(before.offset().fix().local_minus_utc())
                }
            },
        };
        Some(local.checked_sub_signed(Duration::seconds(offset_s))?.and_utc().timestamp_millis())
    }
}

/// `Z`, `UTC`, `+02:00`, `-0530`, `+2` as seconds east of UTC.
fn offset(zone: &str) -> Option<i32> {
    let z = zone.trim();
    if z.eq_ignore_ascii_case("z") || z.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
        _ => return None,
    };
    (h <= 18 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::text_form::parse_date;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn zones_read_local_times_as_java_does() {
        let ny = Zone::parse("America/New_York").unwrap();
        // Summer and winter offsets.
        assert_eq!(ny.utc(local("2023-10-23T09:56:01")), parse_date("2023-10-23T13:56:01Z"));
        assert_eq!(ny.utc(local("2023-01-23T09:56:01")), parse_date("2023-01-23T14:56:01Z"));
        // 02:30 on 2023-03-12 does not exist there: read at -05:00, it is 03:30 -04:00.
        assert_eq!(ny.utc(local("2023-03-12T02:30:00")), parse_date("2023-03-12T07:30:00Z"));
        // 01:30 on 2023-11-05 happens twice: the earlier.
        assert_eq!(ny.utc(local("2023-11-05T01:30:00")), parse_date("2023-11-05T05:30:00Z"));
        assert_eq!(ny.local(parse_date("2023-10-23T13:56:01Z").unwrap()), Some(local("2023-10-23T09:56:01")));
        assert_eq!(Zone::parse("+02:00"), Some(Zone::Fixed(7200)));
        assert_eq!(Zone::parse("-0530"), Some(Zone::Fixed(-19800)));
        assert_eq!(Zone::parse("UTC"), Some(Zone::UTC));
        assert_eq!(Zone::parse("Mars/Olympus"), None);
    }
}
