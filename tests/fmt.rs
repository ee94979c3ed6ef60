//! `esql fmt` is idempotent over every query of the rule corpus, keeps every comment, and
//! the formatted text parses to the same tree as the original.

mod common;

#[test]
fn formatting_the_corpus_is_idempotent_and_keeps_the_tree_and_comments() {
    let Some(shared) = common::shared_dir() else { return };
    let mut checked = 0;
    for q in common::rule_corpus(&shared) {
        let Ok(ast) = esql::syntax::parse(&q.query) else { continue };
        for upper in [false, true] {
            let once = esql::fmt::format(&q.query, upper).unwrap_or_else(|e| panic!("{}: {e:?}", q.path));
            let twice = esql::fmt::format(&once, upper).unwrap_or_else(|e| panic!("{}: {e:?}", q.path));
            assert_eq!(once, twice, "{}: not idempotent", q.path);
            assert_eq!(esql::syntax::parse(&once).expect("formatted parses"), ast, "{}", q.path);
            assert_eq!(esql::fmt::comments(&once), esql::fmt::comments(&q.query), "{}: comments lost", q.path);
        }
        checked += 1;
    }
    assert!(checked > 250, "only {checked} queries");
}

#[test]
fn keyword_case_follows_the_query_unless_upper_is_asked() {
    let q = "from logs-* // all logs\n| where a==1 and b in (1,2) | keep a";
    assert_eq!(
        esql::fmt::format(q, false).expect("fmt"),
        "from logs-*\n// all logs\n| where a == 1 and b in (1, 2)\n| keep a\n"
    );
    assert_eq!(
        esql::fmt::format(q, true).expect("fmt"),
        "FROM logs-*\n// all logs\n| WHERE a == 1 AND b IN (1, 2)\n| KEEP a\n"
    );
}
