//! Arrow's sort kernel against the value-by-value order, for every key type it takes: the
//! same rows in the same order, ties by position, nulls where asked, with and without a
//! limit.

use super::*;
use crate::plan::{Origin, PlanExpr};
use arrow::array::{BooleanArray, Float64Array, Int32Array, Int64Array, StringArray, TimestampMillisecondArray};

fn key(column: usize, ty: EsType, descending: bool, nulls_first: bool) -> SortKey {
    SortKey {
        expr: PlanExpr { kind: PlanKind::Column(column), ty, origin: Origin::default() },
        descending,
        nulls_first,
    }
}

/// One column per type, 300 rows with many ties and some nulls.
fn columns() -> Vec<(ArrayRef, EsType)> {
    let n = 300u64;
    let h = |i: u64, m: u64| i.wrapping_mul(2_654_435_761) % m;
    let null = |i: u64| h(i, 7) == 0;
    let doubles = [-0.0, 0.0, 1.5, -2.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-300];
    let words = ["b", "a", "", "é", "ab", "B", "z\u{0}"];
    let arc = |a: ArrayRef| a;
    vec![
        (
            arc(std::sync::Arc::new((0..n).map(|i| (!null(i)).then_some(h(i, 5) as i64 - 2)).collect::<Int64Array>())),
            EsType::Long,
        ),
        (
            arc(std::sync::Arc::new((0..n).map(|i| (!null(i + 1)).then_some(h(i, 4) as i32)).collect::<Int32Array>())),
            EsType::Integer,
        ),
        (
            arc(std::sync::Arc::new(
                (0..n).map(|i| (!null(i + 2)).then_some(doubles[h(i, 8) as usize])).collect::<Float64Array>(),
            )),
            EsType::Double,
        ),
        (
            arc(std::sync::Arc::new(
                (0..n).map(|i| (!null(i + 3)).then_some(words[h(i, 7) as usize])).collect::<StringArray>(),
            )),
            EsType::Keyword,
        ),
        (
            arc(std::sync::Arc::new((0..n).map(|i| (!null(i + 4)).then_some(h(i, 2) == 1)).collect::<BooleanArray>())),
            EsType::Boolean,
        ),
        (
            arc(std::sync::Arc::new(
                (0..n)
                    .map(|i| (!null(i + 5)).then_some(h(i, 3) as i64 * 1000))
                    .collect::<TimestampMillisecondArray>()
                    .with_timezone("UTC"),
            )),
            EsType::Date,
        ),
    ]
}

#[test]
fn the_kernel_orders_rows_as_values_compare() {
    let cols = columns();
    let pairs: Vec<(usize, usize)> = (0..cols.len()).flat_map(|a| (0..cols.len()).map(move |b| (a, b))).collect();
    for (a, b) in pairs {
        for flags in 0..16u8 {
            let keys =
                [key(0, cols[a].1, flags & 1 != 0, flags & 2 != 0), key(1, cols[b].1, flags & 4 != 0, flags & 8 != 0)];
            let arrays = [cols[a].0.clone(), cols[b].0.clone()];
            let defs: Vec<ColumnDef> =
                keys.iter().enumerate().map(|(k, key)| ColumnDef::new(format!("k{k}"), key.expr.ty)).collect();
            let all = batch(&defs, arrays.to_vec(), 300).expect("batch");
            for limit in [None, Some(0), Some(1), Some(10), Some(299), Some(300), Some(1000)] {
                let fast = kernel_order(&arrays, &keys, limit).expect("sorts").expect("plain keys");
                let slow = general_order(&all, &[], &keys, limit);
                assert_eq!(fast, slow, "keys {:?}/{:?}, flags {flags:#b}, limit {limit:?}", cols[a].1, cols[b].1);
            }
        }
    }
}

#[test]
fn keys_the_kernel_cannot_order_take_the_general_path() {
    let versions: ArrayRef = std::sync::Arc::new(StringArray::from(vec!["1.10", "1.9"]));
    assert!(kernel_order(&[versions], &[key(0, EsType::Version, false, false)], None).expect("no error").is_none());
    let ips: ArrayRef = std::sync::Arc::new(
        arrow::array::FixedSizeBinaryArray::try_from_iter([[0u8; 16], [1; 16]].into_iter()).expect("ips"),
    );
    assert!(kernel_order(&[ips], &[key(0, EsType::Ip, false, false)], None).expect("no error").is_none());
}
