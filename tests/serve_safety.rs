//! `esql serve`'s guards: HTTPS with `--tls-cert`/`--tls-key` (a certificate made here, a
//! client that checks it: curl with it as its CA; plain HTTP on the port gets no answer), and
//! `--query-timeout` (a query over generated data past the limit gets ES's 429
//! `elasticsearch_timeout_exception`, sync and async; the next one runs), and the async
//! stop: a query stopped while it runs answers with what it read, `is_partial: true`.

mod common;

use common::server::{post_json, start, try_request};
use std::path::PathBuf;
use std::process::Command;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-safety-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A folder of `events` documents `esql gen` made.
fn generated(name: &str, events: &str) -> PathBuf {
    let dir = temp(name);
    let gen = Command::new(env!("CARGO_BIN_EXE_esql")).args(["gen", "--events", events, "--out"]).arg(&dir).output();
    assert!(gen.expect("esql gen").status.success());
    dir
}

#[test]
fn https_with_a_certificate_the_client_checks() {
    let dir = temp("tls");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("a certificate");
    let (cert_file, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_file, cert.cert.pem()).expect("cert");
    std::fs::write(&key_file, cert.signing_key.serialize_pem()).expect("key");
    let data = std::path::Path::new("examples/data");
    let s = start(
        data,
        &["--tls-cert", cert_file.to_str().expect("utf-8"), "--tls-key", key_file.to_str().expect("utf-8")],
    );
    let url = format!("https://localhost:{}/_query?format=csv", s.port);
    let out = Command::new("curl")
        .args(["-sS", "--cacert"])
        .arg(&cert_file)
        .args(["-H", "content-type: application/json", "-d", r#"{"query": "FROM logs-* | STATS n = COUNT(*)"}"#, &url])
        .output()
        .expect("curl (the test script installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\r\n1463\r\n");
    // A client that does not trust the certificate stops at the handshake.
    let untrusted = Command::new("curl").args(["-sS", &url]).output().expect("curl");
    assert!(!untrusted.status.success());
    // Plain HTTP on a TLS port gets no HTTP answer.
    assert!(try_request(s.port, "GET", "/", &[], "").is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_certificate_files_stop_the_start() {
    let dir = temp("badtls");
    let bad = dir.join("empty.pem");
    std::fs::write(&bad, "").expect("file");
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["serve", "--data", "examples/data", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&bad)
        .arg("--tls-key")
        .arg(&bad)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("esql serve");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no certificate"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_query_past_the_timeout_is_cancelled() {
    let dir = generated("timeout", "30000");
    let s = start(&dir, &["--query-timeout", "1ms"]);
    let slow = r#"{"query": "FROM logs-* | STATS n = COUNT_DISTINCT(user.name) BY source.ip | SORT n DESC | LIMIT 5"}"#;
    for path in ["/_query", "/_query/async"] {
        let r = post_json(s.port, path, slow);
        assert_eq!(r.status, 429, "{path}: {}", r.body);
        assert_eq!(r.json()["error"]["type"], "elasticsearch_timeout_exception");
        assert!(r.json()["error"]["reason"].as_str().is_some_and(|t| t.contains("--query-timeout (1ms)")));
    }
    // The limit is per query: a quick one still answers.
    let r = post_json(s.port, "/_query", r#"{"query": "ROW a = 1"}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_stopped_query_answers_with_what_it_read() {
    let dir = generated("stop", "60000");
    let s = start(&dir, &[]);
    let all = post_json(s.port, "/_query", r#"{"query": "FROM logs-* | STATS n = COUNT(*)"}"#).json()["values"][0][0]
        .as_u64()
        .expect("a count");
    // Hashing every row keeps the query busy for a while (about 150 ms here).
    let slow = r#"{"query": "FROM logs-* | EVAL h = SHA256(CONCAT(user.name, TO_STRING(@timestamp))) | STATS n = COUNT(*), d = COUNT_DISTINCT(h)",
        "wait_for_completion_timeout": "0ms", "keep_on_completion": true}"#;
    let submitted = post_json(s.port, "/_query/async", slow).json();
    assert_eq!(submitted["is_running"], true, "{submitted}");
    let id = submitted["id"].as_str().expect("an id");
    let stopped = post_json(s.port, &format!("/_query/async/{id}/stop"), "").json();
    assert_eq!(
        (&stopped["is_running"], &stopped["is_partial"]),
        (&serde_json::json!(false), &serde_json::json!(true)),
        "{stopped}"
    );
    let n = stopped["values"][0][0].as_u64().expect("a count");
    assert!(n < all, "{n} of {all} rows counted before the stop");
    // Stopping a finished query answers it as it is.
    let again = post_json(s.port, &format!("/_query/async/{id}/stop"), "").json();
    assert_eq!(again["values"], stopped["values"]);
    let _ = std::fs::remove_dir_all(dir);
}
