//! `esql export --to bulk --out DIR`: the hand-over to an Elasticsearch cluster. Per index,
//! `NAME.template.json` (the body of `PUT /_index_template/NAME`: its fields in their original
//! mapping types, a data stream where the name or mapping makes one, lookup mode kept) and
//! `NAME.bulk-0001.ndjson`, ... (bodies of `POST /_bulk`, at most 5,000 documents or 16 MiB
//! each, well under ES's 100 MB): `create` for data streams, `index` otherwise, each
//! document's own `_id` kept, its source as it was written.

use crate::io::catalog::Index;
use crate::io::store::template;
use crate::io::DataDir;
use serde_json::{json, value::RawValue, Value as Json};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

const MAX_DOCS: usize = 5_000;
const MAX_BYTES: usize = 16 << 20;

/// Per index its name and documents written, and the indices left out with why.
pub type Exported = (Vec<(String, u64)>, Vec<String>);

/// Exports every NDJSON index of `dir` into `out`.
pub fn export(dir: &DataDir, out: &Path) -> Result<Exported, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    super::convert::refuse_inside_data(dir, out)?;
    let (mut done, mut skipped) = (Vec::new(), Vec::new());
    for ix in &dir.indices {
        if ix.files.iter().any(|f| crate::io::columnar::is_columnar(f)) {
            skipped
                .push(format!("{}: Parquet/Arrow indices are not exported (their documents' JSON is gone)", ix.name));
            continue;
        }
        let stream = is_data_stream(ix);
        let body = template_body(ix, stream, dir);
        let text = serde_json::to_string_pretty(&body).map_err(|e| e.to_string())?;
        crate::io::files::write(&out.join(format!("{}.template.json", ix.name)), text.as_bytes())?;
        done.push((ix.name.clone(), write_bulk(ix, stream, out)?));
    }
    Ok((done, skipped))
}

/// A data stream: the mapping says so, or (without one) ES's built-in templates would.
fn is_data_stream(ix: &Index) -> bool {
    match &ix.mapping {
        Some(m) => m.data_stream.is_some(),
        None => template::built_in().iter().any(|t| t.patterns.iter().any(|p| crate::wildcard::glob(p, &ix.name))),
    }
}

/// The index template: exactly this index, above the built-in templates' priority.
fn template_body(ix: &Index, stream: bool, dir: &DataDir) -> Json {
    let mut t = json!({
        "index_patterns": [ix.name],
        "priority": 500,
        "template": { "mappings": { "properties": ix.es_properties(dir.on_error, dir.threads) } },
        "_meta": { "description": "exported by esql", "source": dir.root.join(&ix.name).display().to_string() },
    });
    if stream {
        t["data_stream"] = json!({});
    }
    if ix.mapping.as_ref().is_some_and(|m| m.lookup) {
        t["template"]["settings"] = json!({ "index.mode": "lookup" });
    }
    t
}

/// The bulk files of one index; the number of documents.
fn write_bulk(ix: &Index, stream: bool, out: &Path) -> Result<u64, String> {
    let mut chunk = Chunk { out: out.to_path_buf(), name: ix.name.clone(), n: 0, buf: Vec::new(), docs: 0 };
    let mut total = 0u64;
    for file in &ix.files {
        let reader = std::io::BufReader::new(crate::io::scan::shape::open(file)?);
        for (k, line) in reader.split(b'\n').enumerate() {
            let line = line.map_err(|e| format!("{}: {e}", file.display()))?;
            let text = String::from_utf8_lossy(&line);
            if text.trim().is_empty() {
                continue;
            }
            let (id, source) = split_metadata(&text).map_err(|e| format!("{}:{}: {e}", file.display(), k + 1))?;
            let mut meta = json!({ "_index": ix.name });
            if let Some(id) = id {
                meta["_id"] = json!(id);
            }
            let action = json!({ if stream { "create" } else { "index" }: meta });
            chunk.push(&format!("{action}\n{source}\n"))?;
            total += 1;
        }
    }
    chunk.flush()?;
    Ok(total)
}

/// A document line's own `_id` (a dump's, or `_bulk`'s stored one) and its source without
/// the metadata fields ES refuses inside one (as written when it holds none).
fn split_metadata(line: &str) -> Result<(Option<String>, String), String> {
    let fields = raw_fields(line)?;
    if !fields.iter().any(|(k, _)| crate::io::catalog::is_metadata_field(k)) {
        return Ok((None, line.trim().to_string()));
    }
    let id = fields.iter().find(|(k, _)| k == "_id").and_then(|(_, v)| serde_json::from_str::<String>(v.get()).ok());
    let kept: Vec<String> = fields
        .iter()
        .filter(|(k, _)| !crate::io::catalog::is_metadata_field(k))
        .map(|(k, v)| format!("{}:{}", Json::String(k.clone()), v.get()))
        .collect();
    Ok((id, format!("{{{}}}", kept.join(","))))
}

/// A JSON object's fields in order, values as written.
fn raw_fields(line: &str) -> Result<Vec<(String, &RawValue)>, String> {
    let map: ordered::Ordered = serde_json::from_str(line).map_err(|e| e.to_string())?;
    Ok(map.0)
}

/// An object's entries in the order written (serde_json's own map sorts them).
mod ordered {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use serde_json::value::RawValue;

    pub struct Ordered<'a>(pub Vec<(String, &'a RawValue)>);

    impl<'de: 'a, 'a> Deserialize<'de> for Ordered<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Ordered<'de>, M::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = m.next_entry::<String, &'de RawValue>()? {
                        out.push((k, v));
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// The bulk file being filled.
struct Chunk {
    out: PathBuf,
    name: String,
    n: usize,
    buf: Vec<u8>,
    docs: usize,
}

impl Chunk {
    fn push(&mut self, pair: &str) -> Result<(), String> {
        if self.docs == MAX_DOCS || self.buf.len() + pair.len() > MAX_BYTES && self.docs > 0 {
            self.flush()?;
        }
        self.buf.extend_from_slice(pair.as_bytes());
        self.docs += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.docs == 0 {
            return Ok(());
        }
        self.n += 1;
        let path = self.out.join(format!("{}.bulk-{:04}.ndjson", self.name, self.n));
        crate::io::files::write_with(&path, |mut f| {
            f.write_all(&self.buf).map_err(|e| crate::io::Error::file(&path, e))
        })?;
        self.buf.clear();
        self.docs = 0;
        Ok(())
    }
}

/// `esql export`: the files, one line per index on stderr; 1 when an index was left out.
pub(super) fn export_cmd(data: Option<PathBuf>, out: &Path) -> i32 {
    let dir = match DataDir::open(&crate::engine::Engine::default_dir(data), crate::io::OnError::Fail) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    match export(&dir, out) {
        Ok((done, skipped)) => {
            for (name, docs) in &done {
                eprintln!("esql: {name}: {docs} documents");
            }
            for s in &skipped {
                eprintln!("esql: left out: {s}");
            }
            i32::from(!skipped.is_empty())
        }
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}
