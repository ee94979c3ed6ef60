//! Fuzz target: any bytes as an index mapping, parsed and then used to read one document.

use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        std::env::set_var("ESQL_CACHE", "off");
        let d = std::env::temp_dir().join(format!("esql-fuzz-mapping-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        let doc = r#"{"a":1,"b":{"c":"x"},"source":{"ip":"10.0.0.1"},"@timestamp":"2025-07-30T12:00:00Z","m":[1,"y"]}"#;
        let _ = std::fs::write(d.join("t.ndjson"), format!("{doc}\n"));
        d
    })
}

/// One input.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if esql::io::catalog::mapping::parse(text).is_err() {
        return;
    }
    if std::fs::write(dir().join("t.mapping.json"), text).is_err() {
        return;
    }
    let mut engine = esql::engine::Engine::open(dir(), esql::io::OnError::Fail);
    engine.set_threads(1);
    let _ = engine.query("FROM t | LIMIT 5");
    let _ = engine.query("FROM t | EVAL x = to_string(a) | STATS c = count(*) BY x");
}
