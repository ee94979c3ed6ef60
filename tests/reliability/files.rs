//! Defects that touch the user's files: `fmt` rewriting in place, `esql test` fixtures,
//! `esql convert`.

use super::*;

#[test]
fn d03_fmt_replaces_the_file_whole_and_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh_dir("fmt");
    let file = dir.join("rule.esql");
    std::fs::write(&file, "from logs | where a==1 | keep a").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let (code, out, err) = outcome(&esql(&["fmt", p(&file)]));
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "from logs\n| where a == 1\n| keep a\n");
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<_> = std::fs::read_dir(&dir).expect("list").flatten().map(|e| e.file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
}

/// Writes `NAME.test.toml` (and a query) into a fresh folder and runs `esql test` on it,
/// with a temporary folder of its own (`DIR/tmp`, to see what it leaves there).
fn rule_test(tag: &str, toml: &str) -> (Option<i32>, String, String, PathBuf) {
    let dir = fresh_dir(tag);
    std::fs::create_dir_all(dir.join("tmp")).expect("tmp");
    std::fs::write(dir.join("r.esql"), "FROM logs | WHERE a == 1").expect("query");
    std::fs::write(dir.join("r.test.toml"), toml).expect("test");
    let tmp = dir.join("tmp");
    let (code, out, err) = outcome(&esql_env(&["test", p(&dir)], &[("TMPDIR", p(&tmp))]));
    (code, out, err, dir)
}

const DOCS: &str = "[[index]]\nname = \"logs\"\ndocs = '''\n{\"a\": 1}\n'''\n";

#[test]
fn d04_fixture_index_names_cannot_leave_the_sandbox() {
    let outside = std::env::temp_dir().join(format!("esql-escape-{}", std::process::id()));
    let _ = std::fs::remove_file(outside.with_extension("ndjson"));
    for name in ["../../x", outside.to_str().expect("utf-8"), "..", "Logs", "a/b", ""] {
        let toml = format!("[[index]]\nname = {name:?}\ndocs = '{{}}'\n[expect]\nalerts = 0\n");
        let (code, out, err, dir) = rule_test("sandbox", &toml);
        assert_eq!(code, Some(1), "{name}: {out}{err}");
        assert!(out.contains("is not a valid index name"), "{name}: {out}");
        let left = std::fs::read_dir(dir.join("tmp")).expect("list").count();
        assert_eq!(left, 0, "{name}: a failed fixture's sandbox is removed too");
    }
    assert!(!outside.with_extension("ndjson").exists(), "nothing is written outside the sandbox");
}

#[test]
fn d04_inline_fixtures_are_removed_after_the_run_and_query_paths_are_query_files() {
    let (code, out, err, dir) = rule_test("cleanup", &format!("{DOCS}[expect]\nalerts = 1\n"));
    assert_eq!(code, Some(0), "{out}{err}");
    let left: Vec<_> = std::fs::read_dir(dir.join("tmp")).expect("list").flatten().map(|e| e.path()).collect();
    assert!(left.is_empty(), "the sandbox is removed: {left:?}");
    let (code, out, err, _) =
        rule_test("query-path", &format!("query = \"/etc/passwd\"\n{DOCS}[expect]\nalerts = 1\n"));
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("query must name a .esql or .toml file") && !out.contains("root:"), "{out}");
}

#[test]
fn d05_expectations_are_strict() {
    for (expect, why) in [
        ("alert = 0", "unknown field `alert`"),
        ("alerts = \"0\"", "invalid type: string \"0\""),
        ("no_alert = \"true\"", "invalid type: string \"true\""),
        ("", "[expect] needs alerts = N, no_alert = true or rows = [...]"),
        ("alerts = 0\nrows = 3", "invalid type: integer `3`"),
    ] {
        let (code, out, err, _) = rule_test("strict", &format!("{DOCS}[expect]\n{expect}\n"));
        assert_eq!(code, Some(1), "{expect}: {out}{err}");
        assert!(out.contains(why), "{expect}: {out}");
    }
    let (_, out, _, _) = rule_test("strict-line", &format!("{DOCS}[expect]\nalert = 0\n"));
    assert!(out.contains("r.test.toml: line 7:1: unknown field `alert`"), "TOML errors name their line: {out}");
}

#[test]
fn d13_convert_refuses_to_write_into_the_data_directory() {
    let dir = data_dir("convert-into", &[("logs.ndjson", b"{\"a\":1}\n")]);
    for out in [dir.clone(), dir.join("sub")] {
        let (code, _, err) = outcome(&esql(&["convert", "--data", p(&dir), "--to", "parquet", "--out", p(&out)]));
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("is inside the data directory"), "{err}");
    }
    assert!(!dir.join("logs.parquet").exists());
}

#[test]
fn d13_convert_reports_the_values_it_could_not_keep() {
    let dir = data_dir(
        "convert-warn",
        &[
            ("t.ndjson", b"{\"n\":\"abc\"}\n{\"n\":5}\n"),
            ("t.mapping.json", br#"{"properties":{"n":{"type":"long"}}}"#),
        ],
    );
    let out = fresh_dir("convert-warn-out");
    let (code, _, err) = outcome(&esql(&["convert", "--data", p(&dir), "--to", "parquet", "--out", p(&out)]));
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("1 value(s) of [n] are not valid long and were read as null"), "{err}");
}
