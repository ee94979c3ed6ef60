//! The web page of `esql serve` (Discover's layout: query editor, time picker, histogram,
//! table, fields), served from files embedded in the binary (`page/`), and the few JSON
//! calls it makes besides `POST /_query`: the language's tables, completion and checking at
//! the cursor (the same code the REPL and the planner use), the FROM's fields, and the
//! histogram of a query's matches over time.

mod api;

use super::Shared;
use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;

/// The page's files: name, content type, bytes.
const ASSETS: &[(&str, &str, &str)] = &[
    ("index.html", "text/html; charset=utf-8", include_str!("page/index.html")),
    ("app.css", "text/css; charset=utf-8", include_str!("page/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("page/app.js")),
    ("editor.js", "text/javascript; charset=utf-8", include_str!("page/editor.js")),
    ("results.js", "text/javascript; charset=utf-8", include_str!("page/results.js")),
    ("chart.js", "text/javascript; charset=utf-8", include_str!("page/chart.js")),
    ("fields.js", "text/javascript; charset=utf-8", include_str!("page/fields.js")),
];

/// The page's routes.
pub fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/_esql/ui/{asset}", get(asset))
        .route("/_esql/ui/api/language", get(api::language))
        .route("/_esql/ui/api/complete", post(api::complete))
        .route("/_esql/ui/api/check", post(api::check))
        .route("/_esql/ui/api/fields", post(api::fields))
        .route("/_esql/ui/api/histogram", post(api::histogram))
}

/// Whether a `GET /` comes from a browser (which asks for HTML) rather than a client.
pub fn wants_page(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// The page itself.
pub fn page() -> Response {
    file("index.html")
}

async fn asset(Path(name): Path<String>) -> Response {
    file(&name)
}

fn file(name: &str) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ty, body)) => {
            ([(header::CONTENT_TYPE, *ty), (header::CACHE_CONTROL, "no-cache")], *body).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
