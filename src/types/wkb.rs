//! Well-Known Binary, the form Elasticsearch's Arrow responses give spatial values in:
//! little-endian, 2D, from the canonical WKT a value is held as. A bounding box goes as the
//! polygon of its corners; an empty point as NaN coordinates, other empties with no parts.

use super::wkt::{Coord, Geometry};

/// `g` as WKB.
pub fn to_wkb(g: &Geometry) -> Vec<u8> {
    let mut out = Vec::new();
    write(g, &mut out);
    out
}

fn head(kind: u32, out: &mut Vec<u8>) {
    out.push(1); // little-endian
    out.extend_from_slice(&kind.to_le_bytes());
}

fn count(n: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn coord((x, y): Coord, out: &mut Vec<u8>) {
    out.extend_from_slice(&x.to_le_bytes());
    out.extend_from_slice(&y.to_le_bytes());
}

fn ring(points: &[Coord], out: &mut Vec<u8>) {
    count(points.len(), out);
    points.iter().for_each(|c| coord(*c, out));
}

fn rings(rings: &[Vec<Coord>], out: &mut Vec<u8>) {
    count(rings.len(), out);
    rings.iter().for_each(|r| ring(r, out));
}

fn write(g: &Geometry, out: &mut Vec<u8>) {
    match g {
        Geometry::Point(c) => {
            head(1, out);
            coord(*c, out);
        }
        Geometry::LineString(points) => {
            head(2, out);
            ring(points, out);
        }
        Geometry::Polygon(parts) => {
            head(3, out);
            rings(parts, out);
        }
        Geometry::MultiPoint(points) => {
            head(4, out);
            count(points.len(), out);
            points.iter().for_each(|c| write(&Geometry::Point(*c), out));
        }
        Geometry::MultiLineString(lines) => {
            head(5, out);
            count(lines.len(), out);
            lines.iter().for_each(|l| write(&Geometry::LineString(l.clone()), out));
        }
        Geometry::MultiPolygon(polygons) => {
            head(6, out);
            count(polygons.len(), out);
            polygons.iter().for_each(|p| write(&Geometry::Polygon(p.clone()), out));
        }
        Geometry::Collection(parts) => {
            head(7, out);
            count(parts.len(), out);
            parts.iter().for_each(|p| write(p, out));
        }
        Geometry::Envelope { min_x, max_x, max_y, min_y } => {
            let corners =
                vec![(*min_x, *min_y), (*max_x, *min_y), (*max_x, *max_y), (*min_x, *max_y), (*min_x, *min_y)];
            write(&Geometry::Polygon(vec![corners]), out);
        }
        Geometry::Empty(kind) => match *kind {
            "POINT" => write(&Geometry::Point((f64::NAN, f64::NAN)), out),
            other => {
                let code =
                    ["LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"]
                        .iter()
                        .position(|k| *k == other)
                        .map_or(7, |p| p as u32 + 2);
                head(code, out);
                count(0, out);
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_21_bytes_little_endian() {
        let g = crate::types::wkt::parse("POINT (1.0 2.0)").unwrap();
        let wkb = to_wkb(&g);
        assert_eq!(wkb.len(), 21);
        assert_eq!(&wkb[..5], &[1, 1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(wkb[5..13].try_into().unwrap()), 1.0);
        let poly = crate::types::wkt::parse("POLYGON ((0 0, 1 0, 1 1, 0 0))").unwrap();
        assert_eq!(to_wkb(&poly).len(), 1 + 4 + 4 + 4 + 4 * 16);
    }
}
