//! Full-text search on four documents whose answers were worked out by hand: which rows each
//! KQL / MATCH construct keeps, named by the documents' `n`.
//!
//! 1. "Failed password for root from 10.0.0.1", process sshd, user root, tags auth+failure,
//!    duration 5, 2025-07-30T10:00Z
//! 2. "Accepted password for alice", process SSHD, user alice, tags auth, duration 50,
//!    2025-07-30T23:30Z
//! 3. "password reset for bob", process passwd, user bob, no tags, duration 500,
//!    2025-07-31T00:30Z
//! 4. "Root login refused", process login, no user, tags auth+failure+root, duration 7,
//!    2025-07-31T09:00Z

use esql::engine::Engine;
use esql::io::OnError;

const MAPPING: &str = r#"{"properties": {
  "n": {"type": "integer"}, "@timestamp": {"type": "date"}, "message": {"type": "text"},
  "process": {"properties": {"name": {"type": "keyword", "fields": {"caseless": {"type": "keyword", "normalizer": "lowercase"}}}}},
  "user": {"properties": {"name": {"type": "keyword"}}}, "tags": {"type": "keyword"},
  "event": {"properties": {"duration": {"type": "long"}}}, "source": {"properties": {"ip": {"type": "ip"}}}}}"#;

const DOCS: &str = r#"{"n": 1, "@timestamp": "2025-07-30T10:00:00Z", "message": "Failed password for root from 10.0.0.1", "process": {"name": "sshd"}, "user": {"name": "root"}, "tags": ["auth", "failure"], "event": {"duration": 5}, "source": {"ip": "10.0.0.1"}}
{"n": 2, "@timestamp": "2025-07-30T23:30:00Z", "message": "Accepted password for alice", "process": {"name": "SSHD"}, "user": {"name": "alice"}, "tags": ["auth"], "event": {"duration": 50}, "source": {"ip": "192.168.1.5"}}
{"n": 3, "@timestamp": "2025-07-31T00:30:00Z", "message": "password reset for bob", "process": {"name": "passwd"}, "user": {"name": "bob"}, "event": {"duration": 500}, "source": {"ip": "8.8.8.8"}}
{"n": 4, "@timestamp": "2025-07-31T09:00:00Z", "message": "Root login refused", "process": {"name": "login"}, "tags": ["auth", "failure", "root"], "event": {"duration": 7}}
"#;

/// An engine over the four documents, in a folder of its own per test (tests run in parallel).
fn engine(tag: &str) -> Engine {
    let dir = std::env::temp_dir().join(format!("esql-full-text-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("logs-auth-default.mapping.json"), MAPPING).expect("mapping");
    std::fs::write(dir.join("logs-auth-default.ndjson"), DOCS).expect("docs");
    Engine::open(&dir, OnError::Fail)
}

/// The `n` of the rows `condition` keeps, in order.
fn kept(engine: &Engine, condition: &str) -> Vec<String> {
    let q = format!("FROM logs-auth-* | WHERE {condition} | SORT n | KEEP n");
    let out = engine.query(&q).unwrap_or_else(|e| panic!("{}", e.render(&q)));
    esql::output::rows(&out.result).iter().map(|r| r[0].render().to_string()).collect()
}

#[test]
fn each_construct_keeps_the_hand_worked_rows() {
    let engine = engine("constructs");
    for (condition, want) in [
        // Terms: any analyzed word; a phrase: its words in a row.
        (r#"KQL("message: password")"#, "1 2 3"),
        (r#"KQL("message: password for")"#, "1 2 3"),
        (r#"KQL("message: \"password for\"")"#, "1 2"),
        (r#"MATCH(message, "bob alice")"#, "2 3"),
        (r#"MATCH(message, "password alice", {"operator": "and"})"#, "2"),
        (r#"MATCH_PHRASE(message, "login refused")"#, "4"),
        (r#"message: "ROOT""#, "1 4"),
        // Wildcards: a keyword's whole value as written; each word of a text, lower-cased.
        (r#"KQL("process.name: SSH*")"#, "2"),
        (r#"KQL("message: PASS*")"#, "1 2 3"),
        // A keyword is exact; its lowercase multi-field is not.
        (r#"KQL("process.name: sshd")"#, "1"),
        (r#"KQL("process.name.caseless: sshd")"#, "1 2"),
        // Missing fields: NOT keeps them, exists does not.
        (r#"KQL("not user.name: root")"#, "2 3 4"),
        (r#"KQL("user.name: *")"#, "1 2 3"),
        // A multi-value matches when one value does.
        (r#"KQL("tags: failure and not tags: root")"#, "1"),
        (r#"KQL("tags: (root or failure)")"#, "1 4"),
        // Ranges on numbers, and on dates in UTC or in a given zone.
        (r#"KQL("event.duration >= 50")"#, "2 3"),
        (r#"KQL("@timestamp >= \"2025-07-31\"")"#, "3 4"),
        (r#"KQL("@timestamp >= \"2025-07-31\"", {"time_zone": "+02:00"})"#, "2 3 4"),
        (r#"KQL("@timestamp < \"2025-07-31T00:00:00Z\"", {"time_zone": "+02:00"})"#, "1 2"),
        // A tz database zone: the 31st starts at 04:00Z in New York in summer.
        (r#"KQL("@timestamp >= \"2025-07-31\"", {"time_zone": "America/New_York"})"#, "4"),
        (r#"QSTR("@timestamp:[2025-07-30T20:00:00 TO 2025-07-30T21:00:00]", {"time_zone": "America/New_York"})"#, "3"),
        // An IP field takes a CIDR block.
        (r#"KQL("source.ip: \"10.0.0.0/8\"")"#, "1"),
        // No field: every keyword and text field, or the default_field given.
        (r#"KQL("root")"#, "1 4"),
        (r#"KQL("root", {"default_field": "user.name"})"#, "1"),
        // Lucene's syntax: upper-case operators, +/-, ranges, _exists_.
        (r#"QSTR("message:password AND NOT user.name:root")"#, "2 3"),
        (r#"QSTR("+tags:auth -tags:failure")"#, "2"),
        (r#"QSTR("event.duration:[7 TO 50]")"#, "2 4"),
        (r#"QSTR("event.duration:{7 TO 50]")"#, "2"),
        (r#"QSTR("_exists_:tags AND message:\"login refused\"")"#, "4"),
        (r#"QSTR("refused OR reset")"#, "3 4"),
        // Words in a row are analyzed together (no split on whitespace): a text field
        // matches any of them, a keyword field the whole run.
        (r#"QSTR("message:(refused reset)")"#, "3 4"),
        (r#"QSTR("tags:(auth failure)")"#, ""),
        (r#"QSTR("tags:(auth) AND tags:(failure)")"#, "1 4"),
        // Fuzzy terms (AUTO: 2 edits past 5 letters), regexes, sloppy phrases.
        (r#"QSTR("message:pasword~")"#, "1 2 3"),
        (r#"QSTR("message:pasword~0")"#, ""),
        (r#"QSTR("message:/pass.*/")"#, "1 2 3"),
        (r#"QSTR("message:/ROOT/")"#, "1 4"),
        (r#"QSTR("process.name:/[Ss]{2}hd/")"#, "1"),
        (r#"QSTR("message:\"for password\"~2")"#, "1 2"),
        (r#"QSTR("message:\"for password\"~1")"#, ""),
        (r#"QSTR("password root", {"default_operator": "AND"})"#, "1"),
        (r#"MATCH_PHRASE(message, "failed root", {"slop": 2})"#, "1"),
        (r#"MATCH_PHRASE(message, "failed root", {"slop": 1})"#, ""),
        (r#"MATCH(message, "pasword alise", {"fuzziness": "AUTO"})"#, "1 2 3"),
        (r#"MATCH(message, "password alice root", {"minimum_should_match": 2})"#, "1 2"),
        (r#"MATCH(message, "password alice root", {"minimum_should_match": "75%"})"#, "1 2"),
        (r#"MATCH(message, "password alice root", {"minimum_should_match": "100%"})"#, ""),
        (r#"MATCH(process.name, "shd", {"fuzziness": 1})"#, "1"),
        (r#"KQL("process.name: SSHD")"#, "2"),
        (r#"KQL("process.name: SSHD", {"case_insensitive": true})"#, "1 2"),
        (r#"KQL("process.name: SS*", {"case_insensitive": true})"#, "1 2"),
        // A word alone is a term query: a minimum of two words does not apply to it.
        (r#"MATCH(message, "alice", {"minimum_should_match": 2})"#, "2"),
        // MULTI_MATCH: any of the fields matches, each as MATCH would (a keyword exactly).
        (r#"MULTI_MATCH("root", message, user.name)"#, "1 4"),
        (r#"MULTI_MATCH("root", user.name, tags)"#, "1 4"),
        (r#"MULTI_MATCH("bob passwd", message, process.name)"#, "3"),
        (r#"MULTI_MATCH("password root", message, user.name, {"operator": "and"})"#, "1"),
        (r#"MULTI_MATCH("root refused", message, user.name, {"operator": "and"})"#, "4"),
        (r#"MULTI_MATCH("pasword", message, user.name, {"fuzziness": 1})"#, "1 2 3"),
        (r#"MULTI_MATCH("login refused", message, tags, {"type": "phrase"})"#, "4"),
        (r#"MULTI_MATCH("refused login", message, tags, {"type": "phrase"})"#, ""),
        (r#"MULTI_MATCH("alice bob", message, user.name, {"type": "cross_fields"})"#, "2 3"),
        // Nested KQL reads the fields under its object.
        (r#"KQL("process: { name: sshd or name.caseless: passwd }")"#, "1 3"),
        // A field no index has matches nothing.
        (r#"KQL("no.such.field: x")"#, ""),
        (r#"KQL("not no.such.field: x")"#, "1 2 3 4"),
    ] {
        let want: Vec<String> = want.split_whitespace().map(str::to_string).collect();
        assert_eq!(kept(&engine, condition), want, "{condition}");
    }
}

#[test]
fn kql_errors_point_into_the_kql_text() {
    let engine = engine("errors");
    let q = r#"FROM logs-auth-* | WHERE KQL("user.name: (root")"#;
    let Err(e) = engine.query(q) else { panic!("accepted an unclosed parenthesis") };
    let rendered = e.render(q);
    assert!(rendered.starts_with("line 1:47: KQL: expected )"), "{rendered}");
    // Only WHERE and STATS may search, as in Elasticsearch.
    let q = r#"FROM logs-auth-* | EVAL hit = KQL("user.name: root")"#;
    let Err(e) = engine.query(q) else { panic!("accepted KQL in EVAL") };
    assert!(e.render(q).starts_with("line 1:31: [KQL] function is only supported in WHERE and STATS commands"));
    // Elasticsearch's placement rules, with its messages.
    for (q, want) in [
        (r#"FROM logs-auth-* | KEEP n, message | WHERE KQL("root")"#, "line 1:38: [KQL] function cannot be used after KEEP"),
        (r#"FROM logs-auth-* | LIMIT 5 | WHERE message: "root""#, "line 1:30: [:] operator cannot be used after LIMIT"),
        (
            r#"FROM logs-auth-* | EVAL m = message | WHERE MATCH(m, "root")"#,
            "line 1:51: [MATCH] function cannot operate on [m], which is not a field from an index mapping",
        ),
        (
            r#"FROM logs-auth-* | EVAL m = message | WHERE MULTI_MATCH("root", user.name, m)"#,
            "line 1:76: [MULTI_MATCH] function cannot operate on [m], which is not a field from an index mapping",
        ),
        (
            r#"FROM logs-auth-* | WHERE MULTI_MATCH("root refused", message, user.name, {"type": "cross_fields", "operator": "and"})"#,
            "line 1:26: MULTI_MATCH of type [cross_fields] is not supported in",
        ),
        (r#"FROM logs-auth-* | WHERE MULTI_MATCH("root")"#, "line 1:26: error building [multi_match]: expects at least 2 argument(s), got [1]"),
        (
            r#"FROM logs-auth-* | WHERE COALESCE(QSTR("root"), true)"#,
            "line 1:26: Invalid condition [COALESCE(QSTR(\"root\"), true)]. [QSTR] function can't be used with COALESCE",
        ),
    ] {
        let Err(e) = engine.query(q) else { panic!("accepted {q}") };
        assert!(e.render(q).starts_with(want), "{}", e.render(q));
    }
    for q in [
        r#"FROM logs-auth-* | SORT n | WHERE n > 1 | WHERE KQL("root") | KEEP n"#,
        r#"FROM logs-auth-* | KEEP n, message | WHERE NOT MATCH(message, "root") OR n > 3"#,
    ] {
        assert!(engine.query(q).is_ok(), "{q}");
    }
    // Options are Elasticsearch's; one this engine cannot honour is refused, not ignored.
    let q = r#"FROM logs-auth-* | WHERE MATCH(message, "x", {"fuzzines": 1})"#;
    let Err(e) = engine.query(q) else { panic!("accepted a misspelt option") };
    assert!(e.render(q).contains(
        "Invalid option [fuzzines] in [MATCH(message, \"x\", {\"fuzzines\": 1})], expected one of [analyzer,"
    ));
    let q = r#"FROM logs-auth-* | WHERE MATCH(message, "x", {"analyzer": "whitespace"})"#;
    let Err(e) = engine.query(q) else { panic!("accepted another analyzer") };
    assert!(e.render(q).contains("option [analyzer] of [MATCH("), "{}", e.render(q));
    let q = r#"FROM logs-auth-* | STATS c = COUNT(*) WHERE KQL("tags: failure")"#;
    assert!(engine.query(q).is_ok(), "a STATS filter may search");
}

/// Non-ASCII text right after a KQL operator character, and in date math, once sliced a
/// string inside a character (a panic of the query).
#[test]
fn non_ascii_search_text_is_read_not_sliced() {
    let engine = engine("non-ascii");
    for q in [
        r#"FROM logs-auth-* | WHERE KQL("(ü")"#,
        r#"FROM logs-auth-* | WHERE KQL("user.name:(über or ü)")"#,
        r#"FROM logs-auth-* | WHERE KQL("@timestamp > now×1d")"#,
        r#"FROM logs-auth-* | WHERE QSTR("@timestamp:[now-1dü TO now]")"#,
    ] {
        if let Err(e) = engine.query(q) {
            assert!(e.render(q).starts_with("line 1:"), "{}", e.render(q));
        }
    }
}

#[test]
fn searches_narrow_first_and_score_zero() {
    let engine = engine("score");
    // Elasticsearch answers the KQL in Lucene first: `tags == "auth"` never sees the
    // multi-valued tags of documents 1, 2 and 4, so it does not warn.
    let q = r#"FROM logs-auth-* | WHERE KQL("user.name: bob") AND tags == "auth" | KEEP n"#;
    let out = engine.query(q).unwrap_or_else(|e| panic!("{}", e.render(q)));
    assert_eq!(out.result.warnings, [esql::plan::NO_LIMIT_WARNING]);
    // Relevance is not computed: `_score` is 0.0, what ES gives rows no full-text scored.
    let q = r#"FROM logs-auth-* METADATA _score | WHERE MATCH(message, "password") | KEEP n, _score | SORT n"#;
    let out = engine.query(q).unwrap_or_else(|e| panic!("{}", e.render(q)));
    let rows: Vec<String> = esql::output::rows(&out.result).iter().map(|r| r[1].render().to_string()).collect();
    assert_eq!(rows, ["0.0", "0.0", "0.0"]);
}
