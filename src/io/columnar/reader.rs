//! Reading one columnar part into batches of the union schema: each output column is a
//! file column taken as it is when its layout already fits, converted value by value when
//! not, a constant, the index name or `_id`; rows the prefilter rejects never come out.

use super::{err, open_part, physical, Batches};
use crate::io::json::coerce;
use crate::io::scan::prefilter::Prefilter;
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::text_form::parse_ip;
use crate::types::{Cell, ColumnDef, EsType, Value};
use arrow::array::{Array, ArrayRef, RecordBatch};
use arrow::datatypes::DataType;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// How one output column of a batch is made.
pub enum ColumnFill {
    /// A column the query never reads: an untyped null array.
    Skip,
    /// A null column of the column's type (the field is not in this index).
    Null,
    /// The index name.
    IndexName,
    /// `_id`: index name and row number.
    Id,
    /// `_score`: 0.0, as for the NDJSON reader.
    Score,
    /// `_version`: 1, as for the NDJSON reader.
    Version,
    /// `_source`: the row's fields as a JSON document (every column of the file is read).
    Source,
    /// From a file column.
    Field {
        /// The column's name in the file.
        name: String,
        /// The index's type for it.
        own: EsType,
        /// The output column's type.
        out: EsType,
        /// The value of rows without one (constant_keyword, data-stream names).
        constant: Option<String>,
        /// The field's keyword normalizer.
        normalizer: Option<crate::io::catalog::mapping::Storage>,
    },
}

/// Reads one columnar file into batches of the union schema.
pub struct ColumnarReader {
    batches: Batches,
    fills: Arc<Vec<ColumnFill>>,
    columns: Arc<Vec<ColumnDef>>,
    index: String,
    row: u64,
    path: std::path::PathBuf,
    /// Rows of the row group skipped on its statistics (reported once).
    pruned: u64,
    /// The query's prefilter tests, each with its field's column name.
    pre: Vec<(Prefilter, String)>,
    /// Rows the prefilter left out since last asked.
    prefiltered: u64,
    /// Values that did not fit their column, per (column, type), until taken.
    malformed: BTreeMap<(String, EsType), u64>,
    /// Values of file columns of an Arrow type no ES|QL type holds (TIME, BLOB...), per
    /// (column, Arrow type), until taken.
    unreadable: BTreeMap<(String, String), u64>,
}

impl ColumnarReader {
    /// Opens `path` (one row group of it when given, whose first row is `first_row`),
    /// reading only the columns `fills` take from it.
    pub fn open(
        path: &Path,
        part: (Option<usize>, u64),
        index: &str,
        fills: Arc<Vec<ColumnFill>>,
        columns: Arc<Vec<ColumnDef>>,
        pre: Vec<(Prefilter, String)>,
    ) -> Result<Self, crate::io::Error> {
        let names: Vec<String> = fills
            .iter()
            .filter_map(|s| if let ColumnFill::Field { name, .. } = s { Some(name.clone()) } else { None })
            .collect();
        let every = fills.iter().any(|f| matches!(f, ColumnFill::Source));
        let (_, batches, pruned) = open_part(path, (!every).then_some(names.as_slice()), part.0, &pre)?;
        let row = part.1.saturating_sub(1);
        let path = path.to_path_buf();
        let (malformed, unreadable) = (BTreeMap::new(), BTreeMap::new());
        let index = index.to_string();
        Ok(ColumnarReader {
            batches,
            fills,
            columns,
            index,
            row,
            path,
            pruned,
            pre,
            prefiltered: 0,
            malformed,
            unreadable,
        })
    }

    /// The malformed values counted since last asked.
    pub fn take_malformed(&mut self) -> BTreeMap<(String, EsType), u64> {
        std::mem::take(&mut self.malformed)
    }

    /// The unreadable values counted since last asked.
    pub fn take_unreadable(&mut self) -> BTreeMap<(String, String), u64> {
        std::mem::take(&mut self.unreadable)
    }

    /// The file read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rows skipped on row group statistics, or left out by the prefilter, since last asked.
    pub fn take_pruned(&mut self) -> u64 {
        std::mem::take(&mut self.pruned) + std::mem::take(&mut self.prefiltered)
    }

    /// The next batch, converted; `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>, crate::io::Error> {
        let Some(b) = self.batches.next() else { return Ok(None) };
        let b = b.map_err(|x| err(&self.path)(&x))?;
        let n = b.num_rows();
        let mut leaves = Vec::with_capacity(b.num_columns());
        for (f, a) in b.schema_ref().fields().iter().zip(b.columns()) {
            super::flatten::leaf_columns(f.name(), a, &mut leaves);
        }
        let arrays: Vec<(String, ArrayRef)> =
            leaves.into_iter().map(|(n, a)| (n, crate::io::columnar::layout::normalize(&a))).collect();
        let by_name: HashMap<&str, &ArrayRef> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
        // Rows the prefilter rejects are left out before any value is converted: the seed
        // rule's time window keeps a third of the rows, and its addresses are parsed text.
        let keep = self
            .pre
            .iter()
            .filter_map(|(p, name)| by_name.get(name.as_str()).and_then(|a| p.keep(a.as_ref())))
            .reduce(|a, b| arrow::compute::and(&a, &b).unwrap_or(a));
        let rows = Selection::new(n, keep);
        self.prefiltered += (n - rows.len()) as u64;
        // Lent out while `column` borrows the reader, rather than copied for every batch.
        let (fills, columns) = (std::mem::take(&mut self.fills), std::mem::take(&mut self.columns));
        let cols: Result<Vec<ArrayRef>, _> = fills
            .iter()
            .zip(columns.iter())
            .map(|(src, col)| match src {
                ColumnFill::Source => Ok(super::source::column(&arrays, |f| rows.each(f))),
                _ => self.column(src, col, &by_name, &rows),
            })
            .collect();
        (self.fills, self.columns) = (fills, columns);
        let cols = cols?;
        self.row += n as u64;
        crate::types::column::record_batch(&self.columns, cols, rows.len())
            .map(Some)
            .map_err(|e| crate::io::Error::Internal(e.to_string()))
    }

    /// One output column of the batch, its rows those of `rows`.
    fn column(
        &mut self,
        src: &ColumnFill,
        col: &ColumnDef,
        by_name: &HashMap<&str, &ArrayRef>,
        rows: &Selection,
    ) -> Result<ArrayRef, crate::io::Error> {
        let n = rows.len();
        match src {
            ColumnFill::Skip => return Ok(Arc::new(arrow::array::NullArray::new(n))),
            ColumnFill::Null => return Ok(arrow::array::new_null_array(&col.ty.arrow_type(), n)),
            ColumnFill::Field { name, own, out, constant, normalizer: None } => {
                if let Some(a) = by_name.get(name.as_str()).and_then(|a| as_is(a, *own, *out, constant.is_some())) {
                    return rows.filter(&a);
                }
            }
            _ => {}
        }
        let mut builder = ColumnBuilder::new(match src {
            ColumnFill::Field { out, .. } => *out,
            _ => col.ty,
        });
        let index = Value::Str(Cow::Borrowed(self.index.as_str()));
        match src {
            ColumnFill::Skip | ColumnFill::Null | ColumnFill::Source => (0..n).for_each(|_| builder.push_null()),
            ColumnFill::IndexName => (0..n).for_each(|_| builder.push(&Cell::One(index.clone()))),
            ColumnFill::Score => (0..n).for_each(|_| builder.push(&Cell::One(Value::Double(0.0)))),
            ColumnFill::Version => (0..n).for_each(|_| builder.push(&Cell::One(Value::Long(1)))),
            ColumnFill::Id => rows.each(|i| {
                let id = format!("{}:{}", self.index, self.row + i as u64 + 1);
                builder.push(&Cell::One(Value::Str(Cow::Owned(id))));
            }),
            ColumnFill::Field { name, own, out, constant, normalizer } => match by_name.get(name.as_str()) {
                // Never silent nulls: the values are counted for a load warning.
                Some(a) if physical(a.data_type()) == EsType::Unsupported => {
                    let key = (col.name.clone(), a.data_type().to_string());
                    *self.unreadable.entry(key).or_default() += (a.len() - a.null_count()) as u64;
                    (0..n).for_each(|_| builder.push_null());
                }
                Some(a) => {
                    let bad = convert(a.as_ref(), (*own, *out, *normalizer), constant.as_deref(), rows, &mut builder);
                    if bad > 0 {
                        // Named by the index's own type, as the NDJSON reader names it.
                        *self.malformed.entry((col.name.clone(), *own)).or_default() += bad;
                    }
                }
                // A data stream's constant fields hold their value where the file has no column.
                None => match constant {
                    Some(c) => (0..n).for_each(|_| builder.push_values(&[Value::Str(Cow::Borrowed(c.as_str()))])),
                    None => (0..n).for_each(|_| builder.push_null()),
                },
            },
        }
        Ok(builder.finish())
    }
}

/// The rows of a batch that come out: all `n`, or those a prefilter kept (the mask
/// analysed once for every column).
struct Selection {
    n: usize,
    kept: Option<(arrow::compute::FilterPredicate, Vec<usize>)>,
}

impl Selection {
    fn new(n: usize, keep: Option<arrow::array::BooleanArray>) -> Selection {
        let kept = keep.map(|k| {
            let at = (0..n).filter(|&r| k.value(r)).collect();
            (arrow::compute::FilterBuilder::new(&k).optimize().build(), at)
        });
        Selection { n, kept }
    }

    fn len(&self) -> usize {
        self.kept.as_ref().map_or(self.n, |(_, at)| at.len())
    }

    /// Calls `f` with each row's position in the file's batch.
    fn each(&self, mut f: impl FnMut(usize)) {
        match &self.kept {
            Some((_, at)) => at.iter().for_each(|&r| f(r)),
            None => (0..self.n).for_each(f),
        }
    }

    fn filter(&self, a: &ArrayRef) -> Result<ArrayRef, crate::io::Error> {
        match &self.kept {
            Some((k, _)) => k.filter(a).map_err(|e| crate::io::Error::Internal(e.to_string())),
            None => Ok(a.clone()),
        }
    }
}

/// The array itself when it already has the column's physical layout (the common case for
/// files `esql convert` wrote): no per-value copy. Lists holding one value per row become
/// their values.
fn as_is(a: &ArrayRef, own: EsType, out: EsType, has_constant: bool) -> Option<ArrayRef> {
    if own != out || physical(a.data_type()) != own || own == EsType::Unsupported || own.arrow_type() == DataType::Null
    {
        return None;
    }
    if has_constant && a.null_count() > 0 {
        return None;
    }
    match a.as_any().downcast_ref::<arrow::array::ListArray>() {
        Some(list) => {
            let one_each = list.null_count() == 0 && list.value_offsets().windows(2).all(|w| w[1] - w[0] == 1);
            if one_each && list.value_offsets().first() == Some(&0) {
                Some(list.values().slice(0, list.len()))
            } else if has_constant {
                None
            } else {
                Some(a.clone())
            }
        }
        None => Some(a.clone()),
    }
}

/// Copies an array's values into `builder`, in the index's type, then the column's;
/// returns how many values did not fit (malformed: read as null, with a load warning).
fn convert(
    a: &dyn Array,
    (own, out, normalizer): (EsType, EsType, Option<crate::io::catalog::mapping::Storage>),
    constant: Option<&str>,
    rows: &Selection,
    builder: &mut ColumnBuilder,
) -> u64 {
    let phys = physical(a.data_type());
    if phys == EsType::Unsupported && own != EsType::Unsupported {
        (0..rows.len()).for_each(|_| builder.push_null());
        return (a.len() - a.null_count()) as u64;
    }
    let reader = ColumnReader::new(a, phys);
    let mut bad = 0u64;
    // One buffer for every row: a vector per row showed in profiles.
    let mut values: Vec<Value> = Vec::new();
    let mut ips = IpTexts::default();
    rows.each(|row| {
        values.clear();
        let cell = reader.cell(row);
        for v in cell.values().iter() {
            let typed = match v {
                Value::Str(Cow::Borrowed(s)) if own == EsType::Ip && phys != own => ips.parse(s).map(Value::Ip),
                _ => to_type(v, phys, own),
            };
            match typed {
                Some(Value::Str(s)) if normalizer.is_some() => {
                    if let Some(t) = normalizer.map_or_else(|| Some(s.to_string()), |n| n.apply(&s)) {
                        values.push(Value::Str(Cow::Owned(t)))
                    }
                }
                Some(v) => values.push(if own == out { v } else { Value::Str(Cow::Owned(v.render())) }),
                None => bad += 1,
            }
        }
        if normalizer.is_some() {
            // Normalized values are stored as doc values are: sorted, each once.
            crate::io::json::normalize(&mut values, EsType::Keyword);
        }
        match (values.is_empty(), constant) {
            (true, Some(c)) => builder.push_values(&[Value::Str(Cow::Borrowed(c))]),
            _ => builder.push_values(&values),
        }
    });
    bad
}

/// Addresses stored as text, each distinct one parsed once per batch: addresses repeat,
/// and parsing them (the IPv6 ones above all) was 8% of the seed rule over Parquet.
#[derive(Default)]
struct IpTexts<'a>(HashMap<&'a str, Option<[u8; 16]>, ahash::RandomState>);

impl<'a> IpTexts<'a> {
    /// Texts remembered at most: a batch of unique addresses stays small in memory.
    const MAX: usize = 4096;

    fn parse(&mut self, s: &'a str) -> Option<[u8; 16]> {
        if let Some(&ip) = self.0.get(s) {
            return ip;
        }
        let ip = parse_ip(s);
        if self.0.len() < Self::MAX {
            self.0.insert(s, ip);
        }
        ip
    }
}

/// A value of the file's physical type as the index's type (text IPs, numbers as dates...).
fn to_type<'a>(v: &Value<'a>, phys: EsType, own: EsType) -> Option<Value<'a>> {
    if phys == own {
        return Some(v.clone());
    }
    let json = match v {
        // IPs are text in the portable layout: parsed as the NDJSON decoder does.
        Value::Str(s) if own == EsType::Ip => return parse_ip(s).map(Value::Ip),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Long(n) => Json::from(*n),
        Value::Int(n) => Json::from(*n),
        Value::ULong(n) => Json::from(*n),
        Value::Double(d) => Json::from(*d),
        Value::Bool(b) => Json::Bool(*b),
        Value::Date(ms) if own == EsType::DateNanos => return Some(Value::DateNanos(ms.checked_mul(1_000_000)?)),
        Value::DateNanos(ns) if own == EsType::Date => return Some(Value::Date(ns.div_euclid(1_000_000))),
        other => Json::String(other.render()),
    };
    coerce(&json, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Remembered or not (past the cap), an address text reads as `parse_ip` reads it.
    #[test]
    fn address_texts_read_as_parse_ip_reads_them() {
        let texts: Vec<String> = (0..20_000u32)
            .map(|k| match k % 4 {
                0 => format!("10.0.{}.{}", k / 256 % 256, k % 256),
                1 => "2a02:2a0e:d660::c0c".to_string(),
                2 => format!("not an ip {}", k % 7),
                _ => format!("fe80::{k:x}"),
            })
            .collect();
        let mut ips = IpTexts::default();
        for _ in 0..2 {
            for t in &texts {
                assert_eq!(ips.parse(t), parse_ip(t), "{t}");
            }
        }
        assert_eq!(ips.0.len(), IpTexts::MAX);
    }
}
