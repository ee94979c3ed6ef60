//! The centroid of one shape as Elasticsearch weighs it (`CentroidCalculator`): only the
//! parts of the highest dimension count, polygons by area (holes negative), lines by segment
//! length, points one each. ST_CENTROID_AGG over shapes adds these weighted means.

use crate::functions::compensated::Compensated;
use crate::types::wkt::{Coord, Geometry};

/// The dimension of the parts that count, lowest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Dimension {
    #[default]
    Point,
    Line,
    Polygon,
}

/// The weighted coordinate sums of one shape's parts of its highest dimension.
#[derive(Debug, Default)]
pub(super) struct Calculator {
    x: Compensated,
    y: Compensated,
    weight: Compensated,
    pub dimension: Dimension,
}

impl Calculator {
    /// The sums of `g`.
    pub fn of(g: &Geometry) -> Calculator {
        let mut c = Calculator::default();
        c.visit(g);
        c
    }

    /// The total weight (0 when rounding made a degenerate polygon's negative).
    pub fn weight(&self) -> f64 {
        self.weight.value.max(0.0)
    }

    /// The weighted mean: (x, y).
    pub fn mean(&self) -> Coord {
        (self.x.value / self.weight.value, self.y.value / self.weight.value)
    }

    fn visit(&mut self, g: &Geometry) {
        match g {
            Geometry::Point(p) => self.point(*p),
            Geometry::MultiPoint(ps) => ps.iter().for_each(|p| self.point(*p)),
            Geometry::LineString(line) => self.line(line),
            Geometry::MultiLineString(lines) => lines.iter().for_each(|l| self.line(l)),
            Geometry::Polygon(rings) => self.polygon(rings),
            Geometry::MultiPolygon(ps) => ps.iter().for_each(|p| self.polygon(p)),
            Geometry::Collection(gs) => gs.iter().for_each(|g| self.visit(g)),
            Geometry::Envelope { min_x, max_x, max_y, min_y } => {
                let area = ((max_x - min_x) * (max_y - min_y)).abs();
                if area != 0.0 {
                    let centre = ((max_x + min_x) / 2.0, (max_y + min_y) / 2.0);
                    self.add(centre, area, Dimension::Polygon);
                } else {
                    self.line(&[(*min_x, *min_y), (*max_x, *max_y)]);
                }
            }
            Geometry::Empty(_) => {}
        }
    }

    fn point(&mut self, p: Coord) {
        if self.dimension == Dimension::Point {
            self.add(p, 1.0, Dimension::Point);
        }
    }

    /// Each segment's midpoint weighted by its length; a segment of no length is a point.
    fn line(&mut self, line: &[Coord]) {
        if self.dimension == Dimension::Polygon {
            return;
        }
        for pair in line.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (dx, dy) = (a.0 - b.0, a.1 - b.1);
            let length = (dx * dx + dy * dy).sqrt();
            if length == 0.0 {
                self.add(a, 1.0, Dimension::Point);
            } else {
                self.add(((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0), length, Dimension::Line);
            }
        }
    }

    /// Each ring's centroid weighted by its area, holes negatively; a polygon of no area is
    /// its shell as a line.
    fn polygon(&mut self, rings: &[Vec<Coord>]) {
        let parts: Vec<(Coord, f64)> = rings.iter().enumerate().map(|(k, r)| ring(r, k > 0)).collect();
        let total: f64 = parts.iter().map(|(_, w)| w).sum();
        if total == 0.0 && self.dimension != Dimension::Polygon {
            if let Some(shell) = rings.first() {
                self.line(shell);
            }
            return;
        }
        parts.into_iter().for_each(|(c, w)| self.add(c, w, Dimension::Polygon));
    }

    /// Adds a weighted coordinate of dimension `d`: a higher dimension starts the sums anew,
    /// a lower one is left out.
    fn add(&mut self, (x, y): Coord, weight: f64, d: Dimension) {
        if !x.is_finite() || !y.is_finite() {
            return;
        }
        if d == self.dimension {
            self.x.add(x * weight, 0.0);
            self.y.add(y * weight, 0.0);
            self.weight.add(weight, 0.0);
        } else if d > self.dimension {
            self.x = Compensated { value: x * weight, delta: 0.0 };
            self.y = Compensated { value: y * weight, delta: 0.0 };
            self.weight = Compensated { value: weight, delta: 0.0 };
            self.dimension = d;
        }
    }
}

/// A ring's centroid and signed area (the shoelace formula; negative for a hole).
fn ring(r: &[Coord], hole: bool) -> (Coord, f64) {
    let twice = |a: Coord, b: Coord| a.0 * b.1 - b.0 * a.1;
    let area: f64 = r.windows(2).map(|p| twice(p[0], p[1])).sum::<f64>() / 2.0;
    let (mut sx, mut sy) = (0.0, 0.0);
    for p in r.windows(2) {
        let t = twice(p[0], p[1]);
        sx += t * (p[0].0 + p[1].0);
        sy += t * (p[0].1 + p[1].1);
    }
    let sign = if hole { -1.0 } else { 1.0 };
    ((sx / (6.0 * area), sy / (6.0 * area)), sign * area.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::wkt::parse;

    fn centroid(wkt: &str) -> (Coord, f64, Dimension) {
        let c = Calculator::of(&parse(wkt).expect("wkt"));
        (c.mean(), c.weight(), c.dimension)
    }

    #[test]
    fn the_highest_dimension_weighs_the_centroid() {
        assert_eq!(centroid("POINT (1 2)"), ((1.0, 2.0), 1.0, Dimension::Point));
        assert_eq!(centroid("MULTIPOINT (0 0, 2 4)"), ((1.0, 2.0), 2.0, Dimension::Point));
        // Segments by length: (1 0) weighs 2, (2 1) weighs 2.
        assert_eq!(centroid("LINESTRING (0 0, 2 0, 2 2)"), ((1.5, 0.5), 4.0, Dimension::Line));
        assert_eq!(centroid("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"), ((2.0, 2.0), 16.0, Dimension::Polygon));
        // A hole takes its area away on its side.
        let ((x, y), w, _) = centroid("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (0 0, 2 0, 2 2, 0 2, 0 0))");
        assert_eq!((w, (x * 12.0).round(), (y * 12.0).round()), (12.0, 28.0, 28.0));
        // Points and lines of a collection with a polygon do not count.
        let mixed =
            "GEOMETRYCOLLECTION (POINT (100 100), LINESTRING (50 50, 60 60), POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0)))";
        assert_eq!(centroid(mixed), ((1.0, 1.0), 4.0, Dimension::Polygon));
        // A polygon of no area is its shell as a line; a BBOX is a rectangle.
        assert_eq!(centroid("POLYGON ((0 0, 2 0, 0 0))"), ((1.0, 0.0), 4.0, Dimension::Line));
        assert_eq!(centroid("BBOX (0, 4, 2, 0)"), ((2.0, 1.0), 8.0, Dimension::Polygon));
    }
}
