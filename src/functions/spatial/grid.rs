//! Geo grid cells of a `geo_point`, as Elasticsearch's `geohash_grid`, `geotile_grid` and
//! `geohex_grid` aggregations bucket them: ST_GEOHASH (base-32 geohash of the point's
//! indexed coordinates), ST_GEOTILE (`zoom/x/y` web-mercator tile), ST_GEOHEX (H3 cell),
//! each optionally kept only inside a BBOX; the TO_GEOHASH/TO_GEOTILE/TO_GEOHEX conversions
//! and TO_LONG of a cell. Cells are held as their text; their long form is Elasticsearch's
//! (`hash bits << 4 | level`, `zoom << 58 | x << 29 | y`, the H3 index).

use super::encode::{encode_lat, encode_lon};
use super::geometry;
use crate::functions::{EvalError, ValueResult};
use crate::types::wkt::Geometry;
use crate::types::{EsType, Value};
use std::borrow::Cow;

const BASE_32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// The geohash of a point: the bits of its indexed (32-bit) coordinates, longitude first.
fn geohash(lon: f64, lat: f64, level: u32) -> String {
    let (x, y) = ((encode_lon(lon) as u32) ^ 0x8000_0000, (encode_lat(lat) as u32) ^ 0x8000_0000);
    (0..level)
        .map(|c| {
            let code = (0..5).fold(0usize, |acc, b| {
                let p = c * 5 + b;
                let word = if p % 2 == 0 { x } else { y };
                (acc << 1) | ((word >> (31 - p / 2)) & 1) as usize
            });
            BASE_32[code] as char
        })
        .collect()
}

/// A geohash's cell: (min lon, max lon, min lat, max lat).
fn geohash_box(hash: &str) -> Option<(f64, f64, f64, f64)> {
    let (mut lon, mut lat) = ((-180.0, 180.0), (-90.0, 90.0));
    let mut p = 0;
    for ch in hash.bytes() {
        let code = BASE_32.iter().position(|&c| c == ch)?;
        for b in (0..5).rev() {
            let range: &mut (f64, f64) = if p % 2 == 0 { &mut lon } else { &mut lat };
            let mid = (range.0 + range.1) / 2.0;
            if (code >> b) & 1 == 1 {
                range.0 = mid;
            } else {
                range.1 = mid;
            }
            p += 1;
        }
    }
    Some((lon.0, lon.1, lat.0, lat.1))
}

fn tile_x(lon: f64, tiles: u64) -> u64 {
    let x = ((lon + 180.0) / 360.0 * tiles as f64).floor();
    x.clamp(0.0, (tiles - 1) as f64) as u64
}

fn tile_y(lat: f64, tiles: u64) -> u64 {
    let s = lat.to_radians().sin();
    let y = ((0.5 - ((1.0 + s) / (1.0 - s)).ln() / (4.0 * std::f64::consts::PI)) * tiles as f64).floor();
    if y.is_nan() {
        return 0;
    }
    y.clamp(0.0, (tiles - 1) as f64) as u64
}

/// A tile's corner latitude (of its top edge).
fn tile_lat(y: u64, tiles: u64) -> f64 {
    let n = std::f64::consts::PI - 2.0 * std::f64::consts::PI * y as f64 / tiles as f64;
    n.sinh().atan().to_degrees()
}

/// The coordinates (lon, lat) of a grid call's point.
fn point(v: &Value<'_>) -> Result<(f64, f64), EvalError> {
    match geometry(v)? {
        Geometry::Point(c) => Ok(c),
        _ => Err(EvalError::illegal_argument("a geo grid cell is of a point")),
    }
}

/// (min lon, max lon, max lat, min lat) of a BBOX bounds argument.
fn bbox(v: &Value<'_>) -> Result<(f64, f64, f64, f64), EvalError> {
    match geometry(v)? {
        Geometry::Envelope { min_x, max_x, max_y, min_y } => Ok((min_x, max_x, max_y, min_y)),
        _ => Err(EvalError::illegal_argument("Bounds must be a BBOX geo_shape; use ST_ENVELOPE for other shapes")),
    }
}

/// Whether a cell (min lon, max lon, min lat, max lat) shares an interior point with the
/// bounds (touching cells are left out), the bounds crossing the dateline when left > right.
fn inside(cell: (f64, f64, f64, f64), (left, right, top, bottom): (f64, f64, f64, f64)) -> bool {
    let (min_x, max_x, min_y, max_y) = cell;
    if !(top > min_y && bottom < max_y) {
        return false;
    }
    if right < left {
        left < max_x || right > min_x
    } else {
        left < max_x && right > min_x
    }
}

/// A grid function, its grid as Elasticsearch's messages name it, and its precisions.
type Grid = (&'static str, &'static str, (i64, i64));
const GEOHASH: Grid = ("st_geohash", "geohash_grid", (1, 12));
const GEOTILE: Grid = ("st_geotile", "geotile_grid", (0, 29));
const GEOHEX: Grid = ("st_geohex", "geohex_grid", (0, 15));

fn precision(v: &Value<'_>, (_, name, range): Grid) -> Result<u32, EvalError> {
    let p = v.as_i64().unwrap_or(-1);
    if p < range.0 || p > range.1 {
        return Err(EvalError::illegal_argument(format!(
            "Invalid {name} precision of {p}. Must be between {} and {}.",
            range.0, range.1
        )));
    }
    Ok(p as u32)
}

/// What fails a query calling grid function `func` before any row: Elasticsearch reads the
/// precision when it builds the evaluator, so it must be a constant (`constant` gives its
/// value, None when it is not one), and one in range.
pub fn precision_error<'v>(func: &str, constant: impl FnOnce() -> Option<Option<Value<'v>>>) -> Option<String> {
    let grid = [GEOHASH, GEOTILE, GEOHEX].into_iter().find(|g| g.0 == func)?;
    match constant() {
        None => Some("precision must be foldable".to_string()),
        Some(Some(v)) => precision(&v, grid).err().map(|e| e.message),
        Some(None) => None,
    }
}

pub(super) fn st_geohash<'a>(a: &[Value<'a>]) -> ValueResult<'a> {
    let (lon, lat) = point(&a[0])?;
    let level = precision(&a[1], GEOHASH)?;
    let hash = geohash(lon, lat, level);
    if let Some(b) = a.get(2) {
        let bounds = bbox(b)?;
        if !geohash_box(&hash).is_some_and(|cell| inside(cell, bounds)) {
            return Ok(None);
        }
    }
    Ok(Some(Value::Str(Cow::Owned(hash))))
}

pub(super) fn st_geotile<'a>(a: &[Value<'a>]) -> ValueResult<'a> {
    let (lon, lat) = point(&a[0])?;
    let zoom = precision(&a[1], GEOTILE)?;
    let tiles = 1u64 << zoom;
    let (x, y) = (tile_x(lon, tiles), tile_y(lat, tiles));
    if let Some(b) = a.get(2) {
        let cell = (
            x as f64 / tiles as f64 * 360.0 - 180.0,
            (x + 1) as f64 / tiles as f64 * 360.0 - 180.0,
            tile_lat(y + 1, tiles),
            tile_lat(y, tiles),
        );
        if !inside(cell, bbox(b)?) {
            return Ok(None);
        }
    }
    Ok(Some(Value::Str(Cow::Owned(format!("{zoom}/{x}/{y}")))))
}

pub(super) fn st_geohex<'a>(a: &[Value<'a>]) -> ValueResult<'a> {
    let (lon, lat) = point(&a[0])?;
    let res = precision(&a[1], GEOHEX)?;
    if a.get(2).is_some() {
        return Err(EvalError::illegal_argument("bounds of ST_GEOHEX are not supported"));
    }
    Ok(hex_cell(lon, lat, res).map(|c| Value::Str(Cow::Owned(c))))
}

fn hex_cell(lon: f64, lat: f64, res: u32) -> Option<String> {
    let res = h3o::Resolution::try_from(res as u8).ok()?;
    let cell = h3o::LatLng::new(lat, lon).ok()?.to_cell(res);
    Some(format!("{:x}", u64::from(cell)))
}

/// A cell of grid `ty` from its text or its long form (TO_GEOHASH, TO_GEOTILE, TO_GEOHEX).
pub(super) fn to_grid<'a>(ty: EsType, v: Value<'a>) -> ValueResult<'a> {
    let text = match v {
        Value::Str(s) => s.into_owned(),
        Value::Long(n) => from_long(ty, n).ok_or_else(|| invalid(ty, &n.to_string()))?,
        Value::Int(n) => from_long(ty, i64::from(n)).ok_or_else(|| invalid(ty, &n.to_string()))?,
        _ => return Ok(None),
    };
    if to_long(ty, &text).is_none() {
        return Err(invalid(ty, &text));
    }
    Ok(Some(Value::Str(Cow::Owned(text))))
}

fn invalid(ty: EsType, text: &str) -> EvalError {
    EvalError::illegal_argument(format!("Invalid {} [{text}]", ty.name()))
}

/// A cell's long form, None when the text is no cell of the grid.
pub fn to_long(ty: EsType, text: &str) -> Option<i64> {
    match ty {
        EsType::GeoHash => {
            if text.is_empty() || text.len() > 12 {
                return None;
            }
            let bits = text
                .bytes()
                .try_fold(0i64, |acc, ch| Some((acc << 5) | BASE_32.iter().position(|&c| c == ch)? as i64))?;
            Some((bits << 4) | text.len() as i64)
        }
        EsType::GeoTile => {
            let mut parts = text.split('/').map(|p| p.parse::<u64>().ok());
            let (z, x, y) = (parts.next()??, parts.next()??, parts.next()??);
            let tiles = 1u64 << z.min(29);
            (parts.next().is_none() && z <= 29 && x < tiles && y < tiles).then_some(((z << 58) | (x << 29) | y) as i64)
        }
        EsType::GeoHex => {
            let n = u64::from_str_radix(text, 16).ok()?;
            h3o::CellIndex::try_from(n).ok().map(|_| n as i64)
        }
        _ => None,
    }
}

fn from_long(ty: EsType, n: i64) -> Option<String> {
    let n = n as u64;
    match ty {
        EsType::GeoHash => {
            let level = (n & 15) as usize;
            let bits = n >> 4;
            (1..=12)
                .contains(&level)
                .then(|| (0..level).map(|c| BASE_32[((bits >> (5 * (level - 1 - c))) & 31) as usize] as char).collect())
        }
        EsType::GeoTile => Some(format!("{}/{}/{}", n >> 58, (n >> 29) & ((1 << 29) - 1), n & ((1 << 29) - 1))),
        EsType::GeoHex => h3o::CellIndex::try_from(n).ok().map(|c| format!("{:x}", u64::from(c))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{from_long, geohash, hex_cell, tile_x, tile_y, to_long};
    use crate::types::EsType;

    /// Elasticsearch's `spatial-grid.csv-spec`: Copenhagen airport's cells.
    #[test]
    fn copenhagen_has_elasticsearchs_cells() {
        let (lon, lat) = (12.6493508684508, 55.6285017221528);
        assert_eq!(geohash(lon, lat, 5), "u3bur");
        assert_eq!(geohash(lon, lat, 7), "u3buryf");
        let tile = |z: u32| format!("{z}/{}/{}", tile_x(lon, 1 << z), tile_y(lat, 1 << z));
        assert_eq!([tile(1), tile(4), tile(5), tile(7)], ["1/1/0", "4/8/5", "5/17/10", "7/68/40"]);
        assert_eq!(hex_cell(lon, lat, 1).as_deref(), Some("811f3ffffffffff"));
        assert_eq!(hex_cell(lon, lat, 7).as_deref(), Some("871f05818ffffff"));
    }

    #[test]
    fn long_forms_round_trip() {
        for (ty, text) in [(EsType::GeoHash, "u3bu"), (EsType::GeoTile, "7/68/40"), (EsType::GeoHex, "841f059ffffffff")]
        {
            let n = to_long(ty, text).expect("a cell");
            assert_eq!(from_long(ty, n).as_deref(), Some(text));
        }
        assert_eq!(to_long(EsType::GeoHash, "u3ba"), None, "'a' is no geohash digit");
        assert_eq!(to_long(EsType::GeoTile, "1/2/0"), None, "zoom 1 has two columns");
    }
}
