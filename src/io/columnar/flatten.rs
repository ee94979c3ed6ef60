//! Struct columns as Elasticsearch maps objects: one dotted field per leaf (`source` of
//! `{ip, geo: {city_name}}` gives `source.ip` and `source.geo.city_name`), and a list of
//! structs one multi-valued field per leaf (ES flattens arrays of objects the same way).
//! DuckDB, Spark and pyarrow write nested documents like this; without it a struct column
//! read as null.

use arrow::array::{make_array, Array, ArrayRef, ListArray, StructArray};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, Field, FieldRef};
use std::sync::Arc;

/// The leaf fields of a file field, named by their dotted paths; a field that is not a
/// struct (or a list of them) is its own leaf. Leaves keep their metadata (`esql.type`).
pub fn leaf_fields(f: &FieldRef) -> Vec<FieldRef> {
    let mut out = Vec::new();
    leaves(f.name(), f, false, &mut out);
    out
}

fn leaves(name: &str, f: &FieldRef, listed: bool, out: &mut Vec<FieldRef>) {
    let field = |dt: DataType| {
        let dt = if listed { DataType::List(Arc::new(Field::new("item", dt, true))) } else { dt };
        Arc::new(Field::new(name, dt, true).with_metadata(f.metadata().clone()))
    };
    match f.data_type() {
        DataType::Struct(children) => {
            children.iter().for_each(|c| leaves(&format!("{name}.{}", c.name()), c, listed, out));
        }
        DataType::List(item) | DataType::LargeList(item) => match item.data_type() {
            DataType::Struct(children) => {
                children.iter().for_each(|c| leaves(&format!("{name}.{}", c.name()), c, true, out));
            }
            _ => out.push(field(f.data_type().clone())),
        },
        dt => out.push(field(dt.clone())),
    }
}

/// The leaf columns of a file column, named as [`leaf_fields`] names them.
pub fn leaf_columns(name: &str, a: &ArrayRef, out: &mut Vec<(String, ArrayRef)>) {
    match a.data_type() {
        DataType::Struct(_) => {
            let Some(s) = a.as_any().downcast_ref::<StructArray>() else { return out.push((name.into(), a.clone())) };
            for (f, c) in s.fields().iter().zip(s.columns()) {
                leaf_columns(&format!("{name}.{}", f.name()), &with_nulls(c, s.nulls()), out);
            }
        }
        DataType::List(item) | DataType::LargeList(item) if matches!(item.data_type(), DataType::Struct(_)) => {
            match list_of_leaves(a) {
                Some(lists) => lists.into_iter().for_each(|(n, l)| leaf_columns(&format!("{name}.{n}"), &l, out)),
                None => out.push((name.into(), a.clone())),
            }
        }
        DataType::Map(_, _) => match map_keys(a) {
            Some(keys) => keys.into_iter().for_each(|(k, v)| leaf_columns(&format!("{name}.{k}"), &v, out)),
            None => out.push((name.into(), a.clone())),
        },
        _ => out.push((name.into(), a.clone())),
    }
}

/// A map column as one column per key: row r of key k's column is r's value for k (null
/// when r has no such key). Keys are read as text.
fn map_keys(a: &ArrayRef) -> Option<Vec<(String, ArrayRef)>> {
    let map = a.as_any().downcast_ref::<arrow::array::MapArray>()?;
    let keys = arrow::compute::cast(map.keys().as_ref(), &DataType::Utf8).ok()?;
    let keys = keys.as_any().downcast_ref::<arrow::array::StringArray>()?;
    let mut at: std::collections::BTreeMap<&str, Vec<Option<u32>>> = std::collections::BTreeMap::new();
    let offsets = map.value_offsets();
    for row in 0..map.len() {
        if map.is_null(row) {
            continue;
        }
        for entry in offsets[row] as usize..offsets[row + 1] as usize {
            if keys.is_valid(entry) {
                at.entry(keys.value(entry)).or_insert_with(|| vec![None; map.len()])[row] = Some(entry as u32);
            }
        }
    }
    let values = map.values();
    let columns = at.into_iter().map(|(k, idx)| {
        let taken = arrow::compute::take(values.as_ref(), &arrow::array::UInt32Array::from(idx), None);
        taken.ok().map(|v| (k.to_string(), v))
    });
    columns.collect()
}

/// A list of structs as one list per struct field, sharing the list's offsets.
fn list_of_leaves(a: &ArrayRef) -> Option<Vec<(String, ArrayRef)>> {
    let (DataType::List(item) | DataType::LargeList(item)) = a.data_type() else { return None };
    let as_list = arrow::compute::cast(a.as_ref(), &DataType::List(item.clone())).ok()?;
    let list = as_list.as_any().downcast_ref::<ListArray>()?;
    let structs = list.values().as_any().downcast_ref::<StructArray>()?;
    let lists = structs.fields().iter().zip(structs.columns()).map(|(f, c)| {
        let values = with_nulls(c, structs.nulls());
        let item = Arc::new(Field::new("item", values.data_type().clone(), true));
        let l = ListArray::new(item, list.offsets().clone(), values, list.nulls().cloned());
        (f.name().clone(), Arc::new(l) as ArrayRef)
    });
    Some(lists.collect())
}

/// `child` with the rows its parent struct holds null made null too.
fn with_nulls(child: &ArrayRef, parent: Option<&NullBuffer>) -> ArrayRef {
    let Some(parent) = parent else { return child.clone() };
    let nulls = NullBuffer::union(Some(parent), child.nulls());
    let data = child.to_data().into_builder().nulls(nulls);
    data.build().map(make_array).unwrap_or_else(|_| child.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int64Array, StringArray};
    use arrow::buffer::OffsetBuffer;
    use arrow::datatypes::Fields;

    fn source() -> StructArray {
        let geo = StructArray::from(vec![(
            Arc::new(Field::new("city_name", DataType::Utf8, true)),
            Arc::new(StringArray::from(vec![Some("London"), None])) as ArrayRef,
        )]);
        let ip = Arc::new(StringArray::from(vec!["1.2.3.4", "5.6.7.8"])) as ArrayRef;
        let fields = Fields::from(vec![
            Field::new("ip", DataType::Utf8, true),
            Field::new("geo", geo.data_type().clone(), true),
        ]);
        // The second row's whole `source` is null: its leaves are null too.
        StructArray::new(fields, vec![ip, Arc::new(geo)], Some(NullBuffer::from(vec![true, false])))
    }

    #[test]
    fn structs_become_dotted_leaves() {
        let a: ArrayRef = Arc::new(source());
        let mut out = Vec::new();
        leaf_columns("source", &a, &mut out);
        let names: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["source.ip", "source.geo.city_name"]);
        assert_eq!(out[0].1.null_count(), 1, "the null struct's ip is null");
        let f = Arc::new(Field::new("source", a.data_type().clone(), true));
        let leaf_names: Vec<String> = leaf_fields(&f).iter().map(|f| f.name().clone()).collect();
        assert_eq!(leaf_names, names);
    }

    #[test]
    fn a_list_of_structs_becomes_a_list_per_leaf() {
        let n = Arc::new(Int64Array::from(vec![1, 2, 3])) as ArrayRef;
        let s = StructArray::from(vec![(Arc::new(Field::new("n", DataType::Int64, true)), n)]);
        let item = Arc::new(Field::new("item", s.data_type().clone(), true));
        let list: ArrayRef = Arc::new(ListArray::new(item, OffsetBuffer::new(vec![0, 2, 3].into()), Arc::new(s), None));
        let mut out = Vec::new();
        leaf_columns("xs", &list, &mut out);
        assert_eq!(out[0].0, "xs.n");
        let l = out[0].1.as_any().downcast_ref::<ListArray>().expect("a list");
        assert_eq!(l.value(0).len(), 2);
        assert_eq!(l.value(1).len(), 1);
    }
}
