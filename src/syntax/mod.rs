//! ES|QL text to syntax tree. Knows nothing but `std` and `nom`: no other module of the crate.
//!
//! [`parse`] reads a whole query; [`parse_expr`] one expression. Both report every syntax
//! error they can find (after an error, parsing resumes at the next `|`) and never panic.

pub mod ast;
mod command;
mod display;
mod error;
mod expr;
mod hints;
mod keywords;
mod lexical;
mod literal;
mod operator;
mod params;
mod pattern;
mod pretty;
mod source;

pub use ast::*;
pub use display::{quote_name, quote_string, write_name};
pub use error::SyntaxError;
pub use hints::edit_distance;
pub use keywords::{
    is_keyword, is_printed_keyword, BOOLEAN_WORDS, CLAUSE_WORDS, OPERATOR_WORDS, PROCESSING_COMMANDS, SOURCE_COMMANDS,
};
pub use lexical::block_comment_len;
pub use lexical::{is_reserved, RESERVED};
pub use literal::TIME_UNITS;
pub use operator::{BinaryOp, Precedence, UnaryOp};
pub use params::{bind, ParamValue, Params};
pub use pretty::{comment_spans, pretty, Style};

use error::PErr;
use lexical::{kw, span, sym, with_source, ws, PResult};
use nom::Err;

/// At most this many errors are reported for one query.
const MAX_ERRORS: usize = 10;

/// Processing commands after the source command, at most (Elasticsearch's query depth).
pub const MAX_PROCESSING_COMMANDS: usize = 500;

/// The longest query Elasticsearch parses, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000_000;

/// Parses a whole query.
pub fn parse(src: &str) -> Result<Query, Vec<SyntaxError>> {
    let chars = src.chars().count();
    if chars > MAX_QUERY_CHARS {
        let message = format!("ESQL statement is too large [{chars} characters > {MAX_QUERY_CHARS}]");
        return Err(vec![SyntaxError { span: Span::new(0, 0), message, hint: None }]);
    }
    with_source(src, || {
        let mut errors = Vec::new();
        let query = query(src, &mut errors);
        match query {
            Some(q) if errors.is_empty() => Ok(q),
            _ => Err(errors.into_iter().map(|e| e.into_syntax_error(src)).collect()),
        }
    })
}

/// Parses a single expression (the whole text must be one expression).
pub fn parse_expr(src: &str) -> Result<Expr, Vec<SyntaxError>> {
    with_source(src, || {
        let result = expr::expr(src).and_then(|(r, e)| end_of_input(r, "an operator or end of input").map(|_| e));
        result.map_err(|e| vec![into_perr(e, src).into_syntax_error(src)])
    })
}

fn into_perr(e: Err<PErr>, src: &str) -> PErr {
    match e {
        Err::Error(e) | Err::Failure(e) => e,
        Err::Incomplete(_) => PErr::expected(&src[src.len()..], "more input"),
    }
}

fn end_of_input<'a>(r: &'a str, what: &'static str) -> PResult<'a, ()> {
    let (t, ()) = ws(r)?;
    if t.is_empty() {
        Ok((t, ()))
    } else {
        lexical::cut(PErr::expected(t, what))
    }
}

/// Settings, the source command, then `| command` until the end. Errors are collected;
/// after one, parsing resumes at the next top-level `|`.
fn query(src: &str, errors: &mut Vec<PErr>) -> Option<Query> {
    let (mut r, settings) = match settings(src) {
        Ok(ok) => ok,
        Err(e) => {
            errors.push(into_perr(e, src));
            return None;
        }
    };
    let mut commands = Vec::new();
    let mut first = true;
    loop {
        if commands.len() > MAX_PROCESSING_COMMANDS {
            let msg = format!("ESQL statement exceeded the maximum query depth allowed ({MAX_PROCESSING_COMMANDS})");
            errors.push(PErr::message(r, 1, msg));
            break;
        }
        match command::command(r, first).and_then(|(rest, c)| next_pipe(rest).map(|(rest, more)| (rest, c, more))) {
            Ok((rest, c, more)) => {
                commands.push(c);
                r = rest;
                if !more {
                    break;
                }
            }
            Err(e) => {
                let e = into_perr(e, src);
                let resume = resume_point(r, src.len() - e.rest, src.len());
                errors.push(e);
                match resume {
                    Some(rest) if errors.len() < MAX_ERRORS => r = rest,
                    _ => break,
                }
            }
        }
        first = false;
    }
    Some(Query { settings, commands, span: span(src, &src[src.len()..]) })
}

/// After a command: `|` (more commands follow) or the end of the text.
fn next_pipe(r: &str) -> PResult<'_, bool> {
    if let Ok((rest, _)) = sym("|")(r) {
        return Ok((rest, true));
    }
    end_of_input(r, "'|' or end of query").map(|(rest, ())| (rest, false))
}

/// Where to resume after an error at byte `error_at` in a command starting at `cmd`: after
/// the first `|` past the error that is outside strings, quoted names and parentheses.
fn resume_point(cmd: &str, error_at: usize, src_len: usize) -> Option<&str> {
    let cmd_start = src_len - cmd.len();
    let mut quote: Option<u8> = None;
    let mut depth = 0usize;
    let bytes = cmd.as_bytes();
    let mut k = 0;
    while k < bytes.len() {
        let c = bytes[k];
        match quote {
            Some(b'"') if c == b'\\' => k += 1,
            Some(q) if c == q || c == b'\n' => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'`' => quote = Some(c),
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b'|' if depth == 0 && cmd_start + k >= error_at => return cmd.get(k + 1..),
                _ => {}
            },
        }
        k += 1;
    }
    None
}

/// `SET name = value;` statements before the query.
fn settings(mut r: &str) -> PResult<'_, Vec<Setting>> {
    let mut out = Vec::new();
    while let Ok((after, kw_span)) = kw("set")(r) {
        let (r2, name) = source::name(after).or_else(lexical::cut_err)?;
        let (r2, _) = sym("=")(r2).or_else(lexical::cut_err)?;
        let (r2, value) = expr::unary(r2).or_else(|e| lexical::cut_error(e, r2, "a setting value"))?;
        let (r2, _) = sym(";")(r2).or_else(lexical::cut_err)?;
        let sp = kw_span.to(value.span);
        out.push(Setting { name, value, span: sp });
        r = r2;
    }
    Ok((r, out))
}
