//! Elasticsearch index mappings (`NAME.mapping.json`): flat field → mapping type, with
//! `constant_keyword` values and multi-fields.

use serde_json::Value as Json;
use std::collections::BTreeMap;

/// One mapped field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedField {
    /// The Elasticsearch mapping type.
    pub mapping_type: String,
    /// The value of a `constant_keyword` field.
    pub constant: Option<String>,
    /// For a multi-field (`name.keyword`), the parent field it is derived from.
    pub parent: Option<String>,
}

/// The fields of one index's mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// Flat dotted name → field.
    pub fields: BTreeMap<String, MappedField>,
    /// `false` when the mapping has `"dynamic": false` or `"strict"`: unmapped data is ignored.
    pub dynamic: bool,
}

/// Parses a mapping document: the body of `GET NAME/_mapping`, a template's `mappings`, or
/// a bare `{"properties": ...}`.
pub fn parse(text: &str) -> Result<Mapping, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let root = find_root(&doc).ok_or("no \"properties\" found")?;
    let dynamic = !matches!(root.get("dynamic"), Some(Json::Bool(false)) | Some(Json::String(_)));
    let dynamic = dynamic || matches!(root.get("dynamic"), Some(Json::String(s)) if s == "true" || s == "runtime");
    let mut m = Mapping { fields: BTreeMap::new(), dynamic };
    if let Some(Json::Object(props)) = root.get("properties") {
        walk(props, "", &mut m.fields);
    }
    Ok(m)
}

/// The object holding `properties`, wherever the document nests it.
fn find_root(doc: &Json) -> Option<&Json> {
    if doc.get("properties").is_some() {
        return Some(doc);
    }
    if let Some(m) = doc.get("mappings") {
        return find_root(m);
    }
    match doc {
        Json::Object(o) if o.len() == 1 => o.values().next().and_then(find_root),
        _ => None,
    }
}

fn walk(props: &serde_json::Map<String, Json>, prefix: &str, out: &mut BTreeMap<String, MappedField>) {
    for (name, def) in props {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        let ty = def.get("type").and_then(Json::as_str);
        if let Some(Json::Object(sub)) = def.get("properties") {
            if ty.is_none() || ty == Some("object") {
                walk(sub, &path, out);
                continue;
            }
        }
        let Some(ty) = ty else { continue };
        let constant = def.get("value").and_then(|v| v.as_str().map(str::to_string).or_else(|| Some(v.to_string())));
        let constant = if ty == "constant_keyword" { constant } else { None };
        out.insert(path.clone(), MappedField { mapping_type: ty.to_string(), constant, parent: None });
        if let Some(Json::Object(fields)) = def.get("fields") {
            for (sub, sdef) in fields {
                if let Some(sty) = sdef.get("type").and_then(Json::as_str) {
                    let f = MappedField { mapping_type: sty.to_string(), constant: None, parent: Some(path.clone()) };
                    out.insert(format!("{path}.{sub}"), f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn mappings_flatten_with_multi_fields_and_constants() {
        let m = super::parse(
            r#"{"idx":{"mappings":{"dynamic":false,"properties":{
                "source":{"properties":{"ip":{"type":"ip"}}},
                "event":{"properties":{"dataset":{"type":"constant_keyword","value":"o365.audit"}}},
                "message":{"type":"text","fields":{"keyword":{"type":"keyword"}}}}}}}"#,
        )
        .expect("mapping");
        assert!(!m.dynamic);
        assert_eq!(m.fields["source.ip"].mapping_type, "ip");
        assert_eq!(m.fields["event.dataset"].constant.as_deref(), Some("o365.audit"));
        assert_eq!(m.fields["message.keyword"].parent.as_deref(), Some("message"));
    }
}
