//! JSON documents to ES|QL values: flattening (nested objects and dotted keys are the same
//! field; arrays are multi-values), type inference, and coercion to mapped types.

use crate::types::text_form::{parse_date, parse_date_nanos, parse_ip};
use crate::types::{Cell, EsType, Value};
use serde_json::Value as Json;
use std::borrow::Cow;

/// Calls `visit(path, leaf)` for every non-null leaf value of `doc`. Array elements are
/// visited one by one under the array's path. `stop(path)` marks object-valued fields
/// (geo_point, flattened) that are one leaf rather than sub-fields.
pub fn walk<'v>(
    doc: &'v Json,
    prefix: &mut String,
    stop: &dyn Fn(&str) -> bool,
    visit: &mut dyn FnMut(&str, &'v Json),
) {
    match doc {
        Json::Null => {}
        // A geo_point written [lon, lat] is one value, not two.
        Json::Array(items) if !prefix.is_empty() && items.iter().all(Json::is_number) && stop(prefix) => {
            visit(prefix, doc)
        }
        Json::Array(items) => {
            for item in items {
                walk(item, prefix, stop, visit);
            }
        }
        Json::Object(map) if prefix.is_empty() || !stop(prefix) => {
            for (k, v) in map {
                let len = prefix.len();
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(k);
                walk(v, prefix, stop, visit);
                prefix.truncate(len);
            }
        }
        leaf => visit(prefix, leaf),
    }
}

/// The type Elasticsearch's dynamic mapping would give a JSON value.
pub fn infer(j: &Json) -> EsType {
    match j {
        Json::Bool(_) => EsType::Boolean,
        Json::Number(n) if n.is_i64() => EsType::Long,
        Json::Number(_) => EsType::Double,
        Json::String(s) if looks_like_date(s) => EsType::Date,
        Json::String(_) => EsType::Keyword,
        _ => EsType::Unsupported,
    }
}

/// The type [`infer`] gives the values a raw JSON value holds at its own path (a scalar, or
/// the scalars of an array, widened): `None` when it holds none there (null, `[]`, an
/// object), or is not valid JSON. Numbers, booleans and plain strings need no JSON value.
pub fn infer_raw(raw: &[u8]) -> Option<EsType> {
    match raw.first()? {
        b'"' if !raw.contains(&b'\\') => {
            let s = std::str::from_utf8(raw.get(1..raw.len().saturating_sub(1))?).ok()?;
            Some(if looks_like_date(s) { EsType::Date } else { EsType::Keyword })
        }
        b't' | b'f' => Some(EsType::Boolean),
        b'-' | b'0'..=b'9' if raw.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) => Some(EsType::Double),
        b'-' | b'0'..=b'9' => {
            let long = std::str::from_utf8(raw).ok().and_then(|s| s.parse::<i64>().ok()).is_some();
            Some(if long { EsType::Long } else { EsType::Double })
        }
        _ => {
            let json = parse_value(raw).ok()?;
            let mut out = None;
            walk(&json, &mut "v".to_string(), &|_| false, &mut |p, leaf| {
                if p == "v" {
                    let t = infer(leaf);
                    out = Some(out.map_or(t, |o| widen(o, t)));
                }
            });
            out
        }
    }
}

/// Dynamic date detection: strings in `strict_date_optional_time` form with a full date.
fn looks_like_date(s: &str) -> bool {
    s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' && parse_date(s).is_some()
}

/// Two inferred types of one field: numbers widen to double, anything else to keyword.
pub fn widen(a: EsType, b: EsType) -> EsType {
    match (a, b) {
        (x, y) if x == y => x,
        (EsType::Long, EsType::Double) | (EsType::Double, EsType::Long) => EsType::Double,
        (EsType::Unsupported, _) | (_, EsType::Unsupported) => EsType::Unsupported,
        _ => EsType::Keyword,
    }
}

/// Parses one JSON value of a document. A bare number out of the range of a double
/// (`1e400`) is not an error of the line: it comes back as its text, which a numeric field
/// then reads as malformed (null, with a load warning) and a keyword field keeps.
pub fn parse_value(raw: &[u8]) -> Result<Json, serde_json::Error> {
    serde_json::from_slice::<Json>(raw).or_else(|e| {
        let bare = raw.first().is_some_and(|b| b.is_ascii_digit() || *b == b'-');
        match std::str::from_utf8(raw) {
            Ok(text) if bare && e.to_string().starts_with("number out of range") => {
                Ok(Json::String(text.trim().into()))
            }
            _ => Err(e),
        }
    })
}

/// A JSON leaf as a value of type `ty`; `None` when it does not fit (malformed).
pub fn coerce(j: &Json, ty: EsType) -> Option<Value<'static>> {
    let text = || match j {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    Some(match ty {
        EsType::Keyword | EsType::Text | EsType::Version => Value::Str(Cow::Owned(text()?)),
        EsType::Boolean => match j {
            Json::Bool(b) => Value::Bool(*b),
            Json::String(s) if s == "true" || s == "false" => Value::Bool(s == "true"),
            _ => return None,
        },
        EsType::Long => Value::Long(whole(j)?),
        EsType::Integer => Value::Int(i32::try_from(whole(j)?).ok()?),
        EsType::UnsignedLong => Value::ULong(match j {
            Json::Number(n) => {
                n.as_u64().or_else(|| n.as_f64().filter(|d| *d >= 0.0 && *d < u64::MAX as f64).map(|d| d as u64))?
            }
            Json::String(s) => s.trim().parse().ok()?,
            _ => return None,
        }),
        EsType::Double => Value::Double(match j {
            Json::Number(n) => n.as_f64()?,
            Json::String(s) => s.trim().parse::<f64>().ok().filter(|d| d.is_finite())?,
            _ => return None,
        }),
        EsType::Date => Value::Date(match j {
            Json::String(s) => parse_date(s).or_else(|| s.trim().parse::<i64>().ok())?,
            // Epoch milliseconds: a double past the range of a long is malformed, not
            // saturated (1e300 must not pass `> now() - 8 hours`).
            Json::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(|d| in_long_range(d).then_some(d as i64)))?,
            _ => return None,
        }),
        EsType::DateNanos => Value::DateNanos(match j {
            Json::String(s) => parse_date_nanos(s)?,
            Json::Number(n) => n.as_i64()?.checked_mul(1_000_000)?,
            _ => return None,
        }),
        EsType::Ip => Value::Ip(parse_ip(j.as_str()?)?),
        t if t.is_spatial() => Value::Str(Cow::Owned(spatial(j, t)?)),
        _ => return None,
    })
}

/// A geo_point or shape as Elasticsearch accepts it in a document: WKT, `"lat,lon"`,
/// `{"lat": .., "lon": ..}`, `[lon, lat]`, or GeoJSON; as canonical WKT.
fn spatial(j: &Json, ty: EsType) -> Option<String> {
    use crate::types::wkt::{canonical, Geometry};
    let number = |v: &Json| v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
    let coord = |v: &Json| -> Option<(f64, f64)> {
        let a = v.as_array()?;
        Some((number(a.first()?)?, number(a.get(1)?)?))
    };
    let geometry = match j {
        Json::String(s) => match s.split_once(',').map(|(a, b)| (a.trim().parse::<f64>(), b.trim().parse::<f64>())) {
            Some((Ok(lat), Ok(lon))) => Geometry::Point((lon, lat)),
            _ => return canonical(s, ty).ok(),
        },
        Json::Array(_) => Geometry::Point(coord(j)?),
        Json::Object(m) if m.contains_key("lat") => Geometry::Point((number(m.get("lon")?)?, number(m.get("lat")?)?)),
        Json::Object(m) => {
            let c = m.get("coordinates")?;
            let line = |v: &Json| v.as_array()?.iter().map(coord).collect::<Option<Vec<_>>>();
            let rings = |v: &Json| v.as_array()?.iter().map(line).collect::<Option<Vec<_>>>();
            match m.get("type")?.as_str()?.to_ascii_lowercase().as_str() {
                "point" => Geometry::Point(coord(c)?),
                "multipoint" => Geometry::MultiPoint(line(c)?),
                "linestring" => Geometry::LineString(line(c)?),
                "multilinestring" => Geometry::MultiLineString(rings(c)?),
                "polygon" => Geometry::Polygon(rings(c)?),
                "multipolygon" => Geometry::MultiPolygon(c.as_array()?.iter().map(rings).collect::<Option<_>>()?),
                _ => return None,
            }
        }
        _ => return None,
    };
    canonical(&geometry.to_string(), ty).ok()
}

/// Whole numbers from numbers or numeric strings, as Elasticsearch coerces (truncating);
/// `None` past the range of a long (9223372036854775808 does not saturate).
fn whole(j: &Json) -> Option<i64> {
    let exact = match j {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    let d = match j {
        Json::Number(n) => n.as_f64()?,
        Json::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    in_long_range(d.trunc()).then_some(d.trunc() as i64)
}

/// Whether a double converts to a long without saturating: -2^63 <= d < 2^63.
fn in_long_range(d: f64) -> bool {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    d.is_finite() && (-TWO_63..TWO_63).contains(&d)
}

/// The cell Elasticsearch would read for these values: doc-values order, so keyword and
/// ip values are sorted and de-duplicated, numbers and dates sorted; text keeps its order.
pub fn to_cell(mut values: Vec<Value<'static>>, ty: EsType) -> Cell<'static> {
    normalize(&mut values, ty);
    Cell::from_values(values)
}

/// A field's values in the order Elasticsearch's doc values keep them: sorted, and
/// deduplicated for keyword-like types (text keeps the source order).
pub fn normalize(values: &mut Vec<Value<'_>>, ty: EsType) {
    if values.len() > 1 && ty != EsType::Text && !ty.is_spatial() {
        values.sort_by(|a, b| a.compare(b, ty));
        if matches!(ty, EsType::Keyword | EsType::Ip | EsType::Version) {
            values.dedup();
        }
    }
}

/// A string without escapes, straight from the bytes.
pub(crate) fn plain_string(raw: &[u8]) -> Option<&str> {
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if inner.contains(&b'\\') {
        return None;
    }
    std::str::from_utf8(inner).ok()
}

/// A string with escapes, decoded straight from the bytes (serde_json's value, built and
/// dropped, was a tenth of a query reading `event.original`). `None` for what serde_json
/// refuses (an unknown escape, a lone surrogate, a raw control character, invalid
/// UTF-8): the general path then says why.
pub(crate) fn escaped_string(raw: &[u8]) -> Option<String> {
    let mut rest = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    let mut out = Vec::with_capacity(rest.len());
    loop {
        let k = plain_run(rest);
        out.extend_from_slice(&rest[..k]);
        match rest.get(k) {
            None => break,
            Some(b'\\') => {}
            // A raw control character.
            Some(_) => return None,
        }
        let esc = *rest.get(k + 1)?;
        rest = &rest[k + 2..];
        let byte = match esc {
            b'"' | b'\\' | b'/' => esc,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let (c, used) = unicode_escape(rest)?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                rest = &rest[used..];
                continue;
            }
            _ => return None,
        };
        out.push(byte);
    }
    String::from_utf8(out).ok()
}

/// The length of the run of `s` before its first backslash or control character (below
/// 0x20), read eight bytes at a time. JSON kept as a string (`event.original`) has an
/// escape every few bytes: a `memchr` per escape plus a separate pass for control
/// characters were most of its decoding.
fn plain_run(s: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = s.chunks_exact(8);
    for (i, w) in words.by_ref().enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(w);
        let x = u64::from_le_bytes(bytes);
        let slash = x ^ (ONES * u64::from(b'\\'));
        // A byte's high bit is set where it is zero (a backslash), or below 0x20; a borrow
        // may flag a byte above a found one, never one below it: the lowest is exact.
        let found = (slash.wrapping_sub(ONES) & !slash | x.wrapping_sub(ONES * 0x20) & !x) & HIGH;
        if found != 0 {
            return i * 8 + (found.trailing_zeros() / 8) as usize;
        }
    }
    let done = s.len() - words.remainder().len();
    done + words.remainder().iter().position(|&b| b == b'\\' || b < 0x20).unwrap_or(words.remainder().len())
}

/// The character of a `\u` escape whose four hex digits start `s` (with the low half of
/// a surrogate pair when one follows), and the bytes read.
fn unicode_escape(s: &[u8]) -> Option<(char, usize)> {
    let hex = |s: &[u8]| -> Option<u32> {
        let digits = s.get(..4).filter(|d| d.iter().all(u8::is_ascii_hexdigit))?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let high = hex(s)?;
    if !(0xD800..0xDC00).contains(&high) {
        return Some((char::from_u32(high)?, 4));
    }
    let low = hex(s.get(4..)?.strip_prefix(b"\\u")?)?;
    if !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    Some((char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?, 10))
}

/// The elements of an array that holds only strings without escapes (none when it holds
/// anything else, nested arrays and nulls included: those take the general path).
pub(crate) fn plain_strings(raw: &[u8]) -> Option<Vec<&str>> {
    let inner = raw.strip_prefix(b"[")?.strip_suffix(b"]")?;
    let mut out = Vec::new();
    let mut rest = inner.trim_ascii();
    while !rest.is_empty() {
        let body = rest.strip_prefix(b"\"")?;
        let end = memchr::memchr2(b'"', b'\\', body)?;
        if body[end] != b'"' {
            return None;
        }
        out.push(std::str::from_utf8(&body[..end]).ok()?);
        rest = body[end + 1..].trim_ascii_start();
        if let Some(r) = rest.strip_prefix(b",") {
            rest = r.trim_ascii_start();
            if rest.is_empty() {
                return None;
            }
        } else if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
