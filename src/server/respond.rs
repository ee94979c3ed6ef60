//! A result as ES answers it: the JSON body in ES's field order, or a text format or Arrow
//! through `esql run`'s writer; the `Warning` headers, `Took-nanos`, and for async queries
//! `X-Elasticsearch-Async-Id` and `-Is-Running` (RFC 8941 booleans `?0`/`?1`).

use super::error::EsError;
use super::format::Wire;
use super::query::{Asked, Request};
use super::{BUILD_HASH, ES_VERSION};
use crate::engine::Output;
use crate::output::{json_cell, rows, Writer};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value as Json};

/// What an async answer adds: its id (when stored) and whether it still runs.
pub struct AsyncHead<'a> {
    /// The id, when the result is kept.
    pub id: Option<&'a str>,
    /// Still running.
    pub running: bool,
}

/// The answer to a finished query.
pub fn respond(
    out: &Output,
    request: &Request,
    asked: &Asked,
    took: std::time::Duration,
    head: Option<AsyncHead<'_>>,
) -> Result<Response, EsError> {
    let mut response = match asked.wire {
        Wire::Json | Wire::Yaml | Wire::Cbor | Wire::Smile => {
            let took = took.as_millis() as u64;
            document_response(out, request, asked, took, head.as_ref())?
        }
        Wire::Other(crate::output::Format::Arrow) => {
            let fail = |e: String| EsError { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "exception", reason: e };
            (StatusCode::OK, super::arrow::stream(out).map_err(fail)?).into_response()
        }
        Wire::Other(format) => text_response(out, format, asked)?,
    };
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static(asked.wire.content_type(asked.csv_header)));
    h.insert("took-nanos", HeaderValue::from(took.as_nanos() as u64));
    for w in &out.result.warnings {
        let value =
            format!("299 Elasticsearch-{ES_VERSION}-{BUILD_HASH} \"{}\"", crate::exec::warnings::header_value(w));
        if let Ok(v) = HeaderValue::from_bytes(value.as_bytes()) {
            h.append("warning", v);
        }
    }
    if let Some(head) = &head {
        async_headers(&mut response, head);
    }
    for w in &out.load_warnings {
        super::say!("esql: warning: {}", crate::output::terminal_safe(w));
    }
    Ok(response)
}

/// `X-Elasticsearch-Async-Id` and `X-Elasticsearch-Async-Is-Running`.
pub fn async_headers(response: &mut Response, head: &AsyncHead<'_>) {
    let h = response.headers_mut();
    if let Some(v) = head.id.and_then(|id| HeaderValue::from_str(id).ok()) {
        h.insert("x-elasticsearch-async-id", v);
    }
    h.insert("x-elasticsearch-async-is-running", HeaderValue::from_static(if head.running { "?1" } else { "?0" }));
}

/// The answer to a query still running: its id, `is_running: true`.
pub fn running(id: &str) -> Response {
    let body = ordered(
        &Map::from_iter([("id".to_string(), json!(id)), ("is_running".to_string(), json!(true))]),
        &["id", "is_running"],
    );
    let mut response = (StatusCode::OK, [("content-type", "application/json")], body).into_response();
    async_headers(&mut response, &AsyncHead { id: Some(id), running: true });
    response
}

/// The document in ES's field order: [id, is_running], took, is_partial, documents_found,
/// [all_columns], columns, values (row-major, or column-major with `columnar`), [profile];
/// JSON, or YAML, CBOR, Smile.
fn document_response(
    out: &Output,
    request: &Request,
    asked: &Asked,
    took_ms: u64,
    head: Option<&AsyncHead<'_>>,
) -> Result<Response, EsError> {
    let drop_nulls = asked.drop_nulls;
    let columns = &out.result.columns;
    let rows = rows(&out.result);
    let keep: Vec<usize> =
        (0..columns.len()).filter(|&k| !drop_nulls || rows.iter().any(|r| !r[k].is_null())).collect();
    let info = |k: &usize| json!({"name": columns[*k].name, "type": columns[*k].ty.name()});
    let mut body = Map::new();
    if let Some(head) = head {
        if let Some(id) = head.id {
            body.insert("id".into(), json!(id));
        }
        body.insert("is_running".into(), json!(head.running));
    }
    body.insert("took".into(), json!(took_ms));
    body.insert("is_partial".into(), json!(out.partial));
    body.insert("documents_found".into(), json!(out.stats.docs));
    if drop_nulls {
        body.insert("all_columns".into(), Json::Array((0..columns.len()).map(|k| info(&k)).collect()));
    }
    body.insert("columns".into(), Json::Array(keep.iter().map(info).collect()));
    let cell = |r: &Vec<crate::types::Cell<'_>>, k: usize| json_cell(&r[k], columns[k].ty);
    let values: Vec<Json> = if request.columnar {
        keep.iter().map(|&k| Json::Array(rows.iter().map(|r| cell(r, k)).collect())).collect()
    } else {
        rows.iter().map(|r| Json::Array(keep.iter().map(|&k| cell(r, k)).collect())).collect()
    };
    body.insert("values".into(), Json::Array(values));
    if request.profile {
        body.insert("profile".into(), json!({"drivers": []}));
    }
    // serde_json's map keeps keys sorted unless told otherwise: write the fields in order.
    let order =
        ["id", "is_running", "took", "is_partial", "documents_found", "all_columns", "columns", "values", "profile"];
    let fields = Ordered(order.iter().filter_map(|k| body.get(*k).map(|v| (*k, v))).collect());
    let fail = |e: String| EsError { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "exception", reason: e };
    let bytes = match asked.wire {
        Wire::Yaml => serde_yaml_ng::to_string(&fields).map(String::into_bytes).map_err(|e| fail(e.to_string()))?,
        Wire::Cbor => {
            let mut out = Vec::new();
            ciborium::into_writer(&fields, &mut out).map_err(|e| fail(e.to_string()))?;
            out
        }
        Wire::Smile => serde_smile::to_vec(&fields).map_err(|e| fail(e.to_string()))?,
        _ => serde_json::to_vec(&fields).map_err(|e| fail(e.to_string()))?,
    };
    Ok((StatusCode::OK, bytes).into_response())
}

/// A map whose keys keep the order given.
struct Ordered<'a>(Vec<(&'a str, &'a Json)>);

impl serde::Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `body` as JSON text with its keys in `order`.
fn ordered(body: &Map<String, Json>, order: &[&str]) -> String {
    let fields: Vec<String> = order
        .iter()
        .filter_map(|k| body.get(*k).map(|v| format!("{}:{}", Json::String((*k).to_string()), v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// A text format, through the same writer as `esql run`.
fn text_response(out: &Output, format: crate::output::Format, asked: &Asked) -> Result<Response, EsError> {
    let csv_header = asked.csv_header;
    let fail = |e: String| EsError { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "exception", reason: e };
    let mut w =
        Writer::delimited(format, &out.result.columns, asked.delimiter, Vec::new()).map_err(|e| fail(e.to_string()))?;
    for b in &out.result.batches {
        w.write(b).map_err(|e| fail(e.to_string()))?;
    }
    let mut bytes = w.finish(0).map_err(fail)?;
    if format == crate::output::Format::Csv && !csv_header {
        let end = bytes.windows(2).position(|p| p == b"\r\n").map_or(bytes.len(), |p| p + 2);
        bytes.drain(..end);
    }
    Ok((StatusCode::OK, bytes).into_response())
}
