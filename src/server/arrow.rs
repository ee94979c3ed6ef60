//! `format=arrow` as Elasticsearch writes it (its `ArrowResponse`): an IPC stream, every
//! field nullable with `elastic:type` metadata; dates as timestamps without a zone, IPs as
//! binary (4 bytes for IPv4, else 16), spatial values as WKB, `null`/`unsupported` as Null
//! columns; a column that holds several values in any row is a list whose item field is the
//! non-nullable `$data$`. One record batch per result batch. (`esql run --format arrow`
//! writes the portable layout instead, made for other tools to read back.)

use crate::engine::Output;
use crate::types::column::ColumnReader;
use crate::types::{EsType, Value};
use arrow::array::{
    make_builder, ArrayBuilder, ArrayRef, BinaryBuilder, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder,
    ListBuilder, RecordBatch, RecordBatchOptions, StringBuilder, TimestampMillisecondBuilder,
    TimestampNanosecondBuilder, UInt64Builder,
};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use std::sync::Arc;

/// The name of a list's item field.
const ITEM: &str = "$data$";

/// The stream of a finished result.
pub fn stream(out: &Output) -> Result<Vec<u8>, String> {
    let (columns, batches) = (&out.result.columns, &out.result.batches);
    let multi: Vec<bool> = (0..columns.len())
        .map(|k| {
            batches.iter().any(|b| {
                let r = ColumnReader::new(b.column(k).as_ref(), columns[k].ty);
                (0..r.len()).any(|i| r.cell(i).values().len() > 1)
            })
        })
        .collect();
    let fields: Vec<Field> = columns
        .iter()
        .zip(&multi)
        .map(|(c, m)| {
            let meta = [(crate::io::columnar::ES_TYPE_KEY.to_string(), c.ty.name().to_string())].into();
            Field::new(&c.name, data_type(c.ty, *m), true).with_metadata(meta)
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let mut w = arrow::ipc::writer::StreamWriter::try_new(Vec::new(), &schema).map_err(|e| e.to_string())?;
    for b in batches {
        let arrays: Vec<ArrayRef> =
            columns.iter().enumerate().map(|(k, c)| column(b.column(k).as_ref(), c.ty, multi[k])).collect();
        let opts = RecordBatchOptions::new().with_row_count(Some(b.num_rows()));
        let rb = RecordBatch::try_new_with_options(schema.clone(), arrays, &opts).map_err(|e| e.to_string())?;
        w.write(&rb).map_err(|e| e.to_string())?;
    }
    w.finish().map_err(|e| e.to_string())?;
    w.into_inner().map_err(|e| e.to_string())
}

/// ES's Arrow type of a value of `ty`.
fn value_type(ty: EsType) -> DataType {
    use EsType::*;
    match ty {
        Boolean => DataType::Boolean,
        Integer => DataType::Int32,
        Long => DataType::Int64,
        UnsignedLong => DataType::UInt64,
        Double => DataType::Float64,
        Keyword | Text | Version | Source | GeoHash | GeoTile | GeoHex => DataType::Utf8,
        Date => DataType::Timestamp(TimeUnit::Millisecond, None),
        DateNanos => DataType::Timestamp(TimeUnit::Nanosecond, None),
        Ip | GeoPoint | GeoShape | CartesianPoint | CartesianShape => DataType::Binary,
        Null | Unsupported | TimeDuration | DatePeriod => DataType::Null,
    }
}

fn data_type(ty: EsType, multi: bool) -> DataType {
    match value_type(ty) {
        DataType::Null => DataType::Null,
        t if multi => DataType::List(Arc::new(Field::new(ITEM, t, false))),
        t => t,
    }
}

/// One column of a batch in ES's types.
fn column(a: &dyn arrow::array::Array, ty: EsType, multi: bool) -> ArrayRef {
    let reader = ColumnReader::new(a, ty);
    let t = value_type(ty);
    if t == DataType::Null {
        return arrow::array::new_null_array(&DataType::Null, reader.len());
    }
    if multi {
        let mut b = ListBuilder::new(make_builder(&t, reader.len())).with_field(Field::new(ITEM, t, false));
        for i in 0..reader.len() {
            let cell = reader.cell(i);
            for v in cell.values() {
                append(b.values().as_mut(), ty, Some(v));
            }
            b.append(!cell.is_null());
        }
        return Arc::new(b.finish());
    }
    let mut b = make_builder(&t, reader.len());
    for i in 0..reader.len() {
        append(b.as_mut(), ty, reader.cell(i).values().first());
    }
    b.finish()
}

/// Appends `v` (or a null) to a builder of `ty`'s Arrow type.
fn append(b: &mut dyn ArrayBuilder, ty: EsType, v: Option<&Value<'_>>) {
    macro_rules! put {
        ($builder:ty, $value:expr) => {
            if let Some(b) = b.as_any_mut().downcast_mut::<$builder>() {
                b.append_option($value);
            }
        };
    }
    use EsType::*;
    match ty {
        Boolean => put!(BooleanBuilder, v.and_then(|v| if let Value::Bool(x) = v { Some(*x) } else { None })),
        Integer => put!(Int32Builder, v.and_then(|v| if let Value::Int(x) = v { Some(*x) } else { None })),
        Long => put!(Int64Builder, v.and_then(|v| if let Value::Long(x) = v { Some(*x) } else { None })),
        UnsignedLong => put!(UInt64Builder, v.and_then(|v| if let Value::ULong(x) = v { Some(*x) } else { None })),
        Double => put!(Float64Builder, v.and_then(|v| if let Value::Double(x) = v { Some(*x) } else { None })),
        Keyword | Text | Version | Source | GeoHash | GeoTile | GeoHex => {
            put!(StringBuilder, v.and_then(|v| if let Value::Str(s) = v { Some(s.as_ref()) } else { None }))
        }
        Date => put!(TimestampMillisecondBuilder, v.and_then(|v| if let Value::Date(x) = v { Some(*x) } else { None })),
        DateNanos => {
            put!(TimestampNanosecondBuilder, v.and_then(|v| if let Value::DateNanos(x) = v { Some(*x) } else { None }))
        }
        Ip | GeoPoint | GeoShape | CartesianPoint | CartesianShape => put!(BinaryBuilder, v.and_then(binary)),
        Null | Unsupported | TimeDuration | DatePeriod => {}
    }
}

/// An IP's bytes (IPv4 in 4) or a shape's WKB.
fn binary(v: &Value<'_>) -> Option<Vec<u8>> {
    match v {
        Value::Ip(bytes) => {
            let v6 = std::net::Ipv6Addr::from(*bytes);
            Some(v6.to_ipv4_mapped().map_or_else(|| bytes.to_vec(), |v4| v4.octets().to_vec()))
        }
        Value::Str(wkt) => crate::types::wkt::parse(wkt).ok().map(|g| crate::types::wkb::to_wkb(&g)),
        _ => None,
    }
}
