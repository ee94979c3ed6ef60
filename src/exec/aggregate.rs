//! STATS: hash grouping. A multi-valued key puts the row in one group per value (the
//! cartesian product over several keys); null keys form their own group; without BY there
//! is exactly one group, even over no rows. Memory grows with groups, not rows.

use super::eval::{eval, Rows};
use super::warnings::Warnings;
use super::{batch, ExecError};
use crate::functions::aggregate::Accumulator;
use crate::plan::Aggregate;
use crate::types::column::build_column;
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::RecordBatch;
use std::collections::HashMap;

type Key = Vec<Option<Value<'static>>>;

/// Running state of one STATS.
pub struct AggState {
    groups: HashMap<Key, usize, ahash::RandomState>,
    keys: Vec<Key>,
    accs: Vec<Vec<Box<dyn Accumulator>>>,
    /// Per group, where it was first seen: (input batch, rank among the groups that batch
    /// made), to restore a single pass's order after merging workers' states.
    firsts: Vec<(u64, u64)>,
    batch: u64,
    made: u64,
}

impl AggState {
    /// An empty state; without BY the single group exists from the start.
    pub fn new(agg: &Aggregate) -> AggState {
        let mut s =
            AggState { groups: HashMap::default(), keys: vec![], accs: vec![], firsts: vec![], batch: 0, made: 0 };
        if agg.groups.is_empty() {
            s.group(agg, Vec::new());
        }
        s
    }

    fn group(&mut self, agg: &Aggregate, key: Key) -> usize {
        if let Some(&g) = self.groups.get(&key) {
            return g;
        }
        let accs = agg.aggs.iter().map(|a| (a.make)(a.arg_ty, a.ty)).collect();
        let g = self.keys.len();
        self.groups.insert(key.clone(), g);
        self.keys.push(key);
        self.accs.push(accs);
        self.firsts.push((self.batch, self.made));
        self.made += 1;
        g
    }

    /// The following rows are those of input batch `seq`.
    pub fn start_batch(&mut self, seq: u64) {
        (self.batch, self.made) = (seq, 0);
    }

    /// Folds one batch in.
    pub fn update(&mut self, agg: &Aggregate, b: &RecordBatch, input: &[ColumnDef], now: i64, w: &mut Warnings) {
        let rows = Rows::new(b, input, now);
        let counted = Cell::One(Value::Bool(true));
        // Reused across rows: a fresh Vec per row and aggregate showed in profiles.
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(4);
        let mut groups: Vec<usize> = Vec::with_capacity(1);
        for r in 0..b.num_rows() {
            groups.clear();
            match agg.groups.as_slice() {
                [one] => match eval(one, &rows, r, w) {
                    Cell::Many(vs) => {
                        let keys = expand_keys(&[Cell::Many(vs)]);
                        groups.extend(keys.into_iter().map(|k| self.group(agg, k)));
                    }
                    c => {
                        let key = vec![c.values().first().map(|v| v.clone().into_owned())];
                        groups.push(self.group(agg, key));
                    }
                },
                many => {
                    let key_cells: Vec<Cell<'_>> = many.iter().map(|g| eval(g, &rows, r, w)).collect();
                    groups.extend(expand_keys(&key_cells).into_iter().map(|k| self.group(agg, k)));
                }
            }
            for (j, call) in agg.aggs.iter().enumerate() {
                if let Some(f) = &call.filter {
                    if !matches!(eval(f, &rows, r, w), Cell::One(Value::Bool(true))) {
                        continue;
                    }
                }
                cells.clear();
                if call.args.is_empty() {
                    cells.push(counted.clone());
                } else {
                    cells.extend(call.args.iter().map(|a| eval(a, &rows, r, w)));
                }
                for &g in &groups {
                    self.accs[g][j].add(&cells);
                }
            }
        }
    }

    /// Folds in the state of later rows (a worker's batch): its groups in their first-seen
    /// order, so the merged order is the one a single pass gives.
    pub fn merge(&mut self, other: AggState) {
        for ((key, accs), first) in other.keys.into_iter().zip(other.accs).zip(other.firsts) {
            match self.groups.get(&key) {
                Some(&g) => {
                    self.accs[g].iter_mut().zip(accs).for_each(|(mine, theirs)| mine.merge(theirs));
                    self.firsts[g] = self.firsts[g].min(first);
                }
                None => {
                    self.groups.insert(key.clone(), self.keys.len());
                    self.keys.push(key);
                    self.accs.push(accs);
                    self.firsts.push(first);
                }
            }
        }
    }

    /// Puts the groups in the order they were first seen (after merging).
    pub fn sort_by_first_seen(&mut self) {
        let keys = std::mem::take(&mut self.keys);
        let accs = std::mem::take(&mut self.accs);
        let mut groups: Vec<_> = keys.into_iter().zip(accs).zip(std::mem::take(&mut self.firsts)).collect();
        groups.sort_by_key(|(_, first)| *first);
        for (g, ((key, accs), first)) in groups.into_iter().enumerate() {
            self.groups.insert(key.clone(), g);
            self.keys.push(key);
            self.accs.push(accs);
            self.firsts.push(first);
        }
    }

    /// The result: one row per group, aggregates then keys.
    pub fn finish(mut self, agg: &Aggregate, schema: &[ColumnDef]) -> Result<RecordBatch, ExecError> {
        // Elasticsearch's hash gives the null key the first id; the rest keep first-seen order.
        if agg.groups.len() == 1 {
            if let Some(p) = self.keys.iter().position(|k| k.first().is_some_and(Option::is_none)) {
                let key = self.keys.remove(p);
                self.keys.insert(0, key);
                let accs = self.accs.remove(p);
                self.accs.insert(0, accs);
            }
        }
        let n = self.keys.len();
        let mut cols = Vec::with_capacity(schema.len());
        for (j, call) in agg.aggs.iter().enumerate() {
            cols.push(build_column(call.ty, self.accs.iter().map(|a| a[j].finish())));
        }
        for (k, g) in agg.groups.iter().enumerate() {
            cols.push(build_column(g.ty, self.keys.iter().map(|key| key[k].clone().map_or(Cell::Null, Cell::One))));
        }
        batch(schema, cols, n)
    }
}

/// Every combination of the keys' values (a null key is one null value).
fn expand_keys(cells: &[Cell<'_>]) -> Vec<Key> {
    let mut out: Vec<Key> = vec![Vec::with_capacity(cells.len())];
    for c in cells {
        let options: Vec<Option<Value<'static>>> = match c {
            Cell::Null => vec![None],
            Cell::One(v) => vec![Some(v.clone().into_owned())],
            Cell::Many(vs) => {
                let mut uniq: Vec<Option<Value<'static>>> = Vec::new();
                for v in vs {
                    let v = Some(v.clone().into_owned());
                    if !uniq.contains(&v) {
                        uniq.push(v);
                    }
                }
                uniq
            }
        };
        out = out
            .into_iter()
            .flat_map(|prefix| options.iter().map(move |o| [prefix.clone(), vec![o.clone()]].concat()))
            .collect();
    }
    out
}
