//! The SQL translation checked against DuckDB as an oracle: random documents (nulls,
//! missing fields, multi-values) and random queries within the translated subset, each run
//! by `esql` and by DuckDB on its translation over the Parquet `esql convert` writes; the
//! rows must be the same. 1,000 cases by default, `ESQL_SQL_CASES=N` for more; DuckDB comes
//! from the Python environment `scripts/sql.sh` makes (`ESQL_SQL_PYTHON`).

#[path = "sql/compare.rs"]
mod compare;
#[path = "sql/gen.rs"]
mod gen;

use esql::engine::Engine;
use esql::io::OnError;
use esql::sql::Dialect;
use std::path::{Path, PathBuf};

/// The Python with DuckDB, or None (a skip, unless the run requires it).
pub fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p =
        std::env::var_os("ESQL_SQL_PYTHON").map(PathBuf::from).unwrap_or(root.join("target/clients/sql/bin/python"));
    if p.exists() {
        return Some(p);
    }
    assert!(std::env::var("ESQL_REQUIRE_SQL").is_err(), "ESQL_REQUIRE_SQL is set but {} is missing", p.display());
    eprintln!("skipping: no DuckDB Python at {} (scripts/sql.sh installs it)", p.display());
    None
}

struct Case {
    query: String,
    engine: Engine,
    ours: Vec<String>,
}

#[test]
fn random_queries_give_the_same_rows_on_duckdb() {
    let Some(python) = python() else { return };
    let cases: u64 = std::env::var("ESQL_SQL_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let seed: u64 = std::env::var("ESQL_SQL_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(7);
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-duckdb");
    let _ = std::fs::remove_dir_all(&work);
    let sql_dir = work.join("sql");
    std::fs::create_dir_all(&sql_dir).expect("work dir");
    let mut rng = esql::cli::gen::Rng::new(seed);
    let mut run = Vec::new();
    let mut invalid = 0;
    // Documents change every 20 queries.
    for n in 0..cases {
        let data = work.join(format!("data{}", n / 20));
        if n % 20 == 0 {
            write_index(&mut rng, &data);
        }
        let query = gen::query(&mut rng);
        let mut engine = Engine::open(&data.join("pq"), OnError::Fail);
        engine.now_ms = Some(1_753_876_800_000);
        let ours = match engine.query(&query) {
            Ok(out) => compare::rows(&out.result),
            Err(_) => {
                invalid += 1;
                continue;
            }
        };
        let sql = engine
            .translate(&query, Dialect::DuckDb, None)
            .unwrap_or_else(|e| panic!("the generator stays in the translated subset:\n{query}\n{}", e.render(&query)));
        std::fs::write(sql_dir.join(format!("{n:05}.sql")), sql).expect("write sql");
        run.push((n, Case { query, engine, ours }));
    }
    assert!(invalid * 10 < cases, "{invalid} of {cases} generated queries did not plan");
    let status = std::process::Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql/duckdb_oracle.py"))
        .arg(&sql_dir)
        .status()
        .expect("run DuckDB");
    assert!(status.success(), "the DuckDB oracle failed");
    let mut failures = Vec::new();
    for (n, case) in &run {
        let sql = std::fs::read_to_string(sql_dir.join(format!("{n:05}.sql"))).unwrap_or_default();
        if let Ok(err) = std::fs::read_to_string(sql_dir.join(format!("{n:05}.err"))) {
            failures.push(format!("case {n}: DuckDB failed: {err}\n{}\n{sql}", case.query));
            continue;
        }
        let plan = case.engine.plan(&case.query).expect("planned before");
        let batches = read_arrow(&sql_dir.join(format!("{n:05}.arrow")));
        let theirs = esql::sql::result::read(plan.schema(), &batches).map(|r| compare::rows(&r));
        match theirs {
            Ok(theirs) if theirs == case.ours => {}
            Ok(theirs) => failures.push(format!("case {n}:\n{}\n{}", case.query, compare::diff(&case.ours, &theirs))),
            Err(e) => failures.push(format!("case {n}: {e}\n{}", case.query)),
        }
    }
    let shown: Vec<&String> = failures.iter().take(8).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        run.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n\n")
    );
    eprintln!("{} cases agree ({invalid} generated queries did not plan and were left out)", run.len());
}

/// Random documents as index `t` (NDJSON with its mapping), converted to Parquet in `pq/`.
fn write_index(rng: &mut esql::cli::gen::Rng, dir: &Path) {
    let nd = dir.join("nd");
    std::fs::create_dir_all(&nd).expect("data dir");
    let count = 5 + rng.below(26) as usize;
    std::fs::write(nd.join("t.ndjson"), gen::documents(rng, count)).expect("docs");
    std::fs::write(nd.join("t.mapping.json"), gen::MAPPING).expect("mapping");
    let source = esql::io::catalog::DataDir::open(&nd, OnError::Fail).expect("open");
    esql::cli::convert::convert(&source, &dir.join("pq"), esql::cli::convert::Target::Parquet).expect("convert");
}

fn read_arrow(path: &Path) -> Vec<arrow::array::RecordBatch> {
    let file = std::fs::File::open(path).expect("DuckDB's answer");
    let reader = arrow::ipc::reader::FileReader::try_new(file, None).expect("Arrow file");
    reader.map(|b| b.expect("batch")).collect()
}
