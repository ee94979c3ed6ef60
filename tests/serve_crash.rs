//! The crash test of `_bulk`: three clients stream bulk requests (new documents, and
//! replacements of documents earlier requests wrote, which rewrite parts) while the server
//! is killed with SIGKILL, three times over. After a restart every document of every request
//! that was answered is there exactly once, a request that was not answered is there whole or
//! not at all, and the index reads without a warning.

mod common;

use common::server::{start, try_request, NDJSON};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DOCS: u64 = 100;

/// Request `req`'s body: its documents, and when `earlier` is some, ten of that request's
/// documents again with `v: 2` (replacing them).
fn body(req: u64, earlier: Option<u64>) -> String {
    let mut out = String::new();
    for k in 0..DOCS {
        out.push_str(&format!("{{\"index\":{{\"_id\":\"{req}-{k}\"}}}}\n{{\"req\":{req},\"k\":{k},\"v\":1}}\n"));
    }
    for k in earlier.iter().flat_map(|e| (0..10).map(move |k| (e, k))) {
        let (e, k) = k;
        out.push_str(&format!("{{\"index\":{{\"_id\":\"{e}-{k}\"}}}}\n{{\"req\":{e},\"k\":{k},\"v\":2}}\n"));
    }
    out
}

/// Sends requests until the server is gone; the answered ones go into `answered`.
fn client(port: u16, next: Arc<AtomicU64>, answered: Arc<Mutex<Vec<u64>>>) {
    loop {
        let req = next.fetch_add(1, Ordering::SeqCst);
        let earlier = answered.lock().expect("lock").last().copied();
        let reply = try_request(port, "POST", "/crash/_bulk", &[("content-type", NDJSON)], &body(req, earlier));
        match reply {
            Ok(r) if r.status == 200 && r.body.contains("\"errors\":false") => answered.lock().expect("lock").push(req),
            Ok(r) => panic!("request {req}: {} {}", r.status, r.body),
            Err(_) => return,
        }
    }
}

#[test]
fn kill_nine_during_bulk_loses_no_answered_document() {
    let dir = std::env::temp_dir().join(format!("esql-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let next = Arc::new(AtomicU64::new(0));
    let answered = Arc::new(Mutex::new(Vec::new()));
    for round in 0..3u64 {
        let server = start(&dir, &[]);
        let clients: Vec<_> = (0..3)
            .map(|_| {
                let (next, answered, port) = (next.clone(), answered.clone(), server.port);
                std::thread::spawn(move || client(port, next, answered))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(400 + 170 * round));
        drop(server); // SIGKILL, mid-stream
        for c in clients {
            c.join().expect("client");
        }
    }
    let answered = answered.lock().expect("lock").clone();
    let sent = next.load(Ordering::SeqCst);
    assert!(answered.len() >= 10, "only {} requests answered", answered.len());
    let server = start(&dir, &[]);
    let query = r#"{"query": "FROM crash | STATS c = COUNT(*), d = COUNT_DISTINCT(k) BY req | LIMIT 10000"}"#;
    let r = try_request(server.port, "POST", "/_query", &[("content-type", "application/json")], query).expect("query");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("warning"), None, "the index reads cleanly");
    let mut found = BTreeMap::new();
    for row in r.json()["values"].as_array().expect("values") {
        found.insert(row[2].as_u64().expect("req"), (row[0].as_u64().expect("c"), row[1].as_u64().expect("d")));
    }
    for req in &answered {
        assert_eq!(found.get(req), Some(&(DOCS, DOCS)), "answered request {req}");
    }
    for (req, counts) in &found {
        assert_eq!(*counts, (DOCS, DOCS), "request {req}: whole or not at all");
    }
    let leftovers: Vec<String> = std::fs::read_dir(dir.join("crash"))
        .expect("index folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!("{sent} requests sent, {} answered, {} found after three kills", answered.len(), found.len());
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
