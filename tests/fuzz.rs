//! Property tests: random and mutated queries never make the parser panic, every error
//! has a valid span that renders, and whatever parses round-trips through `Display`.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Pieces random queries are built from: ES|QL tokens plus troublemakers.
const TOKENS: &[&str] = &[
    "from",
    "row",
    "where",
    "eval",
    "stats",
    "by",
    "keep",
    "drop",
    "rename",
    "as",
    "sort",
    "limit",
    "desc",
    "nulls",
    "first",
    "dissect",
    "grok",
    "enrich",
    "on",
    "with",
    "lookup",
    "join",
    "fork",
    "mv_expand",
    "not",
    "and",
    "or",
    "in",
    "like",
    "rlike",
    "is",
    "null",
    "true",
    "false",
    "|",
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "::",
    ":",
    ".",
    "`",
    "\"",
    "\"\"\"",
    "?",
    "??",
    "@timestamp",
    "source.ip",
    "logs-*",
    "count(*)",
    "1",
    "1.5",
    "1e3",
    ".5",
    "8 hours",
    "1day",
    "\"x\"",
    "\\",
    "//",
    "/*",
    "*/",
    "\n",
    " ",
    "\t",
    "é",
    "😀",
    "'",
    ";",
    "-x",
    "metadata",
    "_id",
];

fn check(src: &str) -> Result<(), TestCaseError> {
    match esql::syntax::parse(src) {
        Ok(ast) => {
            if let Err(e) = common::round_trip(src) {
                return Err(TestCaseError::fail(format!("{src:?}: {e} ({ast:?})")));
            }
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            for e in errors {
                let (s, t) = (e.span.start as usize, e.span.end as usize);
                prop_assert!(s <= t && t <= src.len(), "{src:?}: span {s}..{t} outside {}", src.len());
                prop_assert!(
                    src.is_char_boundary(s) && src.is_char_boundary(t),
                    "{src:?}: span {s}..{t} splits a char"
                );
                let rendered = esql::diagnostic::Diagnostic::from(e).render(src);
                prop_assert!(rendered.starts_with("line "), "{rendered}");
            }
        }
    }
    Ok(())
}

/// `FUZZ_CASES=N` runs more cases than the CI default.
fn config(cases: u32) -> Config {
    let cases = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, ..Config::default() }
}

#[test]
fn random_token_soup_never_panics() {
    let soup = prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|v| v.join(" "));
    let glued = prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|v| v.concat());
    TestRunner::new(config(3000)).run(&prop_oneof![soup, glued], |s| check(&s)).unwrap();
}

#[test]
fn arbitrary_strings_never_panic() {
    TestRunner::new(config(3000)).run(&".{0,200}", |s| check(&s)).unwrap();
}

/// A mutation of a corpus query: cut, delete, duplicate or insert at a random spot.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
}

fn apply(q: &str, m: &Mutation) -> String {
    let at = |n: usize| {
        let mut n = n % (q.len() + 1);
        while !q.is_char_boundary(n) {
            n -= 1;
        }
        n
    };
    match *m {
        Mutation::Truncate(n) => q[..at(n)].to_string(),
        Mutation::Delete(a, len) => {
            let (a, b) = (at(a), at(a + len % 12));
            format!("{}{}", &q[..a], &q[b.max(a)..])
        }
        Mutation::Insert(a, tok) => format!("{}{}{}", &q[..at(a)], tok, &q[at(a)..]),
        Mutation::Duplicate(a, len) => {
            let (a, b) = (at(a), at(a + len % 30));
            format!("{}{}", &q[..b.max(a)], &q[a..])
        }
    }
}

#[test]
fn mutated_corpus_queries_never_panic() {
    let Some(shared) = common::shared_dir() else { return };
    let corpus: Vec<String> = common::rule_corpus(&shared).into_iter().map(|q| q.query).collect();
    let mutation = prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ];
    let strategy = (0..corpus.len(), prop::collection::vec(mutation, 1..4));
    TestRunner::new(config(3000))
        .run(&strategy, |(k, ms)| {
            let q = ms.iter().fold(corpus[k].clone(), |q, m| apply(&q, m));
            check(&q)
        })
        .unwrap();
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for depth in [50usize, 399, 401, 5000, 100_000] {
        for (open, close) in [("(", ")"), ("not ", ""), ("-", ""), ("f(", ")")] {
            let src = format!("row a = {}1{}", open.repeat(depth), close.repeat(depth));
            let result = esql::syntax::parse(&src);
            if depth <= 200 {
                assert!(result.is_ok(), "depth {depth} with {open:?}: {result:?}");
            } else if depth > 400 {
                let err = result.expect_err("too deep");
                assert!(err[0].message.contains("exceeded the maximum expression depth"), "{:?}", err[0]);
            }
        }
    }
}
