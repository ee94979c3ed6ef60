//! The REPL driven in a pseudo-terminal, as a user would: completion of index and field
//! names, a multi-line query with its table, Ctrl-C during a long query, Ctrl-D to leave.

use expectrl::{ControlCode, Expect, Session};
use std::process::Command;
use std::time::Duration;

fn repl() -> impl Expect {
    let home = std::env::temp_dir().join(format!("esql-repl-home-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esql"));
    cmd.args(["repl", "--data", "tests/fixtures/seed", "--now", "2025-07-30T12:00:00Z"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", &home)
        .env("HOME", &home)
        .env("COLUMNS", "120");
    let mut s = Session::spawn(cmd).expect("spawn esql repl");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    let mut s = expectrl::session::log(s, std::io::stderr()).expect("log");
    s.expect("esql> ").expect("prompt");
    s
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
