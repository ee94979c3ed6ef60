//! Documents as they come: one document per line under `.ndjson`, `.jsonl` or `.json`, a JSON
//! array of documents, pretty-printed documents, each plain, gzip or zstd, and a file or a
//! `*` pattern given as `--data`. Every shape gives the same rows. Elasticsearch dumps
//! (elasticdump's hit lines, a saved `_search` response) read as their `_source`s, the hits'
//! `_id` and `_index` as metadata.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const ARRAY: &str =
    "[\n  {\"user\": {\"name\": \"alice\"}, \"n\": 1},\n  {\"user\": {\"name\": \"bob\"}, \"n\": 2}\n]\n";
const PRETTY: &str =
    "{\n  \"user\": {\"name\": \"alice\"},\n  \"n\": 1\n}\n{\n  \"user\": {\"name\": \"bob\"},\n  \"n\": 2\n}\n";
const LINES: &str = "{\"user\": {\"name\": \"alice\"}, \"n\": 1}\n{\"user\": {\"name\": \"bob\"}, \"n\": 2}\n";
/// What elasticdump writes: one hit per line.
const ELASTICDUMP: &str = "{\"_index\":\".ds-logs-a-2025.07.30-000001\",\"_id\":\"h1\",\"_score\":1,\"_source\":{\"user\":{\"name\":\"alice\"},\"n\":1}}\n\
    {\"_index\":\".ds-logs-a-2025.07.30-000001\",\"_id\":\"h2\",\"_score\":1,\"_source\":{\"user\":{\"name\":\"bob\"},\"n\":2}}\n";
/// A `_search` response saved from Kibana's console or curl, pretty-printed.
const SEARCH: &str = r#"{
  "took": 4,
  "timed_out": false,
  "hits": {
    "total": {"value": 2, "relation": "eq"},
    "hits": [
      {"_index": "logs-a", "_id": "h1", "_score": 1.0, "_source": {"user": {"name": "alice"}, "n": 1}},
      {"_index": "logs-a", "_id": "h2", "_score": 1.0, "_source": {"user": {"name": "bob"}, "n": 2}}
    ]
  }
}
"#;

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("esql-shapes-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn gzip(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).expect("gzip");
    e.finish().expect("gzip")
}

/// The rows of `FROM * | KEEP n, user.name | SORT n` over `--data data`, as CSV.
fn rows(data: &Path) -> String {
    query(data, "FROM * | KEEP n, user.name | SORT n")
}

fn query(data: &Path, query: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["run", "--data", data.to_str().expect("utf-8"), "--format", "csv", "-e", query])
        .output()
        .expect("run esql");
    assert_eq!(out.status.code(), Some(0), "{}: {}", data.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn every_shape_reads_as_the_same_documents() {
    let want = "n,user.name\n1,alice\n2,bob\n";
    let d = dir("each");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("array.json", ARRAY.into()),
        ("pretty.json", PRETTY.into()),
        ("lines.jsonl", LINES.into()),
        ("lines.ndjson", LINES.into()),
        ("array.json.gz", gzip(ARRAY)),
        ("pretty.jsonl.gz", gzip(PRETTY)),
        ("lines.ndjson.zst", zstd::encode_all(LINES.as_bytes(), 3).expect("zstd")),
        ("array.json.zst", zstd::encode_all(ARRAY.as_bytes(), 3).expect("zstd")),
    ];
    for (name, bytes) in &files {
        let path = d.join(name);
        std::fs::write(&path, bytes).expect("write");
        // A file given as --data is a one-index data directory.
        assert_eq!(rows(&path), want, "{name}");
    }
    // A pattern: one index of every file it names (the six .json* files: 6 × 2 documents).
    let out = rows(&d.join("*.json*"));
    assert_eq!(out.lines().count(), 1 + 2 * 6, "{out}");
}

#[test]
fn elasticsearch_dumps_read_as_their_sources() {
    let want = "n,user.name\n1,alice\n2,bob\n";
    let d = dir("dumps");
    for (name, bytes) in [
        ("elasticdump.ndjson", ELASTICDUMP.as_bytes().to_vec()),
        ("elasticdump.json.gz", gzip(ELASTICDUMP)),
        ("search.json", SEARCH.as_bytes().to_vec()),
        ("search-one-line.json", SEARCH.replace('\n', "").into_bytes()),
    ] {
        let path = d.join(name);
        std::fs::write(&path, bytes).expect("write");
        assert_eq!(rows(&path), want, "{name}");
    }
    let meta = "FROM * METADATA _id, _index | KEEP n, _id, _index | SORT n";
    assert_eq!(
        query(&d.join("elasticdump.ndjson"), meta),
        "n,_id,_index\n1,h1,.ds-logs-a-2025.07.30-000001\n2,h2,.ds-logs-a-2025.07.30-000001\n"
    );
    assert_eq!(query(&d.join("search.json"), meta), "n,_id,_index\n1,h1,logs-a\n2,h2,logs-a\n");
    // No `_source.` fields: the wrapper is gone.
    let fields = query(&d.join("elasticdump.ndjson"), "FROM * | LIMIT 0");
    assert!(!fields.contains("_source"), "{fields}");
}

/// (stdout as CSV, stderr) of `query` over `--data data`.
fn query_with_warnings(data: &Path, query: &str) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["run", "--data", data.to_str().expect("utf-8"), "--format", "csv", "-e", query])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run esql");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_duckdb_parquet_reads_as_elasticsearch_maps_its_documents() {
    // tests/fixtures/duckdb/make.sql: structs, a list of structs, a map, a flat dotted
    // column, a decimal, and TIME and BLOB columns.
    let data = Path::new("tests/fixtures/duckdb");
    let (rows, warnings) = query_with_warnings(
        data,
        "FROM logs-duckdb-default | SORT @timestamp \
         | KEEP user.name, user.roles, source.ip, source.geo.country_iso_code, threat.score, labels.env, amount, data_stream.dataset",
    );
    assert_eq!(
        rows,
        "user.name,user.roles,source.ip,source.geo.country_iso_code,threat.score,labels.env,amount,data_stream.dataset\n\
         alice,\"[admin, dev]\",81.2.69.142,GB,\"[7, 9]\",prod,12.5,duckdb\n\
         bob,,2a02:8108::1,DE,,dev,3.25,duckdb\n\
         carol,,,,,,,duckdb\n"
    );
    assert!(warnings.is_empty(), "{warnings}");
    // ECS types apply to columns the file does not type: source.ip (a struct member) and the
    // flat destination.ip are ips.
    let (rows, _) = query_with_warnings(
        data,
        "FROM logs-* | WHERE CIDR_MATCH(destination.ip, \"10.0.0.0/8\") AND CIDR_MATCH(source.ip, \"81.0.0.0/8\") | KEEP user.name",
    );
    assert_eq!(rows, "user.name\nalice\n");
    // What no ES|QL type holds reads as null, and says so.
    let (_, warnings) = query_with_warnings(data, "FROM logs-* | KEEP event.time_of_day, payload");
    assert!(warnings.contains("column [event.time_of_day] is of type Time64(µs), which no ES|QL type holds; its 2 value(s) were read as null"), "{warnings}");
    assert!(warnings.contains("column [payload] is of type Binary"), "{warnings}");
}
