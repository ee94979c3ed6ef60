//! One condition of a query's first `WHERE` (see `plan::pushdown`): a date field bounded by
//! a constant (`@timestamp > now() - 8 hours` opens most detection rules), or a keyword
//! field equal to one of some strings, applied while decoding: a row it rejects is not
//! built, and once the field is read, the rest of the line is only checked for structure
//! (see `io/skip.rs`), not walked. Rows it keeps still go through the `WHERE`, so the
//! answer is the same; what changes is what is read of rows it rejects.
//!
//! Parquet row groups whose statistics show that no row passes are not read at all; of the
//! rows read, those it rejects are left out before their values are converted.
//!
//! A rejected row's other fields are not read, so their malformed values are not counted in
//! the load warnings (those of the date field itself are: they are why rows vanish).

use arrow::array::{Array, BooleanArray, ListArray};

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
    /// A keyword matching a LIKE or RLIKE pattern.
    Matches(crate::functions::lucene::Matcher),
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
            (Test::Matches(m), Value::Str(s)) => m.is_match(s),
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

    /// Which rows of a columnar batch may pass, from the field's array as read (flat, or a
    /// list per row): a row is left out only when it holds exactly one value and that value
    /// fails, as the NDJSON decoder decides. `None` when every row is kept, or when the array
    /// is not of the test's type (the `WHERE` then decides alone).
    pub(crate) fn keep(&self, a: &dyn Array) -> Option<BooleanArray> {
        use crate::types::Value;
        use arrow::array::AsArray;
        use arrow::datatypes::{DataType, TimeUnit, TimestampMillisecondType};
        let list = a.as_any().downcast_ref::<ListArray>();
        let values = list.map_or(a, |l| l.values().as_ref());
        let keep = match (&self.test, values.data_type()) {
            (Test::Date(..), DataType::Timestamp(TimeUnit::Millisecond, _)) => {
                let v = values.as_primitive::<TimestampMillisecondType>();
                rows_kept(a, list, |i| v.is_null(i) || self.passes(&Value::Date(v.value(i))))
            }
            (Test::Keywords(_) | Test::Matches(_), DataType::Utf8) => {
                let v = values.as_string::<i32>();
                rows_kept(a, list, |i| v.is_null(i) || self.passes(&Value::Str(v.value(i).into())))
            }
            _ => return None,
        };
        (keep.true_count() < a.len()).then_some(keep)
    }
}

/// Each row of `a` kept unless its only value (at that index of the values) fails `passes`.
fn rows_kept(a: &dyn Array, list: Option<&ListArray>, passes: impl Fn(usize) -> bool) -> BooleanArray {
    let only = |r: usize| match list {
        Some(l) => {
            let o = l.value_offsets();
            (o[r + 1] - o[r] == 1).then_some(o[r] as usize)
        }
        None => Some(r),
    };
    (0..a.len()).map(|r| Some(a.is_null(r) || only(r).is_none_or(&passes))).collect()
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

    /// True when nothing after where the scan stopped in `line` can add a value to the
    /// field (no such member name, nor an escape that could spell one) and the rest of the
    /// line closes what is open there, structurally (the scan checked what came before).
    pub(crate) fn is_inert(&self, line: &[u8], stop: &crate::io::ndjson::scanner::Stopped) -> bool {
        use crate::io::ndjson::{scanner::MAX_DEPTH, skip::rest_end};
        let rest = &line[stop.at..];
        if self.name.find(rest).is_some() || self.escape.find(rest).is_some() {
            return false;
        }
        match rest_end(line, stop.at, stop.open, MAX_DEPTH) {
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
        use crate::io::ndjson::{scanner::Stopped, skip::Open};
        let top = Stopped { at: 17, open: Open::of(&[true]) };
        let line = br#"{"@timestamp":"x","event":{"created":"y"},"a":"b"}"#;
        let ts = Tail::new(b"@timestamp");
        assert!(ts.is_inert(line, &top));
        assert!(!Tail::new(b"created").is_inert(line, &top));
        let dup = br#"{"@timestamp":"x","@timestamp":"y"}"#;
        assert!(!ts.is_inert(dup, &top));
        let escaped = br#"{"@timestamp":"x","@timestam\u0070":"y"}"#;
        assert!(!ts.is_inert(escaped, &top));
        let broken = br#"{"@timestamp":"x","a":{"b":1}"#;
        assert!(!ts.is_inert(broken, &top));
        let trailing = br#"{"@timestamp":"x"} x"#;
        assert!(!ts.is_inert(trailing, &top));
        // Stopped inside `event` and an array of objects: the rest must close both and the
        // document, in that order.
        let nested = Stopped { at: 26, open: Open::of(&[true, false, true]) };
        let outcome = Tail::new(b"outcome");
        assert!(outcome.is_inert(br#"{"e":[{"outcome":"x","n":1}],"b":{}}"#, &nested));
        assert!(!outcome.is_inert(br#"{"e":[{"outcome":"x","n":1]},"b":{}}"#, &nested));
        assert!(!outcome.is_inert(br#"{"e":[{"outcome":"x","n":1}]"#, &nested));
    }

    #[test]
    fn a_columnar_row_is_left_out_only_when_its_one_value_fails() {
        use arrow::array::{ListArray, StringArray, TimestampMillisecondArray};
        use arrow::buffer::OffsetBuffer;
        use arrow::datatypes::Field;
        use std::sync::Arc;
        let after = Prefilter { column: 0, test: Test::Date(Bound::Gt, 100) };
        let kept = |k: Option<BooleanArray>| k.map(|k| k.iter().map(|v| v == Some(true)).collect::<Vec<_>>());
        let flat = TimestampMillisecondArray::from(vec![Some(50), Some(150), None, Some(100)]);
        assert_eq!(kept(after.keep(&flat)), Some(vec![false, true, true, false]));
        // Rows: [50], [150], [50, 150] (multi-value: the WHERE warns), [], null, [null].
        let values = TimestampMillisecondArray::from(vec![Some(50), Some(150), Some(50), Some(150), None]);
        let offsets = OffsetBuffer::new(vec![0, 1, 2, 4, 4, 4, 5].into());
        let nulls = Some(vec![true, true, true, true, false, true].into());
        let item = Arc::new(Field::new("item", values.data_type().clone(), true));
        let list = ListArray::new(item, offsets, Arc::new(values), nulls);
        assert_eq!(kept(after.keep(&list)), Some(vec![false, true, true, true, true, true]));
        let all_pass = TimestampMillisecondArray::from(vec![200, 300]);
        assert_eq!(after.keep(&all_pass), None, "nothing to leave out");
        let keywords = Prefilter { column: 0, test: Test::Keywords(vec!["failure".into()]) };
        let outcomes = StringArray::from(vec![Some("failure"), Some("success"), None]);
        assert_eq!(kept(keywords.keep(&outcomes)), Some(vec![true, false, true]));
        assert_eq!(keywords.keep(&flat), None, "a column not of the test's type is left to the WHERE");
    }
}
