//! Errors in Elasticsearch's JSON shape: `{"error": {"root_cause": [{type, reason}], type,
//! reason}, "status": N}`, always JSON whatever format was asked (clients read `error.type`
//! and `error.reason`; the JS client builds its message from `root_cause`).

use crate::engine::QueryError;
use crate::exec::ExecError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error response: its status, ES's exception type and the reason.
#[derive(Clone, Debug)]
pub struct EsError {
    /// HTTP status.
    pub status: StatusCode,
    /// ES's exception type (`verification_exception`, ...).
    pub kind: &'static str,
    /// The message.
    pub reason: String,
}

impl EsError {
    /// A 400 of `kind`.
    pub fn bad_request(kind: &'static str, reason: impl Into<String>) -> EsError {
        EsError { status: StatusCode::BAD_REQUEST, kind, reason: reason.into() }
    }

    /// The error of a query that failed: a syntax error is ES's `parsing_exception`, a
    /// planning error its `verification_exception` (`Found N problem(s)`), a runtime
    /// failure by what failed.
    pub fn of_query(e: &QueryError, text: &str) -> EsError {
        match e {
            QueryError::Query(diags) => {
                let lines: Vec<String> = diags.iter().map(|d| d.render_line(text)).collect();
                if crate::syntax::parse(text).is_err() {
                    EsError::bad_request("parsing_exception", lines.join("\n"))
                } else {
                    let n = lines.len();
                    let head = format!("Found {n} problem{}", if n == 1 { "" } else { "s" });
                    EsError::bad_request("verification_exception", format!("{head}\n{}", lines.join("\n")))
                }
            }
            QueryError::Runtime(ExecError::Cancelled) => EsError::bad_request("task_cancelled_exception", "cancelled"),
            QueryError::Runtime(ExecError::Failed(m)) => EsError::bad_request("illegal_argument_exception", m.clone()),
            QueryError::Runtime(other) => {
                EsError { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "exception", reason: other.to_string() }
            }
        }
    }
}

impl From<crate::io::store::Refusal> for EsError {
    fn from(r: crate::io::store::Refusal) -> EsError {
        let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        EsError { status, kind: r.kind, reason: r.reason }
    }
}

impl IntoResponse for EsError {
    fn into_response(self) -> Response {
        let cause = serde_json::json!({ "type": self.kind, "reason": self.reason });
        let body = serde_json::json!({
            "error": { "root_cause": [cause], "type": self.kind, "reason": self.reason },
            "status": self.status.as_u16(),
        });
        (self.status, axum::Json(body)).into_response()
    }
}
