//! A bulk request's changes to one index, decided item by item before anything is written:
//! the index as the writes find it (`Target`) and the documents they add and remove.

use super::refusal::Refusal;
use super::{template, Action};
use crate::io::catalog::DataDir;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The index an item writes to.
pub struct Target {
    /// `_index` as ES reports a write: a data stream's backing index.
    pub report: String,
    data_stream: bool,
    /// Read from Parquet or Arrow files: documents cannot be added.
    columnar: bool,
    /// The mapping file to write when the request creates the index.
    pub new_mapping: Option<Json>,
}

impl Target {
    /// `name` as `dir` holds it, or as a write would create it from its template.
    pub fn of(dir: &DataDir, root: &Path, name: &str) -> Target {
        if let Some(ix) = dir.indices.iter().find(|i| i.name == name) {
            let data_stream = match &ix.mapping {
                Some(m) => m.data_stream.is_some(),
                None => template::built_in().iter().any(|t| t.patterns.iter().any(|p| crate::wildcard::glob(p, name))),
            };
            let columnar = ix.files.iter().any(|f| crate::io::columnar::is_columnar(f));
            let report = if data_stream { ix.metadata_name() } else { name.to_string() };
            return Target { report, data_stream, columnar, new_mapping: None };
        }
        let template = template::matching(root, name);
        let data_stream = template.as_ref().is_some_and(|t| t.data_stream);
        let today = chrono::Utc::now().format("%Y.%m.%d");
        let backing = data_stream.then(|| format!(".ds-{name}-{today}-000001"));
        let new_mapping = template::mapping_file(template.as_ref(), backing.as_deref());
        Target { report: backing.unwrap_or_else(|| name.to_string()), data_stream, columnar: false, new_mapping }
    }

    /// Refuses what the index cannot take.
    pub fn accepts(&self, action: Action) -> Result<(), Refusal> {
        if self.columnar {
            let reason = "the index is read from Parquet or Arrow files: documents can be added to NDJSON indices only";
            return Err(Refusal::bad("illegal_argument_exception", reason));
        }
        if self.data_stream && action != Action::Create {
            let reason = "only write ops with an op_type of create are allowed in data streams";
            return Err(Refusal::bad("illegal_argument_exception", reason));
        }
        Ok(())
    }

    /// The stored line of a document: its `_id` and `_version`, then the source's fields as
    /// they were sent. Refuses a source that is not one JSON object, holds a metadata field,
    /// or lacks the `@timestamp` a data stream needs.
    pub fn line(&self, id: &str, version: u64, source: &str) -> Result<String, Refusal> {
        let source = source.trim();
        let fields: HashMap<String, &serde_json::value::RawValue> = serde_json::from_str(source).map_err(|e| {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or_default();
            let reason = format!("[{}:{}] failed to parse: {what}", e.line().max(1), e.column().max(1));
            Refusal::bad("document_parsing_exception", reason)
        })?;
        if let Some(meta) = fields.keys().find(|k| crate::io::catalog::is_metadata_field(k)) {
            let reason = format!(
                "[1:2] failed to parse: Field [{meta}] is a metadata field and cannot be added inside a document. \
                 Use the index API request parameters."
            );
            return Err(Refusal::bad("document_parsing_exception", reason));
        }
        if self.data_stream && !fields.contains_key("@timestamp") {
            let reason = "[1:1] failed to parse: data stream timestamp field [@timestamp] is missing";
            return Err(Refusal::bad("document_parsing_exception", reason));
        }
        let head = format!("{{\"_id\":{},\"_version\":{version}", Json::String(id.to_string()));
        // The source's own bytes after its `{`: numbers and strings stay as they were sent.
        let rest = source[1..].trim_start();
        Ok(if rest.starts_with('}') { format!("{head}}}") } else { format!("{head},{rest}") })
    }
}

/// What a request does to one index.
pub struct Pending {
    pub target: Target,
    /// Documents to add, in order, with their versions; `None` once removed again.
    docs: Vec<Option<(String, String, u64)>>,
    /// Where each id of `docs` is, and the ids this request deleted (`None`).
    state: HashMap<String, Option<usize>>,
    /// Ids to remove from written parts, by part.
    removed: BTreeMap<u64, HashSet<String>>,
    /// The outcomes that stand or fall with this index's writes.
    pub waiting: Vec<usize>,
}

impl Pending {
    pub fn new(target: Target) -> Pending {
        Pending { target, docs: vec![], state: HashMap::new(), removed: BTreeMap::new(), waiting: vec![] }
    }

    /// `id` as this request left it: `Some(Some(version))` added, `Some(None)` deleted,
    /// `None` untouched.
    pub fn state(&self, id: &str) -> Option<Option<u64>> {
        let at = self.state.get(id)?;
        Some(at.and_then(|k| self.docs[k].as_ref().map(|(_, _, v)| *v)))
    }

    /// Takes `id` away: from this request's documents, and from the part `on_disk` holds it in.
    pub fn remove(&mut self, id: &str, on_disk: Option<u64>) {
        if let Some(Some(k)) = self.state.insert(id.to_string(), None) {
            self.docs[k] = None;
        }
        if let Some(part) = on_disk {
            self.removed.entry(part).or_default().insert(id.to_string());
        }
    }

    /// The stored line of `id` as this request added it.
    pub fn line(&self, id: &str) -> Option<&str> {
        let k = (*self.state.get(id)?)?;
        self.docs[k].as_ref().map(|(_, l, _)| l.as_str())
    }

    /// Adds a document.
    pub fn put(&mut self, id: String, line: String, version: u64) {
        self.state.insert(id.clone(), Some(self.docs.len()));
        self.docs.push(Some((id, line, version)));
    }

    /// The documents to add and the ids to remove from each written part.
    #[allow(clippy::type_complexity)]
    pub fn finish(&mut self) -> (Vec<(String, String, u64)>, BTreeMap<u64, HashSet<String>>) {
        (std::mem::take(&mut self.docs).into_iter().flatten().collect(), std::mem::take(&mut self.removed))
    }
}
