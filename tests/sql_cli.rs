//! `esql sql` and `esql run --engine spark` as a user meets them: the statement printed,
//! refusals at their spot, bad queries, missing flags. (Their answers are checked against
//! DuckDB and Spark in sql_duckdb.rs and sql_spark.rs.)

mod common;

use common::esql;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SEED: &str = "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql";

#[test]
fn the_seed_rule_prints_as_one_statement_per_dialect() {
    for (dialect, setup, table) in [("spark", true, "parquet.`"), ("duckdb", false, "read_parquet('")] {
        let out = esql(&["sql", "--dialect", dialect, "--data", "examples/data", SEED, "--uri", "s3a://lake/x"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let sql = text(&out.stdout);
        assert_eq!(sql.starts_with("SET spark.sql.session.timeZone=UTC;"), setup, "{sql}");
        assert!(sql.contains(&format!("{table}s3a://lake/x/~alerts-security.alerts-default.parquet")), "{sql}");
        assert!(sql.contains("s3a://lake/x/logs-o365.audit-default.parquet"), "{sql}");
        assert!(sql.trim_end().ends_with(';') && sql.contains("WITH s1 AS ("), "{sql}");
        // CIDR blocks as ranges of 16-byte keys; the result's IPs back to text.
        assert!(sql.contains("BETWEEN '00000000000000000000ffff0a000000' AND '00000000000000000000ffff0affffff'"));
    }
}

#[test]
fn what_has_no_translation_is_refused_at_its_spot() {
    let q = "FROM logs-* | WHERE KQL(\"user.name: x\") | STATS c = count(*)";
    let out = esql(&["sql", "--data", "examples/data", "-e", q]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("line 1:21: full-text search (KQL, QSTR, MATCH) has no SQL translation"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn a_bad_query_is_a_usage_error() {
    let out = esql(&["sql", "--data", "examples/data", "-e", "FROM nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Unknown index [nope]"));
}

#[test]
fn run_on_spark_needs_its_server() {
    let out = esql(&["run", "--engine", "spark", "--data", "examples/data", "-e", "FROM logs-* | LIMIT 1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--engine spark needs --spark-remote sc://HOST:PORT"));
    let out =
        esql(&["run", "--engine", "spark", "--spark-remote", "http://x", "--data", "examples/data", "-e", "ROW a = 1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("sc://HOST:PORT") || err.contains("built without Spark support"), "{err}");
}
