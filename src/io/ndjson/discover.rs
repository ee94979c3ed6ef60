//! Field discovery over the bytes: every member path of every document, with the type
//! dynamic mapping would give it when neither the mapping nor ECS does. Chunks are read in
//! parallel; the partial results merge the same way in any order.

use crate::io::catalog::ecs;
use crate::io::catalog::schema::is_leaf_object;
use crate::io::catalog::Index;
use crate::io::json::{infer, infer_raw, walk, widen};
use crate::io::ndjson::pathmap::PathMap;
use crate::io::ndjson::scanner::{scan, Paths, Visitor, Want};
use crate::io::scan::chunks::{line_of, plan_chunks, Chunk, Feed};
use crate::io::scan::OnError;
use crate::types::EsType;
use std::collections::BTreeMap;

/// What the documents say of one path.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    /// The inferred type, for fields neither the mapping nor ECS types.
    pub inferred: Option<EsType>,
    /// How many documents hold a value for it.
    pub docs: u64,
}

struct Entry {
    seen: Seen,
    /// The document it was last counted in.
    last_doc: u64,
    infer: bool,
}

struct Fields<'i> {
    index: &'i Index,
    map: PathMap<Entry>,
    /// Whether each path seen is an object-valued leaf.
    kinds: PathMap<bool>,
    paths: Paths,
    doc: u64,
}

impl Fields<'_> {
    fn leaf(&mut self, path: &[u8], ty: &dyn Fn() -> EsType) {
        let doc = self.doc;
        let e = match self.map.get_mut(path) {
            Some(e) => e,
            None => {
                let name = String::from_utf8_lossy(path);
                let declared = self.index.mapping.as_ref().is_some_and(|m| m.fields.contains_key(name.as_ref()));
                let infer = !declared && ecs::lookup(&name).is_none();
                let e = Entry { seen: Seen { inferred: None, docs: 0 }, last_doc: 0, infer };
                self.map.entry(path.to_vec()).or_insert(e)
            }
        };
        if e.infer {
            let t = ty();
            e.seen.inferred = Some(e.seen.inferred.map_or(t, |old| widen(old, t)));
        }
        if e.last_doc != doc {
            e.last_doc = doc;
            e.seen.docs += 1;
        }
    }
}

impl Visitor for Fields<'_> {
    fn strict_names(&self) -> bool {
        true
    }

    fn want(&mut self, parent: u32, key: &[u8]) -> (Want, u32) {
        let node = self.paths.enter(parent, key);
        let path = self.paths.get(node);
        // Object-valued leaves are declared (mapping or ECS), hence already seen once.
        let leaf_object = match self.kinds.get(path) {
            Some(k) => *k,
            None => {
                let k = is_leaf_object(self.index, &String::from_utf8_lossy(path));
                self.kinds.insert(path.to_vec(), k);
                k
            }
        };
        (if leaf_object { Want::Take } else { Want::Descend }, node)
    }

    fn take(&mut self, node: u32, raw: &[u8]) -> bool {
        // Lent out for the call: `leaf` needs the rest of `self`.
        let paths = std::mem::take(&mut self.paths);
        self.take_at(paths.get(node), raw);
        self.paths = paths;
        true
    }
}

impl Fields<'_> {
    fn take_at(&mut self, path: &[u8], raw: &[u8]) {
        match raw.first() {
            // Scalars need no JSON value.
            Some(b't' | b'f' | b'-' | b'0'..=b'9') | Some(b'"') if !raw.contains(&b'\\') => {
                self.leaf(path, &|| infer_raw(raw).unwrap_or(EsType::Keyword))
            }
            _ => {
                // Escaped strings and object-valued leaves: the rare, slow path.
                let Ok(json) = crate::io::json::parse_value(raw) else { return };
                let index = self.index;
                let mut leaves: Vec<(String, EsType)> = Vec::new();
                walk(
                    &json,
                    &mut String::from_utf8_lossy(path).into_owned(),
                    &|p| is_leaf_object(index, p),
                    &mut |p, v| {
                        leaves.push((p.to_string(), infer(v)));
                    },
                );
                for (p, t) in leaves {
                    self.leaf(p.as_bytes(), &|| t);
                }
            }
        }
    }
}

/// The fields of one chunk and how many documents it holds; a stream stops after the
/// block that passes `limit` bytes.
fn scan_chunk(
    index: &Index,
    chunk: &Chunk,
    on_error: OnError,
    limit: u64,
) -> Result<(PathMap<Entry>, u64), crate::io::Error> {
    let mut fields =
        Fields { index, map: PathMap::default(), kinds: PathMap::default(), paths: Paths::default(), doc: 0 };
    let mut feed = Feed::open(chunk)?;
    let mut line_no = chunk.first_line;
    let mut read = 0u64;
    while read < limit {
        let Some(b) = feed.next_block()? else { break };
        let (block, offset) = (b.lines(), b.offset);
        read += block.len() as u64;
        let mut pos = 0;
        while pos < block.len() {
            let len = memchr::memchr(b'\n', &block[pos..]).unwrap_or(block.len() - pos);
            let line = &block[pos..pos + len];
            let this = line_no;
            line_no = line_no.map(|n| n + 1);
            let start = pos;
            pos += len + 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            fields.doc += 1;
            fields.paths.clear();
            if let Err(e) = scan(line, &mut fields) {
                if on_error == OnError::Fail {
                    let n = this.unwrap_or_else(|| line_of(&chunk.path, offset.unwrap_or(0) + start as u64));
                    return Err(format!("{}:{n}: {e}", chunk.path.display()).into());
                }
                fields.doc -= 1;
            }
        }
    }
    Ok((fields.map, fields.doc))
}

/// Every path the documents of `index` hold, with its inferred type and document count,
/// and the number of documents.
pub fn scan_fields(
    index: &Index,
    on_error: OnError,
    threads: usize,
) -> Result<(BTreeMap<String, Seen>, u64), crate::io::Error> {
    let key = crate::io::catalog::cache::key(&index.files, index.mapping_file.as_deref());
    if let Some(hit) = key.as_deref().and_then(crate::io::catalog::cache::load) {
        return Ok(hit);
    }
    let found = read_fields(index, on_error, threads)?;
    // A skipping read saw only part of the data: not worth remembering.
    if let (Some(k), OnError::Fail) = (&key, on_error) {
        crate::io::catalog::cache::store(k, &found.0, found.1);
    }
    Ok(found)
}

fn read_fields(
    index: &Index,
    on_error: OnError,
    threads: usize,
) -> Result<(BTreeMap<String, Seen>, u64), crate::io::Error> {
    let chunks = plan_chunks(0, &index.files, false)?;
    let n = threads.clamp(1, chunks.len().max(1));
    type Part = Result<(PathMap<Entry>, u64), (usize, crate::io::Error)>;
    let parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|w| {
                let chunks = &chunks;
                s.spawn(move || {
                    let mut acc: (PathMap<Entry>, u64) = (PathMap::default(), 0);
                    for (k, c) in chunks.iter().enumerate().skip(w).step_by(n) {
                        let (map, docs) = scan_chunk(index, c, on_error, u64::MAX).map_err(|e| (k, e))?;
                        merge(&mut acc.0, map);
                        acc.1 += docs;
                    }
                    Ok(acc)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err((0, "internal error: discovery failed".into()))))
            .collect()
    });
    let mut all: PathMap<Entry> = PathMap::default();
    let mut docs = 0;
    // The first error in chunk order is the one a sequential read would report.
    if let Some((_, e)) = parts.iter().filter_map(|p| p.as_ref().err()).min_by_key(|(k, _)| *k) {
        return Err(e.clone());
    }
    for (map, d) in parts.into_iter().flatten() {
        merge(&mut all, map);
        docs += d;
    }
    Ok((all.into_iter().map(|(k, e)| (String::from_utf8_lossy(&k).into_owned(), e.seen)).collect(), docs))
}

/// Bytes a sample reads from the head of each file: 1 MiB, less when an index has many
/// files (16 MiB in all, but at least 64 KiB of each).
fn sample_budget(files: usize) -> u64 {
    ((16u64 << 20) / files.max(1) as u64).clamp(64 << 10, 1 << 20)
}

/// The paths the first documents of each file of `index` hold (a sample: see
/// [`sample_budget`]), typed as [`scan_fields`] types them, and the documents read. Never
/// cached: it is quick, and what a full discovery finds replaces it.
pub fn sample_fields(index: &Index, on_error: OnError) -> Result<(BTreeMap<String, Seen>, u64), crate::io::Error> {
    let budget = sample_budget(index.files.len());
    let mut all: PathMap<Entry> = PathMap::default();
    let mut docs = 0;
    let mut chunks = plan_chunks(0, &index.files, false)?;
    chunks.dedup_by(|b, a| a.path == b.path);
    for mut chunk in chunks {
        if let Some((start, end)) = chunk.range {
            chunk.range = Some((start, end.min(start + budget)));
        }
        let (map, d) = scan_chunk(index, &chunk, on_error, budget)?;
        merge(&mut all, map);
        docs += d;
    }
    Ok((all.into_iter().map(|(k, e)| (String::from_utf8_lossy(&k).into_owned(), e.seen)).collect(), docs))
}

fn merge(into: &mut PathMap<Entry>, from: PathMap<Entry>) {
    for (k, e) in from {
        match into.get_mut(&k) {
            Some(old) => {
                old.seen.docs += e.seen.docs;
                old.seen.inferred = match (old.seen.inferred, e.seen.inferred) {
                    (Some(a), Some(b)) => Some(widen(a, b)),
                    (a, b) => a.or(b),
                };
            }
            None => {
                into.insert(k, e);
            }
        }
    }
}
