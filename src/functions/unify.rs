//! Functions whose arguments must agree on one type, and the type they are brought to: the
//! per-parameter types of the table cannot say "the same type as the first". Elasticsearch
//! checks these in each function's `resolveType`; without the check a mixed call planned and
//! its kernel gave a value of another type than the column's (`GREATEST(1, 2.5)` was null,
//! `MV_APPEND("a", 1)` dropped the 1).

use crate::types::EsType;

/// How a function's arguments agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// All of one type (text and keyword alike), as `MV_APPEND`.
    Same,
    /// As [`Rule::Same`], except that numbers mix and widen to their common type (a double
    /// wins, then an unsigned_long, then a long), as `CASE`, `COALESCE`, `GREATEST` and
    /// `LEAST` since Elasticsearch 9.1.
    Numeric,
    /// `CLAMP(field, min, max)` and its halves: a number bound needs a number field, any
    /// other bound the field's type; numbers widen as Elasticsearch's `ClampMin/ClampMax` do.
    Bound,
    /// `ROUND_TO(field, points...)`: all numbers or all dates, brought to their common type.
    Points,
}

const RULES: &[(&str, Rule)] = &[
    ("coalesce", Rule::Numeric),
    ("greatest", Rule::Numeric),
    ("least", Rule::Numeric),
    ("mv_append", Rule::Same),
    ("mv_union", Rule::Same),
    ("mv_intersection", Rule::Same),
    ("mv_contains", Rule::Same),
    ("clamp", Rule::Bound),
    ("clamp_min", Rule::Bound),
    ("clamp_max", Rule::Bound),
    ("round_to", Rule::Points),
];

/// The rule of the function named `name`, if its arguments must agree.
pub fn rule(name: &str) -> Option<Rule> {
    RULES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

/// Why the arguments do not agree.
#[derive(Debug, PartialEq, Eq)]
pub enum Misfit {
    /// An argument of another type than the one it must have (the error names both).
    Arg {
        /// Its position.
        at: usize,
        /// The type it must have.
        want: EsType,
    },
    /// A message of the function's own.
    Message(String),
}

/// The type every argument of a `rule` function with argument `types` is brought to (null
/// arguments stay null), or why they do not agree.
pub fn common_type(rule: Rule, types: &[EsType]) -> Result<EsType, Misfit> {
    match rule {
        Rule::Same | Rule::Numeric => shared(rule == Rule::Numeric, types),
        Rule::Bound => bounded(types),
        Rule::Points => points(types),
    }
}

fn no_text(t: EsType) -> EsType {
    if t == EsType::Text {
        EsType::Keyword
    } else {
        t
    }
}

fn shared(numbers_mix: bool, types: &[EsType]) -> Result<EsType, Misfit> {
    let Some(base) = types.iter().copied().find(|t| *t != EsType::Null) else { return Ok(EsType::Null) };
    let mut target = base;
    for (at, &t) in types.iter().enumerate().filter(|(_, t)| **t != EsType::Null) {
        if numbers_mix && base.is_numeric() && t.is_numeric() {
            target = crate::functions::wider_numeric(target, t);
        } else if no_text(t) != no_text(base) {
            return Err(Misfit::Arg { at, want: no_text(base) });
        }
    }
    Ok(target)
}

/// Elasticsearch's `estimatedSize` of a number type, which decides the widening of a bound.
fn width(t: EsType) -> usize {
    if t == EsType::Integer {
        4
    } else {
        8
    }
}

fn bounded(types: &[EsType]) -> Result<EsType, Misfit> {
    let Some(&field) = types.first() else { return Ok(EsType::Null) };
    if field == EsType::Null {
        // Elasticsearch's words for all three functions.
        return Err(Misfit::Message("'field' must not be null in clamp()".into()));
    }
    let mut target = field;
    for (at, &b) in types.iter().enumerate().skip(1).filter(|(_, t)| **t != EsType::Null) {
        let fits = if b.is_numeric() { field.is_numeric() } else { no_text(b) == no_text(field) };
        if !fits {
            return Err(Misfit::Arg { at, want: no_text(field) });
        }
        // CLAMP is CLAMP_MAX(CLAMP_MIN(field, min), max): each step widens the last.
        if target.is_numeric() {
            target = match width(target).cmp(&width(b)) {
                std::cmp::Ordering::Equal if target == EsType::Double => target,
                std::cmp::Ordering::Equal | std::cmp::Ordering::Less => b,
                std::cmp::Ordering::Greater => target,
            };
        }
    }
    Ok(target)
}

fn points(types: &[EsType]) -> Result<EsType, Misfit> {
    let known: Vec<EsType> = types.iter().copied().filter(|t| *t != EsType::Null).collect();
    let numbers = known.iter().all(|t| matches!(t, EsType::Integer | EsType::Long | EsType::Double));
    if numbers {
        return Ok(known.iter().copied().fold(EsType::Null, crate::functions::wider_numeric));
    }
    if known.iter().all(|t| t.is_date()) {
        return Ok(if known.contains(&EsType::DateNanos) { EsType::DateNanos } else { EsType::Date });
    }
    Err(Misfit::Message("all arguments must be numeric, date, or data_nanos".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EsType::*;

    #[test]
    fn arguments_agree_as_elasticsearch_resolves_them() {
        let cases: &[(Rule, &[EsType], Result<EsType, Misfit>)] = &[
            (Rule::Numeric, &[Integer, Double], Ok(Double)),
            (Rule::Numeric, &[Null, Integer, Long], Ok(Long)),
            (Rule::Numeric, &[Keyword, Text], Ok(Keyword)),
            (Rule::Numeric, &[Integer, Keyword], Err(Misfit::Arg { at: 1, want: Integer })),
            (Rule::Numeric, &[UnsignedLong, Long], Ok(UnsignedLong)),
            (Rule::Numeric, &[Integer, UnsignedLong, Double], Ok(Double)),
            (Rule::Numeric, &[Null, Null], Ok(Null)),
            (Rule::Same, &[Integer, Double], Err(Misfit::Arg { at: 1, want: Integer })),
            (Rule::Same, &[Text, Keyword], Ok(Text)),
            (Rule::Same, &[Null, Ip, Ip], Ok(Ip)),
            (Rule::Bound, &[Integer, Double, Integer], Ok(Double)),
            (Rule::Bound, &[Integer, Long], Ok(Long)),
            (Rule::Bound, &[Double, Long], Ok(Double)),
            (Rule::Bound, &[Long, Double], Ok(Double)),
            (Rule::Bound, &[Long, Integer], Ok(Long)),
            (Rule::Bound, &[Keyword, Text, Keyword], Ok(Keyword)),
            (Rule::Bound, &[Keyword, Integer], Err(Misfit::Arg { at: 1, want: Keyword })),
            (Rule::Bound, &[Date, Ip], Err(Misfit::Arg { at: 1, want: Date })),
            (Rule::Bound, &[Null, Integer], Err(Misfit::Message("'field' must not be null in clamp()".into()))),
            (Rule::Points, &[Integer, Double, Long], Ok(Double)),
            (Rule::Points, &[Date, DateNanos], Ok(DateNanos)),
            (
                Rule::Points,
                &[Integer, Date],
                Err(Misfit::Message("all arguments must be numeric, date, or data_nanos".into())),
            ),
            (
                Rule::Points,
                &[UnsignedLong, Long],
                Err(Misfit::Message("all arguments must be numeric, date, or data_nanos".into())),
            ),
        ];
        for (rule, types, want) in cases {
            assert_eq!(&common_type(*rule, types), want, "{rule:?} {types:?}");
        }
    }
}
