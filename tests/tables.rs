//! Golden test of the REPL's table (`tests/golden/tables.txt`): each block is `> WIDTH
//! [columns=PATTERNS] QUERY` over `tests/fixtures/wide` (three ECS documents of about 150
//! fields) followed by what the REPL shows at that width. `UPDATE=1` rewrites the file.

use esql::engine::Engine;
use esql::io::OnError;
use esql::repl::{render_mode, Mode, View};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tables.txt");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wide");

/// The block's header parsed: width, column patterns, query.
fn header(line: &str) -> (usize, Option<Vec<String>>, &str) {
    let rest = line.strip_prefix("> ").expect("a block starts with '> '");
    let (width, rest) = rest.split_once(' ').expect("> WIDTH QUERY");
    let (columns, query) = match rest.strip_prefix("columns=") {
        Some(r) => {
            let (c, q) = r.split_once(' ').expect("columns=PATTERNS QUERY");
            (Some(c.split(',').map(String::from).collect()), q)
        }
        None => (None, rest),
    };
    (width.parse().expect("width"), columns, query)
}

fn shown(engine: &Engine, line: &str) -> String {
    let (width, columns, query) = header(line);
    let view = View { width: Some(width), columns, chart: true };
    match engine.query(query) {
        Ok(out) => render_mode(&out.result, Mode::Table, &view),
        Err(e) => format!("ERROR {}\n", e.render(query)),
    }
}

#[test]
fn tables_fit_their_width() {
    let engine = Engine::open(std::path::Path::new(DATA), OnError::Fail);
    let text = std::fs::read_to_string(FILE).expect("read golden file");
    let update = std::env::var("UPDATE").is_ok_and(|v| v == "1");
    let (mut out, mut failures) = (Vec::new(), Vec::new());
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let (head, expected) = block.split_once('\n').unwrap_or((block, ""));
        let actual = shown(&engine, head);
        if actual.trim_end() != expected.trim_end() {
            failures.push(format!("{head}\nexpected:\n{expected}\nactual:\n{actual}"));
        }
        // No line is wider than the budget.
        let (width, _, _) = header(head);
        for l in actual.lines().filter(|l| unicode_width::UnicodeWidthStr::width(*l) > width) {
            failures.push(format!("{head}\nwider than {width}: {l}"));
        }
        out.push(format!("{head}\n{}", actual.trim_end()));
    }
    if update {
        std::fs::write(FILE, out.join("\n\n") + "\n").expect("write golden file");
    } else {
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }
}
