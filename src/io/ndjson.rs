//! Streaming NDJSON (optionally gzipped) into record batches of the union schema. Only the
//! columns a query needs are decoded; memory is one batch of documents at a time.

use super::json::{coerce, to_cell, walk};
use super::schema::is_leaf_object;
use super::{DataDir, FieldInfo, Index};
use crate::types::column::{record_batch, ColumnBuilder};
use crate::types::{Cell, ColumnDef, EsType, Value};
use arrow::array::{new_null_array, RecordBatch};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What to do with a line that is not valid JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop with `file:line: error`.
    #[default]
    Fail,
    /// Skip it and count it.
    Skip,
}

/// What a scan read, for progress and load-time warnings.
#[derive(Clone, Debug, Default)]
pub struct ScanStats {
    /// Bytes of input read (uncompressed).
    pub bytes: u64,
    /// Documents read.
    pub docs: u64,
    /// Malformed lines skipped, per file.
    pub skipped: BTreeMap<PathBuf, u64>,
    /// Values that did not fit their field's type, per (file, field, type).
    pub malformed: BTreeMap<(PathBuf, String, EsType), u64>,
}

impl ScanStats {
    /// Load-time warnings: skipped lines and values read as null.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (file, n) in &self.skipped {
            out.push(format!("{}: skipped {n} malformed line(s) (--on-error skip)", file.display()));
        }
        for ((file, field, ty), n) in &self.malformed {
            out.push(format!(
                "{}: {n} value(s) of [{field}] are not valid {ty} and were read as null (ignore_malformed)",
                file.display()
            ));
        }
        out
    }
}

const BATCH_ROWS: usize = 8192;
const READ_BUFFER: usize = 1 << 20;

fn open(path: &Path) -> Result<Box<dyn BufRead>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(READ_BUFFER, raw)))
}

/// Reads the next non-blank line into `buf`; false at the end.
fn next_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, line_no: &mut u64, path: &Path) -> Result<bool, String> {
    loop {
        buf.clear();
        let n = r.read_until(b'\n', buf).map_err(|e| format!("{}:{}: {e}", path.display(), *line_no + 1))?;
        if n == 0 {
            return Ok(false);
        }
        *line_no += 1;
        if buf.iter().any(|b| !b.is_ascii_whitespace()) {
            return Ok(true);
        }
    }
}

fn parse_line(buf: &[u8], path: &Path, line_no: u64) -> Result<Json, String> {
    let doc: Json = serde_json::from_slice(buf).map_err(|e| format!("{}:{line_no}: {e}", path.display()))?;
    if !doc.is_object() {
        return Err(format!("{}:{line_no}: a document must be a JSON object", path.display()));
    }
    Ok(doc)
}

/// Calls `f` on every document of the index (for field discovery).
pub fn for_each_doc(index: &Index, on_error: OnError, f: &mut dyn FnMut(&Json)) -> Result<(), String> {
    let mut buf = Vec::new();
    for path in &index.files {
        let mut r = open(path)?;
        let mut line_no = 0;
        while next_line(r.as_mut(), &mut buf, &mut line_no, path)? {
            match parse_line(&buf, path, line_no) {
                Ok(doc) => f(&doc),
                Err(e) if on_error == OnError::Fail => return Err(e),
                Err(_) => {}
            }
        }
    }
    Ok(())
}

/// How one output column is filled for one index.
#[derive(Clone, Debug)]
enum Fill {
    /// Not needed by the query: a null column, never decoded.
    Skip,
    /// Not in this index.
    Null,
    /// From the document; `own` is the field's type in this index, `out` the column's.
    Field { own: EsType, out: EsType, constant: Option<String> },
    /// `_index`.
    IndexName,
    /// `_id`.
    Id,
}

struct IndexPlan<'d> {
    index: &'d Index,
    fills: Vec<Fill>,
    /// Document path → output columns it feeds.
    paths: HashMap<String, Vec<usize>>,
}

/// An iterator of record batches over the indices of a FROM.
pub struct Scan<'d> {
    plans: Vec<IndexPlan<'d>>,
    columns: Vec<ColumnDef>,
    on_error: OnError,
    at: (usize, usize),
    reader: Option<(Box<dyn BufRead>, PathBuf, u64)>,
    buf: Vec<u8>,
    stats: Arc<Mutex<ScanStats>>,
    failed: bool,
}

fn plan_index<'d>(
    index: &'d Index,
    fields: &BTreeMap<String, FieldInfo>,
    columns: &[ColumnDef],
    needed: &[bool],
) -> IndexPlan<'d> {
    let mut paths: HashMap<String, Vec<usize>> = HashMap::new();
    let fills = columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if !needed.get(k).copied().unwrap_or(true) {
                return Fill::Skip;
            }
            match c.name.as_str() {
                "_index" => return Fill::IndexName,
                "_id" => return Fill::Id,
                _ => {}
            }
            let Some(f) = fields.get(&c.name) else { return Fill::Null };
            let out = if c.ty == EsType::Unsupported && f.ty != EsType::Unsupported { EsType::Keyword } else { c.ty };
            let source = f.parent.clone().unwrap_or_else(|| c.name.clone());
            paths.entry(source).or_default().push(k);
            Fill::Field { own: f.ty, out, constant: f.constant.clone() }
        })
        .collect();
    IndexPlan { index, fills, paths }
}

impl DataDir {
    /// Scans the indices `patterns` select, producing batches of `columns` (the union
    /// schema) in which only `needed` columns are decoded.
    pub fn scan(&self, patterns: &[String], columns: &[ColumnDef], needed: &[bool]) -> Result<Scan<'_>, String> {
        let mut plans = Vec::new();
        for index in self.resolve(patterns)? {
            let (fields, _) = index.fields(self.on_error)?;
            plans.push(plan_index(index, fields, columns, needed));
        }
        Ok(Scan {
            plans,
            columns: columns.to_vec(),
            on_error: self.on_error,
            at: (0, 0),
            reader: None,
            buf: Vec::new(),
            stats: Arc::default(),
            failed: false,
        })
    }
}

impl Scan<'_> {
    /// A handle on the statistics, readable after the scan.
    pub fn stats(&self) -> Arc<Mutex<ScanStats>> {
        self.stats.clone()
    }

    /// Opens the next file when needed; false when all are read.
    fn ensure_reader(&mut self) -> Result<bool, String> {
        while self.reader.is_none() {
            let (p, f) = self.at;
            let Some(plan) = self.plans.get(p) else { return Ok(false) };
            match plan.index.files.get(f) {
                Some(path) => {
                    self.reader = Some((open(path)?, path.clone(), 0));
                    self.at.1 += 1;
                }
                None => self.at = (p + 1, 0),
            }
        }
        Ok(true)
    }

    /// Reads up to one batch of documents of the current index.
    fn read_batch(&mut self) -> Result<Option<RecordBatch>, String> {
        if !self.ensure_reader()? {
            return Ok(None);
        }
        let plan_no = self.at.0;
        let mut docs: Vec<(Json, u64)> = Vec::with_capacity(BATCH_ROWS);
        let mut bytes = 0u64;
        while docs.len() < BATCH_ROWS {
            let Some((r, path, line_no)) = self.reader.as_mut() else { break };
            if !next_line(r.as_mut(), &mut self.buf, line_no, path)? {
                self.reader = None;
                if self.at.1 >= self.plans[plan_no].index.files.len() {
                    break;
                }
                if !self.ensure_reader()? || self.at.0 != plan_no {
                    break;
                }
                continue;
            }
            bytes += self.buf.len() as u64;
            match parse_line(&self.buf, path, *line_no) {
                Ok(doc) => docs.push((doc, *line_no)),
                Err(e) if self.on_error == OnError::Fail => return Err(e),
                Err(_) => {
                    let path = path.clone();
                    *self.lock().skipped.entry(path).or_default() += 1;
                }
            }
        }
        let file = self
            .reader
            .as_ref()
            .map(|r| r.1.clone())
            .or_else(|| self.plans[plan_no].index.files.last().cloned())
            .unwrap_or_default();
        {
            let mut st = self.lock();
            st.bytes += bytes;
            st.docs += docs.len() as u64;
        }
        if docs.is_empty() {
            return self.read_batch();
        }
        Ok(Some(self.build(plan_no, &docs, &file)?))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ScanStats> {
        self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Decodes the needed fields of `docs` into a batch.
    fn build(&self, plan_no: usize, docs: &[(Json, u64)], file: &Path) -> Result<RecordBatch, String> {
        let plan = &self.plans[plan_no];
        let n = docs.len();
        let mut builders: Vec<Option<ColumnBuilder>> = plan
            .fills
            .iter()
            .zip(&self.columns)
            .map(|(f, c)| match f {
                Fill::Skip => None,
                Fill::Field { out, .. } => Some(ColumnBuilder::new(*out)),
                _ => Some(ColumnBuilder::new(c.ty)),
            })
            .collect();
        let mut slots: Vec<Vec<Value<'static>>> = vec![Vec::new(); plan.fills.len()];
        let mut malformed: Vec<(usize, u64)> = Vec::new();
        let stop = |p: &str| is_leaf_object(plan.index, p);
        for (doc, line_no) in docs {
            walk(doc, &mut String::new(), &stop, &mut |path, leaf| {
                let Some(cols) = plan.paths.get(path) else { return };
                for &k in cols {
                    let Fill::Field { own, out, .. } = plan.fills[k] else { continue };
                    match read_leaf(leaf, own, out) {
                        Some(v) => slots[k].push(v),
                        None if own != EsType::Unsupported => malformed.push((k, 1)),
                        None => {}
                    }
                }
            });
            for (k, fill) in plan.fills.iter().enumerate() {
                let Some(b) = builders[k].as_mut() else { continue };
                let values = std::mem::take(&mut slots[k]);
                let cell = match fill {
                    Fill::Field { out, constant, .. } => match (values.is_empty(), constant) {
                        (true, Some(c)) => Cell::One(Value::Str(Cow::Owned(c.clone()))),
                        _ => to_cell(values, *out),
                    },
                    Fill::IndexName => Cell::One(Value::Str(Cow::Owned(plan.index.name.clone()))),
                    Fill::Id => Cell::One(Value::Str(Cow::Owned(format!("{}:{line_no}", plan.index.name)))),
                    _ => Cell::Null,
                };
                b.push(&cell);
            }
        }
        self.record_malformed(&malformed, file);
        let cols = builders
            .into_iter()
            .zip(&self.columns)
            .map(|(b, c)| b.map_or_else(|| new_null_array(&c.ty.arrow_type(), n), ColumnBuilder::finish))
            .collect();
        record_batch(&self.columns, cols, n).map_err(|e| format!("internal error: {e}"))
    }

    fn record_malformed(&self, malformed: &[(usize, u64)], file: &Path) {
        if malformed.is_empty() {
            return;
        }
        let mut st = self.lock();
        for (k, n) in malformed {
            let c = &self.columns[*k];
            *st.malformed.entry((file.to_path_buf(), c.name.clone(), c.ty)).or_default() += n;
        }
    }
}

/// A leaf in this index's type, then as the column's type (a union column reads text).
fn read_leaf(leaf: &Json, own: EsType, out: EsType) -> Option<Value<'static>> {
    let v = coerce(leaf, own)?;
    if own == out {
        return Some(v);
    }
    Some(Value::Str(Cow::Owned(v.render())))
}

impl Iterator for Scan<'_> {
    type Item = Result<RecordBatch, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.read_batch() {
            Ok(b) => b.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}
