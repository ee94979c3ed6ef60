//! Elasticsearch's own csv-spec tests (`../shared/conformance/`): the number passing may
//! only go up. The floor lives in `tests/conformance-floor.txt`; raise it as you go.

mod common;

use esql::conformance::{self, Tally};

#[test]
fn the_conformance_corpus_passes_at_least_the_floor() {
    let Some(shared) = common::shared_dir() else { return };
    let work = std::env::temp_dir().join(format!("esql-conformance-{}", std::process::id()));
    let (engine, missing) = conformance::engine_for(&shared.join("conformance/data"), &work).expect("load datasets");
    let files = conformance::spec_files(&[shared.join("conformance/spec")]).expect("spec files");
    let mut tally = Tally::default();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read spec");
        for t in conformance::read_spec(&text) {
            tally.add(&conformance::run_test(&engine, &t, &missing));
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    let floor: usize = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance-floor.txt"))
        .expect("floor file")
        .trim()
        .parse()
        .expect("floor is a number");
    eprintln!(
        "conformance: {} passed, {} failed, {} skipped (floor {floor})",
        tally.passed, tally.failed, tally.skipped
    );
    assert!(tally.passed >= floor, "{} passed, below the floor of {floor}", tally.passed);
}
