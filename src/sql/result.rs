//! Another engine's answer (Spark's or DuckDB's Arrow) read back as an ES|QL result: each
//! column typed by the plan, arrays as multi-values, IP text as addresses, timestamps of
//! any unit as milliseconds. Our formats then print it as they print our own results.

use crate::exec::QueryResult;
use crate::types::column::build_column;
use crate::types::text_form::parse_ip;
use crate::types::{Cell, ColumnDef, EsType, Value};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Field, Int32Type, Int64Type, Schema, TimeUnit};
use std::sync::Arc;

/// `batches` as a result with `columns` (the plan's), or what does not fit.
pub fn read(columns: &[ColumnDef], batches: &[RecordBatch]) -> Result<QueryResult, String> {
    let mut out = Vec::new();
    for b in batches {
        if b.num_columns() != columns.len() {
            return Err(format!("the answer has {} columns, the query {}", b.num_columns(), columns.len()));
        }
        let mut arrays = Vec::new();
        for (c, a) in columns.iter().zip(b.columns()) {
            let cells: Result<Vec<Cell<'static>>, String> = (0..a.len()).map(|i| cell(a.as_ref(), i, c.ty)).collect();
            arrays.push(build_column(c.ty, cells?));
        }
        // A column with a multi-value in this batch is a list column.
        let fields: Vec<_> =
            columns.iter().zip(&arrays).map(|(c, a)| Field::new(&c.name, a.data_type().clone(), true)).collect();
        let schema = Arc::new(Schema::new(fields));
        let opts = arrow::array::RecordBatchOptions::new().with_row_count(Some(b.num_rows()));
        out.push(RecordBatch::try_new_with_options(schema.clone(), arrays, &opts).map_err(|e| e.to_string())?);
    }
    Ok(QueryResult { columns: columns.to_vec(), batches: out, warnings: Vec::new(), counts: Vec::new() })
}

/// Row `i` of `a` as a cell of type `ty`.
fn cell(a: &dyn Array, i: usize, ty: EsType) -> Result<Cell<'static>, String> {
    if a.is_null(i) {
        return Ok(Cell::Null);
    }
    let values = match a.data_type() {
        DataType::List(_) => a.as_list::<i32>().value(i),
        DataType::LargeList(_) => a.as_list::<i64>().value(i),
        _ => return Ok(value(a, i, ty)?.map_or(Cell::Null, Cell::One)),
    };
    let mut vs: Vec<Value<'static>> = Vec::new();
    for j in 0..values.len() {
        if !values.is_null(j) {
            vs.extend(value(values.as_ref(), j, ty)?);
        }
    }
    Ok(match vs.len() {
        0 => Cell::Null,
        1 => Cell::One(vs.remove(0)),
        _ => Cell::Many(vs),
    })
}

fn value(a: &dyn Array, i: usize, ty: EsType) -> Result<Option<Value<'static>>, String> {
    if a.is_null(i) {
        return Ok(None);
    }
    let text = || -> Option<String> {
        match a.data_type() {
            DataType::Utf8 => Some(a.as_string::<i32>().value(i).to_string()),
            DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i).to_string()),
            DataType::Utf8View => Some(a.as_string_view().value(i).to_string()),
            _ => None,
        }
    };
    let int = || -> Option<i64> {
        match a.data_type() {
            DataType::Int32 => Some(i64::from(a.as_primitive::<Int32Type>().value(i))),
            DataType::Int64 => Some(a.as_primitive::<Int64Type>().value(i)),
            _ => None,
        }
    };
    let v = match (ty, a.data_type()) {
        (EsType::Keyword | EsType::Text, _) => text().map(|s| Value::Str(s.into())),
        (EsType::Ip, _) => text().and_then(|s| parse_ip(&s)).map(Value::Ip),
        (EsType::Long, _) => int().map(Value::Long),
        (EsType::Integer, _) => int().and_then(|n| i32::try_from(n).ok()).map(Value::Int),
        (EsType::Double, DataType::Float64) => {
            Some(Value::Double(a.as_primitive::<arrow::datatypes::Float64Type>().value(i)))
        }
        (EsType::Double, _) => int().map(|n| Value::Double(n as f64)),
        (EsType::Boolean, DataType::Boolean) => Some(Value::Bool(a.as_boolean().value(i))),
        (EsType::Date, DataType::Timestamp(unit, _)) => {
            use arrow::datatypes::{
                TimestampMicrosecondType as Us, TimestampMillisecondType as Ms, TimestampNanosecondType as Ns,
                TimestampSecondType as S,
            };
            Some(Value::Date(match unit {
                TimeUnit::Second => a.as_primitive::<S>().value(i) * 1000,
                TimeUnit::Millisecond => a.as_primitive::<Ms>().value(i),
                TimeUnit::Microsecond => a.as_primitive::<Us>().value(i).div_euclid(1000),
                TimeUnit::Nanosecond => a.as_primitive::<Ns>().value(i).div_euclid(1_000_000),
            }))
        }
        (EsType::Date, _) => int().map(Value::Date),
        (EsType::Null, _) => None,
        _ => None,
    };
    match v {
        Some(v) => Ok(Some(v)),
        None if ty == EsType::Null => Ok(None),
        None => Err(format!("a {} value read as {}", a.data_type(), ty.name())),
    }
}
