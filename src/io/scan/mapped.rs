//! A plain file's chunk read in place: its pages mapped into memory rather than copied into
//! a buffer (the kernel's copy was a tenth of a scan's time).

use super::chunks::{line_of, max_line_bytes, too_long, Block, BOM};
use std::path::Path;
use std::time::Duration;

/// A block's bytes: read into memory, or a plain file's pages mapped in place.
pub enum Bytes {
    Owned(Vec<u8>),
    /// Bytes `lo..hi` of a mapped file.
    Mapped {
        map: memmap2::Mmap,
        lo: usize,
        hi: usize,
    },
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped { map, lo, hi } => &map[*lo..*hi],
        }
    }
}

/// The lines starting in `[start, end)` in place, from the file's pages mapped into memory:
/// reading copied every byte once more (a tenth of a scan's time in the kernel's copy).
/// `None` when the file is not mapped (empty, changed within `settled`, or on a file system
/// without mmap); the caller reads it then.
pub(super) fn map_range(
    path: &Path,
    (start, end): (u64, u64),
    settled: Duration,
) -> Result<Option<Block>, crate::io::Error> {
    let err = |e: std::io::Error| crate::io::Error::file(path, e);
    let file = std::fs::File::open(path).map_err(err)?;
    let meta = file.metadata().map_err(err)?;
    let len = meta.len();
    let age = meta.modified().ok().and_then(|m| m.elapsed().ok());
    if len == 0 || end > len || age.is_none_or(|a| a < settled) {
        return Ok(None);
    }
    // Mapped from the page holding `start - 1`, past `end` far enough for most last lines;
    // the whole rest of the file when the last line is longer.
    let base = start.saturating_sub(1) & !4095;
    let Some(mut map) = map_window(&file, base, (end + MAP_TAIL).min(len)) else { return Ok(None) };
    let (lo, end) = ((start.saturating_sub(1) - base) as usize, (end - base) as usize);
    let Some(first) = first_line(&map, start == 0, lo, end) else {
        // No line starts in the range: the previous chunk's last line covers it.
        return Ok(Some(Block { bytes: Bytes::Owned(Vec::new()), start: 0, offset: Some(base + end as u64) }));
    };
    let mut tail = memchr::memchr(b'\n', &map[end - 1..]);
    if tail.is_none() && base + (map.len() as u64) < len {
        let Some(whole) = map_window(&file, base, len) else { return Ok(None) };
        map = whole;
        tail = memchr::memchr(b'\n', &map[end - 1..]);
    }
    let hi = tail.map_or(map.len(), |p| end + p);
    let last_start =
        memchr::memrchr(b'\n', &map[first..hi.saturating_sub(1).max(first)]).map_or(first, |p| first + p + 1);
    if hi - last_start > max_line_bytes() {
        return Err(too_long(path, line_of(path, base + last_start as u64)));
    }
    Ok(Some(Block { bytes: Bytes::Mapped { map, lo: first, hi }, start: 0, offset: Some(base + first as u64) }))
}

/// Where the first line starting in `lo + 1..end` of `map` starts (after a byte order mark
/// at the file's start), if one does.
fn first_line(map: &[u8], at_file_start: bool, lo: usize, end: usize) -> Option<usize> {
    let first = match at_file_start {
        true if map.starts_with(BOM) => BOM.len(),
        true => 0,
        false => lo + memchr::memchr(b'\n', &map[lo..end])? + 1,
    };
    (first < end).then_some(first)
}

/// A file changed more recently than this may still be written, or cut short by a log
/// rotation (which would fault a mapped read): it is read, not mapped.
pub(super) const SETTLED: Duration = Duration::from_secs(60);

/// How far past its range a chunk's map reaches at first, for its last line.
const MAP_TAIL: u64 = 256 << 10;

/// Bytes `base..upto` of `file` mapped read only, `None` where the file cannot be mapped.
/// Pages are faulted in as the scan reaches them: mapping them all up front (MAP_POPULATE)
/// was slower, one thread faulting a whole chunk before its scan began.
fn map_window(file: &std::fs::File, base: u64, upto: u64) -> Option<memmap2::Mmap> {
    let len = usize::try_from(upto - base).ok()?;
    // SAFETY: the map is read only. A file cut shorter while mapped would fault the process
    // (SIGBUS): only files unchanged for a while are mapped (`SETTLED`).
    unsafe { memmap2::MmapOptions::new().offset(base).len(len).map(file) }.ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::scan::chunks::{first_lines, read_range, Block};

    #[test]
    fn every_line_belongs_to_exactly_one_chunk() {
        let dir = std::env::temp_dir().join(format!("esql-chunks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("x.ndjson");
        // Some lines longer than a map's first reach past its range (`MAP_TAIL`).
        let pad = |i: usize| if i % 97 == 5 { 300_000 + i } else { i % 500 };
        let lines: Vec<String> =
            (0..800).map(|i| format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(pad(i)))).collect();
        let whole = lines.join("\n");
        std::fs::write(&path, &whole).expect("write");
        let read = |r| read_range(&path, r).expect("read");
        let map = |r| map_range(&path, r, Duration::ZERO).expect("map").expect("mapped");
        for size in [97u64, 4096, 1 << 20] {
            let len = std::fs::metadata(&path).expect("meta").len();
            let starts: Vec<u64> = (0..len.div_ceil(size)).map(|k| k * size).collect();
            let firsts = first_lines(&path, &starts).expect("count");
            for (how, get) in [("read", &read as &dyn Fn((u64, u64)) -> Block), ("map", &map)] {
                let mut got = Vec::new();
                for (k, &s) in starts.iter().enumerate() {
                    let block = get((s, (s + size).min(len)));
                    let text = String::from_utf8(block.lines().to_vec()).expect("utf8");
                    let mine: Vec<&str> = text.lines().collect();
                    if let Some(first) = mine.first() {
                        assert_eq!(*first, lines[firsts[k] as usize - 1], "{how}: chunk {k} of size {size}");
                        let at = block.offset.expect("offset") as usize;
                        assert_eq!(&whole[at..at + first.len()], *first, "{how}: offset of chunk {k}");
                    }
                    got.extend(mine.into_iter().map(str::to_string));
                }
                assert!(got == lines, "{how}: size {size}");
            }
        }
        assert!(map_range(&path, (0, 10), Duration::from_secs(3600)).expect("map").is_none(), "a fresh file is read");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
