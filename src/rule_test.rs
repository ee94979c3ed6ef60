//! `esql test`: rule tests. A `NAME.test.toml` beside a rule names the query, the data (a
//! directory, or documents inline per index), a pinned `now`, and what must come out:
//!
//! ```toml
//! # why this expectation holds
//! query = "NAME.esql"              # default: NAME.esql beside this file
//! now = "2025-07-30T12:00:00Z"
//! data = "../tests/fixtures/seed"  # or [[index]] tables with name and docs (NDJSON)
//! [expect]
//! alerts = 3                       # or no_alert = true
//! rows = [ { "Esql.source_ip" = "81.2.69.142", "Esql.event_count" = 2 } ]   # column subset
//! ```

use crate::engine::{Engine, QueryError};
use crate::io::OnError;
use std::path::{Path, PathBuf};

/// One test's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// The test file.
    pub file: PathBuf,
    /// `None` when it passed; the reason otherwise.
    pub failure: Option<String>,
}

/// Every `*.test.toml` under the given files or folders, sorted.
pub fn find(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(p) {
                let mut found: Vec<PathBuf> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|f| f.to_string_lossy().ends_with(".test.toml"))
                    .collect();
                found.sort();
                out.extend(found);
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn canonical(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => crate::types::convert::format_double(*f),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// Writes inline `[[index]]` documents to a fresh directory.
fn inline_data(spec: &toml::Table, file: &Path) -> Result<Option<PathBuf>, String> {
    let Some(toml::Value::Array(indices)) = spec.get("index") else { return Ok(None) };
    let stem = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("esql-test-{}-{stem}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for ix in indices {
        let name = ix.get("name").and_then(|v| v.as_str()).ok_or("[[index]] needs a name")?;
        let docs = ix.get("docs").and_then(|v| v.as_str()).unwrap_or("");
        std::fs::write(dir.join(format!("{name}.ndjson")), docs).map_err(|e| e.to_string())?;
    }
    Ok(Some(dir))
}

/// Runs one test file.
pub fn run(file: &Path) -> TestResult {
    TestResult { file: file.to_path_buf(), failure: run_inner(file).err() }
}

/// What a test file names: the query, the data directory, and the pinned `now`.
pub struct Fixture {
    /// The test's query text.
    pub query: crate::query_file::QueryText,
    /// The data directory (inline documents are written to a fresh one).
    pub data: PathBuf,
    /// The pinned `now`, epoch milliseconds.
    pub now_ms: Option<i64>,
    spec: toml::Table,
}

/// Reads a `NAME.test.toml`: also how `esql explain` traces an event of a test's fixture.
pub fn load(file: &Path) -> Result<Fixture, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let spec: toml::Table =
        text.parse().map_err(|e: toml::de::Error| format!("{}: {}", file.display(), e.message()))?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let default_query =
        file.file_name().map(|n| n.to_string_lossy().replace(".test.toml", ".esql")).unwrap_or_default();
    let query_file = dir.join(spec.get("query").and_then(|v| v.as_str()).unwrap_or(&default_query));
    let queries = crate::query_file::load(Some(&query_file))?;
    let query = queries.into_iter().next().ok_or("the query file holds no query")?;
    let data = match inline_data(&spec, file)? {
        Some(d) => d,
        None => dir.join(spec.get("data").and_then(|v| v.as_str()).ok_or("give data = \"DIR\" or [[index]] tables")?),
    };
    let now_ms = match spec.get("now").and_then(|v| v.as_str()) {
        Some(now) => Some(crate::cli::parse_now(now)?),
        None => None,
    };
    Ok(Fixture { query, data, now_ms, spec })
}

fn run_inner(file: &Path) -> Result<(), String> {
    let fx = load(file)?;
    let mut engine = Engine::open(&fx.data, OnError::Fail);
    engine.now_ms = fx.now_ms;
    let out = engine.query(&fx.query.text).map_err(|e| match e {
        QueryError::Query(d) => crate::diagnostic::render_all(&d, &fx.query.text),
        QueryError::Runtime(e) => e,
    })?;
    check(&fx.spec, &out.result)
}

fn check(spec: &toml::Table, result: &crate::exec::QueryResult) -> Result<(), String> {
    let expect = spec.get("expect").and_then(|v| v.as_table()).ok_or("missing [expect]")?;
    let n = result.num_rows();
    if expect.get("no_alert").and_then(|v| v.as_bool()) == Some(true) && n != 0 {
        return Err(format!("expected no alert, got {n} row(s)"));
    }
    if let Some(want) = expect.get("alerts").and_then(|v| v.as_integer()) {
        if want != n as i64 {
            return Err(format!("expected {want} alert(s), got {n}"));
        }
    }
    let Some(toml::Value::Array(rows)) = expect.get("rows") else { return Ok(()) };
    let actual: Vec<Vec<(String, String)>> = crate::output::rows(result)
        .iter()
        .map(|r| result.columns.iter().zip(r).map(|(c, v)| (c.name.clone(), v.render())).collect())
        .collect();
    for want in rows {
        let want = want.as_table().ok_or("rows are tables of column = value")?;
        let found =
            actual.iter().any(|row| want.iter().all(|(k, v)| row.iter().any(|(n, a)| n == k && *a == canonical(v))));
        if !found {
            let shown: Vec<String> = actual
                .iter()
                .map(|r| r.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(", "))
                .collect();
            return Err(format!("no row matches {want}\n  rows:\n    {}", shown.join("\n    ")));
        }
    }
    Ok(())
}

/// JUnit XML for CI systems.
pub fn junit(results: &[TestResult]) -> String {
    let failures = results.iter().filter(|r| r.failure.is_some()).count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"esql\" tests=\"{}\" failures=\"{failures}\">\n",
        results.len()
    );
    for r in results {
        let name = xml_escape(&r.file.display().to_string());
        match &r.failure {
            None => out.push_str(&format!("  <testcase name=\"{name}\"/>\n")),
            Some(f) => out.push_str(&format!(
                "  <testcase name=\"{name}\"><failure message=\"{}\"/></testcase>\n",
                xml_escape(f)
            )),
        }
    }
    out.push_str("</testsuite>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
