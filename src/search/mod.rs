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
pub mod qstr;

use crate::types::{Cell, EsType, Value};

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
    /// This one, with dates written without a zone read at this UTC offset (seconds).
    Zoned(i32, Box<Query<F>>),
    /// A test of the values of any of these fields.
    Leaf(Vec<F>, Test),
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
    /// `match_phrase`: a keyword equal to the text; in a text field, its words in a row.
    Phrase(String),
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

impl Query<usize> {
    /// Whether a row matches, given the type and values of each field slot.
    pub fn matches(&self, fields: &[(EsType, Cell<'_>)], now_ms: i64) -> bool {
        self.matches_in(fields, Env { now_ms, zone_s: 0 })
    }

    fn matches_in(&self, fields: &[(EsType, Cell<'_>)], env: Env) -> bool {
        match self {
            Query::All => true,
            Query::None => false,
            Query::And(qs) => qs.iter().all(|q| q.matches_in(fields, env)),
            Query::Or(qs) => qs.iter().any(|q| q.matches_in(fields, env)),
            Query::AtLeast(n, qs) => qs.iter().filter(|q| q.matches_in(fields, env)).count() >= *n,
            Query::Not(q) => !q.matches_in(fields, env),
            Query::Zoned(zone_s, q) => q.matches_in(fields, Env { zone_s: *zone_s, ..env }),
            Query::Leaf(slots, test) => slots
                .iter()
                .filter_map(|&slot| fields.get(slot))
                .any(|(ty, cell)| test_values(test, *ty, cell.values(), env)),
        }
    }
}

/// What a query reads besides the row: `now`, and the zone of dates written without one.
#[derive(Clone, Copy)]
struct Env {
    now_ms: i64,
    zone_s: i32,
}

fn test_values(test: &Test, ty: EsType, values: &[Value<'_>], env: Env) -> bool {
    if values.is_empty() {
        return false;
    }
    match test {
        Test::Exists => true,
        Test::Match { text, all } if ty == EsType::Text => {
            let words = analysis::words(text);
            let doc: Vec<String> = values.iter().flat_map(|v| analysis::words(&v.render())).collect();
            let has = |w: &String| doc.contains(w);
            !words.is_empty() && if *all { words.iter().all(has) } else { words.iter().any(has) }
        }
        Test::Phrase(text) if ty == EsType::Text => {
            let words = analysis::words(text);
            values.iter().any(|v| {
                let doc = analysis::words(&v.render());
                !words.is_empty() && doc.windows(words.len()).any(|w| w == words.as_slice())
            })
        }
        Test::Term(term) if ty == EsType::Text => values.iter().any(|v| analysis::words(&v.render()).contains(term)),
        Test::Match { text, .. } | Test::Phrase(text) | Test::Term(text) => values.iter().any(|v| equals(v, ty, text)),
        Test::Wildcard(pattern) | Test::WildcardAnyCase(pattern) => {
            let text = ty == EsType::Text;
            let any_case = matches!(test, Test::WildcardAnyCase(_));
            let pattern = if text || any_case { pattern.to_lowercase() } else { pattern.clone() };
            let Ok(m) = crate::functions::lucene::wildcard(&pattern) else { return false };
            values.iter().any(|v| {
                let s = if any_case { v.render().to_lowercase() } else { v.render() };
                if text {
                    analysis::words(&s).iter().any(|w| m.is_match(w))
                } else {
                    m.is_match(&s)
                }
            })
        }
        Test::Range { lower, upper } => values.iter().any(|v| in_range(v, ty, lower, upper, env)),
    }
}

/// A value equal to the query text read in the field's type.
fn equals(v: &Value<'_>, ty: EsType, text: &str) -> bool {
    match ty {
        EsType::Ip => {
            crate::functions::ip::Block::parse(text).is_some_and(|b| matches!(v, Value::Ip(ip) if b.contains(ip)))
        }
        EsType::Boolean => matches!(v, Value::Bool(b) if b.to_string() == text.to_ascii_lowercase()),
        t if t.is_numeric() => {
            matches!((v.as_f64(), text.trim().parse::<f64>()), (Some(a), Ok(b)) if a == b)
        }
        EsType::Date | EsType::DateNanos => {
            crate::types::text_form::parse_date(text).is_some_and(|ms| crate::functions::millis(v) == Some(ms))
        }
        _ => v.render() == text,
    }
}

fn in_range(
    v: &Value<'_>,
    ty: EsType,
    lower: &Option<(String, bool)>,
    upper: &Option<(String, bool)>,
    env: Env,
) -> bool {
    use std::cmp::Ordering::{self, *};
    let cmp = |bound: &str| -> Option<Ordering> {
        match ty {
            t if t.is_numeric() => v.as_f64()?.partial_cmp(&bound.trim().parse::<f64>().ok()?),
            EsType::Date | EsType::DateNanos => {
                Some(crate::functions::millis(v)?.cmp(&analysis::date_math(bound, env.now_ms, env.zone_s)?))
            }
            EsType::Ip => Some(v.compare(&Value::Ip(crate::types::text_form::parse_ip(bound)?), ty)),
            _ => Some(v.render().as_str().cmp(bound)),
        }
    };
    // A bound passes when the value is past it, or equal to it and it is inclusive.
    let passes = |bound: &Option<(String, bool)>, past: Ordering| {
        bound.as_ref().is_none_or(|(b, inclusive)| match cmp(b) {
            Some(o) if o == past => true,
            Some(Equal) => *inclusive,
            _ => false,
        })
    };
    passes(lower, Greater) && passes(upper, Less)
}
