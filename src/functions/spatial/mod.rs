//! Spatial functions over `geo_point`, `cartesian_point`, `geo_shape` and `cartesian_shape`
//! values, which are held as canonical WKT: the conversions, `ST_X`/`ST_Y`, `ST_DISTANCE`,
//! the relations `ST_INTERSECTS`/`ST_DISJOINT`/`ST_CONTAINS`/`ST_WITHIN`, and the envelope
//! `ST_ENVELOPE`/`ST_XMIN`/`ST_XMAX`/`ST_YMIN`/`ST_YMAX`, and the aggregates
//! `ST_CENTROID_AGG`/`ST_EXTENT_AGG` (`aggregate`), the grid cells `ST_GEOHASH`/`ST_GEOTILE`/
//! `ST_GEOHEX` (`grid`). Left out: the dateline-aware envelope of geo shapes.

mod aggregate;
mod centroid;
mod encode;
mod extent;
mod grid;
mod relate;

pub use aggregate::FUNCTIONS as AGGREGATES;

use super::p::{opt, req};
use super::{ColumnKernel, Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::wkt::{self, Geometry};
use crate::types::EsType::{self, *};
use crate::types::{Cell, Value};
use std::borrow::Cow;

const POINTS: &[EsType] = &[GeoPoint, CartesianPoint];
const SPATIAL: &[EsType] = &[GeoPoint, CartesianPoint, GeoShape, CartesianShape];

const fn conversion(name: &'static str, to: EsType, params: &'static [super::Param], doc: &'static str) -> FunctionDef {
    FunctionDef {
        name,
        params,
        variadic: false,
        returns: Returns::Fixed(to),
        kind: Kind::Scalar(Eval::Each(to_spatial)),
        doc,
        // Canonical WKT of a value of the type is itself.
        column: Some(ColumnKernel::Identity),
    }
}

const fn scalar(
    name: &'static str,
    params: &'static [super::Param],
    returns: Returns,
    f: for<'a> fn(&Ctx<'_>, &[Value<'a>]) -> ValueResult<'a>,
    doc: &'static str,
) -> FunctionDef {
    FunctionDef { name, params, variadic: false, returns, kind: Kind::Scalar(Eval::Single(f)), doc, column: None }
}

const GRID_PARAMS: &[super::Param] =
    &[req("geometry", &[GeoPoint]), req("precision", &[Integer]), opt("bounds", &[GeoShape])];

/// TO_GEOHASH, TO_GEOTILE, TO_GEOHEX: a cell from its text or its long form.
macro_rules! grid_conversion {
    ($name:expr, $to:expr, $doc:expr) => {
        FunctionDef {
            name: $name,
            params: &[req("field", &[$to, Keyword, Text, Long, Integer])],
            variadic: false,
            returns: Returns::Fixed($to),
            kind: Kind::Scalar(Eval::Each(|c, v, _| grid::to_grid(c.ty, v))),
            doc: $doc,
            column: None,
        }
    };
}

pub use grid::{precision_error as grid_precision_error, to_long as grid_to_long};

const DOUBLE: Returns = Returns::Fixed(Double);
const BOOL: Returns = Returns::Fixed(Boolean);

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    conversion(
        "to_geopoint",
        GeoPoint,
        &[req("field", &[GeoPoint, Keyword, Text])],
        "Converts WKT text to a geo_point."
    ),
    conversion(
        "to_cartesianpoint",
        CartesianPoint,
        &[req("field", &[CartesianPoint, Keyword, Text])],
        "Converts WKT text to a cartesian_point."
    ),
    conversion(
        "to_geoshape",
        GeoShape,
        &[req("field", &[GeoPoint, GeoShape, Keyword, Text])],
        "Converts WKT text (or a geo_point) to a geo_shape."
    ),
    conversion(
        "to_cartesianshape",
        CartesianShape,
        &[req("field", &[CartesianPoint, CartesianShape, Keyword, Text])],
        "Converts WKT text (or a cartesian_point) to a cartesian_shape."
    ),
    scalar("st_geohash", GRID_PARAMS, Returns::Fixed(GeoHash), |_, a| grid::st_geohash(a), "The geohash cell of a geo_point at a precision of 1 to 12, inside optional BBOX bounds."),
    scalar("st_geotile", GRID_PARAMS, Returns::Fixed(GeoTile), |_, a| grid::st_geotile(a), "The map tile (zoom/x/y) of a geo_point at a zoom of 0 to 29, inside optional BBOX bounds."),
    scalar("st_geohex", GRID_PARAMS, Returns::Fixed(GeoHex), |_, a| grid::st_geohex(a), "The H3 cell of a geo_point at a resolution of 0 to 15."),
    grid_conversion!("to_geohash", GeoHash, "Converts a geohash's text or long form to a geohash."),
    grid_conversion!("to_geotile", GeoTile, "Converts a tile's text (zoom/x/y) or long form to a geotile."),
    grid_conversion!("to_geohex", GeoHex, "Converts an H3 cell's text or long form to a geohex."),
    scalar("st_x", &[req("point", POINTS)], DOUBLE, |_, a| coordinate(&a[0], |c| c.0), "The x (longitude) of a point."),
    scalar("st_y", &[req("point", POINTS)], DOUBLE, |_, a| coordinate(&a[0], |c| c.1), "The y (latitude) of a point."),
    FunctionDef {
        name: "st_distance",
        params: &[req("geomA", POINTS), req("geomB", POINTS)],
        variadic: false,
        returns: DOUBLE,
        kind: Kind::Scalar(Eval::Cells(st_distance)),
        doc: "Distance between two points: meters on the great circle for geo_point, plane units for cartesian_point; the nearest pair of multi-values.",
        column: None,
    },
    scalar("st_intersects", &[req("geomA", SPATIAL), req("geomB", SPATIAL)], BOOL, |c, a| relation(c, a, relate::intersects), "Whether the geometries share a point."),
    scalar("st_disjoint", &[req("geomA", SPATIAL), req("geomB", SPATIAL)], BOOL, |c, a| relation(c, a, |x, y| !relate::intersects(x, y)), "Whether the geometries share no point."),
    scalar("st_contains", &[req("geomA", SPATIAL), req("geomB", SPATIAL)], BOOL, |c, a| relation(c, a, relate::contains), "Whether the first geometry holds every point of the second."),
    scalar("st_within", &[req("geomA", SPATIAL), req("geomB", SPATIAL)], BOOL, |c, a| relation(c, a, |x, y| relate::contains(y, x)), "Whether the second geometry holds every point of the first."),
    scalar(
        "st_npoints",
        &[req("geometry", SPATIAL)],
        Returns::Fixed(Integer),
        |_, a| Ok(Some(Value::Int(geometry(&a[0])?.coords().len() as i32))),
        "The number of points (vertices) of the geometry."
    ),
    scalar("st_envelope", &[req("geometry", SPATIAL)], Returns::Custom(shape_of), envelope, "The bounding box, as BBOX (minX, maxX, maxY, minY)."),
    scalar("st_xmin", &[req("point", SPATIAL)], DOUBLE, |_, a| bound(&a[0], |e| e.0), "The smallest x of the geometry."),
    scalar("st_xmax", &[req("point", SPATIAL)], DOUBLE, |_, a| bound(&a[0], |e| e.1), "The largest x of the geometry."),
    scalar("st_ymax", &[req("point", SPATIAL)], DOUBLE, |_, a| bound(&a[0], |e| e.2), "The largest y of the geometry."),
    scalar("st_ymin", &[req("point", SPATIAL)], DOUBLE, |_, a| bound(&a[0], |e| e.3), "The smallest y of the geometry."),
];

/// A spatial value's geometry, or the warning Elasticsearch gives for text it cannot read.
pub fn geometry(v: &Value<'_>) -> Result<Geometry, EvalError> {
    let Value::Str(s) = v else { return Err(EvalError::illegal_argument("not a geometry")) };
    wkt::parse(s).map_err(|e| EvalError::illegal_argument(format!("Failed to parse WKT: {e}")))
}

fn to_spatial<'a>(c: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    let Value::Str(s) = &v else { return Ok(None) };
    let text = wkt::canonical(s, c.ty).map_err(EvalError::illegal_argument)?;
    Ok(Some(Value::Str(Cow::Owned(text))))
}

fn coordinate<'a>(v: &Value<'a>, pick: fn((f64, f64)) -> f64) -> ValueResult<'a> {
    match geometry(v)? {
        Geometry::Point(c) => Ok(Some(Value::Double(pick(c)))),
        _ => Ok(None),
    }
}

fn st_distance<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError> {
    same_system(c)?;
    let geo = c.arg_types.first() == Some(&GeoPoint);
    let points = |cell: &Cell<'_>| -> Result<Vec<(f64, f64)>, EvalError> {
        cell.values().iter().map(|v| geometry(v).map(|g| g.coords().first().copied().unwrap_or_default())).collect()
    };
    let (a, b) = (points(&args[0])?, points(&args[1])?);
    let distance = |p, q| if geo { relate::geo_distance(p, q) } else { relate::cartesian_distance(p, q) };
    let nearest = a.iter().flat_map(|p| b.iter().map(move |q| (*p, *q))).map(|(p, q)| distance(p, q)).reduce(f64::min);
    Ok(nearest.map_or(Cell::Null, |d| Cell::One(Value::Double(d))))
}

fn relation<'a>(c: &Ctx<'_>, a: &[Value<'a>], test: fn(&Geometry, &Geometry) -> bool) -> ValueResult<'a> {
    same_system(c)?;
    Ok(Some(Value::Bool(test(&geometry(&a[0])?, &geometry(&a[1])?))))
}

/// Geo and cartesian values do not mix.
fn same_system(c: &Ctx<'_>) -> Result<(), EvalError> {
    let geo = |t: &EsType| matches!(t, GeoPoint | GeoShape);
    match c.arg_types {
        [a, b] if *a != Null && *b != Null && geo(a) != geo(b) => Err(EvalError::illegal_argument(format!(
            "Cannot compare a [{}] with a [{}]: their coordinate systems differ",
            a.name(),
            b.name()
        ))),
        _ => Ok(()),
    }
}

/// The bounding box: (min x, max x, max y, min y).
fn bounds(g: &Geometry) -> Option<(f64, f64, f64, f64)> {
    let cs = g.coords();
    let first = cs.first()?;
    Some(
        cs.iter().fold((first.0, first.0, first.1, first.1), |(a, b, c, d), p| {
            (a.min(p.0), b.max(p.0), c.max(p.1), d.min(p.1))
        }),
    )
}

fn envelope<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(bounds(&geometry(&a[0])?).map(|(min_x, max_x, max_y, min_y)| {
        Value::Str(Cow::Owned(Geometry::Envelope { min_x, max_x, max_y, min_y }.to_string()))
    }))
}

fn bound<'a>(v: &Value<'a>, pick: fn((f64, f64, f64, f64)) -> f64) -> ValueResult<'a> {
    Ok(bounds(&geometry(v)?).map(|b| Value::Double(pick(b))))
}

fn shape_of(args: &[EsType]) -> EsType {
    match args.first() {
        Some(GeoPoint | GeoShape) => GeoShape,
        Some(Null) => Null,
        _ => CartesianShape,
    }
}
