//! Expressions: names to columns, literals to values, operators and functions to table
//! entries, with implicit casts of string literals and type checks.

use super::{error, Origin, PlanExpr, PlanKind};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::functions::{self, operators, FunctionDef, Kind, Returns};
use crate::syntax::{BinaryOp, Expr, ExprKind, Literal, Span, UnaryOp};
use crate::types::{Cell, ColumnDef, EsType, Value};
use std::borrow::Cow;

/// Resolves expressions against a schema.
pub struct ExprPlanner<'a> {
    /// The query text (for names and warning origins).
    pub src: &'a str,
    /// The columns in scope.
    pub schema: &'a [ColumnDef],
    /// Sub-expressions already computed elsewhere (aggregates): span → (column, type).
    pub substitute: &'a [((u32, u32), usize, EsType)],
    /// Line starts of `src`, for origins.
    pub lines: &'a LineIndex,
}

/// Result of a type check: ok, or an error message.
pub type TypeCheck = Result<(), String>;

const ORDINALS: [&str; 10] =
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

impl<'a> ExprPlanner<'a> {
    /// The origin of `span`.
    pub fn origin(&self, span: Span) -> Origin {
        let (line, col) = self.lines.line_col(self.src, span.start as usize);
        Origin { line: line as u32, col: col as u32, text: span.text(self.src).to_string() }
    }

    fn make(&self, kind: PlanKind, ty: EsType, span: Span) -> PlanExpr {
        PlanExpr { kind, ty, origin: self.origin(span) }
    }

    /// Resolves one expression.
    pub fn expr(&self, e: &Expr) -> Result<PlanExpr, Diagnostic> {
        if let Some((_, col, ty)) = self.substitute.iter().find(|(s, _, _)| *s == (e.span.start, e.span.end)) {
            return Ok(self.make(PlanKind::Column(*col), *ty, e.span));
        }
        match &e.kind {
            ExprKind::Field(name) => self.field(name, e.span, false),
            ExprKind::Literal(l) => self.literal(l, e.span),
            ExprKind::Param(p) => Err(error(format!("no value was given for the parameter [{p}]"), e.span)
                .with_hint("parameters are not supported when running a query text")),
            ExprKind::Unary(op, x) => self.unary(*op, x, e.span),
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e.span),
            ExprKind::In { expr, list, negated } => self.in_list(expr, list, *negated, e.span),
            ExprKind::Like { expr, patterns, negated, regex, .. } => {
                self.like(expr, patterns, *negated, *regex, e.span)
            }
            ExprKind::IsNull { expr, negated } => {
                let x = self.expr(expr)?;
                Ok(self.make(PlanKind::IsNull(Box::new(x), *negated), EsType::Boolean, e.span))
            }
            ExprKind::Match { .. } => Err(error("full-text search (the ':' operator) is not supported", e.span)
                .with_hint("use LIKE \"*words*\" or == for exact matches")),
            ExprKind::Cast(x, ty) => self.cast(x, ty, e.span),
            ExprKind::Call { name, args, star } => self.call(name, args, *star, e.span),
            ExprKind::Map(_) => {
                Err(error("a map of options is only allowed as the last argument of a function", e.span))
            }
        }
    }

    /// A column reference. `union_ok`: a field with conflicting types may be read as
    /// keyword (inside a conversion function).
    fn field(&self, name: &str, span: Span, union_ok: bool) -> Result<PlanExpr, Diagnostic> {
        let Some(idx) = self.schema.iter().rposition(|c| c.name == name) else {
            return Err(unknown_column(name, self.schema, span));
        };
        let ty = self.schema[idx].ty;
        if ty == EsType::Unsupported {
            if union_ok {
                return Ok(self.make(PlanKind::Column(idx), EsType::Keyword, span));
            }
            return Err(error(
                format!("Cannot use field [{name}] with unsupported type or types that differ between indices"),
                span,
            )
            .with_hint(format!("convert it explicitly, e.g. to_string({name}) or to_ip({name})")));
        }
        Ok(self.make(PlanKind::Column(idx), ty, span))
    }

    fn literal(&self, l: &Literal, span: Span) -> Result<PlanExpr, Diagnostic> {
        let (cell, ty) = literal_value(l).map_err(|m| error(m, span))?;
        Ok(self.make(PlanKind::Literal(cell), ty, span))
    }

    fn unary(&self, op: UnaryOp, x: &Expr, span: Span) -> Result<PlanExpr, Diagnostic> {
        if op == UnaryOp::Not {
            let x = self.boolean(x)?;
            return Ok(self.make(PlanKind::Not(Box::new(x)), EsType::Boolean, span));
        }
        let inner = self.expr(x)?;
        if op == UnaryOp::Plus {
            return Ok(inner);
        }
        if let PlanKind::Literal(Cell::One(v)) = &inner.kind {
            if let Some((cell, ty)) = negate_literal(v) {
                return Ok(self.make(PlanKind::Literal(cell), ty, span));
            }
        }
        if !(inner.ty.is_numeric() || inner.ty.is_span() || inner.ty == EsType::Null) {
            return Err(error(
                format!(
                    "argument of [{}] must be numeric, found value [{}] type [{}]",
                    span.text(self.src),
                    inner.origin.text,
                    inner.ty
                ),
                span,
            ));
        }
        let ty = inner.ty;
        Ok(self.make(PlanKind::Call { func: &operators::NEG, args: vec![inner], arg_types: vec![ty] }, ty, span))
    }

    /// An expression that must be boolean (or null).
    pub fn boolean(&self, e: &Expr) -> Result<PlanExpr, Diagnostic> {
        let x = self.expr(e)?;
        if x.ty != EsType::Boolean && x.ty != EsType::Null {
            return Err(error(format!("Condition expression needs to be boolean, found [{}]", x.ty), e.span));
        }
        Ok(x)
    }

    fn binary(&self, op: BinaryOp, l: &Expr, r: &Expr, span: Span) -> Result<PlanExpr, Diagnostic> {
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let (a, b) = (Box::new(self.boolean(l)?), Box::new(self.boolean(r)?));
            let kind = if op == BinaryOp::And { PlanKind::And(a, b) } else { PlanKind::Or(a, b) };
            return Ok(self.make(kind, EsType::Boolean, span));
        }
        let (mut a, mut b) = (self.expr(l)?, self.expr(r)?);
        if op.is_comparison() {
            a = implicit_cast(a, b.ty).map_err(|m| error(m, l.span))?;
            b = implicit_cast(b, a.ty).map_err(|m| error(m, r.span))?;
            comparable(a.ty, b.ty).map_err(|m| {
                error(
                    format!(
                        "first argument of [{}] is [{}] so second argument must also be [{}] but was [{}]{m}",
                        span.text(self.src),
                        a.ty,
                        a.ty,
                        b.ty
                    ),
                    span,
                )
            })?;
        } else {
            arithmetic_ok(op, a.ty, b.ty).map_err(|_| {
                error(
                    format!("[{}] has arguments with incompatible types [{}] and [{}]", op.symbol(), a.ty, b.ty),
                    span,
                )
            })?;
        }
        let func = binary_function(op);
        let types = vec![a.ty, b.ty];
        let ty = return_type(func, &types);
        Ok(self.make(PlanKind::Call { func, args: vec![a, b], arg_types: types }, ty, span))
    }

    fn in_list(&self, e: &Expr, list: &[Expr], negated: bool, span: Span) -> Result<PlanExpr, Diagnostic> {
        let x = self.expr(e)?;
        let mut items = Vec::with_capacity(list.len());
        for item in list {
            let p = implicit_cast(self.expr(item)?, x.ty).map_err(|m| error(m, item.span))?;
            comparable(x.ty, p.ty).map_err(|_| {
                error(
                    format!(
                        "{} argument of [{}] must be [{}], found value [{}] type [{}]",
                        ORDINALS[1],
                        span.text(self.src),
                        x.ty,
                        p.origin.text,
                        p.ty
                    ),
                    item.span,
                )
            })?;
            items.push(p);
        }
        let inner = self.make(PlanKind::In(Box::new(x), items), EsType::Boolean, span);
        Ok(if negated { self.make(PlanKind::Not(Box::new(inner)), EsType::Boolean, span) } else { inner })
    }

    fn like(
        &self,
        e: &Expr,
        patterns: &[Expr],
        negated: bool,
        regex: bool,
        span: Span,
    ) -> Result<PlanExpr, Diagnostic> {
        let x = self.expr(e)?;
        if !x.ty.is_string() && x.ty != EsType::Null {
            return Err(error(
                format!(
                    "argument of [{}] must be [string], found value [{}] type [{}]",
                    span.text(self.src),
                    x.origin.text,
                    x.ty
                ),
                e.span,
            ));
        }
        let mut alternatives = Vec::new();
        for p in patterns {
            let ExprKind::Literal(Literal::String(text)) = &p.kind else {
                return Err(error("the pattern must be a string literal", p.span));
            };
            alternatives.push(if regex { text.clone() } else { like_to_regex(text) });
        }
        let full = format!("^(?s:{})$", alternatives.iter().map(|a| format!("(?:{a})")).collect::<Vec<_>>().join("|"));
        let re = regex::Regex::new(&full).map_err(|err| error(format!("invalid regular expression: {err}"), span))?;
        let inner = self.make(PlanKind::Like(Box::new(x), re), EsType::Boolean, span);
        Ok(if negated { self.make(PlanKind::Not(Box::new(inner)), EsType::Boolean, span) } else { inner })
    }

    fn cast(&self, x: &Expr, ty_name: &str, span: Span) -> Result<PlanExpr, Diagnostic> {
        let ty = EsType::from_name(ty_name).ok_or_else(|| error(format!("Unknown data type [{ty_name}]"), span))?;
        let func_name = functions::cast_function(ty).ok_or_else(|| error(format!("cannot cast to [{ty}]"), span))?;
        let func = functions::lookup(func_name).ok_or_else(|| error(format!("cannot cast to [{ty}]"), span))?;
        let arg = self.conversion_arg(x)?;
        self.finish_call(func, vec![arg], span)
    }

    /// A conversion function's argument: a field with conflicting types reads as keyword.
    fn conversion_arg(&self, x: &Expr) -> Result<PlanExpr, Diagnostic> {
        match &x.kind {
            ExprKind::Field(name) => self.field(name, x.span, true),
            _ => self.expr(x),
        }
    }

    fn call(&self, name: &str, args: &[Expr], star: bool, span: Span) -> Result<PlanExpr, Diagnostic> {
        let func = functions::lookup(name).ok_or_else(|| unknown_function(name, span))?;
        if func.is_aggregate() {
            return Err(error(format!("aggregate function [{}] is only allowed in STATS", span.text(self.src)), span));
        }
        if star {
            return Err(error(format!("[*] is only allowed as the argument of count, not [{name}]"), span));
        }
        let conversion = func.name.starts_with("to_");
        let mut planned = Vec::with_capacity(args.len());
        for a in args {
            planned.push(if conversion { self.conversion_arg(a)? } else { self.expr(a)? });
        }
        if matches!(func.kind, Kind::Case) {
            return self.case(func, planned, span);
        }
        self.finish_call(func, planned, span)
    }

    /// Arity, implicit casts, type checks, then the call node.
    pub fn finish_call(
        &self,
        func: &'static FunctionDef,
        args: Vec<PlanExpr>,
        span: Span,
    ) -> Result<PlanExpr, Diagnostic> {
        let args = check_args(func, args, span.text(self.src)).map_err(|m| error(m, span))?;
        let types: Vec<EsType> = args.iter().map(|a| a.ty).collect();
        let ty = return_type(func, &types);
        Ok(self.make(PlanKind::Call { func, args, arg_types: types }, ty, span))
    }

    fn case(&self, func: &'static FunctionDef, args: Vec<PlanExpr>, span: Span) -> Result<PlanExpr, Diagnostic> {
        if args.len() < 2 {
            return Err(error(
                format!("error building [case]: expects at least two arguments, got [{}]", args.len()),
                span,
            ));
        }
        let types: Vec<EsType> = args.iter().map(|a| a.ty).collect();
        let ty = return_type(func, &types);
        let n = args.len();
        for (k, a) in args.iter().enumerate() {
            let is_value = k % 2 == 1 || (n % 2 == 1 && k == n - 1);
            let ok = if is_value {
                a.ty == ty || a.ty == EsType::Null || (ty.is_numeric() && a.ty.is_numeric())
            } else {
                a.ty == EsType::Boolean || a.ty == EsType::Null
            };
            if !ok {
                let want = if is_value { ty.name() } else { "boolean" };
                return Err(error(
                    format!(
                        "{} argument of [{}] must be [{want}], found value [{}] type [{}]",
                        ORDINALS[k.min(9)],
                        span.text(self.src),
                        a.origin.text,
                        a.ty
                    ),
                    span,
                ));
            }
        }
        Ok(self.make(PlanKind::Case(args), ty, span))
    }
}

/// The value and type of a literal.
pub fn literal_value(l: &Literal) -> Result<(Cell<'static>, EsType), String> {
    Ok(match l {
        Literal::Null => (Cell::Null, EsType::Null),
        Literal::Boolean(b) => (Cell::One(Value::Bool(*b)), EsType::Boolean),
        Literal::Integer(v) => match i32::try_from(*v) {
            Ok(i) => (Cell::One(Value::Int(i)), EsType::Integer),
            Err(_) => (Cell::One(Value::Long(*v)), EsType::Long),
        },
        Literal::UnsignedLong(v) => (Cell::One(Value::ULong(*v)), EsType::UnsignedLong),
        Literal::Double(d) => (Cell::One(Value::Double(*d)), EsType::Double),
        Literal::String(s) => (Cell::One(Value::Str(Cow::Owned(s.clone()))), EsType::Keyword),
        Literal::TimeSpan(v, unit) => {
            let (value, ty) = time_span(*v, unit)?;
            (Cell::One(value), ty)
        }
        Literal::Array(items) => array_value(items)?,
    })
}

/// `8 hours` → 28 800 000 ms; `1 month` → a calendar period.
pub fn time_span(v: i64, unit: &str) -> Result<(Value<'static>, EsType), String> {
    let range = || format!("Number [{v}] outside of [{unit}] range");
    let ms = |per: i64| v.checked_mul(per).map(|d| (Value::Duration(d), EsType::TimeDuration)).ok_or_else(range);
    let period = |months: i64, days: i64| {
        let m = i32::try_from(v.checked_mul(months).ok_or_else(range)?).map_err(|_| range())?;
        let d = i32::try_from(v.checked_mul(days).ok_or_else(range)?).map_err(|_| range())?;
        Ok((Value::Period { months: m, days: d }, EsType::DatePeriod))
    };
    match unit {
        "millisecond" | "milliseconds" | "ms" => ms(1),
        "second" | "seconds" | "sec" | "s" => ms(1000),
        "minute" | "minutes" | "min" | "m" => ms(60_000),
        "hour" | "hours" | "h" => ms(3_600_000),
        "day" | "days" | "d" => period(0, 1),
        "week" | "weeks" | "w" => period(0, 7),
        "month" | "months" | "mo" => period(1, 0),
        "quarter" | "quarters" | "q" => period(3, 0),
        "year" | "years" | "yr" | "y" => period(12, 0),
        _ => Err(format!("Unexpected temporal unit: '{unit}'")),
    }
}

fn array_value(items: &[Literal]) -> Result<(Cell<'static>, EsType), String> {
    let any_double = items.iter().any(|i| matches!(i, Literal::Double(_)));
    let any_long = items.iter().any(|i| matches!(i, Literal::Integer(v) if i32::try_from(*v).is_err()));
    let any_ul = items.iter().any(|i| matches!(i, Literal::UnsignedLong(_)));
    let all_non_negative = items.iter().all(|i| !matches!(i, Literal::Integer(v) if *v < 0));
    let mut values = Vec::with_capacity(items.len());
    let mut ty = EsType::Null;
    for item in items {
        let (cell, t) = literal_value(item)?;
        let Cell::One(v) = cell else { continue };
        let (v, t) = match (v, t) {
            (v, EsType::Integer | EsType::Long | EsType::UnsignedLong) if any_double => {
                (Value::Double(v.as_f64().unwrap_or(0.0)), EsType::Double)
            }
            (v, EsType::Integer | EsType::Long) if any_ul && all_non_negative => {
                (Value::ULong(v.as_i64().unwrap_or(0) as u64), EsType::UnsignedLong)
            }
            (Value::Int(i), EsType::Integer) if any_long => (Value::Long(i as i64), EsType::Long),
            other => other,
        };
        ty = t;
        values.push(v);
    }
    Ok((Cell::from_values(values), ty))
}

fn negate_literal(v: &Value<'_>) -> Option<(Cell<'static>, EsType)> {
    Some(match *v {
        Value::Int(i) => (Cell::One(Value::Int(i.checked_neg()?)), EsType::Integer),
        Value::Long(l) if l == i32::MAX as i64 + 1 => (Cell::One(Value::Int(i32::MIN)), EsType::Integer),
        Value::Long(l) => (Cell::One(Value::Long(l.checked_neg()?)), EsType::Long),
        Value::ULong(u) if u == 1u64 << 63 => (Cell::One(Value::Long(i64::MIN)), EsType::Long),
        Value::Double(d) => (Cell::One(Value::Double(-d)), EsType::Double),
        Value::Duration(d) => (Cell::One(Value::Duration(d.checked_neg()?)), EsType::TimeDuration),
        Value::Period { months, days } => {
            (Cell::One(Value::Period { months: -months, days: -days }), EsType::DatePeriod)
        }
        _ => return None,
    })
}

/// A keyword literal where `target` is expected becomes a `target` literal.
pub fn implicit_cast(e: PlanExpr, target: EsType) -> Result<PlanExpr, String> {
    let castable = matches!(
        target,
        EsType::Ip
            | EsType::Date
            | EsType::DateNanos
            | EsType::Version
            | EsType::Boolean
            | EsType::TimeDuration
            | EsType::DatePeriod
    );
    let PlanKind::Literal(Cell::One(Value::Str(s))) = &e.kind else { return Ok(e) };
    if e.ty != EsType::Keyword || !castable {
        return Ok(e);
    }
    let fail = || format!("Cannot convert string [{s}] to [{}]", target.name().to_uppercase());
    let value = match target {
        EsType::Ip => Value::Ip(crate::types::text_form::parse_ip(s).ok_or_else(fail)?),
        EsType::Date => Value::Date(crate::types::text_form::parse_date(s).ok_or_else(fail)?),
        EsType::DateNanos => Value::DateNanos(crate::types::text_form::parse_date_nanos(s).ok_or_else(fail)?),
        EsType::Version => Value::Str(Cow::Owned(s.to_string())),
        EsType::Boolean if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        EsType::Boolean if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        EsType::TimeDuration | EsType::DatePeriod => parse_span_text(s).ok_or_else(fail)?.0,
        _ => return Err(fail()),
    };
    let ty = if target.is_span() { parse_span_text(s).map_or(target, |(_, t)| t) } else { target };
    Ok(PlanExpr { kind: PlanKind::Literal(Cell::One(value)), ty, origin: e.origin })
}

/// `"1 day"` as a time span.
fn parse_span_text(s: &str) -> Option<(Value<'static>, EsType)> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '-')?;
    let (num, unit) = s.split_at(split);
    time_span(num.parse().ok()?, &unit.trim().to_ascii_lowercase()).ok()
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

fn arithmetic_ok(op: BinaryOp, a: EsType, b: EsType) -> TypeCheck {
    use EsType::*;
    let numeric = (a.is_numeric() || a == Null)
        && (b.is_numeric() || b == Null)
        && !((a == UnsignedLong) ^ (b == UnsignedLong) && a != Null && b != Null);
    let dates = matches!(op, BinaryOp::Add | BinaryOp::Sub)
        && ((a.is_date() && (b.is_span() || b == Null)) || (op == BinaryOp::Add && a.is_span() && b.is_date()));
    if numeric || dates {
        Ok(())
    } else {
        Err(String::new())
    }
}

fn binary_function(op: BinaryOp) -> &'static FunctionDef {
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
        Returns::Arg(k) => match types.get(k) {
            Some(EsType::Null) | None => types.iter().copied().find(|t| *t != EsType::Null).unwrap_or(EsType::Null),
            Some(t) => *t,
        },
        Returns::Custom(f) => f(types),
    }
}

/// Arity, implicit literal casts and parameter types.
fn check_args(func: &FunctionDef, mut args: Vec<PlanExpr>, text: &str) -> Result<Vec<PlanExpr>, String> {
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
            }
        }
        if arg.ty != EsType::Null && !param.types.contains(&arg.ty) {
            let types: Vec<&str> = param.types.iter().map(|t| t.name()).collect();
            return Err(format!(
                "{} argument of [{text}] must be [{}], found value [{}] type [{}]",
                ORDINALS[k.min(9)],
                types.join(" or "),
                arg.origin.text,
                arg.ty
            ));
        }
    }
    Ok(args)
}

/// `Unknown column [x]`, with a did-you-mean hint.
pub fn unknown_column(name: &str, schema: &[ColumnDef], span: Span) -> Diagnostic {
    let d = error(format!("Unknown column [{name}]"), span);
    match closest(name, schema.iter().map(|c| c.name.as_str())) {
        Some(best) => d.with_hint(format!("did you mean [{best}]?")),
        None => d,
    }
}

fn unknown_function(name: &str, span: Span) -> Diagnostic {
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

/// LIKE wildcards (`*`, `?`, `\` escapes) as a regex body.
pub fn like_to_regex(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            '\\' => match chars.next() {
                Some(n) => out.push_str(&regex::escape(&n.to_string())),
                None => out.push_str(&regex::escape("\\")),
            },
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out
}
