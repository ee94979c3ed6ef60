//! The fields of columnar files: each column's leaves (struct members by dotted path, a
//! map's keys as read from its rows), with their types and the rows holding them.

use super::{err, es_type, flatten, open, physical, ES_TYPE_KEY, TYPE_KEY};
use crate::types::EsType;
use arrow::datatypes::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Per field (struct leaves by their dotted paths): its type, the rows that hold it, and
/// whether the file says its ES type (`esql.type`) rather than its Arrow type implying one.
pub type Fields = BTreeMap<String, (EsType, u64, bool)>;

/// The fields of columnar files and their total rows.
pub fn fields(files: &[PathBuf]) -> Result<(Fields, u64), crate::io::Error> {
    let mut out: Fields = BTreeMap::new();
    let mut total = 0u64;
    for path in files {
        let (schema, rows) = schema_and_rows(path)?;
        total += rows;
        let mut maps = Vec::new();
        for f in schema.fields().iter().flat_map(flatten::leaf_fields) {
            if matches!(f.data_type(), DataType::Map(..)) {
                maps.push(f.name().clone());
                continue;
            }
            let tagged = f.metadata().contains_key(TYPE_KEY) || f.metadata().contains_key(ES_TYPE_KEY);
            add(&mut out, f.name(), (es_type(&f), rows, tagged));
        }
        for (name, ty, rows) in map_fields(path, &maps)? {
            add(&mut out, &name, (ty, rows, false));
        }
    }
    Ok((out, total))
}

/// Parts that disagree widen as NDJSON values do (long and keyword: keyword), instead of
/// the first part's type reading the others' values as null.
fn add(out: &mut Fields, name: &str, (ty, rows, tagged): (EsType, u64, bool)) {
    let e = out.entry(name.to_string()).or_insert((ty, 0, tagged));
    e.0 = crate::io::json::widen(e.0, ty);
    e.1 += rows;
}

fn schema_and_rows(path: &Path) -> Result<(arrow::datatypes::SchemaRef, u64), crate::io::Error> {
    if path.extension().is_some_and(|x| x == "parquet") {
        let file = std::fs::File::open(path).map_err(|x| err(path)(&x))?;
        let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|x| err(path)(&x))?;
        return Ok((b.schema().clone(), b.metadata().file_metadata().num_rows() as u64));
    }
    let (schema, batches) = open(path, Some(&[]))?;
    let mut rows = 0u64;
    for b in batches {
        rows += b.map_err(|x| err(path)(&x))?.num_rows() as u64;
    }
    Ok((schema, rows))
}

/// The fields under the map columns `maps` (their keys, read from every row: a map's keys
/// are data, not schema), with their types and the rows holding each.
fn map_fields(path: &Path, maps: &[String]) -> Result<Vec<(String, EsType, u64)>, crate::io::Error> {
    if maps.is_empty() {
        return Ok(Vec::new());
    }
    let (_, batches) = open(path, Some(maps))?;
    let mut found: BTreeMap<String, (EsType, u64)> = BTreeMap::new();
    let under = |name: &str| maps.iter().any(|m| name.strip_prefix(m.as_str()).is_some_and(|r| r.starts_with('.')));
    for b in batches {
        let b = b.map_err(|x| err(path)(&x))?;
        let mut leaves = Vec::new();
        for (f, a) in b.schema_ref().fields().iter().zip(b.columns()) {
            flatten::leaf_columns(f.name(), a, &mut leaves);
        }
        for (name, a) in leaves.into_iter().filter(|(n, _)| under(n)) {
            let ty = physical(&super::layout::normalized_type(a.data_type()));
            let e = found.entry(name).or_insert((ty, 0));
            e.0 = crate::io::json::widen(e.0, ty);
            e.1 += (a.len() - a.null_count()) as u64;
        }
    }
    Ok(found.into_iter().map(|(n, (t, r))| (n, t, r)).collect())
}
