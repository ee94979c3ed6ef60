//! Documents to record batches: the needed fields of each line are found by the byte
//! scanner, read in the index's type, and appended to column builders. Owned data only, so
//! decoders run on worker threads.

use crate::io::json::{coerce, normalize, plain_string, plain_strings, walk};
use crate::io::ndjson::index_plan::{Fill, IndexPlan};
use crate::io::ndjson::scanner::{scan, Stopped, Visitor, Want};
use crate::io::scan::watch::Observed;
use crate::types::column::{record_batch, ColumnBuilder};
use crate::types::text_form::{parse_date, parse_ip};
use crate::types::{ColumnDef, EsType, Value};
use arrow::array::{ArrayRef, NullArray, RecordBatch};
use serde_json::Value as Json;
use std::borrow::Cow;

use std::sync::Arc;

/// Builds one batch of one index from document lines.
pub struct Decoder {
    plan: Arc<IndexPlan>,
    columns: Arc<Vec<ColumnDef>>,
    builders: Vec<Option<ColumnBuilder>>,
    slots: Vec<Vec<Value<'static>>>,
    /// Values that did not fit their field's type, per column.
    pub malformed: Vec<u64>,
    /// The same for the row being read (counted once the row is kept).
    row_bad: Vec<u64>,
    /// Trie nodes of the fields the row being read has given values to.
    row_nodes: Vec<u32>,
    /// Columns the row being read holds more than once.
    row_repeated: Vec<usize>,
    /// Kept documents that held a column more than once, per column.
    repeated: Vec<u64>,
    /// What the values of watched columns were, per column (see `io::scan::watch`).
    observed: Vec<Observed>,
    rows: usize,
}

struct Collect<'d> {
    d: &'d mut Decoder,
    error: Option<String>,
    /// Stop at a prefilter test's field when it rejects the row.
    prefilter: bool,
    /// The test that stopped the scan.
    stopped_by: Option<usize>,
}

impl Visitor for Collect<'_> {
    fn want(&mut self, parent: u32, key: &[u8]) -> (Want, u32) {
        let plan = &*self.d.plan;
        match plan.trie.member(parent, key).and_then(|n| Some((plan.trie.node(n)?.want, n))) {
            Some(found) => found,
            None => (Want::Skip, 0),
        }
    }

    fn take(&mut self, node: u32, raw: &[u8]) -> bool {
        self.note_repeat(node);
        self.read(node, raw);
        if !self.prefilter {
            return true;
        }
        // Only a test of this field can stop the scan: the others' fields may come later.
        let d = &*self.d;
        for (i, p) in d.plan.pre.iter().enumerate() {
            if p.node == node && !d.passes(i) {
                self.stopped_by = Some(i);
                return false;
            }
        }
        true
    }
}

impl Collect<'_> {
    /// A field met a second time in one document (`{"a":1,"a":2}`, or `a.b` both dotted and
    /// nested) merges into one multi-value; it is counted so that a load warning says so.
    fn note_repeat(&mut self, node: u32) {
        let d = &mut *self.d;
        if !d.row_nodes.contains(&node) {
            d.row_nodes.push(node);
            return;
        }
        let Some((target, _)) = d.plan.trie.node(node).and_then(|n| n.target.as_ref()) else { return };
        for &k in &target.cols {
            if !d.row_repeated.contains(&k) {
                d.row_repeated.push(k);
            }
        }
    }

    fn read(&mut self, node: u32, raw: &[u8]) {
        let d = &mut *self.d;
        let plan = &*d.plan;
        let Some((target, path)) = plan.trie.node(node).and_then(|n| n.target.as_ref()) else { return };
        if !plan.watched.is_empty() {
            for &k in target.cols.iter().filter(|&&k| plan.watched[k]) {
                d.observed[k].note(raw);
            }
        }
        let plain = plain_string(raw);
        if target.simple {
            if let Some(s) = plain {
                read_plain(s, plan, &target.cols, &mut d.slots, &mut d.row_bad);
                return;
            }
            if let Some(s) = crate::io::json::escaped_string(raw) {
                read_plain(&s, plan, &target.cols, &mut d.slots, &mut d.row_bad);
                return;
            }
            // Arrays of plain strings (`event.category`, `tags`) need no JSON value either.
            if let Some(items) = plain_strings(raw) {
                for s in items {
                    read_plain(s, plan, &target.cols, &mut d.slots, &mut d.row_bad);
                }
                return;
            }
        }
        let json = match plain {
            Some(s) => Json::String(s.to_string()),
            None => match crate::io::json::parse_value(raw) {
                Ok(j) => j,
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            },
        };
        let stop = |p: &str| plan.leaf_objects.contains(p);
        let (slots, malformed) = (&mut d.slots, &mut d.row_bad);
        walk(&json, &mut path.to_string(), &stop, &mut |p, leaf| {
            let Some(target) = plan.paths.get(p.as_bytes()) else { return };
            for &k in &target.cols {
                if let (Fill::Id | Fill::IndexName, Some(id)) = (&plan.fills[k], leaf.as_str()) {
                    slots[k].push(Value::Str(Cow::Owned(id.to_string())));
                    continue;
                }
                if let (Fill::Version, Some(v)) = (&plan.fills[k], leaf.as_i64()) {
                    slots[k].push(Value::Long(v));
                    continue;
                }
                let Fill::Field { own, out, .. } = plan.fills[k] else { continue };
                match read_leaf(leaf, own, out) {
                    Some(v) => slots[k].push(v),
                    None if own != EsType::Unsupported => malformed[k] += 1,
                    None => {}
                }
            }
        });
    }
}

/// A plain string into columns that read it the simple way, without building a JSON value.
fn read_plain(s: &str, plan: &IndexPlan, cols: &[usize], slots: &mut [Vec<Value<'static>>], malformed: &mut [u64]) {
    for &k in cols {
        let Fill::Field { own, .. } = plan.fills[k] else { continue };
        let v = match own {
            EsType::Keyword => Some(Value::Str(Cow::Owned(s.to_string()))),
            EsType::Ip => parse_ip(s).map(Value::Ip),
            _ => parse_date(s).or_else(|| s.trim().parse::<i64>().ok()).map(Value::Date),
        };
        match v {
            Some(v) => slots[k].push(v),
            None => malformed[k] += 1,
        }
    }
}

/// A leaf in this index's type, then as the column's type (a union column reads text).
fn read_leaf(leaf: &Json, own: EsType, out: EsType) -> Option<Value<'static>> {
    // A field of a type ES|QL cannot read (a range), asked for as text by an ENRICH policy
    // that matches on it: its JSON.
    if own == EsType::Unsupported && out == EsType::Keyword {
        return Some(Value::Str(Cow::Owned(leaf.as_str().map_or_else(|| leaf.to_string(), str::to_string))));
    }
    let v = coerce(leaf, own)?;
    if own == out {
        return Some(v);
    }
    Some(Value::Str(Cow::Owned(v.render())))
}

fn builders(plan: &IndexPlan, columns: &[ColumnDef]) -> Vec<Option<ColumnBuilder>> {
    plan.fills
        .iter()
        .zip(columns)
        .map(|(f, c)| match f {
            Fill::Skip => None,
            Fill::Field { out, .. } => Some(ColumnBuilder::new(*out)),
            _ => Some(ColumnBuilder::new(c.ty)),
        })
        .collect()
}

impl Decoder {
    /// A decoder for batches of `columns` from the index `plan`.
    pub fn new(plan: Arc<IndexPlan>, columns: Arc<Vec<ColumnDef>>) -> Decoder {
        let n = plan.fills.len();
        let watched = plan.watched.len();
        Decoder {
            builders: builders(&plan, &columns),
            plan,
            columns,
            slots: vec![Vec::new(); n],
            malformed: vec![0; n],
            row_nodes: Vec::new(),
            row_repeated: Vec::new(),
            repeated: vec![0; n],
            observed: vec![Observed::default(); watched],
            row_bad: vec![0; n],
            rows: 0,
        }
    }

    /// The columns it builds.
    pub fn columns(&self) -> &[ColumnDef] {
        &self.columns
    }

    /// Rows added so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds the document on `line`; `line_no` names it for `_id`. A malformed line adds
    /// nothing and returns why.
    /// Returns false for a row the prefilter rejects (not added).
    pub fn add(&mut self, line: &[u8], line_no: u64) -> Result<bool, crate::io::Error> {
        let mut stopped = self.scan_row(line, true)?;
        if let Some((at, test)) = &stopped {
            if !self.plan.pre[*test].tail.is_inert(line, at) {
                // The field may come again (or the line is broken): read it all.
                self.end_row(false, false);
                stopped = self.scan_row(line, false)?;
            }
        }
        if stopped.is_some() || !self.row_may_pass() {
            self.end_row(false, true);
            return Ok(false);
        }
        self.push_row(line, line_no);
        self.end_row(true, true);
        Ok(true)
    }

    /// Reads the row's fields; where a prefilter test stopped the scan, and which test.
    fn scan_row(&mut self, line: &[u8], prefilter: bool) -> Result<Option<(Stopped, usize)>, crate::io::Error> {
        let mut v = Collect { d: self, error: None, prefilter, stopped_by: None };
        let scanned = scan(line, &mut v);
        let (error, test) = (v.error.take(), v.stopped_by);
        match (scanned, error) {
            (Err(e), _) => Err(crate::io::Error::Data(e.to_string())),
            (_, Some(e)) => Err(crate::io::Error::Data(e)),
            (Ok(at), None) => Ok(at.zip(test)),
        }
        .inspect_err(|_| self.end_row(false, false))
    }

    /// False when the row read so far fails a prefilter test (see `passes`).
    fn row_may_pass(&self) -> bool {
        (0..self.plan.pre.len()).all(|i| self.passes(i))
    }

    /// False when the row read so far has one value of test `i`'s field and it fails, or
    /// none: the WHERE drops it (unless a later value makes the field multi-valued).
    fn passes(&self, i: usize) -> bool {
        let pre = &self.plan.pre[i];
        match self.slots[pre.filter.column].as_slice() {
            [v] => pre.filter.passes(v),
            [] => false,
            _ => true,
        }
    }

    /// Clears the row's values; its malformed counts are kept when `kept`, and those of the
    /// prefilter's fields also when `rejected` (they are why the row went).
    fn end_row(&mut self, kept: bool, rejected: bool) {
        let plan = &*self.plan;
        if rejected && !kept {
            for p in &plan.pre {
                self.malformed[p.filter.column] += std::mem::take(&mut self.row_bad[p.filter.column]);
            }
        }
        // Only the columns read can hold anything.
        for &k in &plan.active {
            let bad = std::mem::take(&mut self.row_bad[k]);
            if kept {
                self.malformed[k] += bad;
            }
            self.slots[k].clear();
        }
        self.row_nodes.clear();
        for k in self.row_repeated.drain(..) {
            self.repeated[k] += u64::from(kept);
        }
    }

    /// Appends the row read to the column builders.
    fn push_row(&mut self, line: &[u8], line_no: u64) {
        let plan = &*self.plan;
        for &k in &plan.active {
            let Some(b) = self.builders[k].as_mut() else { continue };
            // The slot keeps its capacity from row to row.
            let values = &mut self.slots[k];
            match &plan.fills[k] {
                Fill::Field { constant: Some(c), .. } if values.is_empty() => {
                    b.push_values(&[Value::Str(Cow::Borrowed(c.as_str()))])
                }
                Fill::Field { out, normalizer, .. } => {
                    if let Some(n) = normalizer {
                        values.retain_mut(|v| match v {
                            Value::Str(s) => n.apply(s).map(|t| *s = Cow::Owned(t)).is_some(),
                            _ => true,
                        });
                    }
                    // Values given back from doc values come sorted, each once.
                    normalize(values, if normalizer.is_some() { EsType::Keyword } else { *out });
                    b.push_values(values);
                    values.clear();
                }
                // A document's own `_index` (a dump's hit) wins over the file's index name.
                Fill::IndexName if !values.is_empty() => {
                    b.push_values(values);
                    values.clear();
                }
                Fill::IndexName => b.push_values(&[Value::Str(Cow::Borrowed(plan.name.as_str()))]),
                Fill::Id if !values.is_empty() => {
                    b.push_values(values);
                    values.clear();
                }
                Fill::Id => b.push_values(&[Value::Str(Cow::Owned(format!("{}:{line_no}", plan.name)))]),
                Fill::Score => b.push_values(&[Value::Double(0.0)]),
                Fill::Version if !values.is_empty() => {
                    b.push_values(values);
                    values.clear();
                }
                Fill::Version => b.push_values(&[Value::Long(1)]),
                Fill::Source => b.push_values(&[Value::Str(crate::types::source::of_line(line))]),
                _ => b.push_values(&[]),
            }
        }
        self.rows += 1;
    }

    /// The batch of the rows added, and a fresh decoder state.
    pub fn finish(&mut self) -> Result<RecordBatch, crate::io::Error> {
        let n = self.rows;
        let fresh = builders(&self.plan, &self.columns);
        let old = std::mem::replace(&mut self.builders, fresh);
        self.rows = 0;
        let cols = old
            .into_iter()
            .zip(self.columns.iter())
            // A column no query step reads is an untyped null array: free to filter and
            // slice, and the same type in every batch.
            .map(|(b, _)| b.map_or_else(|| Arc::new(NullArray::new(n)) as ArrayRef, ColumnBuilder::finish))
            .collect();
        record_batch(&self.columns, cols, n).map_err(|e| crate::io::Error::Internal(e.to_string()))
    }

    /// Takes the malformed-value counts as (column, count).
    /// The type a malformed value of column `k` failed to be: this index's own type for the
    /// field (a column whose types differ between indices is `unsupported` as a whole).
    pub fn own_type(&self, k: usize) -> EsType {
        match self.plan.fills.get(k) {
            Some(Fill::Field { own, .. }) => *own,
            _ => self.columns[k].ty,
        }
    }

    /// Per column, the kept documents that held it more than once, since last asked.
    pub fn take_repeated(&mut self) -> Vec<(usize, u64)> {
        take_counts(&mut self.repeated)
    }

    /// Per watched column, what its values were since last asked.
    pub fn take_observed(&mut self) -> Vec<(usize, Observed)> {
        let seen = self.observed.iter_mut().enumerate().filter(|(_, o)| o.seen);
        seen.map(|(k, o)| (k, std::mem::take(o))).collect()
    }

    /// Per column, the malformed values since last asked.
    pub fn take_malformed(&mut self) -> Vec<(usize, u64)> {
        take_counts(&mut self.malformed)
    }
}

/// The non-zero counts, by column, and the counts reset.
fn take_counts(counts: &mut [u64]) -> Vec<(usize, u64)> {
    counts.iter_mut().enumerate().filter(|(_, n)| **n > 0).map(|(k, n)| (k, std::mem::take(n))).collect()
}
