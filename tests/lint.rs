//! `esql lint`: each lint fires where it should, stays quiet where it should not, and can
//! be silenced on its line.

use esql::lint::{lint, unsilenced};

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
