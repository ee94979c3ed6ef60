//! ST_GEOHASH, ST_GEOTILE and ST_GEOHEX: the grid cell of a geo_point, of Elasticsearch's
//! types `geohash`, `geotile` and `geohex` (shown as their text; their long form through
//! TO_LONG and back through TO_GEOHASH/TO_GEOTILE/TO_GEOHEX). The Copenhagen cells are
//! Elasticsearch's own (`spatial-grid.csv-spec`); the others run over the impossible-travel
//! fixture (New York, London, Tokyo sign-ins).

mod common;

use esql::engine::Engine;
use esql::io::OnError;
use std::path::Path;

const CPH: &str = r#"ROW location = TO_GEOPOINT("POINT(12.6493508684508 55.6285017221528)"), precision = 4"#;

/// The cells of Copenhagen at precisions 1 to 5 (Elasticsearch reads the precision when it
/// builds the evaluator: a constant).
fn at_five_precisions(func: &str) -> String {
    let cells: Vec<String> = (1..=5).map(|p| format!("c{p} = TO_STRING({func}(location, {p}))")).collect();
    format!("{CPH} | EVAL {} | KEEP c1, c2, c3, c4, c5", cells.join(", "))
}

fn answers() -> Vec<(String, &'static str)> {
    let cph = |rest: &str| format!("{CPH} | {rest}");
    vec![
        (at_five_precisions("ST_GEOHASH"), "u, u3, u3b, u3bu, u3bur"),
        (at_five_precisions("ST_GEOTILE"), "1/1/0, 2/2/1, 3/4/2, 4/8/5, 5/17/10"),
        (
            at_five_precisions("ST_GEOHEX"),
            "811f3ffffffffff, 821f07fffffffff, 831f05fffffffff, 841f059ffffffff, 851f0583fffffff",
        ),
        // Long forms: Elasticsearch's encodings, and back.
        (
            cph("EVAL h = ST_GEOHASH(location, 4), t = ST_GEOTILE(location, 4), x = ST_GEOHEX(location, 4)
                 | EVAL lh = TO_LONG(h), lt = TO_LONG(t), lx = TO_LONG(x)
                 | EVAL same = TO_GEOHASH(lh) == h AND TO_GEOTILE(lt) == t AND TO_GEOHEX(lx) == x
                 | KEEP lh, lt, same"),
            "13686180, 1152921508901814277, true",
        ),
        // Bounds: a cell that only touches the box is left out.
        (
            cph(r#"EVAL a = ST_GEOHASH(location, 2, TO_GEOSHAPE("BBOX(0, 12, 60, 30)")),
                   b = ST_GEOHASH(location, 2, TO_GEOSHAPE("BBOX(0, 11.25, 60, 30)")),
                   c = ST_GEOTILE(location, 2, TO_GEOSHAPE("BBOX(0, 12, 60, 30)")) | KEEP a, b, c"#),
            "u3, null, 2/2/1",
        ),
    ]
}

const TRAVEL: &[(&str, &str)] = &[(
    "FROM logs-azure.signinlogs-* | EVAL h = ST_GEOHASH(source.geo.location, 2), t = ST_GEOTILE(source.geo.location, 3),
         x = ST_GEOHEX(source.geo.location, 1) | STATS c = COUNT(*) BY h, t, x
     | EVAL order = TO_STRING(t) | SORT c DESC, order | DROP order",
    "6, gc, 3/3/2, 81197ffffffffff | 5, dr, 3/2/3, 812a3ffffffffff | 1, dr, 3/2/2, 812a3ffffffffff | 1, xn, 3/7/3, 812f7ffffffffff",
)];

#[test]
fn grid_cells_answer_as_elasticsearch() {
    let none = Engine::open(Path::new("/nonexistent"), OnError::Fail);
    let rows = answers();
    let cases: Vec<(&str, &str)> = rows.iter().map(|(q, a)| (q.as_str(), *a)).collect();
    let mut failures = common::answer_mismatches(&none, &cases);
    let travel = Engine::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/travel"), OnError::Fail);
    failures.extend(common::answer_mismatches(&travel, TRAVEL));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What Elasticsearch refuses, with its message. A precision out of range or not a constant
/// fails the query: it reads the precision when it builds the evaluator (a ROW or EVAL
/// column holding a constant is one, as it propagates them).
const REFUSED: &[(&str, &str)] = &[
    (r#"ROW p = TO_GEOPOINT("POINT(1 2)") | EVAL h = ST_GEOHASH(p, 2) | SORT h"#, "line 1:70: cannot sort on geohash"),
    (
        r#"ROW p = TO_CARTESIANPOINT("POINT(1 2)") | EVAL h = ST_GEOTILE(p, 2)"#,
        "line 1:52: first argument of [ST_GEOTILE(p, 2)] must be [geo_point], found value [p] type [cartesian_point]",
    ),
    (
        r#"ROW p = TO_GEOPOINT("POINT(1 2)") | EVAL h = ST_GEOHASH(p, 13)"#,
        "line 1:46: Invalid geohash_grid precision of 13. Must be between 1 and 12.",
    ),
    (
        r#"ROW p = TO_GEOPOINT("POINT(1 2)") | EVAL h = ST_GEOTILE(p, -1)"#,
        "line 1:46: Invalid geotile_grid precision of -1. Must be between 0 and 29.",
    ),
    (
        r#"ROW p = TO_GEOPOINT("POINT(1 2)"), n = [3, 4] | MV_EXPAND n | EVAL h = ST_GEOHEX(p, n)"#,
        "line 1:72: precision must be foldable",
    ),
    (
        r#"ROW p = TO_GEOPOINT("POINT(1 2)"), n = 13 | EVAL m = n | KEEP p, m | EVAL h = ST_GEOHASH(p, m)"#,
        "line 1:79: Invalid geohash_grid precision of 13. Must be between 1 and 12.",
    ),
];

#[test]
fn grid_cells_are_refused_where_elasticsearch_refuses_them() {
    let none = Engine::open(Path::new("/nonexistent"), OnError::Fail);
    let failures = common::error_mismatches(&none, REFUSED);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
