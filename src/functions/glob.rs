//! A LIKE pattern made only of literal text and `*`, matched without an automaton: the
//! text before the first `*` must start the string, the text after the last must end it,
//! and each piece between must be found, in order, in what lies between (the leftmost
//! occurrence of each leaves the most room for the next, so a search never backtracks).
//! Rules write LIKE as `"*powershell*"` or `"*Windows NT*Chrome*"` over long values (command
//! lines, user agents); a regex with `.*` on both sides reads the whole value through its
//! automaton, a substring search skips through it.

use memchr::memmem::Finder;

/// The pieces of a `*`-only pattern, escapes resolved.
#[derive(Clone, Debug)]
pub struct Glob {
    /// Text the string must start with.
    head: String,
    /// Text to find in order between head and tail.
    middle: Vec<Finder<'static>>,
    /// Text the string must end with; `None` when the pattern has no `*` (the string is
    /// then the head alone).
    tail: Option<String>,
}

impl Glob {
    /// The glob of a pattern's pieces: the text around and between its `*`s, escapes read
    /// (`lucene::wildcard` splits the pattern); at least one.
    pub fn new(mut pieces: Vec<String>) -> Glob {
        let head = if pieces.is_empty() { String::new() } else { pieces.remove(0) };
        let tail = pieces.pop();
        let middle = pieces.iter().filter(|p| !p.is_empty()).map(|p| Finder::new(p.as_bytes()).into_owned()).collect();
        Glob { head, middle, tail }
    }

    /// Whether the whole of `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        let Some(tail) = &self.tail else { return s == self.head };
        if s.len() < self.head.len() + tail.len() || !s.starts_with(&self.head) || !s.ends_with(tail.as_str()) {
            return false;
        }
        let mut rest = &s.as_bytes()[self.head.len()..s.len() - tail.len()];
        for piece in &self.middle {
            match piece.find(rest) {
                Some(at) => rest = &rest[at + piece.needle().len()..],
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::lucene::{wildcard, Matcher};
    use super::Glob;

    /// The glob `wildcard` makes of `p`, and the regex beside it.
    fn both(p: &str) -> (Glob, regex::Regex) {
        match wildcard(p) {
            Ok(Matcher::Glob(glob, regex)) => (glob, regex),
            other => panic!("{p:?} is not a glob: {other:?}"),
        }
    }

    #[test]
    fn a_star_pattern_matches_as_its_regex_does() {
        let strings = ["", "a", "ab", "abc", "aXbXc", "abab", "ba", "a*b", "a\\b", "Windows NT 10; Chrome/1", "ééa"];
        let patterns = [
            "",
            "a",
            "*",
            "**",
            "a*",
            "*a",
            "*a*",
            "a*b",
            "a*b*c",
            "ab*ab",
            "*b*",
            "a\\*b",
            "a\\\\b",
            "*Windows NT*Chrome*",
            "é*a",
        ];
        for p in patterns {
            let (glob, regex) = both(p);
            for s in strings {
                assert_eq!(glob.is_match(s), regex.is_match(s), "{p:?} on {s:?}");
            }
        }
        assert!(matches!(wildcard("a?b"), Ok(Matcher::Regex(_))), "a ? is one character: not a glob");
    }

    /// Every word of up to `n` letters of `alphabet`.
    fn words(alphabet: &[char], n: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..n {
            last = last.iter().flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}"))).collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn every_short_pattern_matches_every_short_string_as_its_regex_does() {
        let strings = words(&['a', 'b'], 5);
        for p in words(&['a', 'b', '*'], 5) {
            let (glob, regex) = both(&p);
            for s in &strings {
                assert_eq!(glob.is_match(s), regex.is_match(s), "{p:?} on {s:?}");
            }
        }
    }
}
