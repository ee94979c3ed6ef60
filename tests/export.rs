//! A large export streams: `esql run --format csv|ndjson --max-rows N` over 100,000 generated
//! documents writes every row while the process stays small (the result is written batch by
//! batch, never held), and without `--max-rows` the cap is said on stderr.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const DOCS: usize = 100_000;

fn esql() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esql"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Runs an export, counting its output lines as they stream; returns (lines, stderr).
fn export(dir: &str, format: &str, max_rows: Option<&str>) -> (usize, String) {
    let mut cmd = esql();
    cmd.args(["run", "--data", dir, "-e", "FROM * | LIMIT 1000000", "--format", format]);
    if let Some(n) = max_rows {
        cmd.args(["--max-rows", n]);
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run esql");
    let lines = BufReader::new(child.stdout.take().expect("stdout")).lines().count();
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (lines, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The largest resident set of the children waited for so far, in bytes.
fn children_peak_rss() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one rusage struct into the pointer it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_large_export_streams_every_row_in_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("esql-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_s = dir.to_str().expect("utf-8 path");
    let gen = esql().args(["gen", "--events", &DOCS.to_string(), "--out", dir_s, "--seed", "5"]).output().expect("gen");
    assert!(gen.status.success(), "{}", String::from_utf8_lossy(&gen.stderr));
    let docs: usize = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        // FROM * leaves out hidden indices (the generated `.alerts-security.*`), as in ES.
        .filter(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .map(|p| std::fs::read_to_string(p).expect("read").lines().count())
        .sum();
    assert!(docs > 90_000, "{docs} documents generated");

    let (lines, stderr) = export(dir_s, "csv", Some("1000000"));
    assert_eq!(lines, docs + 1, "every document and the header");
    assert!(!stderr.contains("stops at"), "{stderr}");
    let (lines, _) = export(dir_s, "ndjson", Some("1000000"));
    assert_eq!(lines, docs);
    // ~100 MB of documents: holding the result took ~300 MB; streaming takes ~40 MB.
    let peak = children_peak_rss();
    assert!(peak < 120 << 20, "peak RSS {} MB", peak >> 20);

    let (lines, stderr) = export(dir_s, "csv", None);
    assert_eq!(lines, 10_001);
    assert!(stderr.contains("the result stops at 10000 rows"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
