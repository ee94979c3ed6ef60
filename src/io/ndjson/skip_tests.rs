//! Tests of the 64-byte walks: every vector variant the CPU has against the plain one.

use super::*;

/// The dispatched walk (AVX-512 or AVX2 where the CPU has them), checked against the
/// SSE2 one, and so is each vector walk this CPU can run.
fn end(s: &str) -> Result<usize, SkipError> {
    let b = s.as_bytes();
    let fast = container_end(b, 0, 256);
    assert_eq!(fast, walk(b, 0, 256, Open::default(), masks, prefix_xor), "{s}");
    #[cfg(target_arch = "x86_64")]
    {
        let has = |f: &str| match f {
            "avx2" => std::arch::is_x86_feature_detected!("avx2"),
            _ => std::arch::is_x86_feature_detected!("avx512bw"),
        } && std::arch::is_x86_feature_detected!("pclmulqdq");
        // SAFETY: each runs only where the CPU has its features.
        if has("avx2") {
            assert_eq!(fast, unsafe { container_end_avx2(b, 0, 256, Open::default()) }, "avx2: {s}");
            assert_eq!(string_close(b, 0), unsafe { string_close_avx2(b, 0) }, "avx2: {s}");
        }
        if has("avx512bw") {
            assert_eq!(fast, unsafe { container_end_avx512(b, 0, 256, Open::default()) }, "avx512: {s}");
            assert_eq!(string_close(b, 0), unsafe { string_close_avx512(b, 0) }, "avx512: {s}");
        }
    }
    fast
}

#[test]
fn ends_at_the_matching_bracket_whatever_the_strings_hold() {
    for (doc, rest) in [
        (r#"{"a":[1,{"b":"}]"}],"c":"\"{"}"#, ""),
        (r#"[]"#, ""),
        (r#"{"a":"x\\"}, "b""#, r#", "b""#),
        (r#"["\\\"]"]x"#, "x"),
    ] {
        let at = end(doc).unwrap_or_else(|e| panic!("{doc}: {e:?}"));
        assert_eq!(&doc[at..], rest, "{doc}");
    }
}

#[test]
fn blocks_boundaries_do_not_matter() {
    // Strings, escapes and brackets straddling every 64-byte boundary.
    for pad in 0..130 {
        let doc = format!(r#"{{"k":"{}\\","l":["\"]",{{}}],"m":"{}"}}!"#, "x".repeat(pad), "\\".repeat(pad * 2));
        let at = end(&doc).unwrap_or_else(|e| panic!("pad {pad}: {e:?}"));
        assert_eq!(&doc[at..], "!", "pad {pad}");
    }
}

#[test]
fn a_string_closes_at_its_first_unescaped_quote() {
    for pad in 0..140 {
        for (body, close) in [(r#"a\"b"#, 4), (r#"\\"#, 2), (r#"\\\"x"#, 5), (r#"\u0022"#, 6)] {
            let s = format!("{}{body}\"rest\"", "x".repeat(pad));
            let want = pad + close;
            assert_eq!(string_close(s.as_bytes(), 0), Some(want), "{s}");
            assert_eq!(close_walk(s.as_bytes(), 0, masks), Some(want), "{s}");
            let _ = end(&s);
        }
    }
    assert_eq!(string_close(br#"abc\""#, 0), None, "an escaped quote does not close");
    assert_eq!(string_close(b"", 0), None);
}

/// The escapes found one backslash at a time: what [`escaped`] computes at once.
fn escaped_by_loop(backslash: u64, carry: &mut bool) -> u64 {
    let mut out = u64::from(*carry);
    *carry = false;
    let mut bits = backslash;
    while bits != 0 {
        let i = bits.trailing_zeros();
        bits &= bits - 1;
        if out & (1 << i) != 0 {
            continue;
        }
        if i == 63 {
            *carry = true;
        } else {
            out |= 1 << (i + 1);
        }
    }
    out
}

#[test]
fn escapes_are_those_a_backslash_at_a_time_finds() {
    // Runs of every length at every offset, and pseudo-random masks, both carries in.
    let mut cases: Vec<u64> = Vec::new();
    for len in 1..=64u32 {
        for at in 0..64u32 {
            let run = if len == 64 { u64::MAX } else { (1u64 << len) - 1 };
            cases.push(run << at);
        }
    }
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        cases.push(x & (x >> 3) | x & (x >> 1));
    }
    for &bits in &cases {
        for carry_in in [false, true] {
            let (mut a, mut b) = (carry_in, carry_in);
            assert_eq!(escaped(bits, &mut a), escaped_by_loop(bits, &mut b), "{bits:064b} carry {carry_in}");
            assert_eq!(a, b, "carry out of {bits:064b}, carry in {carry_in}");
        }
    }
}

#[test]
fn broken_containers_are_refused() {
    for bad in [r#"{"a":1"#, r#"{"a":[1}"#, r#"["a]"#, r#"{"a":"x\"}"#, r#"[{]}"#] {
        assert!(end(bad).is_err(), "{bad}");
    }
    assert_eq!(end("[1]]"), Ok(3));
    assert!(container_end(b"[[[[]]]]", 0, 3).is_err());
    assert_eq!(container_end(b"[[[]]]", 0, 3), Ok(6));
}
