//! TBUCKET and TRANGE answer exactly as the expressions Elasticsearch rewrites them to
//! (`TRANGE(1h)` is `@timestamp > now() - 1h AND @timestamp <= now()`, bounds exclusive then
//! inclusive; `TBUCKET(x)` is `BUCKET(@timestamp, x)`), on documents placed on those bounds,
//! and refuse what Elasticsearch refuses.

use esql::engine::Engine;

mod common;

/// Documents at the bounds of the ranges below, one with two timestamps (null, with a
/// warning, in a comparison or a bucket), one without.
const EVENTS: &str = r#"{"@timestamp": "2025-07-30T10:00:00.000Z", "n": 1}
{"@timestamp": "2025-07-30T10:00:00.001Z", "n": 2}
{"@timestamp": "2025-07-30T11:30:00.000Z", "n": 3}
{"@timestamp": "2025-07-30T12:00:00.000Z", "n": 4}
{"@timestamp": "2025-07-30T12:00:00.001Z", "n": 5}
{"@timestamp": ["2025-07-30T11:00:00.000Z", "2025-07-30T11:10:00.000Z"], "n": 6}
{"n": 7}
"#;

const NOW: &str = "2025-07-30T12:00:00Z";

/// (query with the function, the same query as Elasticsearch rewrites it, rows expected).
const SAME: &[(&str, &str, &str)] = &[
    (
        "FROM events | WHERE TRANGE(2 hours) | KEEP n | SORT n",
        "FROM events | WHERE @timestamp > now() - 2 hours AND @timestamp <= now() | KEEP n | SORT n",
        "2 | 3 | 4",
    ),
    (
        "FROM events | WHERE TRANGE(1 day) | STATS c = COUNT(*)",
        "FROM events | WHERE @timestamp > now() - 1 day AND @timestamp <= now() | STATS c = COUNT(*)",
        "4",
    ),
    (
        "FROM events | WHERE TRANGE(\"2025-07-30T10:00:00Z\", \"2025-07-30T12:00:00Z\") | KEEP n | SORT n",
        "FROM events | WHERE @timestamp > \"2025-07-30T10:00:00Z\" AND @timestamp <= \"2025-07-30T12:00:00Z\" | KEEP n | SORT n",
        "2 | 3 | 4",
    ),
    (
        "FROM events | WHERE TRANGE(1753869600000, 1753876800000) | KEEP n | SORT n",
        "FROM events | WHERE @timestamp > TO_DATETIME(1753869600000) AND @timestamp <= TO_DATETIME(1753876800000) | KEEP n | SORT n",
        "2 | 3 | 4",
    ),
    (
        "FROM events | STATS c = COUNT(*) BY h = TBUCKET(1 hour) | SORT h",
        "FROM events | STATS c = COUNT(*) BY h = BUCKET(@timestamp, 1 hour) | SORT h",
        "2, 2025-07-30T10:00:00.000Z | 1, 2025-07-30T11:00:00.000Z | 2, 2025-07-30T12:00:00.000Z | 2, null",
    ),
    (
        "FROM events | EVAL b = TBUCKET(4, \"2025-07-30T10:00:00Z\", \"2025-07-30T12:00:00Z\") | STATS c = COUNT(*) BY b | SORT b",
        "FROM events | EVAL b = BUCKET(@timestamp, 4, \"2025-07-30T10:00:00Z\", \"2025-07-30T12:00:00Z\") | STATS c = COUNT(*) BY b | SORT b",
        "2, 2025-07-30T10:00:00.000Z | 1, 2025-07-30T11:00:00.000Z | 2, 2025-07-30T12:00:00.000Z | 2, null",
    ),
];

/// (query, the first line of its error).
const ERRORS: &[(&str, &str)] = &[
    ("FROM events | WHERE TRANGE(-1 hour)", "line 1:28: start_time_or_offset cannot be negative"),
    (
        "FROM events | WHERE TRANGE(5)",
        "line 1:28: first argument of [TRANGE(5)] must be [time_duration or date_period], found value [5] type [integer]",
    ),
    (
        "FROM events | WHERE TRANGE(\"nope\", \"2025-01-01\")",
        "line 1:28: invalid time range for [TRANGE(\"nope\", \"2025-01-01\")]: TRANGE parameter must be a valid datetime string, got: nope",
    ),
    ("FROM events | WHERE TRANGE(1, 2, 3)", "line 1:21: error building [trange]: expects 1 or 2 arguments, got 3"),
    ("FROM events | STATS BY TBUCKET()", "line 1:24: error building [tbucket]: expects 1 or 3 arguments, got 0"),
    ("ROW x = 1 | WHERE TRANGE(1 hour)", "line 1:19: Unknown column [@timestamp]"),
];

/// An engine over EVENTS at NOW, of its own per test.
fn engine(tag: &str) -> Engine {
    let mut engine = common::engine_over(&format!("time-functions-{tag}"), &[("events.ndjson", EVENTS)]);
    engine.now_ms = Some(esql::engine::parse_now(NOW).expect("now"));
    engine
}

fn rows(engine: &Engine, query: &str) -> (String, Vec<String>) {
    let out = engine.query(query).unwrap_or_else(|e| panic!("{}", e.render(query)));
    (common::rendered_rows(&out.result), out.result.warnings)
}

/// The failures warned about, without where.
fn kinds(warnings: &[String]) -> std::collections::BTreeSet<String> {
    warnings
        .iter()
        .filter(|w| w.contains("java.lang"))
        .map(|w| w.split_once(": ").map_or(w.clone(), |(_, k)| k.to_string()))
        .collect()
}

#[test]
fn trange_and_tbucket_answer_as_their_rewrites() {
    let engine = engine("same");
    let mut failures = Vec::new();
    for (sugar, plain, expected) in SAME {
        let (got, warned) = rows(&engine, sugar);
        let (want, warned_plain) = rows(&engine, plain);
        if got != *expected || want != *expected {
            failures.push(format!("{sugar}\n  got  {got}\n  plain {want}\n  want {expected}"));
        }
        // The same failures, each reported once at the function (its comparisons share its
        // text, as in Elasticsearch, whose response carries a repeated warning once).
        let names_call =
            warned.iter().filter(|w| w.contains("evaluation of [")).all(|w| w.contains("evaluation of [T"));
        if kinds(&warned) != kinds(&warned_plain) || !names_call {
            failures.push(format!("{sugar}: warnings {warned:?} against {warned_plain:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_arguments_fail_as_in_elasticsearch() {
    let engine = engine("errors");
    let failures = common::error_mismatches(&engine, ERRORS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_repl_documents_them() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["repl", "--data", "examples/data"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the repl");
    child.stdin.take().expect("stdin").write_all(b".help TRANGE\n.help tbucket\n").expect("write");
    let out = child.wait_with_output().expect("repl output");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("trange(start_time_or_offset:"), "{text}");
    assert!(text.contains("BUCKET(@timestamp, buckets"), "{text}");
}
