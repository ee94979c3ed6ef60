//! The reliability suite: one test per defect of the reliability issue, each named after
//! it (`dNN_...`), run through the command line as a user would meet it. Inputs are made
//! here, small enough to run in seconds, with the caps lowered where the real ones would
//! take minutes to reach.

#[path = "../common/mod.rs"]
mod common;
mod files;
mod inputs;
mod memory;
mod queries;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `esql` with `args` (and `env`), in the project folder.
pub fn esql_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .envs(env.iter().copied())
        .env("ESQL_CACHE", "off")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("run esql")
}

pub fn esql(args: &[&str]) -> Output {
    esql_env(args, &[])
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Exit code, stdout and stderr, for assertions that show all three when they fail.
pub fn outcome(o: &Output) -> (Option<i32>, String, String) {
    (o.status.code(), text(&o.stdout), text(&o.stderr))
}

/// A fresh folder named after the test.
pub fn fresh_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-reliability-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh data directory holding `files`.
pub fn data_dir(tag: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = fresh_dir(tag);
    for (name, content) in files {
        std::fs::write(dir.join(name), content).expect("write fixture");
    }
    dir
}

pub fn p(dir: &Path) -> &str {
    dir.to_str().expect("utf-8 path")
}

/// `esql run -e QUERY --data DIR --format FORMAT`.
pub fn run_query(query: &str, dir: Option<&Path>, format: &str) -> Output {
    let mut args = vec!["run", "-e", query, "--format", format];
    if let Some(d) = dir {
        args.extend(["--data", p(d)]);
    }
    esql(&args)
}
