//! An index's fields as Elasticsearch's nested mapping (`properties`, a multi-field under its
//! parent's `fields`), in the original mapping types: the mapping file's, else the ECS
//! table's, else the name of the ES|QL type the values were read as (a field whose values
//! disagree is left to ES's dynamic mapping). What `GET /{index}/_mapping` answers and what
//! `esql export` ships in an index template.

use super::schema::{FieldInfo, TypeSource};
use super::Index;
use crate::io::scan::OnError;
use crate::types::EsType;
use serde_json::{json, Map, Value as Json};

impl Index {
    /// The mapping type ES would give field `name`, if one can be said.
    fn original_type(&self, name: &str, f: &FieldInfo) -> Option<String> {
        if let Some(m) = self.mapping.as_ref().and_then(|m| m.fields.get(name)) {
            return Some(m.mapping_type.clone());
        }
        if f.source == TypeSource::Ecs {
            if let Some(e) = super::ecs::lookup(name) {
                return Some(e.mapping_type.to_string());
            }
        }
        match f.ty {
            EsType::Unsupported | EsType::Null | EsType::TimeDuration | EsType::DatePeriod => None,
            t => Some(t.name().to_string()),
        }
    }

    /// The nested `properties` of the index's fields.
    pub fn es_properties(&self, on_error: OnError, threads: usize) -> Json {
        let mut root = Map::new();
        let Ok((fields, _)) = self.fields(on_error, threads) else { return json!({}) };
        for (name, f) in fields {
            let Some(ty) = self.original_type(name, f) else { continue };
            let mut leaf = json!({ "type": ty });
            if let (Some(c), "constant_keyword") = (&f.constant, ty.as_str()) {
                leaf["value"] = json!(c);
            }
            let (path, under) = match &f.parent {
                Some(parent) => (parent.as_str(), Some(name.rsplit('.').next().unwrap_or(name))),
                None => (name.as_str(), None),
            };
            place(&mut root, path, under, leaf);
        }
        Json::Object(root)
    }
}

/// Puts `leaf` at dotted `path` (objects as `properties`), or as the multi-field `under` of
/// the field at `path`.
fn place(root: &mut Map<String, Json>, path: &str, under: Option<&str>, leaf: Json) {
    let parts: Vec<&str> = path.split('.').collect();
    let mut node = root;
    for (k, part) in parts.iter().enumerate() {
        let entry = node.entry(part.to_string()).or_insert_with(|| json!({}));
        let Json::Object(obj) = entry else { return };
        if k + 1 == parts.len() {
            match under {
                None => obj.extend(leaf.as_object().cloned().unwrap_or_default()),
                Some(sub) => {
                    if let Json::Object(fields) = obj.entry("fields").or_insert_with(|| json!({})) {
                        fields.insert(sub.to_string(), leaf);
                    }
                }
            }
            return;
        }
        let Json::Object(props) = obj.entry("properties").or_insert_with(|| json!({})) else { return };
        node = props;
    }
}
