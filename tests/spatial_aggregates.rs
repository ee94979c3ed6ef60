//! ST_CENTROID_AGG and ST_EXTENT_AGG answer as Elasticsearch does. The ROW cases are
//! Elasticsearch's own (`spatial.csv-spec`); the others run over the impossible-travel
//! fixture (`tests/fixtures/travel`, locations as `{lat, lon}`), where a STATS over the
//! `geo_point` field reads the coordinates as the index encodes them (doc values), as
//! Elasticsearch does, and anything between that computes or limits reads them as written.
//! Expected values were computed apart (Kahan sums over the quantized coordinates, Lucene's
//! `GeoEncodingUtils`); `centroidFromAirportsFilteredAndSorted` checks the same arithmetic
//! against Elasticsearch's answer over its airports.

mod common;

use esql::engine::Engine;
use esql::io::OnError;
use std::path::Path;

const ROWS: &[(&str, &str)] = &[
    (
        r#"ROW wkt = "POINT(42.97109629958868 14.7552534006536)" | STATS c = ST_CENTROID_AGG(TO_GEOPOINT(wkt))"#,
        "POINT (42.97109629958868 14.7552534006536)",
    ),
    (
        r#"ROW wkt = ["POINT(42.97109629958868 14.7552534006536)", "POINT(75.80929149873555 22.72774917539209)"]
           | MV_EXPAND wkt | EVAL pt = TO_GEOPOINT(wkt) | STATS c = ST_CENTROID_AGG(pt)"#,
        "POINT (59.390193899162114 18.741501288022846)",
    ),
    (
        r#"ROW wkt = ["POINT(42.97109629958868 14.7552534006536)", "POINT(75.80929149873555 22.72774917539209)",
                     "POINT(-0.030548143003023033 24.37553649504829)"]
           | MV_EXPAND wkt | EVAL pt = TO_GEOPOINT(wkt) | STATS c = ST_CENTROID_AGG(pt) | EVAL x = ST_X(c), y = ST_Y(c)"#,
        "POINT (39.58327988510707 20.619513023697994), 39.58327988510707, 20.619513023697994",
    ),
    // A multi-valued cell counts each point; the extent's corners are encoded coordinates.
    (
        r#"ROW p = TO_GEOPOINT(["POINT(-1 0)", "POINT(2 1)"]) | STATS c = ST_CENTROID_AGG(p), e = ST_EXTENT_AGG(p)"#,
        "POINT (0.5 0.5), BBOX (-1.000000024214387, 1.9999999646097422, 0.9999999823048711, 0.0)",
    ),
    // Cartesian extents have float corners; centroids of cartesian points are exact.
    (
        r#"ROW p = TO_CARTESIANPOINT(["POINT(0.1 -2.5)", "POINT(10000001 3)"]) | STATS c = ST_CENTROID_AGG(p), e = ST_EXTENT_AGG(p)"#,
        "POINT (5000000.55 0.25), BBOX (0.10000000149011612, 1.0000001E7, 3.0, -2.5)",
    ),
    // Shapes: the highest dimension weighs (the point is left out), the result a point.
    (
        r#"ROW s = TO_GEOSHAPE(["POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))", "POINT(10 10)"]) | STATS c = ST_CENTROID_AGG(s)"#,
        "POINT (2.0 2.0)",
    ),
    (r#"ROW x = 1 | STATS c = ST_CENTROID_AGG(TO_GEOPOINT(null)), e = ST_EXTENT_AGG(TO_GEOSHAPE(null))"#, "null, null"),
];

const TRAVEL: &[(&str, &str)] = &[
    // Doc values: quantized coordinates (through a WHERE and an alias too).
    (
        "FROM logs-azure.signinlogs-* | STATS c = ST_CENTROID_AGG(source.geo.location)",
        "POINT (-23.246569274566493 45.434207681638114)",
    ),
    (
        "FROM logs-azure.signinlogs-* | WHERE event.outcome IS NOT NULL | EVAL loc = source.geo.location
         | STATS c = ST_CENTROID_AGG(TO_GEOPOINT(loc))",
        "POINT (-23.246569274566493 45.434207681638114)",
    ),
    // INLINE STATS runs its STATS as a query of its own over the source: doc values too.
    (
        "FROM logs-azure.signinlogs-* | INLINE STATS c = ST_CENTROID_AGG(source.geo.location)
           BY u = azure.signinlogs.properties.user_principal_name | WHERE u == \"bob@example.com\" | KEEP c | LIMIT 1",
        "POINT (-72.53245003055781 41.53644998325035)",
    ),
    // After a LIMIT the STATS runs on the coordinator, over the values as written.
    (
        "FROM logs-azure.signinlogs-* | LIMIT 100 | STATS c = ST_CENTROID_AGG(source.geo.location)",
        "POINT (-23.246569230769232 45.43420769230769)",
    ),
    // Grouped; erin's box (New York and Tokyo) is narrower across the dateline.
    (
        "FROM logs-azure.signinlogs-* | WHERE azure.signinlogs.properties.user_principal_name IN (\"bob@example.com\", \"erin@example.com\")
         | STATS c = ST_CENTROID_AGG(source.geo.location), e = ST_EXTENT_AGG(source.geo.location)
           BY user = azure.signinlogs.properties.user_principal_name | SORT user",
        "POINT (-72.53245003055781 41.53644998325035), BBOX (-74.00600004941225, -71.05890001170337, 42.360099982470274, 40.712799984030426), bob@example.com \
         | POINT (32.822149973362684 38.19449998671189), BBOX (139.65029999613762, -74.00600004941225, 40.712799984030426, 35.67619998939335), erin@example.com",
    ),
];

#[test]
fn spatial_aggregates_answer_as_elasticsearch() {
    let none = Engine::open(Path::new("/nonexistent"), OnError::Fail);
    let travel = Engine::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/travel"), OnError::Fail);
    let mut failures = common::answer_mismatches(&none, ROWS);
    failures.extend(common::answer_mismatches(&travel, TRAVEL));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spatial_aggregates_refuse_other_types() {
    let none = Engine::open(Path::new("/nonexistent"), OnError::Fail);
    let cases = [(
        "ROW x = 1 | STATS c = ST_CENTROID_AGG(x)",
        "line 1:23: argument of [ST_CENTROID_AGG(x)] must be [geo_point, cartesian_point, geo_shape or cartesian_shape], found value [x] type [integer]",
    )];
    let failures = common::error_mismatches(&none, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
