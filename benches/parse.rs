//! Parses every query of the rule corpus (`../shared/rules/esql-rules.jsonl`).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn corpus() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/rules/esql-rules.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} not found");
        return vec![];
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("note").is_none())
        .filter_map(|v| v.get("query").and_then(|q| q.as_str()).map(str::to_string))
        .collect()
}

fn bench_parse(c: &mut Criterion) {
    let queries = corpus();
    c.bench_function(&format!("parse rule corpus ({} queries)", queries.len()), |b| {
        b.iter(|| {
            for q in &queries {
                let _ = black_box(esql::syntax::parse(black_box(q)));
            }
        })
    });
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
