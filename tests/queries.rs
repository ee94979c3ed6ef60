//! The shipped queries: the seed rule is stored verbatim, and every file in `queries/`
//! parses and round-trips.

mod common;

const SEED: &str = "queries/m365_entra_signin_from_suspicious_source.verbatim.esql";

#[test]
fn seed_rule_is_stored_byte_for_byte() {
    let Some(shared) = common::shared_dir() else { return };
    let toml = std::fs::read_to_string(shared.join("rules/seed-rule-2025-07-30.toml")).expect("read seed rule");
    let from_rule = esql::authoring::query_file::from_toml(&toml).expect("rule query");
    let stored = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).expect("read stored query");
    assert_eq!(from_rule.len(), 1);
    assert!(stored == from_rule[0].text.as_bytes(), "{SEED} differs from the rule's query text");
}

/// Rules stored verbatim from the corpus, by the rule file they come from.
const VERBATIM: &[(&str, &str)] = &[
    (
        "queries/entra_id_impossible_travel_signin.verbatim.esql",
        "rules/integrations/azure/initial_access_entra_id_signin_impossible_travel.toml#0",
    ),
    (
        "queries/google_workspace_impossible_travel_login.verbatim.esql",
        "rules/integrations/google_workspace/initial_access_google_workspace_login_impossible_travel.toml#0",
    ),
];

#[test]
fn corpus_rules_are_stored_byte_for_byte() {
    let Some(shared) = common::shared_dir() else { return };
    let corpus = common::rule_corpus(&shared);
    for (file, path) in VERBATIM {
        let rule = corpus.iter().find(|q| q.path == *path).unwrap_or_else(|| panic!("{path} not in the corpus"));
        let stored =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("read");
        assert!(stored == rule.query, "{file} differs from {path}");
    }
}

#[test]
fn every_shipped_query_parses_and_round_trips() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("queries dir").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "esql") {
            let text = std::fs::read_to_string(&path).expect("read query");
            common::round_trip(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            count += 1;
        }
    }
    assert!(count >= 1);
}
