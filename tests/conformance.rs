//! Elasticsearch's own csv-spec tests (`../shared/conformance/spec` and `spec-2`): the number
//! passing in each may only go up. The floors live in `tests/conformance-floor.txt`, one
//! `folder count` per line; raise them as you go.

mod common;

use esql::conformance::{self, Tally};

#[test]
fn the_conformance_corpus_passes_at_least_the_floor() {
    let Some(shared) = common::shared_dir() else { return };
    let work = std::env::temp_dir().join(format!("esql-conformance-{}", std::process::id()));
    let (engine, missing) = conformance::engine_for(&shared.join("conformance/data"), &work).expect("load datasets");
    let floors = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance-floor.txt"))
        .expect("floor file");
    let mut below = Vec::new();
    for line in floors.lines().filter(|l| !l.trim().is_empty()) {
        let (folder, floor) = line.split_once(' ').expect("`folder count`");
        let floor: usize = floor.trim().parse().expect("floor is a number");
        let files = conformance::spec_files(&[shared.join("conformance").join(folder)]).expect("spec files");
        let mut tally = Tally::default();
        for f in &files {
            let text = std::fs::read_to_string(f).expect("read spec");
            for t in conformance::read_spec(&text) {
                tally.add(&conformance::run_test(&engine, &t, &missing));
            }
        }
        eprintln!(
            "conformance {folder}: {} passed, {} failed, {} skipped (floor {floor})",
            tally.passed, tally.failed, tally.skipped
        );
        if tally.passed < floor {
            below.push(format!("{folder}: {} passed, below the floor of {floor}", tally.passed));
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(below.is_empty(), "{}", below.join("\n"));
}
