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
    let q = "FROM logs-*\n| WHERE event.category == \"network\" // esql-lint: allow mv-compare\n| WHERE event.type == \"start\"";
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
fn null_compare_finds_comparisons_with_null_and_leaves_is_null_alone() {
    assert_eq!(ids("FROM logs-* | WHERE user.name != null"), [("null-compare", 1, 21)]);
    assert_eq!(
        ids("FROM logs-* | WHERE null == user.name OR a > null"),
        [("null-compare", 1, 21), ("null-compare", 1, 42)]
    );
    assert_eq!(ids("FROM logs-* | WHERE user.name IN (null)"), [("null-compare", 1, 21)]);
    assert_eq!(ids("FROM logs-* | WHERE user.name IN (\"a\", null)"), [("null-compare", 1, 40)]);
    // Near misses: IS [NOT] NULL, a null that is not compared, NOT IN (not-in-null's own).
    assert_eq!(ids("FROM logs-* | WHERE user.name IS NOT NULL | EVAL x = coalesce(a, null)"), []);
    assert_eq!(ids("FROM logs-* | WHERE NOT user.name IN (\"a\", null)"), [("not-in-null", 1, 44)]);
    let fix = lint(&esql::syntax::parse("FROM a | WHERE b == null").expect("parses"))[0].fix.clone();
    assert_eq!(fix.as_deref(), Some("b IS NULL"));
}

#[test]
fn sql_like_wildcard_finds_percent_signs_where_sql_puts_them() {
    assert_eq!(ids("FROM a | WHERE b LIKE \"%curl%\""), [("sql-like-wildcard", 1, 23)]);
    assert_eq!(ids("FROM a | WHERE b NOT LIKE \"Okta%\""), [("sql-like-wildcard", 1, 27)]);
    // Near misses: URL encodings beside ES|QL's wildcards, RLIKE, a % in the middle.
    assert_eq!(ids("FROM a | WHERE b LIKE \"*%2e%2e*\" OR b RLIKE \".*%\" OR b LIKE \"a%b\""), []);
    let fix = lint(&esql::syntax::parse("FROM a | WHERE b LIKE \"%x_y%\"").expect("parses"))[0].clone();
    assert_eq!(fix.fix.as_deref(), Some("\"*x_y*\""));
    assert!(fix.diagnostic.hints[0].contains("? where _ meant any one character"), "{:?}", fix.diagnostic);
}

#[test]
fn ecs_value_finds_values_ecs_does_not_allow() {
    assert_eq!(ids("FROM a | WHERE event.outcome == \"Failure\""), [("ecs-value", 1, 33)]);
    assert_eq!(ids("FROM a | WHERE event.kind IN (\"alert\", \"signals\")"), [("ecs-value", 1, 40)]);
    let f = lint(&esql::syntax::parse("FROM a | WHERE event.outcome != \"Failure\"").expect("parses"))[0].clone();
    assert_eq!((f.fix.as_deref(), f.diagnostic.hints[0].as_str()), (Some("\"failure\""), "did you mean \"failure\"?"));
    // Near misses: allowed values, fields without allowed values, a value compared in case().
    assert_eq!(ids("FROM a | WHERE event.outcome == \"failure\" AND event.action == \"Failure\""), []);
    // Inside a KQL string too, on the value; the fix stays bare text.
    let q = "FROM a | WHERE KQL(\"event.outcome: Failure and event.kind: alert\")";
    assert_eq!(ids(q), [("ecs-value", 1, 36)]);
    assert_eq!(lint(&esql::syntax::parse(q).expect("parses"))[0].fix.as_deref(), Some("failure"));
    assert_eq!(ids("FROM a | WHERE KQL(\"event.outcome: failure or user.name: Failure\")"), []);
    // event.category is multi-valued too: mv-compare still says so.
    assert_eq!(ids("FROM a | WHERE event.category == \"Process\""), [("mv-compare", 1, 16), ("ecs-value", 1, 34)]);
}

#[test]
fn unknown_field_finds_typos_of_ecs_field_sets_too() {
    assert_eq!(
        ids("FROM a | WHERE usr.name == \"x\" AND evnt.action == \"y\""),
        [("unknown-field", 1, 16), ("unknown-field", 1, 36)]
    );
    // Near misses: integration prefixes, fields the query makes, real ECS fields.
    assert_eq!(ids("FROM a | WHERE okta.actor.id == \"x\" AND aws.cloudtrail.user_identity.arn == \"y\""), []);
    assert_eq!(ids("FROM a | EVAL usr.name = user.name | WHERE usr.name == \"x\""), []);
}

#[test]
fn allowed_values_match_ecs() {
    let Some(shared) = common::shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("ecs/ecs_flat-seed-rule-fields.yml")).expect("ecs yml");
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("yaml");
    for field in ["event.kind", "event.category", "event.type", "event.outcome"] {
        let want: Vec<&str> = doc[field]["allowed_values"]
            .as_sequence()
            .expect("allowed")
            .iter()
            .filter_map(|v| v["name"].as_str())
            .collect();
        assert_eq!(esql::io::catalog::ecs::allowed_values(field), Some(&want[..]), "{field}");
    }
}

#[test]
fn a_look_back_longer_than_the_interval_is_reported() {
    let seed = "[rule]\nfrom = \"now-60m\"\nquery = 'from a'\n";
    let found = esql::authoring::lint::schedule_findings(seed);
    let text = esql::authoring::lint::render(&found, seed);
    assert!(
        text.starts_with(
            "warning[lookback]: line 2:1: from = \"now-60m\" looks back 60 minutes but the rule runs every 5m"
        ),
        "{text}"
    );
    assert!(esql::authoring::lint::schedule_findings("[rule]\nfrom = \"now-6m\"\ninterval = \"5m\"\n").is_empty());
    assert!(esql::authoring::lint::schedule_findings("[rule]\nfrom = \"now-1m\"\ninterval = \"5m\"\n")[0]
        .diagnostic
        .message
        .contains("shorter than the interval"));
}

/// Lint never panics over the rule corpus, and finds the pitfalls known to be in it.
/// `--nocapture` prints the count per lint id (the figures of the issue's note).
#[test]
fn linting_the_rule_corpus_runs_clean_and_counts_findings() {
    let Some(shared) = common::shared_dir() else { return };
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let new = ["null-compare", "sql-like-wildcard", "ecs-value", "unknown-field"];
    for q in common::rule_corpus(&shared) {
        let Ok(ast) = esql::syntax::parse(&q.query) else { continue };
        for f in unsilenced(lint(&ast), &q.query) {
            *counts.entry(f.id).or_default() += 1;
            if new.contains(&f.id) && std::env::var("ESQL_LINT_SHOW").is_ok() {
                println!("{}: {}", q.path, esql::authoring::lint::render(&[f], &q.query));
            }
        }
    }
    println!("{counts:?}");
    assert!(counts.get("mv-compare").copied().unwrap_or(0) > 100, "{counts:?}");
    // e.g. hunting q092 computes process_folder twice and never groups on it.
    assert!(counts.get("unused-eval").copied().unwrap_or(0) >= 3, "{counts:?}");
    // No false alarms over shipped queries: each of these was a bug found here once.
    assert_eq!(counts.get("dropped-column"), None, "{counts:?}");
}

/// The command line: `--data` checks names against the documents, `--format json|sarif`
/// carries each finding's place in its file and its fix.
#[test]
fn a_name_in_no_document_is_reported_with_what_the_query_makes_of_it() {
    let known: std::collections::BTreeSet<String> = ["user.name".to_string()].into();
    let hint = |q: &str| {
        let ast = esql::syntax::parse(q).expect("parses");
        let found = esql::authoring::lint::unknown_in_data(&ast, &known, "logs-*");
        found.iter().map(|f| f.diagnostic.hints.join("; ")).collect::<Vec<_>>()
    };
    let plain = "FROM logs-* | WHERE zzz IS NULL";
    assert_eq!(hint(plain), ["no field of logs-* is near it; ES answers `Unknown column [zzz]`"]);
    // Under SET unmapped_fields="nullify" the query runs, and the name is null in every row.
    let nullified = hint(&format!("SET unmapped_fields=\"nullify\"; {plain}"));
    assert_eq!(nullified, ["no field of logs-* is near it; SET unmapped_fields makes it null in every row"]);
}

#[test]
fn the_command_line_checks_against_data_and_writes_json_and_sarif() {
    let dir = std::env::temp_dir().join(format!("esql-lint-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let rule =
        "[rule]\nname = \"x\"\nquery = '''\nfrom logs-*\n| where evnt.action == \"x\" and user.name != null\n'''\n";
    std::fs::write(dir.join("r.toml"), rule).expect("write");
    std::fs::write(dir.join("r.test.toml"), "[expect]\nrows = 0\n").expect("write");
    std::fs::write(dir.join("q.esql"), "from logs-* | where usr.name == \"x\"").expect("write");
    std::fs::write(dir.join("k.esql"), "from logs-* | where kql(\"user.nmae: x\")").expect("write");
    let d = dir.to_string_lossy().to_string();
    let out = common::esql(&["lint", "--data", "examples/data", "--format", "json", &d]);
    assert_eq!(out.status.code(), Some(1));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let brief: Vec<(String, String, u64, u64)> = found
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
            (
                file,
                f["id"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // k.esql's finding is on the name inside its KQL string.
    let want = [
        ("k.esql", "unknown-field", 1, 26),
        ("q.esql", "unknown-field", 1, 21),
        ("r.toml", "unknown-field", 5, 9),
        ("r.toml", "null-compare", 5, 32),
    ];
    assert_eq!(brief, want.map(|(a, b, c, d)| (a.to_string(), b.to_string(), c, d)));
    assert_eq!(found[0]["fix"], "user.name");
    assert_eq!(found[1]["message"], "[usr.name] is in no document or mapping of logs-*");
    let out = common::esql(&["lint", "--format", "sarif", &format!("{d}/r.toml")]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][1];
    assert_eq!(result["ruleId"], "null-compare");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "user.name IS NOT NULL"
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "sql-like-wildcard"));
    let _ = std::fs::remove_dir_all(&dir);
}
