//! The page's JSON calls. Offsets in and out are UTF-16 code units, as a browser counts them.

use super::super::error::EsError;
use super::super::Shared;
use crate::engine::QueryError;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// A byte offset of `text` from a UTF-16 offset.
fn byte_at(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset of byte `at` of `text`.
fn utf16_at(text: &str, at: usize) -> usize {
    text.get(..at.min(text.len())).map_or(0, |s| s.encode_utf16().count())
}

fn text_field(body: &Value, key: &str) -> String {
    body.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// Commands, keywords and functions (with signatures), for highlighting and hints.
pub async fn language() -> Response {
    use crate::syntax as keywords;
    let functions: Vec<Value> =
        crate::functions::all().map(|f| json!({"name": f.name, "signature": f.signature(), "doc": f.doc})).collect();
    Json(json!({
        "source_commands": keywords::SOURCE_COMMANDS,
        "processing_commands": keywords::PROCESSING_COMMANDS,
        "clause_words": keywords::CLAUSE_WORDS,
        "operator_words": keywords::OPERATOR_WORDS,
        "boolean_words": keywords::BOOLEAN_WORDS,
        "functions": functions,
    }))
    .into_response()
}

/// `{query, pos}`: the completions at the cursor.
pub async fn complete(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    let query = text_field(&body, "query");
    let pos = byte_at(&query, body.get("pos").and_then(Value::as_u64).unwrap_or(0) as usize);
    let work = move || {
        let (start, candidates) = shared.current().complete(&query, pos);
        let list: Vec<Value> = candidates
            .iter()
            .take(200)
            .map(|c| json!({"label": c.label, "insert": c.insert, "kind": c.kind, "detail": c.detail}))
            .collect();
        json!({"start": utf16_at(&query, start), "candidates": list})
    };
    blocking(work).await
}

/// `{query}`: the query's problems, planned but not run: each with its place and the
/// caret rendering the command line prints.
pub async fn check(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    let query = text_field(&body, "query");
    let work = move || match shared.current().plan(&query) {
        Ok(_) => json!({"problems": [], "rendered": ""}),
        Err(QueryError::Query(diags)) => {
            let lines = crate::diagnostic::LineIndex::new(&query);
            let problems: Vec<Value> = diags
                .iter()
                .map(|d| {
                    let (start, end) = d.span.unwrap_or((0, 0));
                    let (line, col) = lines.line_col(&query, start);
                    json!({"start": utf16_at(&query, start), "end": utf16_at(&query, end.max(start + 1)),
                           "line": line, "column": col, "message": d.message, "hints": d.hints})
                })
                .collect();
            json!({"problems": problems, "rendered": crate::diagnostic::render_all(&diags, &query)})
        }
        Err(e) => json!({"problems": [], "rendered": e.render(&query)}),
    };
    blocking(work).await
}

/// `{query}`: the fields of the indices its FROM names, most frequent first.
pub async fn fields(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    let query = text_field(&body, "query");
    let work = move || {
        let engine = shared.current();
        let patterns = crate::engine::complete::from_patterns(&query);
        let fields: Vec<Value> =
            engine.field_names(&patterns).into_iter().map(|(n, t)| json!({"name": n, "type": t})).collect();
        json!({"patterns": patterns, "fields": fields})
    };
    blocking(work).await
}

/// `{query, start, end, buckets}`: matches over time: the query's FROM and the filtering
/// commands right after it (WHERE, EVAL, GROK, DISSECT), counted by `BUCKET(@timestamp, n,
/// start, end)`, within `[start, end]`.
pub async fn histogram(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    let query = text_field(&body, "query");
    let (start, end) = (text_field(&body, "start"), text_field(&body, "end"));
    let buckets = body.get("buckets").and_then(Value::as_u64).unwrap_or(60).clamp(1, 500);
    let Some(prefix) = filtering_prefix(&query) else {
        return Json(json!({"buckets": [], "reason": "the query does not start with FROM"})).into_response();
    };
    let text = format!(
        "{prefix}\n| WHERE @timestamp >= \"{start}\" AND @timestamp <= \"{end}\"\n| STATS count = COUNT(*) BY t = BUCKET(@timestamp, {buckets}, \"{start}\", \"{end}\")\n| SORT t\n| LIMIT 1000"
    );
    let now = body.get("now").and_then(Value::as_str).and_then(|n| crate::engine::parse_now(n).ok());
    let work = move || {
        let mut engine = shared.current();
        engine.now_ms = now.or(engine.now_ms);
        histogram_rows(&engine, text)
    };
    blocking(work).await
}

fn histogram_rows(engine: &crate::engine::Engine, text: String) -> Value {
    match engine.query(&text) {
        Ok(out) => {
            let rows: Vec<Value> = crate::output::rows(&out.result)
                .iter()
                .map(|r| {
                    json!([
                        crate::output::json_cell(&r[1], out.result.columns[1].ty),
                        crate::output::json_cell(&r[0], out.result.columns[0].ty)
                    ])
                })
                .collect();
            json!({"query": text, "buckets": rows})
        }
        Err(e) => json!({"query": text, "buckets": [], "reason": EsError::of_query(&e, &text).reason}),
    }
}

/// The query's text up to the end of its source command and the row-wise commands that
/// follow it (the part that says which documents match).
fn filtering_prefix(query: &str) -> Option<String> {
    use crate::syntax::CommandKind as K;
    let parsed = crate::syntax::parse(query).ok()?;
    let first = parsed.commands.first()?;
    if !matches!(first.kind, K::From(_)) {
        return None;
    }
    let last = parsed
        .commands
        .iter()
        .take_while(|c| matches!(c.kind, K::From(_) | K::Where(_) | K::Eval(_) | K::Grok(_) | K::Dissect(_)))
        .last()?;
    query.get(..last.span.end as usize).map(str::to_string)
}

async fn blocking(f: impl FnOnce() -> Value + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => EsError::bad_request("exception", e.to_string()).into_response(),
    }
}
