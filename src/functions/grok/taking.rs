//! Whether a GROK capture took part in a match, as another engine can tell it: Spark's
//! `regexp_extract` answers '' both for a group that took no part and for one that matched
//! nothing (and its `regexp_instr` reports the whole match, whatever the group). A capture
//! that takes part whenever the pattern matches, or that never matches the empty string,
//! leaves no doubt; any other has no translation.

use fancy_regex::{Expr, LookAround};

/// How a capture's taking part shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taking {
    /// It takes part in every match of the pattern.
    Always,
    /// It may take no part, but when it does it holds at least one character: '' means none.
    NonEmpty,
    /// It may take no part and may match the empty string.
    Unknown,
}

/// The [`Taking`] of each named group of `regex` (fancy-regex's syntax), in the order of
/// `names`. None when it holds constructs not weighed here or lacks a name.
pub(super) fn of_names<'n>(regex: &str, names: impl Iterator<Item = &'n str>) -> Option<Vec<Taking>> {
    let tree = Expr::parse_tree(regex).ok()?;
    let numbered = numbered(&tree.expr)?;
    names.map(|n| tree.named_groups.get(n)?.first().and_then(|&g| numbered.get(g).copied())).collect()
}

/// Each capture group's [`Taking`], by group number (index 0, the whole match, unused).
fn numbered(e: &Expr) -> Option<Vec<Taking>> {
    let mut out = vec![Taking::Always];
    walk(e, false, &mut out)?;
    Some(out)
}

/// Groups are numbered in the order they open (pre-order), as the regex numbers them.
fn walk(e: &Expr, optional: bool, out: &mut Vec<Taking>) -> Option<()> {
    match e {
        Expr::Concat(items) => items.iter().try_for_each(|i| walk(i, optional, out)),
        Expr::Alt(items) => items.iter().try_for_each(|i| walk(i, optional || items.len() > 1, out)),
        Expr::Group(inner) => {
            out.push(match (optional, min_len(inner)) {
                (false, _) => Taking::Always,
                (true, 0) => Taking::Unknown,
                (true, _) => Taking::NonEmpty,
            });
            walk(inner, optional, out)
        }
        Expr::Repeat { child, lo, .. } => walk(child, optional || *lo == 0, out),
        // A capture inside a negative lookaround takes part in no successful match.
        Expr::LookAround(body, kind) => {
            let negative = matches!(kind, LookAround::LookAheadNeg | LookAround::LookBehindNeg);
            walk(body, optional || negative, out)
        }
        Expr::AtomicGroup(body) => walk(body, optional, out),
        Expr::Empty
        | Expr::Any { .. }
        | Expr::Assertion(_)
        | Expr::GeneralNewline { .. }
        | Expr::Literal { .. }
        | Expr::LiteralBytes { .. }
        | Expr::Delegate { .. } => Some(()),
        _ => None,
    }
}

/// The fewest characters `e` can match (0 when unsure).
fn min_len(e: &Expr) -> usize {
    match e {
        Expr::Any { .. } | Expr::Delegate { .. } | Expr::GeneralNewline { .. } => 1,
        Expr::Literal { val, .. } => val.chars().count(),
        Expr::LiteralBytes { bytes } => usize::from(!bytes.is_empty()),
        Expr::Concat(items) => items.iter().map(min_len).fold(0, usize::saturating_add),
        Expr::Alt(items) => items.iter().map(min_len).min().unwrap_or(0),
        Expr::Group(inner) => min_len(inner),
        Expr::AtomicGroup(body) => min_len(body),
        Expr::Repeat { child, lo, .. } => lo.saturating_mul(min_len(child)),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_captures_that_may_be_empty_are_told_apart() {
        let cases = [
            ("(a)(b)?", vec![Taking::Always, Taking::NonEmpty]),
            ("(a*)|(b+)", vec![Taking::Unknown, Taking::NonEmpty]),
            ("(?:x(.*?))?(y)+", vec![Taking::Unknown, Taking::Always]),
            ("(?=(a))(?!(b))", vec![Taking::Always, Taking::NonEmpty]),
            ("(?>(a|))", vec![Taking::Always]),
        ];
        for (regex, want) in cases {
            let got = Expr::parse_tree(regex).ok().and_then(|t| numbered(&t.expr)).map(|t| t[1..].to_vec());
            assert_eq!(got, Some(want), "{regex}");
        }
    }
}
