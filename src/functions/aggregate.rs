//! Aggregate functions. Each group holds one accumulator per aggregate; accumulators see
//! every value of multi-valued inputs and skip nulls.

use super::compensated::Compensated;
use super::p::{opt, req, ANY, NUM_SIGNED, ORDERED, SUMMABLE};
use super::value_set::ValueSet;
use super::{ColumnKernel, FunctionDef, Kind, Merge, Returns};
use crate::types::{Cell, EsType, Value};

/// Folds the values of one group.
pub trait Accumulator: Send + Sync {
    /// Adds one row: the cells of the aggregate's arguments (the first is the value).
    fn add(&mut self, cells: &[Cell<'_>]);
    /// The aggregate's value.
    fn finish(&self) -> Cell<'static>;
    /// Folds another accumulator of the same function into this one (partial aggregation).
    fn merge(&mut self, other: Box<dyn Accumulator>);
    /// Why the result is null when it failed (a long sum that overflowed), for a warning.
    fn failure(&self) -> Option<super::EvalError> {
        None
    }
    /// For `merge`: the concrete accumulator.
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any>;
}

/// Makes a fresh accumulator for the given argument type and result type.
pub type Factory = fn(arg: EsType, result: EsType) -> Box<dyn Accumulator>;

/// The factory of an aggregate over a field read from the index's doc values (see
/// [`super::ColumnKernel::DocValues`]); equal when it is the same function.
#[derive(Clone, Copy, Debug)]
pub struct DocValues(pub Factory);

impl PartialEq for DocValues {
    fn eq(&self, other: &DocValues) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl Eq for DocValues {}

macro_rules! agg {
    ($merge:ident, $name:expr, [$($p:expr),*], $ret:expr, $f:expr, $doc:expr) => {
        agg!($merge, $name, [$($p),*], $ret, $f, $doc, None)
    };
    ($merge:ident, $name:expr, [$($p:expr),*], $ret:expr, $f:expr, $doc:expr, $flat:expr) => {
        FunctionDef { name: $name, params: &[$($p),*], variadic: false, returns: $ret, kind: Kind::Aggregate($f, Merge::$merge), doc: $doc, column: $flat, }
    };
}

/// The aggregate functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    agg!(
        Exact,
        "count",
        [opt("field", ANY)],
        Returns::Fixed(EsType::Long),
        |_, _| Box::new(Count(0)),
        "Number of values (count(*) counts rows); multi-values count each value.",
        Some(ColumnKernel::Flat(Flat::Count))
    ),
    agg!(
        Exact,
        "present",
        [req("field", ANY)],
        Returns::Fixed(EsType::Boolean),
        |_, _| Box::new(Present(0, true)),
        "True when some row of the group has a value for the field."
    ),
    agg!(
        Exact,
        "absent",
        [req("field", ANY)],
        Returns::Fixed(EsType::Boolean),
        |_, _| Box::new(Present(0, false)),
        "True when no row of the group has a value for the field."
    ),
    agg!(
        Exact,
        "count_distinct",
        [req("field", ANY), opt("precision", &[EsType::Integer, EsType::Long])],
        Returns::Fixed(EsType::Long),
        |_, _| Box::new(Distinct::default()),
        "Number of distinct values (exact; Elasticsearch approximates large counts)."
    ),
    agg!(
        Exact,
        "values",
        [req("field", ANY)],
        Returns::Arg(0),
        |_, ty| Box::new(Values { ty, set: ValueSet::default() }),
        "All distinct values of the group as a multi-value (sorted)."
    ),
    agg!(
        Exact,
        "min",
        [req("field", ORDERED)],
        Returns::Arg(0),
        |_, ty| Box::new(Extreme { ty, want: std::cmp::Ordering::Less, best: None }),
        "Smallest value.",
        Some(ColumnKernel::Flat(Flat::Extreme { greater: false }))
    ),
    agg!(
        Exact,
        "max",
        [req("field", ORDERED)],
        Returns::Arg(0),
        |_, ty| Box::new(Extreme { ty, want: std::cmp::Ordering::Greater, best: None }),
        "Largest value.",
        Some(ColumnKernel::Flat(Flat::Extreme { greater: true }))
    ),
    agg!(
        OnePass,
        "sum",
        [req("number", NUM_SIGNED).expecting(SUMMABLE)],
        Returns::Custom(sum_type),
        |_, ty| Box::new(Sum::new(ty)),
        "Sum of the values."
    ),
    agg!(
        OnePass,
        "avg",
        [req("number", NUM_SIGNED).expecting(SUMMABLE)],
        Returns::Fixed(EsType::Double),
        |_, _| Box::new(Avg(Sum::new(EsType::Double), 0)),
        "Average of the values."
    ),
];

/// The aggregates a STATS may keep as one integer per group in a flat vector instead of an
/// accumulator per group (an allocation and a dynamic call per row each): COUNT, and MIN
/// and MAX of a type held as an integer. Their answers are [`Count`]'s and [`Extreme`]'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flat {
    /// Values (rows for `COUNT(*)`) per group.
    Count,
    /// The smallest (`false`) or largest (`true`) value.
    Extreme {
        /// Keep the largest.
        greater: bool,
    },
}

impl Flat {
    /// Whether the flat form holds over an argument of type `arg`.
    pub fn applies(self, arg: EsType) -> bool {
        match self {
            Flat::Count => true,
            Flat::Extreme { .. } => {
                matches!(arg, EsType::Integer | EsType::Long | EsType::Date | EsType::DateNanos)
            }
        }
    }
}

/// `sum` of integers is a long; of doubles a double.
fn sum_type(args: &[EsType]) -> EsType {
    match args.first() {
        Some(EsType::Null) => EsType::Null,
        Some(EsType::Double) => EsType::Double,
        _ => EsType::Long,
    }
}

/// For `merge`: the other accumulator as the concrete type it must be.
pub(super) fn downcast<T: 'static>(other: Box<dyn Accumulator>) -> Option<T> {
    other.into_any().downcast::<T>().ok().map(|b| *b)
}

struct Count(i64);

impl Accumulator for Count {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        self.0 += cell.values().len() as i64;
    }
    fn finish(&self) -> Cell<'static> {
        Cell::One(Value::Long(self.0))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        self.0 += downcast::<Count>(other).map_or(0, |c| c.0);
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// PRESENT (the flag set) or ABSENT: whether any value was counted.
struct Present(i64, bool);

impl Accumulator for Present {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        self.0 += cell.values().len() as i64;
    }
    fn finish(&self) -> Cell<'static> {
        Cell::One(Value::Bool((self.0 > 0) == self.1))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        self.0 += downcast::<Present>(other).map_or(0, |c| c.0);
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

#[derive(Default)]
struct Distinct(ValueSet);

impl Accumulator for Distinct {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for v in cell.values() {
            self.0.insert(v);
        }
    }
    fn finish(&self) -> Cell<'static> {
        Cell::One(Value::Long(self.0.len() as i64))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Distinct>(other) {
            for v in o.0.items() {
                self.0.insert(v);
            }
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

struct Values {
    ty: EsType,
    set: ValueSet,
}

impl Accumulator for Values {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for v in cell.values() {
            self.set.insert(v);
        }
    }
    fn finish(&self) -> Cell<'static> {
        let mut v = self.set.items().to_vec();
        v.sort_by(|a, b| a.compare(b, self.ty));
        Cell::from_values(v)
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Values>(other) {
            for v in o.set.items() {
                self.set.insert(v);
            }
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

struct Extreme {
    ty: EsType,
    want: std::cmp::Ordering,
    best: Option<Value<'static>>,
}

impl Accumulator for Extreme {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for v in cell.values() {
            let better = match &self.best {
                None => true,
                Some(b) => v.compare(b, self.ty) == self.want,
            };
            if better {
                self.best = Some(v.clone().into_owned());
            }
        }
    }
    fn finish(&self) -> Cell<'static> {
        self.best.clone().map_or(Cell::Null, Cell::One)
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Extreme>(other) {
            if let Some(b) = o.best {
                self.add(&[Cell::One(b)]);
            }
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// Integer sums are exact (i128, null on overflow); double sums are Elasticsearch's
/// compensated sums (an overflow is infinite, as Elasticsearch answers).
struct Sum {
    ty: EsType,
    int: i128,
    double: Compensated,
    seen: bool,
    /// A long sum left the range of a long at some step (Elasticsearch adds exactly and
    /// fails there, even if later values would bring it back).
    overflowed: bool,
}

impl Sum {
    fn new(ty: EsType) -> Sum {
        Sum { ty, int: 0, double: Compensated::default(), seen: false, overflowed: false }
    }

    fn add_int(&mut self, x: i128) {
        self.int += x;
        if self.ty == EsType::Long && i64::try_from(self.int).is_err() {
            self.overflowed = true;
        }
    }

    fn value(&self) -> Option<Value<'static>> {
        if !self.seen {
            return None;
        }
        match self.ty {
            EsType::Double => Some(Value::Double(self.double.value)),
            _ if self.overflowed => None,
            _ => i64::try_from(self.int).ok().map(Value::Long),
        }
    }
}

impl Accumulator for Sum {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for v in cell.values() {
            self.seen = true;
            match v {
                Value::Double(d) => self.double.add(*d, 0.0),
                other if self.ty == EsType::Double => self.double.add(other.as_f64().unwrap_or(0.0), 0.0),
                other => self.add_int(other.as_i64().unwrap_or(0) as i128),
            }
        }
    }
    fn finish(&self) -> Cell<'static> {
        self.value().map_or(Cell::Null, Cell::One)
    }
    fn failure(&self) -> Option<super::EvalError> {
        self.overflowed.then(|| super::EvalError::arithmetic("long overflow"))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Sum>(other) {
            self.seen |= o.seen;
            self.overflowed |= o.overflowed;
            self.add_int(o.int);
            self.double.merge(o.double);
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// AVG: Elasticsearch's `SUM(n) / COUNT(n)`, which fails when a long sum overflows, and
/// whose division refuses an infinite double sum (null, with the division's warning).
struct Avg(Sum, i64);

impl Avg {
    fn mean(&self) -> Option<f64> {
        let sum = self.0.value().and_then(|v| v.as_f64())?;
        (self.1 > 0).then(|| sum / self.1 as f64)
    }
}

/// `SUM(n) / COUNT(n)` with the sum in the argument's own type (WEIGHTED_AVG's rewrite for a
/// constant weight).
pub(crate) fn sum_per_count(arg: EsType, _: EsType) -> Box<dyn Accumulator> {
    let ty = if arg == EsType::Double { EsType::Double } else { EsType::Long };
    Box::new(Avg(Sum::new(ty), 0))
}

impl Accumulator for Avg {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        self.1 += cell.values().len() as i64;
        self.0.add(cells);
    }
    fn finish(&self) -> Cell<'static> {
        match self.mean() {
            Some(mean) if mean.is_finite() => Cell::One(Value::Double(mean)),
            _ => Cell::Null,
        }
    }
    fn failure(&self) -> Option<super::EvalError> {
        let not_finite = self.mean().filter(|m| !m.is_finite());
        let division = not_finite.map(|m| {
            super::EvalError::arithmetic(format!("not a finite double number: {}", Value::Double(m).render()))
        });
        self.0.failure().or(division)
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Avg>(other) {
            self.1 += o.1;
            self.0.merge(Box::new(o.0));
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}
