//! RLIKE and LIKE read patterns as Lucene does (Elasticsearch builds `RegExp(pattern, ALL |
//! DEPRECATED_COMPLEMENT)` and Lucene wildcards): a table of operators with strings that
//! must and must not match, the whole string each time.

use esql::functions::lucene::{matches_all, regexp, wildcard};

mod common;

/// (pattern, matching strings, non-matching strings).
const REGEXPS: &[(&str, &[&str], &[&str])] = &[
    // From the issue: a leading `*` is a literal; `[` inside a class is a plain character.
    ("*sh.{1,2}-c*", &["*sha-", "*shxy-ccc"], &["bash -c", "sh.-c", "*sh-c"]),
    ("x[[]y", &["x[y"], &["xy", "x[[y"]),
    ("[a[]+", &["a[a", "["], &["b"]),
    // Whole-string matching; `.` matches newlines too.
    ("ab", &["ab"], &["abc", "xab"]),
    ("a.c", &["abc", "a\nc"], &["ac"]),
    // Repetition.
    ("a{2}", &["aa"], &["a", "aaa"]),
    ("a{2,}", &["aa", "aaaa"], &["a"]),
    ("a{1,3}b", &["ab", "aaab"], &["b", "aaaab"]),
    ("(ab)+", &["ab", "abab"], &["", "aba"]),
    ("a**", &["", "aaa"], &["b"]),
    // Operators with other meanings than in Rust regexes.
    ("@", &["", "anything at all"], &[]),
    ("a@", &["a", "abc"], &["ba"]),
    ("#", &[], &["", "a"]),
    ("~(foo)", &["", "fo", "fooo", "bar"], &["foo"]),
    (".*a.*&.*b.*", &["ab", "ba", "xaxbx"], &["aa", "b"]),
    ("abc|~(.*c)", &["abc", "ab", ""], &["xc"]),
    ("<1-5>", &["1", "5"], &["0", "6", "01", "10"]),
    ("<1-10>", &["1", "7", "10", "007", "0010"], &["11", "0", ""]),
    ("<01-10>", &["01", "09", "10"], &["1", "11", "001"]),
    ("id<100-250>", &["id100", "id199", "id250"], &["id99", "id251", "id0150"]),
    ("\"a.b*\"c", &["a.b*c"], &["aXbc", "abc"]),
    ("()a", &["a"], &["", "()a"]),
    // Classes and escapes.
    ("[^a-c]x", &["dx", "\nx"], &["ax", "cx"]),
    ("\\d+\\s\\w", &["12 a", "0\t_"], &["a b", "12  a"]),
    ("\\*\\.\\@", &["*.@"], &["x.@"]),
    ("[\\]]", &["]"], &["\\"]),
    // Lucene reads an empty pattern as the empty string.
    ("", &[""], &["a"]),
];

const WILDCARDS: &[(&str, &[&str], &[&str])] = &[
    ("*segfault*", &["kernel: segfault at 0", "segfault"], &["seg fault"]),
    ("a?c", &["abc", "a\nc"], &["ac", "abbc"]),
    ("a\\*c", &["a*c"], &["abc"]),
    ("[a]", &["[a]"], &["a"]),
    ("a.c", &["a.c"], &["abc"]),
];

type Table = [(&'static str, &'static [&'static str], &'static [&'static str])];

/// Every row of `table`, compiled by `compile`, matches its yes-strings and none of its no-strings.
fn check(table: &Table, compile: fn(&str) -> Result<esql::functions::lucene::Matcher, String>) {
    for (pattern, yes, no) in table {
        let m = compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for s in *yes {
            assert!(m.is_match(s), "{pattern} should match {s:?}");
        }
        for s in *no {
            assert!(!m.is_match(s), "{pattern} should not match {s:?}");
        }
    }
}

#[test]
fn lucene_regexps_match_what_lucene_matches() {
    check(REGEXPS, regexp);
}

#[test]
fn lucene_wildcards_match_what_lucene_matches() {
    check(WILDCARDS, wildcard);
}

#[test]
fn malformed_regexps_are_refused_with_a_reason() {
    for (pattern, reason) in [
        ("(ab", "expected ')'"),
        ("[ab", "expected ']'"),
        ("a{2", "expected '}'"),
        ("a{3,2}", "invalid repetition"),
        ("[z-a]", "invalid range"),
        ("ab)", "end-of-string expected"),
        ("a(b&c)d", "only at the top"),
        // `~` binds to one item: `~foo` is `(~f)oo`, a complement inside a concatenation.
        ("~foo", "only at the top"),
        ("<1->", "interval syntax error"),
    ] {
        let err = regexp(pattern).err().unwrap_or_else(|| panic!("{pattern} compiled"));
        assert!(err.contains(reason), "{pattern}: {err}");
    }
}

#[test]
fn patterns_that_match_everything_are_known() {
    // Elasticsearch plans these as `x IS NOT NULL` (`ReplaceRegexMatch`).
    for (pattern, regex) in [("*", false), ("**", false), (".*", true), ("(.*)+", true), ("a|.*", true), ("@", true)] {
        assert!(matches_all(pattern, regex), "{pattern} matches everything");
    }
    for (pattern, regex) in
        [("", false), ("*?", false), ("\\*", false), ("", true), (".+", true), ("a.*", true), ("~a", true)]
    {
        assert!(!matches_all(pattern, regex), "{pattern} does not match everything");
    }
}

#[test]
fn a_match_of_everything_answers_as_is_not_null() {
    let engine = common::engine_over("like-all", &[]);
    let cases = [
        // `NOT x LIKE "*"` keeps a row without x (where.csv-spec's notLikeListAllWildcard).
        ("ROW x = null | WHERE NOT x LIKE (\"*\", \"a\") | EVAL k = 1", "null, 1"),
        (
            "ROW x = [\"a\", \"b\"] | EVAL l = x LIKE \"**\", r = x RLIKE \".*\", n = NOT x RLIKE \"(.*)+\"",
            "[a, b], true, true, false",
        ),
        ("ROW x = \"\" | EVAL e = x RLIKE \"\", f = \"a\" RLIKE \"\"", ", true, false"),
    ];
    let failures = common::answer_mismatches(&engine, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
