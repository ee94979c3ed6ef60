//! Every function of the table called with random arguments (columns of every type holding
//! edge values, edge literals, nested calls, the wrong types on purpose) in EVAL, WHERE,
//! SORT and STATS, then pipelines of random commands, bare and under random Query DSL
//! filters and parameters (a request's `filter` and `params`), over one small index:
//! planning and running must answer or fail with an error that renders, and every output
//! format must take what answered, never panicking (the engine turns a panic into an
//! internal error, but it is a bug all the same). `FUNCTION_FUZZ_SECONDS` lengthens the run
//! (default 6 s); the generator is deterministic, `FUNCTION_FUZZ_SEED` picks another
//! sequence. Run it in a debug build too (`cargo test --test function_fuzz`): there integer
//! overflow and a value of the wrong type for its column panic, where a release build
//! would answer a wrong number or a null.

mod common;
#[path = "function_fuzz/generate.rs"]
mod generate;

use common::Rng;
use esql::functions::{all, FunctionDef, Kind};
use generate::{dsl, parameters, pipeline, query, MAPPING, ROWS};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Every panic of the process since the last look, with where it happened: the engine
/// catches a worker thread's panic and answers an error, which must still fail this test.
static PANICS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn record_panics() {
    std::panic::set_hook(Box::new(|info| {
        let why = info.payload().downcast_ref::<&str>().map(|s| s.to_string());
        let why = why.or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut p) = PANICS.lock() {
            p.push(format!("{why} at {at}"));
        }
    }));
}

/// The panics since the last look, and whether a column met a value of another type than
/// its own (a planner bug that a release build answers as a null, where a debug build
/// panics): this binary runs one test, so the process-wide count is this test's.
fn bugs() -> Vec<String> {
    static SEEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut found: Vec<String> =
        PANICS.lock().map(|mut p| p.drain(..).map(|p| format!("panic {p}")).collect()).unwrap_or_default();
    let mistyped = esql::types::column::mistyped_values();
    if SEEN.swap(mistyped, std::sync::atomic::Ordering::Relaxed) != mistyped {
        found.push("a value of the wrong type for its column".to_string());
    }
    found
}

const FORMATS: &[esql::output::Format] = &[
    esql::output::Format::Txt,
    esql::output::Format::Csv,
    esql::output::Format::Tsv,
    esql::output::Format::Json,
    esql::output::Format::Ndjson,
    esql::output::Format::Arrow,
];

/// Runs `next()`'s queries until `budget` is spent (and at least `at_least` of them): how
/// many ran, how many answered (the others failed cleanly), and the panics and the queries
/// slower than two seconds, described.
fn exercise(
    engine: &esql::engine::Engine,
    budget: Duration,
    at_least: usize,
    mut next: impl FnMut(usize) -> String,
) -> (usize, usize, Vec<String>) {
    let (started, mut runs, mut answered, mut failures) = (Instant::now(), 0usize, 0usize, Vec::new());
    while started.elapsed() < budget || runs < at_least {
        let q = next(runs);
        let t0 = Instant::now();
        let _ = catch_unwind(AssertUnwindSafe(|| match engine.query(&q) {
            Ok(out) => {
                answered += 1;
                // Every output format takes every value the query made.
                for format in FORMATS {
                    let _ = esql::output::render(&out.result, *format, 0);
                }
            }
            Err(e) => {
                let _ = e.render(&q);
            }
        }));
        failures.extend(bugs().into_iter().map(|p| format!("{p}: {q}")));
        if t0.elapsed() > Duration::from_secs(2) {
            failures.push(format!("slow {:?}: {q}", t0.elapsed()));
        }
        runs += 1;
    }
    (runs, answered, failures)
}

/// Pipelines under random Query DSL filters and parameters, as `esql serve` runs a request
/// with `filter` and `params`.
fn filtered(
    budget: Duration,
    rng: &mut Rng,
    scalars: &[&FunctionDef],
    aggregates: &[&FunctionDef],
) -> (usize, usize, Vec<String>) {
    let mut engine = common::engine_over("function-fuzz-dsl", &[("t.ndjson", ROWS), ("t.mapping.json", MAPPING)]);
    let (started, mut runs, mut answered, mut failures) = (Instant::now(), 0usize, 0usize, Vec::new());
    while started.elapsed() < budget || runs < 100 {
        let filter = dsl(rng, 0);
        let q = pipeline(rng, scalars, aggregates);
        runs += 1;
        let Ok(Ok(parsed)) = catch_unwind(|| esql::search::dsl::parse(&filter)) else {
            failures.extend(bugs());
            continue;
        };
        engine.filter = Some(parsed);
        let (params, suffix) = parameters(rng);
        let q = format!("{q}{suffix}");
        engine.params = match catch_unwind(|| esql::params::from_request(&params)) {
            Ok(Ok(p)) => p,
            _ => Default::default(),
        };
        let ok = catch_unwind(AssertUnwindSafe(|| engine.query(&q).is_ok()));
        answered += usize::from(ok.unwrap_or(false));
        failures.extend(bugs().into_iter().map(|p| format!("{p}: {q} filtered by {filter}")));
    }
    (runs, answered, failures)
}

/// One test, so that one panic hook watches both generators (tests run on threads of one
/// process, and a hook is process-wide).
#[test]
fn every_function_and_command_answers_or_fails_cleanly_on_edge_inputs() {
    let engine = common::engine_over("function-fuzz", &[("t.ndjson", ROWS), ("t.mapping.json", MAPPING)]);
    let seconds = std::env::var("FUNCTION_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    let seed = std::env::var("FUNCTION_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_F00D);
    let functions: Vec<&FunctionDef> = all().filter(|f| !matches!(f.kind, Kind::Search)).collect();
    let scalars: Vec<&FunctionDef> = functions.iter().copied().filter(|f| matches!(f.kind, Kind::Scalar(_))).collect();
    let aggregates: Vec<&FunctionDef> =
        functions.iter().copied().filter(|f| matches!(f.kind, Kind::Aggregate(..))).collect();
    record_panics();
    let part = Duration::from_secs(seconds) / 3;
    let mut rng = Rng(seed);
    let (calls, calls_answered, mut failures) =
        exercise(&engine, part, functions.len(), |n| query(&mut rng, functions[n % functions.len()], &scalars));
    let (pipelines, pipelines_answered, more) =
        exercise(&engine, part, 100, |_| pipeline(&mut rng, &scalars, &aggregates));
    let (filters, filters_answered, more_still) = filtered(part, &mut rng, &scalars, &aggregates);
    failures.extend(more_still);
    let _ = std::panic::take_hook();
    eprintln!("{filters} filtered queries ({filters_answered} answered)");
    eprintln!("{calls} calls ({calls_answered} answered), {pipelines} pipelines ({pipelines_answered} answered)");
    failures.extend(more);
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{} queries failed:\n{}", failures.len(), failures.join("\n"));
}
