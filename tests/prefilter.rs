//! The first `WHERE @timestamp > …` (or keyword `==`, `IN`, `LIKE`, `RLIKE`) applied while
//! decoding NDJSON and Parquet: the same rows and query warnings as reading every row in full (`ESQL_PREFILTER=off`), whatever the field's place
//! in the document, its repetitions and spellings; broken lines still stop the run.

use std::path::Path;
use std::process::{Command, Output};

const DOCS: &str = r#"{"@timestamp":"2025-07-30T11:00:00Z","n":1,"source":{"ip":"1.1.1.1"}}
{"@timestamp":"2025-07-30T01:00:00Z","n":2,"source":{"ip":"not-an-ip"}}
{"n":3,"source":{"ip":"3.3.3.3"},"@timestamp":"2025-07-30T11:30:00Z"}
{"n":4,"source":{"ip":"4.4.4.4"},"@timestamp":"2025-07-30T01:30:00Z"}
{"@timestamp":"2025-07-30T01:00:00Z","n":5,"@timestamp":"2025-07-30T11:45:00Z"}
{"@timestamp":"2025-07-30T01:00:00Z","n":6,"@timestam\u0070":"2025-07-30T11:50:00Z"}
{"@timestamp":"2025-07-30T11:10:00Z","n":7,"source":{"ip":"bad-but-kept"}}
{"@timestamp":"garbage","n":8}
{"n":9}
{"@timestamp":["2025-07-30T11:20:00Z","2025-07-30T01:00:00Z"],"n":10}
"#;

const QUERY: &str =
    "FROM logs-test-default | WHERE @timestamp > now() - 2 hours | KEEP n, @timestamp, source.ip | SORT n";

/// Runs `esql ARGS --data DIR --now 2025-07-30T12:00:00Z` from the project root, with the
/// prefilter on or off and no field cache.
fn esql(args: &[&str], dir: &Path, prefilter: bool) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .args(["--data", dir.to_str().expect("utf-8"), "--now", "2025-07-30T12:00:00Z"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ESQL_CACHE", "off")
        .env("ESQL_PREFILTER", if prefilter { "on" } else { "off" })
        .output()
        .expect("run esql")
}

/// The standard output of a run that must succeed.
fn stdout(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run(dir: &Path, prefilter: bool) -> Output {
    esql(&["run", "-e", QUERY, "--format", "csv", "--threads", "1"], dir, prefilter)
}

fn data(name: &str, extra: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-prefilter-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("logs-test-default.ndjson"), format!("{DOCS}{extra}")).expect("write");
    dir
}

/// Query warnings (not the load warnings, which count what was read).
fn query_warnings(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr).lines().filter(|l| l.starts_with("Line ")).map(str::to_string).collect()
}

#[test]
fn rows_and_query_warnings_match_a_full_read() {
    let dir = data("same", "");
    let (on, off) = (run(&dir, true), run(&dir, false));
    assert_eq!(on.status.code(), Some(0), "{}", String::from_utf8_lossy(&on.stderr));
    assert_eq!(String::from_utf8_lossy(&on.stdout), String::from_utf8_lossy(&off.stdout));
    let rows: Vec<&str> = std::str::from_utf8(&on.stdout).expect("utf-8").lines().skip(1).collect();
    let ns: Vec<&str> = rows.iter().filter_map(|r| r.split(',').next()).collect();
    assert_eq!(ns, ["1", "3", "7"], "{rows:?}");
    let warned = query_warnings(&on);
    assert!(warned.iter().any(|w| w.contains("single-value function encountered multi-value")), "{warned:?}");
    assert_eq!(warned, query_warnings(&off));
}

#[test]
fn malformed_values_are_counted_in_the_rows_kept_and_in_the_filtered_field() {
    let dir = data("counts", "");
    let err = String::from_utf8_lossy(&run(&dir, true).stderr).into_owned();
    assert!(err.contains("1 value(s) of [source.ip] are not valid ip"), "{err}");
    assert!(err.contains("1 value(s) of [@timestamp] are not valid date"), "{err}");
    let full = String::from_utf8_lossy(&run(&dir, false).stderr).into_owned();
    assert!(full.contains("2 value(s) of [source.ip] are not valid ip"), "{full}");
}

#[test]
fn a_line_broken_after_a_rejected_timestamp_still_stops_the_run() {
    let dir = data("broken", "{\"@timestamp\":\"2025-07-30T01:00:00Z\",\"n\":11,\"x\":{\"y\":1}\n");
    let out = run(&dir, true);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("logs-test-default.ndjson:11: expected ',' or '}'"), "{err}");
}

#[test]
fn the_explain_funnel_counts_rows_rejected_while_decoding() {
    let rule = ["explain", "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql"];
    let explain = |prefilter: bool| stdout(esql(&rule, Path::new("examples/data"), prefilter));
    let on = explain(true);
    assert_eq!(on, explain(false));
    let first_where = on.lines().find(|l| l.starts_with(" 1  where @timestamp")).expect("the time filter's line");
    let counts: Vec<&str> = first_where.split_whitespace().rev().take(2).collect();
    assert_ne!(counts[0], counts[1], "the time filter drops rows in the example data: {first_where}");
}

/// Six rows in row groups of two, in time order: the first two groups are older than the
/// window and are skipped on their statistics.
fn sorted_parquet() -> std::path::PathBuf {
    use arrow::array::{ArrayRef, Int64Array, RecordBatch, TimestampMillisecondArray};
    use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
    use std::collections::HashMap;
    use std::sync::Arc;
    let dir = std::env::temp_dir().join(format!("esql-prefilter-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let meta = |t: &str| HashMap::from([("esql.type".to_string(), t.to_string())]);
    let ts_type = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    let schema = Arc::new(Schema::new(vec![
        Field::new("@timestamp", ts_type.clone(), true).with_metadata(meta("date")),
        Field::new("n", DataType::Int64, true).with_metadata(meta("long")),
    ]));
    let now = 1_753_876_800_000i64; // 2025-07-30T12:00:00Z
    let hours = [11.0, 10.0, 9.0, 8.5, 1.0, 0.5];
    let ts: Vec<i64> = hours.iter().map(|h| now - (h * 3_600_000.0) as i64).collect();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(TimestampMillisecondArray::from(ts).with_data_type(ts_type)),
        Arc::new(Int64Array::from((1..=6).collect::<Vec<i64>>())),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols).expect("batch");
    let file = std::fs::File::create(dir.join("logs-test-default.parquet")).expect("create");
    let props = parquet::file::properties::WriterProperties::builder().set_max_row_group_row_count(Some(2)).build();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, Some(props)).expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
    dir
}

#[test]
fn parquet_row_groups_outside_the_window_are_skipped_with_the_same_answer_and_funnel() {
    let dir = sorted_parquet();
    let q = "FROM logs-test-default | WHERE @timestamp > now() - 2 hours | STATS c = count(*), ns = values(n)";
    let run = |cmd: &str, prefilter: bool| stdout(esql(&[cmd, "-e", q], &dir, prefilter));
    let answer = run("run", true);
    assert!(answer.contains("[5, 6]") && answer.contains('2'), "{answer}");
    assert_eq!(answer, run("run", false));
    let funnel = run("explain", true);
    assert_eq!(funnel, run("explain", false));
    let from = funnel.lines().find(|l| l.starts_with(" 0  FROM")).expect("FROM line");
    assert!(from.trim_end().ends_with(" 6"), "all six rows count as read: {from}");
}

/// A keyword field in every shape a document can give it.
const KEYWORD_DOCS: &str = r#"{"n":1,"event":{"outcome":"failure"}}
{"n":2,"event":{"outcome":"success"}}
{"n":3,"event":{"outcome":5}}
{"n":4,"event":{"outcome":["failure","success"]}}
{"n":5}
{"n":6,"event":{"outcome":null}}
{"n":7,"event":{"outcome":"fail\u0075re"}}
{"n":8,"event":{"outcome":"success"},"event.outcome":"failure"}
{"event.outcome":"failure","n":9}
{"n":10,"event":{"outcome":"Failure"}}
{"n":11,"event":{"outcome":[]}}
"#;

#[test]
fn a_keyword_test_applied_while_decoding_gives_the_same_rows_and_warnings() {
    let dir = docs_dir("keyword", KEYWORD_DOCS);
    let queries = [
        ("FROM logs-test-default | WHERE event.outcome == \"failure\" | KEEP n | SORT n", "1,7,9"),
        ("FROM logs-test-default | WHERE \"5\" == event.outcome | KEEP n | SORT n", "3"),
        ("FROM logs-test-default | WHERE n > 0 AND event.outcome IN (\"failure\", \"5\") | KEEP n | SORT n", "1,3,7,9"),
        ("FROM logs-test-default | WHERE event.outcome == \"failure\" OR n == 2 | KEEP n | SORT n", "1,2,7,9"),
        ("FROM logs-test-default | WHERE event.outcome LIKE \"fail*\" | KEEP n | SORT n", "1,7,9"),
        ("FROM logs-test-default | WHERE event.outcome RLIKE \"(fail|succ).*\" AND n > 1 | KEEP n | SORT n", "2,7,9"),
        ("FROM logs-test-default | WHERE event.outcome LIKE (\"x*\", \"?\") | KEEP n | SORT n", "3"),
        ("FROM logs-test-default | WHERE NOT event.outcome LIKE \"fail*\" | KEEP n | SORT n", "2,3,10"),
    ];
    for (q, want) in queries {
        same_rows_and_warnings(&dir, q, want);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A directory holding `docs` as the one file of index `logs-test-default`.
fn docs_dir(name: &str, docs: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-prefilter-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("logs-test-default.ndjson"), docs).expect("write");
    dir
}

/// Runs `q` over `dir` with the prefilter on and off: the same rows (the `n`s `want`) and
/// query warnings; those warnings.
fn same_rows_and_warnings(dir: &Path, q: &str, want: &str) -> Vec<String> {
    let run = |prefilter: bool| esql(&["run", "-e", q, "--format", "csv", "--threads", "1"], dir, prefilter);
    let (on, off) = (run(true), run(false));
    let rows = stdout(on.clone());
    assert_eq!(rows, stdout(off.clone()), "{q}");
    assert_eq!(rows.lines().skip(1).collect::<Vec<_>>().join(","), want, "{q}");
    assert_eq!(query_warnings(&on), query_warnings(&off), "{q}");
    query_warnings(&on)
}

/// Two keyword fields, in either order, repeated, missing.
const TWO_FIELD_DOCS: &str = r#"{"n":1,"event":{"action":"login","outcome":"failure"}}
{"n":2,"event":{"outcome":"failure","action":"logout"}}
{"n":3,"event":{"outcome":"success","action":"login"}}
{"n":4,"event":{"action":["login","logout"],"outcome":"failure"}}
{"n":5,"event":{"action":"login"}}
{"n":6,"event":{"outcome":"failure"},"event.action":"login"}
{"n":7,"event":{"action":"login","outcome":"failure"},"event.outcome":"success"}
{"n":8,"event":{"action":"login","outcome":"failure"},"event.action":"x"}
"#;

const BOTH_FIELDS: &str =
    "FROM logs-test-default | WHERE event.action == \"login\" AND event.outcome == \"failure\" | KEEP n | SORT n";

#[test]
fn several_tests_of_the_first_where_applied_while_decoding_give_the_same_rows_and_warnings() {
    let dir = docs_dir("two", TWO_FIELD_DOCS);
    let queries = [
        (BOTH_FIELDS, "1,6"),
        ("FROM logs-test-default | WHERE event.outcome == \"failure\" AND event.action LIKE \"log*\" | KEEP n | SORT n", "1,2,6"),
        (
            "FROM logs-test-default | WHERE event.action RLIKE \"log.*\" AND event.outcome IN (\"success\", \"failure\") | KEEP n | SORT n",
            "1,2,3,6",
        ),
    ];
    for (q, want) in queries {
        let warned = same_rows_and_warnings(&dir, q, want);
        assert!(warned.iter().any(|w| w.contains("single-value function encountered multi-value")), "{warned:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `esql convert`'s Parquet files (a list column per field) of `docs`, in a directory of
/// their own.
fn converted(name: &str, docs: &str) -> std::path::PathBuf {
    let base = std::env::temp_dir().join(format!("esql-prefilter-{name}-{}", std::process::id()));
    let (ndjson, parquet) = (base.join("ndjson"), base.join("parquet"));
    std::fs::create_dir_all(&ndjson).expect("mkdir");
    std::fs::write(ndjson.join("logs-test-default.ndjson"), docs).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["convert", "--data", ndjson.to_str().expect("utf-8"), "--to", "parquet", "--out"])
        .arg(&parquet)
        .env("ESQL_CACHE", "off")
        .output()
        .expect("run esql convert");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    parquet
}

#[test]
fn parquet_rows_the_prefilter_rejects_are_left_out_with_the_same_rows_warnings_and_funnel() {
    let keyword = "FROM logs-test-default | WHERE event.outcome == \"failure\" | KEEP n | SORT n";
    let with_ip =
        "FROM logs-test-default | WHERE @timestamp > now() - 2 hours | EVAL ip = TO_IP(source.ip) | KEEP n, ip";
    let like = "FROM logs-test-default | WHERE event.outcome RLIKE \"fail.*\" | KEEP n | SORT n";
    let cases = [
        ("time", DOCS, QUERY),
        ("time-ip", DOCS, with_ip),
        ("keyword", KEYWORD_DOCS, keyword),
        ("like", KEYWORD_DOCS, like),
        ("two", TWO_FIELD_DOCS, BOTH_FIELDS),
    ];
    for (name, docs, q) in cases {
        let dir = converted(name, docs);
        let run =
            |cmd: &str, prefilter: bool| esql(&[cmd, "-e", q, "--format", "csv", "--threads", "1"], &dir, prefilter);
        let (on, off) = (run("run", true), run("run", false));
        let rows = stdout(on.clone());
        assert_eq!(rows, stdout(off.clone()), "{q}");
        assert!(rows.lines().count() > 1, "{q}: {rows}");
        assert_eq!(query_warnings(&on), query_warnings(&off), "{q}");
        let funnel = |prefilter: bool| stdout(esql(&["explain", "-e", q], &dir, prefilter));
        assert_eq!(funnel(true), funnel(false), "{q}");
        let _ = std::fs::remove_dir_all(dir.parent().expect("base"));
    }
}
