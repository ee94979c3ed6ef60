//! Elasticsearch dumps unwrapped: elasticdump's lines (`{"_index", "_id", "_source": {...}}`)
//! and saved `_search` responses (`{"hits": {"hits": [...]}}`, one per line or
//! pretty-printed) become one document per line, the `_source` with the hit's `_id` and
//! `_index` beside it, which the readers take as the document's metadata.

use serde_json::{Map, Value};
use std::io::{BufRead, Read};

/// What a file's first document says the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain documents.
    Documents,
    /// One hit per line, as elasticdump writes them.
    Hits,
    /// `_search` responses, their hits inside.
    Responses,
}

/// The kind of the file whose first line (one whole document) is `line`.
pub fn kind(line: &[u8]) -> Kind {
    let line = line.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(line);
    // Cheap refusals first: most files are plain documents.
    let has = |key: &[u8]| line.windows(key.len()).any(|w| w == key);
    if !has(b"\"_source\"") {
        return Kind::Documents;
    }
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(o)) if o.get("_source").is_some_and(Value::is_object) => Kind::Hits,
        Ok(Value::Object(o)) if hits(&o).is_some() => Kind::Responses,
        _ => Kind::Documents,
    }
}

/// A response's `hits.hits`.
fn hits(o: &Map<String, Value>) -> Option<&Vec<Value>> {
    o.get("hits")?.get("hits")?.as_array()
}

/// A hit as a document: its `_source`, with `_id` and `_index` the source does not hold.
fn document(hit: &Value) -> Option<Value> {
    let mut doc = hit.get("_source")?.as_object()?.clone();
    for key in ["_id", "_index"] {
        if let Some(v) = hit.get(key).filter(|v| v.is_string()) {
            doc.entry(key).or_insert_with(|| v.clone());
        }
    }
    Some(Value::Object(doc))
}

/// One line of the dump as the document lines it holds; a line that is not a hit or a
/// response goes through as it is, for the decoder to report.
fn unwrap_line(kind: Kind, line: &[u8], out: &mut Vec<u8>) {
    let parsed = serde_json::from_slice::<Value>(line).ok();
    let docs: Option<Vec<Value>> = match (kind, &parsed) {
        (Kind::Hits, Some(hit)) => document(hit).map(|d| vec![d]),
        (Kind::Responses, Some(Value::Object(o))) => hits(o).map(|h| h.iter().filter_map(document).collect()),
        _ => None,
    };
    match docs {
        Some(docs) => {
            for d in docs {
                out.extend_from_slice(d.to_string().as_bytes());
                out.push(b'\n');
            }
        }
        None if line.iter().all(u8::is_ascii_whitespace) => {}
        None => {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
}

/// A reader of a dump's document lines.
pub struct Unwrap<R: BufRead> {
    kind: Kind,
    inner: R,
    line: Vec<u8>,
    ready: Vec<u8>,
    at: usize,
}

impl<R: BufRead> Unwrap<R> {
    /// Unwraps the lines of `inner`, a dump of `kind`.
    pub fn new(kind: Kind, inner: R) -> Unwrap<R> {
        Unwrap { kind, inner, line: Vec::new(), ready: Vec::new(), at: 0 }
    }
}

impl<R: BufRead> Read for Unwrap<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.ready.len() {
            self.ready.clear();
            self.at = 0;
            self.line.clear();
            if self.inner.read_until(b'\n', &mut self.line)? == 0 {
                return Ok(0);
            }
            let line = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
            unwrap_line(self.kind, line, &mut self.ready);
        }
        let n = out.len().min(self.ready.len() - self.at);
        out[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unwrapped(input: &str) -> String {
        let first = input.lines().next().unwrap_or_default();
        let mut out = String::new();
        Unwrap::new(kind(first.as_bytes()), input.as_bytes()).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn elasticdump_lines_become_their_sources() {
        let dump = "{\"_index\":\"logs-a\",\"_id\":\"x1\",\"_score\":1,\"_source\":{\"user\":{\"name\":\"u\"}}}\n\
                    {\"_index\":\"logs-a\",\"_id\":\"x2\",\"_source\":{\"_id\":\"own\",\"n\":2}}\n";
        assert_eq!(
            unwrapped(dump),
            "{\"_id\":\"x1\",\"_index\":\"logs-a\",\"user\":{\"name\":\"u\"}}\n{\"_id\":\"own\",\"_index\":\"logs-a\",\"n\":2}\n"
        );
    }

    #[test]
    fn a_search_response_becomes_its_hits() {
        let response = "{\"took\":3,\"hits\":{\"total\":{\"value\":2},\"hits\":[\
            {\"_index\":\"i\",\"_id\":\"1\",\"_source\":{\"a\":1}},{\"_index\":\"i\",\"_id\":\"2\",\"_source\":{\"a\":2}}]}}\n";
        assert_eq!(kind(response.as_bytes()), Kind::Responses);
        assert_eq!(
            unwrapped(response),
            "{\"_id\":\"1\",\"_index\":\"i\",\"a\":1}\n{\"_id\":\"2\",\"_index\":\"i\",\"a\":2}\n"
        );
    }

    #[test]
    fn documents_that_mention_source_are_documents() {
        assert_eq!(kind(b"{\"event\":{\"original\":\"\\\"_source\\\"\"}}"), Kind::Documents);
        assert_eq!(kind(b"{\"a\":1}"), Kind::Documents);
    }
}
