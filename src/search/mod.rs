//! Full-text search as Elasticsearch's inverted index answers it, over the values of one
//! row: queries (`term`, `match`, `match_phrase`, `wildcard`, `range`, `exists`, `bool` ...)
//! and the KQL that compiles to them. A query never warns and is never null: a document
//! matches or it does not, and a multi-valued field matches when one of its values does.
//!
//! A query names fields as `F`: names when parsed, column slots once the planner has
//! resolved them (a wildcard name can stand for several fields; no field, for none).

pub mod analysis;
pub mod dsl;
pub mod kql;
mod matching;
pub mod qstr;

use crate::types::zone::Zone;
use crate::types::{Cell, EsType};
use matching::Env;

/// A syntax error in a query string (KQL, Lucene's query string), at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    /// Where, in bytes from the start of the query string.
    pub at: usize,
    /// What went wrong.
    pub message: String,
}

/// A reading position in a query string, and what its parser reads it with (`ctx`): the KQL
/// and query string parsers are this type, each with its own methods.
pub(crate) struct Cursor<'s, C = ()> {
    pub(crate) s: &'s str,
    pub(crate) at: usize,
    pub(crate) ctx: C,
}

impl<'s, C> Cursor<'s, C> {
    pub(crate) fn new(s: &'s str, ctx: C) -> Cursor<'s, C> {
        Cursor { s, at: 0, ctx }
    }

    /// An error at the current position.
    pub(crate) fn error(&self, message: &str) -> TextError {
        TextError { at: self.at, message: message.to_string() }
    }

    /// The text not read yet.
    pub(crate) fn rest(&self) -> &'s str {
        &self.s[self.at..]
    }

    pub(crate) fn skip_ws(&mut self) {
        let t = self.rest();
        self.at += t.len() - t.trim_start().len();
    }
}

/// `*`, `?` and `\` escaped: the text as a wildcard pattern that matches only itself.
pub(crate) fn escape_wildcards(s: &str) -> String {
    s.chars().flat_map(|c| if matches!(c, '*' | '?' | '\\') { vec!['\\', c] } else { vec![c] }).collect()
}

/// The text of a bare term at the start of `s`, with backslash escapes resolved, up to
/// whitespace or one of `special`; an unescaped `*` comes back as NUL and, when `question`
/// is set, `?` as U+0001 (wildcards, told apart from escaped ones). Returns the text and the
/// bytes read (KQL and Lucene's query string both write terms this way).
pub(crate) fn bare_term(s: &str, special: &[char], question: bool) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((j, e)) => {
                    out.push(e);
                    used = j + e.len_utf8();
                    continue;
                }
                None => break,
            },
            '*' => out.push('\u{0}'),
            '?' if question => out.push('\u{1}'),
            c if c.is_whitespace() || special.contains(&c) => break,
            c => out.push(c),
        }
        used = i + c.len_utf8();
    }
    (out, used)
}

/// The text of a quoted string whose opening quote has been read, escapes resolved, and
/// the bytes read including the closing quote; `None` when it is not closed.
pub(crate) fn quoted_text(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => out.extend(chars.next().map(|(_, c)| c)),
            c => out.push(c),
        }
    }
    None
}

/// A query.
#[derive(Clone, Debug, PartialEq)]
pub enum Query<F> {
    /// Every document.
    All,
    /// No document.
    None,
    /// All of them.
    And(Vec<Query<F>>),
    /// Any of them.
    Or(Vec<Query<F>>),
    /// At least this many of them (`minimum_should_match`).
    AtLeast(usize, Vec<Query<F>>),
    /// Not this one (documents without the field included).
    Not(Box<Query<F>>),
    /// This one, with dates written without a zone, and date math, read in this zone.
    Zoned(Zone, Box<Query<F>>),
    /// A test of the values of any of these fields.
    Leaf(Vec<F>, Test),
}

/// A fuzzy term's edit distance (Damerau-Levenshtein, at most 2), as Elasticsearch's
/// `fuzziness` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edits {
    /// `AUTO:low,high` (`AUTO` is `AUTO:3,6`): none for words shorter than `low`
    /// characters, 1 for those shorter than `high`, 2 beyond.
    Auto(u8, u8),
    /// At most this many.
    Max(u8),
}

impl Edits {
    /// Reads `fuzziness` (`0`, `1`, `2`, `AUTO`, `AUTO:low,high`).
    pub fn parse(text: &str) -> Option<Edits> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("auto") {
            return Some(Edits::Auto(3, 6));
        }
        if let Some((_, bounds)) = t.split_once(':').filter(|(a, _)| a.eq_ignore_ascii_case("auto")) {
            let (low, high) = bounds.split_once(',')?;
            return Some(Edits::Auto(low.trim().parse().ok()?, high.trim().parse().ok()?));
        }
        let n: f64 = t.parse().ok()?;
        (n >= 0.0).then(|| Edits::Max(n.min(2.0) as u8))
    }

    /// The edits allowed for `word`.
    pub fn for_word(self, word: &str) -> usize {
        match self {
            Edits::Max(n) => usize::from(n),
            Edits::Auto(low, high) => match word.chars().count() {
                n if n < usize::from(low) => 0,
                n if n < usize::from(high) => 1,
                _ => 2,
            },
        }
    }
}

/// What a field's values are tested for.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `match`: a keyword equal to the text; a text field with any (or, `all`, every) of
    /// the text's analyzed words.
    Match {
        /// The query text.
        text: String,
        /// Every word must be there (`operator: and`).
        all: bool,
    },
    /// `match` with `minimum_should_match` or `fuzziness`: a text field with at least
    /// `min` of the text's words, each within `edits` of a word of the field; a keyword
    /// within `edits` of the text.
    Words {
        /// The query text.
        text: String,
        /// `minimum_should_match` as written (`2`, `-1`, `75%`); `None`: one word.
        min: Option<String>,
        /// How far a word may be from the query's word.
        edits: Edits,
    },
    /// `match_phrase`: a keyword equal to the text; in a text field, its words in a row.
    Phrase(String),
    /// A phrase with `slop`: its words within this many moves of each other, in any order
    /// (Lucene's sloppy phrase: swapping two words costs 2).
    Near {
        /// The phrase.
        text: String,
        /// The moves allowed.
        slop: u32,
    },
    /// A regular expression (Lucene's syntax): on a keyword's whole value, on each word of a
    /// text field.
    Regexp(String),
    /// `term`: a value equal to it; in a text field, one of its words equal to it as written.
    Term(String),
    /// `wildcard` (`*`, `?`): on a keyword's whole value, on each word of a text field.
    Wildcard(String),
    /// The same with `case_insensitive: true` (Kibana's "matches" exceptions).
    WildcardAnyCase(String),
    /// `range`, bounds as written (numbers, dates, strings), each inclusive or not.
    Range {
        /// Lower bound and whether it is included.
        lower: Option<(String, bool)>,
        /// Upper bound and whether it is included.
        upper: Option<(String, bool)>,
    },
    /// `exists`.
    Exists,
}

impl<F> Query<F> {
    /// The same query over other field references.
    pub fn map_fields<G>(self, f: &mut dyn FnMut(F) -> Vec<G>) -> Query<G> {
        match self {
            Query::All => Query::All,
            Query::None => Query::None,
            Query::And(qs) => Query::And(qs.into_iter().map(|q| q.map_fields(f)).collect()),
            Query::Or(qs) => Query::Or(qs.into_iter().map(|q| q.map_fields(f)).collect()),
            Query::AtLeast(n, qs) => Query::AtLeast(n, qs.into_iter().map(|q| q.map_fields(f)).collect()),
            Query::Not(q) => Query::Not(Box::new(q.map_fields(f))),
            Query::Zoned(z, q) => Query::Zoned(z, Box::new(q.map_fields(f))),
            Query::Leaf(fields, t) => Query::Leaf(fields.into_iter().flat_map(&mut *f).collect(), t),
        }
    }

    /// Every field reference, in order.
    pub fn fields(&self) -> Vec<&F> {
        match self {
            Query::All | Query::None => vec![],
            Query::And(qs) | Query::Or(qs) | Query::AtLeast(_, qs) => qs.iter().flat_map(Query::fields).collect(),
            Query::Not(q) | Query::Zoned(_, q) => q.fields(),
            Query::Leaf(fields, _) => fields.iter().collect(),
        }
    }
}

impl Query<String> {
    /// The same query with keyword values matched in any case (KQL's `case_insensitive`):
    /// each term, phrase and wildcard also matches as a case-insensitive wildcard, which on a
    /// text field adds nothing (its words are lower-case already).
    pub fn any_case(self) -> Query<String> {
        self.map_leaves(&mut |fields, test| {
            let pattern = match &test {
                Test::Wildcard(p) => return Query::Leaf(fields, Test::WildcardAnyCase(p.clone())),
                Test::Match { text, .. } | Test::Phrase(text) | Test::Term(text) => escape_wildcards(text),
                _ => return Query::Leaf(fields, test),
            };
            Query::Or(vec![Query::Leaf(fields.clone(), test), Query::Leaf(fields, Test::WildcardAnyCase(pattern))])
        })
    }

    fn map_leaves(self, f: &mut dyn FnMut(Vec<String>, Test) -> Query<String>) -> Query<String> {
        let each = |qs: Vec<Query<String>>, f: &mut dyn FnMut(Vec<String>, Test) -> Query<String>| {
            qs.into_iter().map(|q| q.map_leaves(f)).collect()
        };
        match self {
            Query::And(qs) => Query::And(each(qs, f)),
            Query::Or(qs) => Query::Or(each(qs, f)),
            Query::AtLeast(n, qs) => Query::AtLeast(n, each(qs, f)),
            Query::Not(q) => Query::Not(Box::new(q.map_leaves(f))),
            Query::Zoned(z, q) => Query::Zoned(z, Box::new(q.map_leaves(f))),
            Query::Leaf(fields, t) => f(fields, t),
            q => q,
        }
    }
}

impl Query<usize> {
    /// Whether a row matches, given the type and values of each field slot.
    pub fn matches(&self, fields: &[(EsType, Cell<'_>)], now_ms: i64) -> bool {
        self.matches_in(fields, Env { now_ms, zone: Zone::UTC })
    }

    fn matches_in(&self, fields: &[(EsType, Cell<'_>)], env: Env) -> bool {
        match self {
            Query::All => true,
            Query::None => false,
            Query::And(qs) => qs.iter().all(|q| q.matches_in(fields, env)),
            Query::Or(qs) => qs.iter().any(|q| q.matches_in(fields, env)),
            Query::AtLeast(n, qs) => qs.iter().filter(|q| q.matches_in(fields, env)).count() >= *n,
            Query::Not(q) => !q.matches_in(fields, env),
            Query::Zoned(zone, q) => q.matches_in(fields, Env { zone: *zone, ..env }),
            Query::Leaf(slots, test) => slots
                .iter()
                .filter_map(|&slot| fields.get(slot))
                .any(|(ty, cell)| matching::test_values(test, *ty, cell.values(), env)),
        }
    }
}
