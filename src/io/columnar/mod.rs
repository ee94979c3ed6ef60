//! Columnar indices: Parquet (`NAME.parquet`) and Arrow IPC files (`NAME.arrow`) or streams
//! (`NAME.arrows`). Only the columns a query needs are read (projection).
//!
//! The layout `esql convert` writes, and the one read best: one column per field, named by
//! its dotted path, a list of values per row (multi-values survive), and the ES type in the
//! field metadata `esql.type`. IPs are stored as text so other tools read them. Files from
//! elsewhere work too: flat or list columns of strings, integers, floats, booleans and
//! timestamps map to keyword, long/integer, double, boolean and date.

/// The fields of columnar files, for discovery.
mod fields;
/// Struct columns as dotted leaf fields.
mod flatten;
/// Foreign Arrow layouts brought to the ones the engine computes on.
mod layout;
mod reader;
mod source;

pub use fields::{fields, Fields};
pub use reader::{ColumnFill, ColumnarReader};

use crate::io::scan::prefilter::Prefilter;
use crate::types::column::{as_list, ColumnReader};
use crate::types::{Cell, ColumnDef, EsType, Value};
use arrow::array::{Array, ArrayRef, RecordBatch};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use parquet::file::statistics::Statistics;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The field metadata key holding the ES type.
pub const TYPE_KEY: &str = "esql.type";
/// The key Elasticsearch's own Arrow responses use for it, written too (and read).
pub const ES_TYPE_KEY: &str = "elastic:type";
const BATCH_ROWS: usize = 8192;

/// True for the columnar file suffixes.
pub fn is_columnar(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "parquet" || e == "arrow" || e == "arrows")
}

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, arrow::error::ArrowError>> + Send>;

fn err(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

/// Whether the file column `root` holds one of the fields `names`: itself, or a struct
/// whose leaves (`root.…`) are among them.
fn holds(root: &str, names: &[String]) -> bool {
    names.iter().any(|n| n == root || n.strip_prefix(root).is_some_and(|rest| rest.starts_with('.')))
}

/// The file columns holding the fields `names`.
fn roots(schema: &Schema, names: &[String]) -> Vec<usize> {
    (0..schema.fields().len()).filter(|&i| holds(schema.field(i).name(), names)).collect()
}

/// The rows of each row group of a Parquet file.
pub fn row_groups(path: &Path) -> Result<Vec<u64>, crate::io::Error> {
    let file = std::fs::File::open(path).map_err(|x| err(path)(&x))?;
    let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|x| err(path)(&x))?;
    Ok(b.metadata().row_groups().iter().map(|g| g.num_rows() as u64).collect())
}

/// Opens a file with the columns `names` (all when `None`), only row group `group` of a
/// Parquet file when given (none of it when its statistics show a test of `pre` rejects
/// every row):
/// its schema, its batches and the rows pruned.
fn open_part(
    path: &Path,
    names: Option<&[String]>,
    group: Option<usize>,
    pre: &[(Prefilter, String)],
) -> Result<(SchemaRef, Batches, u64), crate::io::Error> {
    if let (Some(g), Some("parquet")) = (group, path.extension().and_then(|x| x.to_str())) {
        let e = err(path);
        let file = std::fs::File::open(path).map_err(|x| e(&x))?;
        let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|x| e(&x))?;
        let schema = b.schema().clone();
        if pre.iter().any(|(p, name)| pruned(&b, g, p, name)) {
            let rows = b.metadata().row_groups().get(g).map_or(0, |rg| rg.num_rows() as u64);
            return Ok((schema, Box::new(std::iter::empty()), rows));
        }
        let mut b = b.with_row_groups(vec![g]);
        if let Some(n) = names {
            let mask = ProjectionMask::roots(b.parquet_schema(), roots(&schema, n));
            b = b.with_projection(mask);
        }
        let rows = batch_rows(b.metadata().row_groups().get(g));
        let r = b.with_batch_size(rows).build().map_err(|x| e(&x))?;
        return Ok((schema, Box::new(r), 0));
    }
    open(path, names).map(|(schema, batches)| (schema, batches, 0))
}

/// Rows per batch for a row group: at most [`BATCH_ROWS`], fewer when its rows are large
/// (its uncompressed size over its rows, all columns counted), so that a batch stays near
/// 64 MiB whatever the documents hold.
fn batch_rows(rg: Option<&parquet::file::metadata::RowGroupMetaData>) -> usize {
    const BATCH_BYTES: u64 = 64 << 20;
    let Some(rg) = rg else { return BATCH_ROWS };
    let per_row = (rg.total_byte_size().max(0) as u64 / rg.num_rows().max(1) as u64).max(1);
    usize::try_from(BATCH_BYTES / per_row).unwrap_or(BATCH_ROWS).clamp(1, BATCH_ROWS)
}

/// True when row group `g`'s statistics for the millisecond date column `name` (flat or a
/// list) show that no row passes `pre`.
fn pruned(b: &ParquetRecordBatchReaderBuilder<std::fs::File>, g: usize, pre: &Prefilter, name: &str) -> bool {
    let millis = |t: &DataType| matches!(t, DataType::Timestamp(TimeUnit::Millisecond, _));
    let ok_type = b.schema().field_with_name(name).is_ok_and(|f| match f.data_type() {
        DataType::List(item) => millis(item.data_type()),
        t => millis(t),
    });
    let leaves: Vec<usize> = (0..b.parquet_schema().num_columns())
        .filter(|&i| b.parquet_schema().column(i).path().parts().first().is_some_and(|p| p == name))
        .collect();
    let (true, [leaf], Some(rg)) = (ok_type, leaves.as_slice(), b.metadata().row_groups().get(g)) else { return false };
    let chunk = rg.column(*leaf);
    let Some(Statistics::Int64(st)) = chunk.statistics() else { return false };
    let exact = |v: Option<&i64>, is_exact: bool| v.filter(|_| is_exact).copied();
    let (min, max) = (exact(st.min_opt(), st.min_is_exact()), exact(st.max_opt(), st.max_is_exact()));
    pre.prunes(min, max, chunk.num_values(), rg.num_rows())
}

/// Opens a file with the columns `names` (all when `None`): its schema and its batches.
fn open(path: &Path, names: Option<&[String]>) -> Result<(SchemaRef, Batches), crate::io::Error> {
    let e = err(path);
    let file = std::fs::File::open(path).map_err(|x| e(&x))?;
    let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
    let pick = |schema: &Schema| -> Option<Vec<usize>> { names.map(|n| roots(schema, n)) };
    match ext {
        "parquet" => {
            let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|x| e(&x))?;
            let schema = b.schema().clone();
            let b = match pick(&schema) {
                Some(idx) => {
                    let mask = ProjectionMask::roots(b.parquet_schema(), idx);
                    b.with_projection(mask)
                }
                None => b,
            };
            let r = b.with_batch_size(BATCH_ROWS).build().map_err(|x| e(&x))?;
            Ok((schema, Box::new(r)))
        }
        "arrow" => {
            let probe = arrow::ipc::reader::FileReader::try_new(&file, None).map_err(|x| e(&x))?;
            let schema = probe.schema();
            let r = arrow::ipc::reader::FileReader::try_new(file, pick(&schema)).map_err(|x| e(&x))?;
            Ok((schema, Box::new(r)))
        }
        _ => {
            let reader = std::io::BufReader::new(file);
            let probe = arrow::ipc::reader::StreamReader::try_new(reader, None).map_err(|x| e(&x))?;
            let schema = probe.schema();
            let file = std::fs::File::open(path).map_err(|x| e(&x))?;
            let r = arrow::ipc::reader::StreamReader::try_new(std::io::BufReader::new(file), pick(&schema))
                .map_err(|x| e(&x))?;
            Ok((schema, Box::new(r)))
        }
    }
}

/// The ES type of a column: its metadata, else its Arrow type.
fn es_type(f: &Field) -> EsType {
    let tagged = f.metadata().get(TYPE_KEY).or_else(|| f.metadata().get(ES_TYPE_KEY));
    if let Some(t) = tagged.and_then(|t| EsType::from_name(t)) {
        return t;
    }
    physical(&crate::io::columnar::layout::normalized_type(f.data_type()))
}

/// The type whose physical layout an array has (lists: their elements').
fn physical(t: &DataType) -> EsType {
    match t {
        DataType::List(f) | DataType::LargeList(f) => physical(f.data_type()),
        DataType::Utf8 => EsType::Keyword,
        DataType::Int64 => EsType::Long,
        DataType::Int32 => EsType::Integer,
        DataType::UInt64 => EsType::UnsignedLong,
        DataType::Float64 => EsType::Double,
        DataType::Boolean => EsType::Boolean,
        DataType::Timestamp(TimeUnit::Millisecond, _) => EsType::Date,
        DataType::Timestamp(TimeUnit::Nanosecond, _) => EsType::DateNanos,
        DataType::FixedSizeBinary(16) => EsType::Ip,
        _ => EsType::Unsupported,
    }
}

/// A batch in the portable layout `esql convert` and `--format arrow` write: IPs as text,
/// the ES type in each field's metadata, column k a list when `lists[k]` and flat otherwise
/// (flat only when no row holds several values: a multi-value is never dropped).
pub fn portable(batch: &RecordBatch, columns: &[ColumnDef], lists: &[bool]) -> Result<RecordBatch, crate::io::Error> {
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for (k, (c, a)) in columns.iter().zip(batch.columns()).enumerate() {
        if matches!(c.ty.arrow_type(), DataType::Null) {
            continue;
        }
        let a = if c.ty == EsType::Ip { ip_text(a.as_ref()) } else { a.clone() };
        let a = if lists.get(k).copied().unwrap_or(true) {
            as_list(a).map_err(|e| e.to_string())?
        } else if matches!(a.data_type(), DataType::List(_)) {
            let reader = ColumnReader::new(a.as_ref(), if c.ty == EsType::Ip { EsType::Keyword } else { c.ty });
            crate::types::column::build_column(reader_type(c.ty), (0..reader.len()).map(|i| reader.cell(i)))
        } else {
            a
        };
        let meta = HashMap::from([
            (TYPE_KEY.to_string(), c.ty.name().to_string()),
            (ES_TYPE_KEY.to_string(), c.ty.name().to_string()),
        ]);
        fields.push(Field::new(&c.name, a.data_type().clone(), true).with_metadata(meta));
        arrays.push(a);
    }
    let opts = arrow::array::RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
    RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &opts)
        .map_err(|e| crate::io::Error::Internal(e.to_string()))
}

/// The type a portable column is built in: IPs are text there.
fn reader_type(ty: EsType) -> EsType {
    if ty == EsType::Ip {
        EsType::Keyword
    } else {
        ty
    }
}

/// An IP column (flat or list) with its addresses as text.
fn ip_text(a: &dyn Array) -> ArrayRef {
    let reader = ColumnReader::new(a, EsType::Ip);
    let cells = (0..reader.len()).map(|i| {
        let c = reader.cell(i);
        Cell::from_values(c.values().iter().map(|v| Value::Str(Cow::Owned(v.render()))).collect())
    });
    crate::types::column::build_column(EsType::Keyword, cells)
}
