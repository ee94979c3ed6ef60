//! `esql test` as a rule author meets it: a fixture needs only the fields its documents
//! are about (ECS fields are known, as in a real index), a wrong expectation names the
//! column that differs, `--init` starts a test from a rule, and a detection-rules layout
//! (`rules/**/NAME.toml` with `NAME.test.toml` beside it) runs unchanged.

mod common;

use std::path::PathBuf;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-rule-tests-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/windows")).expect("mkdir");
    dir
}

const RULE: &str = "from logs-*\n| where event.action == \"login\" and event.outcome == \"failure\" and source.ip is null\n| stats c = count(*) by user.name\n| where c >= 2\n";

fn test_file(expect: &str) -> String {
    // No document holds source.ip, which the rule reads: ECS knows it, so the fixture does.
    format!(
        "now = \"2025-07-30T12:00:00Z\"\n[[index]]\nname = \"logs-test\"\ndocs = '''\n{}\n'''\n[expect]\n{expect}\n",
        [
            r#"{"event": {"action": "login", "outcome": "failure"}, "user": {"name": "a"}}"#,
            r#"{"event": {"action": "login", "outcome": "failure"}, "user": {"name": "a"}}"#,
            r#"{"event": {"outcome": "failure"}, "user": {"name": "b"}}"#,
        ]
        .join("\n")
    )
}

fn run(args: &[&str]) -> (i32, String) {
    let out = common::esql(args);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_fixture_needs_only_the_fields_its_where_reads_and_a_wrong_expectation_names_the_column() {
    let dir = temp("fixture");
    std::fs::write(dir.join("r.esql"), RULE).expect("write");
    std::fs::write(dir.join("r.test.toml"), test_file("rows = [ { \"user.name\" = \"a\", c = 2 } ]")).expect("write");
    let d = dir.to_string_lossy().to_string();
    let (code, text) = run(&["test", &d]);
    assert_eq!(code, 0, "{text}");
    std::fs::write(dir.join("r.test.toml"), test_file("alerts = 1\nrows = [ { \"user.name\" = \"a\", c = 3 } ]"))
        .expect("write");
    let (code, text) = run(&["test", &d]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("changed  { c = 3, user.name = a }\n"), "{text}");
    assert!(text.contains("c: expected 3, got 2"), "{text}");
    std::fs::write(dir.join("r.test.toml"), test_file("rows = [ { \"user.name\" = \"z\" } ]")).expect("write");
    let (_, text) = run(&["test", &d]);
    assert!(
        text.contains("missing  { user.name = z }") && text.contains("extra    { c = 2, user.name = a }"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_mapping_file_beside_the_test_declares_fields_no_document_holds() {
    let dir = temp("mapping");
    let rule = "from logs-*\n| where event.action == \"login\" and azure.signinlogs.properties.app_id is null\n| stats c = count(*) by user.name\n";
    std::fs::write(dir.join("r.esql"), rule).expect("write");
    std::fs::write(dir.join("r.test.toml"), test_file("rows = [ { \"user.name\" = \"a\", c = 2 } ]")).expect("write");
    let d = dir.to_string_lossy().to_string();
    let (code, text) = run(&["test", &d]);
    assert!(code == 1 && text.contains("Unknown column [azure.signinlogs.properties.app_id]"), "{text}");
    let mapping = r#"{"mappings": {"properties": {"azure": {"properties": {"signinlogs": {"properties": {"properties": {"properties": {"app_id": {"type": "keyword"}}}}}}}}}}"#;
    std::fs::write(dir.join("logs-test.mapping.json"), mapping).expect("write");
    let (code, text) = run(&["test", &d]);
    assert_eq!(code, 0, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn init_writes_a_document_per_branch_that_runs_as_written() {
    let dir = temp("init");
    let rule = dir.join("seed.esql");
    std::fs::copy("queries/m365_entra_signin_from_suspicious_source.case-fixed.esql", &rule).expect("copy");
    let r = rule.to_string_lossy().to_string();
    let (code, text) = run(&["test", "--init", &r]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("(5 document(s), one per branch)"), "{text}");
    let skeleton = std::fs::read_to_string(dir.join("seed.test.toml")).expect("skeleton");
    assert!(skeleton.contains("# document 3: case() branch 1 of Esql.source_ip_mail_access_case"), "{skeleton}");
    assert!(skeleton.contains(r#""action":"MailItemsAccessed""#), "{skeleton}");
    let (code, text) = run(&["test", &dir.to_string_lossy()]);
    assert_eq!(code, 0, "the skeleton runs: {text}");
    let (code, text) = run(&["test", "--init", &r]);
    assert_eq!((code, text.contains("exists; not overwritten")), (1, true), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_detection_rules_layout_runs_unchanged() {
    let dir = temp("layout");
    let toml = format!(
        "[metadata]\nmaturity = \"production\"\n\n[rule]\nname = \"x\"\nlanguage = \"esql\"\nquery = '''\n{RULE}'''\n"
    );
    std::fs::write(dir.join("rules/windows/brute.toml"), toml).expect("write");
    std::fs::write(dir.join("rules/windows/brute.test.toml"), test_file("alerts = 1")).expect("write");
    let (code, text) = run(&["test", &dir.join("rules").to_string_lossy()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("rules/windows/brute.test.toml") && text.contains("1 passed, 0 failed"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
