//! Splitting NDJSON files into line-aligned chunks that can be decoded independently, and
//! feeding each chunk's lines in blocks.
//!
//! A plain file is cut every [`CHUNK_BYTES`]; a chunk owns the lines that *start* in its byte
//! range, so no line is read twice or lost. A compressed file, or one that is not a document
//! per line (a JSON array, pretty-printed documents), is one chunk, streamed as NDJSON.

use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes per chunk of a plain file: large enough to amortise a thread hand-off, small
/// enough that two cores stay busy and memory stays flat.
pub const CHUNK_BYTES: u64 = 4 << 20;
/// Bytes read from a gzip stream at a time.
const STREAM_BLOCK: usize = 4 << 20;
/// The longest line read unless `ESQL_MAX_LINE_BYTES` says otherwise: far above any log
/// document, far below what would exhaust memory (a line is held whole while decoded).
const DEFAULT_MAX_LINE: usize = 32 << 20;

/// The longest line any reader accepts, in bytes.
pub fn max_line_bytes() -> usize {
    static MAX: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        std::env::var("ESQL_MAX_LINE_BYTES").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(DEFAULT_MAX_LINE)
    })
}

/// A UTF-8 byte order mark, which some Windows tools write at the start of a file.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The error for a line over the cap, naming where it starts.
pub(super) fn too_long(path: &Path, line: u64) -> crate::io::Error {
    crate::io::Error::Data(format!(
        "{}:{line}: line longer than {} bytes: not NDJSON, or a document too large to read \
         (ESQL_MAX_LINE_BYTES raises the cap)",
        path.display(),
        max_line_bytes()
    ))
}

/// One independently decodable piece of an index.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// Which index plan.
    pub plan: usize,
    /// The file.
    pub path: PathBuf,
    /// The byte range whose line starts it owns; `None` for a whole streamed file.
    pub range: Option<(u64, u64)>,
    /// The number of its first line, when known (always for streams; for ranges only when
    /// counted because `_id` needs it).
    pub first_line: Option<u64>,
    /// A Parquet or Arrow file, read by its own reader.
    pub columnar: bool,
    /// For Parquet: the row group this chunk reads.
    pub row_group: Option<usize>,
}

/// The chunks of `files` (of index plan `plan`), counting lines when `exact_lines`.
pub fn plan_chunks(plan: usize, files: &[PathBuf], exact_lines: bool) -> Result<Vec<Chunk>, crate::io::Error> {
    let mut out = Vec::new();
    for path in files {
        let columnar = crate::io::columnar::is_columnar(path);
        if columnar && path.extension().is_some_and(|e| e == "parquet") {
            let mut first = 1u64;
            for (k, rows) in crate::io::columnar::row_groups(path)?.into_iter().enumerate() {
                out.push(Chunk {
                    plan,
                    path: path.clone(),
                    range: None,
                    first_line: Some(first),
                    columnar,
                    row_group: Some(k),
                });
                first += rows;
            }
            continue;
        }
        if columnar || super::shape::is_stream(path)? {
            out.push(Chunk { plan, path: path.clone(), range: None, first_line: Some(1), columnar, row_group: None });
            continue;
        }
        let len = std::fs::metadata(path).map_err(|e| crate::io::Error::file(path, e))?.len();
        let starts: Vec<u64> = (0..len.div_ceil(CHUNK_BYTES).max(1)).map(|k| k * CHUNK_BYTES).collect();
        let lines = if exact_lines { Some(first_lines(path, &starts)?) } else { None };
        for (k, &start) in starts.iter().enumerate() {
            let end = (start + CHUNK_BYTES).min(len);
            let first_line = lines.as_ref().map(|l| l[k]);
            out.push(Chunk {
                plan,
                path: path.clone(),
                range: Some((start, end)),
                first_line,
                columnar: false,
                row_group: None,
            });
        }
    }
    Ok(out)
}

/// The number of the first line starting at or after each chunk start: one plus the
/// newlines before it.
pub(super) fn first_lines(path: &Path, starts: &[u64]) -> Result<Vec<u64>, crate::io::Error> {
    let file = std::fs::File::open(path).map_err(|e| crate::io::Error::file(path, e))?;
    let mut out = Vec::with_capacity(starts.len());
    let mut newlines = 0u64;
    let mut at = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    for &start in starts {
        // Lines starting in [start, ..) begin after the newline at or after start - 1.
        let upto = start.saturating_sub(1);
        while at < upto {
            let want = ((upto - at) as usize).min(buf.len());
            let n = file.read_at(&mut buf[..want], at).map_err(|e| crate::io::Error::file(path, e))?;
            if n == 0 {
                break;
            }
            newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            at += n as u64;
        }
        out.push(if start == 0 { 1 } else { newlines + 2 });
    }
    Ok(out)
}

/// The line number of byte `offset` of a plain file (for error messages).
pub fn line_of(path: &Path, offset: u64) -> u64 {
    let Ok(file) = std::fs::File::open(path) else { return 0 };
    let mut buf = vec![0u8; 1 << 20];
    let (mut at, mut newlines) = (0u64, 0u64);
    while at < offset {
        let want = ((offset - at) as usize).min(buf.len());
        match file.read_at(&mut buf[..want], at) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
                at += n as u64;
            }
        }
    }
    newlines + 1
}

/// Whole lines: `bytes[start..]`, and the file offset of `bytes[start]` when known. The
/// lines need not start at 0: moving 4 MiB down over a partial first line showed in
/// profiles.
pub struct Block {
    pub bytes: super::mapped::Bytes,
    pub start: usize,
    pub offset: Option<u64>,
}

impl Block {
    /// The block's lines.
    pub fn lines(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

/// Blocks of whole lines of one chunk.
pub enum Feed {
    /// A plain file's range, read at once.
    Range { path: PathBuf, range: (u64, u64), done: bool },
    /// A gzip stream, read block by block; `carry` holds a partial last line; `lines` counts
    /// the lines handed out, to name the one that is too long.
    Stream { reader: Box<dyn Read + Send>, carry: Vec<u8>, eof: bool, path: PathBuf, lines: u64 },
}

impl Feed {
    /// Opens the chunk.
    pub fn open(chunk: &Chunk) -> Result<Feed, crate::io::Error> {
        match chunk.range {
            Some(range) => Ok(Feed::Range { path: chunk.path.clone(), range, done: false }),
            None => {
                let reader = super::shape::open(&chunk.path)?;
                Ok(Feed::Stream { reader, carry: Vec::new(), eof: false, path: chunk.path.clone(), lines: 0 })
            }
        }
    }

    /// The next block of whole lines and its byte offset in the file (ranges only), or
    /// `None` at the end.
    pub fn next_block(&mut self) -> Result<Option<Block>, crate::io::Error> {
        match self {
            Feed::Range { path, range, done } => {
                if *done {
                    return Ok(None);
                }
                *done = true;
                match super::mapped::map_range(path, *range, super::mapped::SETTLED)? {
                    Some(block) => Ok(Some(block)),
                    None => read_range(path, *range).map(Some),
                }
            }
            Feed::Stream { reader, carry, eof, path, lines } => {
                while !*eof {
                    let mut block = std::mem::take(carry);
                    let have = block.len();
                    if have > max_line_bytes() {
                        return Err(too_long(path, *lines + 1));
                    }
                    block.resize(have + STREAM_BLOCK, 0);
                    let n =
                        read_full(reader.as_mut(), &mut block[have..]).map_err(|e| crate::io::Error::file(path, e))?;
                    block.truncate(have + n);
                    if n == 0 {
                        *eof = true;
                        return Ok((!block.is_empty()).then_some(Block {
                            bytes: super::mapped::Bytes::Owned(block),
                            start: 0,
                            offset: None,
                        }));
                    }
                    // Only the very first read starts at the file's first byte.
                    if *lines == 0 && have == 0 && block.starts_with(BOM) {
                        block.drain(..BOM.len());
                    }
                    // The carry holds no newline: only the new bytes are searched.
                    match memchr::memrchr(b'\n', &block[have..]) {
                        Some(last) => {
                            *carry = block.split_off(have + last + 1);
                            *lines += memchr::memchr_iter(b'\n', &block).count() as u64;
                            return Ok(Some(Block {
                                bytes: super::mapped::Bytes::Owned(block),
                                start: 0,
                                offset: None,
                            }));
                        }
                        None => *carry = block,
                    }
                }
                Ok(None)
            }
        }
    }
}

fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The lines starting in `[start, end)`: read from `start - 1` to see whether a line
/// starts at `start`, then on past `end` to finish the last line.
pub(super) fn read_range(path: &Path, (start, end): (u64, u64)) -> Result<Block, crate::io::Error> {
    let err = |e: std::io::Error| crate::io::Error::file(path, e);
    let mut file = std::fs::File::open(path).map_err(err)?;
    let lo = start.saturating_sub(1);
    // Read into spare capacity: zeroing 4 MiB per chunk first showed in profiles.
    let mut buf = Vec::with_capacity((end - lo) as usize + (64 << 10));
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(lo)).map_err(err)?;
    (&mut file).take(end - lo).read_to_end(&mut buf).map_err(err)?;
    let mut first = 0;
    if start == 0 && buf.starts_with(BOM) {
        first = BOM.len();
    }
    if start > 0 {
        match memchr::memchr(b'\n', &buf) {
            Some(p) => first = p + 1,
            None => return Ok(Block { bytes: super::mapped::Bytes::Owned(Vec::new()), start: 0, offset: Some(end) }),
        }
    }
    let offset = lo + first as u64;
    if buf.len() == first {
        return Ok(Block { bytes: super::mapped::Bytes::Owned(buf), start: first, offset: Some(offset) });
    }
    let mut at = end;
    let mut more = vec![0u8; 64 << 10];
    let last_start = memchr::memrchr(b'\n', &buf[first..]).map_or(first, |p| first + p + 1);
    while buf.last() != Some(&b'\n') {
        if buf.len() - last_start > max_line_bytes() {
            return Err(too_long(path, line_of(path, lo + last_start as u64)));
        }
        let n = file.read_at(&mut more, at).map_err(err)?;
        if n == 0 {
            break;
        }
        match memchr::memchr(b'\n', &more[..n]) {
            Some(p) => buf.extend_from_slice(&more[..=p]),
            None => buf.extend_from_slice(&more[..n]),
        }
        at += n as u64;
    }
    Ok(Block { bytes: super::mapped::Bytes::Owned(buf), start: first, offset: Some(offset) })
}
