//! Values of the `_source` type: a document's JSON text as it was written, which
//! `METADATA _source` reads and JSON_EXTRACT walks. Elasticsearch keeps the bytes it was
//! given, so the text is the document line itself; only the metadata a stored line or a
//! dump's hit keeps beside the fields (`_id`, `_index`, `_version`: never fields of a
//! document in Elasticsearch) is taken out.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Top-level members of a document line that are metadata, not source, as quoted keys.
const METADATA: &[&str] = &["\"_id\"", "\"_index\"", "\"_version\""];

/// A JSON object's members in order, values as their raw text, duplicates kept.
pub struct Members(pub Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Members, M::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry::<String, Box<RawValue>>()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(Each)
    }
}

/// The `_source` of a document line: the line, trimmed, without top-level metadata members.
pub fn of_line(line: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(line.trim_ascii());
    // Most lines have no metadata: they are their own source, with no parse.
    if !METADATA.iter().any(|m| text.contains(m)) {
        return text;
    }
    let Ok(Members(members)) = serde_json::from_str::<Members>(&text) else { return text };
    let kept: Vec<String> = members
        .iter()
        .filter(|(k, _)| !METADATA.iter().any(|m| m.trim_matches('"') == k))
        .map(|(k, v)| format!("{}:{}", serde_json::Value::String(k.clone()), v.get()))
        .collect();
    Cow::Owned(format!("{{{}}}", kept.join(",")))
}

#[cfg(test)]
mod tests {
    use super::of_line;

    #[test]
    fn a_line_is_its_own_source() {
        let line = b"  {\"b\": {\"c\": 1.50}, \"a\": [1, 2]}\r\n";
        assert_eq!(of_line(line), "{\"b\": {\"c\": 1.50}, \"a\": [1, 2]}");
    }

    #[test]
    fn stored_metadata_is_not_source() {
        let line = br#"{"_id":"x1","_version":3,"user":{"name":"u","_id":"kept"},"n":1.0}"#;
        assert_eq!(of_line(line), r#"{"user":{"name":"u","_id":"kept"},"n":1.0}"#);
        // A string that only mentions a metadata name changes nothing.
        assert_eq!(of_line(br#"{"m": "\"_id\""}"#), r#"{"m": "\"_id\""}"#);
    }
}
