//! The SQL translation on Apache Spark, through Spark Connect (`scripts/sql.sh` starts a
//! local server and sets `ESQL_SPARK_REMOTE`): the seed rule's three texts over 50,000
//! generated events converted to Parquet, and every corpus query the translator takes,
//! over data made for it, give the same rows on Spark as `esql run`.
#![cfg(feature = "spark")]

mod common;
#[path = "sql/compare.rs"]
mod compare;
#[path = "sql/corpus.rs"]
mod corpus;

use esql::engine::Engine;
use esql::io::OnError;
use esql::sql::Dialect;
use std::path::Path;

fn remote() -> Option<String> {
    if let Ok(url) = std::env::var("ESQL_SPARK_REMOTE") {
        return Some(url);
    }
    assert!(std::env::var("ESQL_REQUIRE_SQL").is_err(), "ESQL_REQUIRE_SQL is set but ESQL_SPARK_REMOTE is not");
    eprintln!("skipping: no Spark Connect server (scripts/sql.sh starts one)");
    None
}

/// `query` here and on Spark: Ok(rows) when they agree, Err(what differs) otherwise.
fn same_rows(engine: &Engine, query: &str, url: &str) -> Result<usize, String> {
    let plan = engine.plan(query).map_err(|e| e.render(query))?;
    let ours = compare::rows(&engine.run(plan.clone()).map_err(|e| e.render(query))?.result);
    let sql = engine.translate_plan(&plan, Dialect::Spark, None).map_err(|r| r.to_string())?;
    let batches = esql::spark::run(url, &Dialect::Spark.statements(sql.clone())).map_err(|e| format!("{e}\n{sql}"))?;
    let theirs = compare::rows(&esql::sql::result::read(plan.schema(), &batches)?);
    if theirs == ours {
        Ok(ours.len())
    } else {
        Err(compare::diff(&ours, &theirs))
    }
}

/// A LIMIT that cuts among rows its SORT ties (or without a SORT) keeps any of them, here
/// and on Spark alike: such a query compares with its LIMITs lifted past every row, and
/// with the same number of rows as written.
fn beyond_limits(engine: &Engine, query: &str, url: &str, first: String) -> Result<usize, String> {
    let limit = regex::Regex::new(r"(?i)\|\s*limit\s+\d+").map_err(|e| e.to_string())?;
    let counts = regex::Regex::new(r"^(\d+) rows here, (\d+) there").map_err(|e| e.to_string())?;
    let same_count = counts.captures(&first).is_some_and(|c| c[1] == c[2]);
    if !limit.is_match(query) || !same_count {
        return Err(first);
    }
    let lifted = limit.replace_all(query, "| LIMIT 10000").into_owned();
    same_rows(engine, &lifted, url).map_err(|e| format!("with LIMITs lifted: {e}"))
}

#[test]
fn the_seed_rule_gives_the_same_rows_on_spark() {
    let Some(url) = remote() else { return };
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-spark-seed");
    let _ = std::fs::remove_dir_all(&work);
    let opts = esql::cli::gen::GenOptions { events: 50_000, seed: 1, now_ms: corpus::NOW_MS };
    esql::cli::gen::generate(&opts, &work.join("nd")).expect("gen");
    let source = esql::io::catalog::DataDir::open(&work.join("nd"), OnError::Fail).expect("open");
    esql::cli::convert::convert(&source, &work.join("pq"), esql::cli::convert::Target::Parquet).expect("convert");
    let mut engine = Engine::open(&work.join("pq"), OnError::Fail);
    engine.now_ms = Some(corpus::NOW_MS);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for text in ["verbatim", "case-fixed", "upstream-2026-05-22"] {
        let file = root.join(format!("queries/m365_entra_signin_from_suspicious_source.{text}.esql"));
        let query = std::fs::read_to_string(&file).expect("query");
        match same_rows(&engine, &query, &url) {
            Ok(n) => eprintln!("{text}: {n} rows, the same on Spark"),
            Err(e) => panic!("{text} differs on Spark:\n{e}"),
        }
    }
}

#[test]
fn corpus_queries_give_the_same_rows_on_spark() {
    let Some(url) = remote() else { return };
    let Some(shared) = common::shared_dir() else { return };
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-spark-corpus");
    let _ = std::fs::remove_dir_all(&work);
    let (mut same, mut with_rows, mut failures) = (0, 0, Vec::new());
    for (i, q) in common::rule_corpus(&shared).iter().filter(|q| q.note.is_none()).enumerate() {
        let dir = work.join(format!("q{i:03}"));
        if corpus::build(&q.query, &dir, i as u64).is_err() {
            continue;
        }
        let mut engine = Engine::open(&dir.join("pq"), OnError::Fail);
        engine.now_ms = Some(corpus::NOW_MS);
        let Ok(plan) = engine.plan(&q.query) else { continue };
        if engine.translate_plan(&plan, Dialect::Spark, None).is_err() {
            continue;
        }
        match same_rows(&engine, &q.query, &url).or_else(|e| beyond_limits(&engine, &q.query, &url, e)) {
            Ok(n) => {
                same += 1;
                with_rows += usize::from(n > 0);
            }
            Err(e) => failures.push(format!("{}:\n{}\n{}", q.path, q.query, e.chars().take(1500).collect::<String>())),
        }
    }
    eprintln!("{same} corpus queries give the same rows on Spark ({with_rows} of them with rows)");
    let shown: Vec<&str> = failures.iter().take(5).map(String::as_str).collect();
    assert!(failures.is_empty(), "{} corpus queries differ on Spark:\n{}", failures.len(), shown.join("\n\n"));
    assert!(same >= 200, "only {same} corpus queries ran the same on Spark");
}

/// GROK and DISSECT on Spark over texts made to reach each rule of the translation: a
/// capture that takes no part, a field captured twice, typed captures that do not parse,
/// a multi-valued input, line anchors around a newline, case folding, no match at all.
const EXTRACTIONS: &[&str] = &[
    r#"FROM t | GROK m "%{WORD:w} (?:x=%{INT:n:int})?%{GREEDYDATA:rest}" | KEEP m, w, n, rest"#,
    r#"FROM t | GROK m "%{WORD:a} %{WORD:a}" | KEEP m, a"#,
    r#"FROM t | GROK m "%{NUMBER:d:double} %{WORD:b:boolean} %{NOTSPACE:l:long}" | KEEP m, d, b, l"#,
    r#"FROM t | GROK m "(?i)X=%{INT:n:long}" | KEEP m, n"#,
    r#"FROM t | GROK m "^%{DATA:first}$" | KEEP m, first"#,
    r#"FROM t | GROK m "\n^%{DATA:after}$" | KEEP m, after"#,
    r#"FROM t | GROK m "%{IP:ip}|%{WORD:word}" | STATS c = COUNT(*) BY ip, word"#,
    r#"FROM t | DISSECT m "%{a} %{b}" | KEEP m, a, b"#,
];

const EXTRACTION_TEXTS: &str = r#"{"m": "alpha x=12 tail"}
{"m": "beta tail"}
{"m": ""}
{"m": ["gamma x=99999999999 q", "delta", "eps x=7 z"]}
{"m": null}
{"k": 1}
{"m": "1.5 TRUE 3e2"}
{"m": "-2 false 40 inf"}
{"m": "ÅB X=-4"}
{"m": "line1\nline2 x=5"}
{"m": "10.1.2.3 and more"}
{"m": "tail\n"}
"#;

#[test]
fn grok_and_dissect_give_the_same_rows_on_spark() {
    let Some(url) = remote() else { return };
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-spark-extract");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("nd")).expect("work dir");
    std::fs::write(work.join("nd/t.ndjson"), EXTRACTION_TEXTS).expect("write data");
    let source = esql::io::catalog::DataDir::open(&work.join("nd"), OnError::Fail).expect("open");
    esql::cli::convert::convert(&source, &work.join("pq"), esql::cli::convert::Target::Parquet).expect("convert");
    let engine = Engine::open(&work.join("pq"), OnError::Fail);
    let failures: Vec<String> =
        EXTRACTIONS.iter().filter_map(|q| same_rows(&engine, q, &url).err().map(|e| format!("{q}\n{e}"))).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
