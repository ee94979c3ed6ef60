//! What decoding one index needs, worked out once per scan: which member paths feed which
//! output columns (a trie of them), each column's own and output type, constant fields,
//! and the prefilter's field.

use crate::io::catalog::mapping::Storage;
use crate::io::catalog::schema::FieldInfo;
use crate::io::ndjson::pathmap::PathMap;
use crate::io::ndjson::trie::Trie;
use crate::io::scan::prefilter::{Prefilter, Tail, Test};
use crate::types::{ColumnDef, EsType};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How one output column is filled for one index.
#[derive(Clone, Debug)]
pub enum Fill {
    /// Not needed by the query: a null column, never decoded.
    Skip,
    /// Not in this index.
    Null,
    /// From the document; `own` is the field's type in this index, `out` the column's;
    /// values go through the field's keyword normalizer, if it has one.
    Field { own: EsType, out: EsType, constant: Option<String>, normalizer: Option<Storage> },
    /// `_index`.
    IndexName,
    /// `_id`.
    Id,
    /// `_score`: 0.0, what Elasticsearch gives a document no full-text function scored
    /// (relevance is not computed).
    Score,
    /// `_version`: 1, a document written once.
    Version,
    /// `_source`: the document's JSON text.
    Source,
}

/// The output columns one document path feeds.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) cols: Vec<usize>,
    /// Every column reads a plain string the simple way (keyword, ip, date).
    pub(crate) simple: bool,
}

/// What decoding one index needs, owned.
#[derive(Debug)]
pub struct IndexPlan {
    /// The index name.
    pub name: String,
    pub(crate) fills: Vec<Fill>,
    /// Document path → output columns it feeds.
    pub(crate) paths: PathMap<Target>,
    /// The paths to take or walk into, one node per dotted segment; node 0 is the document.
    pub(crate) trie: Trie<(Target, Box<str>)>,
    /// Columns filled per row (the others are null columns).
    pub(crate) active: Vec<usize>,
    /// Needed paths that are one object-valued leaf (geo_point, flattened).
    pub(crate) leaf_objects: HashSet<String>,
    /// The tests of the query's first WHERE that decoding can apply.
    pub(crate) pre: Vec<Pre>,
    /// Per column, whether the scan notes what values it meets (see `io::scan::watch`);
    /// empty when none is watched.
    pub(crate) watched: Vec<bool>,
}

/// The first WHERE as decoding applies it.
#[derive(Debug)]
pub(crate) struct Pre {
    pub(crate) filter: Prefilter,
    /// What may follow the field's value in a rejected row.
    pub(crate) tail: Tail,
    /// The field's dotted path (the column of a columnar file).
    pub(crate) path: String,
    /// Its trie node: only its value can reject a row early.
    pub(crate) node: u32,
}

impl IndexPlan {
    /// Plans the columns of one index; `leaf_object` tells object-valued leaves.
    pub fn new(
        name: &str,
        fields: &BTreeMap<String, FieldInfo>,
        columns: &[ColumnDef],
        needed: &[bool],
        leaf_object: &dyn Fn(&str) -> bool,
        pre: &[Prefilter],
    ) -> IndexPlan {
        let mut paths: PathMap<Vec<usize>> = PathMap::default();
        let fills: Vec<Fill> = columns
            .iter()
            .enumerate()
            .map(|(k, c)| {
                if !needed.get(k).copied().unwrap_or(true) {
                    return Fill::Skip;
                }
                match c.name.as_str() {
                    "_index" => {
                        // So is its own `_index`.
                        paths.entry(b"_index".to_vec()).or_default().push(k);
                        return Fill::IndexName;
                    }
                    "_id" => {
                        // A document's own `_id` (dumps keep it beside the source) wins.
                        paths.entry(b"_id".to_vec()).or_default().push(k);
                        return Fill::Id;
                    }
                    "_score" if c.ty == EsType::Double => return Fill::Score,
                    "_source" if c.ty == EsType::Source => return Fill::Source,
                    "_version" if c.ty == EsType::Long => {
                        // A document `_bulk` stored keeps its version beside it.
                        paths.entry(b"_version".to_vec()).or_default().push(k);
                        return Fill::Version;
                    }
                    _ => {}
                }
                let Some(f) = fields.get(&c.name) else { return Fill::Null };
                let out =
                    if c.ty == EsType::Unsupported && f.ty != EsType::Unsupported { EsType::Keyword } else { c.ty };
                let source = f.parent.clone().unwrap_or_else(|| c.name.clone());
                paths.entry(source.into_bytes()).or_default().push(k);
                Fill::Field { own: f.ty, out, constant: f.constant.clone(), normalizer: f.normalizer }
            })
            .collect();
        let leaf_objects = paths
            .keys()
            .filter_map(|p| std::str::from_utf8(p).ok())
            .filter(|p| leaf_object(p))
            .map(str::to_string)
            .collect();
        let active = fills.iter().enumerate().filter(|(_, f)| !matches!(f, Fill::Skip)).map(|(k, _)| k).collect();
        let paths: PathMap<Target> = paths
            .into_iter()
            .map(|(p, cols)| {
                let simple = cols.iter().all(|&k| match fills[k] {
                    Fill::Field { own, out, .. } => {
                        own == out && matches!(own, EsType::Keyword | EsType::Ip | EsType::Date)
                    }
                    _ => false,
                });
                (p, Target { cols, simple })
            })
            .collect();
        let trie = Trie::new(paths.iter().map(|(p, t)| (p.as_slice(), (t.clone(), String::from_utf8_lossy(p).into()))));
        let pre: Vec<Pre> = pre.iter().filter_map(|p| prefilter_field(p, &fills, &paths, &trie)).collect();
        let watched = Vec::new();
        IndexPlan { name: name.to_string(), fills, paths, trie, active, leaf_objects, pre, watched }
    }

    /// Watches the columns `cols` (see `io::scan::watch`).
    pub fn watching(mut self, cols: impl IntoIterator<Item = usize>) -> IndexPlan {
        for k in cols {
            if self.watched.is_empty() {
                self.watched = vec![false; self.fills.len()];
            }
            if let Some(w) = self.watched.get_mut(k) {
                *w = true;
            }
        }
        self
    }

    /// The index name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How a columnar file fills each column.
    pub fn column_fills(&self) -> Vec<crate::io::columnar::ColumnFill> {
        use crate::io::columnar::ColumnFill;
        let mut by_col: HashMap<usize, String> = HashMap::new();
        for (p, target) in &self.paths {
            for &k in &target.cols {
                by_col.insert(k, String::from_utf8_lossy(p).into_owned());
            }
        }
        self.fills
            .iter()
            .enumerate()
            .map(|(k, f)| match f {
                Fill::Skip => ColumnFill::Skip,
                Fill::Null => ColumnFill::Null,
                Fill::IndexName => ColumnFill::IndexName,
                Fill::Id => ColumnFill::Id,
                Fill::Score => ColumnFill::Score,
                Fill::Version => ColumnFill::Version,
                Fill::Source => ColumnFill::Source,
                Fill::Field { own, out, constant, normalizer } => match by_col.remove(&k) {
                    Some(name) => ColumnFill::Field {
                        name,
                        own: *own,
                        out: *out,
                        constant: constant.clone(),
                        normalizer: *normalizer,
                    },
                    None => ColumnFill::Null,
                },
            })
            .collect()
    }

    /// The tests of the query's first WHERE that decoding applies, with their fields' paths
    /// (the file columns); none when `_id` needs every row's number.
    pub fn prefilter(&self) -> Vec<(Prefilter, String)> {
        if self.needs_id() {
            return Vec::new();
        }
        self.pre.iter().map(|p| (p.filter.clone(), p.path.clone())).collect()
    }

    /// True when the query needs `_id` (line numbers must then be exact).
    pub fn needs_id(&self) -> bool {
        self.fills.iter().any(|f| matches!(f, Fill::Id))
    }
}

/// The prefilter as decoding applies it, when its field is read from the document as its
/// test's type (not a constant, not a union read as text, no normalizer between).
pub(crate) fn prefilter_field(
    p: &Prefilter,
    fills: &[Fill],
    paths: &PathMap<Target>,
    trie: &Trie<(Target, Box<str>)>,
) -> Option<Pre> {
    let ty = match p.test {
        Test::Date(..) => EsType::Date,
        Test::Keywords(_) | Test::Matches(_) => EsType::Keyword,
    };
    let Some(Fill::Field { own, out, constant: None, normalizer: None }) = fills.get(p.column) else { return None };
    if (*own, *out) != (ty, ty) {
        return None;
    }
    let (path, _) = paths.iter().find(|(_, t)| t.cols.contains(&p.column))?;
    let last = path.rsplit(|&b| b == b'.').next().unwrap_or(path);
    Some(Pre {
        filter: p.clone(),
        tail: Tail::new(last),
        path: String::from_utf8_lossy(path).into_owned(),
        node: trie.member(0, path)?,
    })
}
