//! A targeted scanner over the bytes of one JSON document: it walks the structure without
//! building values, asks the visitor for each member path whether it wants it, and hands
//! over the raw bytes of wanted values only. Everything else is skipped (and checked for
//! well-formedness, so a broken line is still reported).

use crate::io::ndjson::skip::Open;
use std::borrow::Cow;

/// What the visitor wants of a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// Nothing: skip the value.
    Skip,
    /// Walk into objects and arrays; scalars found are given to [`Visitor::take`].
    Descend,
    /// The whole value, raw.
    Take,
}

/// Receives the members of a document. Members are named by nodes the visitor hands out:
/// the document is node 0, and [`Visitor::want`] names each member from its object's node
/// and its key (a decoding visitor walks a trie of the paths it reads; a collecting one
/// keeps the dotted path, see [`Paths`]).
pub trait Visitor {
    /// What to do with the member `key` (as bytes: only checked as UTF-8 when wanted) of the
    /// object `parent`, and the member's node.
    fn want(&mut self, parent: u32, key: &[u8]) -> (Want, u32);
    /// A wanted value: a whole value for [`Want::Take`], a non-null scalar for
    /// [`Want::Descend`]. False stops the scan (see [`scan`]).
    fn take(&mut self, node: u32, raw: &[u8]) -> bool;
    /// Whether every member name must be UTF-8 (a line with one that is not is an error).
    /// Field discovery asks it: a name that is not UTF-8 would otherwise become a field
    /// whose values read as null. Decoding does not pay for the check again.
    fn strict_names(&self) -> bool {
        false
    }
}

/// Dotted member paths for visitors that need them: a member's node is the length of its
/// path, valid while the scanner is inside that member.
#[derive(Default)]
pub struct Paths(Vec<u8>);

impl Paths {
    /// Starts a document.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The node of member `key` of `parent`.
    pub fn enter(&mut self, parent: u32, key: &[u8]) -> u32 {
        self.0.truncate(parent as usize);
        if parent > 0 {
            self.0.push(b'.');
        }
        self.0.extend_from_slice(key);
        self.0.len() as u32
    }

    /// The dotted path of `node`.
    pub fn get(&self, node: u32) -> &[u8] {
        &self.0[..(node as usize).min(self.0.len())]
    }
}

/// A malformed document: the byte offset and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanError {
    /// Byte offset in the line.
    pub at: usize,
    /// What went wrong.
    pub what: &'static str,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at column {}", self.what, self.at + 1)
    }
}

/// Nesting deeper than this is refused rather than risking the stack.
pub(crate) const MAX_DEPTH: usize = 256;

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
    strict_names: bool,
    /// When the visitor stopped the scan: the containers left open, and how many of them
    /// the stop has left so far (innermost first).
    open: Open,
    unwound: usize,
}

/// Where the visitor stopped a scan.
#[derive(Debug, PartialEq, Eq)]
pub struct Stopped {
    /// Just past the value it was given last.
    pub(crate) at: usize,
    /// The objects and arrays open there: what the rest of the line must close (see
    /// `skip::rest_end`).
    pub(crate) open: Open,
}

type R<T> = Result<T, ScanError>;

/// Stands for "the visitor stopped the scan" inside the cursor; never seen outside.
const STOPPED: &str = "stopped";

/// Walks the JSON object in `line`, which must be one object and nothing else. When the
/// visitor stops it, returns where: the rest of the line is then unchecked.
pub fn scan(line: &[u8], v: &mut dyn Visitor) -> Result<Option<Stopped>, ScanError> {
    let mut c = Cursor { b: line, i: 0, depth: 0, strict_names: v.strict_names(), open: Open::default(), unwound: 0 };
    c.ws();
    if c.peek() != Some(b'{') {
        return Err(c.err("a document must be a JSON object"));
    }
    match c.object(0, v) {
        Err(e) if e.what == STOPPED => return Ok(Some(Stopped { at: e.at, open: c.open })),
        r => r?,
    }
    c.ws();
    if c.i != c.b.len() {
        return Err(c.err("trailing characters after the document"));
    }
    Ok(None)
}

impl<'a> Cursor<'a> {
    fn err(&self, what: &'static str) -> ScanError {
        ScanError { at: self.i, what }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> R<()> {
        self.ws();
        if self.peek() != Some(byte) {
            return Err(self.err(what));
        }
        self.i += 1;
        Ok(())
    }

    /// Skips a string whose opening quote is at `self.i`; returns its raw content and
    /// whether it holds escapes.
    fn string(&mut self) -> R<(&'a [u8], bool)> {
        let start = self.i + 1;
        let (end, escaped) = self.string_end(start)?;
        self.i = end + 1;
        Ok((&self.b[start..end], escaped))
    }

    /// The closing quote of the string whose content starts at `start`, and whether a
    /// backslash came before it (the character after a backslash never closes it).
    fn string_end(&mut self, start: usize) -> R<(usize, bool)> {
        let end = match find_quote_or_backslash(&self.b[start..]).map(|k| start + k) {
            Some(q) if self.b[q] == b'"' => return Ok((q, false)),
            // Escapes come in runs (JSON quoted inside JSON): the rest goes 64 bytes at a time.
            Some(q) => crate::io::ndjson::skip::string_close(self.b, q),
            None => None,
        };
        match end {
            Some(end) => Ok((end, true)),
            None => {
                self.i = self.b.len();
                Err(self.err("unterminated string"))
            }
        }
    }

    /// Skips a string without looking at its content.
    fn skip_string(&mut self) -> R<()> {
        let (end, _) = self.string_end(self.i + 1)?;
        self.i = end + 1;
        Ok(())
    }

    /// A member name, unescaped.
    fn key(&mut self) -> R<Cow<'a, [u8]>> {
        let at = self.i;
        let (raw, escaped) = self.string()?;
        if escaped {
            let quoted = &self.b[at..self.i];
            return serde_json::from_slice::<String>(quoted)
                .map(|s| Cow::Owned(s.into_bytes()))
                .map_err(|_| ScanError { at, what: "invalid escape in a member name" });
        }
        if self.strict_names && std::str::from_utf8(raw).is_err() {
            return Err(ScanError { at, what: "invalid UTF-8 in a member name" });
        }
        Ok(Cow::Borrowed(raw))
    }

    fn object(&mut self, node: u32, v: &mut dyn Visitor) -> R<()> {
        self.elements(|c| {
            let key = c.member_name()?;
            let (want, member) = v.want(node, &key);
            c.member(want, member, v)
        })
    }

    /// The name of an object member, decoded, and its `:`.
    #[inline]
    fn member_name(&mut self) -> R<Cow<'a, [u8]>> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a member name"));
        }
        let key = self.key()?;
        self.expect(b':', "expected ':'")?;
        self.ws();
        Ok(key)
    }

    /// Walks the object or array whose bracket is at `self.i`: `element` reads each member
    /// (after its name, for objects) or element; the separators, the closing bracket and
    /// the depth bound are checked here, once for every kind of walk.
    #[inline]
    fn elements(&mut self, mut element: impl FnMut(&mut Self) -> R<()>) -> R<()> {
        let close = if self.peek() == Some(b'{') { b'}' } else { b']' };
        self.enter()?;
        self.i += 1;
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.ws();
            if let Err(e) = element(self) {
                return Err(self.unwinding(e, close));
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(c) if c == close => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.err(if close == b'}' { "expected ',' or '}'" } else { "expected ',' or ']'" })),
            }
        }
    }

    /// An error leaving the container that `close` closes: when the visitor stopped the
    /// scan, the container is noted as open there (the depth is left as it was).
    #[cold]
    fn unwinding(&mut self, e: ScanError, close: u8) -> ScanError {
        if e.what == STOPPED {
            self.open.set(self.depth - 1 - self.unwound, close == b'}');
            self.unwound += 1;
        }
        e
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    fn member(&mut self, want: Want, node: u32, v: &mut dyn Visitor) -> R<()> {
        match want {
            Want::Skip => self.skip_value(),
            Want::Take => {
                let start = self.i;
                self.skip_value()?;
                self.give(node, start, v)
            }
            Want::Descend => self.descend(node, v),
        }
    }

    /// Hands the value from `start` to here to the visitor.
    fn give(&mut self, node: u32, start: usize, v: &mut dyn Visitor) -> R<()> {
        if v.take(node, &self.b[start..self.i]) {
            Ok(())
        } else {
            Err(self.err(STOPPED))
        }
    }

    /// Walks into a value: object members are asked for, array elements descended, scalars
    /// taken.
    fn descend(&mut self, node: u32, v: &mut dyn Visitor) -> R<()> {
        match self.peek() {
            Some(b'{') => self.object(node, v),
            Some(b'[') => self.elements(|c| c.descend(node, v)),
            _ => {
                let start = self.i;
                self.skip_value()?;
                if &self.b[start..self.i] == b"null" {
                    return Ok(());
                }
                self.give(node, start, v)
            }
        }
    }

    /// Skips one value, checking its structure.
    fn skip_value(&mut self) -> R<()> {
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{' | b'[') => self.skip_container(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.err("expected a value")),
        }
    }

    fn literal(&mut self, word: &[u8]) -> R<()> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err("expected a value"))
        }
    }

    fn number(&mut self) -> R<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |c: &mut Self| {
            let s = c.i;
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                c.i += 1;
            }
            c.i > s
        };
        if !digits(self) {
            return Err(ScanError { at: start, what: "invalid number" });
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(ScanError { at: start, what: "invalid number" });
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !digits(self) {
                return Err(ScanError { at: start, what: "invalid number" });
            }
        }
        Ok(())
    }

    /// Skips an object or array (see [`super::skip`] for what is checked).
    fn skip_container(&mut self) -> R<()> {
        let end = crate::io::ndjson::skip::container_end(self.b, self.i, MAX_DEPTH - self.depth)
            .map_err(|(at, what)| ScanError { at, what })?;
        self.i = end;
        Ok(())
    }
}

/// The first `"` or `\\`, sixteen bytes at a time with SSE2 (part of every x86_64): strings
/// are short, and a general search's set-up cost more than the search.
#[cfg(target_arch = "x86_64")]
#[inline]
fn find_quote_or_backslash(b: &[u8]) -> Option<usize> {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 16) {
        // SAFETY: SSE2 is always present on x86_64; `chunk` is 16 readable bytes and the
        // load has no alignment requirement.
        let m = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let s = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            _mm_movemask_epi8(_mm_or_si128(q, s)) as u32
        };
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    b[i..].iter().position(|&c| c == b'"' || c == b'\\').map(|p| p + i)
}

/// The first `"` or `\\` (portable version).
#[cfg(not(target_arch = "x86_64"))]
fn find_quote_or_backslash(b: &[u8]) -> Option<usize> {
    memchr::memchr2(b'"', b'\\', b)
}

#[cfg(test)]
#[path = "scanner_tests.rs"]
mod tests;
