//! Checking a plan made from a sample of the documents (no full field discovery): the scan
//! watches the columns whose existence or type the sample could not settle, and says at
//! the end whether the documents it read agree. When they do not, the caller learns every
//! field and plans again.

use crate::io::catalog::is_metadata_field;
use crate::io::catalog::schema::{typed, FieldInfo, TypeSource};
use crate::io::json::widen;
use crate::types::{ColumnDef, EsType};
use std::collections::{BTreeMap, BTreeSet};

/// One column of one sampled index whose values the scan looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct Watch {
    /// The column.
    pub col: usize,
    /// The type its values are read as in this index.
    pub own: EsType,
    /// Typed by its values (neither mapping nor ECS): a value of another JSON kind would
    /// change its type.
    pub inferred: bool,
}

/// What the scan saw of one watched column in one index.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Observed {
    /// Some document held a value for it.
    pub seen: bool,
    /// The type its values infer to, widened.
    pub ty: Option<EsType>,
}

impl Observed {
    /// Notes one raw JSON value.
    pub fn note(&mut self, raw: &[u8]) {
        if let Some(t) = crate::io::json::infer_raw(raw) {
            self.seen = true;
            self.ty = Some(self.ty.map_or(t, |o| widen(o, t)));
        }
    }

    /// Joins what another reader saw.
    pub fn join(&mut self, other: Observed) {
        self.seen |= other.seen;
        self.ty = match (self.ty, other.ty) {
            (Some(a), Some(b)) => Some(widen(a, b)),
            (a, b) => a.or(b),
        };
    }
}

/// The checks of one scan: what was assumed and what was seen.
#[derive(Clone, Debug, Default)]
pub struct Checks {
    /// Per index (its place in the scan), its watched columns.
    pub watches: BTreeMap<usize, Vec<Watch>>,
    /// Columns some index's sample or known fields hold: they exist whatever the scan sees.
    pub present: BTreeSet<usize>,
    /// What the readers saw, per (index, column).
    pub observed: BTreeMap<(usize, usize), Observed>,
}

impl Checks {
    /// True when the documents read agree with the plan: every watched column exists (in
    /// a sample, or a document held it), and no inferred one met a value that would have
    /// typed it otherwise.
    pub fn hold(&self) -> bool {
        let seen = |index: usize, col: usize| self.observed.get(&(index, col)).copied().unwrap_or_default();
        let mut exists = self.present.clone();
        for (index, watches) in &self.watches {
            for w in watches {
                let o = seen(*index, w.col);
                if o.seen {
                    exists.insert(w.col);
                }
                if w.inferred && o.ty.is_some_and(|t| widen(w.own, t) != w.own) {
                    return false;
                }
            }
        }
        self.watches.values().flatten().all(|w| exists.contains(&w.col))
    }
}

/// The fields a sampled index is scanned with, and its watched columns: its sample, plus
/// every needed column the sample lacks (typed by ECS, else as the column), read all the
/// same because later documents may hold it. Columns the sample holds are put in `present`.
pub fn sampled_fields(
    sample: &BTreeMap<String, FieldInfo>,
    columns: &[ColumnDef],
    needed: &[bool],
    present: &mut BTreeSet<usize>,
) -> (BTreeMap<String, FieldInfo>, Vec<Watch>) {
    let mut fields = sample.clone();
    let mut watches = Vec::new();
    for (k, c) in columns.iter().enumerate() {
        if !needed.get(k).copied().unwrap_or(true) || is_metadata_field(&c.name) {
            continue;
        }
        match sample.get(&c.name) {
            Some(f) => {
                present.insert(k);
                if f.source == TypeSource::Inferred {
                    watches.push(Watch { col: k, own: f.ty, inferred: true });
                }
            }
            None => {
                let f = typed(&c.name, c.ty);
                watches.push(Watch { col: k, own: f.ty, inferred: f.source == TypeSource::Inferred });
                fields.insert(c.name.clone(), f);
            }
        }
    }
    (fields, watches)
}
