//! Remembered captures of the GROK twin (see [`super::relaxed`]) within one batch.
//!
//! The regex crate finds a match with its DFAs, then runs a backtracker over the match
//! alone to place the capture groups: for `%{IP}`, whose IPv6 half is a large automaton,
//! that second step (and clearing its visited set) was a third of a GROK query. When the
//! twin has no look assertion (`^`, `$`, `\b` ...), nothing outside the match can change
//! where its groups fall, so the groups' offsets within a match depend on its text alone.
//! Logs repeat the text GROK picks out (an address, a user agent), so a batch remembers
//! the offsets by matched text and runs only the DFAs for a text it has seen. A memo
//! that misses too often stops being consulted: unique texts pay nothing further.

use std::collections::HashMap;
use std::ops::Range;

/// Lookups before the hit rate is judged, and the least share of hits that keeps the
/// memo on (a miss costs a second DFA pass, a hit saves the backtracker).
const TRIAL: u32 = 512;
const MIN_HITS: u32 = TRIAL / 4;
/// Distinct texts remembered at most: a batch of unique texts stays small in memory.
const MAX_ENTRIES: usize = 4096;

/// Each group's offsets relative to the match start, when it took part.
type Offsets = Box<[Option<(u32, u32)>]>;

/// Capture offsets by matched text.
#[derive(Default)]
pub struct Memo {
    seen: HashMap<Box<str>, Offsets, ahash::RandomState>,
    lookups: u32,
    hits: u32,
}

impl Memo {
    /// Whether to consult the memo at all.
    fn active(&self) -> bool {
        self.lookups < TRIAL || self.hits >= MIN_HITS
    }
}

/// The twin's capture groups (by group index) for the leftmost-first match from `start`,
/// or `None` without a match. `pure` says the twin has no look assertion.
pub(super) fn captures(
    re: &regex::Regex,
    pure: bool,
    text: &str,
    start: usize,
    memo: &mut Memo,
) -> Option<Vec<Option<Range<usize>>>> {
    if !pure || !memo.active() {
        return Some(absolute(&re.captures_at(text, start)?));
    }
    let m = re.find_at(text, start)?;
    memo.lookups = memo.lookups.saturating_add(1);
    if let Some(rel) = memo.seen.get(&text[m.range()]) {
        memo.hits += 1;
        let at = m.start();
        return Some(rel.iter().map(|g| g.map(|(s, e)| at + s as usize..at + e as usize)).collect());
    }
    // The same match: it is the leftmost one at or after `start`, and nothing before
    // it can change the twin's path through it.
    let groups = absolute(&re.captures_at(text, m.start())?);
    if memo.seen.len() < MAX_ENTRIES && u32::try_from(m.len()).is_ok() {
        let rel = groups.iter().map(|g| g.as_ref().map(|r| ((r.start - m.start()) as u32, (r.end - m.start()) as u32)));
        memo.seen.insert(text[m.range()].into(), rel.collect());
    }
    Some(groups)
}

fn absolute(caps: &regex::Captures<'_>) -> Vec<Option<Range<usize>>> {
    caps.iter().map(|g| g.map(|m| m.range())).collect()
}

/// Whether `pattern` (regex crate syntax) has no look assertion; `false` when unsure.
pub(super) fn is_pure(pattern: &str) -> bool {
    regex_syntax::Parser::new().parse(pattern).is_ok_and(|h| h.properties().look_set().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::grok::Grok;
    use std::cell::RefCell;

    /// The pattern with and without its twin (so without the memo).
    fn pair(p: &str) -> (Grok, Grok) {
        let g = Grok::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        let mut fancy = g.clone();
        fancy.relaxed = None;
        (g, fancy)
    }

    /// One memo over repeated texts whose matches recur in contexts that change the
    /// lookarounds' verdict (`x1.2.3.4y` against ` 1.2.3.4 `): the answers stay those of
    /// the backtracker alone, and the memo was used.
    #[test]
    fn remembered_captures_give_the_backtrackers_answers() {
        let texts = [
            "\"ip\":\"1.2.3.4\"",
            "x1.2.3.4y",
            " 1.2.3.4 ",
            "11.2.3.45",
            "fe80::1%eth0",
            "a fe80::1%eth0 b",
            "\"ip\":\"10.0.0.1\" \"ip\":\"1.2.3.4\"",
            "1.2.3.4:80",
            "host:8080 1.2.3.4:80",
            "at 7: \"ip\":\"1.2.3.4\"",
            // The prefix's first occurrence starts no match, a later one does.
            "\"ip\":\"x\" \"ip\":\"1.2.3.4\"",
            "\"ip\":\"\"ip\":\"1.2.3.4\"",
            "\"ip\":\"999.1.1.1\" \"ip\":\"fe80::1\"",
            "",
        ];
        for p in ["%{IP:ip}", "\"ip\":\"%{IP:ip}\"", "%{IPORHOST:h}:%{POSINT:p:int}", "(?<x>[0-9]+)(?![0-9]|\\.)"] {
            let (g, fancy) = pair(p);
            let mut memo = Memo::default();
            for round in 0..3 {
                for t in texts {
                    assert_eq!(g.extract_with(t, &mut memo), fancy.extract(t), "{p} on {t:?}, round {round}");
                }
            }
            let pure = g.relaxed.as_ref().is_some_and(|r| r.is_pure());
            assert_eq!(memo.hits > 0, pure, "{p}: the memo is used exactly when the twin is pure");
            assert!(pure || !p.contains("IP:"), "{p}: %{{IP}} alone has no look assertion");
        }
    }

    /// A twin with a look assertion (`\b` in WORD) never consults the memo.
    #[test]
    fn look_assertions_turn_the_memo_off() {
        assert!(is_pure("(?P<a>[0-9]+)x"));
        assert!(!is_pure("\\b(?P<a>\\w+)\\b"));
        assert!(!is_pure("^a"));
        let (g, fancy) = pair("%{WORD:w} %{INT:n:int}");
        let mut memo = Memo::default();
        for t in ["ab 1", "xab 1", "ab 1", "-ab 1x", "ab 1"] {
            assert_eq!(g.extract_with(t, &mut memo), fancy.extract(t), "{t:?}");
        }
        assert_eq!(memo.lookups, 0);
    }

    /// Random texts from a small alphabet (so matches recur), one memo for all of them.
    #[test]
    fn random_texts_through_one_memo_agree() {
        use proptest::prelude::*;
        let groks: Vec<(Grok, Grok, RefCell<Memo>)> = ["%{IP:ip}", "%{INT:a}:%{INT:p:int}", "%{NUMBER:n:double}x"]
            .into_iter()
            .map(|p| {
                let (g, f) = pair(p);
                (g, f, RefCell::new(Memo::default()))
            })
            .collect();
        let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config::with_cases(3000));
        let text = proptest::string::string_regex("[0-2.:ax ]{0,14}").unwrap_or_else(|e| panic!("{e}"));
        let result = runner.run(&text, |t| {
            for (g, fancy, memo) in &groks {
                prop_assert_eq!(g.extract_with(&t, &mut memo.borrow_mut()), fancy.extract(&t));
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        for (g, _, memo) in &groks {
            let pure = g.relaxed.as_ref().is_some_and(|r| r.is_pure());
            let m = memo.borrow();
            assert_eq!(m.hits > 0, pure, "{:?}: {} hits of {} lookups", g.fields, m.hits, m.lookups);
        }
    }

    /// Texts that never recur switch the memo off after its trial, and it stays small.
    #[test]
    fn a_memo_that_misses_stops_being_consulted() {
        let (g, fancy) = pair("%{IP:ip}");
        let mut memo = Memo::default();
        for k in 0..3000u32 {
            let t = format!("10.{}.{}.{}", k >> 16, (k >> 8) & 255, k & 255);
            assert_eq!(g.extract_with(&t, &mut memo), fancy.extract(&t), "{t}");
        }
        assert_eq!(memo.lookups, TRIAL, "consulted only during the trial");
        assert!(memo.seen.len() <= MAX_ENTRIES);
    }
}
