//! `FROM ... METADATA _source`: each row's document as JSON text, of Elasticsearch's
//! `_source` type, which JSON_EXTRACT walks (Elastic's SIP, NFS and GKE rules read their
//! fields that way). From NDJSON it is the line as written; from Parquet the row's fields
//! rebuilt as one object. It can be kept, renamed and read by JSON_EXTRACT; EVAL, SORT and
//! comparisons refuse it as Elasticsearch does.

mod common;

use common::{answer_mismatches, engine_over, error_mismatches};

/// A stored `_bulk` line (metadata first), a nested document, a dotted one.
const LOGS: &str = concat!(
    r#"{"_id":"a1","_version":2,"@timestamp":"2025-07-30T11:00:00Z","sip":{"method":"OPTIONS","to":{"uri":{"username":"100"}}},"n":[1,2.50]}"#,
    "\n",
    r#"{"@timestamp":"2025-07-30T11:01:00Z", "network_traffic.sip.method": "INVITE", "list": [{"k": "v"}, {"k": "w"}]}"#,
    "\n",
);

const ANSWERS: &[(&str, &str)] = &[
    (
        "FROM logs-sip METADATA _source | SORT @timestamp | KEEP _source",
        concat!(
            r#"{"@timestamp":"2025-07-30T11:00:00Z","sip":{"method":"OPTIONS","to":{"uri":{"username":"100"}}},"n":[1,2.50]}"#,
            " | ",
            r#"{"@timestamp":"2025-07-30T11:01:00Z", "network_traffic.sip.method": "INVITE", "list": [{"k": "v"}, {"k": "w"}]}"#,
        ),
    ),
    // Paths walk objects; a dotted key is one key (bracket notation); numbers and objects
    // come out as written.
    (
        r#"FROM logs-sip METADATA _source | SORT @timestamp
           | EVAL m = JSON_EXTRACT(_source, "$.sip.method"), d = JSON_EXTRACT(_source, "['network_traffic.sip.method']"),
                  n = JSON_EXTRACT(_source, "n[1]"), l = JSON_EXTRACT(_source, "list[1]")
           | KEEP m, d, n, l"#,
        r#"OPTIONS, null, 2.50, null | null, INVITE, null, {"k": "w"}"#,
    ),
    // The shape of Elastic's SIP rule. A path is nested keys: the dotted document's
    // `network_traffic.sip.method` is not at the path of that name.
    (
        r#"FROM logs-sip METADATA _source
           | EVAL method = TO_UPPER(COALESCE(JSON_EXTRACT(_source, "network_traffic.sip.method"), JSON_EXTRACT(_source, "sip.method")))
           | STATS c = COUNT(*) BY method | SORT method"#,
        "1, OPTIONS | 1, null",
    ),
    ("FROM logs-sip METADATA _source | RENAME _source AS doc | WHERE doc IS NOT NULL | STATS c = COUNT(*)", "2"),
];

const ERRORS: &[(&str, &str)] = &[
    (
        "FROM logs-sip METADATA _source | EVAL x = _source",
        "line 1:43: EVAL does not support type [_source] as the return data type of expression [_source]",
    ),
    ("FROM logs-sip METADATA _source | SORT _source", "line 1:39: cannot sort on _source"),
    (
        r#"FROM logs-sip METADATA _source | WHERE _source == "x""#,
        "line 1:40: first argument of [_source == \"x\"] must be [boolean, cartesian_point, cartesian_shape, \
         date_nanos, datetime, double, geo_point, geo_shape, geohash, geohex, geotile, integer, ip, keyword, long, \
         text, unsigned_long or version], found value [_source] type [_source]",
    ),
    (
        "FROM logs-sip METADATA _source | EVAL x = TO_UPPER(_source)",
        "line 1:43: argument of [TO_UPPER(_source)] must be [string], found value [_source] type [_source]",
    ),
];

#[test]
fn source_is_the_document_and_json_extract_reads_it() {
    let engine = engine_over("source-ndjson", &[("logs-sip.ndjson", LOGS)]);
    let failures = answer_mismatches(&engine, ANSWERS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn source_is_refused_where_elasticsearch_refuses_it() {
    let engine = engine_over("source-errors", &[("logs-sip.ndjson", LOGS)]);
    let failures = error_mismatches(&engine, ERRORS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Comparisons take the types Elasticsearch has evaluators for; shapes have no order.
#[test]
fn comparisons_and_sorts_refuse_types_without_an_order() {
    let engine = engine_over("source-order", &[]);
    let cases = [
        (
            "ROW a = true, b = false | EVAL c = a < b",
            "line 1:36: first argument of [a < b] must be [date_nanos, datetime, double, integer, ip, keyword, \
             long, text, unsigned_long or version], found value [a] type [boolean]",
        ),
        (r#"ROW p = TO_GEOPOINT("POINT(1 2)") | SORT p DESC"#, "line 1:42: cannot sort on geo_point"),
        (
            "ROW d = NOW() | WHERE d < 1",
            "line 1:23: first argument of [d < 1] is [datetime] so second argument must also be [datetime] but was [integer]",
        ),
    ];
    let failures = error_mismatches(&engine, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let ok = [("ROW a = true, b = false | EVAL c = a == b | KEEP c", "false")];
    let failures = answer_mismatches(&engine, &ok);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The JSON answer shows a document as the object it is; the text table as its text.
#[test]
fn json_output_embeds_the_document() {
    let dir = std::env::temp_dir().join(format!("esql-source-json-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("logs-sip.ndjson"), LOGS).expect("write");
    let data = dir.to_string_lossy().to_string();
    let query = "FROM logs-sip METADATA _source | SORT @timestamp | KEEP _source | LIMIT 1";
    let out = common::esql(&["run", "--data", &data, "--format", "json", "-e", query]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(body["columns"][0]["type"], "_source");
    assert_eq!(body["values"][0][0]["sip"]["to"]["uri"]["username"], "100");
}

/// A Parquet file keeps no document: its row's fields are written back as one, nested by
/// their dotted names, without the fields the row has no value for.
#[test]
fn parquet_rows_are_rebuilt_as_documents() {
    let dir = std::env::temp_dir().join(format!("esql-source-pq-{}", std::process::id()));
    let (ndjson, lake) = (dir.join("ndjson"), dir.join("lake"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&ndjson).expect("temp dir");
    let logs = concat!(
        r#"{"@timestamp":"2025-07-30T11:00:00Z","sip":{"method":"OPTIONS"},"source":{"ip":"10.0.0.1"}}"#,
        "\n",
        r#"{"@timestamp":"2025-07-30T11:01:00Z","sip":{"method":"INVITE"},"n":3}"#,
        "\n"
    );
    std::fs::write(ndjson.join("logs-sip.ndjson"), logs).expect("write");
    let (from, to) = (ndjson.to_string_lossy().to_string(), lake.to_string_lossy().to_string());
    let out = common::esql(&["convert", "--data", &from, "--to", "parquet", "--out", &to]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let engine = esql::engine::Engine::open(&lake, esql::io::OnError::Fail);
    let cases = [(
        r#"FROM logs-sip METADATA _source | SORT @timestamp
           | EVAL m = JSON_EXTRACT(_source, "sip.method"), ip = JSON_EXTRACT(_source, "source.ip"),
                  n = JSON_EXTRACT(_source, "n") | KEEP m, ip, n"#,
        "OPTIONS, 10.0.0.1, null | INVITE, null, 3",
    )];
    let failures = answer_mismatches(&engine, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
