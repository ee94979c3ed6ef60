//! Keeps `grammar/esql.ebnf` honest: every `example:` in it parses and round-trips.

mod common;

#[test]
fn every_grammar_example_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/esql.ebnf");
    let text = std::fs::read_to_string(path).expect("read grammar");
    let examples: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("(* example:"))
        .map(|l| l.trim_end().strip_suffix("*)").unwrap_or(l).trim())
        .collect();
    assert!(examples.len() >= 40, "only {} examples", examples.len());
    let failures: Vec<String> =
        examples.iter().filter_map(|ex| common::round_trip(ex).err().map(|e| format!("{ex}\n  {e}"))).collect();
    assert!(failures.is_empty(), "{} examples fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_paragraph_of_productions_has_an_example() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/esql.ebnf");
    let text = std::fs::read_to_string(path).expect("read grammar");
    // Productions are grouped in blank-line-separated paragraphs; lexical helpers and
    // alternative lists are covered by the examples of their paragraph.
    let mut missing = Vec::new();
    for para in text.split("\n\n") {
        let productions: Vec<&str> = para
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('('))
            .filter_map(|l| l.split_once(" = ").map(|(n, _)| n.trim()))
            .collect();
        let alternatives_only = productions.iter().all(|p| p.ends_with("_command") || *p == "constant");
        if !productions.is_empty() && !alternatives_only && !para.contains("(* example:") {
            missing.extend(productions.iter().map(|p| p.to_string()));
        }
    }
    assert!(missing.is_empty(), "productions without an example: {missing:?}");
}
