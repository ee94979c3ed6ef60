//! Results do not depend on the number of decoding threads, nor on the storage format:
//! generated data is queried with --threads 1 and 2, as NDJSON, gzipped NDJSON, Parquet and
//! Arrow, and every answer must be byte-identical.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn esql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ESQL_CACHE_DIR", std::env::temp_dir().join(format!("esql-threads-cache-{}", std::process::id())))
        .output()
        .expect("run esql")
}

fn ok(out: Output) -> Output {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

const RULE: &str = "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql";
const QUERIES: &[&str] = &[
    "FROM logs-*, .alerts-* METADATA _id | SORT @timestamp DESC, _id | LIMIT 50 | KEEP _id, @timestamp, source.ip, event.category",
    "FROM logs-* METADATA _index | STATS n = count(*), ips = count_distinct(source.ip), c = values(event.category) BY _index, event.outcome | SORT _index, event.outcome",
    "FROM logs-* METADATA _id | WHERE event.action == \"MailItemsAccessed\" | KEEP _id, source.ip, user.name | LIMIT 40",
    // No SORT: groups come in first-seen order, which merging the workers' states restores.
    "FROM logs-*, .alerts-* | WHERE event.outcome != \"failure\" | STATS n = count(*), ips = count_distinct(source.ip), d = values(event.dataset) BY user.name | LIMIT 40",
    "FROM logs-* | STATS n = count(*), earliest = min(@timestamp), latest = max(@timestamp) BY source.ip | LIMIT 40",
    // Warnings: the first 20 failures per expression, in row order, whatever thread saw them
    // (the WHERE reads `m`, so it cannot run before the EVAL).
    "FROM logs-* METADATA _id | EVAL n = to_long(user.name), m = to_ip(event.action) | WHERE event.category == \"web\" OR m IS NULL | STATS c = count(*), k = count(n)",
    // MV_EXPAND runs on the workers: into a STATS there, and handing its rows on in order.
    "FROM logs-* | MV_EXPAND event.category | STATS n = count(*) BY event.category, event.outcome",
    "FROM logs-* METADATA _id | MV_EXPAND event.type | KEEP _id, event.type | LIMIT 3000",
    // A group per document (over 16k: STATS builds its columns on two threads), and a sum
    // that overflows for those with several categories: warnings in group order.
    "FROM logs-*, .alerts-* METADATA _id | MV_EXPAND event.category | EVAL big = 9223372036854775807 | STATS s = sum(big), n = count(*) BY _id | SORT n DESC, _id | LIMIT 30",
];

fn answers(data: &Path, threads: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let rule = ok(esql(&["run", RULE, "--data", path(data), "--now", "2025-07-30T12:00:00Z", "--threads", threads]));
    out.push((rule.stdout, rule.stderr));
    for q in QUERIES {
        let r = ok(esql(&["run", "-e", q, "--data", path(data), "--format", "csv", "--threads", threads]));
        out.push((r.stdout, r.stderr));
    }
    out
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn answers_are_byte_identical_across_threads_and_formats() {
    let root: PathBuf = std::env::temp_dir().join(format!("esql-threads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let ndjson = root.join("ndjson");
    // ~20 MB: several 4 MiB chunks per file, so the threads really split files.
    ok(esql(&["gen", "--events", "20000", "--seed", "11", "--out", path(&ndjson)]));
    // Files changed in the last minute are read, older ones mapped: these are made old so
    // that the mapped reads are the ones compared.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    for entry in std::fs::read_dir(&ndjson).expect("list").flatten() {
        std::fs::File::options().write(true).open(entry.path()).and_then(|f| f.set_modified(old)).expect("mtime");
    }
    let one = answers(&ndjson, "1");
    assert!(String::from_utf8_lossy(&one[0].0).lines().count() > 3, "the rule fires on generated data");
    let warned = String::from_utf8_lossy(&one[6].1).into_owned();
    assert!(
        warned.contains("Cannot parse number") && warned.contains("single-value function encountered multi-value"),
        "{warned}"
    );
    assert_eq!(answers(&ndjson, "2"), one, "--threads 2 differs from --threads 1 on NDJSON");

    let gz = root.join("gz");
    std::fs::create_dir_all(&gz).expect("dir");
    for entry in std::fs::read_dir(&ndjson).expect("list").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".ndjson") {
            let bytes = std::fs::read(entry.path()).expect("read");
            let file = std::fs::File::create(gz.join(format!("{name}.gz"))).expect("create");
            let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
            std::io::Write::write_all(&mut enc, &bytes).expect("gzip");
            enc.finish().expect("gzip");
        }
    }
    assert_eq!(answers(&gz, "2"), one, "gzipped NDJSON differs");

    for to in ["parquet", "arrow"] {
        let out = root.join(to);
        ok(esql(&["convert", "--data", path(&ndjson), "--to", to, "--out", path(&out)]));
        assert_eq!(answers(&out, "1"), one, "{to} with one thread differs from NDJSON");
        assert_eq!(answers(&out, "2"), one, "{to} with two threads differs from NDJSON");
    }
    let _ = std::fs::remove_dir_all(&root);
}
