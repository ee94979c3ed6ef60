//! `_bulk` as Elasticsearch answers it: per-item outcomes (created, updated, deleted,
//! not_found, conflicts, data streams taking `create` only, documents refused), whole-body
//! errors, index templates shaping the indices it creates, and the round trip: the example
//! data ingested through `_bulk` into an empty directory answers every query of `queries/`
//! as `esql run` answers it over the original files.

mod common;

use common::server::{bulk, post_json, request, start, Server};
use std::path::{Path, PathBuf};

/// An empty data directory of its own for each test.
fn empty_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-bulk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Each item as `action status result-or-error-type`.
fn outcomes(reply: &serde_json::Value) -> Vec<String> {
    let items = reply["items"].as_array().expect("items");
    items
        .iter()
        .map(|i| {
            let (action, o) = i.as_object().and_then(|o| o.iter().next()).expect("one action");
            let what = o.get("result").or_else(|| o["error"].get("type")).and_then(|v| v.as_str()).unwrap_or("?");
            format!("{action} {} {what}", o["status"])
        })
        .collect()
}

/// Requests in order, each with the outcomes ES gives its items.
const CASES: &[(&str, &[&str])] = &[
    (
        r#"{"index":{"_index":"notes","_id":"1"}}
{"n":1,"text":"first"}
{"create":{"_index":"notes","_id":"1"}}
{"n":2}
{"index":{"_index":"notes","_id":"1"}}
{"n":3,"text":"replaced"}
{"create":{"_index":"notes","_id":"2"}}
{"n":4}
{"delete":{"_index":"notes","_id":"9"}}
{"index":{"_index":"notes"}}
{"n":5}
"#,
        &[
            "index 201 created",
            "create 409 version_conflict_engine_exception",
            "index 200 updated",
            "create 201 created",
            "delete 404 not_found",
            "index 201 created",
        ],
    ),
    (
        r#"{"delete":{"_index":"notes","_id":"2"}}
{"index":{"_index":"notes","_id":"2"}}
{"n":6}
{"create":{"_index":"logs-app-default"}}
{"@timestamp":"2025-07-30T10:00:00Z","message":"up"}
{"index":{"_index":"logs-app-default"}}
{"@timestamp":"2025-07-30T10:00:00Z"}
{"delete":{"_index":"logs-app-default","_id":"x"}}
{"create":{"_index":"logs-app-default"}}
{"message":"no time"}
{"index":{"_index":"Notes"}}
{"n":7}
{"index":{"_index":"../escape"}}
{"n":8}
{"index":{"_index":"notes"}}
{"_id":"inside"}
{"index":{"_index":"notes"}}
[1,2]
{"update":{"_index":"notes","_id":"1"}}
{"doc":{"n":9}}
{"update":{"_index":"notes","_id":"1"}}
{"doc":{"n":9}}
{"update":{"_index":"notes","_id":"404"}}
{"doc":{"n":1}}
{"update":{"_index":"notes","_id":"new"}}
{"doc":{"n":11},"doc_as_upsert":true}
{"update":{"_index":"logs-app-default","_id":"x"}}
{"doc":{"n":1}}
{"index":{"_index":"notes","pipeline":"p"}}
{"n":10}
"#,
        &[
            "delete 200 deleted",
            "index 201 created",
            "create 201 created",
            "index 400 illegal_argument_exception",
            "delete 400 illegal_argument_exception",
            "create 400 document_parsing_exception",
            "index 400 invalid_index_name_exception",
            "index 400 invalid_index_name_exception",
            "index 400 document_parsing_exception",
            "index 400 document_parsing_exception",
            "update 200 updated",
            "update 200 noop",
            "update 404 document_missing_exception",
            "update 201 created",
            "update 400 illegal_argument_exception",
            "index 400 illegal_argument_exception",
        ],
    ),
];

fn rows(s: &Server, query: &str) -> Vec<serde_json::Value> {
    let body = serde_json::json!({ "query": query }).to_string();
    let r = post_json(s.port, "/_query", &body);
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    r.json()["values"].as_array().expect("values").clone()
}

#[test]
fn items_answer_as_elasticsearch() {
    let dir = empty_dir("items");
    let s = start(&dir, &[]);
    for (body, expected) in CASES {
        let r = bulk(s.port, "/_bulk?refresh=true", body);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.header("x-elastic-product"), Some("Elasticsearch"));
        assert_eq!(outcomes(&r.json()), *expected, "{}", r.body);
        assert_eq!(r.json()["errors"], true);
    }
    // What the writes left: doc 1 replaced (version 2), 2 deleted and indexed again, the
    // generated id kept; the data stream's document under its backing index.
    let notes = rows(&s, "FROM notes METADATA _id, _version | KEEP _id, _version, n, text | SORT n");
    let ids: Vec<String> = notes
        .iter()
        .map(|r| {
            format!("{} v{} n={}", r[0].as_str().map_or("?", |i| if i.len() == 20 { "auto" } else { i }), r[1], r[2])
        })
        .collect();
    assert_eq!(ids, ["auto v1 n=5", "2 v1 n=6", "1 v3 n=9", "new v1 n=11"]);
    let logs = rows(&s, "FROM logs-app-default METADATA _index | KEEP _index, message");
    assert_eq!(logs.len(), 1);
    assert!(logs[0][0].as_str().is_some_and(|i| i.starts_with(".ds-logs-app-default-")), "{logs:?}");
    assert!(!dir.join("escape").exists() && !dir.parent().expect("tmp").join("escape").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_body_that_cannot_be_read_is_refused_whole() {
    let dir = empty_dir("body");
    let s = start(&dir, &[]);
    let cases = [
        ("/_bulk", "{\"index\":{\"_index\":\"a\"}}\n{}", "illegal_argument_exception", "terminated by a newline"),
        ("/_bulk", "", "action_request_validation_exception", "no requests added"),
        ("/_bulk", "{\"index\":{}}\n{}\n", "action_request_validation_exception", "index is missing"),
        ("/_bulk", "{\"upsert\":{\"_index\":\"a\"}}\n{}\n", "illegal_argument_exception", "but found [upsert]"),
        (
            "/_bulk",
            "{\"index\":{\"_index\":\"a\",\"x\":1}}\n{}\n",
            "illegal_argument_exception",
            "unknown parameter [x]",
        ),
        ("/_bulk", "not json\n", "illegal_argument_exception", "Malformed action/metadata line [1]"),
        (
            "/_bulk?nope=1",
            "{\"index\":{\"_index\":\"a\"}}\n{}\n",
            "illegal_argument_exception",
            "unrecognized parameter: [nope]",
        ),
    ];
    for (path, body, kind, reason) in cases {
        let r = bulk(s.port, path, body);
        assert_eq!(r.status, 400, "{body:?}: {}", r.body);
        assert_eq!(r.json()["error"]["type"], kind, "{body:?}");
        assert!(r.json()["error"]["reason"].as_str().is_some_and(|t| t.contains(reason)), "{body:?}: {}", r.body);
    }
    // The index in the path is the default; nothing above wrote anything.
    let r = bulk(s.port, "/plain/_bulk", "{\"index\":{\"_id\":\"a\"}}\n{\"x\":1}\n");
    assert_eq!(outcomes(&r.json()), ["index 201 created"]);
    let names: Vec<String> =
        std::fs::read_dir(&dir).expect("dir").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["plain"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn templates_shape_the_indices_bulk_creates() {
    let dir = empty_dir("templates");
    let s = start(&dir, &[]);
    let template = r#"{"index_patterns": ["alerts-*"], "priority": 200, "data_stream": {},
        "template": {"mappings": {"properties": {"code": {"type": "keyword"}, "@timestamp": {"type": "date"}}}}}"#;
    let r = request(s.port, "PUT", "/_index_template/alerts", &[("content-type", "application/json")], template);
    assert_eq!((r.status, r.json()["acknowledged"].clone()), (200, serde_json::json!(true)), "{}", r.body);
    let bad = request(s.port, "PUT", "/_index_template/bad", &[("content-type", "application/json")], "{}");
    assert_eq!(bad.json()["error"]["type"], "action_request_validation_exception");
    let r = bulk(
        s.port,
        "/_bulk",
        "{\"create\":{\"_index\":\"alerts-x\"}}\n{\"@timestamp\":\"2025-07-30T10:00:00Z\",\"code\":42}\n",
    );
    assert_eq!(outcomes(&r.json()), ["create 201 created"], "{}", r.body);
    // `code` is a keyword, as the template says, though the document holds a number.
    let r = post_json(s.port, "/_query", r#"{"query": "FROM alerts-x METADATA _index | KEEP code, _index"}"#);
    let columns = r.json()["columns"].clone();
    assert_eq!(columns[0], serde_json::json!({"name": "code", "type": "keyword"}), "{}", r.body);
    assert!(r.json()["values"][0][1].as_str().is_some_and(|i| i.starts_with(".ds-alerts-x-")));
    // A plain index (no template) takes `index`; the mapping endpoint describes both.
    let r = request(s.port, "GET", "/alerts-x/_mapping", &[], "");
    assert_eq!(r.status, 200, "{}", r.body);
    let _ = std::fs::remove_dir_all(dir);
}

/// The files of `examples/data` as bulk bodies of `create` actions, 500 documents each.
fn bodies(data: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // All of them, `.alerts-security.alerts-default.ndjson` too.
    let mut files: Vec<PathBuf> = std::fs::read_dir(data).expect("examples").flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "ndjson")) {
        let index = file.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        let text = std::fs::read_to_string(file).expect("read");
        let docs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        for chunk in docs.chunks(500) {
            let body: String = chunk.iter().map(|d| format!("{{\"create\":{{}}}}\n{d}\n")).collect();
            out.push((index.clone(), body));
        }
    }
    out
}

#[test]
fn the_examples_round_trip_through_bulk() {
    let dir = empty_dir("round-trip");
    let s = start(&dir, &[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut sent, bodies) = (0, bodies(&root.join("examples/data")));
    let docs: usize = bodies.iter().map(|(_, b)| b.lines().count() / 2).sum();
    for (index, body) in bodies {
        let r = bulk(s.port, &format!("/{index}/_bulk"), &body);
        assert_eq!(
            (r.status, r.json()["errors"].clone()),
            (200, serde_json::json!(false)),
            "{}",
            &r.body[..r.body.len().min(600)]
        );
        sent += r.json()["items"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(sent, docs);
    let (answered, failing) = same_answers_as_run(s.port);
    // The seed rule's case-fixed and upstream texts find their alerts, the three dumps their
    // documents; the two rules over data the examples lack fail on both sides alike.
    assert!(answered >= 5 && failing <= 2, "{answered} answered, {failing} failed");
    let _ = std::fs::remove_dir_all(dir);
}

/// Every query of `queries/` and a dump of each example index, over HTTP on `port` and
/// from `esql run` over `examples/data`: the same CSV, or the same error. Returns how many
/// found rows and how many failed (on both sides).
fn same_answers_as_run(port: u16) -> (usize, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut queries: Vec<PathBuf> =
        std::fs::read_dir(root.join("queries")).expect("queries").flatten().map(|e| e.path()).collect();
    queries.sort();
    let queries: Vec<PathBuf> = queries.into_iter().filter(|q| q.extension().is_some_and(|e| e == "esql")).collect();
    assert!(queries.len() >= 5);
    let (mut answered, mut failing) = (0, 0);
    // Then every document of each index, every field: types and values as the originals.
    let whole: Vec<(PathBuf, String)> =
        ["logs-azure.signinlogs-default", "logs-o365.audit-default", ".alerts-security.alerts-default"]
            .iter()
            .map(|i| (PathBuf::from(i), format!("FROM {i} | LIMIT 10000")))
            .collect();
    let texts = queries.iter().map(|q| (q.clone(), std::fs::read_to_string(q).expect("query"))).chain(whole);
    for (q, text) in texts {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_esql"))
            .args([
                "run",
                "--data",
                "examples/data",
                "--now",
                "2025-07-30T12:00:00Z",
                "--format",
                "csv",
                "--max-rows",
                "10000",
                "-e",
            ])
            .arg(&text)
            .current_dir(root)
            .output()
            .expect("esql run");
        let body = serde_json::json!({ "query": text }).to_string();
        let r = request(port, "POST", "/_query?format=csv", &[("content-type", "application/json")], &body);
        if !run.status.success() {
            // A query the original data cannot answer fails the same way over HTTP.
            let stderr = String::from_utf8_lossy(&run.stderr);
            let first = stderr.lines().next().unwrap_or_default();
            let message = first.split_once(": ").map_or(first, |(_, m)| m);
            assert_eq!(r.status, 400, "{}: {}", q.display(), r.body);
            assert!(
                r.json()["error"]["reason"].as_str().is_some_and(|t| t.contains(message)),
                "{message} / {}",
                r.body
            );
            failing += 1;
            continue;
        }
        assert_eq!(r.status, 200, "{}: {}", q.display(), r.body);
        let local = String::from_utf8_lossy(&run.stdout).replace("\r\n", "\n");
        assert_eq!(r.body.replace("\r\n", "\n"), local, "{}", q.display());
        answered += usize::from(local.lines().count() > 1);
    }
    (answered, failing)
}

/// `esql export --to bulk` over the examples, loaded as a cluster would be loaded (each
/// template with `PUT /_index_template`, each body with `POST /_bulk`), answers as the
/// originals do.
#[test]
fn an_export_loads_through_bulk_and_answers_the_same() {
    let out = empty_dir("export");
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["export", "--to", "bulk", "--data", "examples/data", "--out"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("esql export");
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let dir = empty_dir("export-loaded");
    let s = start(&dir, &[]);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out).expect("out").flatten().map(|e| e.path()).collect();
    files.sort();
    for t in files.iter().filter(|f| f.to_string_lossy().ends_with(".template.json")) {
        let name = t.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".template.json")).expect("name");
        let body = std::fs::read_to_string(t).expect("template");
        let r =
            request(s.port, "PUT", &format!("/_index_template/{name}"), &[("content-type", "application/json")], &body);
        assert_eq!(r.status, 200, "{name}: {}", r.body);
    }
    let mut docs = 0;
    for b in files.iter().filter(|f| f.to_string_lossy().contains(".bulk-")) {
        let r = bulk(s.port, "/_bulk", &std::fs::read_to_string(b).expect("bulk"));
        assert_eq!(r.json()["errors"], false, "{}", &r.body[..r.body.len().min(600)]);
        docs += r.json()["items"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(docs, 1627);
    // The data streams kept their kind: `_index` names the backing index.
    let r = post_json(
        s.port,
        "/_query",
        r#"{"query": "FROM logs-o365.audit-default METADATA _index | KEEP _index | LIMIT 1"}"#,
    );
    assert!(
        r.json()["values"][0][0].as_str().is_some_and(|i| i.starts_with(".ds-logs-o365.audit-default-")),
        "{}",
        r.body
    );
    let (answered, failing) = same_answers_as_run(s.port);
    assert!(answered >= 5 && failing <= 2, "{answered} answered, {failing} failed");
    let _ = std::fs::remove_dir_all(out);
    let _ = std::fs::remove_dir_all(dir);
}

/// A server over data files (not a directory) refuses writes: reading the folder again would
/// take in files nobody asked for.
#[test]
fn a_server_over_files_refuses_writes() {
    let s = start(Path::new("examples/data/logs-o365.audit-default.ndjson"), &[]);
    let r = bulk(s.port, "/notes/_bulk", "{\"index\":{}}\n{\"n\":1}\n");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"]["reason"].as_str().is_some_and(|t| t.contains("--data DIR")), "{}", r.body);
    assert!(!Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/notes").exists());
    let r = post_json(s.port, "/_query", r#"{"query": "FROM * | STATS n = COUNT(*)"}"#);
    assert_eq!(r.json()["values"][0][0], 828);
}
