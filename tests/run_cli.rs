//! `esql run` as a user meets it: results, warnings, planning errors, bad data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn esql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run esql")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh data directory holding `files`.
fn data_dir(tag: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-run-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, content) in files {
        std::fs::write(dir.join(name), content).expect("write fixture");
    }
    dir
}

fn p(dir: &Path) -> &str {
    dir.to_str().expect("utf-8 path")
}

#[test]
fn the_readme_main_command_shows_both_rule_versions() {
    for (q, rows) in [("verbatim", 0), ("case-fixed", 5)] {
        let file = format!("queries/m365_entra_signin_from_suspicious_source.{q}.esql");
        let out = esql(&["run", &file, "--data", "examples/data", "--now", "2025-07-30T12:00:00Z", "--format", "csv"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout).lines().count(), rows + 1, "{q}: {}", text(&out.stdout));
    }
}

#[test]
fn txt_is_the_elasticsearch_table_and_warnings_follow_on_stderr() {
    let out = esql(&["run", "-e", "ROW x = [1,2] | EVAL y = x + 1"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "       x       |       y       \n---------------+---------------\n[1, 2]         |null           \n"
    );
    assert_eq!(
        text(&out.stderr),
        "Line 1:26: evaluation of [x + 1] failed, treating result as null. Only first 20 failures recorded.\n\
         Line 1:26: java.lang.IllegalArgumentException: single-value function encountered multi-value\n"
    );
}

#[test]
fn json_is_the_query_response_body() {
    let out = esql(&["run", "--format", "json", "-e", "ROW a = 1, ip = to_ip(\"::ffff:1.2.3.4\"), d = to_datetime(\"2023-01-23T12:15:00Z\"), m = [\"a\", \"b\"], n = null"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["columns"][1], serde_json::json!({"name": "ip", "type": "ip"}));
    assert_eq!(v["values"], serde_json::json!([[1, "1.2.3.4", "2023-01-23T12:15:00.000Z", ["a", "b"], null]]));
    assert_eq!(v["is_partial"], false);
}

#[test]
fn planning_errors_point_at_the_spot_with_a_suggestion() {
    let dir = data_dir("plan", &[("logs-x-default.ndjson", b"{\"source\":{\"ip\":\"1.2.3.4\"}}\n")]);
    let out = esql(&["run", "--data", p(&dir), "-e", "FROM logs-* | KEEP source.iip"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "line 1:20: Unknown column [source.iip]\n  |\n1 | FROM logs-* | KEEP source.iip\n  |                    ^^^^^^^^^^\n  = hint: did you mean [source.ip]?\n");
    let out = esql(&["run", "--data", p(&dir), "-e", "FROM nothing-*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("line 1:1: Unknown index [nothing-*]; available: logs-x-default\n"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_malformed_line_stops_the_run_unless_skipped() {
    let dir = data_dir("bad", &[("logs-x-default.ndjson", b"{\"a\":1}\n{\"a\":\n{\"a\":3}\n")]);
    let out = esql(&["run", "--data", p(&dir), "-e", "FROM logs-x-default | STATS s = sum(a)"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("esql: ") && err.contains("logs-x-default.ndjson:2: "), "{err}");
    let out = esql(&[
        "run",
        "--on-error",
        "skip",
        "--format",
        "csv",
        "--data",
        p(&dir),
        "-e",
        "FROM logs-x-default | STATS s = sum(a)",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "s\r\n4\r\n");
    assert!(text(&out.stderr).contains("logs-x-default.ndjson: skipped 1 malformed line(s)"), "{}", text(&out.stderr));
}

#[test]
fn hostile_data_gives_errors_not_panics() {
    let deep = format!("{{\"a\":{}1{}}}\n", "[".repeat(5000), "]".repeat(5000));
    // A number out of a double's range (1e999) is a malformed value, not a broken line:
    // the reliability suite checks it reads as null with a load warning.
    let cases: [(&str, Vec<u8>); 3] = [
        ("utf8", b"{\"a\":\"\xff\xfe\"}\n".to_vec()),
        ("deep", deep.into_bytes()),
        ("notobject", b"[1,2,3]\n".to_vec()),
    ];
    for (tag, content) in cases {
        let dir = data_dir(tag, &[("logs-x-default.ndjson", &content)]);
        let out = esql(&["run", "--data", p(&dir), "-e", "FROM logs-x-default"]);
        assert_eq!(out.status.code(), Some(1), "{tag}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("logs-x-default.ndjson:1: "), "{tag}: {}", text(&out.stderr));
    }
}

#[test]
fn big_integers_and_mixed_shapes_are_read_not_dropped() {
    let dir = data_dir(
        "shapes",
        &[(
            "logs-x-default.ndjson",
            b"{\"n\":18446744073709551615,\"event\":{\"kind\":\"a\"}}\n{\"n\":5,\"event.kind\":\"b\"}\n",
        )],
    );
    let out = esql(&[
        "run",
        "--format",
        "csv",
        "--data",
        p(&dir),
        "-e",
        "FROM logs-x-default | KEEP event.kind, n | SORT event.kind",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "event.kind,n\r\na,1.8446744073709552E19\r\nb,5.0\r\n");
}

#[test]
fn rule_tests_in_queries_pass_and_cover_every_query() {
    let out = esql(&["test", "queries"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).ends_with("5 passed, 0 failed\n"), "{}", text(&out.stdout));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    for entry in std::fs::read_dir(&dir).expect("queries").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".esql") {
            assert!(dir.join(format!("{stem}.test.toml")).is_file(), "{name} has no test");
        }
    }
}

#[test]
fn a_failing_rule_test_says_why_with_inline_documents() {
    let dir = data_dir("ruletest", &[
        ("r.esql", b"FROM logs-x-default | STATS c = count(*) BY user.name"),
        ("r.test.toml", b"now = \"2025-01-01T00:00:00Z\"\n[[index]]\nname = \"logs-x-default\"\ndocs = '''\n{\"user\":{\"name\":\"a\"}}\n{\"user\":{\"name\":\"a\"}}\n'''\n[expect]\nrows = [ { \"user.name\" = \"a\", c = 3 } ]\n"),
    ]);
    let out = esql(&["test", p(&dir)]);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(
        s.contains("FAIL") && s.contains("changed  { c = 3, user.name = a }") && s.contains("c: expected 3, got 2"),
        "{s}"
    );
    assert!(s.ends_with("0 passed, 1 failed\n"), "{s}");
}

#[test]
fn a_rule_toml_runs_verbatim_or_with_its_schedule_and_says_which() {
    let dir = std::env::temp_dir().join(format!("esql-window-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let rule = dir.join("rule.toml");
    std::fs::write(&rule, "[rule]\nfrom = \"now-2h\"\nmax_signals = 4\ntimestamp_override = \"event.ingested\"\nquery = '''\nfrom logs-*\n| keep @timestamp, event.outcome\n'''\n")
        .expect("write rule");
    let args = |w: bool| {
        let mut a = vec![
            "run",
            rule.to_str().expect("utf-8"),
            "--data",
            "tests/fixtures/seed",
            "--now",
            "2025-07-30T12:00:00Z",
            "--format",
            "csv",
        ];
        if w {
            a.push("--window");
        }
        a
    };
    let verbatim = esql(&args(false));
    assert!(text(&verbatim.stderr).contains("running the rule's query text verbatim"), "{}", text(&verbatim.stderr));
    assert_eq!(text(&verbatim.stdout).lines().count(), 14);
    let windowed = esql(&args(true));
    assert!(
        text(&windowed.stderr)
            .contains("rule-run emulation: only documents with @timestamp in [now - 2 hours, now], then LIMIT 5"),
        "{}",
        text(&windowed.stderr)
    );
    // Six sign-ins fall between 10:00 and 12:00; the rule's LIMIT (max_signals + 1) keeps five.
    assert_eq!(text(&windowed.stdout).lines().count(), 6, "{}", text(&windowed.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_event_shows_why_the_seed_rule_does_not_fire_and_the_fix_does() {
    let run = |q: &str| {
        let file = format!("queries/m365_entra_signin_from_suspicious_source.{q}.esql");
        let args = [
            "explain",
            &file,
            "--data",
            "tests/fixtures/seed",
            "--now",
            "2025-07-30T12:00:00Z",
            "--event",
            ".alerts-security.alerts-default:1",
        ];
        let out = esql(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let verbatim = run("verbatim");
    assert!(verbatim.contains("case branch: kibana.alert.rule.name == \"external alerts\" and not event.dataset in (\"o365.audit\", \"azure.signinlogs\")  =  false  <- branch not taken"), "{verbatim}");
    assert!(verbatim.contains("group Esql.source_ip = 81.2.69.142"), "{verbatim}");
    assert!(verbatim.contains("the group is removed: no alert"), "{verbatim}");
    assert!(
        verbatim.contains("Esql.source_ip_network_alert_case_count_distinct > 0  =  false  <- removes it"),
        "{verbatim}"
    );
    let fixed = run("case-fixed");
    assert!(fixed.contains("== \"External Alerts\" and not event.dataset in (\"o365.audit\", \"azure.signinlogs\")  =  true  <- this branch is taken"), "{fixed}");
    assert!(fixed.contains("the group passes: the rule fires"), "{fixed}");
}

#[test]
fn explain_event_takes_its_query_data_and_now_from_a_rule_test() {
    let args = [
        "explain",
        "queries/m365_entra_signin_from_suspicious_source.case-fixed.test.toml",
        "--event",
        ".alerts-security.alerts-default:1",
    ];
    let out = esql(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fixed = text(&out.stdout);
    // The 8-hour WHERE only keeps the 09:00 alert with the test's pinned now (12:00).
    assert!(fixed.contains("@timestamp > now() - 8 hours  =  true"), "{fixed}");
    assert!(fixed.contains("the group passes: the rule fires"), "{fixed}");
    let missing = esql(&["explain", "queries/nope.test.toml", "--event", "x:1"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("nope.test.toml"), "{}", text(&missing.stderr));
}

#[test]
fn format_arrow_writes_one_ipc_stream_with_es_types_in_the_metadata() {
    let out = esql(&[
        "run",
        "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql",
        "--data",
        "tests/fixtures/seed",
        "--now",
        "2025-07-30T12:00:00Z",
        "--format",
        "arrow",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let reader = arrow::ipc::reader::StreamReader::try_new(std::io::Cursor::new(out.stdout), None).expect("IPC stream");
    let schema = reader.schema();
    let ip = schema.field_with_name("Esql.source_ip").expect("ip column");
    assert_eq!(ip.data_type(), &arrow::datatypes::DataType::Utf8, "IPs are written as text");
    assert_eq!(ip.metadata().get("esql.type").map(String::as_str), Some("ip"));
    let batches: Vec<_> = reader.collect::<Result<_, _>>().expect("batches");
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 3, "the three planted IPs of the fixture");
    let ips =
        arrow::compute::concat(&batches.iter().map(|b| b.column(8).as_ref()).collect::<Vec<_>>()).expect("concat");
    let ips = ips.as_any().downcast_ref::<arrow::array::StringArray>().expect("strings");
    let mut got: Vec<&str> = ips.iter().flatten().collect();
    got.sort();
    assert_eq!(got, ["2a01:4f8::7", "81.2.69.142", "89.160.20.128"]);
}

#[test]
fn the_field_cache_notices_a_changed_file() {
    let dir = data_dir("cache", &[("logs-x-default.ndjson", b"{\"a\":1}\n")]);
    let cache = std::env::temp_dir().join(format!("esql-run-cache-{}", std::process::id()));
    let run = |q: &str| {
        Command::new(env!("CARGO_BIN_EXE_esql"))
            .args(["run", "--data", p(&dir), "--format", "csv", "-e", q])
            .env("ESQL_CACHE_DIR", &cache)
            .output()
            .expect("run esql")
    };
    assert_eq!(text(&run("FROM logs-x-default | KEEP a").stdout), "a\r\n1\r\n");
    assert!(std::fs::read_dir(&cache).expect("cache written").count() > 0);
    let unknown = run("FROM logs-x-default | KEEP b");
    assert_eq!(unknown.status.code(), Some(2), "b is not a field yet");
    std::fs::write(dir.join("logs-x-default.ndjson"), b"{\"a\":1}\n{\"a\":2,\"b\":\"new\"}\n").expect("rewrite");
    let out = run("FROM logs-x-default | KEEP b | SORT b");
    assert_eq!(text(&out.stdout), "b\r\nnew\r\n\r\n", "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&cache);
}

/// `--from`/`--to` as Kibana's time picker: `?_tstart`/`?_tend` set, and the documents
/// filtered on @timestamp. On the seed fixture, 09:45 onwards keeps only 89.160.20.128
/// (alert 09:55, sign-ins 10:00 and 10:05); 81.2.69.142 (sign-in 09:15) and 2a01:4f8::7
/// (mail 09:30, 09:40) fall out of the window.
#[test]
fn from_and_to_narrow_the_seed_rule_to_a_time_window() {
    let rule = "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql";
    let base = ["run", rule, "--data", "tests/fixtures/seed", "--now", "2025-07-30T12:00:00Z", "--format", "csv"];
    let all = esql(&base);
    assert_eq!(text(&all.stdout).lines().count(), 4, "{}", text(&all.stdout));
    let window = esql(&[&base[..], &["--from", "2025-07-30T09:45:00Z", "--to", "now"]].concat());
    let out = text(&window.stdout);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().nth(1).is_some_and(|l| l.ends_with(",89.160.20.128")), "{out}");
    // The parameters themselves, and one used as an identifier.
    let out = esql(&[
        "run",
        "--now",
        "2025-07-30T12:00:00Z",
        "--from",
        "now-24h",
        "--to",
        "now",
        "--param",
        "col=\"s\"",
        "-e",
        "ROW s = ?_tstart, e = ?_tend | KEEP ??col",
        "--format",
        "csv",
    ]);
    assert_eq!(text(&out.stdout), "s\r\n2025-07-29T12:00:00.000Z\r\n", "{}", text(&out.stderr));
    let out = esql(&["run", "-e", "ROW a = ?x", "--param", "y=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Unknown query parameter [x]"), "{}", text(&out.stderr));
}

/// The threat-intel example of examples/threat-intel/README.md, as the README shows it.
#[test]
fn the_threat_intel_example_answers_as_its_readme_says() {
    let args = |min: &str| {
        esql(&[
            "run",
            "examples/threat-intel/hunt.esql",
            "--data",
            "examples/threat-intel/data",
            "--from",
            "2025-07-30T09:30:00Z",
            "--to",
            "2025-07-30T11:00:00Z",
            "--param",
            min,
            "--format",
            "csv",
        ])
    };
    let out = args("min_hits=1");
    assert_eq!(
        text(&out.stdout),
        "hits,users,destination.ip,threat.indicator.description,source.zone\r\n\
         2,alice,203.0.113.10,Cobalt Strike C2,finance\r\n\
         1,bob,198.51.100.20,Known scanner,engineering\r\n\
         1,bob,203.0.113.10,Cobalt Strike C2,engineering\r\n",
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&args("min_hits=2").stdout).lines().count(), 2);
}

/// A result cut by a cap the query did not write says so; one cut by its own LIMIT does not.
#[test]
fn caps_are_said_out_loud() {
    let run = |q: &str, extra: &[&str]| {
        let out = esql(&[&["run", "--data", "examples/data", "--format", "csv", "-e", q][..], extra].concat());
        (text(&out.stdout).lines().count() - 1, text(&out.stderr))
    };
    // 1463 documents: no LIMIT stops at 1000, with Elasticsearch's warning and how to get more.
    let (rows, err) = run("FROM logs-* | KEEP @timestamp", &[]);
    assert_eq!(rows, 1000);
    assert!(err.contains("No limit defined, adding default limit of [1000]") && err.contains("add | LIMIT N"), "{err}");
    let (rows, err) = run("FROM logs-* | KEEP @timestamp | LIMIT 5", &[]);
    assert_eq!((rows, err.as_str()), (5, ""));
    let (rows, err) = run("FROM logs-* | KEEP @timestamp | LIMIT 800", &["--max-rows", "500"]);
    assert_eq!(rows, 500);
    assert!(err.contains("the result stops at --max-rows 500"), "{err}");
    let (rows, _) = run("FROM logs-* | KEEP @timestamp | LIMIT 20000", &["--max-rows", "20000"]);
    assert_eq!(rows, 1463);
}

/// The Arrow type of each column of `query`'s `--format arrow` result over `dir`.
fn arrow_types(dir: &Path, query: &str) -> Vec<(String, arrow::datatypes::DataType)> {
    let out = esql(&["run", "--data", p(dir), "--format", "arrow", "-e", query]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let reader = arrow::ipc::reader::StreamReader::try_new(std::io::Cursor::new(out.stdout), None).expect("IPC stream");
    let schema = reader.schema();
    let _: Vec<_> = reader.collect::<Result<_, _>>().expect("batches in the declared types");
    schema.fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect()
}

/// A column's Arrow type follows from the plan, not from the rows one query returns: a
/// document field is always a list, a computed single value never.
#[test]
fn arrow_types_do_not_change_with_the_rows() {
    use arrow::datatypes::{DataType, Field};
    let dir = data_dir(
        "arrow-types",
        &[("logs-x-default.ndjson", b"{\"u\":\"a\",\"n\":1}\n{\"u\":[\"b\",\"c\"],\"n\":2}\n" as &[u8])],
    );
    let list = |t: DataType| DataType::List(std::sync::Arc::new(Field::new("item", t, true)));
    let single = "FROM logs-x-default | WHERE n == 1 | EVAL l = LENGTH(u), m = MV_MIN(u), s = SPLIT(\"a,b\", \",\") | KEEP u, n, l, m, s";
    let multi = single.replace("n == 1", "n == 2");
    let want = vec![
        ("u".to_string(), list(DataType::Utf8)),
        ("n".to_string(), list(DataType::Int64)),
        ("l".to_string(), DataType::Int32),
        ("m".to_string(), DataType::Utf8),
        ("s".to_string(), list(DataType::Utf8)),
    ];
    assert_eq!(arrow_types(&dir, single), want, "one value per row");
    assert_eq!(arrow_types(&dir, &multi), want, "two values in u");
    let stats = "FROM logs-x-default | STATS c = COUNT(*), v = VALUES(u) BY n";
    assert_eq!(
        arrow_types(&dir, stats),
        vec![
            ("c".to_string(), DataType::Int64),
            ("v".to_string(), list(DataType::Utf8)),
            ("n".to_string(), DataType::Int64)
        ]
    );
}
