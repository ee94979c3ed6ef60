//! `update` items: the body's `doc` merged into the stored document as ES merges it (objects
//! field by field, anything else replaced), `doc_as_upsert` and `upsert` for a document not
//! there yet, a merge that changes nothing answered `noop`. Scripts are refused.

use super::refusal::Refusal;
use serde_json::{Map, Value as Json};

/// What an update comes to.
pub enum Update {
    /// The new source.
    Write(String),
    /// The document already says what `doc` says.
    Noop,
}

/// The update `body` applied to `current` (a stored line, `_id` and `_version` in it), the
/// document `id` as it is now (`None`: not there).
pub fn apply(current: Option<&str>, body: &str, id: &str) -> Result<Update, Refusal> {
    let body: Map<String, Json> = serde_json::from_str(body.trim())
        .map_err(|e| Refusal::bad("x_content_parse_exception", format!("[1:1] failed to parse update: {e}")))?;
    if body.contains_key("script") {
        return Err(Refusal::bad("illegal_argument_exception", "esql serve runs no scripts: send [doc]"));
    }
    let doc = body.get("doc").and_then(Json::as_object);
    let Some(current) = current else {
        let upsert = match (body.get("upsert").and_then(Json::as_object), body.get("doc_as_upsert")) {
            (Some(u), _) => u,
            (None, Some(Json::Bool(true))) => doc.ok_or_else(missing_doc)?,
            _ => {
                let reason = format!("[{id}]: document missing");
                return Err(Refusal { status: 404, kind: "document_missing_exception", reason });
            }
        };
        return Ok(Update::Write(Json::Object(upsert.clone()).to_string()));
    };
    let doc = doc.ok_or_else(missing_doc)?;
    let mut source: Map<String, Json> = serde_json::from_str(current).map_err(|e| Refusal::io(e.to_string()))?;
    source.remove("_id");
    source.remove("_version");
    let before = source.clone();
    merge(&mut source, doc);
    Ok(if source == before { Update::Noop } else { Update::Write(Json::Object(source).to_string()) })
}

fn missing_doc() -> Refusal {
    Refusal::bad("action_request_validation_exception", "Validation Failed: 1: script or doc is missing;")
}

/// ES's merge of a partial document: objects into objects, field by field.
fn merge(into: &mut Map<String, Json>, doc: &Map<String, Json>) {
    for (k, v) in doc {
        match (into.get_mut(k), v) {
            (Some(Json::Object(a)), Json::Object(b)) => merge(a, b),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_merge_and_upserts_create() {
        let now = r#"{"_id":"1","_version":1,"a":{"b":1,"c":2},"t":[1,2]}"#;
        let Ok(Update::Write(s)) = apply(Some(now), r#"{"doc":{"a":{"b":9},"t":[3]}}"#, "1") else { panic!() };
        assert_eq!(s, r#"{"a":{"b":9,"c":2},"t":[3]}"#);
        assert!(matches!(apply(Some(now), r#"{"doc":{"a":{"b":1}}}"#, "1"), Ok(Update::Noop)));
        assert_eq!(apply(None, r#"{"doc":{"a":1}}"#, "1").err().map(|e| e.status), Some(404));
        assert!(matches!(apply(None, r#"{"doc":{"a":1},"doc_as_upsert":true}"#, "1"), Ok(Update::Write(_))));
        assert!(apply(Some(now), r#"{"script":"ctx._source.a = 1"}"#, "1").is_err());
    }
}
