//! Black-box tests of the `esql` binary: output, stderr and exit codes.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn esql(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run esql");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait for esql")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn parse_prints_the_canonical_form_one_command_per_line() {
    let out = esql(&["parse", "-"], Some("from logs-* | where a==1|keep a , b"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "FROM logs-*\n| WHERE a == 1\n| KEEP a, b\n");
}

#[test]
fn parse_reads_standard_input_without_an_argument() {
    let out = esql(&["parse"], Some("row a = 1"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "ROW a = 1\n");
}

#[test]
fn parse_of_the_shipped_seed_rule_succeeds_and_reparses() {
    let out = esql(&["parse", "queries/m365_entra_signin_from_suspicious_source.verbatim.esql"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.starts_with(
        "FROM logs-o365.audit-*, logs-azure.signinlogs-*, .alerts-security.*\n| WHERE @timestamp > now() - 8 hours\n"
    ));
    let again = esql(&["parse", "-"], Some(&printed));
    assert_eq!(text(&again.stdout), printed, "canonical form is not a fixed point");
}

#[test]
fn syntax_errors_go_to_stderr_with_a_caret_and_exit_2() {
    let out = esql(&["parse", "-"], Some("from a\n| where b = 1"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let expected = "line 2:11: expected '|' or end of query, found '='\n  |\n2 | | where b = 1\n  |           ^\n  = hint: use == to compare values; = only names a column (EVAL x = ...)\n";
    assert_eq!(text(&out.stderr), expected);
}

#[test]
fn a_missing_file_is_an_io_error_with_exit_1() {
    let out = esql(&["parse", "no/such/file.esql"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("esql: no/such/file.esql: "), "{}", text(&out.stderr));
}

#[test]
fn query_text_given_as_the_file_says_to_use_dash_e() {
    let out = esql(&["run", "FROM logs | LIMIT 5"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("hint: that is query text, not a file: give it with -e"), "{err}");
    // A path that is no query gets the plain error.
    let out = esql(&["run", "no-such-rule.esql"], None);
    assert!(!text(&out.stderr).contains("hint"), "{}", text(&out.stderr));
}

#[test]
fn a_rule_toml_gives_its_query() {
    let Some(shared) = common::shared_dir() else { return };
    let path = shared.join("rules/seed-rule-2025-07-30.toml");
    let out = esql(&["parse", path.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("| STATS Esql.event_count = count(*)"));
}

#[test]
fn a_hunting_toml_gives_each_query_and_reports_the_bad_one() {
    let dir = std::env::temp_dir().join(format!("esql-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("hunt.toml");
    std::fs::write(
        &path,
        "[hunt]\nname = \"x\"\nquery = [\n'''\nfrom a | limit 1\n''',\n'''\nfrom b | where\n'''\n]\n",
    )
    .expect("write toml");
    let out = esql(&["parse", path.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "// query 1 of 2\nFROM a\n| LIMIT 1\n\n// query 2 of 2\n");
    assert!(
        text(&out.stderr).starts_with("in query 2 of 2:\nline 1:15: expected an expression, found end of input"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_toml_without_a_query_is_an_error() {
    let dir = std::env::temp_dir().join(format!("esql-cli-noq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("rule.toml");
    std::fs::write(&path, "[rule]\nname = \"x\"\n").expect("write toml");
    let out = esql(&["parse", path.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no `query` found"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(esql(&["frobnicate"], None).status.code(), Some(2));
    let help = esql(&["--help"], None);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("parse"));
}

/// A REPL fed by a pipe is a script: an error makes its exit code 1, after the rest ran.
#[test]
fn piped_repl_input_exits_non_zero_after_an_error() {
    let home = std::env::temp_dir().join(format!("esql-piped-home-{}", std::process::id()));
    let run = |input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_esql"))
            .args(["repl", "--data", "examples/data"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &home)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run esql");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
        child.wait_with_output().expect("wait")
    };
    let out = run("FROM nope;\nROW a = \"after\";\n");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("after"), "the queries after the error still run");
    assert_eq!(run("ROW a = 1;\n").status.code(), Some(0));
}

/// The REPL fed by a pipe, `HOME` in a temp dir (history); (stdout, stderr).
fn piped_repl(input: &str) -> (String, String) {
    let home = std::env::temp_dir().join(format!("esql-piped-home-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["repl", "--data", "examples/data"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HOME", &home)
        .env("XDG_DATA_HOME", &home)
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().expect("stdin").write_all(input.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run esql");
    (text(&out.stdout), text(&out.stderr))
}

/// A piped rule file is one query: its blank lines and comments do not cut it, and the
/// last query runs without a final `;`.
#[test]
fn a_rule_piped_into_the_repl_runs_whole() {
    let rule = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/queries/m365_entra_signin_from_suspicious_source.case-fixed.esql"
    ))
    .expect("read rule");
    let (out, err) = piped_repl(&format!(".now 2025-07-30T12:00:00Z\n{rule}"));
    assert!(err.contains("5 rows"), "{err}");
    assert!(out.contains("Esql.source_ip"), "{out}");
}

/// `.range` sets `?_tstart`/`?_tend` and the `@timestamp` filter; `.maxrows` the cap;
/// `.columns` the table's columns.
#[test]
fn repl_range_maxrows_and_columns() {
    let (out, err) = piped_repl(
        ".now 2025-07-30T12:00:00Z\n.range now-1h now\n.range\n\
         FROM logs-azure.signinlogs-default | STATS n = COUNT(*), lo = MIN(@timestamp);\n\
         .range off\n.maxrows 3\nFROM logs-* | LIMIT 100;\n\
         .columns user.name\nFROM logs-azure.signinlogs-default | SORT @timestamp | LIMIT 2;\n",
    );
    assert!(out.contains("time range: 2025-07-30T11:00:00.000Z to 2025-07-30T12:00:00.000Z"), "{out}");
    assert!(out.contains("│ 2025-07-30T11:"), "the range filter kept the last hour: {out}");
    assert!(err.contains("3 rows") && err.contains("the result stops at --max-rows 3"), "{err}");
    assert!(out.contains("│ user.name "), "{out}");
}

/// A query over an old export that finds nothing says why, and how to pin `now()`.
#[test]
fn a_query_over_old_data_hints_at_now() {
    let run = |args: &[&str]| {
        let mut all = vec!["run", "--data", "examples/data", "--format", "csv"];
        all.extend_from_slice(args);
        text(&esql(&all, None).stderr)
    };
    let err = run(&["-e", "FROM logs-* | WHERE @timestamp > NOW() - 1 day | STATS c = COUNT(*)"]);
    assert!(err.contains("esql: hint: no rows: the data's @timestamp runs from 2025-07-29T12:01:23.823Z to 2025-07-30T11:57:57.336Z, and now() is"), "{err}");
    assert!(err.contains("with --now 2025-07-30T11:57:57.336Z (.now in the REPL) it finds 1 row(s)"), "{err}");
    let err = run(&["--from", "now-1d", "-e", "FROM logs-* | STATS c = COUNT(*)"]);
    assert!(err.contains("outside the range"), "{err}");
    // Not when time is not why: the window holds the data, the user does not exist.
    let err = run(&["-e", "FROM logs-* | WHERE user.name == \"nobody\" AND @timestamp > NOW() - 100000 days"]);
    assert!(!err.contains("hint"), "{err}");
    // Nor for a rule that cannot fire whatever now() is.
    let err = run(&["queries/m365_entra_signin_from_suspicious_source.verbatim.esql"]);
    assert!(!err.contains("hint"), "{err}");
}

/// `.hist` draws the last query's hits over time, gaps as empty bars; a date and a count
/// draw as bars unless `.chart off`.
#[test]
fn repl_hist_and_chart() {
    let (out, err) = piped_repl(
        "FROM logs-azure.signinlogs-default | WHERE event.outcome == \"failure\" | LIMIT 1;\n.hist 6h\n\
         FROM logs-* | STATS c = COUNT(*) BY t = BUCKET(@timestamp, 12 hours);\n.chart off\n\
         FROM logs-* | STATS c = COUNT(*) BY t = BUCKET(@timestamp, 12 hours);\n",
    );
    assert!(out.contains("@timestamp per 6 hours"), "{out}");
    assert!(out.contains("2025-07-29T12:00:00.000Z │█"), "{out}");
    assert!(err.contains("hits in 4 bars"), "{err}");
    assert!(out.contains("t                        │ c\n"), "a chart: {out}");
    assert!(out.contains("│    c │ t                        │"), "then a table: {out}");
}
