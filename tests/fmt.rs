//! `esql fmt`: over every query of the rule corpus and at several widths, formatting is
//! idempotent, keeps the tree and every comment, and keeps lines within the width unless a
//! single token is wider; goldens of the seed rule at 60, 80 and 120 columns
//! (`tests/golden/fmt-seed-*.esql`, `UPDATE=1` rewrites them).

mod common;

use esql::authoring::fmt::{comments, format, format_toml, Options};

fn opts(width: usize, upper: bool) -> Options {
    Options { width, upper }
}

/// The lines of `text` wider than `width` that are not wide because of a single token: a
/// line may pass the width only when its longest token (a string, a name, a comment, or
/// `field:"query"`), at the line's indentation and with a command word or operator beside
/// it (12 columns), would not fit.
fn too_wide(text: &str, width: usize) -> Vec<String> {
    let mut in_comment = vec![false; text.len() + 1];
    for (s, e) in esql::syntax::comment_spans(text) {
        in_comment[s..e].iter_mut().for_each(|b| *b = true);
    }
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        let start = at;
        at += line.len() + 1;
        let chars = line.chars().count();
        let indent = line.len() - line.trim_start().len();
        if chars <= width || in_comment[start + indent] {
            continue;
        }
        let longest = tokens(line.trim_start()).iter().map(|t| t.chars().count()).max().unwrap_or(0);
        if indent + longest + 12 <= width {
            out.push(line.to_string());
        }
    }
    out
}

/// Tokens split at spaces outside quotes; `//` runs to the end of the line.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (b, mut start, mut k) = (line.as_bytes(), 0, 0);
    while k < b.len() {
        match b[k] {
            b'/' if b.get(k + 1) == Some(&b'/') => {
                out.push(&line[start..]);
                return out;
            }
            b'"' if line[k..].starts_with("\"\"\"") => k = line[k + 3..].find("\"\"\"").map_or(b.len(), |n| k + n + 6),
            q @ (b'"' | b'`') => {
                k += 1;
                while k < b.len() && b[k] != q {
                    k += if b[k] == b'\\' { 2 } else { 1 };
                }
                k += 1;
            }
            b' ' => {
                out.push(&line[start..k]);
                k += 1;
                start = k;
            }
            _ => k += 1,
        }
    }
    out.push(&line[start.min(line.len())..]);
    out
}

#[test]
fn formatting_the_corpus_is_idempotent_and_keeps_the_tree_comments_and_width() {
    let Some(shared) = common::shared_dir() else { return };
    let mut checked = 0;
    let mut bad = Vec::new();
    for q in common::rule_corpus(&shared) {
        let Ok(ast) = esql::syntax::parse(&q.query) else { continue };
        for (width, upper) in [(80, false), (80, true), (60, false), (120, false)] {
            let o = opts(width, upper);
            let once = match format(&q.query, &o) {
                Ok(t) => t,
                Err(e) => {
                    bad.push(format!("{} at {width}: {}", q.path, e[0].message));
                    continue;
                }
            };
            if format(&once, &o).ok().as_ref() != Some(&once) {
                bad.push(format!("{} at {width}: not idempotent:\n{once}", q.path));
            }
            assert_eq!(esql::syntax::parse(&once).expect("formatted parses"), ast, "{}", q.path);
            assert_eq!(comments(&once), comments(&q.query), "{}: comments lost", q.path);
            bad.extend(too_wide(&once, width).into_iter().map(|l| format!("{} at {width}: too wide: {l}", q.path)));
        }
        checked += 1;
    }
    assert!(checked > 250, "only {checked} queries");
    assert!(bad.is_empty(), "{} failures:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_seed_rule_at_60_80_and_120_columns() {
    let src = std::fs::read_to_string("queries/m365_entra_signin_from_suspicious_source.verbatim.esql").expect("seed");
    let update = std::env::var("UPDATE").is_ok_and(|v| v == "1");
    for width in [60, 80, 120] {
        let got = format(&src, &opts(width, false)).expect("fmt");
        let path = format!("tests/golden/fmt-seed-{width}.esql");
        if update {
            std::fs::write(&path, &got).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (UPDATE=1 writes it)"));
        assert_eq!(got, want, "{path} differs (UPDATE=1 rewrites it)");
        assert_eq!(too_wide(&got, width), Vec::<String>::new(), "{path}: lines too wide");
    }
}

#[test]
fn keyword_case_follows_the_query_unless_upper_is_asked() {
    let q = "from logs-* // all logs\n| where a==1 and b in (1,2) | keep a";
    assert_eq!(
        format(q, &opts(80, false)).expect("fmt"),
        "from logs-* // all logs\n| where a == 1 and b in (1, 2)\n| keep a\n"
    );
    assert_eq!(
        format(q, &opts(80, true)).expect("fmt"),
        "FROM logs-* // all logs\n| WHERE a == 1 AND b IN (1, 2)\n| KEEP a\n"
    );
}

#[test]
fn comments_stay_where_they_stand_and_blank_lines_between_commands_are_kept() {
    let q = "from a\n\n\n// why\n| where x == 1 // first\n  and y == 2\n| stats\n  // how many\n  c = count(*), // all\n  m = max(z)\n  by k\n";
    let want = "from a\n\n// why\n| where x == 1 // first\n    and y == 2\n| stats\n    // how many\n    c = count(*), // all\n    m = max(z)\n  by k\n";
    assert_eq!(format(q, &opts(80, false)).expect("fmt"), want);
    assert_eq!(format(want, &opts(80, false)).expect("fmt"), want, "idempotent");
}

#[test]
fn a_trailing_comment_too_long_for_its_line_goes_above_it() {
    let q = "from a | stats\n  first_seen = min(@timestamp), // the first arrival of the user in the last region seen\n  n = count(*)";
    let want = "from a\n| stats\n    // the first arrival of the user in the last region seen\n    first_seen = min(@timestamp),\n    n = count(*)\n";
    assert_eq!(format(q, &opts(80, false)).expect("fmt"), want);
    assert_eq!(format(want, &opts(80, false)).expect("fmt"), want, "idempotent");
}

#[test]
fn unnamed_columns_keep_their_text_because_it_is_their_name() {
    let q = "from a | eval  x+1 , y = x  +  1 | stats COUNT( * ) by  bucket(t,1 hour)";
    assert_eq!(
        format(q, &opts(80, false)).expect("fmt"),
        "from a\n| eval x+1, y = x + 1\n| stats COUNT( * ) by bucket(t,1 hour)\n"
    );
}

#[test]
fn rule_toml_queries_are_formatted_in_place_and_everything_else_is_kept() {
    let o = opts(80, false);
    let toml = "[metadata]\nmaturity = \"production\"\n\n[rule]\nname = \"x\"\nquery = '''\nfrom logs-* | where a==1 // one\n'''\nrisk_score = 47\n";
    let once = format_toml(toml, &o).expect("fmt");
    assert_eq!(
        once,
        "[metadata]\nmaturity = \"production\"\n\n[rule]\nname = \"x\"\nquery = '''\nfrom logs-*\n| where a == 1 // one\n'''\nrisk_score = 47\n"
    );
    assert_eq!(format_toml(&once, &o).expect("fmt"), once, "idempotent");
    let hunt = "[hunt]\nquery = ['''\nfrom a|keep b\n''', '''from c|drop d''']\n";
    assert_eq!(
        format_toml(hunt, &opts(80, true)).expect("fmt"),
        "[hunt]\nquery = ['''\nFROM a\n| KEEP b\n''', '''FROM c\n| DROP d\n''']\n"
    );
    let basic = "[rule]\nquery = \"from a | keep b\"\n";
    let err = format_toml(basic, &o).expect_err("basic strings are not rewritten");
    assert!(err.contains("''' literal strings only"), "{err}");
    let broken = "[rule]\nquery = '''\nfrom a | keep\n'''\n";
    assert!(format_toml(broken, &o).expect_err("parse error").contains("line 1:"));
}

#[test]
fn the_seed_rule_toml_formats_idempotently() {
    let Some(shared) = common::shared_dir() else { return };
    let o = Options::default();
    let text = std::fs::read_to_string(shared.join("rules/seed-rule-2025-07-30.toml")).expect("seed rule");
    let once = format_toml(&text, &o).expect("fmt");
    assert_eq!(format_toml(&once, &o).expect("fmt"), once);
    let before = esql::authoring::query_file::from_toml(&text).expect("query");
    let after = esql::authoring::query_file::from_toml(&once).expect("query");
    assert_eq!(esql::syntax::parse(&after[0].text).ok(), esql::syntax::parse(&before[0].text).ok());
    assert!(once.starts_with(&text[..text.find("query = '''").expect("query")]), "the head is kept");
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/sub")).expect("mkdir");
    dir
}

#[test]
fn the_command_line_walks_folders_with_the_nearest_settings() {
    let dir = temp_dir("cli");
    let long = "from logs-* | where event.dataset == \"azure.signinlogs\" and event.outcome == \"success\"\n";
    std::fs::write(dir.join(".esqlfmt.toml"), "width = 60\nexclude = [\"*.verbatim.esql\"]\n").expect("write");
    std::fs::write(dir.join("rules/sub/a.esql"), long).expect("write");
    std::fs::write(dir.join("rules/b.verbatim.esql"), long).expect("write");
    std::fs::write(dir.join("rules/b.test.toml"), "[expect]\nrows = 0\n").expect("write");
    std::fs::write(dir.join("rules/pyproject.toml"), "[tool]\nname = 1\n").expect("write");
    let d = dir.to_string_lossy().to_string();
    let out = common::esql(&["fmt", "--check", &d]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("would reformat {d}/rules/sub/a.esql\n"));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("1 file(s) checked, 1 excluded by .esqlfmt.toml; 1 would be reformatted"), "{err}");
    assert_eq!(common::esql(&["fmt", &d]).status.code(), Some(0));
    let a = std::fs::read_to_string(dir.join("rules/sub/a.esql")).expect("read");
    assert_eq!(a, "from logs-*\n| where event.dataset == \"azure.signinlogs\"\n    and event.outcome == \"success\"\n");
    assert_eq!(common::esql(&["fmt", "--check", &d]).status.code(), Some(0));
    // --width wins over the file; a file named on the command line is formatted even if excluded.
    let b = format!("{d}/rules/b.verbatim.esql");
    assert_eq!(common::esql(&["fmt", "--check", "--width", "120", &b]).status.code(), Some(1));
    assert_eq!(common::esql(&["fmt", "--width", "120", &b]).status.code(), Some(0));
    let b_text = std::fs::read_to_string(&b).expect("read");
    assert_eq!(b_text, "from logs-*\n| where event.dataset == \"azure.signinlogs\" and event.outcome == \"success\"\n");
    // A bad settings file is an error, not a silent default.
    std::fs::write(dir.join(".esqlfmt.toml"), "widht = 60\n").expect("write");
    let out = common::esql(&["fmt", "--check", &d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `widht`"), "{:?}", out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_projects_queries_are_formatted() {
    let out = common::esql(&["fmt", "--check", "queries/"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

/// Deeply nested predicates lay out in time linear in the query: each level's layout choice
/// once copied what follows it, so 22 nested INs took 108 s (2^depth copies).
#[test]
fn deep_nesting_formats_without_copying_each_level() {
    let mut e = "a".to_string();
    for k in 0..40 {
        e = format!("x{k} in ({e}, 1)");
    }
    let q = format!("row a = 1 | eval b = {e} | where {e}");
    let once = format(&q, &opts(80, false)).expect("fmt");
    assert_eq!(format(&once, &opts(80, false)).expect("fmt"), once);
}
