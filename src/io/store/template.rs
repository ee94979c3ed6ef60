//! Index templates (`PUT /_index_template/{name}`), kept as `_templates/NAME.json`: what an
//! index that a write creates gets: the mapping and settings of the matching template of
//! highest priority, and whether it is a data stream. Elasticsearch's built-in templates make
//! `logs-*-*`, `metrics-*-*`, ... data streams (priority 100), and so do they here.

use super::refusal::Refusal;
use serde_json::{json, Value as Json};
use std::path::Path;

/// One template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// Its name.
    pub name: String,
    /// `index_patterns`, `*` wildcards.
    pub patterns: Vec<String>,
    /// The highest priority wins.
    pub priority: u64,
    /// The indices it makes are data streams.
    pub data_stream: bool,
    /// `template.mappings`.
    pub mappings: Option<Json>,
    /// `template.settings`.
    pub settings: Option<Json>,
}

/// The fields ES's template body has.
const FIELDS: [&str; 10] = [
    "index_patterns",
    "template",
    "composed_of",
    "priority",
    "version",
    "_meta",
    "data_stream",
    "allow_auto_create",
    "ignore_missing_component_templates",
    "deprecated",
];

/// Reads a template body as ES validates it.
pub fn parse(name: &str, body: &str) -> Result<Template, Refusal> {
    let doc: Json = serde_json::from_str(body).map_err(|e| Refusal::bad("x_content_parse_exception", e.to_string()))?;
    let Json::Object(o) = &doc else {
        return Err(Refusal::bad("x_content_parse_exception", "the body must be an object"));
    };
    if let Some(k) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Refusal::bad("x_content_parse_exception", format!("[1:2] [index_template] unknown field [{k}]")));
    }
    let patterns: Vec<String> = match o.get("index_patterns") {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => vec![],
    };
    if patterns.is_empty() {
        return Err(Refusal::bad(
            "action_request_validation_exception",
            "Validation Failed: 1: index patterns are missing;",
        ));
    }
    if let Some(Json::Array(parts)) = o.get("composed_of").filter(|c| c.as_array().is_some_and(|a| !a.is_empty())) {
        let names: Vec<&str> = parts.iter().filter_map(Json::as_str).collect();
        let reason = format!("index template [{name}] specifies component templates {names:?} that do not exist");
        return Err(Refusal::bad("invalid_index_template_exception", reason));
    }
    let template = o.get("template");
    let mappings = template.and_then(|t| t.get("mappings")).cloned();
    let settings = template.and_then(|t| t.get("settings")).cloned();
    if let Some(m) = &mappings {
        crate::io::catalog::mapping::parse(&json!({ "mappings": with_properties(m) }).to_string())
            .map_err(|e| Refusal::bad("mapper_parsing_exception", e.to_string()))?;
    }
    Ok(Template {
        name: name.to_string(),
        patterns,
        priority: o.get("priority").and_then(Json::as_u64).unwrap_or(0),
        data_stream: o.get("data_stream").is_some_and(Json::is_object),
        mappings,
        settings,
    })
}

/// A mapping with `properties`, as the catalog's reader wants it.
fn with_properties(m: &Json) -> Json {
    let mut m = m.clone();
    if let Json::Object(o) = &mut m {
        o.entry("properties").or_insert_with(|| json!({}));
    }
    m
}

/// Where templates are kept.
pub fn folder(root: &Path) -> std::path::PathBuf {
    root.join("_templates")
}

/// The templates of `root` (a file that no longer reads is left out).
pub fn load(root: &Path) -> Vec<Template> {
    let Ok(entries) = std::fs::read_dir(folder(root)) else { return vec![] };
    let mut out: Vec<Template> = entries
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let name = file.strip_suffix(".json")?.to_string();
            parse(&name, &std::fs::read_to_string(e.path()).ok()?).ok()
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Elasticsearch's built-in data stream templates.
pub fn built_in() -> Vec<Template> {
    crate::io::catalog::DATA_STREAM_TYPES
        .iter()
        .map(|ty| Template {
            name: ty.to_string(),
            patterns: vec![format!("{ty}-*-*")],
            priority: 100,
            data_stream: true,
            mappings: None,
            settings: None,
        })
        .collect()
}

/// The template an index named `index` is created with: the matching one of highest priority.
pub fn matching(root: &Path, index: &str) -> Option<Template> {
    let mut all = load(root);
    all.extend(built_in());
    all.into_iter().filter(|t| t.patterns.iter().any(|p| crate::wildcard::glob(p, index))).max_by_key(|t| t.priority)
}

/// The mapping file of an index created from `template` (`None`: a plain index needs none).
pub fn mapping_file(template: Option<&Template>, backing_index: Option<&str>) -> Option<Json> {
    let mut doc = serde_json::Map::new();
    if let Some(m) = template.and_then(|t| t.mappings.as_ref()) {
        doc.insert("mappings".into(), with_properties(m));
    }
    if let Some(s) = template.and_then(|t| t.settings.as_ref()) {
        doc.insert("settings".into(), s.clone());
    }
    if let Some(b) = backing_index {
        doc.insert("data_stream".into(), json!({ "backing_index": b }));
    }
    if doc.is_empty() {
        return None;
    }
    doc.entry("mappings").or_insert_with(|| json!({"properties": {}}));
    Some(Json::Object(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked_as_es_checks_them() {
        let t = parse(
            "t",
            r#"{"index_patterns": ["alerts-*"], "priority": 200, "data_stream": {},
            "template": {"mappings": {"properties": {"a": {"type": "keyword"}}}}}"#,
        )
        .unwrap();
        assert_eq!((t.priority, t.data_stream, t.patterns.clone()), (200, true, vec!["alerts-*".to_string()]));
        assert_eq!(parse("t", "{}").unwrap_err().kind, "action_request_validation_exception");
        assert_eq!(parse("t", r#"{"index_patterns": "a", "x": 1}"#).unwrap_err().kind, "x_content_parse_exception");
        assert_eq!(
            parse("t", r#"{"index_patterns": "a", "composed_of": ["c"]}"#).unwrap_err().kind,
            "invalid_index_template_exception"
        );
    }

    #[test]
    fn logs_are_data_streams_by_default() {
        let t = built_in().into_iter().find(|t| t.patterns.iter().any(|p| crate::wildcard::glob(p, "logs-a-b")));
        assert!(t.is_some_and(|t| t.data_stream));
    }
}
