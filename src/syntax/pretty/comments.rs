//! Where the comments of a query text are (outside strings and quoted names).

/// The byte ranges of the comments in `text`, in order: `// ...` up to the end of its line
/// (trailing spaces left out), `/* ... */` whole (an unclosed one runs to the end: the parser
/// reports it).
pub fn comment_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'"' | b'`' => k = quoted_end(b, k),
            b'/' if b.get(k + 1) == Some(&b'/') => {
                let end = text[k..].find('\n').map_or(text.len(), |n| k + n);
                out.push((k, k + text[k..end].trim_end().len()));
                k = end;
            }
            b'/' if b.get(k + 1) == Some(&b'*') => {
                let n = super::super::block_comment_len(&text[k..]).unwrap_or(text.len() - k);
                out.push((k, k + n));
                k += n;
            }
            _ => k += 1,
        }
    }
    out
}

/// One past the end of the string or quoted name opening at `k` (`"""` strings included).
fn quoted_end(b: &[u8], k: usize) -> usize {
    if b[k..].starts_with(b"\"\"\"") {
        let body = k + 3;
        return b[body..].windows(3).position(|w| w == b"\"\"\"").map_or(b.len(), |n| body + n + 3);
    }
    let q = b[k];
    let mut j = k + 1;
    while j < b.len() && b[j] != q && b[j] != b'\n' {
        j += if b[j] == b'\\' && q == b'"' { 2 } else { 1 };
    }
    j + 1
}
