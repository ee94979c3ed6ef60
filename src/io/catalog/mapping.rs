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
    /// How its values come back when not as written (a normalizer, doc values).
    pub normalizer: Option<Storage>,
}

/// How Elasticsearch gives back a field's values when not as the document wrote them: as
/// keyword doc values do (sorted, each once), after a keyword normalizer if there is one,
/// without those longer than `ignore_above` (never stored). A text field with a plain keyword
/// multi-field reads that field's doc values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Storage {
    /// What the normalizer does to letters.
    pub case: Case,
    /// Values longer than this (in UTF-16 units, as Java counts) are not stored.
    pub ignore_above: Option<usize>,
}

/// What a keyword normalizer does to letters (its other filters are not modelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Nothing.
    AsWritten,
    /// `lowercase`, built in or as a custom normalizer's filter.
    Lower,
    /// A custom normalizer with the `uppercase` filter.
    Upper,
}

impl Storage {
    /// Doc values as written.
    pub const DOC_VALUES: Storage = Storage { case: Case::AsWritten, ignore_above: None };

    /// The value as the index gives it back; `None` when it is not stored (`ignore_above`).
    pub fn apply(self, s: &str) -> Option<String> {
        if self.ignore_above.is_some_and(|n| s.encode_utf16().count() > n) {
            return None;
        }
        Some(match self.case {
            Case::Lower => s.to_lowercase(),
            Case::Upper => s.to_uppercase(),
            Case::AsWritten => s.to_string(),
        })
    }
}

/// The fields of one index's mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// Flat dotted name → field.
    pub fields: BTreeMap<String, MappedField>,
    /// `false` when the mapping has `"dynamic": false` or `"strict"`: unmapped data is ignored.
    pub dynamic: bool,
    /// The settings say `index.mode: lookup`: a LOOKUP JOIN may read it.
    pub lookup: bool,
    /// `"data_stream": true` or `{"backing_index": ".ds-..."}`: the index is a data stream;
    /// `_index` names its backing index (given, or `.ds-NAME-yyyy.MM.dd-000001` on the date
    /// of its data).
    pub data_stream: Option<Option<String>>,
}

/// Parses a mapping document: the body of `GET NAME/_mapping`, a template's `mappings`, or
/// a bare `{"properties": ...}`.
pub fn parse(text: &str) -> Result<Mapping, crate::io::Error> {
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let root = find_root(&doc).ok_or("no \"properties\" found")?;
    let dynamic = !matches!(root.get("dynamic"), Some(Json::Bool(false)) | Some(Json::String(_)));
    let dynamic = dynamic || matches!(root.get("dynamic"), Some(Json::String(s)) if s == "true" || s == "runtime");
    let data_stream = match doc.get("data_stream") {
        Some(Json::Bool(true)) => Some(None),
        Some(Json::Object(o)) => Some(o.get("backing_index").and_then(Json::as_str).map(str::to_string)),
        _ => None,
    };
    let lookup = index_mode(&doc).as_deref() == Some("lookup");
    let mut m = Mapping { fields: BTreeMap::new(), dynamic, lookup, data_stream };
    let mut aliases = BTreeMap::new();
    let normalizers = custom_normalizers(&doc);
    let ctx = Walk { normalizers: &normalizers };
    ctx.walk(
        object(root, "properties", "the mapping")?.unwrap_or(&Default::default()),
        "",
        &mut m.fields,
        &mut aliases,
    )?;
    resolve_aliases(&mut m.fields, aliases)?;
    Ok(m)
}

/// The object under `key` of `def`, if any; anything else there is an error naming `what`.
fn object<'j>(
    def: &'j Json,
    key: &str,
    what: &str,
) -> Result<Option<&'j serde_json::Map<String, Json>>, crate::io::Error> {
    match def.get(key) {
        None => Ok(None),
        Some(Json::Object(o)) => Ok(Some(o)),
        Some(other) => Err(format!("{what}: \"{key}\" must be an object, found {other}").into()),
    }
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

/// The custom normalizers of the index settings (`settings.analysis.normalizer`), by name,
/// with what their filters do (the last case filter wins; others are not modelled).
fn custom_normalizers(doc: &Json) -> BTreeMap<String, Case> {
    let mut out = BTreeMap::new();
    let settings = find_key(doc, "settings").unwrap_or(&Json::Null);
    let index = settings.get("index").unwrap_or(settings);
    let defs = index.pointer("/analysis/normalizer").and_then(Json::as_object);
    for (name, def) in defs.into_iter().flatten() {
        let filters = def.get("filter").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str);
        let case = filters.fold(Case::AsWritten, |acc, f| match f {
            "lowercase" => Case::Lower,
            "uppercase" => Case::Upper,
            _ => acc,
        });
        out.insert(name.clone(), case);
    }
    out
}

/// `settings.index.mode` (or `settings["index.mode"]`), lower-cased.
fn index_mode(doc: &Json) -> Option<String> {
    let settings = find_key(doc, "settings")?;
    let mode = settings.pointer("/index/mode").or_else(|| settings.get("index.mode"))?;
    mode.as_str().map(str::to_ascii_lowercase)
}

/// The first value under `key` at any depth of single-keyed wrappers (`{"idx": {"settings"..`).
fn find_key<'j>(doc: &'j Json, key: &str) -> Option<&'j Json> {
    match doc {
        Json::Object(o) => {
            o.get(key).or_else(|| o.values().find_map(|v| if v.is_object() { find_key(v, key) } else { None }))
        }
        _ => None,
    }
}

struct Walk<'n> {
    normalizers: &'n BTreeMap<String, Case>,
}

impl Walk<'_> {
    /// How a keyword field's definition stores values: its normalizer (`lowercase` is built
    /// in; others must be defined in the settings, as Elasticsearch requires) and
    /// `ignore_above`. `None`: as the document wrote them.
    fn storage(&self, def: &Json, ty: &str, path: &str) -> Result<Option<Storage>, crate::io::Error> {
        let case = match def.get("normalizer").and_then(Json::as_str) {
            None => None,
            Some(name) => match self.normalizers.get(name) {
                Some(c) => Some(*c),
                None if name == "lowercase" => Some(Case::Lower),
                None => return Err(format!("normalizer [{name}] not found for field [{path}]").into()),
            },
        };
        let keyword = matches!(ty, "keyword" | "wildcard" | "flattened");
        let ignore_above = def.get("ignore_above").and_then(Json::as_u64).filter(|_| keyword);
        Ok((case.is_some() || ignore_above.is_some()).then(|| Storage {
            case: case.unwrap_or(Case::AsWritten),
            ignore_above: ignore_above.map(|n| n.min(usize::MAX as u64) as usize),
        }))
    }

    /// Flattens `props` under `prefix`; field aliases are collected (alias → target path).
    fn walk(
        &self,
        props: &serde_json::Map<String, Json>,
        prefix: &str,
        out: &mut BTreeMap<String, MappedField>,
        aliases: &mut BTreeMap<String, String>,
    ) -> Result<(), crate::io::Error> {
        for (name, def) in props {
            let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
            let what = format!("field [{path}]");
            if !def.is_object() {
                return Err(format!("{what}: a field's definition must be an object, found {def}").into());
            }
            let ty = match def.get("type") {
                None => None,
                Some(Json::String(t)) => Some(t.as_str()),
                Some(other) => return Err(format!("{what}: \"type\" must be a string, found {other}").into()),
            };
            if let Some(sub) = object(def, "properties", &what)? {
                if ty.is_none() || ty == Some("object") || ty == Some("nested") {
                    self.walk(sub, &path, out, aliases)?;
                    continue;
                }
            }
            let Some(ty) = ty else { continue };
            if ty == "alias" {
                let target = def.get("path").and_then(Json::as_str);
                let target = target.ok_or_else(|| format!("{what}: an alias needs a \"path\" string"))?;
                aliases.insert(path, target.to_string());
                continue;
            }
            let constant =
                def.get("value").and_then(|v| v.as_str().map(str::to_string).or_else(|| Some(v.to_string())));
            let constant = if ty == "constant_keyword" { constant } else { None };
            let mut normalizer = self.storage(def, ty, &path)?;
            if matches!(ty, "text" | "match_only_text") && has_plain_keyword(def) {
                normalizer = Some(Storage::DOC_VALUES);
            }
            out.insert(path.clone(), MappedField { mapping_type: ty.to_string(), constant, parent: None, normalizer });
            for (sub, sdef) in object(def, "fields", &what)?.into_iter().flatten() {
                match sdef.get("type") {
                    Some(Json::String(sty)) => {
                        let sub_path = format!("{path}.{sub}");
                        let normalizer = self.storage(sdef, sty, &sub_path)?;
                        let f = MappedField {
                            mapping_type: sty.clone(),
                            constant: None,
                            parent: Some(path.clone()),
                            normalizer,
                        };
                        out.insert(sub_path, f);
                    }
                    Some(other) => {
                        return Err(format!("field [{path}.{sub}]: \"type\" must be a string, found {other}").into())
                    }
                    None => {}
                }
            }
        }
        Ok(())
    }
}

/// A `keyword` multi-field without normalizer or `ignore_above` (it holds every value).
fn has_plain_keyword(def: &Json) -> bool {
    let subs = def.get("fields").and_then(Json::as_object);
    subs.into_iter().flatten().any(|(_, d)| {
        d.get("type").and_then(Json::as_str) == Some("keyword")
            && d.get("normalizer").is_none()
            && d.get("ignore_above").is_none()
    })
}

/// An alias reads its target's values with its target's type. As in Elasticsearch, the
/// target must be a concrete field of the mapping (not another alias, so no loops).
fn resolve_aliases(
    fields: &mut BTreeMap<String, MappedField>,
    aliases: BTreeMap<String, String>,
) -> Result<(), crate::io::Error> {
    for (alias, target) in aliases {
        let Some(t) = fields.get(&target) else {
            let why = if target == alias { "itself" } else { "a field the mapping does not define (or another alias)" };
            return Err(format!("field alias [{alias}] points to [{target}], {why}").into());
        };
        let source = t.parent.clone().unwrap_or(target);
        let resolved = MappedField { parent: Some(source), ..t.clone() };
        fields.insert(alias, resolved);
    }
    Ok(())
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

    #[test]
    fn malformed_mappings_are_errors() {
        for (text, why) in [
            (r#"{"properties":{"a":{"type":5}}}"#, "field [a]: \"type\" must be a string, found 5"),
            (r#"{"properties":"nope"}"#, "the mapping: \"properties\" must be an object"),
            (r#"{"properties":{"a":{"properties":"nope"}}}"#, "field [a]: \"properties\" must be an object"),
            (r#"{"properties":{"a":{"type":"alias","path":"b"},"b":{"type":"alias","path":"a"}}}"#, "field alias [a]"),
            (r#"{"properties":{"a":{"type":"alias","path":"a"}}}"#, "points to [a], itself"),
            (r#"{"properties":{"a":7}}"#, "a field's definition must be an object"),
        ] {
            let err = super::parse(text).expect_err(text);
            assert!(err.to_string().contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn an_alias_reads_its_target() {
        let m = super::parse(r#"{"properties":{"src":{"type":"alias","path":"source.ip"},"source":{"properties":{"ip":{"type":"ip"}}}}}"#)
            .expect("mapping");
        assert_eq!(m.fields["src"].mapping_type, "ip");
        assert_eq!(m.fields["src"].parent.as_deref(), Some("source.ip"));
    }
}
