//! Defects a query text reaches: long chains, LIMIT, huge values, overflow, output escaping.

use super::*;

/// Terms joined by `op`, as machine-written rules chain them.
fn chain(term: &str, op: &str, n: usize) -> String {
    vec![term; n].join(op)
}

#[test]
fn d02_long_operator_chains_are_refused_as_elasticsearch_does_not_crashed() {
    let or = format!("ROW a = 1 | WHERE {}", chain("a == 1", " OR ", 5_000));
    let plus = format!("ROW a = 1 | EVAL b = {}", chain("a", " + ", 100_000));
    let casts = format!("ROW a = 1 | EVAL b = a{}", "::long".repeat(1_000));
    let dir = fresh_dir("chains");
    for (k, q) in [&or, &plus, &casts].into_iter().enumerate() {
        let file = dir.join(format!("long{k}.esql"));
        std::fs::write(&file, q).expect("write");
        for cmd in ["run", "explain"] {
            let (code, _, err) = outcome(&esql(&[cmd, p(&file)]));
            assert_eq!(code, Some(2), "{cmd}: {err}");
            assert!(err.contains("exceeded the maximum expression depth allowed (400)"), "{err}");
            assert!(err.lines().all(|l| l.chars().count() < 200), "the error shows a window of the line:\n{err}");
        }
        for cmd in ["parse", "fmt", "lint"] {
            let (code, _, err) = outcome(&esql(&[cmd, p(&file)]));
            assert!(matches!(code, Some(1 | 2)), "{cmd} must fail cleanly, not abort: {code:?} {err}");
        }
    }
}

#[test]
fn d02_the_deepest_accepted_trees_run_on_worker_threads() {
    let docs: String = (0..3000).map(|i| format!("{{\"a\":{i}}}\n")).collect();
    let dir = data_dir("deep", &[("t.ndjson", docs.as_bytes())]);
    let plus = chain("a", " + ", 390);
    let and = format!("({plus}) > 0 AND {}", chain("a > 0", " AND ", 389));
    let or = format!("({and}) OR {}", chain("a == 1", " OR ", 389));
    let nested = format!("{}a{}", "abs(".repeat(390), ")".repeat(390));
    for q in [
        format!("FROM t | WHERE {or} | STATS c = count(*)"),
        format!("FROM t | EVAL b = {nested} | STATS c = count(b)"),
    ] {
        for threads in ["1", "2"] {
            let out = esql(&["run", "-e", &q, "--data", p(&dir), "--threads", threads, "--format", "csv"]);
            let (code, stdout, err) = outcome(&out);
            assert_eq!(code, Some(0), "{err}");
            assert!(stdout.starts_with("c\r\n"), "{stdout}");
        }
    }
}

#[test]
fn d02_a_query_over_a_million_characters_is_refused() {
    let q = format!("ROW a = \"{}\"", "x".repeat(1_000_001));
    let dir = fresh_dir("huge-query");
    let file = dir.join("q.esql");
    std::fs::write(&file, &q).expect("write");
    let (code, _, err) = outcome(&esql(&["run", p(&file)]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("ESQL statement is too large [1000011 characters > 1000000]"), "{err}");
}

#[test]
fn d07_limit_caps_only_the_result() {
    let docs: String = (0..25_000).map(|i| format!("{{\"n\":{i}}}\n")).collect();
    let dir = data_dir("limit", &[("t.ndjson", docs.as_bytes())]);
    for (q, want) in [
        ("FROM t | LIMIT 20000 | STATS c = count(*)", "c\r\n20000\r\n"),
        ("FROM t | SORT n DESC | LIMIT 1000000000 | STATS c = count(*)", "c\r\n25000\r\n"),
        ("FROM t | SORT n | LIMIT 20000 | STATS m = max(n)", "m\r\n19999\r\n"),
    ] {
        let (code, out, err) = outcome(&run_query(q, Some(&dir), "csv"));
        assert_eq!((code, out.as_str()), (Some(0), want), "{q}: {err}");
    }
    let (code, out, _) = outcome(&run_query("FROM t | LIMIT 20000", Some(&dir), "csv"));
    assert_eq!((code, out.lines().count()), (Some(0), 10_001), "the result itself stays capped at 10,000 rows");
    let (code, _, err) = outcome(&run_query("ROW a = 1 | LIMIT 2147483648", None, "csv"));
    assert_eq!(code, Some(2));
    assert!(err.contains("Invalid value for LIMIT [2147483648: Long], expecting a non negative integer"), "{err}");
}

#[test]
fn d10_text_outputs_escape_terminal_control_sequences() {
    let evil =
        "{\"msg\":\"ok\\u001b[2J\\u001b]0;owned\\u0007\\u001b]52;c;ZWNobyBvd25lZA==\\u0007\\rforged|row\\u202e\"}\n";
    let dir = data_dir("escape", &[("t.ndjson", evil.as_bytes())]);
    for format in ["txt", "tsv"] {
        let (code, out, err) = outcome(&run_query("FROM t | KEEP msg", Some(&dir), format));
        assert_eq!(code, Some(0), "{err}");
        assert!(!out.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']), "{format}: {out:?}");
        assert!(out.contains("ok\\u001b[2J\\u001b]0;owned\\u0007"), "{format}: {out}");
        assert!(out.contains("\\rforged|row\\u202e"), "{format}: {out}");
    }
    // JSON escapes control characters by itself; CSV keeps the value exact, quoted.
    let (_, json, _) = outcome(&run_query("FROM t | KEEP msg", Some(&dir), "json"));
    assert!(!json.contains('\u{1b}') && json.contains("\\u001b[2J"), "{json}");
}

#[test]
fn d09_huge_values_are_capped_with_elasticsearchs_warnings() {
    let q = "ROW a = repeat(\"ab\", 1000000), b = replace(repeat(\"a\", 1048576), \"a\", \"bb\"), c = length(repeat(\"é\", 1000))";
    let (code, out, err) = outcome(&run_query(q, None, "csv"));
    assert_eq!((code, out.as_str()), (Some(0), "a,b,c\r\n,,1000\r\n"), "{err}");
    assert!(err.contains("java.lang.IllegalArgumentException: Creating repeated strings with more than [1048576] bytes is not supported"), "{err}");
    assert!(
        err.contains(
            "java.lang.IllegalArgumentException: Creating strings with more than [1048576] bytes is not supported"
        ),
        "{err}"
    );
    let (code, _, err) = outcome(&run_query("ROW a = repeat(\"a\", 700000) | EVAL b = concat(a, a)", None, "csv"));
    assert_eq!(code, Some(1), "concat past the cap fails the query, as in Elasticsearch");
    assert!(err.contains("concatenating more than [1048576] bytes is not supported"), "{err}");
}

#[test]
fn d11_overflow_warns_as_elasticsearch_does() {
    let q = "ROW x = [9223372036854775807, 1] | MV_EXPAND x | STATS s = SUM(x)";
    let (code, out, err) = outcome(&run_query(q, None, "csv"));
    assert_eq!((code, out.as_str()), (Some(0), "s\r\n\r\n"), "{err}");
    assert!(err.contains("Line 1:60: java.lang.ArithmeticException: long overflow"), "{err}");
    let q = "ROW a = 1e308 * 10, b = -1e308 - 1e308, c = 1.0 / 0.0";
    let (code, _, err) = outcome(&run_query(q, None, "csv"));
    assert_eq!(code, Some(0));
    for w in [
        "Line 1:9: java.lang.ArithmeticException: not a finite double number: Infinity",
        "Line 1:25: java.lang.ArithmeticException: not a finite double number: -Infinity",
        "Line 1:45: java.lang.ArithmeticException: / by zero",
    ] {
        assert!(err.contains(w), "{w}\n{err}");
    }
}

#[test]
fn d13_date_diff_takes_every_unit_and_does_not_wrap() {
    let q = "ROW a = to_datetime(\"2023-01-01T00:00:00Z\"), b = to_datetime(\"2023-01-01T00:00:01.5Z\") \
             | EVAL us = date_diff(\"microseconds\", a, b), ns = date_diff(\"ns\", a, b), dy = date_diff(\"dy\", a, b), \
             far = date_diff(\"ms\", to_datetime(-9000000000000000), to_datetime(9000000000000000)) \
             | KEEP us, ns, dy, far";
    let (code, out, err) = outcome(&run_query(q, None, "csv"));
    assert_eq!((code, out.as_str()), (Some(0), "us,ns,dy,far\r\n1500000,1500000000,0,\r\n"), "{err}");
    assert!(err.contains("[18000000000000000] out of [integer] range"), "{err}");
}

#[test]
fn d08_name_patterns_match_in_linear_time_and_as_before() {
    let name = format!("{}b", "a".repeat(60));
    let q = format!("ROW {name} = 1, xa = 2 | KEEP *a*a*a*a*a*a*a*a*a*a*b");
    let started = std::time::Instant::now();
    let (code, out, err) = outcome(&run_query(&q, None, "csv"));
    assert_eq!((code, out.as_str()), (Some(0), format!("{name}\r\n1\r\n").as_str()), "{err}");
    assert!(started.elapsed().as_secs() < 2, "backtracking took exponential time here");
    // The linear matcher agrees with plain backtracking on every small case.
    fn backtrack(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*', rest)) => (0..=s.len()).any(|i| backtrack(rest, &s[i..])),
            Some((c, rest)) => s.first() == Some(c) && backtrack(rest, &s[1..]),
        }
    }
    let alphabet = ["a", "b", "*"];
    let words: Vec<String> = (0..4usize)
        .flat_map(|len| (0..3usize.pow(len as u32)).map(move |k| (len, k)))
        .map(|(len, mut k)| {
            (0..len)
                .map(|_| {
                    let c = alphabet[k % 3];
                    k /= 3;
                    c
                })
                .collect()
        })
        .collect();
    let mut checked = 0;
    for p in words.iter().filter(|w| !w.is_empty()) {
        let Ok(q) = esql::syntax::parse(&format!("ROW x = 1 | KEEP {p}")) else { continue };
        let esql::syntax::CommandKind::Keep(pats) = &q.commands[1].kind else { continue };
        for n in words.iter().filter(|w| !w.contains('*')) {
            assert_eq!(pats[0].matches(n), backtrack(p.as_bytes(), n.as_bytes()), "{p} ~ {n}");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} cases compared");
}
