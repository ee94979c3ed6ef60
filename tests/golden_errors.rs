//! Golden test: malformed queries and their exact rendered diagnostics
//! (`tests/golden/syntax-errors.txt`). `UPDATE=1` rewrites the expected sections.

use esql::diagnostic::{render_all, Diagnostic};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/syntax-errors.txt");

struct Case {
    name: String,
    query: String,
    expected: String,
}

fn read_cases(text: &str) -> (String, Vec<Case>) {
    let mut preamble = String::new();
    let mut cases = Vec::new();
    let mut blocks = text.split("\n### ");
    if let Some(first) = blocks.next() {
        preamble = first.to_string();
    }
    for block in blocks {
        let (name, body) = block.split_once('\n').unwrap_or((block, ""));
        let (query, expected) = match body.split_once("---\n") {
            Some((q, e)) => (q, e),
            None => (body.strip_suffix("---").unwrap_or(body), ""),
        };
        let query = query.strip_suffix('\n').unwrap_or(query).to_string();
        cases.push(Case { name: name.to_string(), query, expected: expected.trim_end().to_string() });
    }
    (preamble, cases)
}

fn render(query: &str) -> String {
    match esql::syntax::parse(query) {
        Ok(ast) => format!("(parsed without error: {ast})"),
        Err(errors) => {
            let diags: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
            render_all(&diags, query).trim_end().to_string()
        }
    }
}

#[test]
fn malformed_queries_render_the_expected_diagnostics() {
    let text = std::fs::read_to_string(FILE).expect("read golden file");
    let (preamble, cases) = read_cases(&text);
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    if std::env::var("UPDATE").is_ok_and(|v| v == "1") {
        let mut out = preamble;
        for c in &cases {
            out.push_str(&format!("\n### {}\n{}\n---\n{}\n", c.name, c.query, render(&c.query)));
        }
        std::fs::write(FILE, out).expect("write golden file");
        return;
    }
    let mut failures = Vec::new();
    for c in &cases {
        let actual = render(&c.query);
        if actual != c.expected {
            failures.push(format!("### {}\n--- expected\n{}\n--- actual\n{}", c.name, c.expected, actual));
        }
        assert!(!actual.starts_with("(parsed without error"), "{}: {actual}", c.name);
    }
    assert!(failures.is_empty(), "{} golden diagnostics differ:\n{}", failures.len(), failures.join("\n\n"));
}
