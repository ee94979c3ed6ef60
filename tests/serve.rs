//! `esql serve` over HTTP as a client meets it (plain HTTP/1.1 on a socket, so every header
//! is seen as sent): the product header on every response, `GET /`, `POST /_query` in JSON
//! (ES's field order and encodings, params, filter, columnar, drop_null_columns) and the text
//! formats, negotiation by `format`, `Accept` and vendor media types, `Warning` headers, and
//! ES's error shapes.

mod common;

use common::server::{Reply, Server};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn server() -> Server {
    server_with(&[])
}

fn server_with(extra: &[&str]) -> Server {
    server_over("examples/data", extra)
}

fn server_over(data: &str, extra: &[&str]) -> Server {
    common::server::start(Path::new(data), extra)
}

fn request(s: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    common::server::request(s.port, method, path, headers, body)
}

const COMPAT: &str = common::server::COMPAT;

fn query(s: &Server, path: &str, body: &str) -> Reply {
    common::server::post_json(s.port, path, body)
}

#[test]
fn the_root_answers_as_a_cluster_and_every_response_names_the_product() {
    let s = server();
    let root = request(&s, "GET", "/", &[], "");
    assert_eq!(root.status, 200);
    assert_eq!(root.header("x-elastic-product"), Some("Elasticsearch"));
    assert_eq!(root.json()["tagline"], "You Know, for Search");
    assert_eq!(request(&s, "HEAD", "/", &[], "").status, 200);
    let missing = request(&s, "GET", "/nope", &[], "");
    assert_eq!((missing.status, missing.header("x-elastic-product")), (400, Some("Elasticsearch")));
    assert_eq!(missing.json()["error"], "no handler found for uri [/nope] and method [GET]");
}

#[test]
fn a_query_answers_in_elasticsearch_json() {
    let s = server();
    let r = query(
        &s,
        "/_query",
        r#"{"query": "FROM logs-* | STATS c = COUNT(*), avg = AVG(1) BY event.outcome | SORT event.outcome"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.starts_with(r#"{"took":"#), "ES's field order: {}", r.body);
    assert!(r.body.contains(r#","is_partial":false,"documents_found":1463,"columns":[{"name":"c","type":"long"},{"name":"avg","type":"double"},{"name":"event.outcome","type":"keyword"}],"values":[[174,1.0,"failure"],[1289,1.0,"success"]]}"#), "{}", r.body);
    // The implicit LIMIT's warning, as ES sends it on every query without one.
    assert_eq!(
        r.header("warning"),
        Some(r#"299 Elasticsearch-9.1.0-0000000 "No limit defined, adding default limit of [1000]""#)
    );
    assert!(r.header("took-nanos").is_some());
}

#[test]
fn params_filter_columnar_and_dropped_null_columns() {
    let s = server();
    let body = r#"{"query": "FROM logs-azure.signinlogs-default | WHERE event.outcome == ?o | STATS n = COUNT(*) | LIMIT ?1", "params": [{"o": "failure"}, {"1": 1}]}"#;
    let r = query(&s, "/_query", body);
    assert_eq!(r.status, 400, "named and positional do not mix: {}", r.body);
    let body = r#"{"query": "FROM logs-azure.signinlogs-default | WHERE event.outcome == ?o | STATS n = COUNT(*)", "params": [{"o": "failure"}]}"#;
    // `esql run` with the value written in: 82.
    assert_eq!(query(&s, "/_query", body).json()["values"], serde_json::json!([[82]]));
    // The Kibana rule window: a range filter on @timestamp, empty bool arrays included.
    let body = r#"{"query": "FROM logs-azure.signinlogs-default | STATS n = COUNT(*)", "filter": {"bool": {"filter": [{"range": {"@timestamp": {"gte": "2025-07-30T11:00:00.000Z", "lte": "2025-07-30T12:00:00.000Z", "format": "strict_date_optional_time"}}}], "must": [], "should": [], "must_not": []}}}"#;
    // `esql run` with the same bounds in a WHERE: 29.
    assert_eq!(query(&s, "/_query", body).json()["values"], serde_json::json!([[29]]));
    let body = r#"{"query": "ROW a = 1, b = null, c = \"x\"", "columnar": true}"#;
    let r = query(&s, "/_query?drop_null_columns=true", body);
    let j = r.json();
    assert_eq!(j["all_columns"].as_array().map(Vec::len), Some(3));
    assert_eq!(j["columns"], serde_json::json!([{"name": "a", "type": "integer"}, {"name": "c", "type": "keyword"}]));
    assert_eq!(j["values"], serde_json::json!([[1], ["x"]]));
}

#[test]
fn the_document_also_as_yaml_cbor_and_smile() {
    let s = server();
    let body = r#"{"query": "FROM logs-azure.signinlogs-default | STATS n = COUNT(*) BY event.outcome | SORT event.outcome | LIMIT 2"}"#;
    let json = query(&s, "/_query", body).json();
    let same = |doc: serde_json::Value| {
        assert_eq!((&doc["columns"], &doc["values"]), (&json["columns"], &json["values"]));
        let keys: Vec<&String> = doc.as_object().expect("a map").keys().collect();
        assert_eq!(keys.len(), 5);
    };
    for (how, accept) in [("?format=yaml", COMPAT), ("", "application/yaml")] {
        let r = request(
            &s,
            "POST",
            &format!("/_query{how}"),
            &[("content-type", "application/json"), ("accept", accept)],
            body,
        );
        assert_eq!(r.header("content-type"), Some("application/yaml"));
        assert!(r.body.starts_with("took: "), "ES's field order: {}", r.body);
        same(serde_yaml_ng::from_str(&r.body).expect("YAML"));
    }
    let cbor = query(&s, "/_query?format=cbor", body);
    assert_eq!(cbor.header("content-type"), Some("application/cbor"));
    same(ciborium::from_reader(cbor.raw.as_slice()).expect("CBOR"));
    let smile = request(
        &s,
        "POST",
        "/_query",
        &[("content-type", "application/json"), ("accept", "application/vnd.elasticsearch+smile; compatible-with=9")],
        body,
    );
    assert_eq!(smile.header("content-type"), Some("application/smile"));
    assert!(smile.raw.starts_with(b":)\n"), "Smile's header");
    same(serde_smile::from_slice(&smile.raw).expect("Smile"));
}

#[test]
fn arrow_in_elasticsearch_layout() {
    use arrow::datatypes::{DataType, TimeUnit};
    let s = server();
    let body = r#"{"query": "FROM logs-azure.signinlogs-default | SORT @timestamp | KEEP @timestamp, source.ip, event.category, event.duration | EVAL p = TO_GEOPOINT(\"POINT (1 2)\"), n = null, m = SPLIT(\"a,b\", \",\") | LIMIT 5"}"#;
    let r = request(&s, "POST", "/_query?format=arrow", &[("content-type", "application/json")], body);
    assert_eq!(r.header("content-type"), Some("application/vnd.apache.arrow.stream"));
    let reader = arrow::ipc::reader::StreamReader::try_new(r.raw.as_slice(), None).expect("an IPC stream");
    let schema = reader.schema();
    let batches: Vec<_> = reader.collect::<Result<_, _>>().expect("batches");
    let types: Vec<(String, DataType, String)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.metadata()["elastic:type"].clone()))
        .collect();
    let item = |t: DataType| DataType::List(std::sync::Arc::new(arrow::datatypes::Field::new("$data$", t, false)));
    assert_eq!(
        types,
        [
            ("@timestamp".into(), DataType::Timestamp(TimeUnit::Millisecond, None), "date".into()),
            ("source.ip".into(), DataType::Binary, "ip".into()),
            ("event.category".into(), DataType::Utf8, "keyword".into()),
            ("event.duration".into(), DataType::Int64, "long".into()),
            ("p".into(), DataType::Binary, "geo_point".into()),
            ("n".into(), DataType::Null, "null".into()),
            ("m".into(), item(DataType::Utf8), "keyword".into()),
        ]
    );
    assert!(schema.fields().iter().all(|f| f.is_nullable()));
    let b = &batches[0];
    let ips = b.column(1).as_any().downcast_ref::<arrow::array::BinaryArray>().expect("binary");
    assert_eq!(ips.value(0).len(), 4, "an IPv4 address in 4 bytes");
    let points = b.column(4).as_any().downcast_ref::<arrow::array::BinaryArray>().expect("binary");
    assert_eq!(points.value(0).len(), 21, "a point's WKB");
}

#[test]
fn text_formats_by_parameter_or_accept() {
    let s = server();
    let body =
        r#"{"query": "FROM logs-azure.signinlogs-default | SORT @timestamp | KEEP @timestamp, user.name | LIMIT 2"}"#;
    let csv = query(&s, "/_query?format=csv", body);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8; header=present"));
    assert_eq!(csv.body, "@timestamp,user.name\r\n2025-07-29T12:01:23.823Z,frank@example.com\r\n2025-07-29T12:04:26.298Z,ivan@example.com\r\n");
    let tsv = request(
        &s,
        "POST",
        "/_query",
        &[("content-type", "application/json"), ("accept", "text/tab-separated-values")],
        body,
    );
    assert!(tsv.body.starts_with("@timestamp\tuser.name\n"), "{}", tsv.body);
    let absent = request(
        &s,
        "POST",
        "/_query",
        &[("content-type", "application/json"), ("accept", "text/csv; header=absent")],
        body,
    );
    assert!(absent.body.starts_with("2025-07-29T12:01:23.823Z,frank@example.com\r\n"), "{}", absent.body);
    let txt = query(&s, "/_query?format=txt", body);
    assert!(txt.body.starts_with("       @timestamp       |    user.name    \n"), "{}", txt.body);
    let r = query(&s, "/_query?format=csv", r#"{"query": "ROW a = 1", "columnar": true}"#);
    assert_eq!(r.status, 400);
    // `delimiter`, as ES checks it: CSV only, one character, not a quote, CR, LF or TAB.
    let semi = query(&s, "/_query?format=csv&delimiter=%3B", r#"{"query": "ROW a = 1, b = \"x;y\" | LIMIT 1"}"#);
    assert_eq!(semi.body, "a;b\r\n1;\"x;y\"\r\n");
    for (params, reason) in [
        ("format=csv&delimiter=%09", "choose the [tsv] format instead"),
        ("format=csv&delimiter=%22", "illegal reserved character"),
        ("format=csv&delimiter=ab", "invalid delimiter [ab]"),
        ("format=tsv&delimiter=%3B", "can only be used with the format [csv]"),
    ] {
        let r = query(&s, &format!("/_query?{params}"), r#"{"query": "ROW a = 1"}"#);
        assert!(r.json()["error"]["reason"].as_str().is_some_and(|m| m.contains(reason)), "{params}: {}", r.body);
    }
    let r = request(&s, "POST", "/_query", &[], body);
    assert_eq!(
        r.json()["error"]["reason"],
        "Invalid request content type: Accept=[null], Content-Type=[null], format=[null]"
    );
}

#[test]
fn errors_in_elasticsearch_shape() {
    let s = server();
    let cases = [
        (
            r#"{"query": "FROM logs-* | KEEP nope"}"#,
            "verification_exception",
            "Found 1 problem\nline 1:20: Unknown column [nope]",
        ),
        (r#"{"query": "FROM logs-* | WHERE"}"#, "parsing_exception", "line 1:20: "),
        (
            r#"{"query": "ROW a = 1", "version": 1}"#,
            "x_content_parse_exception",
            "[1:2] [esql/query] unknown field [version]",
        ),
        (
            r#"{"query": "ROW a = 1", "time_zone": "Europe/Paris"}"#,
            "illegal_argument_exception",
            "time_zone [Europe/Paris]",
        ),
        ("{", "x_content_parse_exception", ""),
    ];
    for (body, kind, reason) in cases {
        let r = query(&s, "/_query", body);
        assert_eq!((r.status, r.header("x-elastic-product")), (400, Some("Elasticsearch")), "{body}");
        let j = r.json();
        assert_eq!(j["error"]["type"], kind, "{body}: {}", r.body);
        assert_eq!(j["error"]["root_cause"][0]["type"], kind);
        assert!(j["error"]["reason"].as_str().is_some_and(|m| m.starts_with(reason)), "{body}: {}", r.body);
        assert_eq!(j["status"], 400);
    }
    let r = query(&s, "/_query?nope=1", r#"{"query": "ROW a = 1"}"#);
    assert_eq!(r.json()["error"]["reason"], "request [/_query] contains unrecognized parameter: [nope]");
}

/// Kibana's detection engine: `POST /_query/async?drop_null_columns=true` with the rule
/// window as a `filter` (range plus the data-tier exclusion, empty arrays included), the
/// rule text with `| limit N` appended, `wait_for_completion_timeout: 4m`; a finished result
/// without `keep_on_completion` has no `id`, so Kibana deletes nothing.
#[test]
fn the_detection_engine_request_runs_the_seed_rule() {
    let s = server();
    let rule = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/queries/m365_entra_signin_from_suspicious_source.case-fixed.esql"
    ))
    .expect("rule");
    let body = serde_json::json!({
        "query": format!("{} | limit 101", rule.trim_end()),
        "filter": {"bool": {"filter": [
            {"range": {"@timestamp": {"lte": "2025-07-30T12:00:00.000Z", "gte": "2025-07-30T04:00:00.000Z", "format": "strict_date_optional_time"}}},
            {"bool": {"must": [], "filter": [], "should": [], "must_not": [{"terms": {"_tier": ["data_cold", "data_frozen"]}}]}}
        ]}},
        "wait_for_completion_timeout": "4m",
        "keep_alive": "5m"
    });
    let r = query(&s, "/_query/async?drop_null_columns=true", &body.to_string());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("x-elasticsearch-async-is-running"), Some("?0"));
    let j = r.json();
    assert_eq!(j["is_running"], false);
    assert!(j.get("id").is_none(), "a result not kept has no id: {}", r.body);
    let ips: Vec<&str> =
        j["values"].as_array().expect("values").iter().filter_map(|row| row.as_array()?.last()?.as_str()).collect();
    assert_eq!(ips.len(), 5, "the planted IPs: {}", r.body);
    // The same rule through `esql run` over the same window gives the same IPs.
    let run = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["run", "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql", "--data", "examples/data"])
        .args(["--now", "2025-07-30T12:00:00Z", "--format", "csv"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("esql run");
    let csv = String::from_utf8_lossy(&run.stdout);
    for ip in &ips {
        assert!(csv.contains(ip), "{ip} not in {csv}");
    }
}

/// A query that outlasts `wait_for_completion_timeout` answers its id; polling gets the
/// result; DELETE forgets it; an unknown id is ES's 404.
#[test]
fn async_queries_run_on_and_are_polled() {
    let s = server();
    let slow = r#"{"query": "ROW a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25] | EVAL b = a, c = a, d = a, e = a | MV_EXPAND a | MV_EXPAND b | MV_EXPAND c | MV_EXPAND d | MV_EXPAND e | STATS n = COUNT(*)", "wait_for_completion_timeout": "1ms"}"#;
    let r = query(&s, "/_query/async", slow);
    let j = r.json();
    let id = j["id"].as_str().expect("an id while running").to_string();
    assert_eq!(
        (j["is_running"].clone(), r.header("x-elasticsearch-async-is-running")),
        (serde_json::json!(true), Some("?1"))
    );
    assert_eq!(r.header("x-elasticsearch-async-id"), Some(id.as_str()));
    let done = request(&s, "GET", &format!("/_query/async/{id}"), &[("accept", COMPAT)], "");
    let j = done.json();
    assert_eq!((j["id"].as_str(), j["is_running"].as_bool()), (Some(id.as_str()), Some(false)), "{}", done.body);
    assert_eq!(j["values"], serde_json::json!([[9765625]]));
    let csv = request(&s, "GET", &format!("/_query/async/{id}?format=csv"), &[], "");
    assert_eq!(csv.body, "n\r\n9765625\r\n");
    let del = request(&s, "DELETE", &format!("/_query/async/{id}"), &[], "");
    assert_eq!((del.status, del.json()), (200, serde_json::json!({"acknowledged": true})));
    let gone = request(&s, "GET", &format!("/_query/async/{id}"), &[("accept", COMPAT)], "");
    assert_eq!((gone.status, gone.json()["error"]["type"].as_str()), (404, Some("resource_not_found_exception")));
    // Kept on completion: the id comes back and the result stays until deleted.
    let kept = query(&s, "/_query/async", r#"{"query": "ROW a = 1", "keep_on_completion": true}"#);
    let id = kept.json()["id"].as_str().expect("kept: an id").to_string();
    assert_eq!(
        request(&s, "GET", &format!("/_query/async/{id}"), &[("accept", COMPAT)], "").json()["values"],
        serde_json::json!([[1]])
    );
    let bad = query(&s, "/_query/async", r#"{"query": "ROW a = 1", "keep_alive": "soon"}"#);
    assert_eq!(bad.status, 400);
}

/// Past `--max-queries` running at once a query is refused with ES's 429; an error the HTTP
/// layer writes (a malformed URL query) is ES's JSON too.
#[test]
fn limits_answer_as_elasticsearch() {
    let s = server_with(&["--max-queries", "1"]);
    let slow = r#"{"query": "ROW a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25] | EVAL b = a, c = a, d = a, e = a, f = a | MV_EXPAND a | MV_EXPAND b | MV_EXPAND c | MV_EXPAND d | MV_EXPAND e | MV_EXPAND f | STATS n = COUNT(*)", "wait_for_completion_timeout": "1ms"}"#;
    let running = query(&s, "/_query/async", slow).json();
    let id = running["id"].as_str().expect("running").to_string();
    let refused = query(&s, "/_query", r#"{"query": "ROW a = 1"}"#);
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.json()["error"]["type"], "es_rejected_execution_exception");
    assert_eq!(request(&s, "DELETE", &format!("/_query/async/{id}"), &[], "").status, 200);
    // The cancelled query gives its slot back.
    let mut ok = 0;
    for _ in 0..100 {
        if query(&s, "/_query", r#"{"query": "ROW a = 1"}"#).status == 200 {
            ok += 1;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(ok, 1, "the slot came back after DELETE");
    let bad = query(&s, "/_query?format=%ZZ", r#"{"query": "ROW a = 1"}"#);
    assert_eq!((bad.status, bad.header("x-elastic-product")), (400, Some("Elasticsearch")));
    assert!(bad.json()["error"]["reason"].is_string(), "{}", bad.body);
}

/// `_cat/indices`, `_mapping` and `_resolve/index` say what the data directory holds.
#[test]
fn the_catalog_endpoints_describe_the_data() {
    let s = server();
    let cat = request(&s, "GET", "/_cat/indices?v", &[], "");
    let lines: Vec<&str> = cat.body.lines().collect();
    assert!(lines[0].starts_with("health status index"), "{}", cat.body);
    assert!(lines.iter().any(|l| l.contains("logs-azure.signinlogs-default") && l.contains(" 635 ")), "{}", cat.body);
    let json = request(&s, "GET", "/_cat/indices/logs-o365*?format=json", &[], "").json();
    assert_eq!(json[0]["index"], "logs-o365.audit-default");
    assert_eq!(json[0]["docs.count"], "828");
    let mapping = request(&s, "GET", "/logs-azure.signinlogs-default/_mapping", &[], "").json();
    let props = &mapping["logs-azure.signinlogs-default"]["mappings"]["properties"];
    assert_eq!(props["@timestamp"]["type"], "date");
    assert_eq!(props["source"]["properties"]["ip"]["type"], "ip");
    let resolved = request(&s, "GET", "/_resolve/index/logs-*", &[], "").json();
    assert_eq!(resolved["indices"].as_array().map(Vec::len), Some(2));
    let missing = request(&s, "GET", "/nope/_mapping", &[], "");
    assert_eq!((missing.status, missing.json()["error"]["type"].as_str()), (404, Some("index_not_found_exception")));
}

/// With `--api-key` or `--user`, a request without them is ES's 401 (product header,
/// `WWW-Authenticate`); with them it runs. Without either, only loopback is served.
#[test]
fn credentials_are_required_when_set() {
    let s = server_with(&["--api-key", "id:secret", "--user", "elastic:changeme"]);
    let denied = query(&s, "/_query", r#"{"query": "ROW a = 1"}"#);
    assert_eq!((denied.status, denied.header("x-elastic-product")), (401, Some("Elasticsearch")));
    assert_eq!(denied.json()["error"]["type"], "security_exception");
    assert!(denied.header("www-authenticate").is_some_and(|v| v.contains("ApiKey")));
    let body = r#"{"query": "ROW a = 1"}"#;
    let key =
        request(&s, "POST", "/_query", &[("content-type", COMPAT), ("authorization", "ApiKey aWQ6c2VjcmV0")], body);
    assert_eq!(key.status, 200, "{}", key.body);
    let basic = "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==";
    let user = request(&s, "POST", "/_query", &[("content-type", COMPAT), ("authorization", basic)], body);
    assert_eq!(user.status, 200, "{}", user.body);
    let wrong = request(&s, "GET", "/", &[("authorization", "ApiKey d3Jvbmc=")], "");
    assert_eq!(wrong.status, 401);
    let open = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["serve", "--data", "examples/data", "--listen", "0.0.0.0:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(open.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&open.stderr).contains("give --api-key or --user"));
}

/// `PUT /{index}` makes an index with its mapping and no documents, queryable at once;
/// `PUT /_enrich/policy/{name}` a policy; names that would leave the data directory, or
/// break ES's rules, are refused.
#[test]
fn indices_and_policies_are_created() {
    let dir = std::env::temp_dir().join(format!("esql-serve-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let s = server_over(dir.to_str().expect("utf-8"), &[]);
    let mapping = r#"{"mappings": {"properties": {"ip": {"type": "ip"}, "threat": {"properties": {"name": {"type": "keyword"}}}}}}"#;
    let made = request(&s, "PUT", "/threat-intel", &[("content-type", "application/json")], mapping);
    assert_eq!((made.status, made.json()["acknowledged"].as_bool()), (200, Some(true)), "{}", made.body);
    assert!(dir.join("threat-intel.mapping.json").is_file());
    let again = request(&s, "PUT", "/threat-intel", &[], "");
    assert_eq!(again.json()["error"]["type"], "resource_already_exists_exception");
    let r = query(&s, "/_query", r#"{"query": "FROM threat-intel | LIMIT 1"}"#);
    assert_eq!(
        r.json()["columns"],
        serde_json::json!([{"name": "ip", "type": "ip"}, {"name": "threat.name", "type": "keyword"}])
    );
    for bad in ["/..%2Fescape", "/UPPER", "/_private", "/a%20b"] {
        let r = request(&s, "PUT", bad, &[], "");
        assert_eq!(
            (r.status, r.json()["error"]["type"].as_str()),
            (400, Some("invalid_index_name_exception")),
            "{bad}"
        );
    }
    assert!(!dir.parent().expect("parent").join("escape.mapping.json").exists());
    let policy = r#"{"match": {"indices": "threat-intel", "match_field": "ip", "enrich_fields": ["threat.name"]}}"#;
    let r = request(&s, "PUT", "/_enrich/policy/ti", &[("content-type", "application/json")], policy);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(dir.join("_enrich/ti.json").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server whose stderr reader went away (a log pipe closed) goes on answering: its request
/// lines are dropped, not its queries.
#[test]
fn a_closed_stderr_does_not_stop_the_server() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["serve", "--data", "examples/data", "--listen", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("start esql serve");
    let mut line = String::new();
    BufReader::new(child.stderr.take().expect("stderr")).read_line(&mut line).expect("first line");
    let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
    let s = Server { child, port };
    for _ in 0..3 {
        assert_eq!(query(&s, "/_query", r#"{"query": "ROW a = 1 | LIMIT 1"}"#).status, 200);
    }
}

#[test]
fn the_web_page_and_its_calls() {
    let s = server();
    let page = request(&s, "GET", "/", &[("accept", "text/html,application/xhtml+xml")], "");
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("/_esql/ui/app.js"));
    // A client still gets the cluster's answer.
    assert_eq!(request(&s, "GET", "/", &[("accept", COMPAT)], "").json()["tagline"], "You Know, for Search");
    let js = request(&s, "GET", "/_esql/ui/app.js", &[], "");
    assert_eq!((js.status, js.header("content-type")), (200, Some("text/javascript; charset=utf-8")));
    assert_eq!(request(&s, "GET", "/_esql/ui/nope.js", &[], "").status, 404);
    let language = request(&s, "GET", "/_esql/ui/api/language", &[], "").json();
    assert!(language["processing_commands"].as_array().is_some_and(|c| c.iter().any(|w| w == "where")));
    assert!(language["functions"].as_array().is_some_and(|f| f.iter().any(|f| f["name"] == "count_distinct")));
    let post = |path: &str, body: serde_json::Value| {
        request(&s, "POST", path, &[("content-type", "application/json")], &body.to_string()).json()
    };
    // Offsets are UTF-16 units: the é before the cursor counts one.
    let c = post("/_esql/ui/api/complete", serde_json::json!({"query": "ROW é = 1 | WHERE us", "pos": 20}));
    assert_eq!(c["start"], 18);
    let c = post(
        "/_esql/ui/api/complete",
        serde_json::json!({"query": "FROM logs-azure.signinlogs-default | WHERE user.na", "pos": 50}),
    );
    assert!(c["candidates"].as_array().is_some_and(|l| l.iter().any(|x| x["insert"] == "user.name")), "{c}");
    let check = post("/_esql/ui/api/check", serde_json::json!({"query": "FROM logs-* | WHERE nope == 1"}));
    assert_eq!((check["problems"][0]["start"].as_u64(), check["problems"][0]["end"].as_u64()), (Some(20), Some(24)));
    assert!(check["rendered"].as_str().is_some_and(|r| r.contains("^^^^")));
    let fields =
        post("/_esql/ui/api/fields", serde_json::json!({"query": "// c\nFROM logs-o365.audit-default | LIMIT 1"}));
    assert!(fields["fields"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["name"] == "@timestamp" && f["type"] == "date")));
    let h = post(
        "/_esql/ui/api/histogram",
        serde_json::json!({"query": "FROM logs-* | WHERE event.outcome == \"failure\" | STATS c = COUNT(*)",
            "start": "2025-07-29T12:00:00Z", "end": "2025-07-30T12:00:00Z", "buckets": 24}),
    );
    let buckets = h["buckets"].as_array().expect("buckets");
    assert!(!buckets.is_empty() && buckets.len() <= 25, "{h}");
    assert!(h["query"]
        .as_str()
        .is_some_and(|q| q.contains("WHERE event.outcome == \"failure\"\n") && !q.contains("STATS c = ")));
}

#[test]
fn esql_ui_serves_the_page() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(["ui", "--data", "examples/data", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("esql ui");
    let mut line = String::new();
    BufReader::new(child.stderr.take().expect("stderr")).read_line(&mut line).expect("first line");
    assert_eq!(line.trim(), format!("esql: listening on http://127.0.0.1:{port}"));
    let page = common::server::request(port, "GET", "/", &[("accept", "text/html")], "");
    let _ = child.kill();
    let _ = child.wait();
    assert!(page.body.contains("<title>esql</title>"));
}
