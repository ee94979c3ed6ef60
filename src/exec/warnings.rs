//! Runtime warnings in Elasticsearch's exact text, grouped by expression location.

use crate::functions::EvalError;
use crate::plan::Origin;

/// At most this many failures are recorded per expression, as in Elasticsearch.
const MAX_PER_LOCATION: usize = 20;

struct Entry {
    origin: Origin,
    what: &'static str,
    failures: usize,
    /// Each distinct message with the failure (0-based) that first produced it.
    messages: Vec<(String, usize)>,
}

/// Collects evaluation failures.
#[derive(Default)]
pub struct Warnings {
    entries: Vec<Entry>,
    /// The first failure that fails the query.
    fatal: Option<String>,
}

impl Warnings {
    /// Records one failure of the expression at `origin` (result treated as null).
    pub fn add(&mut self, origin: &Origin, err: &EvalError) {
        self.add_as(origin, err, "null");
    }

    /// Records one failure whose result is treated as `what` (`null`, or `false` for CASE).
    pub fn add_as(&mut self, origin: &Origin, err: &EvalError, what: &'static str) {
        if err.is_fatal() {
            self.fatal.get_or_insert_with(|| err.message.clone());
            return;
        }
        let entry = self.entry(origin, what);
        if entry.failures >= MAX_PER_LOCATION {
            return;
        }
        let line = format!("Line {}:{}: {}: {}", origin.line, origin.col, err.class, err.message);
        if !entry.messages.iter().any(|(m, _)| *m == line) {
            entry.messages.push((line, entry.failures));
        }
        entry.failures += 1;
    }

    fn entry(&mut self, origin: &Origin, what: &'static str) -> &mut Entry {
        let pos = self.entries.iter().position(|e| e.origin == *origin && e.what == what);
        let at = pos.unwrap_or_else(|| {
            self.entries.push(Entry { origin: origin.clone(), what, failures: 0, messages: vec![] });
            self.entries.len() - 1
        });
        &mut self.entries[at]
    }

    /// Appends the warnings of rows that come after all rows seen so far, exactly as if
    /// they had been recorded here one by one (batches evaluated on other threads).
    pub fn append(&mut self, later: Warnings) {
        if self.fatal.is_none() {
            self.fatal = later.fatal;
        }
        for e in later.entries {
            let entry = self.entry(&e.origin, e.what);
            let room = MAX_PER_LOCATION - entry.failures.min(MAX_PER_LOCATION);
            for (m, first) in e.messages {
                if first < room && !entry.messages.iter().any(|(x, _)| *x == m) {
                    let at = entry.failures + first;
                    entry.messages.push((m, at));
                }
            }
            entry.failures += e.failures.min(room);
        }
    }

    /// The failure that ends the query, if one happened.
    pub fn fatal(&self) -> Option<&str> {
        self.fatal.as_deref()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The warning lines, in order of first occurrence (duplicates removed, as the HTTP
    /// layer of Elasticsearch does).
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.entries {
            out.push(format!(
                "Line {}:{}: evaluation of [{}] failed, treating result as {}. Only first {MAX_PER_LOCATION} failures recorded.",
                e.origin.line, e.origin.col, e.origin.text, e.what
            ));
            out.extend(e.messages.iter().map(|(m, _)| m.clone()));
        }
        out
    }
}

/// A warning as the value of Elasticsearch's HTTP `Warning` header carries it: `\\` and `"`
/// escaped, then `%` and every character outside tab, printable ASCII and Latin-1
/// percent-encoded as UTF-8 bytes (`max % 0` is sent as `max %25 0`, a newline as `%0A`).
pub fn header_value(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '%' => out.push_str("%25"),
            '\t' | ' '..='~' | '\u{80}'..='\u{ff}' => out.push(c),
            _ => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_escaped_then_percent_encoded() {
        assert_eq!(header_value(r#"[max % 0] "a\b""#), r#"[max %25 0] \"a\\b\""#);
        assert_eq!(header_value("Zürich\n(€"), "Zürich%0A(%E2%82%AC");
    }

    fn origin() -> Origin {
        Origin { line: 1, col: 2, text: "f(x)".into() }
    }

    #[test]
    fn appending_batches_equals_recording_every_row_in_order() {
        let errs: Vec<EvalError> =
            (0..50).map(|i| EvalError::illegal_argument(format!("bad {}", (i * 7) % 13))).collect();
        let mut whole = Warnings::default();
        errs.iter().for_each(|e| whole.add(&origin(), e));
        for split in [0, 1, 5, 19, 20, 21, 33, 50] {
            let (a, b) = errs.split_at(split);
            let mut first = Warnings::default();
            a.iter().for_each(|e| first.add(&origin(), e));
            let mut second = Warnings::default();
            b.iter().for_each(|e| second.add(&origin(), e));
            first.append(second);
            assert_eq!(first.lines(), whole.lines(), "split at {split}");
        }
    }
}
