//! Documents as they come: NDJSON (`.ndjson`, `.jsonl`, `.json`), a JSON array of documents,
//! or pretty-printed documents one after another, each possibly gzip- or zstd-compressed.
//! What is not one document per line is detected from its first bytes, not guessed from the
//! name, and streamed through [`JsonLines`], which writes each top-level document on a line
//! of its own, so every reader sees NDJSON; an Elasticsearch dump's hits are then unwrapped
//! (`dump`).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Bytes looked at to tell NDJSON from the other shapes.
const SNIFF: usize = 64 << 10;

/// How a file is compressed, by its last extension.
fn compression(path: &Path) -> Option<&'static str> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("gz") => Some("gz"),
        Some("zst") => Some("zst"),
        _ => None,
    }
}

/// Whether the file must be read as one stream: compressed, or not one document per line.
pub fn is_stream(path: &Path) -> Result<bool, crate::io::Error> {
    if compression(path).is_some() {
        return Ok(true);
    }
    // Every query plans every file: read only up to the first document's line end, in
    // small steps, rather than the whole sniff window.
    let mut f = std::fs::File::open(path).map_err(|e| crate::io::Error::file(path, e))?;
    let (mut head, mut step) = (Vec::new(), [0u8; 4096]);
    while head.len() < SNIFF && !first_line_read(&head) {
        match f.read(&mut step).map_err(|e| crate::io::Error::file(path, e))? {
            0 => break,
            n => head.extend_from_slice(&step[..n]),
        }
    }
    head.truncate(SNIFF);
    // An elasticdump file is NDJSON whose lines must be unwrapped: it streams too.
    let first = head.split(|&b| b == b'\n').find(|l| !l.iter().all(u8::is_ascii_whitespace)).unwrap_or_default();
    Ok(!is_ndjson(&head) || super::dump::kind(first) != super::dump::Kind::Documents)
}

/// Whether `head` holds a line end after its first non-blank byte.
fn first_line_read(head: &[u8]) -> bool {
    head.iter().position(|b| !b.is_ascii_whitespace()).is_some_and(|p| head[p..].contains(&b'\n'))
}

/// The file's bytes, decompressed, as NDJSON.
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>, crate::io::Error> {
    let file = std::fs::File::open(path).map_err(|e| crate::io::Error::file(path, e))?;
    let raw = BufReader::with_capacity(1 << 20, file);
    let decoded: Box<dyn Read + Send> = match compression(path) {
        Some("gz") => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Some("zst") => {
            Box::new(zstd::stream::read::Decoder::with_buffer(raw).map_err(|e| crate::io::Error::file(path, e))?)
        }
        _ => Box::new(raw),
    };
    let mut buffered = BufReader::with_capacity(1 << 20, decoded);
    let head = buffered.fill_buf().map_err(|e| crate::io::Error::file(path, e))?;
    let lines: Box<dyn Read + Send> =
        if is_ndjson(&head[..head.len().min(SNIFF)]) { Box::new(buffered) } else { Box::new(JsonLines::new(buffered)) };
    unwrap_dump(lines).map_err(|e| crate::io::Error::file(path, e))
}

/// Document lines, with an Elasticsearch dump's hits unwrapped: the first document decides.
fn unwrap_dump(lines: Box<dyn Read + Send>) -> std::io::Result<Box<dyn Read + Send>> {
    let mut lines = BufReader::with_capacity(1 << 16, lines);
    let mut first = Vec::new();
    while first.iter().all(u8::is_ascii_whitespace) {
        first.clear();
        if lines.read_until(b'\n', &mut first)? == 0 {
            break;
        }
    }
    let kind = super::dump::kind(first.strip_suffix(b"\n").unwrap_or(&first));
    let all = std::io::Cursor::new(first).chain(lines);
    Ok(match kind {
        super::dump::Kind::Documents => Box::new(all),
        kind => Box::new(super::dump::Unwrap::new(kind, BufReader::new(all))),
    })
}

/// Whether `head` starts like NDJSON: an object whose first line holds it whole (or nothing).
fn is_ndjson(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
    let Some(start) = head.iter().position(|b| !b.is_ascii_whitespace()) else { return true };
    if head[start] != b'{' {
        return head[start] != b'[';
    }
    let line_end = head[start..].iter().position(|&b| b == b'\n').map_or(head.len(), |p| start + p);
    // The first document closes on its first line (or the sniffed bytes end inside it).
    let mut scan = Depth::default();
    head[start..line_end].iter().any(|&b| scan.step(b).closed) || line_end == head.len()
}

/// Nesting and strings, byte by byte.
#[derive(Default)]
struct Depth {
    depth: u32,
    in_string: bool,
    escaped: bool,
}

/// What one byte did.
struct Step {
    /// It closed a top-level value.
    closed: bool,
    /// It is structure outside any value (whitespace, the array's brackets and commas).
    outside: bool,
}

impl Depth {
    fn step(&mut self, b: u8) -> Step {
        let outside = self.depth == 0 && !self.in_string;
        if self.in_string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            return Step { closed: false, outside: false };
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                return Step { closed: self.depth == 0, outside: false };
            }
            _ => {}
        }
        Step { closed: false, outside: outside && !matches!(b, b'"' | b'{' | b'[') }
    }
}

/// A reader of JSON documents in any of the shapes above, giving one document per line.
pub struct JsonLines<R: Read> {
    inner: R,
    buf: Vec<u8>,
    at: usize,
    len: usize,
    depth: Depth,
    /// The first significant byte decides: `[` opens the array of documents.
    array: Option<bool>,
    /// Inside a top-level value that is not an object or array (`[1, 2]`): passed on, so
    /// that the decoder says it is not a document.
    scalar: bool,
    eof: bool,
}

impl<R: Read> JsonLines<R> {
    /// Reads `inner`, a JSON array or pretty-printed documents.
    pub fn new(inner: R) -> JsonLines<R> {
        JsonLines {
            inner,
            buf: vec![0; 1 << 16],
            at: 0,
            len: 0,
            depth: Depth::default(),
            array: None,
            scalar: false,
            eof: false,
        }
    }
}

impl<R: Read> Read for JsonLines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n + 1 < out.len() {
            if self.at == self.len {
                if self.eof {
                    break;
                }
                self.len = self.inner.read(&mut self.buf)?;
                self.at = 0;
                if self.len == 0 {
                    self.eof = true;
                    break;
                }
            }
            let b = self.buf[self.at];
            self.at += 1;
            if self.array.is_none() && !b.is_ascii_whitespace() && b != 0xEF && b != 0xBB && b != 0xBF {
                self.array = Some(b == b'[');
                if b == b'[' {
                    continue;
                }
            }
            let step = self.depth.step(b);
            if step.outside {
                // Between documents: whitespace, and the array's commas and closing bracket;
                // anything else there is a value that is not a document, kept on its own line.
                let separator = b.is_ascii_whitespace() || (self.array == Some(true) && matches!(b, b',' | b']'));
                if separator {
                    if std::mem::take(&mut self.scalar) {
                        out[n] = b'\n';
                        n += 1;
                    }
                    continue;
                }
                self.scalar = true;
            }
            out[n] = if matches!(b, b'\n' | b'\r') && !self.depth.in_string { b' ' } else { b };
            n += 1;
            if step.closed {
                out[n] = b'\n';
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str) -> String {
        let mut out = String::new();
        JsonLines::new(input.as_bytes()).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn every_shape_becomes_one_document_per_line() {
        assert_eq!(lines("[{\"a\": 1},\n {\"a\": [2, 3]}\n]\n"), "{\"a\": 1}\n{\"a\": [2, 3]}\n");
        assert_eq!(
            lines("{\n  \"a\": \"x\\\"}\",\n  \"b\": {\"c\": 1}\n}\n{\"a\": 2}"),
            "{   \"a\": \"x\\\"}\",   \"b\": {\"c\": 1} }\n{\"a\": 2}\n"
        );
        assert_eq!(lines("{\"a\": 1}\n{\"a\": 2}\n"), "{\"a\": 1}\n{\"a\": 2}\n");
        assert_eq!(lines("[1, 2,3]"), "1\n2\n3\n");
        assert!(is_ndjson(b"{\"a\": 1}\n{\"a\": 2}\n"));
        assert!(!is_ndjson(b"{\n  \"a\": 1\n}\n"));
        assert!(!is_ndjson(b"  [{\"a\": 1}]"));
        assert!(is_ndjson(b""));
    }
}
