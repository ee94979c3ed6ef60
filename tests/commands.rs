//! The processing commands beyond the first wave (INLINE STATS, LOOKUP JOIN, ENRICH, FORK,
//! SAMPLE, CHANGE_POINT), each on a few documents whose answers were worked out by hand.
//! A case is a query and its rows, rendered as `a, b | c, d` (columns by `,`, rows by `|`).

mod common;

use esql::engine::Engine;
use esql::io::OnError;
use std::path::PathBuf;

/// Five sign-ins: three users (and one without), hosts with one multi-valued, bytes.
const EVENTS: &str = r#"{"n": 1, "user": "alice", "host": "a", "bytes": 10}
{"n": 2, "user": "alice", "host": "b", "bytes": 30}
{"n": 3, "user": "bob", "host": "a", "bytes": 5}
{"n": 4, "user": "carol", "host": ["a", "b"], "bytes": 7}
{"n": 5, "host": "c", "bytes": 1}
"#;

/// A data directory of its own per test (tests run in parallel).
fn data(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esql-commands-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The rows of `query`, rendered.
fn rows(engine: &Engine, query: &str) -> String {
    let out = engine.query(query).unwrap_or_else(|e| panic!("{}", e.render(query)));
    let rows = esql::output::rows(&out.result);
    rows.iter()
        .map(|r| r.iter().map(|c| c.render().to_string()).collect::<Vec<_>>().join(", "))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn columns(engine: &Engine, query: &str) -> String {
    let out = engine.query(query).unwrap_or_else(|e| panic!("{}", e.render(query)));
    out.result.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ")
}

#[test]
fn inline_stats_keeps_every_row_with_its_groups_aggregates() {
    let engine = Engine::open(&data("inline", &[("events.ndjson", EVENTS)]), OnError::Fail);
    let q = "FROM events | KEEP n, user, bytes | INLINE STATS total = SUM(bytes) BY user | SORT n";
    // The key moves after the aggregates, as in Elasticsearch; rows without a user are a group.
    assert_eq!(columns(&engine, q), "n, bytes, total, user");
    assert_eq!(rows(&engine, q), "1, 10, 40, alice | 2, 30, 40, alice | 3, 5, 5, bob | 4, 7, 7, carol | 5, 1, 1, null");
    for (q, want) in [
        // No BY: one group of every row.
        ("FROM events | INLINE STATS m = MAX(bytes) | KEEP n, m | SORT n", "1, 30 | 2, 30 | 3, 30 | 4, 30 | 5, 30"),
        // A multi-valued key is in two groups: a (alice, bob, carol) and b (alice, carol).
        ("FROM events | INLINE STATS c = COUNT(*) BY host | KEEP n, c, host | SORT n", "1, 3, a | 2, 2, b | 3, 3, a | 4, [3, 2], [a, b] | 5, 1, c"),
        // A computed key is a column of its own; a later WHERE sees the aggregate.
        (
            "FROM events | INLINE STATS top = MAX(bytes) BY big = bytes > 6 | WHERE bytes == top | KEEP n, top, big | SORT n",
            "2, 30, true | 3, 5, false",
        ),
        // The older spelling.
        ("FROM events | INLINESTATS c = COUNT(user) | KEEP c | LIMIT 1", "4"),
    ] {
        assert_eq!(rows(&engine, q), want, "{q}");
    }
}

/// A lookup index: the owners of hosts, `b` owned twice, one document keyed by two hosts.
const HOSTS: &str = r#"{"host": "a", "owner": "ops"}
{"host": "b", "owner": "dev"}
{"host": "b", "owner": "sec"}
{"host": ["c", "d"], "owner": "lab"}
"#;
const LOOKUP_MAPPING: &str = r#"{"settings": {"index": {"mode": "lookup"}},
  "mappings": {"properties": {"host": {"type": "keyword"}, "owner": {"type": "keyword"}}}}"#;

#[test]
fn lookup_join_adds_the_matching_rows_of_a_lookup_index() {
    let files = [("events.ndjson", EVENTS), ("hosts.ndjson", HOSTS), ("hosts.mapping.json", LOOKUP_MAPPING)];
    let engine = Engine::open(&data("lookup", &files), OnError::Fail);
    // b matches twice; the multi-valued key of row 4 matches nothing; c matches the
    // document keyed by c and d.
    let q = "FROM events | LOOKUP JOIN hosts ON host | KEEP n, host, owner | SORT n, owner";
    assert_eq!(rows(&engine, q), "1, a, ops | 2, b, dev | 2, b, sec | 3, a, ops | 4, [a, b], null | 5, c, lab");
    // The index's columns replace the input's of the same name and come last.
    let q = "FROM events | EVAL owner = \"me\" | LOOKUP JOIN hosts ON host | SORT n | LIMIT 1";
    assert_eq!(columns(&engine, q), "bytes, host, n, user, owner");
    // A key of type null (here a name SET unmapped_fields made null) matches nothing.
    let q = "SET unmapped_fields=\"nullify\"; FROM events | EVAL host = gone | LOOKUP JOIN hosts ON host | KEEP n, host, owner | SORT n | LIMIT 2";
    assert_eq!(rows(&engine, q), "1, null, null | 2, null, null");
    for (q, want) in [
        (
            "FROM events | LOOKUP JOIN events ON host",
            "line 1:27: invalid [events] resolution in lookup mode to an index in [standard] mode",
        ),
        (
            "FROM events | EVAL owner = 1 | LOOKUP JOIN hosts ON owner",
            "line 1:53: JOIN left field [owner] of type [INTEGER] is incompatible with right field [owner] of type [KEYWORD]",
        ),
        ("FROM events | LOOKUP JOIN hosts ON user", "line 1:36: Unknown column [user] in right side of join"),
        ("FROM events | LOOKUP JOIN nope ON host", "line 1:27: Unknown index [nope]"),
    ] {
        let Err(e) = engine.query(q) else { panic!("accepted {q}") };
        assert!(e.render(q).starts_with(want), "{}", e.render(q));
    }
}

/// Networks by zone, as `ip_range` values: two CIDR blocks (one inside the other) and a
/// range written with bounds.
const NETS: &str = r#"{"net": "10.0.0.0/8", "zone": "internal"}
{"net": "10.1.0.0/16", "zone": "lab"}
{"net": {"gte": "192.168.0.1", "lte": "192.168.0.9"}, "zone": "dmz"}
"#;
const NETS_MAPPING: &str = r#"{"properties": {"net": {"type": "ip_range"}, "zone": {"type": "keyword"}}}"#;
const ZONES: &str = r#"{"range": {"indices": "nets", "match_field": "net", "enrich_fields": ["zone"]}}"#;
const OWNERS: &str = r#"{"match": {"indices": ["hosts"], "match_field": "host", "enrich_fields": ["owner"]}}"#;

#[test]
fn enrich_adds_the_fields_of_every_matching_document() {
    let files = [
        ("events.ndjson", EVENTS),
        ("hosts.ndjson", HOSTS),
        ("nets.ndjson", NETS),
        ("nets.mapping.json", NETS_MAPPING),
        ("_enrich/zones.json", ZONES),
        ("_enrich/owners.json", OWNERS),
    ];
    let engine = Engine::open(&data("enrich", &files), OnError::Fail);
    // One row out per row in; b's two owners, and the three of a multi-valued [a, b], merge.
    let q = "FROM events | ENRICH owners ON host WITH who = owner | KEEP n, who | SORT n";
    assert_eq!(rows(&engine, q), "1, ops | 2, [dev, sec] | 3, ops | 4, [ops, dev, sec] | 5, lab");
    // A range policy on IPs: both blocks hold 10.1.2.3; the written bounds are inclusive.
    let q = r#"ROW ip = ["10.1.2.3", "192.168.0.9", "192.168.0.10", "8.8.8.8"] | MV_EXPAND ip
        | EVAL ip = TO_IP(ip) | ENRICH zones ON ip | KEEP ip, zone"#;
    assert_eq!(rows(&engine, q), "10.1.2.3, [internal, lab] | 192.168.0.9, dmz | 192.168.0.10, null | 8.8.8.8, null");
    for (q, want) in [
        ("FROM events | ENRICH ownrs ON host", "line 1:15: unresolved enrich policy [ownrs]"),
        ("FROM events | ENRICH owners ON host WITH ownr", "line 1:42: Enrich field [ownr] not found in enrich policy [owners]"),
        (
            "FROM events | EVAL b = bytes > 1 | ENRICH owners ON b",
            "line 1:53: Unsupported type [boolean] for enrich matching field [b]; only [keyword, text, ip, long, integer, float, double, datetime] allowed for type [match]",
        ),
    ] {
        let Err(e) = engine.query(q) else { panic!("accepted {q}") };
        assert!(e.render(q).starts_with(want), "{}", e.render(q));
    }
}

#[test]
fn parameters_stand_for_values_and_for_names() {
    let mut engine = Engine::open(&data("params", &[("events.ndjson", EVENTS)]), OnError::Fail);
    let json = serde_json::json!([{"min": 6}, {"who": {"identifier": "user"}}, {"out": {"identifier": "total"}}, {"cols": {"pattern": "b*"}}]);
    engine.params = esql::params::from_request(&json).expect("params");
    // ?min a value; ?who and ??out names in BY, an EVAL target and RENAME; ?cols a pattern.
    let q = "FROM events | WHERE bytes > ?min | STATS ??out = SUM(bytes) BY ?who | SORT ?who";
    assert_eq!(rows(&engine, q), "40, alice | 7, carol");
    let q = "FROM events | EVAL ??out = bytes * 2 | RENAME ?who AS person | KEEP person, ?cols, total | SORT total DESC | LIMIT 1";
    assert_eq!(columns(&engine, q), "person, bytes, total");
    assert_eq!(rows(&engine, q), "alice, 30, 60");
    engine.params = esql::params::from_request(&serde_json::json!([5, "a"])).expect("params");
    assert_eq!(rows(&engine, "FROM events | WHERE bytes >= ? AND host == ? | KEEP n | SORT n"), "1 | 3");
    let q = "FROM events | WHERE bytes > ?3";
    let Err(e) = engine.query(q) else { panic!("accepted a missing position") };
    assert!(e.render(q).starts_with("line 1:29: No parameter is defined for position 3"), "{}", e.render(q));
}

#[test]
fn fork_runs_each_branch_over_the_same_rows() {
    let engine = Engine::open(&data("fork", &[("events.ndjson", EVENTS)]), OnError::Fail);
    // Columns in order of first appearance, _fork after the first branch's; a column a
    // branch lacks is null in its rows; a row may come out of several branches.
    let q = r#"FROM events | FORK (WHERE user == "alice" | KEEP n, user) (WHERE bytes < 8 | EVAL small = true | KEEP n, small) (STATS c = COUNT(*)) | SORT _fork, n"#;
    assert_eq!(columns(&engine, q), "n, user, _fork, small, c");
    assert_eq!(
        rows(&engine, q),
        "1, alice, fork1, null, null | 2, alice, fork1, null, null | 3, null, fork2, true, null | 4, null, fork2, true, null | 5, null, fork2, true, null | null, null, fork3, null, 5"
    );
    let q = "FROM events | FORK (EVAL x = 1) (EVAL x = \"a\")";
    let Err(e) = engine.query(q) else { panic!("accepted conflicting types") };
    assert!(
        e.render(q).contains("Column [x] has conflicting data types in FORK branches: [integer] and [keyword]"),
        "{}",
        e.render(q)
    );
}

#[test]
fn sample_keeps_the_same_rows_for_the_same_seed() {
    let mut engine = Engine::open(&data("sample", &[("events.ndjson", EVENTS)]), OnError::Fail);
    engine.seed = Some(7);
    let q = "FROM events | SAMPLE 0.5 | KEEP n | SORT n";
    let first = rows(&engine, q);
    assert_eq!(rows(&engine, q), first);
    // Over many seeds, about half the rows.
    let kept: usize = (0..200u64)
        .map(|s| {
            engine.seed = Some(s);
            engine.query(q).map(|o| o.result.num_rows()).unwrap_or(0)
        })
        .sum();
    assert!((400..600).contains(&kept), "{kept} of 1000");
    let q = "FROM events | SAMPLE 1";
    let Err(e) = engine.query(q) else { panic!("accepted SAMPLE 1") };
    assert!(e.render(q).contains("expecting a number between 0 and 1, exclusive"));
}

#[test]
fn change_point_marks_a_spike_and_a_step() {
    let engine = Engine::open(&data("change", &[("events.ndjson", EVENTS)]), OnError::Fail);
    let keys: Vec<String> = (1..=30).map(|k| k.to_string()).collect();
    let base = format!("ROW k = [{}] | MV_EXPAND k", keys.join(", "));
    // 30 values wobbling 10..12: one at 1000 is a spike; a jump by 50 from k = 15 a step.
    for (v, want) in [
        ("CASE(k == 20, 1000, 10 + k % 3)", "20, spike"),
        ("CASE(k >= 15, 60, 10) + k % 3", "15, step_change"),
        ("10 + k % 3", ""),
    ] {
        let q = format!("{base} | EVAL v = {v} | CHANGE_POINT v ON k | WHERE type IS NOT NULL | KEEP k, type");
        assert_eq!(rows(&engine, &q), want, "{v}");
    }
    let q = format!("{base} | EVAL v = 1 | CHANGE_POINT v ON k AS kind, p | KEEP k, kind, p | LIMIT 1");
    assert_eq!(columns(&engine, &q), "k, kind, p");
}

#[test]
fn metadata_reads_as_elasticsearch_reports_it() {
    let files = [
        ("logs-a-default.ndjson", "{\"_id\": \"doc-1\", \"n\": 1}\n{\"n\": 2}\n"),
        (
            "logs-a-default.mapping.json",
            r#"{"data_stream": {"backing_index": ".ds-logs-a-default-2026.11.20-000001"}, "properties": {"n": {"type": "long"}}}"#,
        ),
        ("logs-b-default.ndjson", "{\"n\": 3}\n"),
        ("logs-b-default.mapping.json", r#"{"data_stream": true, "properties": {"n": {"type": "long"}}}"#),
        ("plain.ndjson", "{\"n\": 4}\n"),
    ];
    let engine = Engine::open(&data("metadata", &files), OnError::Fail);
    // A document's own _id wins (dumps keep it beside the source); else index and line.
    let q = "FROM logs-a-*, plain METADATA _id, _index, _version | KEEP n, _id, _index, _version | SORT n";
    assert_eq!(
        rows(&engine, q),
        "1, doc-1, .ds-logs-a-default-2026.11.20-000001, 1 | 2, .ds-logs-a-default-2026.11.20-000001:2, .ds-logs-a-default-2026.11.20-000001, 1 | 4, plain:1, plain, 1"
    );
    // `_id` is not a document field.
    assert!(engine.query("FROM logs-a-* | KEEP _id").is_err(), "_id without METADATA");
    // A data stream declared without its backing index gets one named as ES names them.
    let q = r#"FROM logs-b-* METADATA _index | WHERE _index LIKE ".ds-logs-b-default-*-000001" | KEEP n"#;
    assert_eq!(rows(&engine, q), "3");
}

/// The corpus's ENRICH queries, verbatim, over `tests/fixtures/dll-hijack` (see its README
/// for the hand-worked answers).
#[test]
fn the_corpus_enrich_hunts_run_verbatim() {
    let Some(shared) = common::shared_dir() else { return };
    let mut engine = Engine::open(std::path::Path::new("tests/fixtures/dll-hijack"), OnError::Fail);
    engine.now_ms = Some(esql::engine::parse_now("2025-07-30T12:00:00Z").expect("now"));
    let queries: Vec<_> =
        common::rule_corpus(&shared).into_iter().filter(|q| q.query.contains("ENRICH libs-policy")).collect();
    assert_eq!(queries.len(), 2, "the corpus has two such hunts");
    for q in queries {
        let want = if q.query.contains("sysmon") {
            r"1, version.dll, C:\Users\a\version.dll, C:\Users\a\app.exe, aaa"
        } else {
            r"2, version.dll, C:\Users\a\version.dll, C:\Users\a\app.exe, aaa"
        };
        assert_eq!(rows(&engine, &q.query), want, "{}", q.path);
    }
}

#[test]
fn a_lookup_index_is_read_again_when_its_file_changes() {
    let files = [("events.ndjson", EVENTS), ("hosts.ndjson", HOSTS), ("hosts.mapping.json", LOOKUP_MAPPING)];
    let dir = data("lookup-cache", &files);
    let engine = Engine::open(&dir, OnError::Fail);
    let q = "FROM events | WHERE n == 5 | LOOKUP JOIN hosts ON host | KEEP owner";
    assert_eq!(rows(&engine, q), "lab");
    assert_eq!(rows(&engine, q), "lab", "read from the engine's cache");
    std::fs::write(dir.join("hosts.ndjson"), format!("{HOSTS}{{\"host\": \"c\", \"owner\": \"new\"}}\n"))
        .expect("write");
    assert_eq!(rows(&engine, q), "lab | new", "the changed file is read again");
}

#[test]
fn explain_counts_rows_through_the_new_commands() {
    let files = [("events.ndjson", EVENTS), ("hosts.ndjson", HOSTS), ("hosts.mapping.json", LOOKUP_MAPPING)];
    let engine = Engine::open(&data("explain", &files), OnError::Fail);
    let q =
        "FROM events | LOOKUP JOIN hosts ON host | INLINE STATS c = COUNT(*) BY owner | FORK (WHERE c > 1) (LIMIT 1)";
    let text = esql::authoring::explain::explain(&engine, q).unwrap_or_else(|e| panic!("{}", e.render(q)));
    // LOOKUP JOIN: 5 rows in, 6 out (b owned twice); FORK: 6 in, 3 out (c > 1 keeps ops's two
    // rows, LIMIT 1 one).
    let line =
        |cmd: &str| text.lines().find(|l| l.contains(cmd)).unwrap_or_else(|| panic!("{cmd} in {text}")).to_string();
    assert!(line("LOOKUP JOIN").trim_end().ends_with("5          6"), "{text}");
    assert!(line("INLINE STATS").trim_end().ends_with("6          6"), "{text}");
    assert!(line("FORK").trim_end().ends_with("6          3"), "{text}");
}
