//! Expressions: names to columns, literals to values, operators and functions to table
//! entries, with implicit casts of string literals and type checks.

use super::literal::{implicit_cast, literal_value, negate_literal};
use super::signature::{
    arithmetic_ok, binary_function, check_args, comparable, convert_all, return_type, unknown_column, unknown_function,
    ORDINALS,
};
use super::{error, Origin, PlanExpr, PlanKind};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::functions::lucene::{self, Matcher};
use crate::functions::unify::{common_type, Misfit, Rule};
use crate::functions::{self, operators, FunctionDef, Kind, Returns};
use crate::syntax::{BinaryOp, Expr, ExprKind, Literal, Span, UnaryOp};
use crate::types::{Cell, ColumnDef, EsType, Value};

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
    /// The columns known to hold a constant (none inside an aggregation's arguments).
    pub constants: Option<&'a super::constants::Constants>,
}

/// The span type a conversion function produces (TO_TIMEDURATION, TO_DATEPERIOD), read from
/// its table entry: spans are constants, so such a call is planned, not evaluated.
fn span_target(func: &FunctionDef) -> Option<EsType> {
    match func.returns {
        Returns::Fixed(t) if t.is_span() => Some(t),
        _ => None,
    }
}

/// The text of a string literal, lower-cased (option values are case-insensitive).
fn string_literal_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Literal(crate::syntax::Literal::String(s)) => Some(s.to_lowercase()),
        _ => None,
    }
}

/// `( e )` as `e` with its offset, as often as the outer parentheses enclose the whole text.
fn unparenthesized(mut start: usize, mut text: &str) -> (usize, &str) {
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        if !balanced(inner) {
            break;
        }
        let trimmed = inner.trim_start();
        start += 1 + inner.len() - trimmed.len();
        text = trimmed.trim_end();
    }
    (start, text)
}

/// Whether no `)` in `text` closes a parenthesis opened before it (quotes skipped).
fn balanced(text: &str) -> bool {
    let (mut depth, mut quoted) = (0i32, false);
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '"' if prev != '\\' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
        prev = c;
    }
    depth == 0
}

/// Result of a type check: ok, or an error message.
pub type TypeCheck = Result<(), String>;

impl<'a> ExprPlanner<'a> {
    /// The origin of `span`. Parentheses around an expression are not part of it in
    /// Elasticsearch (`not(x < 1)` warns about `x < 1` at the `x`), so they are trimmed.
    pub fn origin(&self, span: Span) -> Origin {
        let (start, text) = unparenthesized(span.start as usize, span.text(self.src));
        let (line, col) = self.lines.line_col(self.src, start);
        Origin { line: line as u32, col: col as u32, text: text.to_string() }
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
            ExprKind::Match { field, query } => self.match_operator(field, query, e.span),
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
                    inner.ty.message_name()
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
            super::signature::comparison_operands(op, [&a, &b], span.text(self.src)).map_err(|m| error(m, span))?;
            comparable(a.ty, b.ty).map_err(|m| {
                let left = if a.ty.is_numeric() { "numeric" } else { a.ty.message_name() };
                error(
                    format!(
                        "first argument of [{}] is [{left}] so second argument must also be [{left}] but was [{}]{m}",
                        span.text(self.src),
                        b.ty.message_name()
                    ),
                    span,
                )
            })?;
        } else {
            (a, b) = self.arithmetic_operands(op, (a, b), (l.span, r.span), span)?;
        }
        let func = binary_function(op);
        let types = vec![a.ty, b.ty];
        let ty = return_type(func, &types);
        Ok(self.make(PlanKind::Call { func, args: vec![a, b], arg_types: types }, ty, span))
    }

    /// The operands of `+ - * / %`, checked: a string literal beside a time span is a date
    /// (`"2024-01-01" + 3 days`), an amount minus a date is refused for its order as
    /// Elasticsearch's `Sub.resolveType` does, and the types must have an evaluator.
    fn arithmetic_operands(
        &self,
        op: BinaryOp,
        (mut a, mut b): (PlanExpr, PlanExpr),
        (l, r): (Span, Span),
        span: Span,
    ) -> Result<(PlanExpr, PlanExpr), Diagnostic> {
        if matches!(op, BinaryOp::Add | BinaryOp::Sub) && b.ty.is_span() {
            a = implicit_cast(a, EsType::Date).map_err(|m| error(m, l))?;
        }
        if op == BinaryOp::Add && a.ty.is_span() {
            b = implicit_cast(b, EsType::Date).map_err(|m| error(m, r))?;
        }
        if op == BinaryOp::Sub && b.ty == EsType::Date && (a.ty.is_span() || a.ty == EsType::Null) {
            let m = format!(
                "[-] arguments are in unsupported order: cannot subtract a [DATETIME] value [{}] from a [{}] amount [{}]",
                r.text(self.src),
                a.ty.name().to_uppercase(),
                l.text(self.src)
            );
            return Err(error(m, span));
        }
        arithmetic_ok(op, a.ty, b.ty).map_err(|_| {
            let (x, y) = (a.ty.message_name(), b.ty.message_name());
            error(format!("[{}] has arguments with incompatible types [{x}] and [{y}]", op.symbol()), span)
        })?;
        Ok((a, b))
    }

    fn in_list(&self, e: &Expr, list: &[Expr], negated: bool, span: Span) -> Result<PlanExpr, Diagnostic> {
        let x = self.expr(e)?;
        let mut items = Vec::with_capacity(list.len());
        for (k, item) in list.iter().enumerate() {
            let p = implicit_cast(self.expr(item)?, x.ty).map_err(|m| error(m, item.span))?;
            // The value is the first argument, the list's items the next, reported at the IN.
            comparable(x.ty, p.ty).map_err(|_| {
                error(
                    format!(
                        "{} argument of [{}] must be [{}], found value [{}] type [{}]",
                        ORDINALS[(k + 1).min(9)],
                        span.text(self.src),
                        x.ty.message_name(),
                        p.origin.text,
                        p.ty.message_name()
                    ),
                    span,
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
                    x.ty.message_name()
                ),
                e.span,
            ));
        }
        let mut matchers = Vec::new();
        let mut all = false;
        for p in patterns {
            let ExprKind::Literal(Literal::String(text)) = &p.kind else {
                return Err(error("the pattern must be a string literal", p.span));
            };
            let compiled = if regex { lucene::regexp(text) } else { lucene::wildcard(text) };
            matchers.push(compiled.map_err(|err| error(format!("invalid regular expression: {err}"), p.span))?);
            all |= lucene::matches_all(text, regex);
        }
        // A pattern that matches everything is `x IS NOT NULL` in Elasticsearch: true for a
        // multi-value, and `NOT x LIKE "*"` keeps the rows without x.
        let kind =
            if all { PlanKind::IsNull(Box::new(x), true) } else { PlanKind::Like(Box::new(x), Matcher::any(matchers)) };
        let inner = self.make(kind, EsType::Boolean, span);
        Ok(if negated { self.make(PlanKind::Not(Box::new(inner)), EsType::Boolean, span) } else { inner })
    }

    fn cast(&self, x: &Expr, ty_name: &str, span: Span) -> Result<PlanExpr, Diagnostic> {
        let ty = EsType::from_name(ty_name).ok_or_else(|| error(format!("Unknown data type [{ty_name}]"), span))?;
        let func_name = functions::cast_function(ty).ok_or_else(|| error(format!("cannot cast to [{ty}]"), span))?;
        let func = functions::lookup(func_name).ok_or_else(|| error(format!("cannot cast to [{ty}]"), span))?;
        if let Some(target) = span_target(func) {
            return self.span_constant(x, target, span);
        }
        let arg = self.conversion_arg(x)?;
        self.finish_call(func, vec![arg], span)
    }

    /// An expression as the constant it is where Elasticsearch requires a foldable value:
    /// a reference to a column known to hold one, or a call over such values (not a call
    /// without arguments, such as NOW()); any other expression as it is.
    pub(super) fn through(&self, e: PlanExpr) -> PlanExpr {
        match &e.kind {
            PlanKind::Column(i) => {
                let Some(name) = self.schema.get(*i).map(|c| c.name.as_str()) else { return e };
                let last = self.schema.iter().rposition(|c| c.name == name) == Some(*i);
                match self.constants.filter(|_| last).and_then(|c| c.get(name)) {
                    Some(value) if value.ty == e.ty => PlanExpr { origin: e.origin, ..value },
                    _ => e,
                }
            }
            PlanKind::Call { func, args, arg_types } if !args.is_empty() => {
                let args: Vec<PlanExpr> = args.iter().map(|a| self.through(a.clone())).collect();
                if !args.iter().all(|a| matches!(a.kind, PlanKind::Literal(_))) {
                    return e;
                }
                let call = PlanKind::Call { func, args, arg_types: arg_types.clone() };
                let call = PlanExpr { kind: call, ty: e.ty, origin: e.origin.clone() };
                match super::literal::fold_cell(&call) {
                    Some(value) => PlanExpr { kind: PlanKind::Literal(value), ..e },
                    None => e,
                }
            }
            _ => e,
        }
    }

    /// `"3 hours"::time_duration`, `TO_DATEPERIOD("3 days")`: spans are constants, read
    /// from a string literal when the query is planned; a null is a null span.
    fn span_constant(&self, x: &Expr, target: EsType, span: Span) -> Result<PlanExpr, Diagnostic> {
        let arg = self.through(self.expr(x)?);
        if arg.ty == target {
            return Ok(arg);
        }
        if matches!(arg.kind, PlanKind::Literal(Cell::Null)) {
            return Ok(PlanExpr { ty: target, origin: self.origin(span), ..arg });
        }
        let converted = implicit_cast(arg.clone(), target).map_err(|m| error(m, span))?;
        if converted.ty != target || !matches!(converted.kind, PlanKind::Literal(_)) {
            return Err(error(
                format!(
                    "argument of [{}] must be a constant string of a [{}], found value [{}] type [{}]",
                    span.text(self.src),
                    target,
                    arg.origin.text,
                    arg.ty.message_name()
                ),
                span,
            ));
        }
        Ok(PlanExpr { origin: self.origin(span), ..converted })
    }

    /// A conversion function's argument: a field with conflicting types reads as keyword.
    fn conversion_arg(&self, x: &Expr) -> Result<PlanExpr, Diagnostic> {
        match &x.kind {
            ExprKind::Field(name) => self.field(name, x.span, true),
            _ => self.expr(x),
        }
    }

    fn call(&self, name: &str, args: &[Expr], star: bool, span: Span) -> Result<PlanExpr, Diagnostic> {
        if super::search_rules::is_search(name) {
            return self.search_call(name, args, span);
        }
        if let Some(planned) = self.timestamp_call(name, args, span) {
            return planned;
        }
        let func = functions::lookup(name).ok_or_else(|| unknown_function(name, span))?;
        if func.is_aggregate() {
            return Err(error(format!("aggregate function [{}] is only allowed in STATS", span.text(self.src)), span));
        }
        if star {
            return Err(error(format!("[*] is only allowed as the argument of count, not [{name}]"), span));
        }
        if let (Some(target), [arg]) = (span_target(func), args) {
            return self.span_constant(arg, target, span);
        }
        let conversion = func.name.starts_with("to_");
        let (args, options) = match args.split_last() {
            Some((Expr { kind: ExprKind::Map(entries), span: at }, rest)) => (rest, Some((entries, *at))),
            _ => (args, None),
        };
        let mut planned = Vec::with_capacity(args.len());
        for a in args {
            planned.push(if conversion { self.conversion_arg(a)? } else { self.expr(a)? });
        }
        if matches!(func.kind, Kind::Case) {
            return self.case(func, planned, span);
        }
        let mut call = self.finish_call(func, planned, span)?;
        if let PlanKind::Call { args, arg_types, .. } = &mut call.kind {
            for value in self.options(func, options, span)? {
                arg_types.push(EsType::Keyword);
                args.push(self.make(PlanKind::Literal(Cell::One(Value::Str(value.into()))), EsType::Keyword, span));
            }
        }
        Ok(call)
    }

    /// The values of `func`'s options from its trailing map (defaults for those it leaves
    /// out), in the table's order; none without a map. An unknown option or value is an
    /// error at the map.
    fn options(
        &self,
        func: &FunctionDef,
        map: Option<(&Vec<(String, Expr)>, Span)>,
        span: Span,
    ) -> Result<Vec<&'static str>, Diagnostic> {
        let declared: Vec<_> = functions::options_of(func).collect();
        // No map: no option arguments, so the call keeps its declared shape (and its column
        // kernel); kernels read a missing option as its default.
        let Some((entries, at)) = map else { return Ok(Vec::new()) };
        let call = span.text(self.src);
        if declared.is_empty() {
            return Err(error(format!("[{call}] takes no options"), at));
        }
        for (key, _) in entries {
            if !declared.iter().any(|o| o.name == key) {
                let names: Vec<&str> = declared.iter().map(|o| o.name).collect();
                let message = format!("Invalid option [{key}] in [{call}], expected one of [{}]", names.join(", "));
                return Err(error(message, at));
            }
        }
        let mut out = Vec::new();
        for o in declared {
            let given = entries.iter().find(|(k, _)| k == o.name).map(|(_, v)| v);
            let value = match given.map(|v| (v, string_literal_text(v))) {
                None => o.values[0],
                Some((_, Some(text))) if o.values.contains(&text.as_str()) => {
                    o.values.iter().copied().find(|v| *v == text).unwrap_or(o.values[0])
                }
                Some((v, _)) => {
                    let allowed = o.values.join(", ");
                    let message = format!(
                        "Invalid value [{}] for option [{}] in [{call}], expected one of [{allowed}]",
                        v.span.text(self.src),
                        o.name
                    );
                    return Err(error(message, v.span));
                }
            };
            out.push(value);
        }
        Ok(out)
    }

    /// What Elasticsearch checks when it builds a call's evaluator, failing the query: a
    /// constant unit DATE_DIFF does not know (a unit read from a column warns per row), a
    /// grid function's precision that is no constant or out of range.
    fn evaluator_error(&self, func: &FunctionDef, args: &[PlanExpr], span: Span) -> Option<String> {
        // Argument k as a constant (None when it is none, Some(None) for null); only the
        // argument a check reads is looked through.
        let constant = |k: usize| match self.through(args.get(k)?.clone()).kind {
            PlanKind::Literal(Cell::One(v)) => Some(Some(v)),
            PlanKind::Literal(_) => Some(None),
            _ => None,
        };
        if func.name == "date_diff" {
            let Some(Some(Value::Str(unit))) = constant(0) else { return None };
            let m = functions::date_units::unit_error(&unit)?;
            return Some(format!("invalid unit format for [{}]: {m}", span.text(self.src)));
        }
        functions::spatial::grid_precision_error(func.name, || constant(1))
    }

    /// Arity, implicit casts, type checks, then the call node.
    pub fn finish_call(
        &self,
        func: &'static FunctionDef,
        args: Vec<PlanExpr>,
        span: Span,
    ) -> Result<PlanExpr, Diagnostic> {
        let args = check_args(func, args, span.text(self.src)).map_err(|m| error(m, span))?;
        if let Some(m) = self.evaluator_error(func, &args, span) {
            return Err(error(m, span));
        }
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
        // Text and keyword arms mix, and the result is keyword (`return_type`'s noText).
        let ty = return_type(func, &types);
        let n = args.len();
        let is_value = |k: usize| k % 2 == 1 || (n % 2 == 1 && k == n - 1);
        let mismatch = |k: usize, want: &str| {
            let a: &PlanExpr = &args[k];
            let text = span.text(self.src);
            let message = format!(
                "{} argument of [{text}] must be [{want}], found value [{}] type [{}]",
                ORDINALS[k.min(9)],
                a.origin.text,
                a.ty.message_name()
            );
            error(message, span)
        };
        if let Some(k) = (0..n).find(|&k| !is_value(k) && !matches!(args[k].ty, EsType::Boolean | EsType::Null)) {
            return Err(mismatch(k, "boolean"));
        }
        // The values agree as COALESCE's arguments do: one type, numbers mixing.
        let values: Vec<usize> = (0..n).filter(|&k| is_value(k)).collect();
        let value_types: Vec<EsType> = values.iter().map(|&k| args[k].ty).collect();
        if let Err(Misfit::Arg { at, want }) = common_type(Rule::Numeric, &value_types) {
            return Err(mismatch(values[at], want.name()));
        }
        let mut args = args;
        let value_args = args.iter_mut().enumerate().filter(|(k, _)| is_value(*k)).map(|(_, a)| a);
        convert_all(value_args, ty).map_err(|m| error(m, span))?;
        Ok(self.make(PlanKind::Case(args), ty, span))
    }
}
