//! TOP, FIRST and LAST keep values by order: TOP the limit best (repeats included) asc or
//! desc, optionally of another field; FIRST and LAST the value at the extreme sort key.

use esql::engine::Engine;
use esql::io::OnError;

fn one_row(query: &str) -> Vec<String> {
    let engine = Engine::open(std::path::Path::new("/nonexistent"), OnError::Fail);
    let out = engine.query(query).unwrap_or_else(|e| panic!("{}", e.render(query)));
    let rows = esql::output::rows(&out.result);
    rows[0].iter().map(|c| c.render().to_string()).collect()
}

#[test]
fn top_first_and_last_answer_by_order() {
    let q = r#"ROW v = [5, 1, 4, 1, 9], k = 1
        | MV_EXPAND v
        | EVAL name = CONCAT("n", TO_STRING(v))
        | STATS t = TOP(v, 3, "asc"), d = TOP(v, 2, "DESC"), o = TOP(v, 2, "desc", name),
                f = FIRST(name, v), l = LAST(name, v)"#;
    assert_eq!(one_row(q), ["[1, 1, 4]", "[9, 5]", "[n9, n5]", "n1", "n9"]);
}

/// SAMPLE keeps at most its limit of the group's values (each value of a multi-value
/// counted), the same draw on every run; text comes out as keyword.
#[test]
fn sample_keeps_at_most_its_limit_of_the_values() {
    let q = r#"ROW v = [5, 1, 4, 1, 9], t = "a b"::text
        | MV_EXPAND v
        | STATS s = SAMPLE(v, 3), all = SAMPLE(v, 10), n = MV_COUNT(SAMPLE(v, 2)), k = SAMPLE(t, 1)"#;
    let row = one_row(q);
    let values =
        |cell: &str| -> Vec<String> { cell.trim_matches(['[', ']']).split(", ").map(str::to_string).collect() };
    assert_eq!(values(&row[0]).len(), 3);
    assert!(values(&row[0]).iter().all(|v| ["5", "1", "4", "9"].contains(&v.as_str())), "{row:?}");
    assert_eq!(values(&row[1]), ["5", "1", "4", "1", "9"], "room for all: all, in order");
    assert_eq!(row[2..], ["2", "a b"]);
    assert_eq!(one_row(q), row, "the same draw on every run");
    let engine = Engine::open(std::path::Path::new("/nonexistent"), OnError::Fail);
    let out = engine.query(r#"ROW t = "a"::text | STATS k = SAMPLE(t, 1)"#).expect("runs");
    assert_eq!(out.result.columns[0].ty, esql::types::EsType::Keyword);
}

/// TOP's and SAMPLE's limit and TOP's order are checked as Elasticsearch checks them.
#[test]
fn limits_and_orders_are_constants_elasticsearch_accepts() {
    let engine = Engine::open(std::path::Path::new("/nonexistent"), OnError::Fail);
    for (q, want) in [
        (
            r#"ROW x = 1 | STATS s = TOP(x, 0, "asc")"#,
            r#"line 1:23: Limit must be greater than 0 in [TOP(x, 0, "asc")], found [0]"#,
        ),
        (
            r#"ROW x = 1 | STATS s = SAMPLE(x, -1)"#,
            "line 1:23: Limit must be greater than 0 in [SAMPLE(x, -1)], found [-1]",
        ),
        (
            r#"ROW x = 1, n = 2 | STATS s = SAMPLE(x, n)"#,
            "line 1:30: second argument of [SAMPLE(x, n)] must be a constant, received [n]",
        ),
        (
            r#"ROW x = 1 | STATS s = TOP(x, null, "asc")"#,
            r#"line 1:23: second argument of [TOP(x, null, "asc")] cannot be null, received [null]"#,
        ),
        (
            r#"ROW x = 1 | STATS s = TOP(x, 1, "up")"#,
            r#"line 1:23: Invalid order value in [TOP(x, 1, "up")], expected [ASC, DESC] but got [up]"#,
        ),
    ] {
        let got = engine.query(q).err().map(|e| e.render(q).lines().next().unwrap_or("").to_string());
        assert_eq!(got.as_deref(), Some(want), "{q}");
    }
    assert_eq!(one_row(r#"ROW x = [3, 1, 2] | MV_EXPAND x | STATS t = TOP(x, 1 + 1, "DESC")"#), ["[3, 2]"]);
}
