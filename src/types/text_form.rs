//! Text forms of values as Elasticsearch reads and writes them: IPs, ISO-8601 dates, Java's
//! double formatting, and version ordering.

use chrono::{DateTime, NaiveDate};
use std::cmp::Ordering;
use std::net::{IpAddr, Ipv6Addr};

/// Parses an IP as `TO_IP` does by default: dotted IPv4 without leading zeros, or IPv6.
/// IPv4 is returned IPv4-mapped.
pub fn parse_ip(s: &str) -> Option<[u8; 16]> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.to_ipv6_mapped().octets()),
        IpAddr::V6(v6) => Some(v6.octets()),
    }
}

/// IPv4-mapped addresses print dotted; others in RFC 5952 compressed lower case.
pub fn format_ip(ip: &[u8; 16]) -> String {
    let v6 = Ipv6Addr::from(*ip);
    match v6.to_ipv4_mapped() {
        Some(v4) => v4.to_string(),
        None => v6.to_string(),
    }
}

/// `2023-01-23T12:15:00.000Z`.
pub fn format_date(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => ms.to_string(),
    }
}

/// `2023-10-23T13:55:01.543123456Z`.
pub fn format_date_nanos(ns: i64) -> String {
    DateTime::from_timestamp_nanos(ns).format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Java's `Instant.toString` of a time in nanoseconds: `2262-04-12T00:00:00Z`, the fraction
/// in 3, 6 or 9 digits when there is one (Elasticsearch's date range errors print it).
pub fn format_instant(ns: i128) -> String {
    let (secs, sub) = (ns.div_euclid(1_000_000_000), ns.rem_euclid(1_000_000_000));
    match i64::try_from(secs).ok().and_then(|s| DateTime::from_timestamp(s, sub as u32)) {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
        None => ns.to_string(),
    }
}

/// Java's `Double.toString`: plain notation for 1e-3 <= |d| < 1e7, else `d.dddE±n`; always
/// at least one fractional digit; shortest digits that round-trip.
pub fn format_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let abs = d.abs();
    if abs == 0.0 || (1e-3..1e7).contains(&abs) {
        let s = format!("{d}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = format!("{d:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{mantissa}E{exp}")
}

/// Parses ISO-8601 as `strict_date_optional_time` does (`2024-01-01`, `2024-01-01T10:00Z`,
/// fractions, offsets; no zone means UTC). Returns nanoseconds since the epoch.
pub fn parse_date_nanos(s: &str) -> Option<i64> {
    parse_iso(s).and_then(|ns| i64::try_from(ns).ok())
}

/// An ISO-8601 date as nanoseconds since the epoch, however far from it.
pub fn parse_date_wide(s: &str) -> Option<i128> {
    parse_iso(s)
}

/// Like [`parse_date_nanos`], in milliseconds (truncating toward the past).
pub fn parse_date(s: &str) -> Option<i64> {
    if let Some(ms) = parse_canonical(s.as_bytes()) {
        return Some(ms);
    }
    parse_iso(s).and_then(|ns| i64::try_from(ns.div_euclid(1_000_000)).ok())
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` and `YYYY-MM-DDTHH:MM:SSZ`, the form nearly every log
/// timestamp has, without the general parser's splitting (it showed in scan profiles).
/// Anything else returns `None` and takes the general path.
fn parse_canonical(b: &[u8]) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    let millis = match b.len() {
        24 if b[19] == b'.' && b[23] == b'Z' => num(20..23)?,
        20 if b[19] == b'Z' => 0,
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + millis)
}

/// Nanoseconds since the epoch, in i128 so that far dates still fit.
fn parse_iso(s: &str) -> Option<i128> {
    let (date_part, time_part) = s.split_once(['T', 't']).map_or((s, None), |(d, t)| (d, Some(t)));
    let mut ymd = date_part.splitn(3, '-');
    let year: i32 = digits(ymd.next()?, 4, 4)?;
    let month: u32 = ymd.next().map_or(Some(1), |m| digits(m, 2, 2))?;
    let day: u32 = ymd.next().map_or(Some(1), |d| digits(d, 2, 2))?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let (secs_of_day, nanos, offset) = match time_part {
        Some(t) => parse_time(t)?,
        None => (0, 0, 0),
    };
    let days = date.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as i128;
    Some((days * 86_400 + secs_of_day as i128 - offset as i128) * 1_000_000_000 + nanos as i128)
}

fn digits<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `HH[:mm[:ss[.fff…]]][Z|±hh[:mm]]` → (seconds of day, nanos, offset seconds).
fn parse_time(t: &str) -> Option<(i64, i64, i64)> {
    let zone_at = t.find(['Z', 'z', '+', '-']).unwrap_or(t.len());
    let (clock, zone) = t.split_at(zone_at);
    let offset = parse_offset(zone)?;
    let (hms, frac) = clock.split_once(['.', ',']).map_or((clock, ""), |(a, b)| (a, b));
    let mut parts = hms.split(':');
    let h: i64 = digits(parts.next()?, 2, 2)?;
    let m: i64 = parts.next().map_or(Some(0), |p| digits(p, 2, 2))?;
    let s: i64 = parts.next().map_or(Some(0), |p| digits(p, 2, 2))?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 || (frac.is_empty() && clock.contains(['.', ','])) {
        return None;
    }
    let nanos = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse::<i64>().ok()? };
    Some((h * 3600 + m * 60 + s, nanos, offset))
}

fn parse_offset(zone: &str) -> Option<i64> {
    if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let body = zone.get(1..)?.replace(':', "");
    let (h, m) = match body.len() {
        2 => (digits::<i64>(&body, 2, 2)?, 0),
        4 => (digits::<i64>(&body[..2], 2, 2)?, digits::<i64>(&body[2..], 2, 2)?),
        _ => return None,
    };
    Some(sign * (h * 3600 + m * 60))
}

/// Version ordering: dotted numeric parts compare numerically, a pre-release (`-SNAPSHOT`)
/// sorts before its release, and strings that are not versions sort after all versions.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    match (parse_version(a), parse_version(b)) {
        (Some(va), Some(vb)) => va.0.cmp(&vb.0).then_with(|| compare_pre(va.1, vb.1)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.as_bytes().cmp(b.as_bytes()),
    }
}

fn parse_version(s: &str) -> Option<(Vec<u64>, Option<&str>)> {
    let main_end = s.find(['-', '+']).unwrap_or(s.len());
    let main = &s[..main_end];
    let pre = s[main_end..].strip_prefix('-').map(|p| p.split('+').next().unwrap_or(p));
    let nums: Option<Vec<u64>> = main.split('.').map(|p| if p.is_empty() { None } else { p.parse().ok() }).collect();
    Some((nums?, pre))
}

fn compare_pre(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            for (p, q) in x.split('.').zip(y.split('.')) {
                let ord = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(n), Ok(m)) => n.cmp(&m),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    _ => p.cmp(q),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            x.split('.').count().cmp(&y.split('.').count())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_canonical_fast_path_agrees_with_the_general_parser() {
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = |n: u64, k: u32| (seed >> k) % n;
            let text = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                1 + r(2999, 1),
                1 + r(13, 13),
                1 + r(31, 19),
                r(25, 25),
                r(61, 31),
                r(61, 37),
                r(1000, 43)
            );
            let general = super::parse_iso(&text).and_then(|ns| i64::try_from(ns.div_euclid(1_000_000)).ok());
            assert_eq!(super::parse_canonical(text.as_bytes()), general, "{text}");
            let short = format!("{}Z", &text[..19]);
            let general = super::parse_iso(&short).and_then(|ns| i64::try_from(ns.div_euclid(1_000_000)).ok());
            assert_eq!(super::parse_canonical(short.as_bytes()), general, "{short}");
        }
    }

    use super::*;

    #[test]
    fn doubles_print_like_java() {
        for (d, s) in [
            (1.0, "1.0"),
            (48248.55, "48248.55"),
            (5.7601043e7, "5.7601043E7"),
            (9.223372036854776e18, "9.223372036854776E18"),
            (0.0001, "1.0E-4"),
            (0.001, "0.001"),
            (1e7, "1.0E7"),
            (-0.4161468365471424, "-0.4161468365471424"),
            (0.0, "0.0"),
        ] {
            assert_eq!(format_double(d), s);
        }
    }

    #[test]
    fn dates_parse_in_every_iso_form() {
        let ms = |s| parse_date(s);
        assert_eq!(ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(ms("2022-01-24T05:10:08.681Z"), Some(1643001008681));
        assert_eq!(ms("2018-11-30T16:44:36.000+09:30"), ms("2018-11-30T07:14:36Z"));
        assert_eq!(ms("2021-09-14T17:20:47.736433526Z"), Some(1631640047736));
        assert_eq!(ms("2019-10-18T04:45:48.0729893-05:00"), ms("2019-10-18T09:45:48.072Z"));
        assert_eq!(ms("2024-01-01"), Some(1704067200000));
        assert_eq!(ms("2020-02-07T16:43:53"), ms("2020-02-07T16:43:53Z"));
        assert_eq!(ms("2018-10-03T14:42:44.836744+0000"), ms("2018-10-03T14:42:44.836Z"));
        assert_eq!(ms("1953-09-02T00:00:00Z"), Some(-515376000000));
        assert_eq!(ms("not a date"), None);
        assert_eq!(ms("2024-13-01"), None);
        assert_eq!(format_date(1643001008681), "2022-01-24T05:10:08.681Z");
    }

    #[test]
    fn ips_parse_and_print_canonically() {
        let ip = |s| parse_ip(s).map(|b| format_ip(&b));
        assert_eq!(ip("1.2.3.4").as_deref(), Some("1.2.3.4"));
        assert_eq!(ip("::ffff:1.2.3.4").as_deref(), Some("1.2.3.4"));
        assert_eq!(ip("2001:DB8::ABCD").as_deref(), Some("2001:db8::abcd"));
        assert_eq!(ip("fe80::cae2:65ff:fece:0000").as_deref(), Some("fe80::cae2:65ff:fece:0"));
        assert_eq!(ip("1.1.010.1"), None);
        assert_eq!(ip("999.1.1.1"), None);
        assert_eq!(ip("not-an-ip"), None);
    }

    #[test]
    fn versions_order_by_version_rules() {
        assert_eq!(compare_versions("1.11.0", "1.2.0"), Ordering::Greater);
        assert_eq!(compare_versions("5.2.9-SNAPSHOT", "5.2.9"), Ordering::Less);
        assert_eq!(compare_versions("bad", "1.0"), Ordering::Greater);
    }
}
