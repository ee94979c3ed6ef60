//! STATS over plain columns (keys and arguments read as they are) takes a column-at-a-time
//! path; any aggregate with its own WHERE takes the row-by-row one. Each query here is run
//! both ways (the second with a WHERE every row passes on each aggregate) and must give
//! byte-identical rows and warnings: multi-valued and null keys, multi-valued arguments,
//! VALUES order, overflowing sums, several keys.

use std::path::Path;
use std::process::{Command, Output};

fn esql(args: &[&str], cache: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ESQL_CACHE_DIR", cache)
        .output()
        .expect("run esql");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// `(prefix, aggregates, rest)`: the query is `FROM … | prefix | STATS aggregates rest`.
const CASES: &[(&str, &str, &str)] = &[
    (
        "EVAL x = 1",
        "n = count(*), c = count(event.category), d = count_distinct(source.ip), v = values(event.category)",
        "BY event.category, event.outcome | SORT event.category, event.outcome",
    ),
    // No SORT: groups in first-seen order, a null key among them.
    (
        "EVAL x = 1",
        "n = count(*), v = values(user.name), m = min(@timestamp), x = max(@timestamp)",
        "BY source.ip | LIMIT 60",
    ),
    ("EVAL ip = to_ip(source.ip)", "n = count(*), d = count_distinct(event.dataset)", "BY ip | LIMIT 60"),
    ("EVAL big = 9223372036854775807", "s = sum(big), n = count(event.type)", "BY event.type, user.name | LIMIT 60"),
    ("EVAL x = 1", "n = count(*), v = values(event.type)", ""),
];

#[test]
fn plain_column_stats_match_row_by_row_stats() {
    let root = std::env::temp_dir().join(format!("esql-stats-paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (data, cache) = (root.join("data"), root.join("cache"));
    let p = |d: &Path| d.to_str().expect("utf-8 path").to_string();
    esql(&["gen", "--events", "4000", "--seed", "5", "--out", &p(&data)], &cache);
    let every = "WHERE @timestamp IS NULL OR @timestamp IS NOT NULL";
    for (prefix, aggs, rest) in CASES {
        let filtered: Vec<String> = aggs.split(", ").map(|a| format!("{a} {every}")).collect();
        let query = |aggs: &str| format!("FROM logs-*, .alerts-* | {prefix} | STATS {aggs} {rest}");
        let run = |q: &str| esql(&["run", "-e", q, "--data", &p(&data), "--format", "csv"], &cache);
        let (plain, rows) = (run(&query(aggs)), run(&query(&filtered.join(", "))));
        let text = String::from_utf8_lossy(&plain.stdout).into_owned();
        assert!(text.lines().count() > 1, "{aggs}: {text}");
        assert_eq!(text, String::from_utf8_lossy(&rows.stdout), "{aggs} {rest}");
        assert_eq!(String::from_utf8_lossy(&plain.stderr), String::from_utf8_lossy(&rows.stderr), "{aggs}");
    }
    let _ = std::fs::remove_dir_all(&root);
}
