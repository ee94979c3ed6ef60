//! Function signatures and operand types: which types compare or add, which table entry
//! an operator is, argument checks with implicit casts, and the errors that name an
//! unknown column or function with the nearest match.

use super::literal::implicit_cast;
use super::{error, PlanExpr, PlanKind, TypeCheck};
use crate::diagnostic::Diagnostic;
use crate::functions::unify::{common_type, Misfit, Rule};
use crate::functions::{self, operators, FunctionDef, Returns};
use crate::syntax::{BinaryOp, Span};
use crate::types::{Cell, ColumnDef, EsType, Value};

/// "first" to "tenth", for errors about an argument.
pub(super) const ORDINALS: [&str; 10] =
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/// The types a comparison takes on either side, as Elasticsearch's messages list them:
/// those it has an evaluator for (`==` and `!=` also booleans and shapes; no order of
/// those).
fn accepted_operands(op: BinaryOp) -> &'static [&'static str] {
    const EQUALITY: &[&str] = &[
        "boolean",
        "cartesian_point",
        "cartesian_shape",
        "date_nanos",
        "datetime",
        "double",
        "geo_point",
        "geo_shape",
        "geohash",
        "geohex",
        "geotile",
        "integer",
        "ip",
        "keyword",
        "long",
        "text",
        "unsigned_long",
        "version",
    ];
    const ORDER: &[&str] =
        &["date_nanos", "datetime", "double", "integer", "ip", "keyword", "long", "text", "unsigned_long", "version"];
    if matches!(op, BinaryOp::Eq | BinaryOp::Neq) {
        EQUALITY
    } else {
        ORDER
    }
}

/// Each side of a comparison (`text`) of a type Elasticsearch compares that way (no order
/// of booleans or shapes, no comparison of `_source`), checked as it checks them.
pub(super) fn comparison_operands(op: BinaryOp, sides: [&PlanExpr; 2], text: &str) -> TypeCheck {
    let accepted = accepted_operands(op);
    for (k, side) in sides.iter().enumerate() {
        if side.ty == EsType::Null || accepted.contains(&side.ty.message_name()) {
            continue;
        }
        return Err(format!(
            "{} argument of [{text}] must be [{}], found value [{}] type [{}]",
            ORDINALS[k],
            one_of(accepted),
            side.origin.text,
            side.ty.message_name()
        ));
    }
    Ok(())
}

/// Accepted types as Elasticsearch lists them in a type error: "a, b or c".
pub(super) fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Whether `a` and `b` can be compared with `==`, `<`, `IN`.
pub fn comparable(a: EsType, b: EsType) -> TypeCheck {
    use EsType::*;
    let ok = a == b
        || a == Null
        || b == Null
        || (a.is_numeric() && b.is_numeric() && (a == UnsignedLong) == (b == UnsignedLong))
        || (a.is_string() && b.is_string())
        || (a.is_date() && b.is_date());
    if ok {
        Ok(())
    } else {
        Err(String::new())
    }
}

pub(super) fn arithmetic_ok(op: BinaryOp, a: EsType, b: EsType) -> TypeCheck {
    use EsType::*;
    let numeric = (a.is_numeric() || a == Null)
        && (b.is_numeric() || b == Null)
        && !((a == UnsignedLong) ^ (b == UnsignedLong) && a != Null && b != Null);
    let dates = matches!(op, BinaryOp::Add | BinaryOp::Sub)
        && ((a.is_date() && (b.is_span() || b == Null)) || (op == BinaryOp::Add && a.is_span() && b.is_date()));
    // Spans of one kind add up; a null goes with a span or a date (ES `checkCompatibility`).
    let spans = matches!(op, BinaryOp::Add | BinaryOp::Sub)
        && ((a.is_span() && (b == a || b == Null)) || (a == Null && (b.is_span() || b.is_date())));
    if numeric || dates || spans {
        Ok(())
    } else {
        Err(String::new())
    }
}

pub(super) fn binary_function(op: BinaryOp) -> &'static FunctionDef {
    use BinaryOp::*;
    match op {
        Add => &operators::ADD,
        Sub => &operators::SUB,
        Mul => &operators::MUL,
        Div => &operators::DIV,
        Mod => &operators::MOD,
        Eq => &operators::EQ,
        Neq => &operators::NEQ,
        Lt => &operators::LT,
        Lte => &operators::LTE,
        Gt => &operators::GT,
        Gte | And | Or => &operators::GTE,
    }
}

/// The result type of `func` over `types`.
pub fn return_type(func: &FunctionDef, types: &[EsType]) -> EsType {
    match func.returns {
        Returns::Fixed(t) => t,
        // A function's text result is keyword (Elasticsearch's `noText`: `MV_FIRST(text)`,
        // `COALESCE(text, ...)`, `VALUES(text)` are keyword).
        Returns::Arg(k) => match types.get(k) {
            Some(EsType::Null) | None => types.iter().copied().find(|t| *t != EsType::Null).unwrap_or(EsType::Null),
            Some(t) => *t,
        }
        .no_text(),
        Returns::Custom(f) => f(types).no_text(),
    }
}

/// Arity, implicit literal casts and parameter types.
pub(super) fn check_args(func: &FunctionDef, mut args: Vec<PlanExpr>, text: &str) -> Result<Vec<PlanExpr>, String> {
    let required = func.params.iter().filter(|p| !p.optional).count();
    let max = if func.variadic { usize::MAX } else { func.params.len() };
    if args.len() < required || args.len() > max {
        let expected = if func.variadic {
            format!("at least {required}")
        } else if required == func.params.len() {
            required.to_string()
        } else {
            format!("{required} to {}", func.params.len())
        };
        return Err(format!(
            "error building [{}]: expects {expected} argument(s), got [{}] in [{text}]",
            func.name,
            args.len()
        ));
    }
    for (k, arg) in args.iter_mut().enumerate() {
        let Some(param) = func.params.get(k).or(func.params.last()) else { break };
        if !param.types.contains(&EsType::Keyword) {
            if let Some(target) = param.types.iter().find(|t| {
                matches!(
                    t,
                    EsType::Date
                        | EsType::Ip
                        | EsType::Version
                        | EsType::Boolean
                        | EsType::TimeDuration
                        | EsType::DatePeriod
                )
            }) {
                *arg = implicit_cast(arg.clone(), *target)?;
            } else {
                *arg = numeric_literal(arg.clone(), param.types);
            }
        }
        if arg.ty != EsType::Null && !param.types.contains(&arg.ty) {
            let types = match param.expects {
                Some(phrase) => phrase.to_string(),
                None if is_conversion(func) => conversion_names(param.types),
                None => accepted_names(param.types),
            };
            // Elasticsearch checks the one argument of a one-argument function without an
            // ordinal (`DEFAULT`), and the others by position.
            let single = func.params.len() == 1 && !func.variadic;
            let ordinal = if single { String::new() } else { format!("{} ", ORDINALS[k.min(9)]) };
            return Err(format!(
                "{ordinal}argument of [{text}] must be [{types}], found value [{}] type [{}]",
                arg.origin.text,
                arg.ty.message_name()
            ));
        }
    }
    match functions::unify::rule(func.name) {
        Some(rule) => unify(rule, args, text),
        None => Ok(args),
    }
}

/// A one-argument element-wise function (`to_*`, `to_lower`): Elasticsearch checks its
/// argument with no ordinal ("argument of [...]").
fn is_conversion(func: &FunctionDef) -> bool {
    matches!(func.kind, functions::Kind::Scalar(functions::Eval::Each(_))) && func.params.len() == 1
}

/// The accepted types as Elasticsearch's conversions name them: "numeric" for all four
/// number types, "string" for keyword and text, the rest by name (a date is "datetime"),
/// sorted.
fn conversion_names(types: &[EsType]) -> String {
    use EsType::*;
    let mut rest: Vec<EsType> = types.to_vec();
    let mut names: Vec<&str> = Vec::new();
    for (group, name) in [(&[Integer, Long, UnsignedLong, Double][..], "numeric"), (&[Keyword, Text][..], "string")] {
        if group.iter().all(|t| rest.contains(t)) {
            rest.retain(|t| !group.contains(t));
            names.push(name);
        }
    }
    names.extend(rest.iter().map(|t| t.message_name()));
    names.sort_unstable();
    names.join(" or ")
}

/// Accepted types as Elasticsearch's type checks name them: each type by name (a date is
/// "datetime"), then keyword and text as "string", then the numbers as "numeric" (without
/// unsigned_long, "numeric except unsigned_long or counter types"), as in "a, b or c".
fn accepted_names(types: &[EsType]) -> String {
    use EsType::*;
    let has = |group: &[EsType]| group.iter().all(|t| types.contains(t));
    let string = has(&[Keyword, Text]);
    let numeric = has(&[Integer, Long, Double]);
    let grouped = |t: &EsType| (string && t.is_string()) || (numeric && t.is_numeric());
    let mut names: Vec<&str> = types.iter().filter(|t| !grouped(t)).map(|t| t.message_name()).collect();
    if string {
        names.push("string");
    }
    match (numeric, types.contains(&UnsignedLong)) {
        (true, true) => names.push("numeric"),
        (true, false) => names.push("numeric except unsigned_long or counter types"),
        _ => {}
    }
    one_of(&names)
}

/// The arguments of a function whose arguments must agree ([`functions::unify`]), numbers
/// converted to the type they agree on, so that its kernel sees values of one type.
fn unify(rule: Rule, mut args: Vec<PlanExpr>, text: &str) -> Result<Vec<PlanExpr>, String> {
    let types: Vec<EsType> = args.iter().map(|a| a.ty).collect();
    let target = common_type(rule, &types).map_err(|m| match m {
        Misfit::Message(m) => m,
        Misfit::Arg { at, want } => format!(
            "{} argument of [{text}] must be [{want}], found value [{}] type [{}]",
            ORDINALS[at.min(9)],
            args[at].origin.text,
            args[at].ty.message_name()
        ),
    })?;
    convert_all(args.iter_mut(), target)?;
    Ok(args)
}

/// Each of `args` of another number or date type than `target` (the type they agreed on)
/// converted to it, so that a kernel sees one type; strings of text and keyword mix as they
/// are. CASE's values and the [`Rule`] functions' arguments both come through here.
pub(super) fn convert_all<'e>(args: impl Iterator<Item = &'e mut PlanExpr>, target: EsType) -> Result<(), String> {
    for arg in args.filter(|a| a.ty != target && (a.ty.is_numeric() || a.ty.is_date())) {
        convert_to(arg, target)?;
    }
    Ok(())
}

/// `arg` converted to the number or date type `target` by the conversion function a `::` cast
/// calls (with its warnings: a negative number has no unsigned_long).
fn convert_to(arg: &mut PlanExpr, target: EsType) -> Result<(), String> {
    let converted = functions::cast_function(target).and_then(functions::lookup);
    let Some(conversion) = converted else { return Err(format!("cannot convert [{}] to [{target}]", arg.origin.text)) };
    let origin = arg.origin.clone();
    let inner = std::mem::replace(arg, PlanExpr { kind: PlanKind::Literal(Cell::Null), ty: EsType::Null, origin });
    let kind = PlanKind::Call { func: conversion, arg_types: vec![inner.ty], args: vec![inner] };
    *arg = PlanExpr { kind, ty: target, origin: arg.origin.clone() };
    Ok(())
}

/// A string constant where only numbers go (`SUBSTRING("abcd", "2")`, `ABS("10.0")`) is
/// the first of the parameter's number types it reads as, as Elasticsearch casts string
/// literals; anything else is left for the type check to refuse.
fn numeric_literal(e: PlanExpr, accepted: &[EsType]) -> PlanExpr {
    let PlanKind::Literal(Cell::One(Value::Str(s))) = &e.kind else { return e };
    if e.ty != EsType::Keyword {
        return e;
    }
    let t = s.trim();
    let parsed = [EsType::Integer, EsType::Long, EsType::UnsignedLong, EsType::Double]
        .into_iter()
        .filter(|ty| accepted.contains(ty))
        .find_map(|ty| {
            let v = match ty {
                EsType::Integer => Value::Int(t.parse().ok()?),
                EsType::Long => Value::Long(t.parse().ok()?),
                EsType::UnsignedLong => Value::ULong(t.parse().ok()?),
                _ => Value::Double(t.parse::<f64>().ok().filter(|d| d.is_finite())?),
            };
            Some((v, ty))
        });
    match parsed {
        Some((v, ty)) => PlanExpr { kind: PlanKind::Literal(Cell::One(v)), ty, origin: e.origin },
        None => e,
    }
}

/// `Unknown column [x]`, with a did-you-mean hint.
pub fn unknown_column(name: &str, schema: &[ColumnDef], span: Span) -> Diagnostic {
    let d = Diagnostic { column: Some(name.to_string()), ..error(format!("Unknown column [{name}]"), span) };
    match closest(name, schema.iter().map(|c| c.name.as_str())) {
        Some(best) => d.with_hint(format!("did you mean [{best}]?")),
        None => d,
    }
}

pub(super) fn unknown_function(name: &str, span: Span) -> Diagnostic {
    let lower = name.to_ascii_lowercase();
    if let Some((_, why)) = functions::NOT_SUPPORTED.iter().find(|(n, _)| *n == lower) {
        return error(format!("function [{name}] is not supported: {why}"), span);
    }
    let d = error(format!("Unknown function [{name}]"), span);
    match closest(&name.to_ascii_lowercase(), functions::all().map(|f| f.name)) {
        Some(best) => d.with_hint(format!("did you mean [{best}]?")),
        None => d,
    }
}

/// The candidate nearest to `name`, if near enough to be a typo.
pub fn closest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .map(|c| (crate::syntax::edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
