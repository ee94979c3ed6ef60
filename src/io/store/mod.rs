//! Durable writes into a data directory, as `_bulk` asks for them: documents indexed,
//! created or deleted by id. A request's new documents for an index become one new part in
//! the index's folder (`NAME/bulk-000042.ndjson`, `part.rs`), written whole and fsynced
//! before the request is answered, and readers, which list the parts when a query starts, see
//! whole documents only. Deleting or replacing a document rewrites the part holding it; the
//! names make the request's files count all together or not at all (`part.rs`), so a crash
//! never loses a document a finished request wrote, nor shows half a request. Superseded
//! files go once no reader can still open them (`retire`, `sweep`). An index the writes
//! create gets its template's mapping (`template.rs`).

pub mod part;
pub mod refusal;
pub mod template;

pub use refusal::{check_id, check_index_name, Refusal};

use crate::io::catalog::DataDir;
use part::PartName;
use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Weak;

/// What a bulk item asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Adds or replaces the document.
    Index,
    /// Adds the document; refused when its id is taken.
    Create,
    /// Removes the document.
    Delete,
    /// Changes part of the document (refused: the caller sets `Item::refused`).
    Update,
}

impl Action {
    /// Its name in a bulk body and response.
    pub fn name(self) -> &'static str {
        match self {
            Action::Index => "index",
            Action::Create => "create",
            Action::Delete => "delete",
            Action::Update => "update",
        }
    }
}

/// One item of a bulk request.
#[derive(Clone, Debug)]
pub struct Item {
    /// What it asks.
    pub action: Action,
    /// The index (or data stream) it names.
    pub index: String,
    /// The document's id (`None`: one is made).
    pub id: Option<String>,
    /// The document (one line of JSON) for `index` and `create`.
    pub source: Option<String>,
    /// Refused before it reaches the index (what the caller does not carry out).
    pub refused: Option<Refusal>,
}

/// What became of an item.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// What the item asked.
    pub action: Action,
    /// The index as ES reports it (a data stream's backing index).
    pub index: String,
    /// The document's id, given or made.
    pub id: Option<String>,
    /// The write, or why there was none.
    pub result: Result<Done, Refusal>,
}

/// A write that was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    /// The document's version after the write.
    pub version: u64,
    /// `created`, `updated`, `deleted` or `not_found`.
    pub result: &'static str,
    /// The item's HTTP status.
    pub status: u16,
    /// The write's sequence number in its index.
    pub seq_no: u64,
}

/// Where a document is.
#[derive(Clone, Copy, Debug)]
struct Loc {
    part: u64,
    version: u64,
}

/// One index as this process knows it.
#[derive(Default)]
struct Known {
    /// Whether the folder was listed.
    listed: bool,
    /// The request that wrote the version of each part that counts, by part.
    parts: BTreeMap<u64, u64>,
    /// The next request's sequence number.
    next_seq: u64,
    /// Every document's place, read the first time an id is asked for.
    ids: Option<HashMap<String, Loc>>,
    seq_no: u64,
}

/// The writer of one data directory. One at a time: the caller holds it behind a lock.
pub struct Store {
    root: PathBuf,
    known: HashMap<String, Known>,
    ids: idgen::Ids,
    /// Parts superseded by the last writes, not yet handed to `retire`.
    superseded: Vec<PathBuf>,
    /// Superseded parts, each with a token of the directory listing that may still name it:
    /// the file goes once no reader holds that listing.
    graves: Vec<(PathBuf, Weak<dyn Any + Send + Sync>)>,
}

mod commit;
mod idgen;
mod pending;
mod update;

use pending::{Pending, Target};

impl Store {
    /// The writer of the data directory `root`.
    pub fn new(root: &Path) -> Store {
        let (known, ids) = (HashMap::new(), idgen::Ids::new());
        Store { root: root.to_path_buf(), known, ids, superseded: vec![], graves: vec![] }
    }

    /// The data directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Applies `items` in order against `dir` (the directory as readers see it now) and
    /// writes them durably. Returns what became of each.
    pub fn apply(&mut self, dir: &DataDir, items: Vec<Item>) -> Vec<Outcome> {
        let mut pending: Vec<(String, Pending)> = Vec::new();
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            let at = match pending.iter().position(|(n, _)| *n == item.index) {
                _ if item.refused.is_some() => usize::MAX,
                Some(at) => at,
                None if check_index_name(&item.index).is_err() => usize::MAX,
                None => {
                    let target = Target::of(dir, &self.root, &item.index);
                    pending.push((item.index.clone(), Pending::new(target)));
                    pending.len() - 1
                }
            };
            let outcome = match pending.get_mut(at) {
                Some((_, p)) => self.plan_item(p, item, outcomes.len()),
                None => refused(&item, item.refused.clone().or(check_index_name(&item.index).err())),
            };
            outcomes.push(outcome);
        }
        for (name, p) in pending {
            let waiting = p.waiting.clone();
            match self.commit(&name, p) {
                Ok(mut old) => self.superseded.append(&mut old),
                Err(e) => {
                    for k in waiting {
                        outcomes[k].result = Err(e.clone());
                    }
                }
            }
        }
        outcomes
    }

    /// Hands the parts the last writes superseded to the graves, with `listing`: a token of
    /// the directory listing readers held until now, which may still name them.
    pub fn retire(&mut self, listing: Weak<dyn Any + Send + Sync>) {
        for path in self.superseded.drain(..) {
            self.graves.push((path, listing.clone()));
        }
    }

    /// Removes the superseded parts no reader can open any more.
    pub fn sweep(&mut self) {
        self.graves.retain(|(path, listing)| {
            let held = listing.strong_count() > 0;
            if !held {
                let _ = std::fs::remove_file(path);
            }
            held
        });
    }

    /// Decides one item against what is written and what this request did before it.
    fn plan_item(&mut self, p: &mut Pending, item: Item, position: usize) -> Outcome {
        // A refused item names the index as it was sent; a write, where it landed.
        let fail = |e: Refusal| Outcome {
            action: item.action,
            index: item.index.clone(),
            id: item.id.clone(),
            result: Err(e),
        };
        if let Err(e) = p.target.accepts(item.action) {
            return fail(e);
        }
        if item.action == Action::Update && item.id.is_none() {
            return fail(Refusal::bad("action_request_validation_exception", "Validation Failed: 1: id is missing;"));
        }
        let explicit = item.id.is_some();
        let id = match item.id.clone() {
            Some(id) => id,
            None => self.ids.next(),
        };
        if let Err(e) = check_id(&id) {
            return fail(e);
        }
        // A fresh id is in no part: only a given one is looked for (which reads the ids once).
        let now = if explicit { self.lookup(&item.index, p, &id) } else { None };
        let on_disk = if explicit { self.located(&item.index, &id) } else { None };
        let version = now.map_or(1, |v| v + 1);
        let done = match (item.action, now) {
            (Action::Create, Some(v)) => {
                let reason = format!("[{id}]: version conflict, document already exists (current version [{v}])");
                return fail(Refusal { status: 409, kind: "version_conflict_engine_exception", reason });
            }
            (Action::Delete, None) => Done { version: 1, result: "not_found", status: 404, seq_no: 0 },
            (Action::Delete, Some(_)) => {
                p.remove(&id, on_disk);
                Done { version, result: "deleted", status: 200, seq_no: 0 }
            }
            (_, now) => {
                let source = match item.action {
                    Action::Update => {
                        let current = now.and_then(|_| self.current_line(&item.index, p, &id, on_disk));
                        match update::apply(current.as_deref(), item.source.as_deref().unwrap_or(""), &id) {
                            Ok(update::Update::Write(s)) => s,
                            Ok(update::Update::Noop) => {
                                let version = now.unwrap_or(1);
                                return Outcome {
                                    action: item.action,
                                    index: p.target.report.clone(),
                                    id: Some(id),
                                    result: Ok(Done { version, result: "noop", status: 200, seq_no: 0 }),
                                };
                            }
                            Err(e) => return fail(e),
                        }
                    }
                    _ => item.source.clone().unwrap_or_default(),
                };
                let line = match p.target.line(&id, version, &source) {
                    Ok(l) => l,
                    Err(e) => return fail(e),
                };
                p.remove(&id, on_disk);
                p.put(id.clone(), line, version);
                let (result, status) = if now.is_some() { ("updated", 200) } else { ("created", 201) };
                Done { version, result, status, seq_no: 0 }
            }
        };
        p.waiting.push(position);
        let known = self.known.entry(item.index.clone()).or_default();
        known.seq_no += 1;
        let done = Done { seq_no: known.seq_no - 1, ..done };
        Outcome { action: item.action, index: p.target.report.clone(), id: Some(id), result: Ok(done) }
    }

    /// The version of `id` as this request leaves it so far (`None`: there is none).
    fn lookup(&mut self, index: &str, p: &Pending, id: &str) -> Option<u64> {
        if let Some(state) = p.state(id) {
            return state;
        }
        self.ids(index).get(id).map(|l| l.version)
    }

    /// The stored line of `id`: as this request left it, else from the part holding it.
    fn current_line(&mut self, index: &str, p: &Pending, id: &str, on_disk: Option<u64>) -> Option<String> {
        if p.state(id).is_some() {
            return p.line(id).map(str::to_string);
        }
        let part = on_disk?;
        let by = self.known(index).parts.get(&part).copied().unwrap_or(part);
        let path = self.root.join(index).join(PartName { seq: part, by }.file_name());
        let lines = part::read(&path).ok()?;
        lines.into_iter().find(|(_, m)| m.as_ref().is_some_and(|(i, _)| i == id)).map(|(l, _)| l)
    }

    /// The part holding `id` on disk, if any.
    fn located(&mut self, index: &str, id: &str) -> Option<u64> {
        self.ids(index).get(id).map(|l| l.part)
    }

    /// The part listing of `index`, read once.
    fn known(&mut self, index: &str) -> &mut Known {
        let dir = self.root.join(index);
        self.known.entry(index.to_string()).or_default().parts_from(&dir)
    }

    /// Where each document of `index` is, read once.
    fn ids(&mut self, index: &str) -> &HashMap<String, Loc> {
        let dir = self.root.join(index);
        let known = self.known(index);
        if known.ids.is_none() {
            let mut ids = HashMap::new();
            for (&seq, &by) in &known.parts {
                let path = dir.join(PartName { seq, by }.file_name());
                for (_, meta) in part::read(&path).unwrap_or_default() {
                    if let Some((id, version)) = meta {
                        ids.insert(id, Loc { part: seq, version });
                    }
                }
            }
            known.seq_no = known.seq_no.max(ids.len() as u64);
            known.ids = Some(ids);
        }
        known.ids.get_or_insert_with(HashMap::new)
    }
}

impl Known {
    /// Lists the parts of `dir` the first time.
    fn parts_from(&mut self, dir: &Path) -> &mut Known {
        if !self.listed {
            let names = part::list(dir)
                .iter()
                .filter_map(|p| p.file_name()?.to_str().and_then(PartName::parse))
                .collect::<Vec<_>>();
            self.parts = part::versions(names);
            self.next_seq = part::next_seq(dir);
            self.listed = true;
        }
        self
    }
}

/// An item refused before its index was looked at.
fn refused(item: &Item, why: Option<Refusal>) -> Outcome {
    let why = why.unwrap_or_else(|| Refusal::io("the item was not applied"));
    Outcome { action: item.action, index: item.index.clone(), id: item.id.clone(), result: Err(why) }
}

/// Removes what a crash or an earlier run left behind in `root`'s index folders: temporary
/// files of unfinished writes and superseded parts. For a time no reader runs (start-up).
pub fn tidy(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for dir in entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
        for old in part::superseded(&dir) {
            let _ = std::fs::remove_file(old);
        }
        crate::io::files::remove_leftovers(&dir);
    }
    crate::io::files::remove_leftovers(root);
}
