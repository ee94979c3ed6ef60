//! STATS: hash grouping. A multi-valued key puts the row in one group per value (the
//! cartesian product over several keys); null keys form their own group; without BY there
//! is exactly one group, even over no rows. Memory grows with groups, not rows.

mod output;
mod plain;
mod slots;
#[cfg(test)]
mod slots_tests;

use super::eval::{eval, Rows};
use super::warnings::Warnings;
use super::{batch, ExecError};
use crate::plan::Aggregate;
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::RecordBatch;
use hashbrown::HashTable;
use output::{by_first, Columns};
use slots::Slots;

pub(super) type Key = Vec<Option<Value<'static>>>;

/// Running state of one STATS. Groups are numbered in first-seen order; their keys live in
/// a flat vector (`width` key values per group), each aggregate's state in [`Slots`] indexed
/// by group, and the hash table holds only group numbers, so a key is stored once and a
/// group costs no allocation of its own beyond its key's strings and boxed aggregates.
pub struct AggState {
    table: HashTable<usize>,
    /// Each group's key hash, kept so that neither growing the table nor merging workers'
    /// states hashes a key again (rehashing 350k string keys as the table grew was 5% of a
    /// high-cardinality STATS).
    hashes: Vec<u64>,
    width: usize,
    keys: Vec<Option<Value<'static>>>,
    slots: Vec<Slots>,
    /// Per group, where it was first seen: (input batch, rank among the groups that batch
    /// made), to restore a single pass's order after merging workers' states.
    /// Packed into one `u64` (batch high, rank low): a group costs 8 bytes here, not 16.
    firsts: Vec<u64>,
    batch: u64,
    made: u64,
}

impl AggState {
    /// An empty state; without BY the single group exists from the start.
    pub fn new(agg: &Aggregate) -> AggState {
        let mut s = AggState {
            table: HashTable::new(),
            hashes: vec![],
            width: agg.groups.len(),
            keys: vec![],
            slots: agg.aggs.iter().map(Slots::new).collect(),
            firsts: vec![],
            batch: 0,
            made: 0,
        };
        if agg.groups.is_empty() {
            s.group(&[]);
        }
        s
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.firsts.len()
    }

    fn key(&self, g: usize) -> &[Option<Value<'static>>] {
        &self.keys[g * self.width..(g + 1) * self.width]
    }

    fn find(&self, key: &[Option<Value<'_>>]) -> (u64, Option<usize>) {
        let hash = crate::types::value::keyed_hasher().hash_one(key);
        (hash, self.find_hashed(hash, key))
    }

    fn find_hashed(&self, hash: u64, key: &[Option<Value<'_>>]) -> Option<usize> {
        self.table.find(hash, |&g| self.hashes[g] == hash && self.key(g) == key).copied()
    }

    /// Adds group `len()` under `hash`; its key must already be pushed.
    fn insert(&mut self, hash: u64, first: u64) -> usize {
        let g = self.firsts.len();
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, g, |&h| hashes[h]);
        self.firsts.push(first);
        g
    }

    /// The group of `key`, made when new; the key is copied only then (a borrowed key
    /// per row spared a string allocation per row of a high-cardinality BY).
    fn group(&mut self, key: &[Option<Value<'_>>]) -> usize {
        let (hash, found) = self.find(key);
        if let Some(g) = found {
            return g;
        }
        self.keys.extend(key.iter().map(|k| k.clone().map(Value::into_owned)));
        self.slots.iter_mut().for_each(Slots::push);
        let g = self.insert(hash, (self.batch << 32) | self.made.min(u64::from(u32::MAX)));
        self.made += 1;
        g
    }

    /// Pushes to `out` the groups of a row whose key values are `cells`: one per
    /// combination when a key is multi-valued, else the one (`cells` may be drained; `key`
    /// is scratch space, kept by the caller so that no row allocates).
    fn groups_of<'a>(&mut self, cells: &mut Vec<Cell<'a>>, key: &mut Vec<Option<Value<'a>>>, out: &mut Vec<usize>) {
        if cells.iter().any(|c| matches!(c, Cell::Many(_))) {
            for k in expand_keys(cells) {
                out.push(self.group(&k));
            }
        } else {
            key.clear();
            key.extend(cells.drain(..).map(|c| match c {
                Cell::One(v) => Some(v),
                _ => None,
            }));
            out.push(self.group(key));
        }
    }

    /// The following rows are those of input batch `seq`.
    pub fn start_batch(&mut self, seq: u64) {
        (self.batch, self.made) = (seq.min(u64::from(u32::MAX)), 0);
    }

    /// Folds one batch in.
    pub fn update(&mut self, agg: &Aggregate, b: &RecordBatch, input: &[ColumnDef], now: i64, w: &mut Warnings) {
        let rows = Rows::new(b, input, now);
        if self.update_plain(agg, &rows, b.num_rows()) {
            return;
        }
        let counted = Cell::One(Value::Bool(true));
        // Reused across rows: a fresh Vec per row and aggregate showed in profiles.
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(4);
        let mut groups: Vec<usize> = Vec::with_capacity(1);
        // The key of a row, its values borrowed from the batch: a key is copied only when
        // it makes a group (owned copies per row and key were a fifth of a two-key STATS).
        let mut key_cells: Vec<Cell<'_>> = Vec::with_capacity(agg.groups.len());
        let mut key: Vec<Option<Value<'_>>> = Vec::with_capacity(agg.groups.len());
        for r in 0..b.num_rows() {
            groups.clear();
            key_cells.clear();
            key_cells.extend(agg.groups.iter().map(|g| eval(g, &rows, r, w)));
            self.groups_of(&mut key_cells, &mut key, &mut groups);
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
                    self.slots[j].add(g, &cells);
                }
            }
        }
    }

    /// Folds in the state of later rows (a worker's batch). Its new groups are numbered
    /// after ours; each group keeps the earliest place it was first seen, from which
    /// [`Self::finish`] restores the order a single pass gives.
    pub fn merge(&mut self, mut other: AggState) {
        let w = other.width;
        let hashes = &self.hashes;
        self.table.reserve(other.len(), |&h| hashes[h]);
        // Their group g is our group into[g]; new ones are numbered in their order.
        let mut into = Vec::with_capacity(other.len());
        for (g, first) in other.firsts.iter().enumerate() {
            let key = &mut other.keys[g * w..(g + 1) * w];
            // Every state of the process hashes with the same seeds: their hashes are ours.
            let hash = other.hashes[g];
            into.push(match self.find_hashed(hash, key) {
                Some(mine) => {
                    self.firsts[mine] = self.firsts[mine].min(*first);
                    mine
                }
                None => {
                    self.keys.extend(key.iter_mut().map(std::mem::take));
                    self.insert(hash, *first)
                }
            });
        }
        for (mine, theirs) in self.slots.iter_mut().zip(other.slots) {
            mine.merge(theirs, &into);
        }
    }

    /// Merges `states` into one, the largest taking in the others (the least copying and
    /// the lowest peak memory). Group numbers then follow no order; [`Self::finish`]
    /// restores the one a single pass gives from where each group was first seen.
    pub fn merge_all(mut states: Vec<AggState>) -> Option<AggState> {
        let largest = (0..states.len()).max_by_key(|&k| states[k].len())?;
        let mut base = states.swap_remove(largest);
        for s in states {
            base.merge(s);
        }
        Some(base)
    }

    /// The groups in output order: first seen first (a merged state numbers them out of
    /// that order), except that Elasticsearch's hash gives the null key the first id.
    /// An order, not a reordering of the groups: moving 350k keys and accumulators was
    /// a serial pass after every parallel STATS.
    fn output_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> =
            if self.firsts.is_sorted() { (0..self.len()).collect() } else { by_first(&self.firsts) };
        if self.width == 1 {
            // Found in group order, then in output order: reading keys in output order
            // was a cache miss per group.
            if let Some(null) = self.keys.iter().position(Option::is_none) {
                if let Some(p) = order.iter().position(|&g| g == null) {
                    order[..=p].rotate_right(1);
                }
            }
        }
        order
    }

    /// The result: one row per group, aggregates then keys. Each column is a pass over
    /// memory scattered group by group (35 ms for 350k string keys), so [`Columns::build`]
    /// uses two threads for many groups when `threads` allows.
    pub fn finish(
        mut self,
        agg: &Aggregate,
        schema: &[ColumnDef],
        threads: usize,
        w: &mut Warnings,
    ) -> Result<RecordBatch, ExecError> {
        let order = self.output_order();
        (self.table, self.hashes, self.firsts) = (HashTable::new(), Vec::new(), Vec::new());
        let (slots, keys) = (std::mem::take(&mut self.slots), std::mem::take(&mut self.keys));
        let rows = order.len();
        let (cols, failures) = Columns { agg, order, slots, keys }.build(threads)?;
        for (j, e) in failures {
            w.add(&agg.aggs[j].origin, &e);
        }
        batch(schema, cols, rows)
    }
}

/// Every combination of the keys' values (a null key is one null value), borrowed from
/// the cells.
pub(super) fn expand_keys<'a>(cells: &[Cell<'a>]) -> Vec<Vec<Option<Value<'a>>>> {
    let mut out: Vec<Vec<Option<Value<'a>>>> = vec![Vec::with_capacity(cells.len())];
    for c in cells {
        let options: Vec<Option<Value<'a>>> = match c {
            Cell::Null => vec![None],
            Cell::One(v) => vec![Some(v.clone())],
            Cell::Many(vs) => {
                let mut uniq: Vec<Option<Value<'a>>> = Vec::new();
                for v in vs {
                    let v = Some(v.clone());
                    if !uniq.contains(&v) {
                        uniq.push(v);
                    }
                }
                uniq
            }
        };
        out = out
            .iter()
            .flat_map(|prefix| {
                options.iter().map(move |o| {
                    let mut k = prefix.clone();
                    k.push(o.clone());
                    k
                })
            })
            .collect();
    }
    out
}
