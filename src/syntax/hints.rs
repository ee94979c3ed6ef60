//! Hints for common mistakes, chosen from the text where parsing stopped.

use super::error::{Expect, Reason};
use super::keywords::{PROCESSING_COMMANDS, SOURCE_COMMANDS};

/// A hint for an error at the start of `rest`, if one helps.
pub(crate) fn hint_for(rest: &str, reason: &Reason) -> Option<String> {
    let hint = if rest.starts_with('\'') {
        "strings use double quotes: \"...\""
    } else if rest.starts_with("&&") {
        "use AND to combine conditions"
    } else if rest.starts_with("||") {
        "use OR to combine conditions"
    } else if rest.starts_with('!') && !rest.starts_with("!=") {
        "use NOT to negate a condition"
    } else if rest.starts_with('=') && !rest.starts_with("==") {
        "use == to compare values; = only names a column (EVAL x = ...)"
    } else if rest.get(..9).is_some_and(|h| h.eq_ignore_ascii_case("[metadata")) {
        "METADATA is written without brackets: FROM index METADATA _id"
    } else if ["<", ">", "==", "!="].iter().any(|op| rest.starts_with(op)) && expects(reason, "'|' or end of query") {
        "comparisons do not chain: combine them with AND (a < b AND b < c)"
    } else if rest.starts_with(';') {
        "ES|QL has no statement separator: remove the ';'"
    } else if rest.starts_with('"') && expects(reason, "a name") {
        "column names are quoted with back-quotes: `my field`"
    } else {
        return None;
    };
    Some(hint.to_string())
}

fn expects(reason: &Reason, what: &'static str) -> bool {
    matches!(reason, Reason::Expected(first, more) if std::iter::once(first).chain(more).any(|x| *x == Expect::What(what)))
}

/// "did you mean ...?" for an unknown command word.
pub(crate) fn command_hint(word: &str, first: bool) -> String {
    let lower = word.to_ascii_lowercase();
    let all = if first { SOURCE_COMMANDS } else { PROCESSING_COMMANDS };
    let best = all.iter().map(|c| (edit_distance(&lower, c.split(' ').next().unwrap_or(c)), c)).min_by_key(|(d, _)| *d);
    match best {
        Some((d, c)) if d <= 2 => format!("did you mean {}?", c.to_ascii_uppercase()),
        _ => {
            let names: Vec<String> = all.iter().map(|c| c.to_ascii_uppercase()).collect();
            format!("commands here are {}", names.join(", "))
        }
    }
}

/// Levenshtein distance (small inputs only).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
