//! `POST /_query`: the body (`query`, `params`, `filter`, `columnar`, ...) checked as ES's
//! strict parser does, the query run on a blocking thread over an engine of its own, and
//! the result in the negotiated format with ES's warnings as `Warning` headers.

use super::error::EsError;
use super::format::{header_absent, negotiate, Wire};
use super::{Shared, BUILD_HASH, ES_VERSION};
use crate::engine::Output;
use crate::output::{json_cell, rows, Writer};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// The body fields of `POST /_query` (ES rejects any other).
const BODY_FIELDS: &[&str] = &[
    "query",
    "params",
    "columnar",
    "filter",
    "locale",
    "time_zone",
    "profile",
    "include_ccs_metadata",
    "include_execution_metadata",
];

/// The URL parameters of `POST /_query` (ES rejects any other).
const URL_PARAMS: &[&str] = &[
    "format",
    "delimiter",
    "drop_null_columns",
    "allow_partial_results",
    "header",
    "pretty",
    "human",
    "error_trace",
    "filter_path",
];

/// A parsed request body.
struct Request {
    query: String,
    params: crate::syntax::Params,
    filter: Option<crate::search::Query<String>>,
    columnar: bool,
    profile: bool,
}

/// `POST /_query`.
pub async fn sync(
    State(shared): State<Arc<Shared>>,
    Query(url): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match answer(shared, url, headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn answer(
    shared: Arc<Shared>,
    url: HashMap<String, String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, EsError> {
    if let Some(p) = url.keys().find(|k| !URL_PARAMS.contains(&k.as_str())) {
        let reason = format!("request [/_query] contains unrecognized parameter: [{p}]");
        return Err(EsError::bad_request("illegal_argument_exception", reason));
    }
    let wire = negotiate(url.get("format").map(String::as_str), &headers)?;
    check_delimiter(url.get("delimiter").map(String::as_str), wire)?;
    let request = parse_body(&body)?;
    if request.columnar && matches!(wire, Wire::Other(f) if f != crate::output::Format::Arrow) {
        return Err(EsError::bad_request(
            "illegal_argument_exception",
            "Invalid use of [columnar] argument: cannot be used in combination with [txt, csv, tsv] formats",
        ));
    }
    let drop_nulls = url.get("drop_null_columns").is_some_and(|v| v == "true" || v.is_empty());
    let csv_header = !header_absent(&headers, url.get("header").map(String::as_str));
    let started = std::time::Instant::now();
    let run = tokio::task::spawn_blocking(move || execute(&shared, &request).map(|out| (out, request)));
    let (out, request) = run.await.map_err(|e| EsError::bad_request("exception", e.to_string()))??;
    let took = started.elapsed();
    let mut response = match wire {
        Wire::Json => json_response(&out, &request, drop_nulls, took.as_millis() as u64),
        Wire::Other(format) => text_response(&out, format, csv_header)?,
    };
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static(wire.content_type(csv_header)));
    h.insert("took-nanos", HeaderValue::from(took.as_nanos() as u64));
    for w in &out.result.warnings {
        let value =
            format!("299 Elasticsearch-{ES_VERSION}-{BUILD_HASH} \"{}\"", crate::exec::warnings::header_value(w));
        if let Ok(v) = HeaderValue::from_bytes(value.as_bytes()) {
            h.append("warning", v);
        }
    }
    for w in &out.load_warnings {
        eprintln!("esql: warning: {}", crate::output::terminal_safe(w));
    }
    Ok(response)
}

/// ES's checks of `delimiter`: CSV only, one character, not one CSV itself needs.
fn check_delimiter(delimiter: Option<&str>, wire: Wire) -> Result<(), EsError> {
    let Some(d) = delimiter else { return Ok(()) };
    if wire != Wire::Other(crate::output::Format::Csv) {
        return Err(EsError::bad_request(
            "illegal_argument_exception",
            "parameter: [delimiter] can only be used with the format [csv] for request [/_query]",
        ));
    }
    if d != "," {
        return Err(EsError::bad_request(
            "illegal_argument_exception",
            format!("delimiter [{d}] is not supported here yet; only [,]"),
        ));
    }
    Ok(())
}

/// The body, as strictly as ES's parser reads it.
fn parse_body(body: &[u8]) -> Result<Request, EsError> {
    let parse_error = |m: String| EsError::bad_request("x_content_parse_exception", m);
    let json: Json =
        serde_json::from_slice(body).map_err(|e| parse_error(format!("[{}:{}] {e}", e.line(), e.column())))?;
    let Json::Object(fields) = json else {
        return Err(parse_error("[1:1] [esql/query] expected an object".into()));
    };
    if let Some(k) = fields.keys().find(|k| !BODY_FIELDS.contains(&k.as_str())) {
        return Err(parse_error(format!("[1:2] [esql/query] unknown field [{k}]")));
    }
    let query = match fields.get("query") {
        Some(Json::String(q)) => q.clone(),
        _ => {
            return Err(EsError::bad_request("illegal_argument_exception", "[query] is required and must be a string"))
        }
    };
    let params = match fields.get("params") {
        Some(p) => crate::params::from_request(p).map_err(|m| EsError::bad_request("illegal_argument_exception", m))?,
        None => Default::default(),
    };
    let filter = match fields.get("filter") {
        Some(f) => Some(crate::search::dsl::parse(f).map_err(|m| EsError::bad_request("parsing_exception", m))?),
        None => None,
    };
    check_zone_and_locale(&fields)?;
    let flag = |k: &str| fields.get(k).and_then(Json::as_bool).unwrap_or(false);
    Ok(Request { query, params, filter, columnar: flag("columnar"), profile: flag("profile") })
}

/// This engine computes in UTC and English: another zone or locale would change answers,
/// so it is refused rather than ignored.
fn check_zone_and_locale(fields: &Map<String, Json>) -> Result<(), EsError> {
    if let Some(z) = fields.get("time_zone").and_then(Json::as_str) {
        if !matches!(z, "UTC" | "Z" | "+00:00" | "Etc/UTC" | "GMT") {
            return Err(EsError::bad_request(
                "illegal_argument_exception",
                format!("time_zone [{z}] is not supported here; only UTC"),
            ));
        }
    }
    if let Some(l) = fields.get("locale").and_then(Json::as_str) {
        if !(l.eq_ignore_ascii_case("en")
            || l.to_ascii_lowercase().starts_with("en-")
            || l.to_ascii_lowercase().starts_with("en_"))
        {
            return Err(EsError::bad_request(
                "illegal_argument_exception",
                format!("locale [{l}] is not supported here; only English"),
            ));
        }
    }
    Ok(())
}

/// Runs the request over an engine of its own.
fn execute(shared: &Shared, request: &Request) -> Result<Output, EsError> {
    let mut engine = shared.engine.share();
    engine.params = request.params.clone();
    engine.filter = request.filter.clone();
    engine.query(&request.query).map_err(|e| EsError::of_query(&e, &request.query))
}

/// The JSON body in ES's field order: took, is_partial, documents_found, [all_columns],
/// columns, values (row-major, or column-major with `columnar`), [profile].
fn json_response(out: &Output, request: &Request, drop_nulls: bool, took_ms: u64) -> Response {
    let columns = &out.result.columns;
    let rows = rows(&out.result);
    let keep: Vec<usize> =
        (0..columns.len()).filter(|&k| !drop_nulls || rows.iter().any(|r| !r[k].is_null())).collect();
    let info = |k: &usize| json!({"name": columns[*k].name, "type": columns[*k].ty.name()});
    let mut body = Map::new();
    body.insert("took".into(), json!(took_ms));
    body.insert("is_partial".into(), json!(false));
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
    let text =
        ordered(&body, &["took", "is_partial", "documents_found", "all_columns", "columns", "values", "profile"]);
    (StatusCode::OK, text).into_response()
}

/// `body` as JSON text with its keys in `order`.
fn ordered(body: &Map<String, Json>, order: &[&str]) -> String {
    let fields: Vec<String> = order
        .iter()
        .filter_map(|k| body.get(*k).map(|v| format!("{}:{}", Json::String((*k).to_string()), v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// A text format or Arrow, through the same writer as `esql run`.
fn text_response(out: &Output, format: crate::output::Format, csv_header: bool) -> Result<Response, EsError> {
    let lists = (format == crate::output::Format::Arrow).then(|| crate::plan::multi::multi_columns(&out.plan));
    let fail = |e: String| EsError { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "exception", reason: e };
    let mut w = Writer::with_lists(format, &out.result.columns, lists, Vec::new()).map_err(|e| fail(e.to_string()))?;
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
