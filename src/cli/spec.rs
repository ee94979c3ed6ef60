//! `esql spec PATH... [--data DIR] [--filter NAME] [--verbose]`.

use crate::conformance::{self, Outcome, Tally};
use std::path::{Path, PathBuf};

/// Runs the tests of `paths`, printing one line per file and the total last.
pub fn run(paths: &[PathBuf], data: Option<PathBuf>, filter: Option<&str>, verbose: bool) -> Result<Tally, String> {
    let files = conformance::spec_files(paths)?;
    let data = data.unwrap_or_else(|| default_data(paths));
    let work = std::env::temp_dir().join(format!("esql-spec-{}", std::process::id()));
    let (engine, missing) = conformance::engine_for(&data, &work)?;
    let mut total = Tally::default();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut tally = Tally::default();
        for t in conformance::read_spec(&text).iter().filter(|t| filter.is_none_or(|f| t.name.contains(f))) {
            let outcome = conformance::run_test(&engine, t, &missing);
            tally.add(&outcome);
            if verbose {
                report(file, t, &outcome);
            }
        }
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        println!(
            "{name}: {} passed, {} failed ({} warnings only, {} unsupported), {} skipped",
            tally.passed, tally.failed, tally.warnings_only, tally.unsupported, tally.skipped
        );
        total.passed += tally.passed;
        total.failed += tally.failed;
        total.warnings_only += tally.warnings_only;
        total.unsupported += tally.unsupported;
        total.skipped += tally.skipped;
    }
    let _ = std::fs::remove_dir_all(&work);
    println!("{} passed, {} failed, {} skipped", total.passed, total.failed, total.skipped);
    Ok(total)
}

fn default_data(paths: &[PathBuf]) -> PathBuf {
    let first = paths.first().map_or_else(|| Path::new(".").to_path_buf(), |p| p.clone());
    let dir = if first.is_dir() { first } else { first.parent().map(Path::to_path_buf).unwrap_or_default() };
    dir.parent().map_or_else(|| PathBuf::from("data"), |p| p.join("data"))
}

fn report(file: &Path, t: &conformance::SpecTest, o: &Outcome) {
    let what = match o {
        Outcome::Passed | Outcome::Skipped(_) => return,
        Outcome::Failed(d) => format!("FAILED\n{d}"),
        Outcome::WarningsDiffer(d) => format!("WARNINGS DIFFER\n{d}"),
        Outcome::Unsupported(u) => format!("UNSUPPORTED: {u}"),
    };
    println!(
        "--- {}:{} {}: {what}\n  query: {}\n",
        file.display(),
        t.line,
        t.name,
        t.query.replace('\n', "\n         ")
    );
}

/// `esql spec`: exit code 1 when a test failed.
pub(super) fn spec_cmd(paths: &[PathBuf], data: Option<PathBuf>, filter: Option<&str>, verbose: bool) -> i32 {
    match run(paths, data, filter, verbose) {
        Ok(tally) => i32::from(tally.failed > 0),
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}
