//! The end of a STATS: its groups in the order a single pass meets them, and their columns,
//! built on two threads when there are many.

use super::super::ExecError;
use super::Slots;
use crate::functions::EvalError;
use crate::plan::Aggregate;
use crate::types::column::build_column;
use crate::types::{Cell, Value};
use arrow::array::ArrayRef;

/// Groups from which [`Columns::build`] builds its columns on two threads.
const PARALLEL_FINISH: usize = 16 * 1024;

/// What the columns of a finished STATS are built from. The layout of the work lives here
/// alone: task `t` is key column `t`, then aggregate `t - keys` (the keys first: strings are
/// the heaviest); the output puts the aggregates first, then the keys.
pub(super) struct Columns<'a> {
    pub agg: &'a Aggregate,
    pub order: Vec<usize>,
    pub slots: Vec<Slots>,
    pub keys: Vec<Option<Value<'static>>>,
}

/// A column, and the failures of an aggregate's (position in the output, why).
type Built = (ArrayRef, Vec<(usize, EvalError)>);

/// The columns in output order, and the aggregates' failures (aggregate, why) in the order a
/// single pass meets them: group by group, aggregate by aggregate.
pub(super) type Finished = (Vec<ArrayRef>, Vec<(usize, EvalError)>);

impl Columns<'_> {
    /// Every column; with `threads` above one and many groups, on two threads, after which
    /// the accumulators and keys are freed on a thread of their own.
    pub(super) fn build(self, threads: usize) -> Result<Finished, ExecError> {
        let tasks = self.agg.groups.len() + self.agg.aggs.len();
        let parallel = threads > 1 && self.order.len() >= PARALLEL_FINISH && tasks > 1;
        let mut built =
            if parallel { self.on_two_threads(tasks)? } else { (0..tasks).map(|t| self.column(t)).collect() };
        built.rotate_left(self.agg.groups.len());
        let mut failures: Vec<(usize, usize, EvalError)> = Vec::new();
        let mut cols = Vec::with_capacity(tasks);
        for (j, (col, failed)) in built.into_iter().enumerate() {
            failures.extend(failed.into_iter().map(|(at, e)| (at, j, e)));
            cols.push(col);
        }
        failures.sort_by_key(|&(at, j, _)| (at, j));
        if parallel {
            // Where no thread is to be had, the refused closure frees them here.
            let (slots, keys) = (self.slots, self.keys);
            let _ = std::thread::Builder::new().spawn(move || drop((slots, keys)));
        }
        Ok((cols, failures.into_iter().map(|(_, j, e)| (j, e)).collect()))
    }

    fn column(&self, t: usize) -> Built {
        let width = self.agg.groups.len();
        if let Some(g) = self.agg.groups.get(t) {
            let cell = |r: usize| self.keys[r * width + t].as_ref().map_or(Cell::Null, |v| Cell::One(v.borrowed()));
            return (build_column(g.ty, self.order.iter().map(|&r| cell(r))), Vec::new());
        }
        let j = t - width;
        self.slots[j].column(&self.order, self.agg.aggs[j].ty)
    }

    /// Every column, this thread and a second one each taking the next not yet taken.
    fn on_two_threads(&self, tasks: usize) -> Result<Vec<Built>, ExecError> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut mine = Vec::new();
            loop {
                let t = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if t >= tasks {
                    return mine;
                }
                mine.push((t, self.column(t)));
            }
        };
        let mut all = std::thread::scope(|s| {
            // A thread the system refuses leaves every column to this one.
            let other = std::thread::Builder::new().spawn_scoped(s, work).ok();
            let mut all = work();
            match other.map(|o| o.join()) {
                Some(Ok(theirs)) => all.extend(theirs),
                Some(Err(_)) => return Err(ExecError::Internal("building the aggregates' columns failed".into())),
                None => {}
            }
            Ok(all)
        })?;
        all.sort_by_key(|(t, _)| *t);
        Ok(all.into_iter().map(|(_, b)| b).collect())
    }
}

/// Group numbers in the order of their `firsts` (batch high, rank low: no two alike), in
/// linear time: a slot per (batch, rank) up to each batch's highest rank, filled with the
/// group first seen there, then read in order. Sorting (first, group) pairs took 15 ms for
/// 350k groups. Sorts when the slots would be too sparse, or two groups share a first.
pub(super) fn by_first(firsts: &[u64]) -> Vec<usize> {
    let sorted = || {
        let mut pairs: Vec<(u64, usize)> = firsts.iter().copied().zip(0..).collect();
        pairs.sort_unstable();
        pairs.into_iter().map(|(_, g)| g).collect()
    };
    let bound = 4 * firsts.len() + 1024;
    let split = |f: u64| ((f >> 32) as usize, (f & u64::from(u32::MAX)) as usize);
    let batches = firsts.iter().map(|&f| split(f).0 + 1).max().unwrap_or(0);
    if batches > bound {
        return sorted();
    }
    let mut start = vec![0usize; batches + 1];
    for &f in firsts {
        let (b, rank) = split(f);
        start[b + 1] = start[b + 1].max(rank + 1);
    }
    for b in 0..batches {
        start[b + 1] += start[b];
    }
    if start[batches] > bound {
        return sorted();
    }
    let mut slots = vec![usize::MAX; start[batches]];
    for (g, &f) in firsts.iter().enumerate() {
        let (b, rank) = split(f);
        let slot = &mut slots[start[b] + rank];
        if *slot != usize::MAX {
            return sorted();
        }
        *slot = g;
    }
    slots.retain(|&g| g != usize::MAX);
    slots
}

#[cfg(test)]
mod tests {
    use super::by_first;

    #[test]
    fn groups_come_out_in_the_order_they_were_first_seen() {
        let pack = |batch: u64, rank: u64| batch << 32 | rank;
        let sorted = |firsts: &[u64]| {
            let mut g: Vec<usize> = (0..firsts.len()).collect();
            g.sort_by_key(|&g| firsts[g]);
            g
        };
        let cases: Vec<Vec<u64>> = vec![
            vec![],
            vec![pack(0, 0)],
            // Two workers' groups merged: holes where a group's first moved to an earlier batch.
            vec![pack(0, 0), pack(2, 1), pack(0, 2), pack(1, 0), pack(2, 0), pack(1, 3), pack(0, 1)],
            // Sparse batches and a clamped rank: the sort decides.
            vec![pack(u64::from(u32::MAX), 0), pack(0, 0), pack(7, 0)],
            vec![pack(3, u64::from(u32::MAX)), pack(3, 0), pack(0, 5)],
            // Two groups with one first (never made so; still ordered, not lost).
            vec![pack(1, 1), pack(0, 0), pack(1, 1)],
            (0..5000u64).map(|i| pack(i.wrapping_mul(2_654_435_761) % 97, i)).collect(),
        ];
        for firsts in cases {
            let got = by_first(&firsts);
            let mut want = sorted(&firsts);
            if got != want {
                // Equal firsts may come in either order; every group must come once.
                want.sort_unstable();
                let mut all = got.clone();
                all.sort_unstable();
                assert_eq!(all, want, "{firsts:?}");
                assert!(got.windows(2).all(|w| firsts[w[0]] <= firsts[w[1]]), "{firsts:?}");
            }
        }
    }
}
