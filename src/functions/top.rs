//! `TOP(field, limit, order[, output])`, `FIRST(value, sort)` and `LAST(value, sort)`:
//! aggregates that keep values by their order rather than combine them.

use super::aggregate::{downcast, Accumulator};
use super::p::{opt, req, ANY, ORDERED, STR};
use super::{FunctionDef, Kind, Merge, Returns};
use crate::types::{Cell, EsType, Value};
use std::cmp::Ordering;

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "top",
        params: &[req("field", ORDERED), req("limit", &[EsType::Integer]), req("order", STR), opt("outputField", ANY)],
        variadic: false,
        returns: Returns::Custom(|t| t.get(3).copied().unwrap_or(t[0])),
        kind: Kind::Aggregate(
            |ty, _| Box::new(Top { ty, items: Vec::new(), limit: None, desc: false }),
            Merge::OnePass,
        ),
        doc: "The top values of a field (limit of them, asc or desc), or of an output field in that order.",
        column: None,
    },
    FunctionDef {
        name: "first",
        params: &[req("value", ANY), req("sort", ORDERED)],
        variadic: false,
        // The value's own type, null included (not borrowed from the sort key's).
        returns: Returns::Custom(|t| t[0]),
        kind: Kind::Aggregate(
            |_, _| Box::new(Ends { want: Ordering::Less, best: None, fallback: None }),
            Merge::OnePass,
        ),
        doc: "The value at the smallest sort key.",
        column: None,
    },
    FunctionDef {
        name: "last",
        params: &[req("value", ANY), req("sort", ORDERED)],
        variadic: false,
        // The value's own type, null included (not borrowed from the sort key's).
        returns: Returns::Custom(|t| t[0]),
        kind: Kind::Aggregate(
            |_, _| Box::new(Ends { want: Ordering::Greater, best: None, fallback: None }),
            Merge::OnePass,
        ),
        doc: "The value at the largest sort key.",
        column: None,
    },
];

/// The type a value sorts as, for comparing sort keys of any type.
fn kind(v: &Value<'_>) -> EsType {
    match v {
        Value::Bool(_) => EsType::Boolean,
        Value::Int(_) => EsType::Integer,
        Value::Long(_) => EsType::Long,
        Value::ULong(_) => EsType::UnsignedLong,
        Value::Double(_) => EsType::Double,
        Value::Ip(_) => EsType::Ip,
        Value::Date(_) => EsType::Date,
        Value::DateNanos(_) => EsType::DateNanos,
        _ => EsType::Keyword,
    }
}

struct Top {
    ty: EsType,
    /// (key, output value)
    items: Vec<(Value<'static>, Value<'static>)>,
    limit: Option<usize>,
    desc: bool,
}

impl Top {
    fn order(&mut self) {
        let (ty, desc) = (self.ty, self.desc);
        self.items.sort_by(|a, b| {
            let o = a.0.compare(&b.0, ty);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        self.items.truncate(self.limit.unwrap_or(0));
    }
}

impl Accumulator for Top {
    fn add(&mut self, cells: &[Cell<'_>]) {
        if self.limit.is_none() {
            let limit = cells.get(1).and_then(|c| c.values().first().and_then(Value::as_i64));
            self.limit = limit.map(|n| n.max(0) as usize);
            self.desc = cells
                .get(2)
                .and_then(|c| c.values().first().and_then(|v| v.as_str().map(str::to_string)))
                .is_some_and(|o| o.eq_ignore_ascii_case("desc"));
        }
        let output = cells.get(3).map(|c| c.values().first().cloned());
        for key in cells.first().map(Cell::values).unwrap_or_default() {
            let out = match &output {
                Some(Some(o)) => o.clone().into_owned(),
                Some(None) => continue,
                None => key.clone().into_owned(),
            };
            self.items.push((key.clone().into_owned(), out));
        }
        // Bounded memory: only the best `limit` can ever be kept.
        if self.items.len() > 2 * self.limit.unwrap_or(0) + 64 {
            self.order();
        }
    }
    fn finish(&self) -> Cell<'static> {
        let mut sorted = Top { ty: self.ty, items: self.items.clone(), limit: self.limit, desc: self.desc };
        sorted.order();
        Cell::from_values(sorted.items.into_iter().map(|(_, v)| v).collect())
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Top>(other) {
            self.limit = self.limit.or(o.limit);
            self.desc |= o.desc;
            self.items.extend(o.items);
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// FIRST and LAST: the value at the extreme sort key; when no row has a sort key, the first
/// row's value (as Elasticsearch answers `FIRST(x, null)`).
struct Ends {
    want: Ordering,
    best: Option<(Value<'static>, Cell<'static>)>,
    fallback: Option<Cell<'static>>,
}

impl Ends {
    /// Keeps `value` when its sort key beats the best so far.
    fn offer(&mut self, key: Value<'static>, value: Cell<'static>) {
        if self.best.as_ref().is_none_or(|(b, _)| key.compare(b, kind(&key)) == self.want) {
            self.best = Some((key, value));
        }
    }
}

impl Accumulator for Ends {
    fn add(&mut self, cells: &[Cell<'_>]) {
        let value = cells.first().cloned().unwrap_or(Cell::Null).into_owned();
        match cells.get(1).and_then(|c| c.values().first().map(|k| k.clone().into_owned())) {
            Some(key) => self.offer(key, value),
            None => {
                self.fallback.get_or_insert(value);
            }
        }
    }
    fn finish(&self) -> Cell<'static> {
        match (&self.best, &self.fallback) {
            (Some((_, v)), _) => v.clone(),
            (None, Some(v)) => v.clone(),
            _ => Cell::Null,
        }
    }
    fn merge(&mut self, other: Box<dyn Accumulator>) {
        if let Some(o) = downcast::<Ends>(other) {
            if let Some((k, v)) = o.best {
                self.offer(k, v);
            }
            if self.fallback.is_none() {
                self.fallback = o.fallback;
            }
        }
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}
