//! Statistical aggregates: median, percentile, std_dev, variance, weighted_avg.
//!
//! Percentiles interpolate linearly between the sorted values (Elasticsearch uses t-digest,
//! which is exact for the small groups rules see).

use super::aggregate::{downcast, Accumulator};
use super::p::{req, NUM, NUM_SIGNED};
use super::{FunctionDef, Kind, Merge, Returns};
use crate::types::{Cell, EsType, Value};

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "median",
        params: &[req("number", NUM_SIGNED)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(
            |_, _| Box::new(Percentile { values: vec![], fixed: Some(50.0), p: None }),
            Merge::OnePass,
        ),
        doc: "The value in the middle of the group's values (the 50th percentile).",
        column: None,
    },
    FunctionDef {
        name: "median_absolute_deviation",
        params: &[req("number", NUM_SIGNED)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(|_, _| Box::new(Deviation(vec![])), Merge::OnePass),
        doc: "The median of the values' distances from their median (a robust spread).",
        column: None,
    },
    FunctionDef {
        name: "percentile",
        params: &[req("number", NUM_SIGNED), req("percentile", NUM)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(|_, _| Box::new(Percentile { values: vec![], fixed: None, p: None }), Merge::OnePass),
        doc: "The value below which the given percentage of the group's values fall.",
        column: None,
    },
    FunctionDef {
        name: "std_dev",
        params: &[req("number", NUM_SIGNED)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(|_, _| Box::new(Moments { n: 0.0, mean: 0.0, m2: 0.0, sqrt: true }), Merge::OnePass),
        doc: "Population standard deviation.",
        column: None,
    },
    FunctionDef {
        name: "variance",
        params: &[req("number", NUM_SIGNED)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(|_, _| Box::new(Moments { n: 0.0, mean: 0.0, m2: 0.0, sqrt: false }), Merge::OnePass),
        doc: "Population variance.",
        column: None,
    },
    FunctionDef {
        name: "std_var",
        params: &[req("number", NUM_SIGNED)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(|_, _| Box::new(Moments { n: 0.0, mean: 0.0, m2: 0.0, sqrt: false }), Merge::OnePass),
        doc: "Population variance (another name of variance).",
        column: None,
    },
    FunctionDef {
        name: "weighted_avg",
        params: &[req("number", NUM_SIGNED), req("weight", NUM_SIGNED)],
        variadic: false,
        returns: Returns::Fixed(EsType::Double),
        kind: Kind::Aggregate(|_, _| Box::new(Weighted::default()), Merge::OnePass),
        doc: "Average of the values weighted by the second argument.",
        column: None,
    },
];

fn numbers<'c>(cell: &'c Cell<'_>) -> impl Iterator<Item = f64> + 'c {
    cell.values().iter().filter_map(Value::as_f64)
}

struct Percentile {
    values: Vec<f64>,
    fixed: Option<f64>,
    p: Option<f64>,
}

impl Accumulator for Percentile {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        if self.p.is_none() {
            self.p = self.fixed.or_else(|| cells.get(1).and_then(|c| c.values().first()).and_then(Value::as_f64));
        }
        self.values.extend(numbers(cell));
    }
    fn finish(&self) -> Cell<'static> {
        let (Some(p), false) = (self.p.or(self.fixed), self.values.is_empty()) else { return Cell::Null };
        let mut v = self.values.clone();
        v.sort_by(f64::total_cmp);
        let rank = (p.clamp(0.0, 100.0) / 100.0) * (v.len() - 1) as f64;
        let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
        let value = v[lo] + (v[hi] - v[lo]) * (rank - lo as f64);
        Cell::One(Value::Double(value))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Percentile>(other) {
            self.values.extend(o.values);
            self.p = self.p.or(o.p);
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// Welford's running mean and sum of squared deviations.
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
    sqrt: bool,
}

impl Accumulator for Moments {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let Some(cell) = cells.first() else { return };
        for x in numbers(cell) {
            self.n += 1.0;
            let delta = x - self.mean;
            self.mean += delta / self.n;
            self.m2 += delta * (x - self.mean);
        }
    }
    fn finish(&self) -> Cell<'static> {
        if self.n == 0.0 {
            return Cell::Null;
        }
        let var = self.m2 / self.n;
        Cell::One(Value::Double(if self.sqrt { var.sqrt() } else { var }))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Moments>(other) {
            let n = self.n + o.n;
            if n == 0.0 {
                return;
            }
            let delta = o.mean - self.mean;
            self.m2 += o.m2 + delta * delta * self.n * o.n / n;
            self.mean += delta * o.n / n;
            self.n = n;
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// `SUM(number * weight) / SUM(weight)`, Elasticsearch's rewrite when neither argument is a
/// constant (the planner takes AVG when one is): a multi-valued row fails the product and
/// counts for nothing, and weights summing to 0 fail the division.
#[derive(Default)]
struct Weighted {
    sum: f64,
    weights: f64,
    seen: bool,
    multi_valued: bool,
}

impl Accumulator for Weighted {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let (Some(v), Some(w)) = (cells.first(), cells.get(1)) else { return };
        // SUM(weight) takes every weight, also where the product is null or failed.
        self.weights += numbers(w).sum::<f64>();
        match (v, w) {
            (Cell::One(v), Cell::One(w)) => {
                if let (Some(v), Some(w)) = (v.as_f64(), w.as_f64()) {
                    self.sum += v * w;
                    self.seen = true;
                }
            }
            // The product's checks, in its order: a null number, a multi-valued number, a
            // null weight, a multi-valued weight.
            (Cell::Many(_), _) | (Cell::One(_), Cell::Many(_)) => self.multi_valued = true,
            _ => {}
        }
    }
    fn finish(&self) -> Cell<'static> {
        if !self.seen || self.weights == 0.0 {
            return Cell::Null;
        }
        Cell::One(Value::Double(self.sum / self.weights))
    }
    fn failure(&self) -> Option<super::EvalError> {
        if self.multi_valued {
            Some(super::EvalError::multi_value())
        } else if self.seen && self.weights == 0.0 {
            Some(super::EvalError::arithmetic("/ by zero"))
        } else {
            None
        }
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Weighted>(other) {
            self.sum += o.sum;
            self.weights += o.weights;
            self.seen |= o.seen;
            self.multi_valued |= o.multi_valued;
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// The exact median of sorted values.
fn median_of(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// MEDIAN_ABSOLUTE_DEVIATION: median(|x - median(x)|), exactly.
struct Deviation(Vec<f64>);

impl Accumulator for Deviation {
    fn add(&mut self, cells: &[Cell<'_>]) {
        if let Some(cell) = cells.first() {
            self.0.extend(numbers(cell));
        }
    }
    fn finish(&self) -> Cell<'static> {
        if self.0.is_empty() {
            return Cell::Null;
        }
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        let m = median_of(&v);
        let mut d: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
        d.sort_by(f64::total_cmp);
        Cell::One(Value::Double(median_of(&d)))
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Deviation>(other) {
            self.0.extend(o.0);
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}
