//! The Query DSL on its own, over documents typed as Elasticsearch's dynamic mapping types
//! them, with the request bodies Kibana's detection engine sends: the rule window as a
//! `range` filter, and an exception list compiled to `bool`/`match_phrase`/`exists`/
//! `wildcard`/`nested`.

use esql::search::{dsl, Query};
use esql::types::{Cell, EsType};
use serde_json::{json, Value as Json};

/// Whether `doc` matches `query` (field types as dynamic mapping infers them; `now` pinned).
fn matches(query: &Json, doc: &Json) -> bool {
    let q = dsl::parse(query).unwrap_or_else(|e| panic!("{e}: {query}"));
    let mut names: Vec<String> = Vec::new();
    let mut values: Vec<Vec<Json>> = Vec::new();
    esql::io::json::walk(
        doc,
        &mut String::new(),
        &|_| false,
        &mut |path, v| match names.iter().position(|n| n == path) {
            Some(k) => values[k].push(v.clone()),
            None => {
                names.push(path.to_string());
                values.push(vec![v.clone()]);
            }
        },
    );
    let fields: Vec<(EsType, Cell<'static>)> = values
        .iter()
        .map(|vs| {
            let ty = vs.iter().map(esql::io::json::infer).reduce(esql::io::json::widen).unwrap_or(EsType::Keyword);
            let typed = vs.iter().filter_map(|v| esql::io::json::coerce(v, ty)).collect();
            (ty, Cell::from_values(typed))
        })
        .collect();
    let resolved: Query<usize> = q.map_fields(&mut |name: String| {
        (0..names.len())
            .filter(|&k| names[k] == name || (name.contains('*') && esql::wildcard::glob(&name, &names[k])))
            .collect()
    });
    let now = esql::types::text_form::parse_date("2025-07-30T12:00:00Z").expect("date");
    resolved.matches(&fields, now)
}

/// Kibana's filter for a rule run at 12:00 looking back 5 minutes, with one exception list.
fn rule_run_filter() -> Json {
    json!({"bool": {"filter": [
        {"range": {"@timestamp": {"lte": "2025-07-30T12:00:00.000Z", "gte": "2025-07-30T11:55:00.000Z", "format": "strict_date_optional_time"}}},
        {"bool": {"must_not": {"bool": {"should": [
            {"bool": {"filter": [
                {"bool": {"should": [{"match_phrase": {"process.name": "svchost.exe"}}], "minimum_should_match": 1}},
                {"exists": {"field": "user.name"}}
            ]}},
            {"bool": {"filter": [
                {"bool": {"should": [{"wildcard": {"file.path": {"value": "C:\\\\Windows\\\\Temp\\\\*", "case_insensitive": true}}}], "minimum_should_match": 1}}
            ]}},
            {"bool": {"filter": [
                {"nested": {"path": "dll", "query": {"bool": {"should": [{"match_phrase": {"dll.name": "evil.dll"}}], "minimum_should_match": 1}}}}
            ]}}
        ], "minimum_should_match": 1}}}}
    ]}})
}

#[test]
fn kibana_rule_window_and_exceptions() {
    let filter = rule_run_filter();
    let at = |t: &str, extra: Json| {
        let mut doc = json!({"@timestamp": t, "process": {"name": "cmd.exe"}});
        if let (Json::Object(d), Json::Object(e)) = (&mut doc, extra) {
            d.extend(e);
        }
        doc
    };
    // The window: both ends included, a second outside on either side is not.
    assert!(matches(&filter, &at("2025-07-30T11:55:00Z", json!({}))));
    assert!(matches(&filter, &at("2025-07-30T12:00:00Z", json!({}))));
    assert!(!matches(&filter, &at("2025-07-30T11:54:59Z", json!({}))));
    assert!(!matches(&filter, &at("2025-07-30T12:00:01Z", json!({}))));
    // Exception 1 needs both clauses: svchost.exe with a user.name.
    let svchost = json!({"process": {"name": "svchost.exe"}});
    assert!(matches(&filter, &at("2025-07-30T11:58:00Z", svchost.clone())), "no user.name: not excepted");
    let mut with_user = svchost;
    with_user["user"] = json!({"name": "SYSTEM"});
    assert!(!matches(&filter, &at("2025-07-30T11:58:00Z", with_user)));
    // Exception 2: a wildcard on a keyword path (a backslash is doubled in Lucene's syntax).
    assert!(!matches(&filter, &at("2025-07-30T11:58:00Z", json!({"file": {"path": "C:\\Windows\\Temp\\x.ps1"}}))));
    assert!(matches(&filter, &at("2025-07-30T11:58:00Z", json!({"file": {"path": "C:\\Windows\\System32\\x"}}))));
    // ... in any case, as the exception asks.
    assert!(!matches(&filter, &at("2025-07-30T11:58:00Z", json!({"file": {"path": "c:\\windows\\TEMP\\x.ps1"}}))));
    // Exception 3: a nested clause over an array of objects.
    assert!(!matches(&filter, &at("2025-07-30T11:58:00Z", json!({"dll": [{"name": "ok.dll"}, {"name": "evil.dll"}]}))));
}

#[test]
fn each_query_type_on_its_own() {
    let doc = json!({"message": "Accepted password for alice", "user": {"name": "alice"}, "n": 5, "tags": ["a", "b"], "@timestamp": "2025-07-30T11:00:00Z"});
    for (query, want) in [
        (json!({"match_all": {}}), true),
        (json!({"match_none": {}}), false),
        (json!({"term": {"user.name": "alice"}}), true),
        (json!({"term": {"user.name": {"value": "Alice"}}}), false),
        (json!({"terms": {"tags": ["x", "b"]}}), true),
        (json!({"range": {"n": {"gt": 4, "lte": 5}}}), true),
        (json!({"range": {"n": {"gt": 5}}}), false),
        (json!({"range": {"@timestamp": {"gte": "now-1h/h"}}}), true),
        (json!({"range": {"@timestamp": {"gte": "now-30m"}}}), false),
        (json!({"range": {"@timestamp": {"lt": "2025-07-30T12:00:00", "time_zone": "+02:00"}}}), false),
        // A tz database zone, daylight saving included (Paris is UTC+2 in July), and date
        // math rounded in it: `now/d` at 2025-07-30 starts at 2025-07-29T22:00Z in Paris.
        (json!({"range": {"@timestamp": {"lt": "2025-07-30T13:00:01", "time_zone": "Europe/Paris"}}}), true),
        (json!({"range": {"@timestamp": {"lt": "2025-07-30T13:00:00", "time_zone": "Europe/Paris"}}}), false),
        (json!({"exists": {"field": "tags"}}), true),
        (json!({"exists": {"field": "missing"}}), false),
        (json!({"prefix": {"user.name": "ali"}}), true),
        (json!({"wildcard": {"user.name": {"value": "a*e"}}}), true),
        (json!({"wildcard": {"user.name": {"value": "A*E"}}}), false),
        (json!({"wildcard": {"user.name": {"value": "A*E", "case_insensitive": true}}}), true),
        (json!({"term": {"user.name": {"value": "ALICE", "case_insensitive": true}}}), true),
        (json!({"ids": {"values": ["1"]}}), false),
        (json!({"fuzzy": {"user.name": {"value": "alise"}}}), true),
        (json!({"fuzzy": {"user.name": {"value": "alise", "fuzziness": 0}}}), false),
        (json!({"fuzzy": {"user.name": {"value": "lacie", "fuzziness": 2}}}), true),
        (json!({"match": {"user.name": {"query": "alise", "fuzziness": "AUTO"}}}), true),
        (json!({"regexp": {"user.name": "al.*"}}), true),
        (json!({"regexp": {"user.name": "Al.*"}}), false),
        (
            json!({"query_string": {"query": "alice bob", "default_field": "user.name", "default_operator": "AND"}}),
            false,
        ),
        (
            json!({"bool": {"should": [{"term": {"tags": "x"}}, {"term": {"tags": "a"}}, {"term": {"tags": "b"}}], "minimum_should_match": 2}}),
            true,
        ),
        (
            json!({"bool": {"should": [{"term": {"tags": "x"}}, {"term": {"tags": "a"}}], "minimum_should_match": "100%"}}),
            false,
        ),
        (json!({"bool": {"must": {"term": {"tags": "a"}}, "must_not": [{"term": {"tags": "b"}}]}}), false),
        (json!({"bool": {}}), true),
        (json!({"query_string": {"query": "alice AND n:[1 TO 5]", "default_field": "user.name"}}), true),
        (json!({"query_string": {"query": "n:[1 TO 4]"}}), false),
    ] {
        assert_eq!(matches(&query, &doc), want, "{query}");
    }
    assert_eq!(dsl::parse(&json!({"frobnicate": {}})).err().as_deref(), Some("unknown query [frobnicate]"));
    assert!(dsl::parse(&json!({"terms": {"tags": "a"}})).is_err());
}
