//! DATE_DIFF's units as Elasticsearch names them, and its error for an unknown one, with the
//! suggestions `DateTimeField.findSimilar` makes: every name at least half similar
//! (Lucene's Levenshtein similarity, 1 - edits / longer length), best first, ties in the
//! order Java's `HashMap` of the names iterates them.

/// Each unit with its aliases, in the order of Elasticsearch's `DateDiff.Part`.
const PARTS: &[(&str, &[&str])] = &[
    ("year", &["years", "yyyy", "yy"]),
    ("quarter", &["quarters", "qq", "q"]),
    ("month", &["months", "mm", "m"]),
    ("dayofyear", &["dy", "y"]),
    ("day", &["days", "dd", "d"]),
    ("week", &["weeks", "wk", "ww"]),
    ("weekday", &["weekdays", "dw"]),
    ("hour", &["hours", "hh"]),
    ("minute", &["minutes", "mi", "n"]),
    ("second", &["seconds", "ss", "s"]),
    ("millisecond", &["milliseconds", "ms"]),
    ("microsecond", &["microseconds", "mcs"]),
    ("nanosecond", &["nanoseconds", "ns"]),
];

/// Elasticsearch's message for a unit DATE_DIFF does not know; `None` for a known one.
pub fn unit_error(unit: &str) -> Option<String> {
    let names = names();
    if names.iter().any(|n| n.eq_ignore_ascii_case(unit)) {
        return None;
    }
    let mut scored: Vec<(f32, &str)> =
        names.iter().map(|n| (similarity(unit, n), *n)).filter(|(s, _)| *s >= 0.5).collect();
    // A stable sort, best first, as Java's timSort keeps the map's order among ties.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Some(if scored.is_empty() {
        let all: Vec<String> = PARTS.iter().map(|(n, _)| n.to_ascii_uppercase()).collect();
        format!("A value of [{}] or their aliases is required; received [{unit}]", all.join(", "))
    } else {
        let similar: Vec<&str> = scored.iter().map(|(_, n)| *n).collect();
        format!("Received value [{unit}] is not valid date part to add; did you mean [{}]?", similar.join(", "))
    })
}

/// The unit names and aliases in the order a Java `HashMap` of them iterates: by bucket
/// (the spread hash masked by the table size), then in insertion order.
fn names() -> Vec<&'static str> {
    let inserted: Vec<&str> =
        PARTS.iter().flat_map(|(n, aliases)| std::iter::once(*n).chain(aliases.iter().copied())).collect();
    let mut capacity = 16usize;
    while inserted.len() > capacity * 3 / 4 {
        capacity *= 2;
    }
    let bucket = |s: &str| {
        let h = s.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)));
        let h = h ^ ((h as u32) >> 16) as i32;
        (h as u32 as usize) & (capacity - 1)
    };
    let mut order: Vec<(usize, usize, &str)> = inserted.iter().enumerate().map(|(k, n)| (bucket(n), k, *n)).collect();
    order.sort();
    order.into_iter().map(|(_, _, n)| n).collect()
}

/// Lucene's `LevenshteinDistance.getDistance`: 1 - edits / the longer length.
fn similarity(a: &str, b: &str) -> f32 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    let longest = a.len().max(b.len()).max(1);
    1.0 - prev[b.len()] as f32 / longest as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_units_get_elasticsearchs_suggestions() {
        assert_eq!(unit_error("seconds"), None);
        assert_eq!(unit_error("SS"), None);
        // DateDiffTests.testDateDiffFunctionErrorUnitNotValid.
        assert_eq!(
            unit_error("sseconds").as_deref(),
            Some("Received value [sseconds] is not valid date part to add; did you mean [seconds, second, nanoseconds, milliseconds, microseconds, nanosecond]?")
        );
        assert!(unit_error("zzzzzzzzzzzz").is_some_and(|m| m.starts_with("A value of [YEAR, QUARTER")));
    }
}
