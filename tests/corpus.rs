//! Every query of Elastic's rule corpus parses and round-trips through `Display`; the
//! queries marked invalid fail with a diagnostic at the offending spot.

mod common;

/// Queries stored without a `note` that are nevertheless not valid ES|QL; each must fail
/// with its first error at this byte offset and with this message.
const INVALID_WITHOUT_NOTE: &[(&str, usize, &str, &str)] = &[
    (
        "hunting/azure/queries/aks_kubelet_proxy_command_execution_from_external_source.toml#0",
        890,
        "invalid escape sequence '\\?'",
        "regex escapes in a plain string: ES's lexer accepts only \\t \\n \\r \\\" \\\\",
    ),
    (
        "hunting/azure/queries/entra_authentication_attempts_behind_rare_user_agents.toml#0",
        1878,
        "expected an expression, found ')'",
        "a dangling `or` before the closing parenthesis",
    ),
    (
        "hunting/okta/queries/credential_access_rapid_reset_password_requests_for_different_users.toml#0",
        590,
        "expected an expression, found 'by'",
        "`reset_counts = by ...`: an aggregate is missing",
    ),
    (
        "hunting/windows/queries/execution_via_windows_scheduled_task_with_low_occurrence_frequency.toml#0",
        98,
        "expected an expression, found ')'",
        "`now(-)`: a stray minus inside the call",
    ),
];

#[test]
fn every_valid_rule_query_parses_and_round_trips() {
    let Some(shared) = common::shared_dir() else { return };
    let corpus = common::rule_corpus(&shared);
    assert!(corpus.len() > 250, "corpus unexpectedly small: {}", corpus.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for q in corpus.iter().filter(|q| q.note.is_none()) {
        if let Some((_, at, message, why)) = INVALID_WITHOUT_NOTE.iter().find(|k| k.0 == q.path) {
            let errors = esql::syntax::parse(&q.query).expect_err(why);
            assert_eq!((errors[0].span.start as usize, errors[0].message.as_str()), (*at, *message), "{}", q.path);
            continue;
        }
        checked += 1;
        if let Err(e) = common::round_trip(&q.query) {
            failures.push(format!("{}: {e}", q.path));
        }
    }
    assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn queries_marked_invalid_fail_at_the_stray_line() {
    let Some(shared) = common::shared_dir() else { return };
    let corpus = common::rule_corpus(&shared);
    let invalid: Vec<_> = corpus.iter().filter(|q| q.note.is_some()).collect();
    assert!(!invalid.is_empty());
    for q in invalid {
        let errors = esql::syntax::parse(&q.query).expect_err(&q.path);
        let first = &errors[0];
        // The stored text starts with a stray `sql` line (a markdown fence artefact).
        assert!(q.query.starts_with("sql\n"), "{}: note without the known artefact", q.path);
        assert_eq!((first.span.start, first.span.end), (0, 3), "{}: {:?}", q.path, first);
        let rendered = esql::diagnostic::Diagnostic::from(first.clone()).render(&q.query);
        assert!(rendered.starts_with("line 1:1: "), "{rendered}");
    }
}

#[test]
fn every_function_the_corpus_calls_is_in_the_table() {
    let Some(shared) = common::shared_dir() else { return };
    let mut missing = std::collections::BTreeMap::<String, Vec<String>>::new();
    let mut calls = 0;
    for q in common::rule_corpus(&shared).iter().filter(|q| q.note.is_none()) {
        let Ok(ast) = esql::syntax::parse(&q.query) else { continue };
        for e in ast.commands.iter().flat_map(|c| c.exprs()) {
            each_call(e, &mut |name| {
                calls += 1;
                if esql::functions::lookup(name).is_none() {
                    missing.entry(name.to_lowercase()).or_default().push(q.path.clone());
                }
            });
        }
    }
    assert!(calls > 1000, "only {calls} calls found");
    assert!(missing.is_empty(), "unknown functions: {missing:#?}");
}

fn each_call<'e>(e: &'e esql::syntax::Expr, f: &mut dyn FnMut(&'e str)) {
    if let esql::syntax::ExprKind::Call { name, .. } = &e.kind {
        f(name);
    }
    e.children().into_iter().for_each(|c| each_call(c, f));
}

#[test]
fn every_kql_and_query_string_of_the_corpus_parses() {
    let Some(shared) = common::shared_dir() else { return };
    let mut failures = Vec::new();
    let mut seen = 0;
    for q in common::rule_corpus(&shared).iter().filter(|q| q.note.is_none()) {
        let Ok(ast) = esql::syntax::parse(&q.query) else { continue };
        for e in ast.commands.iter().flat_map(|c| c.exprs()) {
            each_search_string(e, &mut |name, text| {
                seen += 1;
                let ok = match name {
                    "kql" => esql::search::kql::parse(text).map(drop).map_err(|e| e.message),
                    _ => esql::search::qstr::parse(text, "*").map(drop).map_err(|e| e.message),
                };
                if let Err(m) = ok {
                    failures.push(format!("{}: {name}({text:?}): {m}", q.path));
                }
            });
        }
    }
    assert!(seen >= 20, "only {seen} KQL/QSTR strings found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn each_search_string<'e>(e: &'e esql::syntax::Expr, f: &mut dyn FnMut(&'static str, &'e str)) {
    use esql::syntax::{ExprKind, Literal};
    if let ExprKind::Call { name, args, .. } = &e.kind {
        let kind = if name.eq_ignore_ascii_case("kql") {
            Some("kql")
        } else if name.eq_ignore_ascii_case("qstr") {
            Some("qstr")
        } else {
            None
        };
        if let (Some(kind), Some(ExprKind::Literal(Literal::String(s)))) = (kind, args.first().map(|a| &a.kind)) {
            f(kind, s);
        }
    }
    e.children().into_iter().for_each(|c| each_search_string(c, f));
}
