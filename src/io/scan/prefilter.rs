//! One condition of a query's first `WHERE` (see `plan::pushdown`): a date field bounded by
//! a constant (`@timestamp > now() - 8 hours` opens most detection rules), or a keyword
//! field equal to one of some strings, applied while decoding: a row it rejects is not
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

/// What the column's value must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Test {
    /// `column op value`, value in epoch milliseconds.
    Date(Bound, i64),
    /// A keyword equal to one of these.
    Keywords(Vec<String>),
}

/// One test on one column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefilter {
    /// The column, by position in the scan's columns.
    pub column: usize,
    /// What its value must be.
    pub test: Test,
}

impl Prefilter {
    /// True when a row whose only value of the column is `v` passes.
    pub fn passes(&self, v: &crate::types::Value<'_>) -> bool {
        use crate::types::Value;
        match (&self.test, v) {
            (Test::Date(op, bound), Value::Date(v)) => match op {
                Bound::Gt => v > bound,
                Bound::Ge => v >= bound,
                Bound::Lt => v < bound,
                Bound::Le => v <= bound,
            },
            (Test::Keywords(set), Value::Str(s)) => set.iter().any(|k| k == s),
            _ => false,
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
        let Test::Date(op, value) = self.test else { return false };
        if values != rows {
            return false;
        }
        match (op, min, max) {
            (Bound::Gt, _, Some(max)) => max <= value,
            (Bound::Ge, _, Some(max)) => max < value,
            (Bound::Lt, Some(min), _) => min >= value,
            (Bound::Le, Some(min), _) => min > value,
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
        let after = Prefilter { column: 0, test: Test::Date(Bound::Gt, 100) };
        assert!(after.prunes(Some(1), Some(100), 10, 10));
        assert!(!after.prunes(Some(1), Some(101), 10, 10));
        assert!(!after.prunes(Some(1), Some(100), 11, 10), "a row with two values keeps its warning");
        assert!(!after.prunes(None, None, 10, 10));
        let before = Prefilter { column: 0, test: Test::Date(Bound::Le, 100) };
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
