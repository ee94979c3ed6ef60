//! What changes the data directory: `PUT /{index}` (an index with its mapping and no
//! documents yet, written as `NAME.mapping.json`) and `PUT /_enrich/policy/{name}` (written
//! as `_enrich/NAME.json`). Each file is written whole (temporary file, fsync, rename), the
//! name checked as ES checks index names so nothing lands outside the data directory, and the
//! engine re-reads the directory for the queries that follow.

use super::error::EsError;
use super::Shared;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// ES's rules for an index name: lower case, none of `\ / * ? " < > | , # :` or space, not
/// starting with `-`, `_` or `+`, not `.` or `..`, at most 255 bytes. They also keep every
/// name a plain file name in the data directory.
pub fn check_index_name(name: &str) -> Result<(), EsError> {
    let invalid = |why: &str| {
        Err(EsError::bad_request("invalid_index_name_exception", format!("Invalid index name [{name}], {why}")))
    };
    if name.is_empty() || name == "." || name == ".." {
        return invalid("must not be '.' or '..'");
    }
    if name.len() > 255 {
        return invalid("index name is too long, (> 255)");
    }
    if name.starts_with(['-', '_', '+']) {
        return invalid("must not start with '_', '-', or '+'");
    }
    if name.chars().any(|c| c.is_uppercase()) {
        return invalid("must be lowercase");
    }
    if name
        .chars()
        .any(|c| matches!(c, '\\' | '/' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | ',' | '#' | ':') || c.is_control())
    {
        return invalid("must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?, #, :]");
    }
    Ok(())
}

/// The data directory's root, or ES's 400 when the server has none.
fn root(shared: &Shared) -> Result<std::path::PathBuf, EsError> {
    let engine = shared.current();
    engine
        .data()
        .map(|d| d.root.clone())
        .ok_or_else(|| EsError::bad_request("illegal_argument_exception", "no data directory"))
}

/// Writes `bytes` to `path` whole, then has the engine read the directory again.
fn write_and_reload(shared: &Shared, path: &std::path::Path, bytes: &[u8]) -> Result<(), EsError> {
    let _one_writer = shared.writes.lock().unwrap_or_else(|p| p.into_inner());
    let fail = |e: String| EsError { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "exception", reason: e };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    }
    crate::io::files::write(path, bytes).map_err(|e| fail(e.to_string()))?;
    shared.reload().map_err(|e| fail(e.to_string()))
}

/// Runs a write on a blocking thread (it touches files and re-reads the directory).
async fn blocking(f: impl FnOnce() -> Result<Response, EsError> + Send + 'static) -> Response {
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
    write_and_reload(shared, &path, text.as_bytes())?;
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
    write_and_reload(shared, &path, body)?;
    Ok((StatusCode::OK, axum::Json(json!({"acknowledged": true}))).into_response())
}

#[cfg(test)]
mod tests {
    use super::check_index_name;

    #[test]
    fn names_stay_inside_the_data_directory() {
        for bad in ["../etc", "a/b", "..", ".", "_x", "-x", "A", "a b", "a\0b", "/abs", "a\\b", "a:b"] {
            assert!(check_index_name(bad).is_err(), "{bad:?}");
        }
        for good in ["logs-a-default", ".alerts-x", "threat-intel", "a.b"] {
            assert!(check_index_name(good).is_ok(), "{good:?}");
        }
    }
}
