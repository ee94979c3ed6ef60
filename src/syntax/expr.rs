//! Expressions, by precedence level (loosest first):
//! `OR` < `AND` < `NOT` < predicates (`IN`, `LIKE`, `RLIKE`, `IS NULL`, `:`) < comparisons
//! (non-associative) < `+ -` < `* / %` < unary `- +` < `::` casts < primaries.

use super::ast::{Expr, ExprKind, Literal, Param, Span};
use super::error::PErr;
use super::lexical::{
    cut, cut_err, cut_error, either, fail, kw, number, qualified_name, raw_word, span, string, sym, ws, PResult,
};
use super::literal::{array, time_unit_check};
use super::operator::{BinaryOp, Precedence, UnaryOp};
use nom::Err;
use std::cell::Cell;

/// Deepest nesting accepted, as Elasticsearch's parser caps it.
const MAX_DEPTH: usize = 400;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Counts one level of nesting for as long as it lives.
struct DepthGuard;

impl DepthGuard {
    fn enter(i: &str) -> Result<DepthGuard, Err<PErr>> {
        let d = DEPTH.with(|c| c.get()) + 1;
        too_deep(i, d)?;
        DEPTH.with(|c| c.set(d));
        Ok(DepthGuard)
    }
}

/// Checks the `links`-th operator of a chain: `a OR b OR c` is a tree as deep as the chain is
/// long (Elasticsearch counts it so too), and every later walk of the tree recurses that deep.
fn chain_link(i: &str, links: usize) -> Result<(), Err<PErr>> {
    too_deep(i, DEPTH.with(|c| c.get()) + links)
}

fn too_deep(i: &str, depth: usize) -> Result<(), Err<PErr>> {
    if depth <= MAX_DEPTH {
        return Ok(());
    }
    let msg = format!("ESQL statement exceeded the maximum expression depth allowed ({MAX_DEPTH})");
    cut(PErr::message(i, 1, msg)
        .hint("Elasticsearch refuses it too; a long OR of == on one field is `field IN (a, b, ...)`"))
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|c| c.set(c.get().saturating_sub(1)));
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// A full (boolean) expression.
pub(crate) fn expr(i: &str) -> PResult<'_, Expr> {
    let _guard = DepthGuard::enter(i)?;
    // Deep but legal nesting must not overflow small thread stacks: grow on the heap.
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || left_assoc(i, and_expr, operator(Precedence::Or)))
}

const STACK_RED_ZONE: usize = 128 * 1024;
const STACK_GROWTH: usize = 2 * 1024 * 1024;

fn and_expr(i: &str) -> PResult<'_, Expr> {
    left_assoc(i, not_expr, operator(Precedence::And))
}

/// `operand (op operand)*`, grouping to the left.
fn left_assoc<'a>(
    i: &'a str,
    operand: fn(&'a str) -> PResult<'a, Expr>,
    op: impl Fn(&'a str) -> PResult<'a, BinaryOp>,
) -> PResult<'a, Expr> {
    let (mut rest, mut left) = operand(i)?;
    for links in 1.. {
        let Ok((after_op, o)) = op(rest) else { return Ok((rest, left)) };
        chain_link(rest, links)?;
        let (r, right) = required(after_op, operand)?;
        let sp = left.span.to(right.span);
        left = Expr { kind: ExprKind::Binary(o, boxed(left), boxed(right)), span: sp };
        rest = r;
    }
    Ok((rest, left))
}

/// An operand that must be there (after an operator): its absence is final.
fn required<'a>(i: &'a str, p: fn(&'a str) -> PResult<'a, Expr>) -> PResult<'a, Expr> {
    match p(i) {
        Err(Err::Error(e)) => cut(e.furthest(PErr::expected(i, "an expression"))),
        other => other,
    }
}

fn not_expr(i: &str) -> PResult<'_, Expr> {
    match kw("not")(i) {
        Ok((rest, sp)) => {
            let _guard = DepthGuard::enter(i)?;
            let (rest, e) = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || required(rest, not_expr))?;
            let full = sp.to(e.span);
            Ok((rest, Expr { kind: ExprKind::Unary(UnaryOp::Not, boxed(e)), span: full }))
        }
        Err(_) => predicate(i),
    }
}

/// A value expression with an optional predicate suffix.
fn predicate(i: &str) -> PResult<'_, Expr> {
    let (rest, e) = value_expr(i)?;
    if let Ok((r, _)) = kw("not")(rest) {
        return negatable_predicate(r, e, true).or_else(|err| cut_error(err, r, "IN, LIKE or RLIKE after NOT"));
    }
    if ["in", "like", "rlike"].iter().any(|w| kw(w)(rest).is_ok()) {
        return negatable_predicate(rest, e, false);
    }
    if let Ok((r, _)) = kw("is")(rest) {
        let (r, negated) = match kw("not")(r) {
            Ok((r2, _)) => (r2, true),
            Err(_) => (r, false),
        };
        let (r, end) = kw("null")(r).or_else(cut_err)?;
        let sp = e.span.to(end);
        return Ok((r, Expr { kind: ExprKind::IsNull { expr: boxed(e), negated }, span: sp }));
    }
    if let Ok((r, _)) = sym(":")(rest) {
        let (r, query) = required(r, unary)?;
        let sp = e.span.to(query.span);
        return Ok((r, Expr { kind: ExprKind::Match { field: boxed(e), query: boxed(query) }, span: sp }));
    }
    Ok((rest, e))
}

/// `IN (...)`, `LIKE ...`, `RLIKE ...` after the operand (and after `NOT`, when negated).
fn negatable_predicate(i: &str, e: Expr, negated: bool) -> PResult<'_, Expr> {
    if let Ok((r, _)) = kw("in")(i) {
        let (r, _) = sym("(")(r).or_else(cut_err)?;
        let (r, list) = comma_list(r, expr)?;
        let (r, close) = sym(")")(r).or_else(cut_err)?;
        let sp = e.span.to(close);
        return Ok((r, Expr { kind: ExprKind::In { expr: boxed(e), list, negated }, span: sp }));
    }
    let (r, regex) = match kw("like")(i) {
        Ok((r, _)) => (r, false),
        Err(_) => match kw("rlike")(i) {
            Ok((r, _)) => (r, true),
            Err(err) => return Err(err),
        },
    };
    let (r, patterns, list, end) = like_patterns(r)?;
    let sp = e.span.to(end);
    Ok((r, Expr { kind: ExprKind::Like { expr: boxed(e), patterns, negated, regex, list }, span: sp }))
}

/// One pattern, or a parenthesised list of them.
fn like_patterns(i: &str) -> Result<(&str, Vec<Expr>, bool, Span), Err<PErr>> {
    if let Ok((r, _)) = sym("(")(i) {
        let (r, list) = comma_list(r, pattern)?;
        let (r, close) = sym(")")(r).or_else(cut_err)?;
        return Ok((r, list, true, close));
    }
    let (r, p) = pattern(i).or_else(cut_err)?;
    let end = p.span;
    Ok((r, vec![p], false, end))
}

/// A LIKE/RLIKE pattern: a string literal or a parameter.
fn pattern(i: &str) -> PResult<'_, Expr> {
    let (t, ()) = ws(i)?;
    if let Ok((r, p)) = param(t) {
        return Ok((r, p));
    }
    match string(t) {
        Ok((r, s)) => Ok((r, Expr { kind: ExprKind::Literal(Literal::String(s)), span: span(t, r) })),
        Err(Err::Error(e)) => fail(e.furthest(PErr::expected(t, "a string pattern"))),
        Err(e) => Err(e),
    }
}

/// `item (, item)*`; at least one item.
pub(crate) fn comma_list<'a, T>(i: &'a str, item: fn(&'a str) -> PResult<'a, T>) -> PResult<'a, Vec<T>> {
    let (mut rest, first) = item(i).or_else(cut_err)?;
    let mut out = vec![first];
    while let Ok((r, _)) = sym(",")(rest) {
        let (r, next) = item(r).or_else(cut_err)?;
        out.push(next);
        rest = r;
    }
    Ok((rest, out))
}

/// Arithmetic with at most one comparison: comparisons do not chain.
fn value_expr(i: &str) -> PResult<'_, Expr> {
    let (rest, left) = arith(i)?;
    let (t, ()) = ws(rest)?;
    if t.starts_with("=~") {
        return cut(PErr::message(t, 2, "the case-insensitive operator '=~' is not supported")
            .hint("compare lower-cased values instead: to_lower(x) == \"value\""));
    }
    let Ok((r, op)) = operator(Precedence::Comparison)(rest) else { return Ok((rest, left)) };
    let (r, right) = required(r, arith)?;
    let sp = left.span.to(right.span);
    Ok((r, Expr { kind: ExprKind::Binary(op, boxed(left), boxed(right)), span: sp }))
}

/// An operator of `level` (the ladder is [`BinaryOp::precedence`]): AND and OR are keywords,
/// the others symbols.
fn operator<'a>(level: Precedence) -> impl Fn(&'a str) -> PResult<'a, BinaryOp> {
    move |i| {
        // Trivia once; then only operators that can start with the next byte are tried
        // (the parser asks at every operand, most often to hear "none").
        let (t, ()) = ws(i)?;
        let next = t.as_bytes().first().map(u8::to_ascii_lowercase);
        for &op in BinaryOp::at(level) {
            let s = op.symbol();
            if s.as_bytes().first().map(u8::to_ascii_lowercase) != next {
                continue;
            }
            let found = if s.starts_with(|c: char| c.is_ascii_alphabetic()) { kw(s)(t) } else { sym(s)(t) };
            if let Ok((r, _)) = found {
                return Ok((r, op));
            }
        }
        fail(PErr::expected(t, "an operator"))
    }
}

fn arith(i: &str) -> PResult<'_, Expr> {
    left_assoc(i, term, operator(Precedence::Add))
}

fn term(i: &str) -> PResult<'_, Expr> {
    left_assoc(i, unary, operator(Precedence::Mul))
}

/// `-x`, `+x`, or a cast expression.
pub(crate) fn unary(i: &str) -> PResult<'_, Expr> {
    for (s, op) in [("-", UnaryOp::Neg), ("+", UnaryOp::Plus)] {
        if let Ok((r, sp)) = sym(s)(i) {
            let _guard = DepthGuard::enter(i)?;
            let (r, e) = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || required(r, unary))?;
            let full = sp.to(e.span);
            return Ok((r, Expr { kind: ExprKind::Unary(op, boxed(e)), span: full }));
        }
    }
    primary_cast(i)
}

/// A primary followed by any number of `::type` casts.
pub(crate) fn primary_cast(i: &str) -> PResult<'_, Expr> {
    let (mut rest, mut e) = primary(i)?;
    let mut links = 0;
    while let Ok((r, _)) = sym("::")(rest) {
        links += 1;
        chain_link(rest, links)?;
        let (r2, ()) = ws(r)?;
        let Some(ty) = raw_word(r2) else {
            return cut(PErr::expected(r2, "a type name after '::'"));
        };
        rest = &r2[ty.len()..];
        let sp = e.span.to(span(r2, rest));
        e = Expr { kind: ExprKind::Cast(boxed(e), ty.to_ascii_lowercase()), span: sp };
    }
    Ok((rest, e))
}

/// Words that start an expression construct and so never name a function.
const NOT_FUNCTIONS: &[&str] =
    &["and", "or", "not", "in", "is", "like", "rlike", "null", "true", "false", "by", "where", "on", "with", "as"];

/// Constants, parameters, function calls, names and parenthesised expressions.
pub(crate) fn primary(i: &str) -> PResult<'_, Expr> {
    let (t, ()) = ws(i)?;
    if let Ok((r, _)) = sym("(")(t) {
        let (r, mut e) = required(r, expr)?;
        let (r, _) = sym(")")(r).or_else(cut_err)?;
        e.span = span(t, r);
        return Ok((r, e));
    }
    match constant(t) {
        Err(Err::Error(_)) => {}
        done => return done,
    }
    if let Some(word) = raw_word(t) {
        let is_call = !NOT_FUNCTIONS.iter().any(|w| w.eq_ignore_ascii_case(word)) && sym("(")(&t[word.len()..]).is_ok();
        if is_call {
            return call(t, word);
        }
    }
    match qualified_name(t) {
        Ok((r, (name, sp))) => Ok((r, Expr { kind: ExprKind::Field(name), span: sp })),
        Err(Err::Error(e)) if e.rest < t.len() => fail(e),
        Err(Err::Error(e)) => fail(PErr { hint: e.hint, ..PErr::expected(t, "an expression") }),
        Err(e) => Err(e),
    }
}

/// `name(*)`, `name()`, `name(a, b, {"opt": v})`.
fn call<'a>(t: &'a str, name: &'a str) -> PResult<'a, Expr> {
    let (r, _) = sym("(")(&t[name.len()..])?;
    let (r, args, star) = if let Ok((r2, _)) = sym("*")(r) {
        (r2, vec![], true)
    } else if sym(")")(r).is_ok() {
        (r, vec![], false)
    } else {
        let (r2, args) = comma_list(r, call_arg)?;
        (r2, args, false)
    };
    let (r, _) = sym(")")(r).or_else(cut_err)?;
    let kind = ExprKind::Call { name: name.to_string(), args, star };
    Ok((r, Expr { kind, span: span(t, r) }))
}

fn call_arg(i: &str) -> PResult<'_, Expr> {
    either(i, map_literal, expr)
}

/// `{"key": constant, ...}` named arguments.
pub(crate) fn map_literal(i: &str) -> PResult<'_, Expr> {
    let (t, ()) = ws(i)?;
    let (mut r, _) = sym("{")(t)?;
    let mut entries = Vec::new();
    if sym("}")(r).is_err() {
        loop {
            let (r2, key) = string(r).or_else(cut_err)?;
            let (r2, _) = sym(":")(r2).or_else(cut_err)?;
            let (r2, value) = map_value(r2).or_else(cut_err)?;
            entries.push((key, value));
            r = r2;
            match sym(",")(r) {
                Ok((r3, _)) => r = r3,
                Err(_) => break,
            }
        }
    }
    let (r, _) = sym("}")(r).or_else(cut_err)?;
    Ok((r, Expr { kind: ExprKind::Map(entries), span: span(t, r) }))
}

fn map_value(i: &str) -> PResult<'_, Expr> {
    either(i, map_literal, unary)
}

/// `null`, booleans, numbers, time spans, strings, arrays and parameters.
fn constant(t: &str) -> PResult<'_, Expr> {
    fn lit<'a>(t: &'a str, r: &'a str, l: Literal) -> PResult<'a, Expr> {
        Ok((r, Expr { kind: ExprKind::Literal(l), span: span(t, r) }))
    }
    for (word, l) in [("null", Literal::Null), ("true", Literal::Boolean(true)), ("false", Literal::Boolean(false))] {
        if let Ok((r, _)) = kw(word)(t) {
            return lit(t, r, l);
        }
    }
    if t.starts_with('"') {
        let (r, s) = string(t)?;
        return lit(t, r, Literal::String(s));
    }
    if t.starts_with('[') {
        let (r, a) = array(t)?;
        return lit(t, r, a);
    }
    if t.starts_with('?') {
        return param(t);
    }
    let (r, n) = number(t)?;
    let (r, n) = time_unit_check(t, r, n)?;
    lit(t, r, n)
}

/// `?`, `?name`, `?1`, `??name`, `??1`.
pub(crate) fn param(t: &str) -> PResult<'_, Expr> {
    let Some(body) = t.strip_prefix('?') else {
        return fail(PErr::expected(t, "a parameter"));
    };
    let (double, body) = match body.strip_prefix('?') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    let (p, rest) = if digits > 0 {
        let n = body[..digits].parse::<u32>().unwrap_or(u32::MAX);
        (if double { Param::DoublePositional(n) } else { Param::Positional(n) }, &body[digits..])
    } else if let Some(w) = raw_word(body) {
        let name = w.to_string();
        (if double { Param::DoubleNamed(name) } else { Param::Named(name) }, &body[w.len()..])
    } else if double {
        return cut(PErr::expected(body, "a parameter name after '??'"));
    } else {
        (Param::Anonymous, body)
    };
    Ok((rest, Expr { kind: ExprKind::Param(p), span: span(t, rest) }))
}
