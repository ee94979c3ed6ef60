//! ST_EXTENT_AGG's boxes, kept as Elasticsearch keeps them: the encoded integers of the
//! corners (see `encode`). A geo box keeps the longitudes west and east of Greenwich apart,
//! so that the final box can take the shorter way around, across the dateline when that is
//! narrower (`SpatialExtentStateWrappedLongitudeState`).

use super::encode::{decode_lat, decode_lon, decode_xy, encode_lat, encode_lon, encode_xy};
use crate::types::wkt::{Coord, Geometry};

/// Marks an unset side (a code of the other sign cannot occur there).
const UNSET_NEG: i32 = 1;
const UNSET_POS: i32 = -1;

/// The encoded extremes of geo longitudes below 0 and at or above 0, and of latitudes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct GeoBox {
    seen: bool,
    min_neg: i32,
    min_pos: i32,
    max_neg: i32,
    max_pos: i32,
    max_y: i32,
    min_y: i32,
}

impl Default for GeoBox {
    fn default() -> GeoBox {
        GeoBox {
            seen: false,
            min_neg: UNSET_NEG,
            min_pos: UNSET_POS,
            max_neg: UNSET_NEG,
            max_pos: UNSET_POS,
            max_y: i32::MIN,
            min_y: i32::MAX,
        }
    }
}

impl GeoBox {
    /// Adds one geometry's coordinates: its own extremes are found in doubles, then encoded.
    pub fn add(&mut self, coords: &[Coord]) {
        if coords.is_empty() {
            return;
        }
        let (mut neg, mut pos) = ((f64::INFINITY, f64::NEG_INFINITY), (f64::INFINITY, f64::NEG_INFINITY));
        let (mut min_y, mut max_y) = (f64::INFINITY, f64::NEG_INFINITY);
        for &(x, y) in coords {
            (min_y, max_y) = (min_y.min(y), max_y.max(y));
            let side = if x >= 0.0 { &mut pos } else { &mut neg };
            *side = (side.0.min(x), side.1.max(x));
        }
        let code = |v: f64, unset: i32| if v.is_finite() { encode_lon(v) } else { unset };
        self.merge(&GeoBox {
            seen: true,
            min_neg: code(neg.0, UNSET_NEG),
            min_pos: code(pos.0, UNSET_POS),
            max_neg: code(neg.1, UNSET_NEG),
            max_pos: code(pos.1, UNSET_POS),
            max_y: encode_lat(max_y),
            min_y: encode_lat(min_y),
        });
    }

    pub fn merge(&mut self, o: &GeoBox) {
        if !o.seen {
            return;
        }
        self.seen = true;
        self.min_neg = self.min_neg.min(o.min_neg);
        self.min_pos =
            if self.min_pos >= 0 && o.min_pos >= 0 { self.min_pos.min(o.min_pos) } else { self.min_pos.max(o.min_pos) };
        self.max_neg =
            if self.max_neg <= 0 && o.max_neg <= 0 { self.max_neg.max(o.max_neg) } else { self.max_neg.min(o.max_neg) };
        self.max_pos = self.max_pos.max(o.max_pos);
        self.max_y = self.max_y.max(o.max_y);
        self.min_y = self.min_y.min(o.min_y);
    }

    /// The box, the narrower way around when values lie on both sides of Greenwich.
    pub fn envelope(&self) -> Option<Geometry> {
        if !self.seen {
            return None;
        }
        let lon = |code: i32, set: bool, unset: f64| if set { decode_lon(code) } else { unset };
        let min_neg = lon(self.min_neg, self.min_neg <= 0, f64::INFINITY);
        let min_pos = lon(self.min_pos, self.min_pos >= 0, f64::INFINITY);
        let max_neg = lon(self.max_neg, self.max_neg <= 0, f64::NEG_INFINITY);
        let max_pos = lon(self.max_pos, self.max_pos >= 0, f64::NEG_INFINITY);
        let (max_y, min_y) = (decode_lat(self.max_y), decode_lat(self.min_y));
        let (min_x, max_x) = if min_pos.is_infinite() {
            (min_neg, max_neg)
        } else if min_neg.is_infinite() {
            (min_pos, max_pos)
        } else if max_pos - min_neg <= (180.0 - min_pos) - (-180.0 - max_neg) {
            (min_neg, max_pos)
        } else {
            (min_pos, max_neg)
        };
        Some(Geometry::Envelope { min_x, max_x, max_y, min_y })
    }
}

/// The encoded extremes of cartesian coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct CartesianBox {
    min_x: i32,
    max_x: i32,
    max_y: i32,
    min_y: i32,
}

impl CartesianBox {
    pub fn add(b: &mut Option<CartesianBox>, coords: &[Coord]) {
        for &(x, y) in coords {
            let (x, y) = (encode_xy(x), encode_xy(y));
            CartesianBox::merge(b, &CartesianBox { min_x: x, max_x: x, max_y: y, min_y: y });
        }
    }

    pub fn merge(b: &mut Option<CartesianBox>, o: &CartesianBox) {
        let merged = match b {
            None => *o,
            Some(a) => CartesianBox {
                min_x: a.min_x.min(o.min_x),
                max_x: a.max_x.max(o.max_x),
                max_y: a.max_y.max(o.max_y),
                min_y: a.min_y.min(o.min_y),
            },
        };
        *b = Some(merged);
    }

    pub fn envelope(&self) -> Geometry {
        let [min_x, max_x, max_y, min_y] = [self.min_x, self.max_x, self.max_y, self.min_y].map(decode_xy);
        Geometry::Envelope { min_x, max_x, max_y, min_y }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo(points: &[&[Coord]]) -> String {
        let mut b = GeoBox::default();
        points.iter().for_each(|g| b.add(g));
        b.envelope().map_or("null".into(), |e| e.to_string())
    }

    #[test]
    fn a_geo_box_takes_the_narrower_way_around() {
        assert_eq!(geo(&[]), "null");
        // Both sides of Greenwich, close to it: the box spans it.
        assert_eq!(
            geo(&[&[(-1.0, 0.0)], &[(2.0, 1.0)]]),
            "BBOX (-1.000000024214387, 1.9999999646097422, 0.9999999823048711, 0.0)"
        );
        // Both sides of the dateline: the box crosses it (min x > max x).
        let across = geo(&[&[(170.0, 0.0), (-170.0, 0.0)]]);
        assert_eq!(across, "BBOX (169.9999999254942, -170.00000000931323, 0.0, 0.0)");
        // One side only.
        assert_eq!(
            geo(&[&[(-10.0, -5.0)], &[(-20.0, 5.0)]]),
            "BBOX (-20.00000006519258, -10.000000074505806, 4.999999995343387, -5.000000037252903)"
        );
    }

    #[test]
    fn a_cartesian_box_has_float_corners() {
        let mut b = None;
        CartesianBox::add(&mut b, &[(0.1, -2.5), (1e7 + 1.0, 3.0)]);
        let e = b.map(|b| b.envelope().to_string());
        assert_eq!(e.as_deref(), Some("BBOX (0.10000000149011612, 1.0000001E7, 3.0, -2.5)"));
    }
}
