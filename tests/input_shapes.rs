//! Documents as they come: one document per line under `.ndjson`, `.jsonl` or `.json`, a JSON
//! array of documents, pretty-printed documents, each plain, gzip or zstd, and a file or a
//! `*` pattern given as `--data`. Every shape gives the same rows.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const ARRAY: &str =
    "[\n  {\"user\": {\"name\": \"alice\"}, \"n\": 1},\n  {\"user\": {\"name\": \"bob\"}, \"n\": 2}\n]\n";
const PRETTY: &str =
    "{\n  \"user\": {\"name\": \"alice\"},\n  \"n\": 1\n}\n{\n  \"user\": {\"name\": \"bob\"},\n  \"n\": 2\n}\n";
const LINES: &str = "{\"user\": {\"name\": \"alice\"}, \"n\": 1}\n{\"user\": {\"name\": \"bob\"}, \"n\": 2}\n";

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
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args([
            "run",
            "--data",
            data.to_str().expect("utf-8"),
            "--format",
            "csv",
            "-e",
            "FROM * | KEEP n, user.name | SORT n",
        ])
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
