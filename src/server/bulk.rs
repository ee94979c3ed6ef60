//! `POST /_bulk` and `POST /{index}/_bulk`: action lines and documents in, each item's
//! outcome out, as Elasticsearch answers (200 with `errors` and a status per item; a body
//! that cannot be read at all is a 400). The writes themselves are `io::store`'s: durable
//! before this answers. Then the engine reads the directory again.

use super::error::EsError;
use super::Shared;
use crate::io::store::{Action, Item, Outcome, Refusal};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// The URL parameters ES's `_bulk` takes (those about replicas and refresh change nothing
/// here: every write is on disk and visible when answered).
const PARAMS: [&str; 15] = [
    "refresh",
    "pipeline",
    "routing",
    "timeout",
    "wait_for_active_shards",
    "require_alias",
    "require_data_stream",
    "_source",
    "_source_includes",
    "_source_excludes",
    "include_source_on_error",
    "list_executed_pipelines",
    "pretty",
    "human",
    "error_trace",
];

/// The keys an action line's object may hold.
const ACTION_KEYS: [&str; 14] = [
    "_index",
    "_id",
    "routing",
    "pipeline",
    "version",
    "version_type",
    "if_seq_no",
    "if_primary_term",
    "require_alias",
    "require_data_stream",
    "dynamic_templates",
    "retry_on_conflict",
    "op_type",
    "list_executed_pipelines",
];

/// `POST /_bulk`.
pub async fn bulk(shared: State<Arc<Shared>>, url: Query<HashMap<String, String>>, body: Bytes) -> Response {
    run(shared.0, None, url.0, body).await
}

/// `POST /{index}/_bulk`: `index` for the items that name none.
pub async fn bulk_into(
    shared: State<Arc<Shared>>,
    Path(index): Path<String>,
    url: Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    run(shared.0, Some(index), url.0, body).await
}

async fn run(shared: Arc<Shared>, index: Option<String>, url: HashMap<String, String>, body: Bytes) -> Response {
    let started = std::time::Instant::now();
    let path = index.as_ref().map_or_else(|| "/_bulk".to_string(), |i| format!("/{i}/_bulk"));
    super::ingest::blocking(move || {
        super::query::only_params(&url, &PARAMS, &path)?;
        let lines = parse(&body, index.as_deref(), &url)?;
        let outcomes = shared.write(|store, dir| Ok(store.apply(dir, lines)))?;
        Ok(answer(&outcomes, started).into_response())
    })
    .await
}

/// The response: `took`, `errors`, one object per item.
fn answer(outcomes: &[Outcome], started: std::time::Instant) -> axum::Json<Json> {
    let items: Vec<Json> = outcomes.iter().map(item).collect();
    let errors = outcomes.iter().any(|o| o.result.is_err());
    axum::Json(json!({ "errors": errors, "took": started.elapsed().as_millis() as u64, "items": items }))
}

fn item(o: &Outcome) -> Json {
    let mut m = Map::new();
    m.insert("_index".into(), json!(o.index));
    if let Some(id) = &o.id {
        m.insert("_id".into(), json!(id));
    }
    match &o.result {
        Ok(done) => {
            m.insert("_version".into(), json!(done.version));
            m.insert("result".into(), json!(done.result));
            m.insert("_shards".into(), json!({"total": 1, "successful": 1, "failed": 0}));
            m.insert("status".into(), json!(done.status));
            m.insert("_seq_no".into(), json!(done.seq_no));
            m.insert("_primary_term".into(), json!(1));
        }
        Err(e) => {
            m.insert("status".into(), json!(e.status));
            let error =
                json!({"type": e.kind, "reason": e.reason, "index": o.index, "shard": "0", "index_uuid": "_na_"});
            m.insert("error".into(), error);
        }
    }
    json!({ o.action.name(): m })
}

/// The items of a body, or ES's 400 for a body it cannot read.
fn parse(body: &[u8], default_index: Option<&str>, url: &HashMap<String, String>) -> Result<Vec<Item>, EsError> {
    let text =
        std::str::from_utf8(body).map_err(|e| EsError::bad_request("illegal_argument_exception", e.to_string()))?;
    if text.trim().is_empty() {
        return Err(EsError::bad_request(
            "action_request_validation_exception",
            "Validation Failed: 1: no requests added;",
        ));
    }
    if !text.ends_with('\n') {
        return Err(EsError::bad_request(
            "illegal_argument_exception",
            "The bulk request must be terminated by a newline [\\n]",
        ));
    }
    let mut items = Vec::new();
    let mut lines = text.split('\n').enumerate().filter(|(_, l)| !l.trim().is_empty());
    while let Some((n, line)) = lines.next() {
        let (verb, meta) = action_line(n + 1, line)?;
        let source = if verb == "delete" {
            None
        } else {
            let (_, doc) = lines.next().ok_or_else(|| {
                EsError::bad_request(
                    "illegal_argument_exception",
                    format!("Action/metadata line [{}] has no document", n + 1),
                )
            })?;
            Some(doc.to_string())
        };
        items.push(to_item(verb, &meta, source, default_index, url)?);
    }
    Ok(items)
}

/// An action line: its verb and parameters.
fn action_line(n: usize, line: &str) -> Result<(&'static str, Map<String, Json>), EsError> {
    let malformed = |why: String| {
        EsError::bad_request("illegal_argument_exception", format!("Malformed action/metadata line [{n}], {why}"))
    };
    let doc: Json = serde_json::from_str(line).map_err(|e| malformed(format!("{e}")))?;
    let Json::Object(o) = doc else { return Err(malformed("expected START_OBJECT".into())) };
    let mut entries = o.into_iter();
    let (Some((verb, params)), None) = (entries.next(), entries.next()) else {
        return Err(malformed("expected one action: [create], [delete], [index] or [update]".into()));
    };
    let verb = ["create", "delete", "index", "update"].into_iter().find(|v| *v == verb).ok_or_else(|| {
        malformed(format!("expected field [create], [delete], [index] or [update] but found [{verb}]"))
    })?;
    let Json::Object(params) = params else { return Err(malformed("expected START_OBJECT".into())) };
    if let Some(k) = params.keys().find(|k| !ACTION_KEYS.contains(&k.as_str())) {
        let reason = format!("Action/metadata line [{n}] contains an unknown parameter [{k}]");
        return Err(EsError::bad_request("illegal_argument_exception", reason));
    }
    Ok((verb, params))
}

/// The item an action asks for; what this server does not do is the item's refusal.
fn to_item(
    verb: &str,
    meta: &Map<String, Json>,
    source: Option<String>,
    default_index: Option<&str>,
    url: &HashMap<String, String>,
) -> Result<Item, EsError> {
    let text = |k: &str| meta.get(k).and_then(Json::as_str).map(str::to_string);
    let index = text("_index").or_else(|| default_index.map(str::to_string)).ok_or_else(|| {
        EsError::bad_request("action_request_validation_exception", "Validation Failed: 1: index is missing;")
    })?;
    let id = match meta.get("_id") {
        Some(Json::String(s)) => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let action = match (verb, text("op_type").as_deref()) {
        ("create", _) | ("index", Some("create")) => Action::Create,
        ("delete", _) => Action::Delete,
        ("update", _) => Action::Update,
        _ => Action::Index,
    };
    let require_alias = |v: Option<&str>| v == Some("true") || v == Some("");
    let refused = if meta.get("require_alias") == Some(&Json::Bool(true))
        || require_alias(url.get("require_alias").map(String::as_str))
    {
        let reason =
            format!("no such index [{index}] and [require_alias] request flag is [true] and [{index}] is not an alias");
        Some(Refusal { status: 404, kind: "index_not_found_exception", reason })
    } else {
        unsupported(meta, url)
    };
    Ok(Item { action, index, id, source, refused })
}

/// Why an action this server does not carry out is refused, if it is one.
fn unsupported(meta: &Map<String, Json>, url: &HashMap<String, String>) -> Option<Refusal> {
    let pipeline = meta.get("pipeline").and_then(Json::as_str).or(url.get("pipeline").map(String::as_str));
    if let Some(p) = pipeline.filter(|p| *p != "_none") {
        return Some(Refusal::bad("illegal_argument_exception", format!("pipeline with id [{p}] does not exist")));
    }
    if let Some(k) = ["if_seq_no", "if_primary_term", "version"].into_iter().find(|k| meta.contains_key(*k)) {
        let reason = format!("[{k}]: esql serve keeps no sequence numbers to check a write against");
        return Some(Refusal::bad("illegal_argument_exception", reason));
    }
    None
}
