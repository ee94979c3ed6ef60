//! Multi-value functions: they see a row's whole list of values.

use super::compensated::Compensated;
use super::p::{opt, req, ANY, NUM, ORDERED, STR};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns};
use crate::types::{Cell, EsType, Value};
use std::borrow::Cow;

macro_rules! mvf {
    ($name:expr, [$($p:expr),*], $ret:expr, $f:expr, $doc:expr) => {
        FunctionDef { name: $name, params: &[$($p),*], variadic: false, returns: $ret, kind: Kind::Scalar(Eval::Cells($f)), doc: $doc, column: None, }
    };
}

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    mvf!(
        "mv_intersection",
        [req("field1", ANY), req("field2", ANY)],
        Returns::Arg(0),
        mv_intersection,
        "The values of the first argument that the second also holds (first occurrences, in order)."
    ),
    mvf!(
        "mv_union",
        [req("field1", ANY), req("field2", ANY)],
        Returns::Arg(0),
        mv_union,
        "The values of both arguments, each once, first argument first."
    ),
    mvf!(
        "mv_zip",
        [req("string1", STR), req("string2", STR), opt("delim", STR)],
        Returns::Fixed(EsType::Keyword),
        mv_zip,
        "Joins the values pairwise with a delimiter (default \",\"); extra values stay as they are."
    ),
    mvf!(
        "mv_like",
        [req("field", STR), req("pattern", STR)],
        Returns::Fixed(EsType::Boolean),
        mv_like,
        "True when some value matches the LIKE pattern (* and ?); false, never null, otherwise."
    ),
    mvf!("mv_median", [req("number", NUM)], Returns::Arg(0), mv_median, "The median value; integers round down."),
    mvf!(
        "mv_count",
        [req("field", ANY)],
        Returns::Fixed(EsType::Integer),
        mv_count,
        "Number of values; null for null."
    ),
    mvf!("mv_first", [req("field", ANY)], Returns::Arg(0), mv_first, "The first value in storage order."),
    mvf!("mv_last", [req("field", ANY)], Returns::Arg(0), mv_last, "The last value in storage order."),
    mvf!("mv_min", [req("field", ORDERED)], Returns::Arg(0), mv_min, "The smallest value."),
    mvf!("mv_max", [req("field", ORDERED)], Returns::Arg(0), mv_max, "The largest value."),
    mvf!(
        "mv_dedupe",
        [req("field", ANY)],
        Returns::Arg(0),
        mv_dedupe,
        "Removes duplicate values (keeps first occurrences)."
    ),
    mvf!(
        "mv_sort",
        [req("field", ORDERED), opt("order", STR)],
        Returns::Arg(0),
        mv_sort,
        "Sorts the values, ASC (default) or DESC."
    ),
    mvf!(
        "mv_concat",
        [req("string", STR), req("delim", STR)],
        Returns::Fixed(EsType::Keyword),
        mv_concat,
        "Joins the values with a delimiter."
    ),
    mvf!("mv_sum", [req("number", NUM)], Returns::Arg(0), mv_sum, "Sum of the values."),
    mvf!("mv_avg", [req("number", NUM)], Returns::Fixed(EsType::Double), mv_avg, "Average of the values."),
    mvf!(
        "mv_contains",
        [req("superset", ANY), req("subset", ANY)],
        Returns::Fixed(EsType::Boolean),
        mv_contains,
        "True if every value of the second argument is among the first's."
    ),
    mvf!(
        "mv_append",
        [req("field1", ANY), req("field2", ANY)],
        Returns::Arg(0),
        mv_append,
        "Concatenates two multi-values; null if either is null."
    ),
    mvf!(
        "mv_slice",
        [req("field", ANY), req("start", &[EsType::Integer]), opt("end", &[EsType::Integer])],
        Returns::Arg(0),
        mv_slice,
        "The values from start to end (inclusive, 0-based; negative counts from the end)."
    ),
];

type R<'a> = Result<Cell<'a>, EvalError>;

fn first<'a>(args: Vec<Cell<'a>>) -> Cell<'a> {
    args.into_iter().next().unwrap_or(Cell::Null)
}

fn mv_count<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let c = first(args);
    Ok(if c.is_null() { Cell::Null } else { Cell::One(Value::Int(c.values().len() as i32)) })
}

fn mv_first<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    Ok(first(args).into_values().into_iter().next().map_or(Cell::Null, Cell::One))
}

fn mv_last<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    Ok(first(args).into_values().pop().map_or(Cell::Null, Cell::One))
}

fn extreme<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>, want: std::cmp::Ordering) -> R<'a> {
    let ty = c.ty;
    let best = first(args).into_values().into_iter().reduce(|a, b| if b.compare(&a, ty) == want { b } else { a });
    Ok(best.map_or(Cell::Null, Cell::One))
}

fn mv_min<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    extreme(c, args, std::cmp::Ordering::Less)
}

fn mv_max<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    extreme(c, args, std::cmp::Ordering::Greater)
}

fn mv_dedupe<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut out: Vec<Value<'a>> = Vec::new();
    for v in first(args).into_values() {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Cell::from_values(out))
}

fn mv_sort<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let values = it.next().unwrap_or_default();
    let desc = match it.next() {
        Some(Cell::One(Value::Str(o))) if o.eq_ignore_ascii_case("desc") => true,
        Some(Cell::One(Value::Str(o))) if o.eq_ignore_ascii_case("asc") => false,
        Some(Cell::One(Value::Str(o))) => {
            return Err(EvalError::illegal_argument(format!(
                "Invalid order value in [mv_sort], expected one of [ASC, DESC] but got [{o}]"
            )))
        }
        _ => false,
    };
    let ty = c.ty;
    let mut v = values.into_values();
    v.sort_by(|a, b| if desc { b.compare(a, ty) } else { a.compare(b, ty) });
    Ok(Cell::from_values(v))
}

fn mv_concat<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let (Some(Cell::One(Value::Str(delim))), values) = (args.get(1), &args[0]) else { return Ok(Cell::Null) };
    if values.is_null() {
        return Ok(Cell::Null);
    }
    let joined: Vec<&str> = values.values().iter().filter_map(Value::as_str).collect();
    Ok(Cell::One(Value::Str(Cow::Owned(joined.join(delim)))))
}

fn mv_sum<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let vals = first(args).into_values();
    if vals.is_empty() {
        return Ok(Cell::Null);
    }
    let err = || {
        EvalError::arithmetic(match c.ty {
            EsType::Integer => "integer overflow",
            EsType::UnsignedLong => "unsigned_long overflow",
            _ => "long overflow",
        })
    };
    Ok(Cell::One(match c.ty {
        EsType::Double => Value::Double(Compensated::of(vals.iter().filter_map(Value::as_f64))),
        EsType::Integer => Value::Int(
            vals.iter().try_fold(0i32, |acc, v| acc.checked_add(v.as_i64().unwrap_or(0) as i32)).ok_or_else(err)?,
        ),
        EsType::UnsignedLong => Value::ULong(
            vals.iter()
                .try_fold(0u64, |acc, v| if let Value::ULong(x) = v { acc.checked_add(*x) } else { Some(acc) })
                .ok_or_else(err)?,
        ),
        _ => {
            Value::Long(vals.iter().try_fold(0i64, |acc, v| acc.checked_add(v.as_i64().unwrap_or(0))).ok_or_else(err)?)
        }
    }))
}

fn mv_avg<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let vals = first(args).into_values();
    if vals.is_empty() {
        return Ok(Cell::Null);
    }
    let sum = Compensated::of(vals.iter().filter_map(Value::as_f64));
    Ok(Cell::One(Value::Double(sum / vals.len() as f64)))
}

fn mv_contains<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let (sup, sub) = (&args[0], &args[1]);
    if sub.is_null() {
        return Ok(Cell::One(Value::Bool(true)));
    }
    Ok(Cell::One(Value::Bool(sub.values().iter().all(|v| sup.values().contains(v)))))
}

fn mv_append<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    if args.iter().any(Cell::is_null) {
        return Ok(Cell::Null);
    }
    Ok(Cell::from_values(args.into_iter().flat_map(Cell::into_values).collect()))
}

fn mv_slice<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let values = it.next().unwrap_or_default().into_values();
    if values.is_empty() {
        // Null in, null out; the offsets below assume at least one value.
        return Ok(Cell::Null);
    }
    let bound = |c: Option<Cell<'_>>| match c {
        Some(Cell::One(v)) => v.as_i64(),
        _ => None,
    };
    let Some(start) = bound(it.next()) else { return Ok(Cell::Null) };
    let end = bound(it.next()).unwrap_or(start);
    if (start >= 0) == (end >= 0) && start > end {
        return Err(EvalError::illegal_argument(format!(
            "Start offset is greater than end offset [{start}] > [{end}]"
        )));
    }
    let n = values.len() as i64;
    let norm = |i: i64| if i < 0 { i + n } else { i };
    let (s, e) = (norm(start), norm(end));
    if s >= n || e < 0 || s > e {
        return Ok(Cell::Null);
    }
    let (s, e) = (s.max(0) as usize, e.min(n - 1) as usize);
    Ok(Cell::from_values(values.into_iter().skip(s).take(e + 1 - s).collect()))
}

fn mv_intersection<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let (a, b) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    let other = b.values();
    let mut out: Vec<Value<'a>> = Vec::new();
    for v in a.into_values() {
        if other.contains(&v) && !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Cell::from_values(out))
}

fn mv_union<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut out: Vec<Value<'a>> = Vec::new();
    for v in args.into_iter().flat_map(Cell::into_values) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Cell::from_values(out))
}

fn mv_zip<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let (a, b) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    let delim = match it.next() {
        None => Cow::Borrowed(","),
        Some(Cell::One(Value::Str(d))) => d,
        Some(_) => return Ok(Cell::Null),
    };
    let text = |v: &Value<'_>| v.render().to_string();
    let (a, b) = (a.values(), b.values());
    let out = (0..a.len().max(b.len()))
        .map(|k| match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) => format!("{}{delim}{}", text(x), text(y)),
            (Some(x), None) | (None, Some(x)) => text(x),
            (None, None) => String::new(),
        })
        .map(|s| Value::Str(Cow::Owned(s)))
        .collect();
    Ok(Cell::from_values(out))
}

fn mv_median<'a>(ctx: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut values = args.into_iter().next().unwrap_or_default().into_values();
    if values.is_empty() {
        return Ok(Cell::Null);
    }
    values.sort_by(|x, y| x.as_f64().unwrap_or(0.0).total_cmp(&y.as_f64().unwrap_or(0.0)));
    let n = values.len();
    if n % 2 == 1 {
        return Ok(Cell::One(values.swap_remove(n / 2)));
    }
    let (lo, hi) = (&values[n / 2 - 1], &values[n / 2]);
    Ok(Cell::One(match (ctx.ty, lo, hi) {
        (EsType::Double, _, _) => Value::Double((lo.as_f64().unwrap_or(0.0) + hi.as_f64().unwrap_or(0.0)) / 2.0),
        (EsType::Integer, Value::Int(x), Value::Int(y)) => {
            Value::Int(((i64::from(*x) + i64::from(*y)).div_euclid(2)) as i32)
        }
        (EsType::Long, Value::Long(x), Value::Long(y)) => {
            Value::Long(((i128::from(*x) + i128::from(*y)).div_euclid(2)) as i64)
        }
        (EsType::UnsignedLong, Value::ULong(x), Value::ULong(y)) => {
            Value::ULong(((u128::from(*x) + u128::from(*y)) / 2) as u64)
        }
        _ => lo.clone(),
    }))
}

/// MV_LIKE: two-valued, so a null field is false (and NOT of it true).
fn mv_like<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> R<'a> {
    let mut it = args.into_iter();
    let (field, pattern) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    let Cell::One(Value::Str(p)) = pattern else { return Ok(Cell::One(Value::Bool(false))) };
    let hit = with_wildcard(&p, |m| field.values().iter().any(|v| matches!(v, Value::Str(s) if m.is_match(s))))?;
    Ok(Cell::One(Value::Bool(hit)))
}

/// Runs `f` with the compiled wildcard `pattern` (the last few kept per thread: patterns
/// are nearly always constants).
fn with_wildcard<T>(pattern: &str, f: impl FnOnce(&super::lucene::Matcher) -> T) -> Result<T, EvalError> {
    thread_local! {
        static CACHE: std::cell::RefCell<Vec<(String, super::lucene::Matcher)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if !cache.iter().any(|(p, _)| p == pattern) {
            let m = super::lucene::wildcard(pattern).map_err(EvalError::illegal_argument)?;
            if cache.len() >= 16 {
                cache.remove(0);
            }
            cache.push((pattern.to_string(), m));
        }
        let (_, m) = cache.iter().find(|(p, _)| p == pattern).ok_or_else(|| EvalError::illegal_argument("pattern"))?;
        Ok(f(m))
    })
}
