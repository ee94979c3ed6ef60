//! Skipping an object or array the query does not read, 64 bytes at a time: a mask of the
//! quotes that open or close strings gives, by a prefix XOR, the bytes inside strings; the
//! brackets outside them are matched on a bit stack. Per member work (names, separators,
//! numbers) disappears, which is most of a document's bytes. What is checked: strings end,
//! brackets match and close, nesting stays under the bound. The grammar between brackets
//! (commas, colons, literals) of a skipped value is not: Elasticsearch refused such
//! documents at ingest, and the truncated or spliced lines real exports suffer break the
//! brackets or strings.

/// Where skipping failed: the byte offset and why.
pub(crate) type SkipError = (usize, &'static str);

/// The bytes of one 64-byte block that are quotes, backslashes, `{`/`[` and `}`/`]`.
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    let mut m = Masks { quote: 0, backslash: 0, open: 0, close: 0 };
    for k in 0..4 {
        // SAFETY: SSE2 is part of x86_64; the load reads 16 of the block's 64 bytes and
        // needs no alignment.
        let (q, b, o, c) = unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            // `{`/`[` and `}`/`]` differ only in bit 0x20.
            let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let bits = |x| _mm_movemask_epi8(x) as u16 as u64;
            (
                bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8))),
                bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8))),
                bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8(b'{' as i8))),
                bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8(b'}' as i8))),
            )
        };
        let s = 16 * k;
        m.quote |= q << s;
        m.backslash |= b << s;
        m.open |= o << s;
        m.close |= c << s;
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64]) -> Masks {
    let mut m = Masks { quote: 0, backslash: 0, open: 0, close: 0 };
    for (i, &c) in block.iter().enumerate() {
        let bit = 1u64 << i;
        match c {
            b'"' => m.quote |= bit,
            b'\\' => m.backslash |= bit,
            b'{' | b'[' => m.open |= bit,
            b'}' | b']' => m.close |= bit,
            _ => {}
        }
    }
    m
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
fn prefix_xor(mut x: u64) -> u64 {
    for s in [1, 2, 4, 8, 16, 32] {
        x ^= x << s;
    }
    x
}

/// The characters escaped by a backslash; `carry` says the block's first byte is (and is
/// set when the next block's first byte will be). Branch free (simdjson's trick: in a run of
/// backslashes every second one escapes the next byte, so a run's parity comes from where it
/// starts, odd starts found by one carry-propagating add): a loop over the backslashes cost
/// a branch each on `event.original`, JSON quoted in JSON with an escape every few bytes.
fn escaped(backslash: u64, carry: &mut bool) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let prev = u64::from(*carry);
    // An escaped backslash escapes nothing.
    let backslash = backslash & !prev;
    let follows = backslash << 1 | prev;
    let odd_starts = backslash & !EVEN & !follows;
    let (sums, overflow) = odd_starts.overflowing_add(backslash);
    *carry = overflow;
    (EVEN ^ sums << 1) & follows
}

/// Objects and arrays open at some point of a line, outermost first: one bit each (set
/// for an object), 64 deep at most (a stop deeper than that is `too_deep`, and the caller
/// reads the line in full instead).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Open {
    bits: u64,
    len: u8,
    too_deep: bool,
}

impl Open {
    /// The containers of `levels`, outermost first (true for an object).
    #[cfg(test)]
    pub(crate) fn of(levels: &[bool]) -> Open {
        let mut open = Open::default();
        levels.iter().enumerate().for_each(|(level, &brace)| open.set(level, brace));
        open
    }

    /// Notes the container at nesting `level` (0 the document).
    pub(crate) fn set(&mut self, level: usize, brace: bool) {
        if level >= 64 {
            self.too_deep = true;
            return;
        }
        self.bits |= u64::from(brace) << level;
        self.len = self.len.max(level as u8 + 1);
    }
}

/// The open brackets, one bit each (set for `{`), as deep as the scanner allows.
struct Stack {
    bits: [u64; 4],
    len: usize,
    max: usize,
}

impl Stack {
    fn push(&mut self, brace: bool) -> bool {
        if self.len >= self.max {
            return false;
        }
        let (w, b) = (self.len / 64, self.len % 64);
        self.bits[w] = self.bits[w] & !(1 << b) | u64::from(brace) << b;
        self.len += 1;
        true
    }

    fn pop(&mut self) -> Option<bool> {
        self.len = self.len.checked_sub(1)?;
        Some(self.bits[self.len / 64] >> (self.len % 64) & 1 == 1)
    }
}

/// The end (one past the closing bracket) of the object or array opening at `b[start]`;
/// `depth_left` bounds its nesting.
pub(crate) fn container_end(b: &[u8], start: usize, depth_left: usize) -> Result<usize, SkipError> {
    end_of(b, start, depth_left, Open::default())
}

/// The end of the outermost of the containers `open` (outermost first, true for `{`) that
/// are open at `b[at]`, outside any string: the rest of a document checked from where its
/// scan stopped.
pub(crate) fn rest_end(b: &[u8], at: usize, open: Open, depth_left: usize) -> Result<usize, SkipError> {
    end_of(b, at, depth_left, open)
}

fn end_of(b: &[u8], start: usize, depth_left: usize, open: Open) -> Result<usize, SkipError> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512bw") && std::arch::is_x86_feature_detected!("pclmulqdq") {
        // SAFETY: the CPU has the features `container_end_avx512` is compiled for.
        return unsafe { container_end_avx512(b, start, depth_left, open) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("pclmulqdq") {
        // SAFETY: the CPU has the features `container_end_avx2` is compiled for.
        return unsafe { container_end_avx2(b, start, depth_left, open) };
    }
    walk(b, start, depth_left, open, masks, prefix_xor)
}

/// The first quote at or after `from` that no backslash escapes, `from` being outside any
/// escape: the end of a string whose content holds escapes, 64 bytes at a time (a string
/// such as `event.original`, JSON quoted inside JSON, has an escape every few bytes, and a
/// search restarted after each one cost more than the mask).
pub(crate) fn string_close(b: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the CPU has the feature `string_close_avx512` is compiled for.
        return unsafe { string_close_avx512(b, from) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has the feature `string_close_avx2` is compiled for.
        return unsafe { string_close_avx2(b, from) };
    }
    close_walk(b, from, masks)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn string_close_avx2(b: &[u8], from: usize) -> Option<usize> {
    close_walk(b, from, |block| masks_avx2(block))
}

/// The 64 bytes of `b` from `at`: read in place when there are as many, else copied into
/// `tail` (spaces, which no mask holds) as the last, padded block.
#[inline(always)]
fn block_at<'a>(b: &'a [u8], at: usize, tail: &'a mut [u8; 64]) -> &'a [u8; 64] {
    match b.get(at..at + 64).and_then(|s| s.try_into().ok()) {
        Some(full) => full,
        None => {
            tail[..b.len() - at].copy_from_slice(&b[at..]);
            tail
        }
    }
}

#[inline(always)]
fn close_walk(b: &[u8], from: usize, masks: impl Fn(&[u8; 64]) -> Masks) -> Option<usize> {
    let mut escape = false;
    let mut at = from;
    while at < b.len() {
        let mut tail = [b' '; 64];
        let block = block_at(b, at, &mut tail);
        let m = masks(block);
        let quotes = m.quote & !escaped(m.backslash, &mut escape);
        if quotes != 0 {
            return Some(at + quotes.trailing_zeros() as usize);
        }
        at += 64;
    }
    None
}

/// [`container_end`] with 32-byte compares and a carry-less multiply for the prefix XOR:
/// half the instructions per block where the CPU has them (checked at run time).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,pclmulqdq")]
fn container_end_avx2(b: &[u8], start: usize, depth_left: usize, open: Open) -> Result<usize, SkipError> {
    walk(b, start, depth_left, open, |block| masks_avx2(block), |x| prefix_xor_clmul(x))
}

/// [`container_end`] with one 64-byte compare per character class, each giving its mask
/// directly (the AVX2 walk compares each half and joins the masks), where the CPU has
/// AVX-512: 6 to 20 % less time on queries that skip much of each line.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw,pclmulqdq")]
fn container_end_avx512(b: &[u8], start: usize, depth_left: usize, open: Open) -> Result<usize, SkipError> {
    walk(b, start, depth_left, open, |block| masks_avx512(block), |x| prefix_xor_clmul(x))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw")]
fn string_close_avx512(b: &[u8], from: usize) -> Option<usize> {
    close_walk(b, from, |block| masks_avx512(block))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw")]
fn masks_avx512(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::{_mm512_cmpeq_epi8_mask, _mm512_loadu_si512, _mm512_or_si512, _mm512_set1_epi8};
    // SAFETY: the load reads the block's 64 bytes and needs no alignment.
    let v = unsafe { _mm512_loadu_si512(block.as_ptr().cast()) };
    // `{`/`[` and `}`/`]` differ only in bit 0x20.
    let folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    Masks {
        quote: _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'"' as i8)),
        backslash: _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'\\' as i8)),
        open: _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8(b'{' as i8)),
        close: _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8(b'}' as i8)),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn masks_avx2(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };
    // SAFETY: the two loads read the block's 64 bytes and need no alignment.
    let (lo, hi) = unsafe {
        (
            _mm256_loadu_si256(block.as_ptr().cast::<__m256i>()),
            _mm256_loadu_si256(block.as_ptr().add(32).cast::<__m256i>()),
        )
    };
    let fold = _mm256_set1_epi8(0x20);
    let (flo, fhi) = (_mm256_or_si256(lo, fold), _mm256_or_si256(hi, fold));
    let q = _mm256_set1_epi8(b'"' as i8);
    let s = _mm256_set1_epi8(b'\\' as i8);
    let o = _mm256_set1_epi8(b'{' as i8);
    let c = _mm256_set1_epi8(b'}' as i8);
    let join = |l: i32, h: i32| u64::from(l as u32) | u64::from(h as u32) << 32;
    Masks {
        quote: join(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, q)), _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, q))),
        backslash: join(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, s)), _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, s))),
        open: join(_mm256_movemask_epi8(_mm256_cmpeq_epi8(flo, o)), _mm256_movemask_epi8(_mm256_cmpeq_epi8(fhi, o))),
        close: join(_mm256_movemask_epi8(_mm256_cmpeq_epi8(flo, c)), _mm256_movemask_epi8(_mm256_cmpeq_epi8(fhi, c))),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "pclmulqdq")]
fn prefix_xor_clmul(x: u64) -> u64 {
    use std::arch::x86_64::{_mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_set1_epi8, _mm_set_epi64x};
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set1_epi8(-1), 0);
    _mm_cvtsi128_si64(product) as u64
}

#[inline(always)]
fn walk(
    b: &[u8],
    start: usize,
    depth_left: usize,
    open: Open,
    masks: impl Fn(&[u8; 64]) -> Masks,
    prefix_xor: impl Fn(u64) -> u64,
) -> Result<usize, SkipError> {
    let mut stack = Stack { bits: [open.bits, 0, 0, 0], len: usize::from(open.len), max: depth_left.min(256) };
    if open.too_deep || stack.len > stack.max {
        return Err((start, "nesting too deep"));
    }
    let (mut in_string, mut escape) = (false, false);
    let mut at = start;
    while at < b.len() {
        let mut tail = [b' '; 64];
        let block = block_at(b, at, &mut tail);
        let m = masks(block);
        let quotes = m.quote & !escaped(m.backslash, &mut escape);
        let inside = prefix_xor(quotes) ^ if in_string { !0 } else { 0 };
        in_string = inside >> 63 == 1;
        let mut brackets = (m.open | m.close) & !inside;
        while brackets != 0 {
            let i = brackets.trailing_zeros() as usize;
            brackets &= brackets - 1;
            let c = block[i];
            if m.open >> i & 1 == 1 {
                if !stack.push(c == b'{') {
                    return Err((at + i, "nesting too deep"));
                }
                continue;
            }
            match stack.pop() {
                Some(brace) if brace == (c == b'}') => {}
                _ => return Err((at + i, if c == b'}' { "unexpected '}'" } else { "unexpected ']'" })),
            }
            if stack.len == 0 {
                return Ok(at + i + 1);
            }
        }
        at += 64;
    }
    Err((b.len(), if in_string { "unterminated string" } else { "unclosed object or array" }))
}

#[cfg(test)]
#[path = "skip_tests.rs"]
mod tests;
