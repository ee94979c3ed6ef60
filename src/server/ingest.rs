//! What changes the data directory besides documents (`bulk.rs`): `PUT /{index}` (an index
//! with its mapping and no documents yet, written as `NAME.mapping.json`), `PUT
//! /_enrich/policy/{name}` (`_enrich/NAME.json`) and `PUT /_index_template/{name}`
//! (`_templates/NAME.json`). Each file is written whole (temporary file, fsync, rename), the
//! name checked as ES checks index names so nothing lands outside the data directory, and the
//! engine re-reads the directory for the queries that follow.

use super::error::EsError;
use super::Shared;
use crate::io::store::{check_index_name, Refusal};
use axum::body::Bytes;
use axum::extract::Query;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// Writes `bytes` to `path` whole, alone, then has the engine read the directory again.
fn write_file(shared: &Shared, path: std::path::PathBuf, bytes: &[u8]) -> Result<(), EsError> {
    shared.write(|_, _| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Refusal::io)?;
        }
        crate::io::files::write(&path, bytes).map_err(Refusal::io)?;
        Ok(())
    })
}

/// The data directory's root, or ES's 400 when the server has none.
fn root(shared: &Shared) -> Result<std::path::PathBuf, EsError> {
    let engine = shared.current();
    engine
        .data()
        .map(|d| d.root.clone())
        .ok_or_else(|| EsError::bad_request("illegal_argument_exception", "no data directory"))
}

/// Runs a write on a blocking thread (it touches files and re-reads the directory).
pub(super) async fn blocking(f: impl FnOnce() -> Result<Response, EsError> + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => e.into_response(),
        Err(e) => EsError::bad_request("exception", e.to_string()).into_response(),
    }
}

/// `PUT /{index}`: `{"mappings": ..., "settings": ...}` (or nothing).
pub async fn create_index(State(shared): State<Arc<Shared>>, Path(index): Path<String>, body: Bytes) -> Response {
    blocking(move || create(&shared, &index, &body)).await
}

fn create(shared: &Shared, index: &str, body: &[u8]) -> Result<Response, EsError> {
    check_index_name(index)?;
    if shared.current().data().is_some_and(|d| d.indices.iter().any(|ix| ix.name == index)) {
        let reason = format!("index [{index}/esql] already exists");
        return Err(EsError::bad_request("resource_already_exists_exception", reason));
    }
    let doc: Json = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| EsError::bad_request("x_content_parse_exception", e.to_string()))?
    };
    let mut doc = match doc {
        Json::Object(o) => o,
        _ => return Err(EsError::bad_request("x_content_parse_exception", "the body must be an object")),
    };
    doc.entry("mappings").or_insert_with(|| json!({"properties": {}}));
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    crate::io::catalog::mapping::parse(&text)
        .map_err(|e| EsError::bad_request("mapper_parsing_exception", e.to_string()))?;
    let path = root(shared)?.join(format!("{index}.mapping.json"));
    write_file(shared, path, text.as_bytes())?;
    Ok((StatusCode::OK, axum::Json(json!({"acknowledged": true, "shards_acknowledged": true, "index": index})))
        .into_response())
}

/// `PUT /_enrich/policy/{name}`: a `match` or `range` policy over an index of the directory.
pub async fn put_policy(State(shared): State<Arc<Shared>>, Path(name): Path<String>, body: Bytes) -> Response {
    blocking(move || policy(&shared, &name, &body)).await
}

fn policy(shared: &Shared, name: &str, body: &[u8]) -> Result<Response, EsError> {
    check_index_name(name)?;
    let text = String::from_utf8_lossy(body);
    crate::io::catalog::enrich::parse(name, &text)
        .map_err(|e| EsError::bad_request("illegal_argument_exception", e))?;
    let path = root(shared)?.join("_enrich").join(format!("{name}.json"));
    if path.exists() {
        let reason = format!("policy [{name}] already exists");
        return Err(EsError::bad_request("resource_already_exists_exception", reason));
    }
    write_file(shared, path, body)?;
    Ok((StatusCode::OK, axum::Json(json!({"acknowledged": true}))).into_response())
}

/// `PUT /_index_template/{name}`: what the indices a `_bulk` creates are made with.
pub async fn put_template(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    Query(url): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    blocking(move || template(&shared, &name, &url, &body)).await
}

fn template(shared: &Shared, name: &str, url: &HashMap<String, String>, body: &[u8]) -> Result<Response, EsError> {
    super::query::only_params(
        url,
        &["create", "master_timeout", "cause", "pretty", "human", "error_trace"],
        "/_index_template",
    )?;
    check_index_name(name)?;
    let text = String::from_utf8_lossy(body);
    crate::io::store::template::parse(name, &text)?;
    let path = crate::io::store::template::folder(&root(shared)?).join(format!("{name}.json"));
    if url.get("create").is_some_and(|v| v == "true") && path.exists() {
        let reason = format!("index template [{name}] already exists");
        return Err(EsError::bad_request("illegal_argument_exception", reason));
    }
    write_file(shared, path, body)?;
    Ok((StatusCode::OK, axum::Json(json!({"acknowledged": true}))).into_response())
}
