//! Scalar values and cells (a row's content: null, one value, or several).
//!
//! Strings borrow from the Arrow arrays they are read from (`Cow::Borrowed`) so evaluation
//! allocates only for values it computes.

use super::text_form::{format_date, format_date_nanos, format_double, format_ip};
use super::EsType;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

/// One non-null value. Its ES|QL type is known from the plan, not stored here: keyword,
/// text and version are all `Str`.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    /// boolean
    Bool(bool),
    /// integer
    Int(i32),
    /// long
    Long(i64),
    /// unsigned_long
    ULong(u64),
    /// double
    Double(f64),
    /// keyword, text, version
    Str(Cow<'a, str>),
    /// ip (IPv4 as IPv4-mapped IPv6)
    Ip([u8; 16]),
    /// date: milliseconds since the epoch
    Date(i64),
    /// date_nanos: nanoseconds since the epoch
    DateNanos(i64),
    /// time_duration in milliseconds
    Duration(i64),
    /// date_period in calendar months and days
    Period {
        /// whole months (years and quarters included; Java keeps years in an int of their
        /// own, so `2147483647 years` must fit)
        months: i64,
        /// whole days (weeks included)
        days: i32,
    },
}

impl<'a> Value<'a> {
    /// A copy that borrows nothing.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Bool(b) => Value::Bool(b),
            Value::Int(v) => Value::Int(v),
            Value::Long(v) => Value::Long(v),
            Value::ULong(v) => Value::ULong(v),
            Value::Double(v) => Value::Double(v),
            Value::Ip(v) => Value::Ip(v),
            Value::Date(v) => Value::Date(v),
            Value::DateNanos(v) => Value::DateNanos(v),
            Value::Duration(v) => Value::Duration(v),
            Value::Period { months, days } => Value::Period { months, days },
        }
    }

    /// The same value borrowing from `self`.
    pub fn borrowed(&self) -> Value<'_> {
        match self {
            Value::Str(s) => Value::Str(Cow::Borrowed(s.as_ref())),
            other => other.clone_scalar(),
        }
    }

    fn clone_scalar(&self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.to_string())),
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(v) => Value::Int(*v),
            Value::Long(v) => Value::Long(*v),
            Value::ULong(v) => Value::ULong(*v),
            Value::Double(v) => Value::Double(*v),
            Value::Ip(v) => Value::Ip(*v),
            Value::Date(v) => Value::Date(*v),
            Value::DateNanos(v) => Value::DateNanos(*v),
            Value::Duration(v) => Value::Duration(*v),
            Value::Period { months, days } => Value::Period { months: *months, days: *days },
        }
    }

    /// The string, for keyword/text/version values.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Numeric value widened to f64.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(v) => Some(v as f64),
            Value::Long(v) => Some(v as f64),
            Value::ULong(v) => Some(v as f64),
            Value::Double(v) => Some(v),
            _ => None,
        }
    }

    /// Integral value widened to i64 (unsigned values above i64::MAX give None).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(v) => Some(v as i64),
            Value::Long(v) => Some(v),
            Value::ULong(v) => i64::try_from(v).ok(),
            Value::Date(v) | Value::DateNanos(v) => Some(v),
            _ => None,
        }
    }

    /// Renders the value as Elasticsearch prints it in text formats.
    pub fn render(&self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Int(v) => v.to_string(),
            Value::Long(v) => v.to_string(),
            Value::ULong(v) => v.to_string(),
            Value::Double(v) => format_double(*v),
            Value::Str(s) => s.to_string(),
            Value::Ip(ip) => format_ip(ip),
            Value::Date(ms) => format_date(*ms),
            Value::DateNanos(ns) => format_date_nanos(*ns),
            Value::Duration(ms) => format!("{ms}ms"),
            Value::Period { months, days } => format!("P{months}M{days}D"),
        }
    }

    /// Total order within one type (used by SORT, MIN/MAX, MV_SORT): numbers numerically,
    /// strings by UTF-8 bytes, IPs by their 16 bytes, versions by version rules.
    pub fn compare(&self, other: &Value<'_>, ty: EsType) -> Ordering {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) if ty == EsType::Version => super::text_form::compare_versions(a, b),
            (Value::Str(a), Value::Str(b)) => a.as_bytes().cmp(b.as_bytes()),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Ip(a), Value::Ip(b)) => a.cmp(b),
            (Value::Double(_), _) | (_, Value::Double(_)) => match (self.as_f64(), other.as_f64()) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                _ => Ordering::Equal,
            },
            _ => match (self.as_i128(), other.as_i128()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => Ordering::Equal,
            },
        }
    }

    fn as_i128(&self) -> Option<i128> {
        match *self {
            Value::Int(v) => Some(v as i128),
            Value::Long(v) | Value::Date(v) | Value::DateNanos(v) | Value::Duration(v) => Some(v as i128),
            Value::ULong(v) => Some(v as i128),
            _ => None,
        }
    }
}

/// Equality as grouping and `count_distinct` see it: same variant and same value
/// (doubles by bit pattern, with -0.0 equal to 0.0).
impl PartialEq for Value<'_> {
    fn eq(&self, other: &Value<'_>) -> bool {
        use Value::*;
        match (self, other) {
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Long(a), Long(b)) | (Date(a), Date(b)) | (DateNanos(a), DateNanos(b)) | (Duration(a), Duration(b)) => {
                a == b
            }
            (ULong(a), ULong(b)) => a == b,
            (Double(a), Double(b)) => norm_bits(*a) == norm_bits(*b),
            (Str(a), Str(b)) => a == b,
            (Ip(a), Ip(b)) => a == b,
            (Period { months: m1, days: d1 }, Period { months: m2, days: d2 }) => m1 == m2 && d1 == d2,
            _ => false,
        }
    }
}

impl Eq for Value<'_> {}

fn norm_bits(d: f64) -> u64 {
    if d == 0.0 {
        0
    } else {
        d.to_bits()
    }
}

impl Hash for Value<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        use Value::*;
        std::mem::discriminant(self).hash(state);
        match self {
            Bool(v) => v.hash(state),
            Int(v) => v.hash(state),
            Long(v) | Date(v) | DateNanos(v) | Duration(v) => v.hash(state),
            ULong(v) => v.hash(state),
            Double(v) => norm_bits(*v).hash(state),
            Str(s) => s.hash(state),
            Ip(v) => v.hash(state),
            Period { months, days } => (months, days).hash(state),
        }
    }
}

/// The content of one row of a column: null, one value, or a multi-value (two or more).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Cell<'a> {
    /// No value.
    #[default]
    Null,
    /// A single value.
    One(Value<'a>),
    /// Two or more values.
    Many(Vec<Value<'a>>),
}

impl<'a> Cell<'a> {
    /// A cell from a list of values: empty is null, one value is single.
    pub fn from_values(mut values: Vec<Value<'a>>) -> Cell<'a> {
        match values.len() {
            0 => Cell::Null,
            1 => values.pop().map_or(Cell::Null, Cell::One),
            _ => Cell::Many(values),
        }
    }

    /// True for null.
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// The values, in order.
    pub fn values(&self) -> &[Value<'a>] {
        match self {
            Cell::Null => &[],
            Cell::One(v) => std::slice::from_ref(v),
            Cell::Many(vs) => vs,
        }
    }

    /// The values, owned.
    pub fn into_values(self) -> Vec<Value<'a>> {
        match self {
            Cell::Null => vec![],
            Cell::One(v) => vec![v],
            Cell::Many(vs) => vs,
        }
    }

    /// A copy that borrows nothing.
    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Null => Cell::Null,
            Cell::One(v) => Cell::One(v.into_owned()),
            Cell::Many(vs) => Cell::Many(vs.into_iter().map(Value::into_owned).collect()),
        }
    }

    /// The same cell borrowing from `self`.
    pub fn borrowed(&self) -> Cell<'_> {
        match self {
            Cell::Null => Cell::Null,
            Cell::One(v) => Cell::One(v.borrowed()),
            Cell::Many(vs) => Cell::Many(vs.iter().map(Value::borrowed).collect()),
        }
    }

    /// Text rendering as ES's txt format shows it: `null`, `v`, or `[a, b]`.
    pub fn render(&self) -> String {
        match self {
            Cell::Null => "null".to_string(),
            Cell::One(v) => v.render(),
            Cell::Many(vs) => format!("[{}]", vs.iter().map(Value::render).collect::<Vec<_>>().join(", ")),
        }
    }
}

/// The hasher of values from the data (STATS keys, distinct-value sets), one for the
/// process: states merged from worker threads reuse each other's hashes. Its seeds are still
/// random, so crafted values cannot force collisions.
pub fn keyed_hasher() -> &'static ahash::RandomState {
    static HASHER: std::sync::OnceLock<ahash::RandomState> = std::sync::OnceLock::new();
    HASHER.get_or_init(ahash::RandomState::new)
}
