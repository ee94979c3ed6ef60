//! Arrow layouts that other writers use (pandas, Spark, DuckDB, pyarrow), brought to the few
//! the engine reads: dictionary and large strings become plain strings, narrow numbers
//! widen, timestamps in seconds or microseconds become milliseconds or nanoseconds, large
//! and nested lists become one flat list per row (Elasticsearch flattens nested arrays into
//! one multi-value), decimals become doubles. Without this such columns read as null on every row.

use arrow::array::{Array, ArrayRef, ListArray};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field, TimeUnit};
use std::sync::Arc;

/// The layout `dt` is read as (itself when already readable or not convertible).
pub fn normalized_type(dt: &DataType) -> DataType {
    match dt {
        DataType::Dictionary(_, v) => normalized_type(v),
        DataType::LargeUtf8 | DataType::Utf8View => DataType::Utf8,
        DataType::Int8 | DataType::Int16 | DataType::UInt8 | DataType::UInt16 => DataType::Int32,
        DataType::UInt32 => DataType::Int64,
        // Decimals read as doubles, as Elasticsearch's scaled_float does.
        DataType::Float16 | DataType::Float32 | DataType::Decimal32(..) | DataType::Decimal64(..) => DataType::Float64,
        DataType::Decimal128(..) | DataType::Decimal256(..) => DataType::Float64,
        DataType::Timestamp(TimeUnit::Second, tz) => DataType::Timestamp(TimeUnit::Millisecond, tz.clone()),
        DataType::Timestamp(TimeUnit::Microsecond, tz) => DataType::Timestamp(TimeUnit::Nanosecond, tz.clone()),
        DataType::Date32 | DataType::Date64 => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::LargeListView(f) => {
            let inner = match normalized_type(f.data_type()) {
                DataType::List(g) => g.data_type().clone(),
                other => other,
            };
            DataType::List(Arc::new(Field::new(f.name(), inner, true)))
        }
        other => other.clone(),
    }
}

/// `a` in its normalized layout; an array that cannot be converted stays as it is (and
/// then reads as an unsupported type).
pub fn normalize(a: &ArrayRef) -> ArrayRef {
    let want = normalized_type(a.data_type());
    if &want == a.data_type() {
        return a.clone();
    }
    if let DataType::List(f) = &want {
        return list(a, f).unwrap_or_else(|| a.clone());
    }
    arrow::compute::cast(a.as_ref(), &want).unwrap_or_else(|_| a.clone())
}

/// A (large, nested) list as one `List` of normalized elements per row.
fn list(a: &ArrayRef, item: &Arc<Field>) -> Option<ArrayRef> {
    let as_list =
        arrow::compute::cast(a.as_ref(), &DataType::List(Arc::new(Field::new("item", inner_type(a)?, true)))).ok()?;
    let outer = as_list.as_any().downcast_ref::<ListArray>()?;
    let values = normalize(outer.values());
    let Some(nested) = values.as_any().downcast_ref::<ListArray>() else {
        let values = arrow::compute::cast(values.as_ref(), item.data_type()).ok()?;
        return Some(Arc::new(ListArray::new(item.clone(), outer.offsets().clone(), values, outer.nulls().cloned())));
    };
    // A list of lists: row k holds the inner lists outer[k] spans, concatenated.
    let inner = nested.value_offsets();
    let offsets: Vec<i32> = outer.value_offsets().iter().map(|&o| inner[o as usize]).collect();
    let flat = nested.values().slice(0, *offsets.last()? as usize);
    let values = arrow::compute::cast(flat.as_ref(), item.data_type()).ok()?;
    Some(Arc::new(ListArray::new(item.clone(), OffsetBuffer::new(offsets.into()), values, outer.nulls().cloned())))
}

fn inner_type(a: &ArrayRef) -> Option<DataType> {
    match a.data_type() {
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::LargeListView(f) => {
            Some(f.data_type().clone())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{DictionaryArray, Int64Array, LargeStringArray, StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::Int32Type;

    #[test]
    fn foreign_layouts_become_readable_ones() {
        let dict: DictionaryArray<Int32Type> = vec!["a", "b", "a"].into_iter().collect();
        let a = normalize(&(Arc::new(dict) as ArrayRef));
        assert_eq!(a.as_any().downcast_ref::<StringArray>().map(|s| s.value(2)), Some("a"));
        let large = normalize(&(Arc::new(LargeStringArray::from(vec!["x"])) as ArrayRef));
        assert_eq!(large.data_type(), &DataType::Utf8);
        let micros = TimestampMicrosecondArray::from(vec![1_500_000i64]).with_timezone("UTC");
        let ns = normalize(&(Arc::new(micros) as ArrayRef));
        assert_eq!(ns.data_type(), &DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())));
    }

    #[test]
    fn lists_of_lists_flatten_per_row() {
        let inner = ListArray::from_iter_primitive::<arrow::datatypes::Int64Type, _, _>(vec![
            Some(vec![Some(1), Some(2)]),
            Some(vec![Some(3)]),
            Some(vec![Some(4), Some(5)]),
        ]);
        let field = Arc::new(Field::new("item", inner.data_type().clone(), true));
        let outer = ListArray::new(field, OffsetBuffer::new(vec![0, 2, 3].into()), Arc::new(inner), None);
        let flat = normalize(&(Arc::new(outer) as ArrayRef));
        let flat = flat.as_any().downcast_ref::<ListArray>().expect("a list");
        let row = |k: usize| flat.value(k).as_any().downcast_ref::<Int64Array>().expect("longs").values().to_vec();
        assert_eq!((row(0), row(1)), (vec![1, 2, 3], vec![4, 5]));
    }
}
