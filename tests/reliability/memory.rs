//! Defects of memory and time: what a query holds must follow its groups or its limit, not
//! its input, and pathological queries must be refused or fast, not abort.

use super::*;
use std::io::Write;

/// Runs `esql` with stdout discarded; returns (exit code, peak RSS in MiB, stderr).
#[allow(clippy::zombie_processes)] // reaped by wait4, which std does not offer
fn peak(args: &[&str]) -> (Option<i32>, u64, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .env("ESQL_CACHE", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn esql");
    let mut err = String::new();
    let pid = child.id() as i32;
    let mut stderr = child.stderr.take().expect("stderr");
    std::io::Read::read_to_string(&mut stderr, &mut err).expect("read stderr");
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    // wait4, not Child::wait: it also reports this child's own peak memory.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss as u64 / 1024, err)
}

/// A data directory with one NDJSON index `t` of `rows` lines made by `line`.
fn ndjson(tag: &str, rows: usize, line: impl Fn(usize) -> String) -> PathBuf {
    let dir = fresh_dir(tag);
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("t.ndjson")).expect("create"));
    for i in 0..rows {
        writeln!(f, "{}", line(i)).expect("write");
    }
    f.flush().expect("flush");
    dir
}

#[test]
fn d08_sort_limit_keeps_only_the_limit() {
    let pad = "x".repeat(400);
    let dir = ndjson("topn", 300_000, |i| format!("{{\"n\":{},\"pad\":\"{pad}{i}\"}}", (i * 7919) % 300_000));
    // One thread: the pipeline's read-ahead buffers then stay the same under load.
    let q = "FROM t | SORT n DESC | LIMIT 10";
    let (code, mb, err) = peak(&["run", "-e", q, "--data", p(&dir), "--threads", "1"]);
    assert_eq!(code, Some(0), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(mb < 100, "SORT | LIMIT 10 over 125 MB of rows held {mb} MiB");
}

#[test]
fn d08_stats_groups_are_lean() {
    let dir = ndjson("groups", 1_000_000, |i| format!("{{\"k\":\"u{i}\"}}"));
    let q = "FROM t | STATS c = count(*) BY k | STATS n = count(*)";
    let (code, mb, err) = peak(&["run", "-e", q, "--data", p(&dir)]);
    assert_eq!(code, Some(0), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(mb < 250, "a million groups took {mb} MiB");
}

#[test]
fn d08_pathological_queries_are_refused_or_fast() {
    let dir = fresh_dir("pathological");
    let evals: String = (0..8000).map(|i| format!(" | EVAL x{i} = a + {i}")).collect();
    let ints: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    let grok_in: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    let grok: Vec<String> = (0..20_000).map(|i| format!("%{{INT:f{i}}}")).collect();
    let fields: Vec<String> = (0..8000).map(|i| format!("x{i} = a + {i}")).collect();
    for (q, code, needle) in [
        (format!("ROW a = 1{evals}"), 2, "exceeded the maximum query depth allowed (500)"),
        (format!("ROW a = 1 | EVAL {} | KEEP x7999", fields.join(", ")), 0, ""),
        (format!("ROW a = 5 | WHERE a IN ({}) | STATS c = count(*)", ints.join(", ")), 0, ""),
        (format!("ROW s = \"{}\" | GROK s \"{}\"", grok_in.join(","), grok.join(",")), 2, "split it into several"),
    ] {
        let file = dir.join("q.esql");
        std::fs::write(&file, &q).expect("write");
        let started = std::time::Instant::now();
        let (got, mb, err) = peak(&["run", p(&file)]);
        assert_eq!(got, Some(code), "{}", &err[..err.len().min(500)]);
        assert!(err.contains(needle), "{}", &err[..err.len().min(500)]);
        assert!(started.elapsed().as_secs() < 5 && mb < 300, "{mb} MiB, {:?}", started.elapsed());
    }
}
