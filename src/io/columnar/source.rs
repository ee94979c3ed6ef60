//! `_source` for a columnar file, which keeps no document text: the row's fields written
//! back as one JSON object, dotted names nested as objects, in the file's column order, and
//! fields the row has no value for left out (as Elasticsearch rebuilds a synthetic source).

use super::physical;
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, EsType, Value};
use arrow::array::ArrayRef;
use serde_json::Value as Json;
use std::borrow::Cow;

/// One member of an object being rebuilt: a value, or an object of its own.
enum Node {
    Leaf(Json),
    Object(Vec<(String, Node)>),
}

/// The `_source` column of the rows `each` visits (positions in the file's batch).
pub(super) fn column(leaves: &[(String, ArrayRef)], each: impl FnOnce(&mut dyn FnMut(usize))) -> ArrayRef {
    let mut builder = ColumnBuilder::new(EsType::Source);
    each(&mut |i| builder.push(&Cell::One(Value::Str(Cow::Owned(document(leaves, i))))));
    builder.finish()
}

/// Row `i` of the file's leaf columns as a JSON document.
fn document(leaves: &[(String, ArrayRef)], i: usize) -> String {
    let mut root: Vec<(String, Node)> = Vec::new();
    for (name, a) in leaves {
        let value = match ColumnReader::new(a.as_ref(), physical(a.data_type())).cell(i) {
            Cell::Null => continue,
            Cell::One(v) => json(&v),
            Cell::Many(vs) => Json::Array(vs.iter().map(json).collect()),
        };
        insert(&mut root, name, value);
    }
    let mut out = String::new();
    write_object(&root, &mut out);
    out
}

/// Puts `value` at the dotted `path` of `members`, making the objects on the way.
fn insert(members: &mut Vec<(String, Node)>, path: &str, value: Json) {
    let Some((head, rest)) = path.split_once('.') else {
        members.push((path.to_string(), Node::Leaf(value)));
        return;
    };
    let at = match members.iter().position(|(k, n)| k == head && matches!(n, Node::Object(_))) {
        Some(at) => at,
        None => {
            members.push((head.to_string(), Node::Object(Vec::new())));
            members.len() - 1
        }
    };
    if let Node::Object(inner) = &mut members[at].1 {
        insert(inner, rest, value);
    }
}

fn write_object(members: &[(String, Node)], out: &mut String) {
    out.push('{');
    for (k, (name, node)) in members.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&Json::String(name.clone()).to_string());
        out.push(':');
        match node {
            Node::Leaf(j) => out.push_str(&j.to_string()),
            Node::Object(inner) => write_object(inner, out),
        }
    }
    out.push('}');
}

/// A value as a document holds it: numbers and booleans as themselves, the rest as text.
fn json(v: &Value<'_>) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::from(*n),
        Value::Long(n) => Json::from(*n),
        Value::ULong(n) => Json::from(*n),
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_string()),
        other => Json::String(other.render()),
    }
}

#[cfg(test)]
mod tests {
    use super::document;
    use arrow::array::{ArrayRef, Int64Array, StringArray};
    use std::sync::Arc;

    #[test]
    fn dotted_columns_nest_and_nulls_are_left_out() {
        let leaves: Vec<(String, ArrayRef)> = vec![
            ("user.name".into(), Arc::new(StringArray::from(vec![Some("u"), None]))),
            ("n".into(), Arc::new(Int64Array::from(vec![Some(1), Some(2)]))),
            ("user.id".into(), Arc::new(StringArray::from(vec![Some("7"), None]))),
        ];
        assert_eq!(document(&leaves, 0), r#"{"user":{"name":"u","id":"7"},"n":1}"#);
        assert_eq!(document(&leaves, 1), r#"{"n":2}"#);
    }
}
