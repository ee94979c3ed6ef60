//! `POST /_query`: the body (`query`, `params`, `filter`, `columnar`, ...) checked as ES's
//! strict parser does, the query run on a blocking thread over an engine of its own, and
//! the result in the negotiated format with ES's warnings as `Warning` headers.

use super::error::EsError;
use super::format::{header_absent, negotiate, Wire};
use super::respond::respond;
use super::Shared;
use crate::engine::Output;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value as Json};
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
pub const URL_PARAMS: &[&str] = &[
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
pub struct Request {
    /// The query text.
    pub query: String,
    params: crate::syntax::Params,
    filter: Option<crate::search::Query<String>>,
    /// One array per column.
    pub columnar: bool,
    /// Add a `profile` object.
    pub profile: bool,
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
    let asked = asked(&url, &headers, URL_PARAMS, "/_query")?;
    let (request, _) = parse_body(&body, &[])?;
    asked.check(&request)?;
    let slot = shared.slot()?;
    let started = std::time::Instant::now();
    let engine = engine_for(&shared, &request, &headers)?;
    let timeout = shared.timeout;
    let run = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        run(engine, &request, timeout).map(|out| (out, request))
    });
    let (out, request) = run.await.map_err(|e| EsError::bad_request("exception", e.to_string()))??;
    respond(&out, &request, &asked, started.elapsed(), None)
}

/// How a request wants its answer: the URL parameters and headers, checked.
pub struct Asked {
    /// The negotiated format.
    pub wire: Wire,
    /// `drop_null_columns`.
    pub drop_nulls: bool,
    /// CSV's header row (not `header=absent`).
    pub csv_header: bool,
    /// CSV's cell separator.
    pub delimiter: char,
}

impl Asked {
    /// ES's check of `columnar` against the format.
    pub fn check(&self, request: &Request) -> Result<(), EsError> {
        if request.columnar && matches!(self.wire, Wire::Other(f) if f != crate::output::Format::Arrow) {
            return Err(EsError::bad_request(
                "illegal_argument_exception",
                "Invalid use of [columnar] argument: cannot be used in combination with [txt, csv, tsv] formats",
            ));
        }
        Ok(())
    }
}

/// ES's 400 for a URL parameter a request does not take.
pub fn only_params(url: &HashMap<String, String>, allowed: &[&str], path: &str) -> Result<(), EsError> {
    match url.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(p) => {
            let reason = format!("request [{path}] contains unrecognized parameter: [{p}]");
            Err(EsError::bad_request("illegal_argument_exception", reason))
        }
        None => Ok(()),
    }
}

/// The answer's form, from the URL parameters (`allowed`, others refused as ES does) and
/// the headers.
pub fn asked(
    url: &HashMap<String, String>,
    headers: &HeaderMap,
    allowed: &[&str],
    path: &str,
) -> Result<Asked, EsError> {
    only_params(url, allowed, path)?;
    let wire = negotiate(url.get("format").map(String::as_str), headers)?;
    let delimiter = check_delimiter(url.get("delimiter").map(String::as_str), wire)?;
    Ok(Asked {
        wire,
        delimiter,
        drop_nulls: url.get("drop_null_columns").is_some_and(|v| v == "true" || v.is_empty()),
        csv_header: !header_absent(headers, url.get("header").map(String::as_str)),
    })
}

/// ES's checks of `delimiter`: CSV only, one character, not one CSV itself needs (a quote,
/// CR, LF) nor TAB (that is TSV); the character to use.
fn check_delimiter(delimiter: Option<&str>, wire: Wire) -> Result<char, EsError> {
    let Some(d) = delimiter else { return Ok(',') };
    if wire != Wire::Other(crate::output::Format::Csv) {
        return Err(EsError::bad_request(
            "illegal_argument_exception",
            "parameter: [delimiter] can only be used with the format [csv] for request [/_query]",
        ));
    }
    let mut chars = d.chars();
    match (chars.next(), chars.next()) {
        (Some('"' | '\r' | '\n'), None) => Err(EsError::bad_request(
            "illegal_argument_exception",
            format!("illegal reserved character specified as delimiter [{d}]"),
        )),
        (Some('\t'), None) => Err(EsError::bad_request(
            "illegal_argument_exception",
            "illegal delimiter [TAB] specified as delimiter for the [csv] format; choose the [tsv] format instead",
        )),
        (Some(c), None) => Ok(c),
        _ => Err(EsError::bad_request("illegal_argument_exception", format!("invalid delimiter [{d}]"))),
    }
}

/// The body, as strictly as ES's parser reads it; `extra` names the fields an endpoint
/// adds (async's `keep_alive`...), returned as they came.
pub fn parse_body(body: &[u8], extra: &[&str]) -> Result<(Request, Map<String, Json>), EsError> {
    let parse_error = |m: String| EsError::bad_request("x_content_parse_exception", m);
    let json: Json =
        serde_json::from_slice(body).map_err(|e| parse_error(format!("[{}:{}] {e}", e.line(), e.column())))?;
    let Json::Object(fields) = json else {
        return Err(parse_error("[1:1] [esql/query] expected an object".into()));
    };
    if let Some(k) = fields.keys().find(|k| !BODY_FIELDS.contains(&k.as_str()) && !extra.contains(&k.as_str())) {
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
    let request = Request { query, params, filter, columnar: flag("columnar"), profile: flag("profile") };
    let extras = fields.into_iter().filter(|(k, _)| extra.contains(&k.as_str())).collect();
    Ok((request, extras))
}

/// This engine computes in UTC and English: another zone or locale would change answers,
/// so it is refused rather than ignored.
fn check_zone_and_locale(fields: &Map<String, Json>) -> Result<(), EsError> {
    if let Some(z) = fields.get("time_zone").and_then(Json::as_str) {
        if !crate::plan::settings::is_utc(z) {
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

/// An engine of the request's own: its parameters and filter over the shared data, and
/// `now()` pinned by an `X-Esql-Now` header (this server's own: the web page's pin for old
/// exports; ES has no such header and clients never send it).
pub fn engine_for(shared: &Shared, request: &Request, headers: &HeaderMap) -> Result<crate::engine::Engine, EsError> {
    let mut engine = shared.current();
    engine.params = request.params.clone();
    engine.filter = request.filter.clone();
    if let Some(now) = headers.get("x-esql-now").and_then(|v| v.to_str().ok()) {
        let ms = crate::engine::parse_now(now).map_err(|e| EsError::bad_request("illegal_argument_exception", e))?;
        engine.now_ms = Some(ms);
    }
    Ok(engine)
}

/// Runs the request (on a blocking thread: it reads files and computes), cancelled past
/// `timeout` with ES's timeout error.
pub fn run(
    engine: crate::engine::Engine,
    request: &Request,
    timeout: Option<std::time::Duration>,
) -> Result<Output, EsError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let expired = Arc::new(AtomicBool::new(false));
    let watchdog = timeout.zip(tokio::runtime::Handle::try_current().ok()).map(|(t, rt)| {
        let (cancel, expired) = (engine.cancel.clone(), expired.clone());
        rt.spawn(async move {
            tokio::time::sleep(t).await;
            expired.store(true, Ordering::Relaxed);
            cancel.store(true, Ordering::Relaxed);
        })
    });
    let out = engine.query(&request.query);
    if let Some(w) = watchdog {
        w.abort();
    }
    match out {
        Err(_) if expired.load(Ordering::Relaxed) => Err(EsError {
            status: axum::http::StatusCode::TOO_MANY_REQUESTS,
            kind: "elasticsearch_timeout_exception",
            reason: format!(
                "the query ran longer than --query-timeout ({}) and was cancelled",
                humanize(timeout.unwrap_or_default())
            ),
        }),
        other => other.map_err(|e| EsError::of_query(&e, &request.query)),
    }
}

/// A duration as ES writes one (`90s`, `10m`).
fn humanize(d: std::time::Duration) -> String {
    match d.as_secs() {
        0 => format!("{}ms", d.as_millis()),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
