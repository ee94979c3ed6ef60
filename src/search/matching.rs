//! How one field's values pass a [`Test`], as Elasticsearch's index answers: text fields by
//! their analyzed words, keywords by their whole value, numbers, dates and IPs by value.

use super::{analysis, Test};
use crate::functions::lucene::Matcher;
use crate::types::{EsType, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// What a query reads besides the row: `now`, and the zone of dates written without one.
#[derive(Clone, Copy)]
pub(super) struct Env {
    pub(super) now_ms: i64,
    pub(super) zone: crate::types::zone::Zone,
}

pub(super) fn test_values(test: &Test, ty: EsType, values: &[Value<'_>], env: Env) -> bool {
    if values.is_empty() {
        return false;
    }
    let text = ty == EsType::Text;
    match test {
        Test::Exists => true,
        Test::Match { text: q, all } if text => with_words(q, |words| {
            let doc = doc_words(values);
            let has = |w: &String| doc.contains(w);
            !words.is_empty() && if *all { words.iter().all(has) } else { words.iter().any(has) }
        }),
        Test::Words { text: q, min, edits } if text => with_words(q, |words| {
            let doc = doc_words(values);
            let found = words.iter().filter(|w| doc.iter().any(|d| near(w, d, edits.for_word(w)))).count();
            // One word is a term query, which has no minimum to apply.
            let need = if words.len() == 1 { 1 } else { required(min.as_deref(), words.len()) };
            !words.is_empty() && found >= need
        }),
        Test::Words { text: q, edits, .. } if ty.is_string() => {
            values.iter().any(|v| near(q, &v.render(), edits.for_word(q)))
        }
        Test::Phrase(q) if text => phrase(q, 0, values),
        Test::Near { text: q, slop } if text => phrase(q, *slop, values),
        Test::Term(term) if text => doc_words(values).contains(term),
        Test::Match { text: q, .. }
        | Test::Words { text: q, .. }
        | Test::Phrase(q)
        | Test::Near { text: q, .. }
        | Test::Term(q) => values.iter().any(|v| equals(v, ty, q)),
        Test::Wildcard(p) | Test::WildcardAnyCase(p) | Test::Regexp(p) => {
            let any_case = matches!(test, Test::WildcardAnyCase(_));
            let regexp = matches!(test, Test::Regexp(_));
            // Text words are lower-case; the pattern is normalized to match them, as Lucene's
            // query parser normalizes expanded terms.
            with_matcher(p, regexp, any_case || text, |m| {
                values.iter().any(|v| {
                    let s = if any_case { v.render().to_lowercase() } else { v.render() };
                    if text {
                        analysis::words(&s).iter().any(|w| m.is_match(w))
                    } else {
                        m.is_match(&s)
                    }
                })
            })
        }
        Test::Range { lower, upper } => values.iter().any(|v| in_range(v, ty, lower, upper, env)),
    }
}

fn doc_words(values: &[Value<'_>]) -> Vec<String> {
    values.iter().flat_map(|v| analysis::words(&v.render())).collect()
}

/// The words of `total` that must match under `minimum_should_match` (at least one):
/// `N`, `-N` (all but N), `P%` and `-P%` (rounded down, as Elasticsearch does).
fn required(min: Option<&str>, total: usize) -> usize {
    let Some(m) = min.map(str::trim) else { return 1 };
    let t = total as i64;
    let n = match m.strip_suffix('%') {
        Some(p) => p.parse::<i64>().map(|p| if p < 0 { t + t * p / 100 } else { t * p / 100 }),
        None => m.parse::<i64>().map(|n| if n < 0 { t + n } else { n }),
    };
    n.unwrap_or(1).max(1) as usize
}

/// Whether `a` is within `max` edits of `b` (insertions, deletions, substitutions and
/// transpositions of neighbours, as Lucene's fuzzy query counts them).
fn near(a: &str, b: &str, max: usize) -> bool {
    if max == 0 {
        return a == b;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Optimal string alignment distance, three rows.
    let mut rows = [(0..=b.len()).collect::<Vec<_>>(), vec![0; b.len() + 1], vec![0; b.len() + 1]];
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[prev][j] + 1).min(rows[cur][j - 1] + 1).min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = d;
        }
    }
    rows[a.len() % 3][b.len()] <= max
}

/// Whether one value holds the phrase's words within `slop` moves: each word at a distinct
/// position, and the spread of (position - place in the phrase) at most `slop`.
fn phrase(q: &str, slop: u32, values: &[Value<'_>]) -> bool {
    with_words(q, |words| !words.is_empty() && phrase_in(words, slop, values))
}

fn phrase_in(words: &[String], slop: u32, values: &[Value<'_>]) -> bool {
    values.iter().any(|v| {
        let doc = analysis::words(&v.render());
        let spots: Vec<Vec<i64>> = words
            .iter()
            .enumerate()
            .map(|(k, w)| doc.iter().enumerate().filter(|(_, d)| *d == w).map(|(p, _)| p as i64 - k as i64).collect())
            .collect();
        place(&spots, 0, &mut Vec::new(), i64::from(slop))
    })
}

/// Chooses a shifted position for each word from `k` on, distinct positions, spread ≤ slop.
fn place(spots: &[Vec<i64>], k: usize, chosen: &mut Vec<i64>, slop: i64) -> bool {
    let Some(options) = spots.get(k) else { return true };
    for &s in options {
        let pos = s + k as i64;
        if chosen.iter().enumerate().any(|(j, &c)| c + j as i64 == pos) {
            continue;
        }
        let (lo, hi) = chosen.iter().fold((s, s), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        if hi - lo > slop {
            continue;
        }
        chosen.push(s);
        let found = place(spots, k + 1, chosen, slop);
        chosen.pop();
        if found {
            return true;
        }
    }
    false
}

/// What a query computes from its own text is the same for every row: kept per thread,
/// looked up without allocating.
type Memo<V> = RefCell<HashMap<String, V>>;

thread_local! {
    /// Compiled patterns, by [wildcard, regex] × [as written, lower-cased].
    static MATCHERS: [Memo<Option<Matcher>>; 4] = Default::default();
    /// The analyzed words of query texts.
    static WORDS: Memo<Vec<String>> = Default::default();
}

/// Runs `f` with the value of `key` in `memo`, made by `make` the first time.
fn memo<V, R>(memo: &Memo<V>, key: &str, make: impl FnOnce() -> V, f: impl FnOnce(&V) -> R) -> R {
    if !memo.borrow().contains_key(key) {
        let value = make();
        let mut cache = memo.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key.to_string(), value);
    }
    f(&memo.borrow()[key])
}

/// Runs `f` with the words of a query text, as the standard analyzer reads them.
fn with_words<R>(q: &str, f: impl FnOnce(&[String]) -> R) -> R {
    WORDS.with(|m| memo(m, q, || analysis::words(q), |w| f(w)))
}

/// Runs `f` with the compiled wildcard (or, `regexp`, Lucene regex) `pattern`, lower-cased
/// first when `lower`; a pattern that does not compile matches nothing.
fn with_matcher(pattern: &str, regexp: bool, lower: bool, f: impl FnOnce(&Matcher) -> bool) -> bool {
    let make = || {
        let p = if lower { pattern.to_lowercase() } else { pattern.to_string() };
        let compiled =
            if regexp { crate::functions::lucene::regexp(&p) } else { crate::functions::lucene::wildcard(&p) };
        compiled.ok()
    };
    MATCHERS.with(|all| {
        memo(&all[usize::from(regexp) * 2 + usize::from(lower)], pattern, make, |m| m.as_ref().is_some_and(f))
    })
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
                Some(crate::functions::millis(v)?.cmp(&analysis::date_math(bound, env.now_ms, env.zone)?))
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
