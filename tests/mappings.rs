//! Mappings as Elasticsearch has them: a multi-field is a column of its own, valued from its
//! parent through the multi-field's keyword normalizer, in NDJSON and in Parquet alike;
//! values longer than its `ignore_above` are not stored, so they read as missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn esql(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esql")).args(args).env("ESQL_CACHE_DIR", cache).output().expect("run esql")
}

fn csv(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

const MAPPING: &str = r#"{"settings": {"index": {"analysis": {"normalizer": {"shout": {"type": "custom", "filter": ["uppercase"]}}}}},
 "mappings": {"properties": {"@timestamp": {"type": "date"},
   "process": {"properties": {"name": {"type": "keyword", "fields": {
     "caseless": {"type": "keyword", "normalizer": "lowercase"},
     "upper": {"type": "keyword", "normalizer": "shout"},
     "short": {"type": "keyword", "ignore_above": 4}}}}}}}}"#;

const DOCS: &str = r#"{"@timestamp": "2025-01-01T00:00:00Z", "process": {"name": "Curl.EXE"}}
{"@timestamp": "2025-01-01T00:01:00Z", "process": {"name": "curl.exe"}}
{"@timestamp": "2025-01-01T00:02:00Z", "process": {"name": ["Wget", "WGET"]}}
{"@timestamp": "2025-01-01T00:03:00Z", "process": {"name": "bash"}}
"#;

fn fixture(tag: &str) -> (PathBuf, PathBuf) {
    let root = std::env::temp_dir().join(format!("esql-mappings-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let ndjson = root.join("ndjson");
    std::fs::create_dir_all(&ndjson).expect("temp dir");
    std::fs::write(ndjson.join("logs-endpoint.events.process-default.mapping.json"), MAPPING).expect("mapping");
    std::fs::write(ndjson.join("logs-endpoint.events.process-default.ndjson"), DOCS).expect("docs");
    (root, ndjson)
}

#[test]
fn caseless_multi_fields_read_their_normalized_values() {
    let (root, ndjson) = fixture("caseless");
    let cache = root.join("cache");
    let parquet = root.join("parquet");
    let s = |p: &Path| p.to_str().expect("utf-8").to_string();
    csv(&esql(&["convert", "--data", &s(&ndjson), "--to", "parquet", "--out", &s(&parquet)], &cache));
    std::fs::copy(
        ndjson.join("logs-endpoint.events.process-default.mapping.json"),
        parquet.join("logs-endpoint.events.process-default.mapping.json"),
    )
    .expect("copy mapping");
    for data in [&ndjson, &parquet] {
        let rows = "FROM logs-endpoint.events.process-* | SORT @timestamp | KEEP process.name, process.name.caseless, process.name.upper, process.name.short";
        assert_eq!(
            csv(&esql(&["run", "--data", &s(data), "--format", "csv", "-e", rows], &cache)),
            "process.name,process.name.caseless,process.name.upper,process.name.short\n\
             Curl.EXE,curl.exe,CURL.EXE,\n\
             curl.exe,curl.exe,CURL.EXE,\n\
             \"[WGET, Wget]\",wget,WGET,\"[WGET, Wget]\"\n\
             bash,bash,BASH,bash\n",
            "{}",
            data.display()
        );
        // The rule's spelling finds both spellings of the file name; the parent stays exact.
        let count = "FROM logs-endpoint.events.process-* | WHERE process.name.caseless == \"curl.exe\" | STATS c = COUNT(*), exact = COUNT_DISTINCT(process.name)";
        assert_eq!(csv(&esql(&["run", "--data", &s(data), "--format", "csv", "-e", count], &cache)), "c,exact\n2,2\n");
    }
}

#[test]
fn an_unknown_normalizer_is_an_error_naming_the_field() {
    let (root, ndjson) = fixture("unknown");
    let mapping = r#"{"properties": {"x": {"type": "keyword", "normalizer": "nope"}}}"#;
    std::fs::write(ndjson.join("bad.mapping.json"), mapping).expect("mapping");
    std::fs::write(ndjson.join("bad.ndjson"), "{\"x\": \"A\"}\n").expect("docs");
    let out = esql(&["run", "--data", ndjson.to_str().expect("utf-8"), "-e", "FROM bad"], &root.join("cache"));
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("normalizer [nope] not found for field [x]"));
}
