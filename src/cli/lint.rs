//! `esql lint`: findings for files and folders of queries, as text with carets, as JSON, or
//! as SARIF 2.1.0 for CI systems and editors.

use crate::authoring::lint::{self, Finding, LINTS};
use crate::authoring::query_file::{self, walk};
use crate::diagnostic::{render_all, Diagnostic, Location};
use serde_json::{json, Value};
use std::path::Path;

/// The data directory to check names against, and whether findings print as text.
type Data<'a> = (Option<&'a crate::io::catalog::DataDir>, bool);

/// One finding with where it stands in its file.
struct Located {
    file: String,
    label: Option<String>,
    finding: Finding,
    /// 1-based line and column of the start and the end, in the file.
    from: (usize, usize),
    to: (usize, usize),
}

pub(super) fn lint_cmd(paths: &[std::path::PathBuf], data: Option<&Path>, format: &str) -> i32 {
    let dir = match data.map(|d| crate::io::catalog::DataDir::open(d, crate::io::OnError::Fail)).transpose() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let named: Vec<&std::path::PathBuf> = paths.iter().filter(|p| !p.is_dir()).collect();
    let (mut code, mut found) = (0, Vec::new());
    for file in walk(paths, &query_file::is_query_file) {
        match query_file::read_walked(&file, named.contains(&&file)) {
            Ok(Some((text, queries))) => {
                let read = Read { file: &file, text: &text, queries: &queries };
                code = code.max(one_file(read, (dir.as_ref(), format == "text"), &mut found));
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("esql: {e}");
                code = code.max(1);
            }
        }
    }
    match format {
        "json" => println!("{}", serde_json::to_string_pretty(&json_of(&found)).unwrap_or_default()),
        "sarif" => println!("{}", serde_json::to_string_pretty(&sarif_of(&found)).unwrap_or_default()),
        _ => {}
    }
    if found.is_empty() {
        code
    } else {
        code.max(1)
    }
}

/// One file as read: its path, text and queries.
struct Read<'a> {
    file: &'a Path,
    text: &'a str,
    queries: &'a [query_file::QueryText],
}

/// Lints one file's queries (and a rule's schedule), printing text findings as it goes.
fn one_file(read: Read<'_>, data: Data<'_>, found: &mut Vec<Located>) -> i32 {
    let Read { file, text, queries } = read;
    let (dir, as_text) = data;
    let name = file.display().to_string();
    let is_toml = query_file::is_toml(file);
    let text_out = |label: &str, findings: &[Finding], src: &str| {
        if as_text && !findings.is_empty() {
            print!("{label}:\n{}\n", lint::render(findings, src));
        }
    };
    let mut code = 0;
    if is_toml && !text.contains("esql-lint: allow lookback") {
        let f = lint::schedule_findings(text);
        text_out(&name, &f, text);
        found.extend(f.into_iter().map(|f| locate(&name, None, f, text, 0)));
    }
    for q in queries {
        let label = q.label.as_ref().map_or_else(|| name.clone(), |l| format!("{name} ({l})"));
        let ast = match crate::syntax::parse(&q.text) {
            Ok(ast) => ast,
            Err(errors) => {
                let diags: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
                eprint!("{label}:\n{}", render_all(&diags, &q.text));
                code = 2;
                continue;
            }
        };
        let findings = lint::unsilenced(with_data(&ast, dir, lint::lint(&ast)), &q.text);
        text_out(&label, &findings, &q.text);
        // Where the query stands in its file (a TOML rule's literal string), for line numbers.
        let base = if is_toml { text.find(q.text.as_str()).unwrap_or(0) } else { 0 };
        found.extend(findings.into_iter().map(|f| locate(&name, q.label.clone(), f, text, base)));
    }
    code
}

/// With a data directory, its fields decide which names are unknown (ECS's near misses go).
fn with_data(
    ast: &crate::syntax::Query,
    dir: Option<&crate::io::catalog::DataDir>,
    mut found: Vec<Finding>,
) -> Vec<Finding> {
    let Some(dir) = dir else { return found };
    let Some(crate::syntax::CommandKind::From(from) | crate::syntax::CommandKind::Ts(from)) =
        ast.commands.first().map(|c| &c.kind)
    else {
        return found;
    };
    let patterns: Vec<String> = from.indices.iter().map(|i| i.index.clone()).collect();
    let Ok(cols) = dir.union_schema(&patterns, &[]) else { return found };
    let known = cols.into_iter().map(|c| c.name).collect();
    found.retain(|f| f.id != "unknown-field");
    found.extend(lint::unknown_in_data(ast, &known, &patterns.join(", ")));
    found.sort_by_key(|f| f.diagnostic.span);
    found
}

fn locate(file: &str, label: Option<String>, finding: Finding, text: &str, base: usize) -> Located {
    let (s, e) = finding.diagnostic.span.unwrap_or((0, 0));
    let at = |offset: usize| {
        let l = Location::of(text, base + offset);
        (l.line, l.col)
    };
    Located { file: file.to_string(), label, from: at(s), to: at(e), finding }
}

fn json_of(found: &[Located]) -> Value {
    Value::Array(
        found
            .iter()
            .map(|l| {
                let d = &l.finding.diagnostic;
                json!({
                    "file": l.file, "query": l.label, "id": l.finding.id, "severity": "warning",
                    "message": d.message, "hint": d.hints.first(), "fix": l.finding.fix,
                    "line": l.from.0, "column": l.from.1, "end_line": l.to.0, "end_column": l.to.1,
                })
            })
            .collect(),
    )
}

fn sarif_of(found: &[Located]) -> Value {
    let rules: Vec<Value> =
        LINTS.iter().map(|(id, what)| json!({"id": id, "shortDescription": {"text": what}})).collect();
    let results: Vec<Value> = found.iter().map(sarif_result).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "esql", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    })
}

fn sarif_result(l: &Located) -> Value {
    let d = &l.finding.diagnostic;
    let region = json!({"startLine": l.from.0, "startColumn": l.from.1, "endLine": l.to.0, "endColumn": l.to.1});
    let artifact = json!({"uri": l.file.replace('\\', "/")});
    let text = match d.hints.first() {
        Some(h) => format!("{} ({h})", d.message),
        None => d.message.clone(),
    };
    let mut result = json!({
        "ruleId": l.finding.id,
        "level": "warning",
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
    });
    if let Some(fix) = &l.finding.fix {
        result["fixes"] = json!([{
            "description": {"text": d.hints.first().cloned().unwrap_or_default()},
            "artifactChanges": [{
                "artifactLocation": artifact,
                "replacements": [{"deletedRegion": region, "insertedContent": {"text": fix}}],
            }],
        }]);
    }
    result
}
