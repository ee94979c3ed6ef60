//! Async queries as Kibana's detection engine and Discover drive them: `POST /_query/async`
//! waits `wait_for_completion_timeout` (1s) and answers the result, or `{id, is_running:
//! true}`; `GET /_query/async/{id}` waits for it (or its own timeout); `DELETE` cancels
//! and forgets it; `.../stop` ends its input and answers with what it read (`is_partial`). A finished result has an `id` only when it
//! is kept (`keep_on_completion`), as ES does: Kibana deletes only what has one. Results are
//! kept for `keep_alive` (5d), then dropped at the next request.

use super::error::EsError;
use super::query::{asked, engine_for, parse_body, run, Request, URL_PARAMS};
use super::respond::{respond, running, AsyncHead};
use super::Shared;
use crate::engine::Output;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The body fields async adds to `POST /_query`'s.
const ASYNC_FIELDS: &[&str] = &["wait_for_completion_timeout", "keep_alive", "keep_on_completion"];
/// The URL parameters of `GET /_query/async/{id}`.
const GET_PARAMS: &[&str] = &[
    "wait_for_completion_timeout",
    "keep_alive",
    "drop_null_columns",
    "format",
    "header",
    "pretty",
    "human",
    "error_trace",
    "filter_path",
];

/// A finished query: its output and how long it took, or its error.
type Finished = Arc<Result<(Output, Duration), EsError>>;

/// One async query.
pub struct AsyncQuery {
    done: watch::Receiver<Option<Finished>>,
    cancel: Arc<AtomicBool>,
    /// Its engine's stop: the input ends, the answer covers what was read.
    stop: Arc<AtomicBool>,
    request: Request,
    drop_nulls: bool,
    expires: Mutex<Instant>,
}

/// The async queries by id.
pub type Store = Mutex<HashMap<String, Arc<AsyncQuery>>>;

fn store(shared: &Shared) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AsyncQuery>>> {
    shared.asyncs.lock().unwrap_or_else(|p| p.into_inner())
}

/// A time value as ES writes them: `200ms`, `1s`, `4m`, `1h`, `5d`.
pub fn duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "nanos" => Duration::from_nanos(n),
        "micros" => Duration::from_micros(n),
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        "d" => Duration::from_secs(n * 86_400),
        _ => return None,
    })
}

/// A time value of the body or the URL, or `default`; a bad one is ES's 400.
fn time_value(v: Option<&str>, name: &str, default: Option<Duration>) -> Result<Option<Duration>, EsError> {
    match v {
        None => Ok(default),
        Some(t) => duration(t).map(Some).ok_or_else(|| {
            EsError::bad_request(
                "illegal_argument_exception",
                format!("failed to parse setting [{name}] with value [{t}] as a time value"),
            )
        }),
    }
}

/// An opaque id, unique in this server's life.
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("esql{nanos:x}{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The result once done, waiting at most `wait` (`None`: until done).
async fn finished(q: &AsyncQuery, wait: Option<Duration>) -> Option<Finished> {
    let mut rx = q.done.clone();
    let lost = || Arc::new(Err(EsError::bad_request("exception", "the query's thread ended without a result")));
    let until_done = async { rx.wait_for(Option::is_some).await.map(|v| v.clone()).unwrap_or_else(|_| Some(lost())) };
    match wait {
        Some(t) => tokio::time::timeout(t, until_done).await.ok().flatten(),
        None => until_done.await,
    }
}

/// The answer of a finished query.
fn answer(f: &Finished, q: &AsyncQuery, asked: &super::query::Asked, id: Option<&str>) -> Response {
    match f.as_ref() {
        Ok((out, took)) => respond(out, &q.request, asked, *took, Some(AsyncHead { id, running: false }))
            .unwrap_or_else(IntoResponse::into_response),
        Err(e) => e.clone().into_response(),
    }
}

/// Drops the results kept past their `keep_alive`.
fn sweep(shared: &Shared) {
    let now = Instant::now();
    store(shared).retain(|_, q| *q.expires.lock().unwrap_or_else(|p| p.into_inner()) > now);
}

/// `POST /_query/async`.
pub async fn submit(
    State(shared): State<Arc<Shared>>,
    Query(url): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    submit_inner(shared, url, headers, body).await.unwrap_or_else(IntoResponse::into_response)
}

async fn submit_inner(
    shared: Arc<Shared>,
    url: HashMap<String, String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, EsError> {
    sweep(&shared);
    let asked = asked(&url, &headers, URL_PARAMS, "/_query/async")?;
    let (request, extras) = parse_body(&body, ASYNC_FIELDS)?;
    asked.check(&request)?;
    let text = |k: &str| extras.get(k).and_then(Json::as_str);
    let wait =
        time_value(text("wait_for_completion_timeout"), "wait_for_completion_timeout", Some(Duration::from_secs(1)))?;
    let keep_alive = time_value(text("keep_alive"), "keep_alive", Some(Duration::from_secs(5 * 86_400)))?;
    let keep = extras.get("keep_on_completion").and_then(Json::as_bool).unwrap_or(false);
    let slot = shared.slot()?;
    let engine = engine_for(&shared, &request, &headers)?;
    let (cancel, stop) = (engine.cancel.clone(), engine.stop.clone());
    let (tx, done) = watch::channel(None);
    let q = Arc::new(AsyncQuery {
        done,
        cancel,
        stop,
        request,
        drop_nulls: asked.drop_nulls,
        expires: Mutex::new(Instant::now() + keep_alive.unwrap_or_default()),
    });
    let (job, timeout) = (q.clone(), shared.timeout);
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let started = Instant::now();
        let result = run(engine, &job.request, timeout).map(|out| (out, started.elapsed()));
        let _ = tx.send(Some(Arc::new(result)));
    });
    let id = new_id();
    match finished(&q, wait).await {
        Some(f) if !keep => Ok(answer(&f, &q, &asked, None)),
        Some(f) => {
            store(&shared).insert(id.clone(), q.clone());
            Ok(answer(&f, &q, &asked, Some(&id)))
        }
        None => {
            store(&shared).insert(id.clone(), q);
            Ok(running(&id))
        }
    }
}

/// The query of `id`, or ES's 404.
fn lookup(shared: &Shared, id: &str) -> Result<Arc<AsyncQuery>, EsError> {
    store(shared).get(id).cloned().ok_or_else(|| EsError {
        status: StatusCode::NOT_FOUND,
        kind: "resource_not_found_exception",
        reason: id.to_string(),
    })
}

/// `GET /_query/async/{id}`.
pub async fn get(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(url): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    get_inner(shared, id, url, headers).await.unwrap_or_else(IntoResponse::into_response)
}

async fn get_inner(
    shared: Arc<Shared>,
    id: String,
    url: HashMap<String, String>,
    headers: HeaderMap,
) -> Result<Response, EsError> {
    sweep(&shared);
    let q = lookup(&shared, &id)?;
    let mut asked = asked(&url, &headers, GET_PARAMS, "/_query/async")?;
    if !url.contains_key("drop_null_columns") {
        asked.drop_nulls = q.drop_nulls;
    }
    if let Some(k) = time_value(url.get("keep_alive").map(String::as_str), "keep_alive", None)? {
        *q.expires.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now() + k;
    }
    let wait =
        time_value(url.get("wait_for_completion_timeout").map(String::as_str), "wait_for_completion_timeout", None)?;
    Ok(match finished(&q, wait).await {
        Some(f) => answer(&f, &q, &asked, Some(&id)),
        None => running(&id),
    })
}

/// `POST /_query/async/{id}/stop`: the query's input ends where it is and the rest of the
/// plan finishes on what was read, answered with `is_partial: true`; a finished one answers
/// as it is.
pub async fn stop(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(url): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Ok(q) = lookup(&shared, &id) {
        if q.done.borrow().is_none() {
            q.stop.store(true, Ordering::Relaxed);
        }
    }
    let mut url = url;
    url.remove("wait_for_completion_timeout");
    get_inner(shared, id, url, headers).await.unwrap_or_else(IntoResponse::into_response)
}

/// `DELETE /_query/async/{id}`: cancels it if running, forgets it.
pub async fn delete(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let removed = store(&shared).remove(&id);
    match removed {
        Some(q) => {
            q.cancel.store(true, Ordering::Relaxed);
            (StatusCode::OK, axum::Json(serde_json::json!({"acknowledged": true}))).into_response()
        }
        None => lookup(&shared, &id)
            .err()
            .map_or_else(|| StatusCode::NOT_FOUND.into_response(), IntoResponse::into_response),
    }
}
