//! `esql serve`: Elasticsearch's HTTP API over the data directory, so that the official
//! clients, notebooks and scripts written against a cluster work unchanged. A front end like
//! the command line: one shared [`Engine`], an engine per request ([`Engine::share`]), queries
//! run on blocking threads. Every response says `X-Elastic-Product: Elasticsearch`, which the
//! clients check; errors are ES's JSON shape (`error.rs`); formats are negotiated as ES does
//! (`format.rs`); `POST /_query` is in `query.rs`, the async API in `async_query.rs`, the
//! shapes of an answer in `respond.rs`.

mod arrow;
mod async_query;
mod auth;
mod bulk;
mod catalog;
mod error;
mod format;
mod ingest;
mod query;
mod respond;
mod start;
mod tls;
mod ui;

use crate::engine::Engine;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;

/// What the handlers share.
pub struct Shared {
    /// The engine each request shares its data with; replaced when the directory changes.
    pub engine: std::sync::RwLock<Engine>,
    /// The data directory's writer, made at the first write; its lock makes writes one at
    /// a time.
    pub store: std::sync::Mutex<Option<crate::io::store::Store>>,
    /// The async queries, by id.
    pub asyncs: async_query::Store,
    /// One permit per query that may run at once; none left is ES's 429.
    pub slots: Arc<tokio::sync::Semaphore>,
    /// How long a query may run (`--query-timeout`).
    pub timeout: Option<std::time::Duration>,
}

impl Shared {
    /// An engine over the data as it is now.
    pub fn current(&self) -> Engine {
        self.engine.read().unwrap_or_else(|p| p.into_inner()).share()
    }

    /// Reads the data directory again, for the requests that follow.
    pub fn reload(&self) -> Result<(), crate::io::Error> {
        self.engine.write().unwrap_or_else(|p| p.into_inner()).reload()
    }

    /// Runs `f`, a write to the data directory, alone; then the engine reads the directory
    /// again, and the files the write superseded go once no query reads them.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut crate::io::store::Store, &crate::io::catalog::DataDir) -> Result<T, error::EsError>,
    ) -> Result<T, error::EsError> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let engine = self.current();
        let dir = engine
            .data()
            .ok_or_else(|| error::EsError::bad_request("illegal_argument_exception", "no data directory"))?;
        if dir.from_files {
            let reason =
                "the server reads data files (--data FILE), not a directory: start it with --data DIR to write";
            return Err(error::EsError::bad_request("illegal_argument_exception", reason));
        }
        let store = store.get_or_insert_with(|| crate::io::store::Store::new(&dir.root));
        let out = f(store, dir);
        store.retire(engine.data_token());
        drop(engine);
        let reloaded = self.reload();
        store.sweep();
        let out = out?;
        reloaded.map_err(|e| error::EsError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "exception",
            reason: e.to_string(),
        })?;
        Ok(out)
    }

    /// A permit to run a query, or ES's answer when all are taken.
    pub fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, error::EsError> {
        self.slots.clone().try_acquire_owned().map_err(|_| error::EsError {
            status: StatusCode::TOO_MANY_REQUESTS,
            kind: "es_rejected_execution_exception",
            reason: "rejected execution of ES|QL query: all query slots are busy (--max-queries)".into(),
        })
    }
}

pub use async_query::duration as time_value;
pub use auth::Credentials;
pub use start::{run, Options};

/// A line on stderr that never stops the server: a closed stderr (a log reader gone, a
/// pipe to `head`) must not take the queries down with it, as `eprintln!` would by panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// Elasticsearch's default `http.max_content_length`.
const MAX_BODY: usize = 100 << 20;

/// The version this server answers as (`GET /`, warning headers): the ES|QL it implements.
pub const ES_VERSION: &str = "9.1.0";
/// The build hash in warning headers: 7 lowercase hex digits, as clients' parsers require.
pub const BUILD_HASH: &str = "0000000";

/// The routes, behind the credentials check; every answer through [`product`].
pub fn router(shared: Arc<Shared>, credentials: auth::Credentials) -> axum::Router {
    let credentials = Arc::new(credentials);
    axum::Router::new()
        .route("/", get(root).head(|| async { StatusCode::OK }))
        .route("/_query", post(query::sync))
        .route("/_query/async", post(async_query::submit))
        .route("/_query/async/{id}", get(async_query::get).delete(async_query::delete))
        .route("/_query/async/{id}/stop", post(async_query::stop))
        .route("/_cat/indices", get(catalog::cat_indices))
        .route("/_cat/indices/{pattern}", get(catalog::cat_indices))
        .route("/_mapping", get(catalog::mapping))
        .route("/{index}/_mapping", get(catalog::mapping))
        .route("/_resolve/index/{pattern}", get(catalog::resolve))
        .route("/{index}", axum::routing::put(ingest::create_index))
        .route("/_bulk", post(bulk::bulk).put(bulk::bulk))
        .route("/{index}/_bulk", post(bulk::bulk_into).put(bulk::bulk_into))
        .route("/_index_template/{name}", axum::routing::put(ingest::put_template))
        .route("/_enrich/policy/{name}", axum::routing::put(ingest::put_policy))
        .merge(ui::routes())
        .fallback(no_handler)
        .method_not_allowed_fallback(no_handler)
        .with_state(shared)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(move |req, next| check(req, next, credentials.clone())))
        .layer(axum::middleware::map_response(product))
}

/// Every response, errors included, names the product: the clients refuse any other. An
/// error the HTTP layer wrote as text (a body over the limit, a bad URL query) becomes ES's
/// JSON, as clients expect of every error.
async fn product(response: Response) -> Response {
    let mut response = if response.status().is_client_error() || response.status().is_server_error() {
        as_es_error(response).await
    } else {
        response
    };
    response.headers_mut().insert("x-elastic-product", HeaderValue::from_static("Elasticsearch"));
    response
}

async fn as_es_error(response: Response) -> Response {
    let json = response.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json {
        return response;
    }
    let status = response.status();
    let text = axum::body::to_bytes(response.into_body(), 64 << 10).await.unwrap_or_default();
    let kind = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "content_too_long_exception"
    } else {
        "illegal_argument_exception"
    };
    error::EsError { status, kind, reason: String::from_utf8_lossy(&text).into_owned() }.into_response()
}

/// Refuses a request without the credentials required.
async fn check(
    req: axum::extract::Request,
    next: axum::middleware::Next,
    credentials: Arc<auth::Credentials>,
) -> Response {
    let header = req.headers().get("authorization").and_then(|v| v.to_str().ok());
    if credentials.accepts(header) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    // Read what was sent (up to 1 MiB) before answering: a socket closed on unread bytes is
    // reset, and the client may never see the 401.
    let _ = axum::body::to_bytes(req.into_body(), 1 << 20).await;
    auth::unauthorized(&path)
}

/// One line per request on stderr: method, path, status, time.
async fn log(req: axum::extract::Request, next: axum::middleware::Next, quiet: bool) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let started = std::time::Instant::now();
    let response = next.run(req).await;
    if !quiet {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        say!("{method} {} {} {ms:.1} ms", crate::output::terminal_safe(&path), response.status().as_u16());
    }
    response
}

/// `GET /`: what a cluster says of itself (older clients check the tagline and flavor); a
/// browser, which asks for HTML, gets the web page.
async fn root(headers: axum::http::HeaderMap) -> Response {
    if ui::wants_page(&headers) {
        return ui::page();
    }
    let body = serde_json::json!({
        "name": "esql",
        "cluster_name": "esql",
        "cluster_uuid": "esql-local-000000000000",
        "version": {
            "number": ES_VERSION,
            "build_flavor": "default",
            "build_type": "tar",
            "build_hash": BUILD_HASH,
            "build_date": "2025-07-09T00:00:00.000Z",
            "build_snapshot": false,
            "lucene_version": "10.2.2",
            "minimum_wire_compatibility_version": "8.19.0",
            "minimum_index_compatibility_version": "8.0.0"
        },
        "tagline": "You Know, for Search"
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// What ES answers for a path or method it has no handler for.
async fn no_handler(method: Method, uri: axum::http::Uri) -> Response {
    let reason = format!("no handler found for uri [{}] and method [{method}]", uri.path());
    (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({ "error": reason, "status": 400 }))).into_response()
}
