//! `esql test`: rule tests. A `NAME.test.toml` beside a rule names the query, the data (a
//! directory, or documents inline per index), a pinned `now`, and what must come out:
//!
//! ```toml
//! # why this expectation holds
//! query = "NAME.esql"              # default: NAME.esql, else NAME.toml, beside this file
//! now = "2025-07-30T12:00:00Z"
//! data = "../tests/fixtures/seed"  # or [[index]] tables with name and docs (NDJSON)
//! [expect]
//! alerts = 3                       # or no_alert = true
//! rows = [ { "Esql.source_ip" = "81.2.69.142", "Esql.event_count" = 2 } ]   # column subset
//! ```

use crate::engine::{Engine, QueryError};
use crate::io::OnError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One test's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// The test file.
    pub file: PathBuf,
    /// `None` when it passed; the reason otherwise.
    pub failure: Option<String>,
}

/// Every `*.test.toml` under the given files or folders (searched through subfolders), sorted.
pub fn find(paths: &[PathBuf]) -> Vec<PathBuf> {
    crate::authoring::query_file::walk(paths, &|p| p.to_string_lossy().ends_with(".test.toml"))
}

/// The rule a `NAME.test.toml` tests when it names none: `NAME.esql`, else `NAME.toml`
/// (the detection-rules layout, a test beside its rule).
pub fn rule_beside(test: &Path) -> PathBuf {
    let name = test.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name.strip_suffix(".test.toml").unwrap_or(&name);
    let dir = test.parent().unwrap_or(Path::new("."));
    let esql = dir.join(format!("{stem}.esql"));
    if esql.is_file() {
        esql
    } else {
        dir.join(format!("{stem}.toml"))
    }
}

fn canonical(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => crate::types::text_form::format_double(*f),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// A test file, strictly: a misspelt key or a wrongly typed value is an error, never a
/// silently passing test.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    query: Option<String>,
    now: Option<String>,
    /// Query parameters: `?name` takes the value (`{identifier = "f"}` a column name).
    #[serde(default)]
    params: std::collections::BTreeMap<String, serde_json::Value>,
    data: Option<String>,
    #[serde(default)]
    index: Vec<InlineIndex>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InlineIndex {
    name: String,
    #[serde(default)]
    docs: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    alerts: Option<u64>,
    no_alert: Option<bool>,
    rows: Option<Vec<toml::Table>>,
}

/// A folder of inline documents under the system's temporary folder, removed when dropped.
pub struct Sandbox(PathBuf);

impl Sandbox {
    fn new() -> Result<Sandbox, String> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("esql-test-{}-{k}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Sandbox(dir))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether Elasticsearch would accept `name` as an index name; such a name is also a plain
/// file name that stays inside the sandbox.
fn valid_index_name(name: &str) -> bool {
    const BAD: &[char] = &['\\', '/', '*', '?', '"', '<', '>', '|', ',', '#', ':', ' '];
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.starts_with(['-', '_', '+'])
        && !name.chars().any(|c| c.is_uppercase() || c.is_control() || BAD.contains(&c))
}

/// Writes inline `[[index]]` documents to a fresh sandbox, with the mapping file
/// `NAME.mapping.json` beside the test (`dir`) when there is one: its fields are then known
/// without a document holding them.
fn inline_data(indices: &[InlineIndex], dir: &Path) -> Result<Sandbox, String> {
    let sandbox = Sandbox::new()?;
    for ix in indices {
        if !valid_index_name(&ix.name) {
            return Err(format!(
                "[[index]] name {:?} is not a valid index name: lowercase, none of \\ / * ? \" < > | , # : or space, \
                 not starting with - _ +, not . or ..",
                ix.name
            ));
        }
        let path = sandbox.0.join(format!("{}.ndjson", ix.name));
        std::fs::write(&path, &ix.docs).map_err(|e| format!("{}: {e}", path.display()))?;
        let mapping = dir.join(format!("{}.mapping.json", ix.name));
        if mapping.is_file() {
            let to = sandbox.0.join(format!("{}.mapping.json", ix.name));
            std::fs::copy(&mapping, &to).map_err(|e| format!("{}: {e}", mapping.display()))?;
        }
    }
    Ok(sandbox)
}

/// Runs one test file.
pub fn run(file: &Path, params: &crate::syntax::Params) -> TestResult {
    TestResult { file: file.to_path_buf(), failure: run_inner(file, params).err() }
}

/// What a test file names: the query, the data directory, and the pinned `now`.
pub struct Fixture {
    /// The test's query text.
    pub query: crate::authoring::query_file::QueryText,
    /// The data directory (inline documents are written to a sandbox).
    pub data: PathBuf,
    /// The pinned `now`, epoch milliseconds.
    pub now_ms: Option<i64>,
    /// The query's parameters (`[params]`).
    pub params: crate::syntax::Params,
    expect: Expect,
    /// Inline documents live as long as the fixture.
    _sandbox: Option<Sandbox>,
}

/// Reads a `NAME.test.toml`: also how `esql explain` traces an event of a test's fixture.
pub fn load(file: &Path) -> Result<Fixture, String> {
    let text = crate::authoring::query_file::read_text(file)?;
    let spec: Spec = crate::authoring::query_file::parse_toml(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let query_file = spec.query.as_deref().map_or_else(|| rule_beside(file), |q| dir.join(q));
    // Only query files: the error for another file would show its first line.
    if !query_file.extension().is_some_and(|e| e == "esql" || e == "toml") {
        return Err(format!("{}: query must name a .esql or .toml file", file.display()));
    }
    let queries = crate::authoring::query_file::load(Some(&query_file))?;
    let query = queries.into_iter().next().ok_or("the query file holds no query")?;
    let (data, sandbox) = match (&spec.data, spec.index.is_empty()) {
        (Some(_), false) => {
            return Err(format!("{}: give data = \"DIR\" or [[index]] tables, not both", file.display()))
        }
        (Some(d), true) => (dir.join(d), None),
        (None, false) => {
            let sandbox = inline_data(&spec.index, dir).map_err(|e| format!("{}: {e}", file.display()))?;
            (sandbox.0.clone(), Some(sandbox))
        }
        (None, true) => return Err(format!("{}: give data = \"DIR\" or [[index]] tables", file.display())),
    };
    let now_ms = match &spec.now {
        Some(now) => Some(crate::engine::parse_now(now)?),
        None => None,
    };
    let e = &spec.expect;
    if e.alerts.is_none() && e.no_alert.is_none() && e.rows.is_none() {
        return Err(format!("{}: [expect] needs alerts = N, no_alert = true or rows = [...]", file.display()));
    }
    let mut params = crate::syntax::Params::default();
    for (name, v) in &spec.params {
        params.named.push((
            name.clone(),
            crate::params::value(v).map_err(|e| format!("{}: [params] {name}: {e}", file.display()))?,
        ));
    }
    Ok(Fixture { query, data, now_ms, params, expect: spec.expect, _sandbox: sandbox })
}

fn run_inner(file: &Path, params: &crate::syntax::Params) -> Result<(), String> {
    let fx = load(file)?;
    let mut engine = Engine::open(&fx.data, OnError::Fail);
    engine.now_ms = fx.now_ms;
    engine.ecs_mapped = true;
    // The file's parameters, then those of the command line over them.
    engine.params = fx.params.overlay(params);
    let out = engine.query(&fx.query.text).map_err(|e| match e {
        QueryError::Query(d) => crate::diagnostic::render_all(&d, &fx.query.text),
        QueryError::Runtime(e) => e.to_string(),
    })?;
    check(&fx.expect, &out.result)
}

fn check(expect: &Expect, result: &crate::exec::QueryResult) -> Result<(), String> {
    let n = result.num_rows();
    let mut errors = Vec::new();
    match expect.no_alert {
        Some(true) if n != 0 => errors.push(format!("expected no alert, got {n} row(s)")),
        Some(false) if n == 0 => errors.push("expected an alert (no_alert = false), got no rows".into()),
        _ => {}
    }
    if let Some(want) = expect.alerts.filter(|&w| w != n as u64) {
        errors.push(format!("expected {want} alert(s), got {n}"));
    }
    let actual: Vec<Vec<(String, String)>> = crate::output::rows(result)
        .iter()
        .map(|r| result.columns.iter().zip(r).map(|(c, v)| (c.name.clone(), v.render())).collect())
        .collect();
    let want: Vec<Vec<(String, String)>> =
        expect.rows.iter().flatten().map(|w| w.iter().map(|(k, v)| (k.clone(), canonical(v))).collect()).collect();
    let rows = crate::authoring::rule_diff::diff(&want, &actual);
    match (rows, errors.is_empty()) {
        (None, true) => Ok(()),
        (Some(rows), _) => Err(errors.into_iter().chain([rows]).collect::<Vec<_>>().join("\n")),
        // A count that differs shows the rows too, when there are any.
        (None, false) => {
            let listed = (!actual.is_empty()).then(|| crate::authoring::rule_diff::listing(&actual));
            Err(errors.into_iter().chain(listed).collect::<Vec<_>>().join("\n"))
        }
    }
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
