//! Golden test of Elasticsearch's warnings (`tests/golden/warnings.txt`): each block is a
//! query (`> ...`, ROW-based so it needs no data) followed by the warnings it must give, one
//! per line, as the HTTP `Warning` header carries them. `UPDATE=1` recomputes them.

use esql::engine::Engine;
use esql::io::OnError;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/warnings.txt");

fn warnings(query: &str) -> Vec<String> {
    let engine = Engine::open(std::path::Path::new("/nonexistent"), OnError::Fail);
    match engine.query(query) {
        // The implicit-limit warning of these LIMIT-less queries is tested on its own below.
        Ok(out) => out
            .result
            .warnings
            .iter()
            .filter(|w| *w != esql::plan::NO_LIMIT_WARNING)
            .map(|w| esql::exec::warnings::header_value(w))
            .collect(),
        Err(e) => vec![format!("ERROR {}", e.render(query).lines().next().unwrap_or_default())],
    }
}

#[test]
fn queries_warn_as_elasticsearch() {
    let text = std::fs::read_to_string(FILE).expect("read golden file");
    let update = std::env::var("UPDATE").is_ok_and(|v| v == "1");
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for block in text.split("\n\n") {
        let mut lines = block.lines().filter(|l| !l.is_empty());
        let comments: Vec<&str> = lines.clone().take_while(|l| l.starts_with('#')).collect();
        let mut lines = lines.by_ref().skip_while(|l| l.starts_with('#'));
        let Some(query) = lines.next().and_then(|l| l.strip_prefix("> ")) else {
            out.push(block.trim_end().to_string());
            continue;
        };
        let expected: Vec<&str> = lines.collect();
        let actual = warnings(query);
        if actual != expected {
            failures.push(format!("> {query}\n  expected: {expected:#?}\n  actual:   {actual:#?}"));
        }
        let mut rendered: Vec<String> = comments.iter().map(|c| c.to_string()).collect();
        rendered.push(format!("> {query}"));
        rendered.extend(actual);
        out.push(rendered.join("\n"));
    }
    if update {
        std::fs::write(FILE, out.join("\n\n") + "\n").expect("write golden file");
    } else {
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }
}

#[test]
fn a_query_without_limit_warns_of_the_implicit_one_first() {
    let engine = Engine::open(std::path::Path::new("/nonexistent"), OnError::Fail);
    let w = |q: &str| engine.query(q).map(|o| o.result.warnings).unwrap_or_default();
    assert_eq!(w("ROW a = 1"), [esql::plan::NO_LIMIT_WARNING]);
    assert_eq!(w("ROW a = [1, 2] | WHERE a > 1")[0], esql::plan::NO_LIMIT_WARNING);
    assert!(w("ROW a = 1 | LIMIT 5").is_empty());
    assert!(w("ROW a = 1 | FORK (LIMIT 1) (WHERE a > 0)").iter().all(|x| x != esql::plan::NO_LIMIT_WARNING));
}
