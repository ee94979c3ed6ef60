//! The REPL driven in a pseudo-terminal, as a user would: completion of index and field
//! names, a multi-line query with its table, Ctrl-C during a long query, Ctrl-D to leave;
//! a wide ECS result in an 80-column terminal; a rule pasted as one block.

use expectrl::{ControlCode, Expect, Session};
use std::process::Command;
use std::time::Duration;

fn repl() -> impl Expect {
    repl_over("tests/fixtures/seed", "120")
}

fn repl_over(data: &str, columns: &str) -> impl Expect {
    let home = std::env::temp_dir().join(format!("esql-repl-home-{}-{columns}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esql"));
    cmd.args(["repl", "--data", data, "--now", "2025-07-30T12:00:00Z"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", &home)
        .env("HOME", &home)
        .env("COLUMNS", columns);
    let mut s = Session::spawn(cmd).expect("spawn esql repl");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    let mut s = expectrl::session::log(s, std::io::stderr()).expect("log");
    s.expect("esql> ").expect("prompt");
    s
}

/// A blank line that follows the prompt faster than anyone types is taken as part of a
/// paste (`repl::input`); a key pressed by hand comes later than this.
fn human_pause() {
    std::thread::sleep(Duration::from_millis(60));
}

#[test]
fn a_user_session_in_a_terminal() {
    let mut s = repl();
    s.send("FROM logs-az\t").expect("type");
    s.expect("logs-azure.signinlogs-default").expect("index name completed");
    s.send(" | KEEP source.i\t").expect("type");
    s.expect("source.ip").expect("field name completed");
    s.send("\r").expect("enter");
    s.expect("... ").expect("continuation prompt");
    s.send("| SORT source.ip | LIMIT 2\r").expect("type");
    // Typing ahead of the prompt is lost when the line editor takes the terminal back.
    s.expect("LIMIT 2").expect("echo");
    s.expect("... ").expect("continuation prompt");
    human_pause();
    s.send("\r").expect("run on an empty line");
    s.expect("10.20.30.40").expect("table row");
    s.expect("2 rows").expect("row count");
    s.expect("esql> ").expect("prompt again");

    let explode = "ROW a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30] \
        | EVAL b = a, c = a, d = a, e = a, f = a | MV_EXPAND a | MV_EXPAND b | MV_EXPAND c | MV_EXPAND d \
        | MV_EXPAND e | MV_EXPAND f | STATS count(*);\r";
    s.send(explode).expect("long query");
    std::thread::sleep(Duration::from_millis(1500));
    s.send(ControlCode::ETX).expect("ctrl-c");
    s.expect("query cancelled").expect("cancelled, not killed");
    s.expect("esql> ").expect("still in the REPL");

    s.send("FROM logs-* | WHERE x = 1;\r").expect("bad query");
    s.expect("hint: use == to compare values").expect("caret diagnostic");
    s.expect("esql> ").expect("still in the REPL");

    s.send(ControlCode::EOT).expect("ctrl-d");
    s.expect(expectrl::Eof).expect("leaves on Ctrl-D");
}

/// The result's lines: what comes after the echoed query up to the row count (`N rows
/// (T s)`, which ends them), escape sequences removed; the row count is the last line.
fn result_lines(s: &mut impl Expect) -> Vec<String> {
    let found = s.expect(expectrl::Regex(r"[0-9]+ rows? \([0-9.]+ s\)")).expect("a result");
    let text = String::from_utf8_lossy(found.before()).into_owned() + &String::from_utf8_lossy(&found[0]);
    let plain = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").expect("regex").replace_all(&text, "");
    // The echo of the query ends where the terminal leaves raw mode: the first line after it.
    let lines: Vec<String> = plain.split("\r\n").map(String::from).collect();
    let start = lines.iter().position(|l| l.contains("esql> ") || l.contains("  ... ")).map_or(0, |p| p + 1);
    lines[start..].iter().skip_while(|l| l.contains("  ... ") || l.contains("esql> ")).cloned().collect()
}

#[test]
fn a_wide_ecs_result_fits_an_80_column_terminal() {
    let mut s = repl_over("tests/fixtures/wide", "80");
    s.send("FROM logs-* | SORT @timestamp | KEEP @timestamp, source.ip, user.name, event.outcome, message;\r")
        .expect("type");
    let lines = result_lines(&mut s);
    let wide: Vec<&String> = lines.iter().filter(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) > 80).collect();
    assert!(wide.is_empty(), "lines wider than 80: {wide:#?}");
    assert!(lines.iter().any(|l| l.contains("│ 2025-07-30T09:15:00.000Z │ 81.2.69.142")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("… 2 more columns: event.outcome, message")), "{lines:#?}");

    // One document of 144 fields: vertical, one field a line, every line within 80 columns.
    s.send("FROM logs-* | SORT @timestamp | LIMIT 1;\r").expect("type");
    let lines = result_lines(&mut s);
    assert!(lines.iter().any(|l| l.starts_with("─[ row 1 ]─")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("user.name") && l.ends_with("│ alice@example.com")), "{lines:#?}");
    assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 80), "{lines:#?}");
    s.send(ControlCode::EOT).expect("ctrl-d");
    s.expect(expectrl::Eof).expect("leaves on Ctrl-D");
}

#[test]
fn a_rule_pasted_as_one_block_runs_whole() {
    let mut s = repl_over("examples/data", "120");
    let rule = std::fs::read_to_string("queries/m365_entra_signin_from_suspicious_source.case-fixed.esql")
        .expect("read the rule");
    assert!(rule.contains("\n\n"), "the rule has blank lines, which typed would run the query");
    // One write, no bracketed-paste markers: what a terminal without bracketed paste sends.
    s.send(rule.trim_end().replace('\n', "\r") + "\r").expect("paste");
    // The user sees the paste's last line echoed, then presses Enter on the empty line.
    s.expect("Esql.event_count <= 100").expect("the paste echoed to its end");
    s.expect("  ... ").expect("continuation prompt");
    human_pause();
    s.send("\r").expect("run it");
    let lines = result_lines(&mut s);
    assert!(lines.iter().any(|l| l.starts_with("5 rows")), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("expected a source command")), "{lines:#?}");
    s.send(ControlCode::EOT).expect("ctrl-d");
    s.expect(expectrl::Eof).expect("leaves on Ctrl-D");
}
