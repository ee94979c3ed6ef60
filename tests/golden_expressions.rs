//! Golden test of expression grouping and literal typing (`tests/golden/expressions.txt`).
//! Each line `input  =>  expected`; `UPDATE=1` recomputes the expectations.

mod common;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/expressions.txt");

fn render(input: &str) -> String {
    match esql::syntax::parse_expr(input) {
        Ok(e) => common::sexpr(&e),
        Err(errs) => format!("ERROR {}", errs[0].message),
    }
}

#[test]
fn expressions_group_as_expected() {
    let text = std::fs::read_to_string(FILE).expect("read golden file");
    let update = std::env::var("UPDATE").is_ok_and(|v| v == "1");
    let mut out = Vec::new();
    let mut failures = Vec::new();
    let mut cases = 0;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            out.push(line.to_string());
            continue;
        }
        cases += 1;
        let (input, expected) = line.split_once("  =>  ").unwrap_or((line, ""));
        let actual = render(input);
        if actual != expected {
            failures.push(format!("{input}\n  expected: {expected}\n  actual:   {actual}"));
        }
        if !actual.starts_with("ERROR") {
            if let Err(e) = common::round_trip(&format!("row x = {input}")) {
                failures.push(format!("{input}: {e}"));
            }
        }
        out.push(format!("{input}  =>  {actual}"));
    }
    assert!(cases >= 50);
    if update {
        std::fs::write(FILE, out.join("\n") + "\n").expect("write golden file");
        return;
    }
    assert!(failures.is_empty(), "{} cases differ:\n{}", failures.len(), failures.join("\n"));
}
