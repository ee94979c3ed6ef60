//! What a scan read: progress, load-time warnings, and the checks of a plan made from samples.

use crate::types::EsType;
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    /// Documents holding a read field more than once, per (file, field).
    pub repeated: BTreeMap<(PathBuf, String), u64>,
    /// Values of columnar columns whose Arrow type has no ES|QL type, per (file, column,
    /// Arrow type).
    pub unreadable: BTreeMap<(PathBuf, String, String), u64>,
    /// Documents the query's first WHERE rejected while decoding (see
    /// [`prefilter`]): they never reach it, but count as its input.
    pub prefiltered: u64,
    /// The columns planned from samples, and what the documents said of them.
    pub checks: super::watch::Checks,
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
        for ((file, field, arrow), n) in &self.unreadable {
            out.push(format!(
                "{}: column [{field}] is of type {arrow}, which no ES|QL type holds; its {n} value(s) were read as null",
                file.display()
            ));
        }
        for ((file, field), n) in &self.repeated {
            out.push(format!(
                "{}: {n} document(s) hold [{field}] more than once (a repeated key, or dotted and nested forms); \
                 its values were read as one multi-value (Elasticsearch rejects a repeated key)",
                file.display()
            ));
        }
        out
    }
}
