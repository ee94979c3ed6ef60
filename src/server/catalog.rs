//! What a cluster says of its indices: `GET /_cat/indices` (text or `?format=json`),
//! `GET /{index}/_mapping` (and `/_mapping`) with the types the engine reads, and
//! `GET /_resolve/index/{pattern}` (indices and data streams).

use super::error::EsError;
use super::Shared;
use crate::engine::Engine;
use crate::io::catalog::Index;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// The indices `patterns` (comma-separated) name, or ES's 404.
fn indices<'a>(engine: &'a Engine, patterns: &str) -> Result<Vec<&'a Index>, EsError> {
    let dir = engine.data().ok_or_else(|| EsError::bad_request("illegal_argument_exception", "no data directory"))?;
    let list: Vec<String> = patterns.split(',').map(str::to_string).collect();
    dir.resolve(&list).map_err(|_| EsError {
        status: StatusCode::NOT_FOUND,
        kind: "index_not_found_exception",
        reason: format!("no such index [{patterns}]"),
    })
}

/// An index's documents and bytes on disk.
fn size(engine: &Engine, ix: &Index) -> (u64, u64) {
    let threads = engine.data().map_or(1, |d| d.threads);
    let docs = ix.fields(crate::io::OnError::Skip, threads).map_or(0, |(_, n)| n);
    let bytes = ix.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    (docs, bytes)
}

/// `GET /_cat/indices[/{pattern}]`: ES's columns; `?v` adds the header, `?format=json` an array.
pub async fn cat_indices(
    State(shared): State<Arc<Shared>>,
    pattern: Option<Path<String>>,
    Query(url): Query<HashMap<String, String>>,
) -> Response {
    let pattern = pattern.map_or_else(|| "*".to_string(), |Path(p)| p);
    let engine = shared.current();
    let found = match indices(&engine, &pattern) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let rows: Vec<[String; 10]> = found
        .iter()
        .map(|ix| {
            let (docs, bytes) = size(&engine, ix);
            let b = format!("{bytes}b");
            ["green", "open", &ix.name, "esql", "1", "0", &docs.to_string(), "0", &b, &b].map(str::to_string)
        })
        .collect();
    const HEAD: [&str; 10] = [
        "health",
        "status",
        "index",
        "uuid",
        "pri",
        "rep",
        "docs.count",
        "docs.deleted",
        "store.size",
        "pri.store.size",
    ];
    if url.get("format").is_some_and(|f| f == "json") {
        let objects: Vec<Json> = rows
            .iter()
            .map(|r| Json::Object(HEAD.iter().zip(r).map(|(k, v)| (k.to_string(), json!(v))).collect()))
            .collect();
        return (StatusCode::OK, axum::Json(Json::Array(objects))).into_response();
    }
    let mut table: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
    if url.contains_key("v") {
        table.insert(0, HEAD.iter().map(|h| h.to_string()).collect());
    }
    let widths: Vec<usize> = (0..HEAD.len()).map(|c| table.iter().map(|r| r[c].len()).max().unwrap_or(0)).collect();
    let text: String = table
        .iter()
        .map(|r| {
            r.iter().zip(&widths).map(|(v, w)| format!("{v:<w$}")).collect::<Vec<_>>().join(" ").trim_end().to_string()
                + "\n"
        })
        .collect();
    (StatusCode::OK, [("content-type", "text/plain; charset=UTF-8")], text).into_response()
}

/// An index's fields as ES's nested `properties`, in their original mapping types.
fn properties(engine: &Engine, ix: &Index) -> Json {
    let threads = engine.data().map_or(1, |d| d.threads);
    ix.es_properties(crate::io::OnError::Skip, threads)
}

/// `GET /{index}/_mapping` and `GET /_mapping`.
pub async fn mapping(State(shared): State<Arc<Shared>>, index: Option<Path<String>>) -> Response {
    let pattern = index.map_or_else(|| "*".to_string(), |Path(p)| p);
    let engine = shared.current();
    match indices(&engine, &pattern) {
        Ok(found) => {
            let body: Map<String, Json> = found
                .iter()
                .map(|ix| (ix.metadata_name(), json!({ "mappings": { "properties": properties(&engine, ix) } })))
                .collect();
            (StatusCode::OK, axum::Json(Json::Object(body))).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /_resolve/index/{pattern}`: plain indices, and data streams with their backing index.
pub async fn resolve(State(shared): State<Arc<Shared>>, Path(pattern): Path<String>) -> Response {
    let engine = shared.current();
    let found = match indices(&engine, &pattern) {
        Ok(f) => f,
        Err(_) => {
            return (StatusCode::OK, axum::Json(json!({"indices": [], "aliases": [], "data_streams": []})))
                .into_response()
        }
    };
    let mut plain = Vec::new();
    let mut streams = Vec::new();
    for ix in found {
        let backing = ix.metadata_name();
        if backing == ix.name {
            plain.push(json!({"name": ix.name, "attributes": ["open"]}));
        } else {
            plain.push(json!({"name": backing, "attributes": ["open"], "data_stream": ix.name}));
            streams.push(json!({"name": ix.name, "backing_indices": [backing], "timestamp_field": "@timestamp"}));
        }
    }
    (StatusCode::OK, axum::Json(json!({"indices": plain, "aliases": [], "data_streams": streams}))).into_response()
}
