//! Wildcard matching where only `*` is special (any text, dots included): KEEP and DROP
//! name patterns in `syntax`, FROM index patterns in `io`. A leaf: it imports nothing, so
//! both may use it without knowing each other.

/// True when `name` is the `pieces` with any text between them: `pieces` are the literal
/// texts between the stars (`a*b*` is `["a", "b", ""]`; no star, one piece). Linear in the
/// name: each inner piece is found at its first place left to right (backtracking takes
/// exponential time on `*a*a*a*a*a*a*a*a*b`).
pub fn matches_pieces(pieces: &[&str], name: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else { return name.is_empty() };
    let Some(mut remaining) = name.strip_prefix(first) else { return false };
    let Some((last, middle)) = rest.split_last() else { return remaining.is_empty() };
    for piece in middle {
        match remaining.find(piece) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// `pattern` with every `*` a wildcard.
pub fn glob(pattern: &str, name: &str) -> bool {
    matches_pieces(&pattern.split('*').collect::<Vec<_>>(), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_match_any_text_and_texts_anchor_at_the_ends() {
        for (pattern, name, want) in [
            ("logs-*", "logs-a", true),
            ("logs-*", "xlogs-a", false),
            ("*", "", true),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*.ip", "source.ip", true),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("*a*a*a*a*a*a*a*a*b", &"a".repeat(40), false),
        ] {
            assert_eq!(glob(pattern, name), want, "{pattern} ~ {name}");
        }
    }
}
