//! Enrich policies kept beside the data: `_enrich/NAME.json` holds the body that
//! `PUT /_enrich/policy/NAME` takes (`{"match": {"indices": ..., "match_field": ...,
//! "enrich_fields": [...]}}`, or `range`, `geo_match`), or what `GET /_enrich/policy/NAME`
//! answers (`{"policies": [{"config": ...}]}`).

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;

/// How a policy matches a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// The match field equals the value.
    Match,
    /// The match field, a range, holds the value.
    Range,
    /// The match field, a shape, intersects the value (not supported here).
    GeoMatch,
}

impl PolicyKind {
    /// The name Elasticsearch gives it.
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Match => "match",
            PolicyKind::Range => "range",
            PolicyKind::GeoMatch => "geo_match",
        }
    }
}

/// One enrich policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Its name (the file stem).
    pub name: String,
    /// Match or range.
    pub kind: PolicyKind,
    /// The source indices (names or patterns).
    pub indices: Vec<String>,
    /// The field of the source documents a value is matched against.
    pub match_field: String,
    /// The fields added to a matching row.
    pub enrich_fields: Vec<String>,
}

/// Reads every `*.json` of `dir` (the data directory's `_enrich`), by policy name.
pub fn load(dir: &Path) -> Result<BTreeMap<String, Policy>, crate::io::Error> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        let text = crate::io::files::read_text(&path)?;
        let policy = parse(name, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        out.insert(name.to_string(), policy);
    }
    Ok(out)
}

/// Parses one policy document.
pub fn parse(name: &str, text: &str) -> Result<Policy, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    // GET's answer wraps the body: {"policies": [{"config": {...}}]}.
    let body = doc.pointer("/policies/0/config").or_else(|| doc.get("config")).unwrap_or(&doc);
    let (kind, def) = [("match", PolicyKind::Match), ("range", PolicyKind::Range), ("geo_match", PolicyKind::GeoMatch)]
        .iter()
        .find_map(|(k, kind)| body.get(*k).map(|d| (*kind, d)))
        .ok_or("expected a \"match\", \"range\" or \"geo_match\" policy")?;
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match def.get(key) {
            Some(Json::String(s)) => Ok(vec![s.clone()]),
            Some(Json::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string).ok_or(format!("[{key}] must hold strings")))
                .collect(),
            _ => Err(format!("[{key}] is required")),
        }
    };
    let match_field = def.get("match_field").and_then(Json::as_str).ok_or("[match_field] is required")?;
    Ok(Policy {
        name: name.to_string(),
        kind,
        indices: strings("indices")?,
        match_field: match_field.to_string(),
        enrich_fields: strings("enrich_fields")?,
    })
}
