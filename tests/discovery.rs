//! The first query over new files: a query that names its fields is planned from a sample of
//! the documents (no discovery pass, nothing cached), and answers exactly as a full discovery
//! does, including when documents after the sample change a field's type, hold a field the
//! sample lacks, or no document holds it. Each case runs cold, with two threads and one,
//! against `ESQL_DISCOVERY=full`; the cache directory says whether a full discovery ran.

use std::path::Path;
use std::process::Command;

/// (query, more arguments, whether the run needs every field: a full discovery, cached).
const CASES: &[(&str, &[&str], bool)] = &[
    // Named ECS and sampled fields: the sample is enough.
    ("FROM logs | STATS c = count(*) BY host.name | SORT host.name", &[], false),
    ("FROM logs | WHERE event.action == \"a1\" | STATS c = count(*)", &[], false),
    // An ECS field only the last document holds: the scan finds it.
    ("FROM logs | WHERE source.ip IS NOT NULL | KEEP host.name, source.ip", &[], false),
    // With the time filter applied while decoding.
    (
        "FROM logs | WHERE @timestamp > \"2025-01-01T00:00:00Z\" | STATS c = count(*) BY host.name | SORT host.name",
        &[],
        false,
    ),
    // `n` is a long in the sample and 1.5 in the last document: planned again as a double.
    ("FROM logs | STATS s = sum(n), c = count(*)", &[], true),
    // A field neither ECS nor the sample knows: planned again with every field.
    ("FROM logs | WHERE late == \"x\" | KEEP n, late", &[], true),
    // No document holds it: Elasticsearch's error, as a full discovery gives it.
    ("FROM logs | WHERE destination.ip IS NOT NULL | KEEP host.name", &[], true),
    ("FROM logs | WHERE nope == 1", &[], true),
    // Under SET unmapped_fields="nullify", a field the sample lacks is null only when no
    // document holds it: planned again with every field either way.
    ("SET unmapped_fields=\"nullify\"; FROM logs | WHERE late == \"x\" | KEEP n, late", &[], true),
    ("SET unmapped_fields=\"nullify\"; FROM logs | WHERE nope IS NULL | STATS c = count(*)", &[], true),
    // Every column, or columns a pattern picks: every field is needed.
    ("FROM logs | SORT n | LIMIT 2", &[], true),
    ("FROM logs | KEEP host.* | LIMIT 1", &[], true),
    // Two indices, `n` a keyword in the other one.
    ("FROM logs, other | STATS c = count(*) BY host.name | SORT host.name | LIMIT 3", &[], false),
    ("FROM logs, other | WHERE n == \"text\" | KEEP host.name", &[], true),
    // A time range on the command line filters on @timestamp, which the query need not name.
    ("FROM logs | STATS c = count(*) BY host.name | SORT host.name", &["--from", "2025-01-02T00:00:00Z"], false),
];

fn write_data(dir: &Path) {
    let mut logs = String::new();
    // Over 1 MiB, so that the last documents are past the sample.
    for i in 0..30_000 {
        logs.push_str(&format!(
            "{{\"@timestamp\":\"2025-01-0{}T00:00:00Z\",\"host\":{{\"name\":\"h{}\"}},\"event\":{{\"action\":\"a{}\"}},\"n\":{i}}}\n",
            1 + i % 3,
            i % 7,
            i % 3
        ));
    }
    logs.push_str("{\"@timestamp\":\"2025-01-03T00:00:00Z\",\"host\":{\"name\":\"late\"},\"n\":1.5,\"late\":\"x\",\"source\":{\"ip\":\"10.0.0.1\"}}\n");
    std::fs::write(dir.join("logs.ndjson"), logs).expect("write logs");
    std::fs::write(dir.join("other.ndjson"), "{\"host\":{\"name\":\"o1\"},\"n\":\"text\"}\n").expect("write other");
}

/// (exit code, stdout, stderr) of a cold run, and whether it left a discovery in the cache.
fn run(
    data: &Path,
    (query, args): (&str, &[&str]),
    threads: &str,
    full: bool,
) -> ((Option<i32>, String, String), bool) {
    let cache = data.join("_cache");
    let _ = std::fs::remove_dir_all(&cache);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esql"));
    cmd.args(["run", "-e", query, "--data"]).arg(data).args(["--format", "csv", "--threads", threads]).args(args);
    cmd.env("ESQL_CACHE_DIR", &cache);
    if full {
        cmd.env("ESQL_DISCOVERY", "full");
    } else {
        cmd.env_remove("ESQL_DISCOVERY");
    }
    let out = cmd.output().expect("run esql");
    let cached = std::fs::read_dir(&cache).map(|d| d.count() > 0).unwrap_or(false);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    ((out.status.code(), text(&out.stdout), text(&out.stderr)), cached)
}

#[test]
fn a_query_that_names_its_fields_needs_no_discovery_pass_and_answers_the_same() {
    let data = std::env::temp_dir().join(format!("esql-discovery-{}", std::process::id()));
    std::fs::create_dir_all(&data).expect("data dir");
    write_data(&data);
    let mut failures = Vec::new();
    for (query, args, needs_all) in CASES {
        let (expected, _) = run(&data, (query, args), "2", true);
        for threads in ["2", "1"] {
            let (got, cached) = run(&data, (query, args), threads, false);
            if got != expected {
                failures.push(format!("{query} (--threads {threads}):\n got {got:?}\n want {expected:?}"));
            }
            if cached != *needs_all {
                failures
                    .push(format!("{query} (--threads {threads}): full discovery ran: {cached}, expected {needs_all}"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&data);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
