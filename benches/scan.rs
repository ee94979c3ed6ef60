//! The hot kernels of a rule run: the byte scanner over NDJSON lines, timestamp parsing,
//! and the whole case-fixed seed rule over generated data (one thread, Parquet and NDJSON).
//! The side-by-side comparison with DuckDB is `bench/compare.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use esql::io::ndjson::scanner::{scan, Visitor, Want};
use std::hint::black_box;
use std::path::PathBuf;

struct Skip;
impl Visitor for Skip {
    fn want(&mut self, _: u32, _: &[u8]) -> (Want, u32) {
        (Want::Skip, 0)
    }
    fn take(&mut self, _: u32, _: &[u8]) -> bool {
        true
    }
}

fn data() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-bench-scan-{}", std::process::id()));
    let opts = esql::cli::gen::GenOptions { events: 5000, seed: 5, now_ms: 1_753_876_800_000 };
    esql::cli::gen::generate(&opts, &dir.join("ndjson")).expect("generate");
    let engine = esql::engine::Engine::open(&dir.join("ndjson"), esql::io::OnError::Fail);
    let pq = dir.join("parquet");
    esql::cli::convert::convert(engine.data().expect("data"), &pq, esql::cli::convert::Target::Parquet)
        .expect("convert");
    dir
}

fn bench(c: &mut Criterion) {
    let dir = data();
    let text = std::fs::read(dir.join("ndjson/logs-o365.audit-default.ndjson")).expect("read");
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let mut g = c.benchmark_group("kernels");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("scanner: walk every line, take nothing", |b| {
        b.iter(|| {
            for l in &lines {
                let _ = black_box(scan(l, &mut Skip));
            }
        })
    });
    g.finish();
    c.bench_function("parse_date canonical", |b| {
        b.iter(|| esql::types::text_form::parse_date(black_box("2025-07-30T11:36:18.317Z")))
    });
    let rule = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/queries/m365_entra_signin_from_suspicious_source.case-fixed.esql"
    ))
    .expect("rule");
    for format in ["ndjson", "parquet"] {
        let mut engine = esql::engine::Engine::open(&dir.join(format), esql::io::OnError::Fail);
        engine.set_threads(1);
        engine.now_ms = Some(1_753_876_800_000);
        let _ = engine.query(&rule).expect("warm the field cache");
        c.bench_function(&format!("seed rule, 5000 events, {format}, 1 thread"), |b| {
            b.iter(|| engine.query(black_box(&rule)).expect("runs").result.num_rows())
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
