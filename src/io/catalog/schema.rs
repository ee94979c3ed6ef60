//! Field discovery per index and the union schema of several indices.

use crate::io::catalog::ecs;
use crate::io::catalog::Index;
use crate::io::json::widen;
use crate::io::ndjson::discover::{sample_fields, scan_fields, Seen};
use crate::io::scan::OnError;
use crate::types::EsType;
use std::collections::BTreeMap;

/// Where a field's type came from; inferred types widen across indices, declared ones
/// conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeSource {
    /// The index's mapping file.
    Mapping,
    /// The ECS table.
    Ecs,
    /// The JSON values.
    Inferred,
}

/// One field of one index.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldInfo {
    /// Its ES|QL type.
    pub ty: EsType,
    /// Where the type came from.
    pub source: TypeSource,
    /// A constant value every document has (constant_keyword, data-stream names).
    pub constant: Option<String>,
    /// For multi-fields: the field whose values it reads.
    pub parent: Option<String>,
    /// How many documents hold a value for it (0 for mapped fields no document has).
    pub docs: u64,
    /// The keyword normalizer its values go through.
    pub normalizer: Option<super::mapping::Storage>,
}

/// Elasticsearch's metadata fields: never document fields.
pub(super) const METADATA_FIELDS: &[&str] = &[
    "_id",
    "_index",
    "_source",
    "_routing",
    "_version",
    "_seq_no",
    "_primary_term",
    "_ignored",
    "_tier",
    "_score",
    "_field_names",
    "_doc_count",
    "_data_stream_timestamp",
    "_index_mode",
];

/// Mapping types that are one leaf even when the JSON value is an object.
const LEAF_OBJECTS: &[&str] = &[
    "geo_point",
    "geo_shape",
    "flattened",
    "nested",
    "date_range",
    "ip_range",
    "integer_range",
    "long_range",
    "float_range",
    "double_range",
    "shape",
    "point",
    "histogram",
    "object_disabled",
];

/// Is `path` an object-valued leaf for this index?
pub fn is_leaf_object(index: &Index, path: &str) -> bool {
    let declared = index.mapping.as_ref().and_then(|m| m.fields.get(path)).map(|f| f.mapping_type.as_str());
    let ty = declared.or_else(|| ecs::lookup(path).map(|f| f.mapping_type));
    ty.is_some_and(|t| LEAF_OBJECTS.contains(&t))
}

/// A field typed by a mapping or ECS, before any document is counted.
pub(crate) fn declared(mapping_type: &str, source: TypeSource) -> FieldInfo {
    FieldInfo {
        ty: EsType::from_mapping(mapping_type),
        source,
        constant: None,
        parent: None,
        docs: 0,
        normalizer: None,
    }
}

/// A field ECS types, if ECS has it.
pub(crate) fn ecs_field(path: &str) -> Option<FieldInfo> {
    ecs::lookup(path).map(|e| declared(e.mapping_type, TypeSource::Ecs))
}

/// A field typed by its values.
fn inferred(ty: EsType) -> FieldInfo {
    FieldInfo { ty, source: TypeSource::Inferred, constant: None, parent: None, docs: 0, normalizer: None }
}

/// A field the documents hold: typed by ECS when ECS has it, else as its values infer.
pub(crate) fn typed(path: &str, ty: EsType) -> FieldInfo {
    ecs_field(path).unwrap_or_else(|| inferred(ty))
}

/// The fields of one index: mapped fields, then (unless the mapping is not dynamic) every
/// field the documents hold, typed by ECS or by their values.
pub fn discover(
    index: &Index,
    on_error: OnError,
    threads: usize,
) -> Result<(BTreeMap<String, FieldInfo>, u64), crate::io::Error> {
    describe(index, || scan_fields(index, on_error, threads))
}

/// The fields of one index as [`discover`] gives them, but from the first documents of each
/// NDJSON file only (see [`sample_fields`]): what planning a query that names its fields
/// starts from, before the scan confirms it.
pub fn sample(index: &Index, on_error: OnError) -> Result<(BTreeMap<String, FieldInfo>, u64), crate::io::Error> {
    describe(index, || sample_fields(index, on_error))
}

/// The fields of `index` given what `read` finds in its NDJSON documents.
fn describe(
    index: &Index,
    read: impl FnOnce() -> Result<(BTreeMap<String, Seen>, u64), crate::io::Error>,
) -> Result<(BTreeMap<String, FieldInfo>, u64), crate::io::Error> {
    let mut fields = BTreeMap::new();
    if let Some(m) = &index.mapping {
        for (name, f) in &m.fields {
            let mut info = declared(&f.mapping_type, TypeSource::Mapping);
            info.constant = f.constant.clone();
            info.parent = f.parent.clone();
            info.normalizer = f.normalizer;
            fields.insert(name.clone(), info);
        }
    }
    let mut total = 0u64;
    let columnar = index.files.iter().filter(|f| crate::io::columnar::is_columnar(f)).count();
    if columnar > 0 && columnar < index.files.len() {
        return Err(
            format!("index {} mixes NDJSON and Parquet/Arrow files; keep one format per index", index.name).into()
        );
    }
    if columnar > 0 {
        let (cols, rows) = crate::io::columnar::fields(&index.files)?;
        total = rows;
        for (path, (ty, docs, tagged)) in cols {
            // A column the file does not type itself takes its ECS type (a flat `source.ip`
            // of strings is an ip), as an NDJSON field does.
            let f = fields.entry(path).or_insert_with_key(|path| if tagged { inferred(ty) } else { typed(path, ty) });
            f.docs = docs;
        }
    } else if index.mapping.as_ref().is_none_or(|m| m.dynamic) {
        let (seen, docs) = read()?;
        total = docs;
        for (path, Seen { inferred, docs }) in seen {
            match fields.get_mut(&path) {
                Some(existing) => {
                    if existing.source == TypeSource::Inferred {
                        if let Some(t) = inferred {
                            existing.ty = widen(existing.ty, t);
                        }
                    }
                    existing.docs += docs;
                }
                None => {
                    let mut info = typed(&path, inferred.unwrap_or(EsType::Unsupported));
                    info.docs = docs;
                    fields.insert(path, info);
                }
            }
        }
    }
    // Elasticsearch's metadata fields are not document fields (a dump's `_id` beside the
    // source is read as the `_id` metadata instead).
    fields.retain(|name, _| !METADATA_FIELDS.contains(&name.as_str()));
    if let Some((ty, dataset, namespace)) = index.data_stream() {
        for (name, value) in [
            ("data_stream.type", ty),
            ("data_stream.dataset", dataset),
            ("data_stream.namespace", namespace),
            ("event.dataset", dataset),
        ] {
            let f = fields.entry(name.to_string()).or_insert_with(|| declared("keyword", TypeSource::Mapping));
            if f.constant.is_none() && f.ty == EsType::Keyword {
                f.constant = Some(value.to_string());
                f.docs = total;
            }
        }
    }
    Ok((fields, total))
}

/// The type of a field across indices: equal types stay; keyword and text give keyword;
/// inferred types widen; other conflicts are unsupported (usable through a conversion).
pub(crate) fn merge(a: &FieldInfo, b: &FieldInfo) -> EsType {
    match (a.ty, b.ty) {
        (x, y) if x == y => x,
        (x, y) if x.is_string() && y.is_string() => EsType::Keyword,
        (x, y) if a.source == TypeSource::Inferred || b.source == TypeSource::Inferred => widen(x, y),
        _ => EsType::Unsupported,
    }
}
