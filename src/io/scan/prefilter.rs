//! A query's first `WHERE` when it bounds a date field by a constant (`@timestamp > now() -
//! 8 hours` opens most detection rules), applied while decoding: a row it rejects is not
//! built, and once the field is read, the rest of the line is only checked for structure
//! (see `io/skip.rs`), not walked. Rows it keeps still go through the `WHERE`, so the
//! answer is the same; what changes is what is read of rows it rejects.
//!
//! Parquet row groups whose statistics show that no row passes are not read at all.
//!
//! A rejected row's other fields are not read, so their malformed values are not counted in
//! the load warnings (those of the date field itself are: they are why rows vanish).

/// How the field compares with the constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// `field > value`
    Gt,
    /// `field >= value`
    Ge,
    /// `field < value`
    Lt,
    /// `field <= value`
    Le,
}

/// `column op value`, value in epoch milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefilter {
    /// The date column, by position in the scan's columns.
    pub column: usize,
    /// The comparison.
    pub op: Bound,
    /// The constant.
    pub value: i64,
}

impl Prefilter {
    /// True when a single value `v` passes.
    pub fn passes(&self, v: i64) -> bool {
        match self.op {
            Bound::Gt => v > self.value,
            Bound::Ge => v >= self.value,
            Bound::Lt => v < self.value,
            Bound::Le => v <= self.value,
        }
    }

    /// The bound as the field would be on the left: `value < field` is `field > value`.
    pub fn flipped(op: Bound) -> Bound {
        match op {
            Bound::Gt => Bound::Lt,
            Bound::Ge => Bound::Le,
            Bound::Lt => Bound::Gt,
            Bound::Le => Bound::Ge,
        }
    }
}

impl Prefilter {
    /// True when no row of a Parquet row group can pass, from its column chunk's min/max
    /// (epoch milliseconds): only when no row holds two values (as many values as rows), so
    /// no multi-value warning is lost with the rows.
    pub(crate) fn prunes(&self, min: Option<i64>, max: Option<i64>, values: i64, rows: i64) -> bool {
        if values != rows {
            return false;
        }
        match (self.op, min, max) {
            (Bound::Gt, _, Some(max)) => max <= self.value,
            (Bound::Ge, _, Some(max)) => max < self.value,
            (Bound::Lt, Some(min), _) => min >= self.value,
            (Bound::Le, Some(min), _) => min > self.value,
            _ => false,
        }
    }
}

/// What can follow a rejecting value without changing the verdict, for the field whose
/// last path segment is `name`: searchers built once per index.
#[derive(Debug)]
pub(crate) struct Tail {
    name: memchr::memmem::Finder<'static>,
    escape: memchr::memmem::Finder<'static>,
}

impl Tail {
    pub(crate) fn new(name: &[u8]) -> Tail {
        let mut quoted = name.to_vec();
        quoted.push(b'"');
        Tail {
            name: memchr::memmem::Finder::new(&quoted).into_owned(),
            escape: memchr::memmem::Finder::new(b"\\u").into_owned(),
        }
    }

    /// True when nothing after `at` in `line` can add a value to the field (no such member
    /// name, nor an escape that could spell one) and the whole line is structurally one
    /// object.
    pub(crate) fn is_inert(&self, line: &[u8], at: usize) -> bool {
        let rest = &line[at..];
        if self.name.find(rest).is_some() || self.escape.find(rest).is_some() {
            return false;
        }
        let Some(start) = line.iter().position(|b| !b.is_ascii_whitespace()) else { return false };
        match crate::io::ndjson::skip::container_end(line, start, crate::io::ndjson::scanner::MAX_DEPTH) {
            Ok(end) => line[end..].iter().all(u8::is_ascii_whitespace),
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_groups_are_pruned_only_when_no_row_can_pass() {
        let after = Prefilter { column: 0, op: Bound::Gt, value: 100 };
        assert!(after.prunes(Some(1), Some(100), 10, 10));
        assert!(!after.prunes(Some(1), Some(101), 10, 10));
        assert!(!after.prunes(Some(1), Some(100), 11, 10), "a row with two values keeps its warning");
        assert!(!after.prunes(None, None, 10, 10));
        let before = Prefilter { column: 0, op: Bound::Le, value: 100 };
        assert!(before.prunes(Some(101), Some(200), 10, 10));
        assert!(!before.prunes(Some(100), Some(200), 10, 10));
    }

    #[test]
    fn a_later_spelling_of_the_field_or_a_broken_line_is_not_inert() {
        let line = br#"{"@timestamp":"x","event":{"created":"y"},"a":"b"}"#;
        let ts = Tail::new(b"@timestamp");
        assert!(ts.is_inert(line, 17));
        assert!(!Tail::new(b"created").is_inert(line, 17));
        let dup = br#"{"@timestamp":"x","@timestamp":"y"}"#;
        assert!(!ts.is_inert(dup, 17));
        let escaped = br#"{"@timestamp":"x","@timestam\u0070":"y"}"#;
        assert!(!ts.is_inert(escaped, 17));
        let broken = br#"{"@timestamp":"x","a":{"b":1}"#;
        assert!(!ts.is_inert(broken, 17));
        let trailing = br#"{"@timestamp":"x"} x"#;
        assert!(!ts.is_inert(trailing, 17));
    }
}
