//! A lookaround-free twin of a GROK regex, run by the `regex` crate's automata instead of
//! fancy-regex's backtracking VM (most of the time of a GROK over `%{IP}`, whose IPv4
//! definition is wrapped in `(?<![0-9])…(?![0-9])`).
//!
//! Each lookaround is replaced by an empty capture group, which records where the match
//! went through it, and each atomic group by a plain capturing one. Dropping a lookaround or
//! an atomic commitment only removes a constraint, so the twin matches whenever the original
//! does, and its leftmost-first match is the first path, in a backtracker's order, that
//! succeeds without the constraints. When every lookaround that path went through holds at
//! the position recorded, and every atomic group there ended where its first match ends (the
//! one the backtracker commits to), that path is also the original's first successful one
//! (any path before it failed without the constraints, so with them): the twin's captures
//! are the original's. Otherwise the original regex decides. A lookaround or atomic group
//! under a repetition records only its last pass, so such patterns (unless the atomic body
//! can match only one way), and those with backreferences or conditionals, keep fancy-regex
//! alone.

use fancy_regex::{Expr, LookAround};
use std::ops::Range;

/// The twin regex and the lookarounds to check on its matches.
#[derive(Clone, Debug)]
pub(super) struct Relaxed {
    pub regex: regex::Regex,
    checks: Vec<Check>,
    /// No look assertion in the twin: its captures may be remembered (see [`super::memo`]).
    pure: bool,
    /// The pure twin anchored at the search's start (`\A(?:…)`), for patterns whose matches
    /// all start with a literal prefix (see [`Self::anchor`]).
    anchored: Option<regex::Regex>,
    /// The group index of each name `new` was asked to report, in that order.
    reported: Vec<Option<usize>>,
}

#[derive(Clone, Debug)]
struct Check {
    /// The index in the twin of the group standing where the lookaround or atomic group
    /// was (named by [`check_group`]), resolved once: a lookup by name hashed it on every
    /// match.
    slot: usize,
    /// What must hold there.
    test: Test,
    /// Whether the test must fail (a negative lookaround).
    negated: bool,
}

#[derive(Clone, Debug)]
enum Test {
    /// A lookahead's body, `\A(?:…)`, matched against the text from the position on.
    Ahead(regex::Regex),
    /// A lookbehind's one character class, matched against the character before it.
    BehindClass(regex::Regex),
    /// A lookbehind's literal, which the text before the position ends with.
    BehindLiteral(String),
    /// An atomic group's body, `\A(?:…)`: the backtracker commits to its first match
    /// there, so the twin's must end where that one does.
    Atomic(regex::Regex),
}

impl Relaxed {
    /// The twin of `regex` (fancy-regex syntax), or `None` when the pattern needs
    /// backtracking features the twin cannot check.
    pub fn new<'n>(regex: &str, reported: impl Iterator<Item = &'n str>) -> Option<Relaxed> {
        let tree = Expr::parse_tree(regex).ok()?;
        let mut names = vec![None; tree.named_groups.values().flatten().max().map_or(0, |m| m + 1)];
        for (name, groups) in &tree.named_groups {
            for &g in groups {
                names[g] = Some(name.clone());
            }
        }
        let mut w = Writer { out: String::new(), names, next_group: 1, checks: Vec::new() };
        w.expr(&tree.expr, 0, false)?;
        let regex = regex::Regex::new(&w.out).ok()?;
        let slot = |name: &str| regex.capture_names().position(|n| n == Some(name));
        let mut checks = w.checks;
        for (k, c) in checks.iter_mut().enumerate() {
            c.slot = slot(&check_group(k))?;
        }
        let reported = reported.map(slot).collect();
        Some(Relaxed { pure: super::memo::is_pure(&w.out), regex, checks, reported, anchored: None })
    }

    /// Searches anchored at a prefix occurrence when the twin is pure: every match then
    /// starts at one, and the text before it cannot change the twin's path. The unanchored
    /// search runs a forward and a reverse automaton over the text and looks for the prefix
    /// again; anchored, one forward pass from the occurrence decides (4% of the instructions
    /// of a GROK of `"ClientIPAddress":"%{IP}"`).
    pub fn anchor(&mut self) {
        if self.pure {
            self.anchored = regex::Regex::new(&format!("\\A(?:{})", self.regex.as_str())).ok();
        }
    }

    /// The capture groups, by index, of the twin's first match from `start`. With `prefix`,
    /// `start` is an occurrence of it and every match starts at one.
    pub fn captures(
        &self,
        text: &str,
        start: usize,
        prefix: Option<&memchr::memmem::Finder<'_>>,
        memo: &mut super::memo::Memo,
    ) -> Option<Vec<Option<Range<usize>>>> {
        let (Some(anchored), Some(prefix)) = (&self.anchored, prefix) else {
            return super::memo::captures(&self.regex, self.pure, text, start, memo);
        };
        if let Some(groups) = super::memo::captures(anchored, true, &text[start..], 0, memo) {
            return Some(groups.into_iter().map(|g| g.map(|r| r.start + start..r.end + start)).collect());
        }
        // No match here: the unanchored search from the next occurrence (one anchored
        // search per occurrence could rescan the rest of the text at each).
        let next = start + 1 + prefix.find(text.as_bytes().get(start + 1..)?)?;
        super::memo::captures(&self.regex, self.pure, text, next, memo)
    }

    /// Whether the twin has no look assertion (its captures may be remembered).
    #[cfg(test)]
    pub fn is_pure(&self) -> bool {
        self.pure
    }

    /// The group index of the `k`th name `new` was asked to report.
    pub fn reported(&self, k: usize) -> Option<usize> {
        self.reported.get(k).copied().flatten()
    }

    /// Whether every lookaround the match went through holds, and every atomic group
    /// matched as the backtracker's first choice.
    pub fn holds(&self, text: &str, groups: &[Option<Range<usize>>]) -> bool {
        self.checks.iter().all(|c| {
            let Some(m) = groups.get(c.slot).cloned().flatten() else { return true };
            let at = m.start;
            let found = match &c.test {
                Test::Ahead(re) => re.is_match(&text[at..]),
                Test::BehindClass(re) => {
                    text[..at].chars().next_back().is_some_and(|ch| re.is_match(ch.encode_utf8(&mut [0; 4])))
                }
                Test::BehindLiteral(lit) => text[..at].ends_with(lit.as_str()),
                Test::Atomic(re) => re.find(&text[at..]).is_some_and(|f| f.end() == m.len()),
            };
            found != c.negated
        })
    }
}

/// Writes the twin's syntax; groups are numbered in the order they open, as in the
/// original, to keep their names.
struct Writer {
    out: String,
    names: Vec<Option<String>>,
    next_group: usize,
    checks: Vec<Check>,
}

impl Writer {
    /// `precedence` as fancy-regex's `Expr::to_str`: 0 top or group, 1 alternative,
    /// 2 concatenation item, 3 repeated atom. `repeated` says an enclosing repetition may
    /// pass here more than once.
    fn expr(&mut self, e: &Expr, precedence: u8, repeated: bool) -> Option<()> {
        match e {
            Expr::Concat(items) => {
                self.wrapped(precedence > 1, |w| items.iter().try_for_each(|i| w.expr(i, 2, repeated)))
            }
            Expr::Alt(items) => self.wrapped(precedence > 0, |w| {
                for (k, i) in items.iter().enumerate() {
                    if k > 0 {
                        w.out.push('|');
                    }
                    w.expr(i, 1, repeated)?;
                }
                Some(())
            }),
            Expr::Group(inner) => {
                let n = self.next_group;
                self.next_group += 1;
                // Only named groups are read: an unnamed one would cost capture slots
                // (IPV6 alone has dozens).
                match self.names.get(n).cloned().flatten() {
                    Some(name) => self.out.push_str(&format!("(?P<{name}>")),
                    None => self.out.push_str("(?:"),
                }
                self.expr(inner, 0, repeated)?;
                self.out.push(')');
                Some(())
            }
            Expr::Repeat { child, lo, hi, greedy } => self.wrapped(precedence > 2, |w| {
                w.expr(child, 3, repeated || *hi > 1)?;
                w.out.push_str(&quantifier(*lo, *hi, *greedy));
                Some(())
            }),
            Expr::LookAround(body, kind) if !repeated => self.lookaround(body, kind),
            // Text such a body matches has one way to match it: nothing to commit to.
            Expr::AtomicGroup(body) if one_way(body) => self.wrapped(true, |w| w.expr(body, 0, repeated)),
            Expr::AtomicGroup(body) if !repeated && plain_tree(body) => {
                let test = Test::Atomic(regex::Regex::new(&format!(r"\A(?:{})", text_of(body))).ok()?);
                let group = self.check(test, false);
                self.out.push_str(&format!("(?P<{group}>"));
                self.expr(body, 0, repeated)?;
                self.out.push(')');
                Some(())
            }
            _ if plain(e) => {
                e.to_str(&mut self.out, precedence);
                Some(())
            }
            _ => None,
        }
    }

    fn wrapped(&mut self, group: bool, body: impl FnOnce(&mut Self) -> Option<()>) -> Option<()> {
        if group {
            self.out.push_str("(?:");
        }
        body(self)?;
        if group {
            self.out.push(')');
        }
        Some(())
    }

    fn lookaround(&mut self, body: &Expr, kind: &LookAround) -> Option<()> {
        if !plain_tree(body) {
            return None;
        }
        let text = text_of(body);
        let test = match (kind, body) {
            (LookAround::LookAhead | LookAround::LookAheadNeg, _) => {
                Test::Ahead(regex::Regex::new(&format!(r"\A(?:{text})")).ok()?)
            }
            (_, Expr::Delegate { .. }) => Test::BehindClass(regex::Regex::new(&format!(r"\A(?:{text})\z")).ok()?),
            (_, Expr::Literal { val, casei: false }) => Test::BehindLiteral(val.clone()),
            _ => return None,
        };
        let group = self.check(test, matches!(kind, LookAround::LookAheadNeg | LookAround::LookBehindNeg));
        // Named, so it does not shift the numbers of the original's groups.
        self.out.push_str(&format!("(?P<{group}>)"));
        Some(())
    }

    /// Records a check; returns the name of its group.
    fn check(&mut self, test: Test, negated: bool) -> String {
        let group = check_group(self.checks.len());
        // The slot is known once the twin is compiled (see `Relaxed::new`).
        self.checks.push(Check { slot: 0, test, negated });
        group
    }
}

/// The name of the group that stands for check `k`.
fn check_group(k: usize) -> String {
    format!("check{k}")
}

/// The syntax of a subtree [`plain_tree`] accepts.
fn text_of(e: &Expr) -> String {
    let mut text = String::new();
    e.to_str(&mut text, 0);
    text
}

/// A leaf `Expr::to_str` writes as the regex crate reads it.
fn plain(e: &Expr) -> bool {
    matches!(e, Expr::Empty | Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } | Expr::Assertion(_))
}

/// A subtree without groups, lookarounds or assertions: its meaning does not depend on
/// the text around it, so it can be matched on a slice.
fn plain_tree(e: &Expr) -> bool {
    match e {
        Expr::Concat(items) | Expr::Alt(items) => items.iter().all(plain_tree),
        Expr::Repeat { child, .. } => plain_tree(child),
        Expr::Empty | Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => true,
        _ => false,
    }
}

/// A subtree that matches a given text in at most one way (no choice, no variable count).
fn one_way(e: &Expr) -> bool {
    match e {
        Expr::Concat(items) => items.iter().all(one_way),
        Expr::Repeat { child, lo, hi, .. } => lo == hi && one_way(child),
        Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => true,
        _ => false,
    }
}

fn quantifier(lo: usize, hi: usize, greedy: bool) -> String {
    let q = match (lo, hi) {
        (0, 1) => "?".to_string(),
        (0, usize::MAX) => "*".to_string(),
        (1, usize::MAX) => "+".to_string(),
        (lo, usize::MAX) => format!("{{{lo},}}"),
        (lo, hi) if lo == hi => format!("{{{lo}}}"),
        (lo, hi) => format!("{{{lo},{hi}}}"),
    };
    if greedy {
        q
    } else {
        q + "?"
    }
}

#[cfg(test)]
mod tests {
    use super::super::Grok;

    /// The twin and fancy-regex alone give the same fields for every text, including
    /// those where a lookaround rejects the twin's first match.
    #[test]
    fn the_twin_answers_as_the_backtracker() {
        let patterns = [
            "%{IP:ip}",
            "\"ip\":\"%{IP:ip}\"",
            "%{IPV4:a} %{IPV4:b}",
            "%{IPORHOST:h}:%{POSINT:p:int}",
            "%{COMBINEDAPACHELOG}",
            "%{SYSLOGBASE} %{GREEDYDATA:msg}",
            "(?<x>a(?=b)|ab)",
            "(?<x>(?<!a)b|b)",
            "x(?<y>[0-9]+)(?![0-9]|\\.)",
            "(?<x>(?>ab|a)b)",
            "(?<x>(?>a+)[ab])",
        ];
        let texts = [
            "1.2.3.4",
            "a 10.0.0.1 b",
            "\"ip\":\"192.168.1.300\" \"ip\":\"8.8.8.8\"",
            "11.2.3.45.6 1.2.3.4 5.6.7.8",
            "x1.2.3.4y 9.9.9.9 1.1.1.1",
            "fe80::1%eth0 and ::1",
            "host.example.com:8080",
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326 \"http://x/\" \"Mozilla\"",
            "Oct 11 22:14:15 mymachine su[230]: 'su root' failed",
            "ab b ac",
            "ab cb",
            "x12.5 x34",
            "aab ab abb",
            "",
        ];
        for p in patterns {
            let g = Grok::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert!(g.relaxed.is_some(), "{p} has a twin");
            let mut fancy = g.clone();
            fancy.relaxed = None;
            for t in texts {
                assert_eq!(g.extract(t), fancy.extract(t), "{p} on {t:?}");
            }
        }
    }

    /// Random texts over the characters the patterns care about.
    #[test]
    fn random_texts_agree() {
        use proptest::prelude::*;
        let patterns = ["%{IP:ip}", "%{NUMBER:n:double}x", "%{IPV4:a}:%{INT:p:int}", "%{HTTPDATE:t}", "%{HOSTPORT:h}"];
        let grok: Vec<(Grok, Grok)> = patterns
            .iter()
            .map(|p| {
                let g = Grok::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"));
                let mut fancy = g.clone();
                fancy.relaxed = None;
                (g, fancy)
            })
            .collect();
        let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config::with_cases(2000));
        let text = proptest::string::string_regex("[0-9.:aefx +/\\-]{0,24}").unwrap_or_else(|e| panic!("{e}"));
        let result = runner.run(&text, |t| {
            for (g, fancy) in &grok {
                prop_assert_eq!(g.extract(&t), fancy.extract(&t));
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    #[test]
    fn patterns_beyond_lookarounds_keep_the_backtracker() {
        for p in ["(?<a>x)\\1", "(?<a>(?>ab|a))+b", "(?<a>(?<![0-9])[a-z])+"] {
            let g = Grok::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert!(g.relaxed.is_none(), "{p}");
        }
    }
}
