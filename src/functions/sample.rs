//! `SAMPLE(field, limit)`: at most `limit` of a group's values, drawn uniformly (a
//! reservoir: every value, each value of a multi-value counted, has the same chance to be
//! kept). Elasticsearch draws anew on each query; the draws here come from a fixed
//! sequence, so the same rows give the same sample on every run and any `--threads`.

use super::aggregate::{downcast, Accumulator};
use super::p::req;
use super::{FunctionDef, Kind, Merge, Returns};
use crate::rng::Rng;
use crate::types::EsType::{self, *};
use crate::types::{Cell, Value};

/// Every type but unsigned_long, as Elasticsearch takes.
const SAMPLED: &[EsType] = &[
    Boolean,
    CartesianPoint,
    CartesianShape,
    Date,
    DateNanos,
    Double,
    GeoPoint,
    GeoShape,
    Integer,
    Ip,
    Keyword,
    Long,
    Text,
    Version,
];

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[FunctionDef {
    name: "sample",
    params: &[req("field", SAMPLED), req("limit", &[Integer])],
    variadic: false,
    // Text comes out as keyword.
    returns: Returns::Custom(|t| if t[0] == Text { Keyword } else { t[0] }),
    kind: Kind::Aggregate(|_, _| Box::new(Sample::default()), Merge::OnePass),
    doc: "At most limit values of the field, drawn uniformly at random (the same draw on every run).",
    column: None,
}];

/// The fixed start of every reservoir's draws.
const SEED: u64 = 0x005A_4D50_4C45;

struct Sample {
    limit: Option<usize>,
    /// Values offered so far.
    seen: u64,
    kept: Vec<Value<'static>>,
    rng: Rng,
}

impl Default for Sample {
    fn default() -> Sample {
        Sample { limit: None, seen: 0, kept: Vec::new(), rng: Rng::new(SEED) }
    }
}

impl Sample {
    /// Offers one value: kept while there is room, then in place of a kept one with
    /// probability limit / seen (Algorithm R).
    fn offer(&mut self, v: Value<'static>) {
        let limit = self.limit.unwrap_or(0);
        self.seen += 1;
        if self.kept.len() < limit {
            self.kept.push(v);
        } else if let Ok(j) = usize::try_from(self.rng.below(self.seen)) {
            if j < limit {
                self.kept[j] = v;
            }
        }
    }
}

impl Accumulator for Sample {
    fn add(&mut self, cells: &[Cell<'_>]) {
        if self.limit.is_none() {
            let limit = cells.get(1).and_then(|c| c.values().first().and_then(Value::as_i64));
            self.limit = limit.map(|n| n.max(0) as usize);
        }
        for v in cells.first().map(Cell::values).unwrap_or_default() {
            self.offer(v.clone().into_owned());
        }
    }
    fn finish(&self) -> Cell<'static> {
        Cell::from_values(self.kept.clone())
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Sample>(other) {
            self.limit = self.limit.or(o.limit);
            o.kept.into_iter().for_each(|v| self.offer(v));
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(values: std::ops::Range<i64>, limit: i64) -> Vec<i64> {
        let mut s = Sample::default();
        for v in values {
            s.add(&[Cell::One(Value::Long(v)), Cell::One(Value::Int(limit as i32))]);
        }
        s.finish().values().iter().filter_map(Value::as_i64).collect()
    }

    #[test]
    fn a_sample_keeps_at_most_limit_values_each_drawn_evenly() {
        assert_eq!(sample(0..3, 5), vec![0, 1, 2], "fewer values than the limit: all of them");
        let s = sample(0..1000, 10);
        assert_eq!(s.len(), 10);
        assert!(s.iter().all(|v| (0..1000).contains(v)));
        assert_eq!(sample(0..1000, 10), s, "the same draw on every run");
        // Over many groups, each of 10 values lands in a sample of 2 about 1 time in 5.
        let mut hits = [0u32; 10];
        let mut s = Sample::default();
        for _ in 0..2000 {
            (s.seen, s.kept) = (0, Vec::new());
            for v in 0..10 {
                s.add(&[Cell::One(Value::Long(v)), Cell::One(Value::Int(2))]);
            }
            s.kept.iter().filter_map(Value::as_i64).for_each(|v| hits[v as usize] += 1);
        }
        assert!(hits.iter().all(|&h| (300..500).contains(&h)), "{hits:?}");
    }
}
