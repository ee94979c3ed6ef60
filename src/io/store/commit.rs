//! Writing a request's changes to one index (`Store::commit`): the rewrites first, the
//! request's own part last, which makes them count (`part.rs`).

use super::part::{self, PartName};
use super::pending::Pending;
use super::{Known, Loc, Refusal, Store};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

impl Store {
    /// Writes one index's changes: its mapping if the request creates it, the parts that
    /// lose documents (rewritten), then the request's own part, which commits them all.
    pub(super) fn commit(&mut self, index: &str, p: Pending) -> Result<Vec<PathBuf>, Refusal> {
        let dir = self.root.join(index);
        let mut p = p;
        let (docs, removed) = p.finish();
        if docs.is_empty() && removed.is_empty() {
            return Ok(vec![]);
        }
        if let (Some(mapping), false) = (&p.target.new_mapping, docs.is_empty()) {
            let path = self.root.join(format!("{index}.mapping.json"));
            let text = serde_json::to_string_pretty(mapping).unwrap_or_default();
            crate::io::files::write(&path, text.as_bytes()).map_err(Refusal::io)?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Refusal::io(format!("{}: {e}", dir.display())))?;
        let known = self.known(index);
        let seq = known.next_seq;
        // Taken even if the writes fail: a rewrite left behind must never count for a later request.
        known.next_seq += 1;
        let mut written = Vec::new();
        let wrote = write_request(&dir, known, seq, &docs, &removed, &mut written);
        if let Err(e) = wrote {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
        let superseded: Vec<PathBuf> =
            removed.keys().map(|part| dir.join(PartName { seq: *part, by: known.parts[part] }.file_name())).collect();
        for part in removed.keys() {
            known.parts.insert(*part, seq);
        }
        known.parts.insert(seq, seq);
        if let Some(ids) = known.ids.as_mut() {
            for id in removed.values().flat_map(|s: &HashSet<String>| s.iter()) {
                ids.remove(id);
            }
            for (id, _, version) in &docs {
                ids.insert(id.clone(), Loc { part: seq, version: *version });
            }
        }
        Ok(superseded)
    }
}

/// Request `seq`'s files: each part that loses documents rewritten without them, then its
/// own part (empty when it only deleted), the rename that commits the rest.
fn write_request(
    dir: &Path,
    known: &Known,
    seq: u64,
    docs: &[(String, String, u64)],
    removed: &BTreeMap<u64, HashSet<String>>,
    written: &mut Vec<PathBuf>,
) -> Result<(), Refusal> {
    for (part, gone) in removed {
        let by = known.parts.get(part).copied().unwrap_or(*part);
        let lines = part::read(&dir.join(PartName { seq: *part, by }.file_name())).map_err(Refusal::io)?;
        let kept = lines.iter().filter(|(_, m)| m.as_ref().is_none_or(|(id, _)| !gone.contains(id)));
        written.push(
            part::write(dir, PartName { seq: *part, by: seq }, kept.map(|(l, _)| l.as_str())).map_err(Refusal::io)?,
        );
    }
    written.push(part::write(dir, PartName::first(seq), docs.iter().map(|(_, l, _)| l.as_str())).map_err(Refusal::io)?);
    Ok(())
}
