//! `SET name = value;` before a query: `unmapped_fields="nullify"` makes a name no column
//! holds a null column at the source (where Elasticsearch puts it: after the source's
//! columns, in the order the query first names them), and bad settings fail as they do in
//! Elasticsearch. Each case is a query and its answer, `columns :: rows` (cells by `,`, rows
//! by `|`; NDJSON's columns in name order), or the first line of its error.

use esql::engine::Engine;

mod common;

const EVENTS: &str = r#"{"n": 1, "user": "alice", "host": "a"}
{"n": 2, "user": "bob", "host": ["a", "b"]}
{"n": 3, "host": "c"}
"#;

const NULLIFY: &str = "SET unmapped_fields=\"nullify\"; ";

/// (query after `SET unmapped_fields="nullify";`, answer).
const ANSWERS: &[(&str, &str)] = &[
    // The null column follows the source's columns, before what EVAL adds.
    (
        "FROM events | EVAL y = gone + 1 | SORT n",
        "host, n, user, gone, y :: a, 1, alice, null, null | [a, b], 2, bob, null, null | c, 3, null, null, null",
    ),
    ("FROM events | KEEP n, gone | SORT n | LIMIT 1", "n, gone :: 1, null"),
    ("ROW x = 1 | EVAL y = gone1::INTEGER + x | KEEP *, gone2", "x, gone1, y, gone2 :: 1, null, null, null"),
    ("ROW x = 1 | RENAME x AS y, gone AS also_gone", "y, also_gone :: 1, null"),
    ("ROW x = 1 | DROP gone", "x :: 1"),
    // A pattern that matches nothing is let be.
    ("ROW x = 1 | KEEP x, gone*", "x :: 1"),
    ("ROW x = 1 | DROP gone*", "x :: 1"),
    ("ROW x = 1 | KEEP gone | EVAL gone = 2", "gone :: 2"),
    ("ROW x = 1 | EVAL gone::LONG", "x, gone, gone::LONG :: 1, null, null"),
    ("ROW x = 1 | MV_EXPAND gone", "x, gone :: 1, null"),
    ("FROM events | WHERE gone IS NULL AND n > 2 | KEEP n, gone", "n, gone :: 3, null"),
    ("FROM events | STATS c = COUNT(*) BY gone", "c, gone :: 3, null"),
    ("ROW x = 1 | STATS s = SUM(gone), m = MAX(gone), c = COUNT(gone)", "s, m, c :: null, null, 0"),
    ("ROW x = 1 | STATS s = SUM(x) + b BY b = gone1 + gone2", "s, b :: null, null"),
    ("FROM events | STATS c = COUNT(*) BY host = gone", "c, host :: 3, null"),
    ("FROM events | EVAL u = COALESCE(gone, user, \"none\") | SORT n | KEEP u", "u :: alice | bob | none"),
    // The query's own names are not touched.
    ("FROM events | WHERE n == 1 | KEEP user", "user :: alice"),
];

/// (query, the first line of its error).
const ERRORS: &[(&str, &str)] = &[
    // Without the setting, Elasticsearch's error.
    ("ROW x = 1 | EVAL y = gone", "line 1:22: Unknown column [gone]"),
    ("ROW x = 1 | KEEP gone*", "line 1:18: No matches found for pattern [gone*]"),
    // A column a command dropped stays dropped.
    (
        "SET unmapped_fields=\"nullify\"; FROM events | KEEP n | EVAL u = user",
        "line 1:64: Unknown column [user]",
    ),
    ("SET unmapped_fields=\"nullify\"; ROW x = 1 | KEEP x | EVAL z = gone", "line 1:62: Unknown column [gone]"),
    ("SET unmapped_fields=\"nullify\"; ROW x = gone", "line 1:40: Unknown column [gone]"),
    ("SET unmapped_fields=\"nullify\"; FROM events | STATS c = COUNT(*) | EVAL z = gone", "line 1:76: Unknown column [gone]"),
    // Bad settings.
    ("SET nope = \"x\"; ROW x = 1", "line 1:5: Unknown setting [nope]"),
    ("SET unmapped_fields = true; ROW x = 1", "line 1:23: Setting [unmapped_fields] must be of type KEYWORD"),
    (
        "SET unmapped_fields = \"ignore\"; ROW x = 1",
        "line 1:1: Error validating setting [unmapped_fields]: Invalid unmapped_fields resolution [ignore], must be one of [DEFAULT, NULLIFY, LOAD]",
    ),
    (
        "SET unmapped_fields = \"load\"; ROW x = 1",
        "line 1:23: unsupported: SET unmapped_fields=\"load\" (reading unmapped fields from _source) is not implemented",
    ),
    ("SET time_zone = \"+05:00\"; ROW x = 1", "line 1:17: time_zone [+05:00] is not supported here; only UTC"),
];

/// An engine over EVENTS, of its own per test.
fn engine(tag: &str) -> Engine {
    common::engine_over(&format!("settings-{tag}"), &[("events.ndjson", EVENTS)])
}

fn answer(engine: &Engine, query: &str) -> String {
    let out = engine.query(query).unwrap_or_else(|e| panic!("{}", e.render(query)));
    let columns = out.result.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ");
    format!("{columns} :: {}", common::rendered_rows(&out.result))
}

#[test]
fn nullify_makes_absent_names_null_columns_at_the_source() {
    let engine = engine("answers");
    let mut failures = Vec::new();
    for (query, expected) in ANSWERS {
        let query = format!("{NULLIFY}{query}");
        let got = answer(&engine, &query);
        if got != *expected {
            failures.push(format!("{query}\n  got  {got}\n  want {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nulls_of_an_absent_name_have_the_null_type() {
    let engine = engine("types");
    let q = format!("{NULLIFY}FROM events | KEEP n, gone | LIMIT 1");
    let out = engine.query(&q).unwrap_or_else(|e| panic!("{}", e.render(&q)));
    let types: Vec<String> = out.result.columns.iter().map(|c| c.ty.to_string()).collect();
    assert_eq!(types, ["long", "null"]);
}

#[test]
fn bad_settings_and_names_still_unknown_fail_as_in_elasticsearch() {
    let engine = engine("errors");
    let failures = common::error_mismatches(&engine, ERRORS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
