//! One aggregate's state for every group of a STATS, group `g` at index `g`. COUNT and
//! MIN/MAX of integral types (most rules' aggregates) are flat vectors of integers; every
//! other aggregate keeps an accumulator per group. A boxed accumulator per group and
//! aggregate was an allocation per new group and a dynamic call per row: with 350k groups,
//! a tenth of a high-cardinality STATS.

use crate::functions::aggregate::{Accumulator, Factory, Flat};
use crate::functions::{ColumnKernel, EvalError};
use crate::plan::AggCall;
use crate::types::column::{build_column, ColumnReader};
use crate::types::{Cell, EsType, Value};
use arrow::array::ArrayRef;

pub(super) enum Slots {
    /// COUNT: values per group (rows for `COUNT(*)`, whose cell is one `true`).
    Count(Vec<i64>),
    /// MIN (`greater` false) or MAX of an integral type (the result's, given to
    /// [`Self::column`]): the best value so far.
    Extreme { greater: bool, best: Vec<Option<i64>> },
    /// Any other aggregate.
    Boxed { make: Factory, arg: EsType, ty: EsType, accs: Vec<Box<dyn Accumulator>> },
}

/// What an aggregate reads from a batch on the column path ([`Slots::add_column`]).
#[derive(Clone, Copy)]
pub(super) enum Arg<'r, 'a> {
    /// `COUNT(*)`: each row counts once.
    Star,
    /// An input column (`None` when the batch does not hold it: every row null).
    Column(Option<&'r ColumnReader<'a>>),
}

impl Slots {
    /// The state of `call` for no group yet.
    pub fn new(call: &AggCall) -> Slots {
        let flat = match call.func.column {
            Some(ColumnKernel::Flat(f)) if f.applies(call.arg_ty) => Some(f),
            _ => None,
        };
        match flat {
            Some(Flat::Count) => Slots::Count(Vec::new()),
            Some(Flat::Extreme { greater }) => Slots::Extreme { greater, best: Vec::new() },
            None => Slots::Boxed { make: call.make, arg: call.arg_ty, ty: call.ty, accs: Vec::new() },
        }
    }

    /// Makes the state of one more group.
    pub fn push(&mut self) {
        match self {
            Slots::Count(n) => n.push(0),
            Slots::Extreme { best, .. } => best.push(None),
            Slots::Boxed { make, arg, ty, accs } => accs.push(make(*arg, *ty)),
        }
    }

    /// Adds one row's cells (the aggregate's arguments, the value first) to group `g`.
    pub fn add(&mut self, g: usize, cells: &[Cell<'_>]) {
        let values = cells.first().map_or(&[][..], Cell::values);
        match self {
            Slots::Count(n) => n[g] += values.len() as i64,
            Slots::Extreme { greater, best, .. } => {
                for x in values.iter().filter_map(Value::as_i64) {
                    keep(&mut best[g], x, *greater);
                }
            }
            Slots::Boxed { accs, .. } => accs[g].add(cells),
        }
    }

    /// Adds the rows of a batch, row `r` to each group of `groups[at[r]..at[r + 1]]`, reading
    /// `arg`: the same as [`Self::add`] row by row, with no cell made for a flat aggregate.
    pub fn add_column(&mut self, arg: Arg<'_, '_>, groups: &[usize], at: &[usize]) {
        let rows = at.windows(2).map(|w| &groups[w[0]..w[1]]).enumerate();
        match (self, arg) {
            (Slots::Count(n), Arg::Star) => groups.iter().for_each(|&g| n[g] += 1),
            (Slots::Count(_) | Slots::Extreme { .. }, Arg::Column(None)) => {}
            (Slots::Count(n), Arg::Column(Some(c))) => {
                for (r, gs) in rows {
                    let k = c.elements(r).filter(|&i| c.is_value(i)).count() as i64;
                    gs.iter().for_each(|&g| n[g] += k);
                }
            }
            (Slots::Extreme { greater, best, .. }, Arg::Column(Some(c))) => {
                for (r, gs) in rows {
                    for x in c.elements(r).filter_map(|i| c.int(i)) {
                        gs.iter().for_each(|&g| keep(&mut best[g], x, *greater));
                    }
                }
            }
            (s, arg) => {
                let counted = [Cell::One(Value::Bool(true))];
                for (r, gs) in rows {
                    let cell = match arg {
                        Arg::Column(c) => [c.map_or(Cell::Null, |c| c.cell(r))],
                        Arg::Star => counted.clone(),
                    };
                    gs.iter().for_each(|&g| s.add(g, &cell));
                }
            }
        }
    }

    /// Folds in `other`, the same aggregate's state in another worker: its group `g` is our
    /// group `into[g]`, where those at or past our length are new, numbered in `other`'s
    /// order (their state is moved in).
    pub fn merge(&mut self, other: Slots, into: &[usize]) {
        match (self, other) {
            (Slots::Count(mine), Slots::Count(theirs)) => merge_with(mine, theirs, into, |m, t| *m += t),
            (Slots::Extreme { greater, best, .. }, Slots::Extreme { best: theirs, .. }) => {
                let greater = *greater;
                merge_with(best, theirs, into, |m, t| {
                    if let Some(t) = t {
                        keep(m, t, greater);
                    }
                });
            }
            (Slots::Boxed { accs, .. }, Slots::Boxed { accs: theirs, .. }) => {
                merge_with(accs, theirs, into, |m, t| m.merge(t));
            }
            // Both states are made from one plan: never reached.
            _ => debug_assert!(false, "merging the states of two different aggregates"),
        }
    }

    /// The column of the groups in `order` (of type `ty`), and the failures (position in
    /// `order`, why) of the groups whose result is null because it failed.
    pub fn column(&self, order: &[usize], ty: EsType) -> (ArrayRef, Vec<(usize, EvalError)>) {
        let mut failures = Vec::new();
        let col = match self {
            Slots::Count(n) => build_column(ty, order.iter().map(|&g| Cell::One(Value::Long(n[g])))),
            Slots::Extreme { best, .. } => {
                build_column(ty, order.iter().map(|&g| best[g].map_or(Cell::Null, |x| Cell::One(of_integral(x, ty)))))
            }
            Slots::Boxed { accs, .. } => build_column(
                ty,
                order.iter().enumerate().map(|(at, &g)| {
                    if let Some(e) = accs[g].failure() {
                        failures.push((at, e));
                    }
                    accs[g].finish()
                }),
            ),
        };
        (col, failures)
    }
}

/// Makes `x` the best when it beats it; a tie keeps the first, as [`Accumulator`]s do.
fn keep(best: &mut Option<i64>, x: i64, greater: bool) {
    let better = match *best {
        None => true,
        Some(b) => (x > b) == greater && x != b,
    };
    if better {
        *best = Some(x);
    }
}

/// `theirs[g]` folded into `mine[into[g]]` by `fold`, or pushed when that group is new.
fn merge_with<T>(mine: &mut Vec<T>, theirs: Vec<T>, into: &[usize], mut fold: impl FnMut(&mut T, T)) {
    for (t, &m) in theirs.into_iter().zip(into) {
        match mine.get_mut(m) {
            Some(slot) => fold(slot, t),
            None => {
                debug_assert_eq!(m, mine.len(), "new groups are numbered in order");
                mine.push(t);
            }
        }
    }
}

/// The value of integral type `ty` held as integer `x` (the inverse of [`Value::as_i64`]).
fn of_integral(x: i64, ty: EsType) -> Value<'static> {
    match ty {
        EsType::Integer => Value::Int(x as i32),
        EsType::Date => Value::Date(x),
        EsType::DateNanos => Value::DateNanos(x),
        _ => Value::Long(x),
    }
}
