//! The catalog: which indices a data directory holds, what their fields are and which
//! ones a FROM pattern selects. Everything a query is planned against; nothing here reads
//! rows for a result (discovery reads documents only to learn fields).

/// A cache of discovered fields beside the data.
pub(crate) mod cache;
pub mod ecs;
pub mod enrich;
mod es_mapping;
pub mod mapping;
pub mod pattern;
pub mod schema;

use crate::io::files;
use crate::io::scan::OnError;
use crate::io::Error;
use crate::types::{ColumnDef, EsType};
use mapping::Mapping;
use schema::{FieldInfo, TypeSource};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// An index's fields and how many documents were read to find them.
type Discovered = (BTreeMap<String, FieldInfo>, u64);

/// An index's fields as lent out, or why they could not be read.
pub type FieldsFound<'i> = Result<(&'i BTreeMap<String, FieldInfo>, u64), Error>;

/// One index: its data files, mapping, and (once discovered) its fields.
pub struct Index {
    /// The index name (file stem).
    pub name: String,
    /// Data files, in name order.
    pub files: Vec<PathBuf>,
    /// The mapping file's content, if there is one.
    pub mapping: Option<Mapping>,
    /// The mapping file.
    pub mapping_file: Option<PathBuf>,
    fields: OnceLock<Result<Discovered, Error>>,
    /// The fields of the first documents of each file (see [`schema::sample`]).
    sample: OnceLock<Result<Discovered, Error>>,
}

/// A data directory.
pub struct DataDir {
    /// Where it is.
    pub root: PathBuf,
    /// Its indices, sorted by name.
    pub indices: Vec<Index>,
    /// What to do with malformed JSON lines.
    pub on_error: OnError,
    /// Threads that decode (1: all on the calling thread).
    pub threads: usize,
    /// Enrich policies (`_enrich/NAME.json`), by name.
    pub policies: BTreeMap<String, enrich::Policy>,
    /// Opened from data files (`--data export.json`), not a whole directory: reading the
    /// folder again would take in files that were not asked for.
    pub from_files: bool,
}

/// Data file names, longest first: NDJSON under three names (a JSON array or pretty-printed
/// documents too, told apart by content), each plain, gzip or zstd; Parquet; Arrow.
const DATA_SUFFIXES: [&str; 12] = [
    ".ndjson.gz",
    ".ndjson.zst",
    ".jsonl.gz",
    ".jsonl.zst",
    ".json.gz",
    ".json.zst",
    ".ndjson",
    ".jsonl",
    ".json",
    ".parquet",
    ".arrow",
    ".arrows",
];

/// Index names cannot start with `_` in Elasticsearch: such files (`_manifest.json`) are
/// not indices.
/// The index a file or folder stem names: `~NAME` is the hidden index `.NAME`, the name
/// `esql convert` writes it under because Spark and Hadoop skip files whose names start
/// with a dot.
pub fn index_of_stem(stem: &str) -> String {
    stem.strip_prefix('~').map_or_else(|| stem.to_string(), |rest| format!(".{rest}"))
}

/// The stem `esql convert` writes an index's file under (the inverse of [`index_of_stem`]).
pub fn stem_of_index(name: &str) -> String {
    name.strip_prefix('.').map_or_else(|| name.to_string(), |rest| format!("~{rest}"))
}

fn index_name(file: &str) -> Option<&str> {
    if file.ends_with(".mapping.json") || file.starts_with('_') {
        return None;
    }
    DATA_SUFFIXES.iter().find_map(|s| file.strip_suffix(s)).filter(|n| !n.is_empty())
}

impl DataDir {
    /// Lists the indices of `root`.
    pub fn open(root: &Path, on_error: OnError) -> Result<DataDir, Error> {
        let entries = std::fs::read_dir(root).map_err(|e| crate::io::Error::file(root, e))?;
        let mut files: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        let mut mappings: BTreeMap<String, PathBuf> = BTreeMap::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".mapping.json") {
                mappings.insert(index_of_stem(stem), path);
            } else if name.starts_with('_') {
                // Not an index (Elasticsearch's names cannot start with `_`): `_enrich/`.
                continue;
            } else if path.is_dir() {
                let mut parts = list_parts(&path)?;
                if !parts.is_empty() {
                    files.entry(index_of_stem(&name)).or_default().append(&mut parts);
                }
            } else if let Some(stem) = index_name(&name) {
                files.entry(index_of_stem(stem)).or_default().push(path);
            }
        }
        // An index with a mapping and no documents yet (made by `PUT /{index}`) is one too.
        for name in mappings.keys() {
            files.entry(name.clone()).or_default();
        }
        let mut indices = Vec::new();
        for (name, mut paths) in files {
            paths.sort();
            let mapping_file = mappings.get(&name).cloned();
            indices.push(Index::new(name, paths, mapping_file)?);
        }
        let policies = enrich::load(&root.join("_enrich"))?;
        let threads = default_threads();
        Ok(DataDir { root: root.to_path_buf(), indices, on_error, threads, policies, from_files: false })
    }

    /// One index from a data file, or from the files a `*` pattern names (`--data
    /// export.json`, `--data 'dumps/*.ndjson.gz'`): named by the file's stem (a pattern's
    /// by its folder), with the mapping `NAME.mapping.json` beside it, if any.
    pub fn open_files(path: &Path, on_error: OnError) -> Result<DataDir, Error> {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let pattern =
            path.file_name().and_then(|n| n.to_str()).ok_or_else(|| format!("{}: not a file name", path.display()))?;
        let (name, mut files) = if pattern.contains('*') {
            let entries = std::fs::read_dir(parent).map_err(|e| crate::io::Error::file(parent, e))?;
            let files: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| crate::wildcard::glob(pattern, n) && index_name(n).is_some())
                })
                .collect();
            let dir_name = std::fs::canonicalize(parent)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
            (dir_name.unwrap_or_else(|| "data".into()), files)
        } else {
            let name = index_name(pattern).ok_or_else(|| {
                format!(
                    "{}: not a data file (.ndjson, .jsonl, .json, each optionally .gz or .zst; .parquet, .arrow)",
                    path.display()
                )
            })?;
            (index_of_stem(name), vec![path.to_path_buf()])
        };
        if files.is_empty() {
            return Err(format!("{}: no data file matches", path.display()).into());
        }
        files.sort();
        let mapping_file = Some(parent.join(format!("{name}.mapping.json"))).filter(|p| p.is_file());
        let index = Index::new(name, files, mapping_file)?;
        let policies = enrich::load(&parent.join("_enrich"))?;
        let (indices, threads) = (vec![index], default_threads());
        Ok(DataDir { root: parent.to_path_buf(), indices, on_error, threads, policies, from_files: true })
    }

    /// Index names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.indices.iter().map(|i| i.name.clone()).collect()
    }

    /// The indices selected by `patterns`.
    pub fn resolve(&self, patterns: &[String]) -> Result<Vec<&Index>, Error> {
        let names = self.names();
        let picked = pattern::resolve(patterns, &names).map_err(|e| {
            Error::UnknownIndex(if names.is_empty() {
                format!("{e} (the data directory {} holds no indices)", self.root.display())
            } else {
                format!("{e}; available: {}", names.join(", "))
            })
        })?;
        Ok(self.indices.iter().filter(|i| picked.contains(&i.name.as_str())).collect())
    }
}

impl DataDir {
    /// Fields that hold a value in some documents and an object in others (`a` and `a.b`),
    /// both from the data (as far as the fields are known: see [`Index::known_fields`]):
    /// Elasticsearch rejects the documents of one shape, here both are read, and a load
    /// warning says so.
    pub fn shape_conflicts(&self, patterns: &[String]) -> Vec<String> {
        let Ok(indices) = self.resolve(patterns) else { return vec![] };
        let mut out = Vec::new();
        for index in indices {
            // What is known without reading every document (a query that names its fields
            // does not wait for a full discovery to warn).
            let found = match index.known_fields(self.on_error, self.threads) {
                Some(known) => known,
                None => index.sampled_fields(self.on_error),
            };
            let Ok((fields, _)) = found else { continue };
            let inferred = |f: &FieldInfo| f.source == TypeSource::Inferred && f.parent.is_none();
            for (name, _) in fields.iter().filter(|(_, f)| inferred(f)) {
                let prefix = format!("{name}.");
                let inner =
                    fields.range(prefix.clone()..).next().filter(|(n, f)| n.starts_with(&prefix) && inferred(f));
                if let Some((inner, _)) = inner {
                    out.push(format!(
                        "{}: field [{name}] is a value in some documents and an object ([{inner}]) in others; \
                         both are read (Elasticsearch rejects the documents of one of the shapes)",
                        index.name
                    ));
                }
            }
        }
        out
    }

    /// The union schema of the indices `patterns` select, sorted by name, with metadata
    /// columns appended.
    pub fn union_schema(&self, patterns: &[String], metadata: &[(String, EsType)]) -> Result<Vec<ColumnDef>, Error> {
        Ok(self.union_schema_named(patterns, metadata, None)?.0)
    }

    /// [`DataDir::union_schema`] for a query that reads only the columns `named` (when
    /// given): an index whose fields are not known yet (see [`Index::known_fields`]) gives
    /// those of its sample, and the ECS fields of `named` it lacks, instead of reading all
    /// its documents first. With the names of those indices, which the scan then checks.
    pub fn union_schema_named(
        &self,
        patterns: &[String],
        metadata: &[(String, EsType)],
        named: Option<&BTreeSet<String>>,
    ) -> Result<(Vec<ColumnDef>, Vec<String>), Error> {
        let mut merged: BTreeMap<String, FieldInfo> = BTreeMap::new();
        let mut sampled = Vec::new();
        for index in self.resolve(patterns)? {
            let known = if named.is_some() { index.known_fields(self.on_error, self.threads) } else { None };
            let fields = match (named, known) {
                (Some(names), None) => {
                    sampled.push(index.name.clone());
                    let sample = index.sampled_fields(self.on_error)?.0;
                    let assumed = names
                        .iter()
                        .filter(|n| !sample.contains_key(*n))
                        .filter_map(|n| Some((n.clone(), schema::ecs_field(n)?)));
                    let mut fields = sample.clone();
                    fields.extend(assumed);
                    std::borrow::Cow::Owned(fields)
                }
                (_, Some(known)) => std::borrow::Cow::Borrowed(known?.0),
                (None, None) => std::borrow::Cow::Borrowed(index.fields(self.on_error, self.threads)?.0),
            };
            for (name, info) in fields.iter() {
                match merged.get_mut(name.as_str()) {
                    Some(m) => {
                        m.ty = schema::merge(m, info);
                        if info.source != TypeSource::Inferred {
                            m.source = info.source;
                        }
                    }
                    None => {
                        merged.insert(name.clone(), info.clone());
                    }
                }
            }
        }
        let mut cols: Vec<ColumnDef> = merged.into_iter().map(|(n, f)| ColumnDef::new(n, f.ty)).collect();
        cols.extend(metadata.iter().map(|(n, t)| ColumnDef::new(n.clone(), *t)));
        Ok((cols, sampled))
    }
}

impl DataDir {
    /// Whether some index `patterns` select has the field `name`: from the fields known and
    /// the samples first, reading every document only of the indices that do not settle it.
    pub fn has_field(&self, patterns: &[String], name: &str) -> bool {
        let Ok(indices) = self.resolve(patterns) else { return false };
        let holds = |f: &FieldsFound<'_>| f.as_ref().is_ok_and(|(f, _)| f.contains_key(name));
        let mut unsettled = Vec::new();
        for index in indices {
            match index.known_fields(self.on_error, self.threads) {
                Some(known) if holds(&known) => return true,
                Some(_) => {}
                None if holds(&index.sampled_fields(self.on_error)) => return true,
                None => unsettled.push(index),
            }
        }
        unsettled.into_iter().any(|i| holds(&i.fields(self.on_error, self.threads)))
    }
}

/// The first part of the data stream names Elasticsearch's built-in templates make
/// (`logs-DATASET-NAMESPACE`).
pub const DATA_STREAM_TYPES: [&str; 5] = ["logs", "metrics", "traces", "synthetics", "profiling"];

/// Whether `name` is one of Elasticsearch's metadata fields, which no document holds.
pub fn is_metadata_field(name: &str) -> bool {
    schema::METADATA_FIELDS.contains(&name)
}

/// All cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Fields found once, lent out.
fn lend(found: &Result<Discovered, Error>) -> FieldsFound<'_> {
    match found {
        Ok((f, n)) => Ok((f, *n)),
        Err(e) => Err(e.clone()),
    }
}

fn list_parts(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| crate::io::Error::file(dir, e))?;
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| index_name(n).is_some()))
        .collect();
    out.sort();
    // A part `_bulk` rewrote is read in its latest generation only.
    Ok(crate::io::store::part::current(out))
}

impl Index {
    /// An index of `files`, typed by its mapping file if it has one (read now).
    fn new(name: String, parts: Vec<PathBuf>, mapping_file: Option<PathBuf>) -> Result<Index, Error> {
        let mapping = match &mapping_file {
            Some(p) => Some(mapping::parse(&files::read_text(p)?).map_err(|e| format!("{}: {e}", p.display()))?),
            None => None,
        };
        Ok(Index { name, files: parts, mapping, mapping_file, fields: OnceLock::new(), sample: OnceLock::new() })
    }

    /// The index's fields, discovered once (reading the data when it has no mapping or a
    /// dynamic one).
    /// With them, the number of documents read (0 when a non-dynamic mapping made reading
    /// unnecessary).
    pub fn fields(&self, on_error: OnError, threads: usize) -> FieldsFound<'_> {
        lend(self.fields.get_or_init(|| schema::discover(self, on_error, threads)))
    }

    /// The index's fields when knowing them all does not take reading every document: found
    /// already, in the discovery cache, declared by a mapping that is not dynamic, or in
    /// the metadata of columnar files. `None` otherwise.
    pub fn known_fields(&self, on_error: OnError, threads: usize) -> Option<FieldsFound<'_>> {
        let ndjson = self.files.iter().any(|f| !crate::io::columnar::is_columnar(f));
        let dynamic = self.mapping.as_ref().is_none_or(|m| m.dynamic);
        let cached = || cache::key(&self.files, self.mapping_file.as_deref()).is_some_and(|k| cache::holds(&k));
        let known = self.fields.get().is_some() || !ndjson || !dynamic || cached();
        known.then(|| self.fields(on_error, threads))
    }

    /// The fields of the first documents of each file, typed as a full discovery types
    /// them: all that planning a query which names its fields reads before the scan.
    pub fn sampled_fields(&self, on_error: OnError) -> FieldsFound<'_> {
        lend(self.sample.get_or_init(|| schema::sample(self, on_error)))
    }

    /// What `_index` says of this index's documents: the backing index of a data stream
    /// (as its mapping file declares it), else the index name.
    pub fn metadata_name(&self) -> String {
        let Some(Some(declared)) = self.mapping.as_ref().map(|m| m.data_stream.as_ref()) else {
            return self.name.clone();
        };
        if let Some(backing) = declared {
            return backing.clone();
        }
        // The day its data was written stands for the backing index's creation day.
        let written = self.files.iter().filter_map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok()).min();
        let day = written.map_or_else(
            || "1970.01.01".to_string(),
            |t| chrono::DateTime::<chrono::Utc>::from(t).format("%Y.%m.%d").to_string(),
        );
        format!(".ds-{}-{day}-000001", self.name)
    }

    /// `TYPE-DATASET-NAMESPACE` data-stream names give constant fields.
    pub fn data_stream(&self) -> Option<(&str, &str, &str)> {
        let (ty, rest) = self.name.split_once('-')?;
        let (dataset, namespace) = rest.rsplit_once('-')?;
        (DATA_STREAM_TYPES.contains(&ty) && !dataset.is_empty() && !namespace.is_empty())
            .then_some((ty, dataset, namespace))
    }
}
