//! `esql lint`: each lint fires where it should, stays quiet where it should not, and can
//! be silenced on its line.

use esql::authoring::lint::{lint, unsilenced};

mod common;

fn ids(q: &str) -> Vec<(&'static str, usize, usize)> {
    let ast = esql::syntax::parse(q).expect("parses");
    unsilenced(lint(&ast), q)
        .into_iter()
        .map(|f| {
            let (start, _) = f.diagnostic.span.expect("span");
            let loc = esql::diagnostic::Location::of(q, start);
            (f.id, loc.line, loc.col)
        })
        .collect()
}

fn query(name: &str) -> String {
    std::fs::read_to_string(format!("{}/queries/{name}", env!("CARGO_MANIFEST_DIR"))).expect("read query")
}

#[test]
fn the_verbatim_seed_rule_has_the_case_contradiction_and_the_fixed_one_nothing() {
    assert_eq!(ids(&query("m365_entra_signin_from_suspicious_source.verbatim.esql")), [("case-mismatch", 23, 70)]);
    assert_eq!(ids(&query("m365_entra_signin_from_suspicious_source.case-fixed.esql")), []);
    assert_eq!(ids(&query("m365_entra_signin_from_suspicious_source.upstream-2026-05-22.esql")), []);
}

#[test]
fn each_lint_fires_on_its_pitfall() {
    assert_eq!(ids("FROM logs-* | WHERE event.category == \"authentication\""), [("mv-compare", 1, 21)]);
    assert_eq!(ids("FROM logs-* | WHERE NOT user.name IN (\"a\", null)"), [("not-in-null", 1, 44)]);
    assert_eq!(ids("FROM logs-* | WHERE not event.action in (\"a\", null)"), [("not-in-null", 1, 47)]);
    assert_eq!(ids("FROM logs-* | WHERE source.ipp IS NOT NULL"), [("unknown-field", 1, 21)]);
    assert_eq!(ids("FROM logs-* | WHERE KQL(\"event.action: x and process.nme: curl\")"), [("unknown-field", 1, 46)]);
    assert_eq!(ids("FROM logs-* | WHERE KQL(\"\"\"process.nme: curl\"\"\")"), [("unknown-field", 1, 28)]);
    assert_eq!(ids("FROM logs-* | EVAL x = 1, y = 2 | STATS c = count(*) BY y"), [("unused-eval", 1, 20)]);
    assert_eq!(
        ids("FROM logs-* | WHERE user.name == \"Admin\" | EVAL a = user.name == \"admin\""),
        [("case-mismatch", 1, 66)]
    );
}

#[test]
fn vendor_fields_and_used_columns_are_not_findings() {
    assert_eq!(ids("FROM logs-* | WHERE process.Ext.api.name == \"x\" | EVAL n = 1 | STATS c = count(n)"), []);
    assert_eq!(ids("FROM logs-* | EVAL d = to_lower(user.name) | WHERE d == \"x\" | KEEP d"), []);
}

#[test]
fn a_finding_is_silenced_on_its_line() {
    let q = "FROM logs-*\n| WHERE event.category == \"network\" // esql-lint: allow mv-compare\n| WHERE event.type == \"x\"";
    assert_eq!(ids(q), [("mv-compare", 3, 9)]);
}

#[test]
fn columns_used_after_keep_or_drop_removed_them() {
    assert_eq!(ids("FROM logs-* | KEEP a, b | WHERE c > 1"), [("dropped-column", 1, 33)]);
    assert_eq!(ids("FROM logs-* | DROP c | EVAL d = c + 1"), [("dropped-column", 1, 33)]);
    assert_eq!(ids("FROM logs-* | KEEP a | EVAL c = 1 | WHERE c > 1"), []);
    assert_eq!(ids("FROM logs-* | KEEP a* | WHERE c > 1"), []);
    // GROK creates columns from %{SYNTAX:name} and from regex named groups alike.
    assert_eq!(ids("FROM logs-* | KEEP a | GROK a \"(?<b>x+)\" | WHERE b == \"x\""), []);
    assert_eq!(ids("FROM logs-* | KEEP a | GROK a \"%{WORD:b}\" | WHERE b == \"x\""), []);
}

#[test]
fn an_eval_column_kept_for_output_or_read_by_a_later_command_is_used() {
    assert_eq!(ids("FROM logs-* | EVAL x = 1 | KEEP x"), []);
    assert_eq!(ids("FROM logs-* | EVAL Esql.x = 1 | KEEP Esql.*"), []);
    assert_eq!(ids("FROM logs-* | EVAL x = 1 | KEEP y"), [("unused-eval", 1, 20)]);
    assert_eq!(ids("FROM logs-* | EVAL x = 1 | DROP x | KEEP y"), [("unused-eval", 1, 20)]);
    assert_eq!(ids("FROM logs-* | EVAL p = \"q\" | COMPLETION r = p WITH {} | KEEP r"), []);
    assert_eq!(ids("FROM logs-* | EVAL x = a | MV_EXPAND x | STATS c = count(*)"), []);
}

#[test]
fn a_look_back_longer_than_the_interval_is_reported() {
    let seed = "[rule]\nfrom = \"now-60m\"\nquery = 'from a'\n";
    assert!(esql::authoring::lint::schedule_findings(seed)[0]
        .starts_with("warning[lookback]: from = \"now-60m\" looks back 60 minutes but the rule runs every 5m"));
    assert!(esql::authoring::lint::schedule_findings("[rule]\nfrom = \"now-6m\"\ninterval = \"5m\"\n").is_empty());
    assert!(esql::authoring::lint::schedule_findings("[rule]\nfrom = \"now-1m\"\ninterval = \"5m\"\n")[0]
        .contains("shorter than the interval"));
}

/// Lint never panics over the rule corpus, and finds the pitfalls known to be in it.
/// `--nocapture` prints the count per lint id (the figures of the issue's note).
#[test]
fn linting_the_rule_corpus_runs_clean_and_counts_findings() {
    let Some(shared) = common::shared_dir() else { return };
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for q in common::rule_corpus(&shared) {
        let Ok(ast) = esql::syntax::parse(&q.query) else { continue };
        for f in unsilenced(lint(&ast), &q.query) {
            *counts.entry(f.id).or_default() += 1;
        }
    }
    println!("{counts:?}");
    assert!(counts.get("mv-compare").copied().unwrap_or(0) > 100, "{counts:?}");
    // e.g. hunting q092 computes process_folder twice and never groups on it.
    assert!(counts.get("unused-eval").copied().unwrap_or(0) >= 3, "{counts:?}");
    // No false alarms over shipped queries: each of these was a bug found here once.
    assert_eq!(counts.get("dropped-column"), None, "{counts:?}");
}
