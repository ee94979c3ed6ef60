//! ENRICH at run time: the policy's source documents, read when the first row comes, keyed
//! by their match field (`match`: its text; `range`: the range it holds, a CIDR block or
//! `{"gte": .., "lt": ..}`), and each row given the enrich fields of every document its
//! value (any of its values) matches, several documents' values together.

use super::{batch, concat, ExecError, Tables};
use crate::plan::Enrich;
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::{ArrayRef, RecordBatch};
use serde_json::Value as Json;
use std::collections::HashMap;

/// One source document's range: bounds as written, each inclusive or not, or a block.
struct Range {
    lower: Option<(Json, bool)>,
    upper: Option<(Json, bool)>,
    block: Option<crate::functions::ip::Block>,
}

/// The source documents of a policy, by what they match.
pub(super) struct EnrichTable {
    table: Option<RecordBatch>,
    by_text: HashMap<String, Vec<usize>>,
    ranges: Vec<(Range, usize)>,
}

impl EnrichTable {
    /// Reads the policy's sources.
    pub(super) fn load(step: &Enrich, tables: &dyn Tables) -> Result<EnrichTable, ExecError> {
        let mut batches = Vec::new();
        for index in &step.indices {
            batches.extend(tables.read(index, &step.columns)?);
        }
        let table = concat(&batches, &step.columns)?;
        let (mut by_text, mut ranges) = (HashMap::<String, Vec<usize>>::new(), Vec::new());
        if let Some(t) = &table {
            let reader = ColumnReader::new(t.column(0).as_ref(), step.columns[0].ty);
            for row in 0..t.num_rows() {
                for v in reader.cell(row).values() {
                    let text = v.render();
                    if step.range {
                        ranges.extend(parse_range(&text).map(|r| (r, row)));
                    } else {
                        by_text.entry(text).or_default().push(row);
                    }
                }
            }
        }
        Ok(EnrichTable { table, by_text, ranges })
    }

    /// The rows of `b` with the enrich fields added.
    pub(super) fn enrich(
        &self,
        step: &Enrich,
        b: &RecordBatch,
        input: &[ColumnDef],
        out: &[ColumnDef],
    ) -> Result<RecordBatch, ExecError> {
        let reader = ColumnReader::new(b.column(step.input).as_ref(), input[step.input].ty);
        let fields: Vec<Option<ColumnReader<'_>>> = step
            .outputs
            .iter()
            .map(|&c| self.table.as_ref().map(|t| ColumnReader::new(t.column(c).as_ref(), step.columns[c].ty)))
            .collect();
        let mut builders: Vec<ColumnBuilder> =
            step.outputs.iter().map(|&c| ColumnBuilder::new(step.columns[c].ty)).collect();
        for row in 0..b.num_rows() {
            let matched = self.matches(step, &reader.cell(row));
            for (builder, field) in builders.iter_mut().zip(&fields) {
                let values: Vec<Value<'_>> = match field {
                    Some(f) => matched.iter().flat_map(|&m| f.cell(m).values().to_vec()).collect(),
                    None => Vec::new(),
                };
                builder.push_values(&values);
            }
        }
        let mut cols: Vec<ArrayRef> = step.keep.iter().map(|&k| b.column(k).clone()).collect();
        cols.extend(builders.into_iter().map(ColumnBuilder::finish));
        batch(out, cols, b.num_rows())
    }

    /// The source rows any value of `cell` matches, in source order, each once.
    fn matches(&self, step: &Enrich, cell: &Cell<'_>) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        for v in cell.values() {
            if step.range {
                found.extend(self.ranges.iter().filter(|(r, _)| contains(r, v)).map(|(_, row)| *row));
            } else if let Some(rows) = self.by_text.get(&v.render()) {
                found.extend(rows);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// A range field's value: a CIDR block (`ip_range`), or its JSON object of bounds.
fn parse_range(text: &str) -> Option<Range> {
    if let Some(block) = crate::functions::ip::Block::parse(text) {
        return Some(Range { lower: None, upper: None, block: Some(block) });
    }
    let doc: Json = serde_json::from_str(text).ok()?;
    let bound = |keys: [(&str, bool); 3]| {
        keys.iter().find_map(|(k, inc)| doc.get(*k).filter(|v| !v.is_null()).map(|v| (v.clone(), *inc)))
    };
    let lower = bound([("gte", true), ("gt", false), ("from", true)]);
    let upper = bound([("lte", true), ("lt", false), ("to", true)]);
    Some(Range { lower, upper, block: None })
}

/// Whether the range holds `v`, each bound read in the value's type.
fn contains(r: &Range, v: &Value<'_>) -> bool {
    use std::cmp::Ordering::*;
    if let Some(block) = &r.block {
        return matches!(v, Value::Ip(ip) if block.contains(ip));
    }
    let side = |bound: &Option<(Json, bool)>, past: std::cmp::Ordering| match bound {
        None => true,
        Some((b, inclusive)) => match compare(v, b) {
            Some(o) if o == past => true,
            Some(Equal) => *inclusive,
            _ => false,
        },
    };
    side(&r.lower, Greater) && side(&r.upper, Less)
}

/// `v` against a bound written in JSON, in `v`'s type.
fn compare(v: &Value<'_>, bound: &Json) -> Option<std::cmp::Ordering> {
    let text = bound.as_str().map_or_else(|| bound.to_string(), str::to_string);
    match v {
        Value::Ip(ip) => Some(ip.cmp(&crate::types::text_form::parse_ip(&text)?)),
        Value::Date(ms) => {
            let b = crate::types::text_form::parse_date(&text).or_else(|| text.parse::<i64>().ok())?;
            Some(ms.cmp(&b))
        }
        other => other.as_f64()?.partial_cmp(&text.trim().parse::<f64>().ok()?),
    }
}
