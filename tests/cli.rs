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
