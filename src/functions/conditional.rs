//! Conditionals: `case` (lazy, evaluated by the executor), `coalesce`, `greatest`, `least`, `is_null`.

use super::p::{opt, req, ANY, ORDERED};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns};
use crate::types::{Cell, EsType, Value};

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "case",
        params: &[req("condition", &[EsType::Boolean]), req("trueValue", ANY), opt("elseValue", ANY)],
        variadic: true,
        returns: Returns::Custom(case_type),
        kind: Kind::Case,
        doc: "Value of the first true condition; an odd argument count gives a default; otherwise null.",
        column: None,
    },
    FunctionDef {
        name: "is_null",
        params: &[req("field", ANY)],
        variadic: false,
        returns: Returns::Fixed(EsType::Boolean),
        kind: Kind::Scalar(Eval::Cells(|_, a| Ok(Cell::One(Value::Bool(a.first().is_none_or(Cell::is_null)))))),
        doc: "True when the value is null: the function form of `IS NULL` that Elasticsearch had before 8.13.",
        column: None,
    },
    FunctionDef {
        name: "coalesce",
        params: &[req("first", ANY), opt("rest", ANY)],
        variadic: true,
        returns: Returns::Custom(first_non_null),
        kind: Kind::Scalar(Eval::Cells(coalesce)),
        doc: "The first argument that is not null (a multi-value counts as not null).",
        column: None,
    },
    FunctionDef {
        name: "greatest",
        params: &[req("first", ORDERED), opt("rest", ORDERED)],
        variadic: true,
        returns: Returns::Custom(first_non_null),
        kind: Kind::Scalar(Eval::Cells(greatest)),
        doc: "The largest value of all arguments (multi-values included); null if any is null.",
        column: None,
    },
    FunctionDef {
        name: "clamp",
        params: &[req("field", ORDERED), req("min", ORDERED), req("max", ORDERED)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(clamp)),
        doc: "The value limited to [min, max].",
        column: None,
    },
    FunctionDef {
        name: "clamp_min",
        params: &[req("field", ORDERED), req("min", ORDERED)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(clamp)),
        doc: "The value, or min when it is smaller.",
        column: None,
    },
    FunctionDef {
        name: "clamp_max",
        params: &[req("field", ORDERED), req("max", ORDERED)],
        variadic: false,
        returns: Returns::Arg(0),
        kind: Kind::Scalar(Eval::Single(clamp_max)),
        doc: "The value, or max when it is larger.",
        column: None,
    },
    FunctionDef {
        name: "least",
        params: &[req("first", ORDERED), opt("rest", ORDERED)],
        variadic: true,
        returns: Returns::Custom(first_non_null),
        kind: Kind::Scalar(Eval::Cells(least)),
        doc: "The smallest value of all arguments (multi-values included); null if any is null.",
        column: None,
    },
];

/// The type of the value branches of `case(c1, v1, c2, v2, ..., [default])`: the type they
/// agree on as COALESCE's arguments do (the planner refuses values that do not agree; then
/// the first value's type).
pub fn case_type(args: &[EsType]) -> EsType {
    let n = args.len();
    let values = args.iter().enumerate().filter(|(k, _)| k % 2 == 1 || (n % 2 == 1 && *k == n - 1));
    let types: Vec<EsType> = values.map(|(_, t)| *t).collect();
    super::unify::common_type(super::unify::Rule::Numeric, &types).unwrap_or_else(|_| first_non_null(&types))
}

fn first_non_null(args: &[EsType]) -> EsType {
    args.iter().copied().find(|t| *t != EsType::Null).unwrap_or(EsType::Null)
}

fn coalesce<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError> {
    Ok(args.into_iter().find(|c| !c.is_null()).unwrap_or(Cell::Null))
}

fn extreme<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>, want: std::cmp::Ordering) -> Result<Cell<'a>, EvalError> {
    if args.iter().any(Cell::is_null) {
        return Ok(Cell::Null);
    }
    let ty = c.ty;
    let best =
        args.into_iter().flat_map(Cell::into_values).reduce(|a, b| if b.compare(&a, ty) == want { b } else { a });
    Ok(best.map_or(Cell::Null, Cell::One))
}

fn greatest<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError> {
    extreme(c, args, std::cmp::Ordering::Greater)
}

fn least<'a>(c: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError> {
    extreme(c, args, std::cmp::Ordering::Less)
}

fn clamp<'a>(c: &Ctx<'_>, a: &[crate::types::Value<'a>]) -> super::ValueResult<'a> {
    let mut v = a[0].clone();
    if v.compare(&a[1], c.ty) == std::cmp::Ordering::Less {
        v = a[1].clone();
    }
    if let Some(max) = a.get(2) {
        if v.compare(max, c.ty) == std::cmp::Ordering::Greater {
            v = max.clone();
        }
    }
    Ok(Some(v))
}

fn clamp_max<'a>(c: &Ctx<'_>, a: &[crate::types::Value<'a>]) -> super::ValueResult<'a> {
    Ok(Some(if a[0].compare(&a[1], c.ty) == std::cmp::Ordering::Greater { a[1].clone() } else { a[0].clone() }))
}
