//! Geometry on WKT values: distances as Elasticsearch computes them, and the spatial
//! relations (intersects, contains) between points, lines and polygons, in the plane of
//! their coordinates (longitude/latitude for the geo types, as Lucene's own tests are).

use crate::types::wkt::{Coord, Geometry};

/// Great-circle distance in meters, as Elasticsearch's ST_DISTANCE: both points quantized
/// to the 32-bit grid of indexed geo_points, then Lucene's haversine with a mean Earth
/// radius of 6371008.7714 m. (Lucene's table-based sine and cosine are replaced by the exact
/// ones; they differ in the last digits, well below the millimeter.)
pub fn geo_distance(a: Coord, b: Coord) -> f64 {
    let (lat1, lon1) = (quantize_lat(a.1), quantize_lon(a.0));
    let (lat2, lon2) = (quantize_lat(b.1), quantize_lon(b.0));
    let (x1, x2) = (lat1.to_radians(), lat2.to_radians());
    let h1 = 1.0 - (x1 - x2).cos();
    let h2 = 1.0 - (lon1 - lon2).to_radians().cos();
    let h = h1 + x1.cos() * x2.cos() * h2;
    // Lucene clears the last bits of the sort key so that rounding does not make ties.
    let key = f64::from_bits(h.to_bits() & 0xFFFF_FFFF_FFFF_FFF8);
    6_371_008.771_4 * 2.0 * (key * 0.5).sqrt().min(1.0).asin()
}

/// Euclidean distance with coordinates cast to float first, as Lucene's XY points are.
pub fn cartesian_distance(a: Coord, b: Coord) -> f64 {
    let dx = (a.0 as f32) as f64 - (b.0 as f32) as f64;
    let dy = (a.1 as f32) as f64 - (b.1 as f32) as f64;
    (dx * dx + dy * dy).sqrt()
}

const LAT_DECODE: f64 = 180.0 / 4_294_967_296.0;
const LON_DECODE: f64 = 360.0 / 4_294_967_296.0;

fn quantize_lat(lat: f64) -> f64 {
    let lat = if lat == 90.0 { next_down(lat) } else { lat };
    (lat / LAT_DECODE).floor() * LAT_DECODE
}

fn quantize_lon(lon: f64) -> f64 {
    let lon = if lon == 180.0 { next_down(lon) } else { lon };
    (lon / LON_DECODE).floor() * LON_DECODE
}

fn next_down(x: f64) -> f64 {
    f64::from_bits(x.to_bits() - 1)
}

/// A geometry taken apart: points, segments (lines and polygon edges), and polygons.
#[derive(Default)]
struct Parts {
    points: Vec<Coord>,
    segments: Vec<(Coord, Coord)>,
    polygons: Vec<Vec<Vec<Coord>>>,
}

fn parts(g: &Geometry) -> Parts {
    let mut p = Parts::default();
    add_parts(g, &mut p);
    p
}

fn add_parts(g: &Geometry, p: &mut Parts) {
    let segments = |line: &[Coord], out: &mut Vec<(Coord, Coord)>| out.extend(line.windows(2).map(|w| (w[0], w[1])));
    match g {
        Geometry::Point(c) => p.points.push(*c),
        Geometry::MultiPoint(cs) => p.points.extend(cs),
        Geometry::LineString(cs) => segments(cs, &mut p.segments),
        Geometry::MultiLineString(ls) => ls.iter().for_each(|l| segments(l, &mut p.segments)),
        Geometry::Polygon(rings) => add_polygon(rings.clone(), p),
        Geometry::MultiPolygon(ps) => ps.iter().for_each(|r| add_polygon(r.clone(), p)),
        Geometry::Collection(gs) => gs.iter().for_each(|g| add_parts(g, p)),
        Geometry::Envelope { min_x, max_x, max_y, min_y } => add_polygon(
            vec![vec![(*min_x, *min_y), (*max_x, *min_y), (*max_x, *max_y), (*min_x, *max_y), (*min_x, *min_y)]],
            p,
        ),
        Geometry::Empty(_) => {}
    }
}

fn add_polygon(rings: Vec<Vec<Coord>>, p: &mut Parts) {
    for ring in &rings {
        p.segments.extend(ring.windows(2).map(|w| (w[0], w[1])));
    }
    p.polygons.push(rings);
}

/// Whether the geometries share a point.
pub fn intersects(a: &Geometry, b: &Geometry) -> bool {
    let (a, b) = (parts(a), parts(b));
    covers_any(&a, &b) || covers_any(&b, &a) || a.segments.iter().any(|s| b.segments.iter().any(|t| cross(*s, *t)))
}

/// Whether every point of `b` is in `a` (its area, its lines or its points).
pub fn contains(a: &Geometry, b: &Geometry) -> bool {
    let (a, b) = (parts(a), parts(b));
    let vertices: Vec<Coord> = b.points.iter().copied().chain(b.segments.iter().flat_map(|(p, q)| [*p, *q])).collect();
    if vertices.is_empty() || !vertices.iter().all(|v| covers(&a, *v)) {
        return false;
    }
    // A line or an edge of b leaving a's area crosses a's boundary properly.
    !b.segments.iter().any(|s| a.segments.iter().any(|t| crosses_properly(*s, *t)))
}

fn covers_any(a: &Parts, b: &Parts) -> bool {
    b.points.iter().chain(b.segments.iter().map(|(p, _)| p)).any(|v| covers(a, *v))
}

/// Whether a point lies in a's polygons, on its segments, or on one of its points.
fn covers(a: &Parts, v: Coord) -> bool {
    a.points.contains(&v)
        || a.segments.iter().any(|s| on_segment(*s, v))
        || a.polygons.iter().any(|rings| in_polygon(rings, v))
}

/// Even-odd rule over all rings: inside the shell and outside the holes.
fn in_polygon(rings: &[Vec<Coord>], (x, y): Coord) -> bool {
    let mut inside = false;
    for ring in rings {
        for w in ring.windows(2) {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
    }
    inside
}

fn orientation(p: Coord, q: Coord, r: Coord) -> f64 {
    (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
}

fn on_segment((p, q): (Coord, Coord), v: Coord) -> bool {
    orientation(p, q, v) == 0.0
        && v.0 >= p.0.min(q.0)
        && v.0 <= p.0.max(q.0)
        && v.1 >= p.1.min(q.1)
        && v.1 <= p.1.max(q.1)
}

/// Segments that share a point, touching included.
fn cross(s: (Coord, Coord), t: (Coord, Coord)) -> bool {
    crosses_properly(s, t) || on_segment(s, t.0) || on_segment(s, t.1) || on_segment(t, s.0) || on_segment(t, s.1)
}

/// Segments that cross at a point inside both.
fn crosses_properly((p, q): (Coord, Coord), (r, s): (Coord, Coord)) -> bool {
    let (d1, d2) = (orientation(r, s, p), orientation(r, s, q));
    let (d3, d4) = (orientation(p, q, r), orientation(p, q, s));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::wkt::parse;

    fn g(s: &str) -> Geometry {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn relations_between_points_lines_and_polygons() {
        let square = g("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))");
        let holed = g("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))");
        assert!(intersects(&square, &g("POINT(5 5)")));
        assert!(!intersects(&holed, &g("POINT(5 5)")));
        assert!(intersects(&square, &g("POINT(10 5)")), "the boundary belongs to the polygon");
        assert!(!intersects(&square, &g("POINT(11 5)")));
        assert!(intersects(&square, &g("LINESTRING(-5 5, 15 5)")), "a line through it, no vertex inside");
        assert!(contains(&square, &g("POLYGON((1 1, 2 1, 2 2, 1 1))")));
        assert!(!contains(&square, &g("POLYGON((1 1, 20 1, 2 2, 1 1))")));
        assert!(!contains(&g("POINT(1 1)"), &square));
        assert!(contains(&g("MULTIPOINT(1 1, 2 2)"), &g("POINT(2 2)")));
    }

    #[test]
    fn distances_as_elasticsearch() {
        // Copenhagen to Stockholm Arlanda: 447 km north and 314 km east, about 546 km.
        let d = geo_distance((12.6493508684508, 55.6285017221528), (17.9236001521349, 59.6519662435167));
        assert!((545.0..547.0).contains(&(d / 1000.0)), "{d}");
        // One degree of longitude on the equator: 2 * pi * R / 360.
        let one = geo_distance((0.0, 0.0), (1.0, 0.0));
        assert!((one - 111_195.08).abs() < 0.5, "{one}");
        assert_eq!(cartesian_distance((0.0, 0.0), (3.0, 4.0)), 5.0);
        assert_eq!(geo_distance((0.0, 0.0), (0.0, 0.0)), 0.0);
    }
}
