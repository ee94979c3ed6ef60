//! DATE_DIFF's units as Elasticsearch names them (the one table the row kernel and the SQL
//! translation read), and its error for an unknown one, with the suggestions
//! `DateTimeField.findSimilar` makes: every name at least half similar (Lucene's
//! Levenshtein similarity, 1 - edits / longer length), best first, ties in the order Java's
//! `HashMap` of the names iterates them.

/// How a unit counts the time between two dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Whole spans of this many nanoseconds.
    Nanos(i128),
    /// Whole calendar spans of this many months.
    Months(i64),
}

const MS: i128 = 1_000_000;
const DAY: Unit = Unit::Nanos(86_400_000 * MS);

/// Each unit with its aliases and how it counts, in the order of Elasticsearch's
/// `DateDiff.Part` (DAYOFYEAR, DAY and WEEKDAY all count whole days there).
const PARTS: &[(&str, &[&str], Unit)] = &[
    ("year", &["years", "yyyy", "yy"], Unit::Months(12)),
    ("quarter", &["quarters", "qq", "q"], Unit::Months(3)),
    ("month", &["months", "mm", "m"], Unit::Months(1)),
    ("dayofyear", &["dy", "y"], DAY),
    ("day", &["days", "dd", "d"], DAY),
    ("week", &["weeks", "wk", "ww"], Unit::Nanos(7 * 86_400_000 * MS)),
    ("weekday", &["weekdays", "dw"], DAY),
    ("hour", &["hours", "hh"], Unit::Nanos(3_600_000 * MS)),
    ("minute", &["minutes", "mi", "n"], Unit::Nanos(60_000 * MS)),
    ("second", &["seconds", "ss", "s"], Unit::Nanos(1000 * MS)),
    ("millisecond", &["milliseconds", "ms"], Unit::Nanos(MS)),
    ("microsecond", &["microseconds", "mcs"], Unit::Nanos(1000)),
    ("nanosecond", &["nanoseconds", "ns"], Unit::Nanos(1)),
];

/// The unit a name or alias stands for, in any case (Elasticsearch lower-cases it).
pub fn resolve(unit: &str) -> Option<Unit> {
    PARTS
        .iter()
        .find(|(name, aliases, _)| {
            name.eq_ignore_ascii_case(unit) || aliases.iter().any(|a| a.eq_ignore_ascii_case(unit))
        })
        .map(|(_, _, u)| *u)
}

/// Elasticsearch's message for a unit DATE_DIFF does not know; `None` for a known one.
pub fn unit_error(unit: &str) -> Option<String> {
    if resolve(unit).is_some() {
        return None;
    }
    let names = names();
    let mut scored: Vec<(f32, &str)> =
        names.iter().map(|n| (similarity(unit, n), *n)).filter(|(s, _)| *s >= 0.5).collect();
    // A stable sort, best first, as Java's timSort keeps the map's order among ties.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Some(if scored.is_empty() {
        let all: Vec<String> = PARTS.iter().map(|(n, ..)| n.to_ascii_uppercase()).collect();
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
        PARTS.iter().flat_map(|(n, aliases, _)| std::iter::once(*n).chain(aliases.iter().copied())).collect();
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
        assert_eq!(resolve("WEEKDAYS"), resolve("d"));
        assert_eq!(resolve("qq"), Some(Unit::Months(3)));
    }
}
