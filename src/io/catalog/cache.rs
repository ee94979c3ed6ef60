//! A cache of field discovery per index, so a second query over the same files does not
//! read them twice. Keyed by each data file's path, size and modification time, the
//! mapping file's, and the engine version; any change misses. A cache that cannot be read
//! or written is simply not used.
//!
//! Where: `$ESQL_CACHE_DIR`, else the user's cache directory (`~/.cache/esql`). `ESQL_CACHE=off`
//! turns it off.

use crate::io::ndjson::discover::Seen;
use crate::types::EsType;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Bump when the discovery rules change.
const FORMAT: u32 = 1;

fn dir() -> Option<PathBuf> {
    if std::env::var("ESQL_CACHE").is_ok_and(|v| v == "off" || v == "0") {
        return None;
    }
    std::env::var_os("ESQL_CACHE_DIR").map(PathBuf::from).or_else(|| dirs::cache_dir().map(|d| d.join("esql")))
}

fn stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let abs = std::fs::canonicalize(path).ok()?;
    Some(format!("{}|{}|{}", abs.display(), meta.len(), mtime.as_nanos()))
}

/// The cache key of an index: its files and mapping as they are now.
pub fn key(files: &[PathBuf], mapping: Option<&Path>) -> Option<String> {
    let mut parts = vec![format!("esql {} format {FORMAT}", env!("CARGO_PKG_VERSION"))];
    for f in files {
        parts.push(stamp(f)?);
    }
    if let Some(m) = mapping {
        parts.push(format!("mapping {}", stamp(m)?));
    }
    Some(parts.join("\n"))
}

fn file_for(key: &str) -> Option<PathBuf> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    Some(dir()?.join(format!("fields-{h:016x}.json")))
}

/// Whether a discovery of `key` is stored (without reading it; a different key of the same
/// hash is found out when it is loaded).
pub fn holds(key: &str) -> bool {
    file_for(key).is_some_and(|f| f.is_file())
}

/// The cached discovery of `key`, if there is one.
pub fn load(key: &str) -> Option<(BTreeMap<String, Seen>, u64)> {
    let text = std::fs::read_to_string(file_for(key)?).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    if v.get("key")?.as_str()? != key {
        return None;
    }
    let docs = v.get("docs")?.as_u64()?;
    let mut out = BTreeMap::new();
    for f in v.get("fields")?.as_array()? {
        let path = f.get(0)?.as_str()?.to_string();
        let inferred = match f.get(1)? {
            serde_json::Value::Null => None,
            t => Some(EsType::from_name(t.as_str()?)?),
        };
        out.insert(path, Seen { inferred, docs: f.get(2)?.as_u64()? });
    }
    Some((out, docs))
}

/// Stores a discovery; failures are ignored (the cache is an optimisation).
pub fn store(key: &str, fields: &BTreeMap<String, Seen>, docs: u64) {
    let Some(file) = file_for(key) else { return };
    let rows: Vec<serde_json::Value> =
        fields.iter().map(|(p, s)| serde_json::json!([p, s.inferred.map(|t| t.name()), s.docs])).collect();
    let doc = serde_json::json!({ "key": key, "docs": docs, "fields": rows });
    let Some(parent) = file.parent() else { return };
    if std::fs::create_dir_all(parent).is_err() {
        return;
    }
    prune(parent);
    // Written aside and renamed, so a concurrent reader never sees half a file.
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, doc.to_string()).is_ok() && std::fs::rename(&tmp, &file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Entries kept; the oldest go first.
const KEEP: usize = 256;

fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("fields-"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() < KEEP {
        return;
    }
    files.sort();
    for (_, f) in &files[..files.len() + 1 - KEEP] {
        let _ = std::fs::remove_file(f);
    }
}
