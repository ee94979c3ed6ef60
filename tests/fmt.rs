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
            let once = esql::authoring::fmt::format(&q.query, upper).unwrap_or_else(|e| panic!("{}: {e:?}", q.path));
            let twice = esql::authoring::fmt::format(&once, upper).unwrap_or_else(|e| panic!("{}: {e:?}", q.path));
            assert_eq!(once, twice, "{}: not idempotent", q.path);
            assert_eq!(esql::syntax::parse(&once).expect("formatted parses"), ast, "{}", q.path);
            assert_eq!(
                esql::authoring::fmt::comments(&once),
                esql::authoring::fmt::comments(&q.query),
                "{}: comments lost",
                q.path
            );
        }
        checked += 1;
    }
    assert!(checked > 250, "only {checked} queries");
}

#[test]
fn keyword_case_follows_the_query_unless_upper_is_asked() {
    let q = "from logs-* // all logs\n| where a==1 and b in (1,2) | keep a";
    assert_eq!(
        esql::authoring::fmt::format(q, false).expect("fmt"),
        "from logs-*\n// all logs\n| where a == 1 and b in (1, 2)\n| keep a\n"
    );
    assert_eq!(
        esql::authoring::fmt::format(q, true).expect("fmt"),
        "FROM logs-*\n// all logs\n| WHERE a == 1 AND b IN (1, 2)\n| KEEP a\n"
    );
}

#[test]
fn rule_toml_queries_are_formatted_in_place_and_everything_else_is_kept() {
    let toml = "[metadata]\nmaturity = \"production\"\n\n[rule]\nname = \"x\"\nquery = '''\nfrom logs-* | where a==1 // one\n'''\nrisk_score = 47\n";
    let once = esql::authoring::fmt::format_toml(toml, false).expect("fmt");
    assert_eq!(
        once,
        "[metadata]\nmaturity = \"production\"\n\n[rule]\nname = \"x\"\nquery = '''\nfrom logs-*\n| where a == 1\n// one\n'''\nrisk_score = 47\n"
    );
    assert_eq!(esql::authoring::fmt::format_toml(&once, false).expect("fmt"), once, "idempotent");
    let hunt = "[hunt]\nquery = ['''\nfrom a|keep b\n''', '''from c|drop d''']\n";
    assert_eq!(
        esql::authoring::fmt::format_toml(hunt, true).expect("fmt"),
        "[hunt]\nquery = ['''\nFROM a\n| KEEP b\n''', '''FROM c\n| DROP d\n''']\n"
    );
    let basic = "[rule]\nquery = \"from a | keep b\"\n";
    let err = esql::authoring::fmt::format_toml(basic, false).expect_err("basic strings are not rewritten");
    assert!(err.contains("''' literal strings only"), "{err}");
    let broken = "[rule]\nquery = '''\nfrom a | keep\n'''\n";
    assert!(esql::authoring::fmt::format_toml(broken, false).expect_err("parse error").contains("line 1:"));
}

#[test]
fn the_seed_rule_toml_formats_idempotently() {
    let Some(shared) = common::shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("rules/seed-rule-2025-07-30.toml")).expect("seed rule");
    let once = esql::authoring::fmt::format_toml(&text, false).expect("fmt");
    assert_eq!(esql::authoring::fmt::format_toml(&once, false).expect("fmt"), once);
    let before = esql::authoring::query_file::from_toml(&text).expect("query");
    let after = esql::authoring::query_file::from_toml(&once).expect("query");
    assert_eq!(esql::syntax::parse(&after[0].text).ok(), esql::syntax::parse(&before[0].text).ok());
    assert!(once.starts_with(&text[..text.find("query = '''").expect("query")]), "the head is kept");
}
