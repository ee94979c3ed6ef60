//! The flat aggregates answer exactly as the accumulators they stand for: row by row, over a
//! batch's column, with a row in several groups, and merged from another worker's state.

use super::slots::{Arg, Slots};
use crate::functions::{lookup, Kind};
use crate::plan::{AggCall, Origin};
use crate::types::column::{build_column, ColumnReader};
use crate::types::{Cell, EsType, Value};

fn call(name: &str, arg_ty: EsType) -> AggCall {
    let func = lookup(name).expect("an aggregate");
    let Kind::Aggregate(make, _) = func.kind else { panic!("{name} is not an aggregate") };
    let ty = if name == "count" { EsType::Long } else { arg_ty };
    AggCall { func, make, args: vec![], filter: None, arg_ty, ty, origin: Origin::default() }
}

/// The reference: the function's own accumulator per group.
fn boxed(c: &AggCall) -> Slots {
    Slots::Boxed { make: c.make, arg: c.arg_ty, ty: c.ty, accs: Vec::new() }
}

/// The test's own reading of each type (not the code's under test).
fn value(x: i64, ty: EsType) -> Value<'static> {
    match ty {
        EsType::Integer => Value::Int(i32::try_from(x).expect("an integer")),
        EsType::Date => Value::Date(x),
        EsType::DateNanos => Value::DateNanos(x),
        _ => Value::Long(x),
    }
}

/// Row `r`'s cell: nulls, single values, and multi-values with repeats and ties, extremes
/// of the type included.
fn cell(r: usize, ty: EsType) -> Cell<'static> {
    let edge = if ty == EsType::Integer { i64::from(i32::MIN) } else { i64::MIN };
    let x = |k: usize| match (r * 7 + k * 13) % 11 {
        0 => edge,
        1 => -edge - 1,
        n => n as i64 - 5,
    };
    match r % 5 {
        0 => Cell::Null,
        1 | 2 => Cell::One(value(x(0), ty)),
        _ => Cell::Many((0..r % 4 + 2).map(|k| value(x(k), ty)).collect()),
    }
}

/// Row `r`'s groups (one or two, as with a multi-valued key) among `groups`.
fn groups_of(r: usize, groups: usize) -> Vec<usize> {
    let g = (r * 31) % groups;
    if r.is_multiple_of(3) && groups > 1 {
        vec![g, (g + 1) % groups]
    } else {
        vec![g]
    }
}

/// The flat and batch layout of rows `rows`: every row's groups in one vector, and where
/// each row's start.
fn layout(rows: std::ops::Range<usize>, groups: usize, into: impl Fn(usize) -> usize) -> (Vec<usize>, Vec<usize>) {
    let (mut flat, mut at) = (Vec::new(), vec![0]);
    for r in rows {
        flat.extend(groups_of(r, groups).into_iter().map(&into));
        at.push(flat.len());
    }
    (flat, at)
}

/// Adds rows `rows` to `s` (which has `groups` groups) cell by cell or as a column.
fn fill(s: &mut Slots, c: &AggCall, rows: std::ops::Range<usize>, groups: usize, by_column: bool, star: bool) {
    let cells: Vec<Cell<'static>> =
        rows.clone().map(|r| if star { Cell::One(Value::Bool(true)) } else { cell(r, c.arg_ty) }).collect();
    let (flat, at) = layout(rows, groups, |g| g);
    if by_column {
        let array = build_column(c.arg_ty, cells.iter().cloned());
        let reader = ColumnReader::new(array.as_ref(), c.arg_ty);
        s.add_column(if star { Arg::Star } else { Arg::Column(Some(&reader)) }, &flat, &at);
    } else {
        for (r, cell) in cells.iter().enumerate() {
            flat[at[r]..at[r + 1]].iter().for_each(|&g| s.add(g, std::slice::from_ref(cell)));
        }
    }
}

fn state(c: &AggCall, reference: bool, groups: usize) -> Slots {
    let mut s = if reference { boxed(c) } else { Slots::new(c) };
    (0..groups).for_each(|_| s.push());
    s
}

fn answer(s: &Slots, c: &AggCall, groups: usize) -> arrow::array::ArrayRef {
    let order: Vec<usize> = (0..groups).rev().collect();
    s.column(&order, c.ty).0
}

#[test]
fn flat_aggregates_answer_as_their_accumulators() {
    let types = [EsType::Integer, EsType::Long, EsType::Date, EsType::DateNanos];
    for (name, ty, star) in types
        .iter()
        .flat_map(|&t| [("count", t, false), ("min", t, false), ("max", t, false)])
        .chain([("count", EsType::Null, true)])
    {
        let c = call(name, ty);
        assert!(!matches!(Slots::new(&c), Slots::Boxed { .. }), "{name}({ty:?}) should be flat");
        for by_column in [false, true] {
            let (mut want, mut got) = (state(&c, true, 9), state(&c, false, 9));
            fill(&mut want, &c, 0..200, 9, false, star);
            fill(&mut got, &c, 0..200, 9, by_column, star);
            assert_eq!(answer(&got, &c, 9).as_ref(), answer(&want, &c, 9).as_ref(), "{name}({ty:?}) {by_column}");
        }
    }
}

#[test]
fn merged_flat_states_answer_as_merged_accumulators() {
    // A worker's 12 groups: its group g is our group into[g]; ours are 9, three of theirs new.
    let into: Vec<usize> = (0..12).map(|g| if g < 9 { (g * 4) % 9 } else { g }).collect();
    for (name, ty) in [("count", EsType::Long), ("min", EsType::Date), ("max", EsType::Integer)] {
        let c = call(name, ty);
        let mut want = state(&c, true, 12);
        let (mut mine, mut theirs) = (state(&c, false, 9), state(&c, false, 12));
        fill(&mut mine, &c, 0..150, 9, true, false);
        fill(&mut theirs, &c, 150..300, 12, true, false);
        fill(&mut want, &c, 0..150, 9, false, false);
        let (flat, at) = layout(150..300, 12, |g| into[g]);
        for (r, row) in (150..300).enumerate() {
            let one = [cell(row, ty)];
            flat[at[r]..at[r + 1]].iter().for_each(|&g| want.add(g, &one));
        }
        mine.merge(theirs, &into);
        assert_eq!(answer(&mine, &c, 12).as_ref(), answer(&want, &c, 12).as_ref(), "{name}({ty:?})");
    }
}

#[test]
fn a_column_the_batch_lacks_counts_nothing() {
    for (name, ty) in [("count", EsType::Long), ("max", EsType::Long)] {
        let c = call(name, ty);
        let (mut want, mut got) = (state(&c, true, 2), state(&c, false, 2));
        want.add(1, &[Cell::Null]);
        got.add_column(Arg::Column(None), &[0, 1], &[0, 1, 2]);
        assert_eq!(answer(&got, &c, 2).as_ref(), answer(&want, &c, 2).as_ref(), "{name}");
    }
}

#[test]
fn other_aggregates_keep_their_accumulators() {
    for (name, ty) in [("min", EsType::Double), ("max", EsType::Keyword), ("sum", EsType::Long)] {
        assert!(matches!(Slots::new(&call(name, ty)), Slots::Boxed { .. }), "{name}({ty:?})");
    }
}
