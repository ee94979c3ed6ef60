//! A short run of the cargo-fuzz targets (`fuzz/targets/`) in the ordinary test suite: each
//! target gets its seeds (`fuzz/seeds/`, including inputs that once failed) and then a few
//! seconds of deterministic byte mutations of them. The long, coverage-guided run is
//! `fuzz/run.sh TARGET` (README, "Limits and guarantees").

mod common;

#[path = "../fuzz/targets/mapping.rs"]
mod mapping;
#[path = "../fuzz/targets/ndjson.rs"]
mod ndjson;
#[path = "../fuzz/targets/parser.rs"]
mod parser;

use common::Rng;
use std::time::{Duration, Instant};

/// Bytes that matter to the formats: quotes, brackets, separators, escapes, non-ASCII.
const INTERESTING: &[u8] = b"\"{}[]():,|\\\n0-.eE9 \xff\xc3";

/// One random edit of `input`, sometimes spliced with `other`.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let at = rng.below(out.len() + 1);
    match rng.below(6) {
        0 if !out.is_empty() => {
            let k = rng.below(out.len());
            out[k] ^= 1 << rng.below(8);
        }
        1 => out.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
        2 if !out.is_empty() => {
            let end = (at + rng.below(16)).min(out.len());
            out.drain(at.min(end)..end);
        }
        3 if !out.is_empty() => {
            let (from, len) = (rng.below(out.len()), rng.below(32));
            let piece: Vec<u8> = out[from..(from + len).min(out.len())].to_vec();
            out.splice(at..at, piece);
        }
        4 => {
            let cut = rng.below(other.len() + 1);
            out.truncate(at);
            out.extend_from_slice(&other[cut..]);
        }
        _ => out.push(INTERESTING[rng.below(INTERESTING.len())]),
    }
    out
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("seed folder").flatten().map(|e| e.path()).collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).expect("seed")).collect()
}

/// Every seed, then mutations until `budget` is spent; returns the inputs run.
fn exercise(target: &str, budget: Duration, run: fn(&[u8])) -> usize {
    let seeds = seeds(target);
    assert!(!seeds.is_empty(), "no seeds for {target}");
    seeds.iter().for_each(|s| run(s));
    let (mut rng, started, mut runs) = (Rng(0x9E37_79B9_7F4A_7C15), Instant::now(), seeds.len());
    let mut current = seeds[0].clone();
    while started.elapsed() < budget {
        let other = &seeds[rng.below(seeds.len())];
        current = mutate(&mut rng, &current, other);
        if current.len() > 8192 || rng.below(16) == 0 {
            current = other.clone();
        }
        run(&current);
        runs += 1;
    }
    runs
}

#[test]
fn parser_target_survives_its_seeds_and_mutations() {
    assert!(exercise("parser", Duration::from_secs(4), parser::run) > 1000);
}

#[test]
fn ndjson_target_survives_its_seeds_and_mutations() {
    assert!(exercise("ndjson", Duration::from_secs(4), ndjson::run) > 100);
}

#[test]
fn mapping_target_survives_its_seeds_and_mutations() {
    assert!(exercise("mapping", Duration::from_secs(4), mapping::run) > 100);
}
