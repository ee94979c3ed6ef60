//! Fuzz target: any bytes as an NDJSON index, read by a few queries that walk every field,
//! the prefilter and a STATS. Errors are fine; panics, hangs and runaway memory are not.

use std::path::PathBuf;
use std::sync::OnceLock;

/// A folder of this process for the index file.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // The field cache would grow by one entry per input.
        std::env::set_var("ESQL_CACHE", "off");
        let d = std::env::temp_dir().join(format!("esql-fuzz-ndjson-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
}

const QUERIES: &[&str] = &[
    "FROM t | LIMIT 50",
    "FROM t | WHERE @timestamp > \"2024-01-01T00:00:00Z\" | STATS c = count(*) BY source.ip",
    "FROM t | EVAL s = to_string(a) | STATS n = count_distinct(s), v = values(a) BY b | SORT n DESC | LIMIT 5",
];

/// One input.
pub fn run(data: &[u8]) {
    let path = dir().join("t.ndjson");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut engine = esql::engine::Engine::open(dir(), esql::io::OnError::Fail);
    engine.set_threads(1);
    engine.now_ms = Some(1_753_876_800_000);
    for q in QUERIES {
        let _ = engine.query(q);
    }
}
