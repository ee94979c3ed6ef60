//! Elasticsearch's csv-spec test format: reading test files, loading their datasets, and
//! running them against the engine.

pub mod dataset;
mod reader;
pub mod runner;

pub use reader::{read_spec, split_cells, SpecTest};
pub use runner::{run_test, Outcome};

use crate::engine::Engine;
use crate::io::OnError;
use std::path::{Path, PathBuf};

/// Pass/fail counts of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Tests whose results and warnings match.
    pub passed: usize,
    /// Tests whose results differ, or that failed to run.
    pub failed: usize,
    /// Of the failed: results right, warnings differ.
    pub warnings_only: usize,
    /// Of the failed: an unsupported command or function.
    pub unsupported: usize,
    /// Not run.
    pub skipped: usize,
}

impl Tally {
    /// Counts one outcome.
    pub fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::Passed => self.passed += 1,
            Outcome::Skipped(_) => self.skipped += 1,
            Outcome::WarningsDiffer(_) => {
                self.failed += 1;
                self.warnings_only += 1;
            }
            Outcome::Unsupported(_) => {
                self.failed += 1;
                self.unsupported += 1;
            }
            Outcome::Failed(_) => self.failed += 1,
        }
    }
}

/// Every `.csv-spec` file under the given files or folders, sorted.
pub fn spec_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let mut files: Vec<PathBuf> =
                entries.flatten().map(|e| e.path()).filter(|f| f.to_string_lossy().ends_with(".csv-spec")).collect();
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

/// An engine over the conformance datasets of `data`, converted into `work`.
pub fn engine_for(data: &Path, work: &Path) -> Result<(Engine, Vec<String>), String> {
    let ds = dataset::load(data, work)?;
    let mut engine = Engine::open(&ds.dir, OnError::Fail);
    engine.now_ms = Some(chrono::Utc::now().timestamp_millis());
    Ok((engine, ds.missing))
}
