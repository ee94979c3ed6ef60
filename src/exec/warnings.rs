//! Runtime warnings in Elasticsearch's exact text, grouped by expression location.

use crate::functions::EvalError;
use crate::plan::Origin;

/// At most this many failures are recorded per expression, as in Elasticsearch.
const MAX_PER_LOCATION: usize = 20;

struct Entry {
    origin: Origin,
    what: &'static str,
    failures: usize,
    messages: Vec<String>,
}

/// Collects evaluation failures.
#[derive(Default)]
pub struct Warnings {
    entries: Vec<Entry>,
}

impl Warnings {
    /// Records one failure of the expression at `origin` (result treated as null).
    pub fn add(&mut self, origin: &Origin, err: &EvalError) {
        self.add_as(origin, err, "null");
    }

    /// Records one failure whose result is treated as `what` (`null`, or `false` for CASE).
    pub fn add_as(&mut self, origin: &Origin, err: &EvalError, what: &'static str) {
        let pos = self.entries.iter().position(|e| e.origin == *origin && e.what == what);
        let entry = match pos {
            Some(p) => &mut self.entries[p],
            None => {
                self.entries.push(Entry { origin: origin.clone(), what, failures: 0, messages: vec![] });
                let last = self.entries.len() - 1;
                &mut self.entries[last]
            }
        };
        if entry.failures >= MAX_PER_LOCATION {
            return;
        }
        entry.failures += 1;
        let line = format!("Line {}:{}: {}: {}", origin.line, origin.col, err.class, err.message);
        if !entry.messages.contains(&line) {
            entry.messages.push(line);
        }
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
            out.extend(e.messages.iter().cloned());
        }
        out
    }
}
