//! The part files `_bulk` writes into an index's folder, and how their names make a
//! request's writes all-or-nothing. Request S writes its new documents as `bulk-S.ndjson`
//! (sequence numbers count the index's requests), and a part P it deletes or replaces
//! documents of as `bulk-P.rS.ndjson`: part P as request S left it. The rewrites are written
//! first and `bulk-S.ndjson` last (empty if S added nothing): a rewrite counts only once the
//! part of the request that made it is there, so a crash before that last rename leaves the
//! index exactly as before the request. Every file is written whole before it gets its name
//! (`files::write_with`): a part is there or not, never half. Each line is one document with
//! its `_id` and `_version` first.

use crate::io::files;
use crate::io::Error;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

const PREFIX: &str = "bulk-";
const SUFFIX: &str = ".ndjson";

/// A part file: the part (the request that first wrote it) and the request that wrote this
/// version of it (the same, for the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartName {
    /// The request that wrote the part first.
    pub seq: u64,
    /// The request that wrote this version.
    pub by: u64,
}

impl PartName {
    /// The first version of part `seq`.
    pub fn first(seq: u64) -> PartName {
        PartName { seq, by: seq }
    }

    /// Its file name.
    pub fn file_name(self) -> String {
        if self.by == self.seq {
            format!("{PREFIX}{:06}{SUFFIX}", self.seq)
        } else {
            format!("{PREFIX}{:06}.r{:06}{SUFFIX}", self.seq, self.by)
        }
    }

    /// The name of a part file, if `name` is one.
    pub fn parse(name: &str) -> Option<PartName> {
        let stem = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
        let number =
            |s: &str| (s.len() >= 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten();
        match stem.split_once(".r") {
            Some((seq, by)) => {
                let (seq, by) = (number(seq)?, number(by)?);
                (by > seq).then_some(PartName { seq, by })
            }
            None => number(stem).map(PartName::first),
        }
    }
}

fn part_name(p: &Path) -> Option<PartName> {
    p.file_name().and_then(|n| n.to_str()).and_then(PartName::parse)
}

/// The version of each committed part that counts, by part: a rewrite counts once the
/// request that made it is committed, and the latest such one wins.
pub fn versions(names: impl IntoIterator<Item = PartName>) -> BTreeMap<u64, u64> {
    let names: Vec<PartName> = names.into_iter().collect();
    let mut committed: BTreeSet<u64> = names.iter().filter(|n| n.by == n.seq).map(|n| n.seq).collect();
    // A rewrite by a committed request is evidence of its part (whose first file may be gone).
    loop {
        let more: Vec<u64> =
            names.iter().filter(|n| committed.contains(&n.by) && !committed.contains(&n.seq)).map(|n| n.seq).collect();
        if more.is_empty() {
            break;
        }
        committed.extend(more);
    }
    let mut latest = BTreeMap::new();
    for n in names.iter().filter(|n| committed.contains(&n.seq) && committed.contains(&n.by)) {
        let by = latest.entry(n.seq).or_insert(n.by);
        *by = (*by).max(n.by);
    }
    latest
}

/// `paths` without the parts that do not count (superseded, or rewrites of a request that
/// never finished); other files go through.
pub fn current(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let latest = versions(paths.iter().filter_map(|p| part_name(p)));
    paths.into_iter().filter(|p| part_name(p).is_none_or(|n| latest.get(&n.seq) == Some(&n.by))).collect()
}

/// The part files of `dir` that do not count.
pub fn superseded(dir: &Path) -> Vec<PathBuf> {
    let all = list(dir);
    let keep: HashSet<PathBuf> = current(all.clone()).into_iter().collect();
    all.into_iter().filter(|p| !keep.contains(p)).collect()
}

/// The next request's sequence number in `dir`: past every number any file uses, so a
/// request never takes the number of an unfinished one whose rewrites are still there.
pub fn next_seq(dir: &Path) -> u64 {
    list(dir).iter().filter_map(|p| part_name(p)).map(|n| n.by.max(n.seq)).max().map_or(1, |m| m + 1)
}

/// Every part file of `dir`, current or not.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut out: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| part_name(p).is_some()).collect();
    out.sort();
    out
}

/// Writes a part of `lines` (each one document, no newline) as `dir/name`, durably.
pub fn write<'a>(dir: &Path, name: PartName, lines: impl Iterator<Item = &'a str>) -> Result<PathBuf, Error> {
    let path = dir.join(name.file_name());
    files::write_with(&path, |file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        for line in lines {
            std::io::Write::write_all(&mut out, line.as_bytes())
                .and_then(|()| std::io::Write::write_all(&mut out, b"\n"))
                .map_err(|e| Error::file(&path, e))?;
        }
        std::io::Write::flush(&mut out).map_err(|e| Error::file(&path, e))
    })?;
    Ok(path)
}

/// A document line's `_id` and `_version`.
#[derive(serde::Deserialize)]
pub struct Meta<'a> {
    #[serde(borrow, rename = "_id")]
    /// The document's id.
    pub id: std::borrow::Cow<'a, str>,
    #[serde(rename = "_version", default)]
    /// Its version.
    pub version: Option<u64>,
}

/// A stored line, with its document's id and version.
pub type Line = (String, Option<(String, u64)>);

/// The lines of a part with each one's `_id` and `_version` (a line without an id, which
/// this server never writes, is kept and has none).
pub fn read(path: &Path) -> Result<Vec<Line>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let meta = serde_json::from_str::<Meta>(line).ok().map(|m| (m.id.into_owned(), m.version.unwrap_or(1)));
            (line.to_string(), meta)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn names_round_trip() {
        for n in [PartName::first(42), PartName { seq: 7, by: 1_234_567 }] {
            assert_eq!(PartName::parse(&n.file_name()), Some(n));
        }
        for not in [
            "bulk-42.ndjson",
            "bulk-000042.r000042.ndjson",
            "bulk-000042.r000001.ndjson",
            "x.ndjson",
            ".bulk-000001.ndjson.esql-1.tmp",
        ] {
            assert_eq!(PartName::parse(not), None, "{not}");
        }
    }

    #[test]
    fn a_rewrite_counts_once_its_request_is_committed() {
        // Request 3 rewrote part 1 and finished; request 4 rewrote part 2 and crashed.
        let all = paths(&[
            "a.ndjson",
            "bulk-000001.ndjson",
            "bulk-000001.r000003.ndjson",
            "bulk-000002.ndjson",
            "bulk-000002.r000004.ndjson",
            "bulk-000003.ndjson",
        ]);
        let kept = paths(&["a.ndjson", "bulk-000001.r000003.ndjson", "bulk-000002.ndjson", "bulk-000003.ndjson"]);
        assert_eq!(current(all), kept);
        // Part 3's first file gone (superseded by request 5): its rewrite of part 1 still counts.
        let later = paths(&["bulk-000001.r000003.ndjson", "bulk-000003.r000005.ndjson", "bulk-000005.ndjson"]);
        assert_eq!(current(later.clone()), later);
    }
}
