//! The spatial aggregates, as Elasticsearch computes them: ST_CENTROID_AGG, the mean of
//! points (Kahan sums of x and y over the count) or of shapes (see `centroid`), and
//! ST_EXTENT_AGG, the bounding box. Elasticsearch keeps an extent as the 32-bit integers its
//! index encodes coordinates to, so its corners are those of the encoding: geo coordinates
//! quantized, cartesian ones rounded to `float`; a geo box takes the shorter way around the
//! globe, crossing the dateline when that is narrower. A centroid of a point field read from
//! the index reads the points as encoded too (`doc_values`), which the planner chooses.

use super::centroid::{Calculator, Dimension};
use super::encode::{decode_lat, decode_lon, decode_xy, encode_lat, encode_lon, encode_xy};
use super::extent::{CartesianBox, GeoBox};
use super::{shape_of, SPATIAL};
use crate::functions::aggregate::{downcast, Accumulator, DocValues};
use crate::functions::compensated::Compensated;
use crate::functions::p::req;
use crate::functions::{ColumnKernel, FunctionDef, Kind, Merge, Returns};
use crate::types::wkt::{self, Coord, Geometry};
use crate::types::EsType::{self, *};
use crate::types::{Cell, Value};

/// This family's aggregates.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "st_centroid_agg",
        params: &[req("field", SPATIAL)],
        variadic: false,
        returns: Returns::Custom(point_of),
        kind: Kind::Aggregate(centroid, Merge::OnePass),
        doc: "The centroid of the points, or of the shapes weighted by area, length or count.",
        column: Some(ColumnKernel::DocValues(DocValues(centroid_doc_values))),
    },
    FunctionDef {
        name: "st_extent_agg",
        params: &[req("field", SPATIAL)],
        variadic: false,
        returns: Returns::Custom(shape_of),
        kind: Kind::Aggregate(extent, Merge::Exact),
        doc: "The bounding box of every value, as BBOX (minX, maxX, maxY, minY).",
        column: None,
    },
];

fn point_of(args: &[EsType]) -> EsType {
    match args.first() {
        Some(GeoPoint | GeoShape) => GeoPoint,
        Some(CartesianPoint | CartesianShape) => CartesianPoint,
        _ => Null,
    }
}

/// How point coordinates are read: as written, or as the index encodes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    Source,
    DocValues,
}

fn centroid(arg: EsType, _: EsType) -> Box<dyn Accumulator> {
    match arg {
        GeoShape | CartesianShape => Box::new(ShapeCentroid::default()),
        _ => Box::new(PointCentroid::new(arg, Read::Source)),
    }
}

/// ST_CENTROID_AGG of a point field read from the index: Elasticsearch reads the points
/// from doc values there, as encoded.
fn centroid_doc_values(arg: EsType, result: EsType) -> Box<dyn Accumulator> {
    match arg {
        GeoPoint | CartesianPoint => Box::new(PointCentroid::new(arg, Read::DocValues)),
        _ => centroid(arg, result),
    }
}

/// The geometries of a cell's values (text that is not WKT cannot be in a spatial
/// column: conversions refused it).
fn geometries<'c>(cell: &'c Cell<'_>) -> impl Iterator<Item = Geometry> + 'c {
    cell.values().iter().filter_map(|v| match v {
        Value::Str(s) => wkt::parse(s).ok(),
        _ => None,
    })
}

fn point_text(x: f64, y: f64) -> Cell<'static> {
    Cell::One(Value::Str(Geometry::Point((x, y)).to_string().into()))
}

struct PointCentroid {
    geo: bool,
    read: Read,
    x: Compensated,
    y: Compensated,
    count: i64,
}

impl PointCentroid {
    fn new(ty: EsType, read: Read) -> PointCentroid {
        let geo = ty == GeoPoint;
        PointCentroid { geo, read, x: Compensated::default(), y: Compensated::default(), count: 0 }
    }

    fn coordinate(&self, (x, y): Coord) -> Coord {
        match (self.read, self.geo) {
            (Read::Source, _) => (x, y),
            (Read::DocValues, true) => (decode_lon(encode_lon(x)), decode_lat(encode_lat(y))),
            (Read::DocValues, false) => (decode_xy(encode_xy(x)), decode_xy(encode_xy(y))),
        }
    }
}

impl Accumulator for PointCentroid {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for g in geometries(cell) {
            if let Geometry::Point(p) = g {
                let (x, y) = self.coordinate(p);
                self.x.add(x, 0.0);
                self.y.add(y, 0.0);
                self.count += 1;
            }
        }
    }
    fn finish(&self) -> Cell<'static> {
        let n = self.count as f64;
        if self.count > 0 {
            point_text(self.x.value / n, self.y.value / n)
        } else {
            Cell::Null
        }
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<PointCentroid>(other) {
            self.x.add(o.x.value, o.x.delta);
            self.y.add(o.y.value, o.y.delta);
            self.count += o.count;
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// Shapes' weighted centroids: only the highest dimension seen counts.
#[derive(Default)]
struct ShapeCentroid {
    x: Compensated,
    y: Compensated,
    weight: f64,
    dimension: Dimension,
}

impl ShapeCentroid {
    fn add_weighted(&mut self, x: Compensated, y: Compensated, weight: f64, d: Dimension) {
        if !x.value.is_finite() || !y.value.is_finite() || !weight.is_finite() || weight <= 0.0 {
            return;
        }
        if d == self.dimension {
            self.x.add(x.value, x.delta);
            self.y.add(y.value, y.delta);
            self.weight += weight;
        } else if d > self.dimension {
            (self.x, self.y, self.weight, self.dimension) = (x, y, weight, d);
        }
    }
}

impl Accumulator for ShapeCentroid {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for g in geometries(cell) {
            let c = Calculator::of(&g);
            let w = c.weight();
            if w > 0.0 {
                let (x, y) = c.mean();
                let sum = |v: f64| Compensated { value: v * w, delta: 0.0 };
                self.add_weighted(sum(x), sum(y), w, c.dimension);
            }
        }
    }
    fn finish(&self) -> Cell<'static> {
        if self.weight > 0.0 {
            point_text(self.x.value / self.weight, self.y.value / self.weight)
        } else {
            Cell::Null
        }
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<ShapeCentroid>(other) {
            self.add_weighted(o.x, o.y, o.weight, o.dimension);
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

fn extent(arg: EsType, _: EsType) -> Box<dyn Accumulator> {
    match arg {
        CartesianPoint | CartesianShape => Box::new(Extent::Cartesian(None)),
        _ => Box::new(Extent::Geo(GeoBox::default())),
    }
}

/// ST_EXTENT_AGG's state.
enum Extent {
    Geo(GeoBox),
    Cartesian(Option<CartesianBox>),
}

impl Accumulator for Extent {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for g in geometries(cell) {
            let coords = g.coords();
            match self {
                Extent::Geo(b) => b.add(&coords),
                Extent::Cartesian(b) => CartesianBox::add(b, &coords),
            }
        }
    }
    fn finish(&self) -> Cell<'static> {
        let envelope = match self {
            Extent::Geo(b) => b.envelope(),
            Extent::Cartesian(b) => b.as_ref().map(CartesianBox::envelope),
        };
        envelope.map_or(Cell::Null, |e| Cell::One(Value::Str(e.to_string().into())))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        match (self, downcast::<Extent>(other)) {
            (Extent::Geo(a), Some(Extent::Geo(b))) => a.merge(&b),
            (Extent::Cartesian(a), Some(Extent::Cartesian(Some(b)))) => CartesianBox::merge(a, &b),
            _ => {}
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
