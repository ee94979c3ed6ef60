//! The pipe: a source command, then processing commands separated by `|`. Each command
//! keyword picks how its arguments are read (the lexer modes of ES|QL).

use super::ast::{
    AggField, ChangePoint, Command, CommandKind, Completion, Dissect, Expr, ExprKind, Field, Grok, Join, Literal,
    SortItem, Stats,
};
use super::error::PErr;
use super::expr::{comma_list, expr, map_literal, primary_cast, unary};
use super::keywords::{PROCESSING_COMMANDS, SOURCE_COMMANDS};
use super::lexical::{cut, cut_err, cut_error, either, fail, kw, raw_word, span, sym, ws, PResult};
use super::pattern::{enrich_args, pattern_list, rename_args};
use super::source::{assign_prefix, from_args, index_pattern, name, show_args};

/// One command, starting at its keyword. `first` tells whether it starts the query.
pub(crate) fn command(i: &str, first: bool) -> PResult<'_, Command> {
    let (t, ()) = ws(i)?;
    let Some(word) = raw_word(t) else {
        let what = if first { "a source command (FROM, ROW, SHOW or TS)" } else { "a command" };
        return cut(PErr::expected(t, what));
    };
    let lower = word.to_ascii_lowercase();
    let is_source = SOURCE_COMMANDS.contains(&lower.as_str());
    let known = is_source || PROCESSING_COMMANDS.iter().any(|c| c.split(' ').next() == Some(lower.as_str()));
    if !known {
        return cut(PErr::message(t, word.len(), format!("unknown command '{word}'"))
            .hint(super::hints::command_hint(word, first)));
    }
    if first != is_source {
        let msg = if first {
            format!("a query must start with a source command, not {}", word.to_ascii_uppercase())
        } else {
            format!("{} can only start a query", word.to_ascii_uppercase())
        };
        let hint = if first {
            "start with FROM index, ROW a = 1 or SHOW INFO"
        } else {
            "separate queries, or drop this command"
        };
        return cut(PErr::message(t, word.len(), msg).hint(hint));
    }
    let (r, kind) = command_args(&t[word.len()..], &lower, t)?;
    Ok((r, Command { kind, span: span(t, r) }))
}

/// The arguments of the command `word` (lower-case), read from `r`.
fn command_args<'a>(r: &'a str, word: &str, start: &'a str) -> PResult<'a, CommandKind> {
    match word {
        "from" => from_args(r).map(|(r, s)| (r, CommandKind::From(s))),
        "ts" => from_args(r).map(|(r, s)| (r, CommandKind::Ts(s))),
        "row" => fields(r).map(|(r, f)| (r, CommandKind::Row(f))),
        "show" => show_args(r),
        "where" => required_expr(r).map(|(r, e)| (r, CommandKind::Where(e))),
        "eval" => fields(r).map(|(r, f)| (r, CommandKind::Eval(f))),
        "keep" => pattern_list(r).map(|(r, p)| (r, CommandKind::Keep(p))),
        "drop" => pattern_list(r).map(|(r, p)| (r, CommandKind::Drop(p))),
        "rename" => rename_args(r),
        "sort" => comma_list(r, sort_item).map(|(r, s)| (r, CommandKind::Sort(s))),
        "limit" => limit_args(r),
        "stats" => stats_args(r).map(|(r, s)| (r, CommandKind::Stats(s))),
        "inlinestats" => stats_args(r).map(|(r, s)| (r, CommandKind::InlineStats(s))),
        "inline" => {
            let (r, _) = kw("stats")(r).or_else(cut_err)?;
            stats_args(r).map(|(r, s)| (r, CommandKind::InlineStats(s)))
        }
        "dissect" => dissect_args(r),
        "grok" => grok_args(r),
        "mv_expand" => name(r).or_else(cut_err).map(|(r, n)| (r, CommandKind::MvExpand(n))),
        "enrich" => enrich_args(r),
        "lookup" | "left" | "right" => join_args(r, word),
        "completion" => completion_args(r),
        "fork" => fork_args(r),
        "change_point" => change_point_args(r),
        "sample" => required_expr_with(r, unary).map(|(r, e)| (r, CommandKind::Sample(e))),
        _ => cut(PErr::message(start, word.len(), format!("unknown command '{word}'"))),
    }
}

fn required_expr(i: &str) -> PResult<'_, Expr> {
    required_expr_with(i, expr)
}

fn required_expr_with<'a>(i: &'a str, p: fn(&'a str) -> PResult<'a, Expr>) -> PResult<'a, Expr> {
    p(i).or_else(|e| cut_error(e, i, "an expression"))
}

/// `[name =] expr`.
pub(crate) fn field(i: &str) -> PResult<'_, Field> {
    let (t, ()) = ws(i)?;
    if let Some((r, n)) = assign_prefix(t) {
        let (r, e) = required_expr(r)?;
        let sp = n.span.to(e.span);
        return Ok((r, Field { name: Some(n), expr: e, span: sp }));
    }
    let (r, e) = expr(t)?;
    let sp = e.span;
    Ok((r, Field { name: None, expr: e, span: sp }))
}

fn fields(i: &str) -> PResult<'_, Vec<Field>> {
    comma_list(i, field)
}

fn sort_item(i: &str) -> PResult<'_, SortItem> {
    let (t, ()) = ws(i)?;
    let (mut r, e) = expr(t)?;
    let mut descending = None;
    if let Ok((r2, _)) = kw("asc")(r) {
        (r, descending) = (r2, Some(false));
    } else if let Ok((r2, _)) = kw("desc")(r) {
        (r, descending) = (r2, Some(true));
    }
    let mut nulls_first = None;
    if let Ok((r2, _)) = kw("nulls")(r) {
        if let Ok((r3, _)) = kw("first")(r2) {
            (r, nulls_first) = (r3, Some(true));
        } else if let Ok((r3, _)) = kw("last")(r2) {
            (r, nulls_first) = (r3, Some(false));
        } else {
            return cut(PErr::expected(r2, "FIRST or LAST after NULLS"));
        }
    }
    Ok((r, SortItem { expr: e, descending, nulls_first, span: span(t, r) }))
}

fn limit_args(i: &str) -> PResult<'_, CommandKind> {
    let (t, ()) = ws(i)?;
    let (r, e) = unary(t).or_else(|e| cut_error(e, t, "a row count"))?;
    match &e.kind {
        ExprKind::Literal(Literal::Integer(n)) if *n >= 0 => Ok((r, CommandKind::Limit(e))),
        ExprKind::Param(_) => Ok((r, CommandKind::Limit(e))),
        _ => cut(PErr::message(t, t.len() - r.len(), "LIMIT needs a non-negative whole number")
            .hint("for example: | LIMIT 10")),
    }
}

fn agg_field(i: &str) -> PResult<'_, AggField> {
    let (r, f) = field(i)?;
    match kw("where")(r) {
        Ok((r2, _)) => {
            let (r2, cond) = required_expr(r2)?;
            let sp = f.span.to(cond.span);
            Ok((r2, AggField { field: f, filter: Some(cond), span: sp }))
        }
        Err(_) => {
            let sp = f.span;
            Ok((r, AggField { field: f, filter: None, span: sp }))
        }
    }
}

fn stats_args(i: &str) -> PResult<'_, Stats> {
    let (t, ()) = ws(i)?;
    if t.is_empty() || t.starts_with('|') {
        return cut(PErr::expected(t, "an aggregate or BY"));
    }
    let (r, aggs) = if kw("by")(i).is_ok() {
        (i, vec![])
    } else {
        comma_list(i, agg_field).or_else(|e| cut_error(e, i, "an aggregate or BY"))?
    };
    let (r, by) = match kw("by")(r) {
        Ok((r2, _)) => comma_list(r2, field)?,
        Err(_) => (r, vec![]),
    };
    Ok((r, Stats { aggs, by }))
}

fn dissect_args(i: &str) -> PResult<'_, CommandKind> {
    let (r, input) = required_expr_with(i, primary_cast)?;
    let (r, pattern) = string_expr(r).or_else(|e| cut_error(e, r, "a dissect pattern string"))?;
    let mut options = Vec::new();
    let mut r = r;
    if let Ok((r2, first)) = command_option(r) {
        options.push(first);
        r = r2;
        while let Ok((r2, _)) = sym(",")(r) {
            let (r3, opt) = command_option(r2).or_else(cut_err)?;
            options.push(opt);
            r = r3;
        }
    }
    Ok((r, CommandKind::Dissect(Dissect { input, pattern, options })))
}

/// `name = constant`, as in `APPEND_SEPARATOR = "-"`.
fn command_option(i: &str) -> PResult<'_, (super::ast::Name, Expr)> {
    let (r, n) = assign_prefix(i).ok_or_else(|| nom::Err::Error(PErr::expected(i, "an option")))?;
    let (r, v) = unary(r).or_else(|e| cut_error(e, r, "a constant"))?;
    Ok((r, (n, v)))
}

fn string_expr(i: &str) -> PResult<'_, Expr> {
    let (t, ()) = ws(i)?;
    let (r, e) = primary_cast(t)?;
    match &e.kind {
        ExprKind::Literal(Literal::String(_)) | ExprKind::Param(_) => Ok((r, e)),
        _ => fail(PErr::expected(t, "a string")),
    }
}

fn grok_args(i: &str) -> PResult<'_, CommandKind> {
    let (r, input) = required_expr_with(i, primary_cast)?;
    let (r, patterns) = comma_list(r, string_expr).or_else(|e| cut_error(e, r, "a grok pattern string"))?;
    Ok((r, CommandKind::Grok(Grok { input, patterns })))
}

fn join_args<'a>(i: &'a str, word: &str) -> PResult<'a, CommandKind> {
    let (r, _) = kw("join")(i).or_else(cut_err)?;
    let (r, index) = index_pattern(r).or_else(|e| cut_error(e, r, "a lookup index"))?;
    let (r, _) = kw("on")(r).or_else(cut_err)?;
    let (r, on) = comma_list(r, expr)?;
    Ok((r, CommandKind::Join(Join { kind: word.to_ascii_uppercase(), index, on })))
}

fn completion_args(i: &str) -> PResult<'_, CommandKind> {
    let (t, ()) = ws(i)?;
    let (r, target) = match assign_prefix(t) {
        Some((r, n)) => (r, Some(n)),
        None => (t, None),
    };
    let (r, prompt) = required_expr_with(r, primary_cast)?;
    let (r, with) = match kw("with")(r) {
        Ok((r2, _)) => {
            let (r2, w) = either(r2, map_literal, unary).or_else(|e| cut_error(e, r2, "options after WITH"))?;
            (r2, Some(w))
        }
        Err(_) => (r, None),
    };
    Ok((r, CommandKind::Completion(Completion { target, prompt, with })))
}

fn fork_args(i: &str) -> PResult<'_, CommandKind> {
    let mut branches = Vec::new();
    let mut r = i;
    while let Ok((r2, _)) = sym("(")(r) {
        let (r2, cmds) = sub_pipe(r2)?;
        let (r2, _) = sym(")")(r2).or_else(|e| cut_error(e, r2, "')' or '|'"))?;
        branches.push(cmds);
        r = r2;
    }
    if branches.is_empty() {
        return cut(PErr::expected(i, "'(' to start a FORK branch"));
    }
    Ok((r, CommandKind::Fork(branches)))
}

/// Processing commands separated by `|`, as inside a FORK branch.
fn sub_pipe(i: &str) -> PResult<'_, Vec<Command>> {
    let (mut r, first) = command(i, false)?;
    let mut cmds = vec![first];
    while let Ok((r2, _)) = sym("|")(r) {
        let (r2, c) = command(r2, false)?;
        cmds.push(c);
        r = r2;
    }
    Ok((r, cmds))
}

fn change_point_args(i: &str) -> PResult<'_, CommandKind> {
    let (r, value) = name(i).or_else(|e| cut_error(e, i, "a column name"))?;
    let (r, key) = match kw("on")(r) {
        Ok((r2, _)) => name(r2).or_else(cut_err).map(|(r, n)| (r, Some(n)))?,
        Err(_) => (r, None),
    };
    let (r, output) = match kw("as")(r) {
        Ok((r2, _)) => {
            let (r2, a) = name(r2).or_else(cut_err)?;
            let (r2, _) = sym(",")(r2).or_else(cut_err)?;
            let (r2, b) = name(r2).or_else(cut_err)?;
            (r2, Some((a, b)))
        }
        Err(_) => (r, None),
    };
    Ok((r, CommandKind::ChangePoint(ChangePoint { value, key, output })))
}
