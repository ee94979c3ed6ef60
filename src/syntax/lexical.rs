//! Tokens shared by every lexer mode: whitespace and comments, symbols, keywords,
//! identifiers, numbers and strings.
//!
//! Convention: every token parser skips the trivia (whitespace, comments) *before* its token
//! and none after it, so a node's span starts at its first token and ends at its last.

use super::ast::{Literal, Span};
use super::error::{Expect, PErr, Reason};
use nom::{Err, IResult};
use std::cell::Cell;

pub(crate) type PResult<'a, T> = IResult<&'a str, T, PErr>;

thread_local! {
    /// Length of the text being parsed: every parser input is a suffix of it, so an
    /// input's offset is this length minus the input's length.
    static SOURCE_LEN: Cell<usize> = const { Cell::new(0) };
    /// The last [`ws`] call: (input length, remaining length after trivia).
    static LAST_WS: Cell<(usize, usize)> = const { Cell::new((usize::MAX, 0)) };
}

/// Runs `f` with `src` as the text that offsets are measured in.
pub(crate) fn with_source<T>(src: &str, f: impl FnOnce() -> T) -> T {
    let saved = SOURCE_LEN.with(|c| c.replace(src.len()));
    let saved_ws = LAST_WS.with(|c| c.replace((usize::MAX, 0)));
    let out = f();
    SOURCE_LEN.with(|c| c.set(saved));
    LAST_WS.with(|c| c.set(saved_ws));
    out
}

/// Byte offset of `i` in the source.
pub(crate) fn pos(i: &str) -> usize {
    SOURCE_LEN.with(|c| c.get()).saturating_sub(i.len())
}

/// Span from the start of `from` to the start of `to` (both suffixes of the source).
pub(crate) fn span(from: &str, to: &str) -> Span {
    Span::new(pos(from), pos(to))
}

/// A recoverable error: another alternative may still match.
pub(crate) fn fail<T>(e: PErr) -> Result<T, Err<PErr>> {
    Err(Err::Error(e))
}

/// An unrecoverable error: the text is wrong here, whatever follows.
pub(crate) fn cut<T>(e: PErr) -> Result<T, Err<PErr>> {
    Err(Err::Failure(e))
}

/// Skips whitespace and comments; stops at an unterminated block comment.
pub(crate) fn skip_trivia(i: &str) -> &str {
    match ws(i) {
        Ok((rest, ())) => rest,
        Err(_) => i.trim_start(),
    }
}

/// Whitespace, `// line` and nested `/* block */` comments.
///
/// Alternatives retry the same position many times, and a comment before the next token
/// would be rescanned by each; the last answer is remembered (positions are lengths).
pub(crate) fn ws(i: &str) -> PResult<'_, ()> {
    if !i.starts_with([' ', '\t', '\r', '\n', '/']) {
        return Ok((i, ()));
    }
    let (from, to) = LAST_WS.with(|c| c.get());
    if from == i.len() && to <= i.len() {
        return Ok((&i[i.len() - to..], ()));
    }
    let (rest, ()) = skip_ws(i)?;
    LAST_WS.with(|c| c.set((i.len(), rest.len())));
    Ok((rest, ()))
}

fn skip_ws(mut i: &str) -> PResult<'_, ()> {
    loop {
        i = i.trim_start_matches([' ', '\t', '\r', '\n']);
        if let Some(rest) = i.strip_prefix("//") {
            i = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if i.starts_with("/*") {
            i = block_comment(i)?;
        } else {
            return Ok((i, ()));
        }
    }
}

fn block_comment(i: &str) -> Result<&str, Err<PErr>> {
    match block_comment_len(i) {
        Some(n) => Ok(&i[n..]),
        None => cut(PErr::message(i, 2, "unterminated block comment").hint("close it with */ (block comments nest)")),
    }
}

/// The length of the block comment at the start of `i` (`/* … */`, nesting), or `None` when
/// it is not closed. The formatter finds comments with it too.
pub fn block_comment_len(i: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut rest = i;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("/*") {
            depth += 1;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("*/") {
            depth = depth.saturating_sub(1);
            rest = r;
            if depth == 0 {
                return Some(i.len() - rest.len());
            }
        } else {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            rest = &rest[c..];
        }
    }
    None
}

/// Length of the token at the start of `i` (for error spans and "found ..." texts).
pub(crate) fn token_len(i: &str) -> usize {
    let Some(c) = i.chars().next() else { return 0 };
    if c.is_ascii_alphanumeric() || c == '_' || c == '@' {
        return i.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@' || c == '.')).unwrap_or(i.len());
    }
    if c == '"' || c == '`' {
        let end = i[1..].find([c, '\n']).map_or(i.len(), |n| n + 2);
        return end.min(i.len());
    }
    for op in ["==", "!=", "<=", ">=", "::", "=~", "&&", "||", "\"\"\""] {
        if i.starts_with(op) {
            return op.len();
        }
    }
    c.len_utf8()
}

/// A symbol such as `(`, `,`, `==`. `=` never matches the start of `==` or `=~`, `:` never
/// the start of `::`, and `<`/`>` never the start of `<=`/`>=`.
pub(crate) fn sym<'a>(s: &'static str) -> impl Fn(&'a str) -> PResult<'a, Span> {
    move |i: &'a str| {
        let (t, ()) = ws(i)?;
        let Some(rest) = t.strip_prefix(s) else {
            return fail(PErr::expecting(t, Expect::Sym(s)));
        };
        let glued = match s {
            "=" => rest.starts_with(['=', '~']),
            ":" => rest.starts_with(':'),
            "<" | ">" => rest.starts_with('='),
            "|" => rest.starts_with('|'),
            _ => false,
        };
        if glued {
            return fail(PErr::expecting(t, Expect::Sym(s)));
        }
        Ok((rest, span(t, rest)))
    }
}

/// True for characters that continue an unquoted identifier.
pub(crate) fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A case-insensitive keyword that is not the start of a longer word.
pub(crate) fn kw<'a>(word: &'static str) -> impl Fn(&'a str) -> PResult<'a, Span> {
    move |i: &'a str| {
        let (t, ()) = ws(i)?;
        match t.get(..word.len()) {
            Some(head) if head.eq_ignore_ascii_case(word) && !t[word.len()..].starts_with(is_id_char) => {
                let rest = &t[word.len()..];
                Ok((rest, span(t, rest)))
            }
            _ => fail(PErr::expecting(t, Expect::Kw(word))),
        }
    }
}

/// Words that cannot be unquoted identifiers in expressions.
pub const RESERVED: &[&str] = &[
    "and", "or", "not", "in", "is", "like", "rlike", "null", "true", "false", "asc", "desc", "nulls", "first", "last",
    "by", "where",
];

/// True when `word` is reserved (case-insensitively).
pub fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

/// The raw unquoted identifier at the start of `t` (no trivia skipped), reserved or not.
pub(crate) fn raw_word(t: &str) -> Option<&str> {
    let mut chars = t.char_indices();
    let (_, first) = chars.next()?;
    let body_start = match first {
        c if c.is_ascii_alphabetic() => 1,
        '_' | '@' if t[1..].starts_with(is_id_char) => 1,
        _ => return None,
    };
    let end = t[body_start..].find(|c: char| !is_id_char(c)).map_or(t.len(), |n| n + body_start);
    Some(&t[..end])
}

/// A back-quoted identifier at the start of `t`; "``" inside stands for one back-quote.
pub(crate) fn quoted_ident(t: &str) -> PResult<'_, String> {
    let Some(mut rest) = t.strip_prefix('`') else {
        return fail(PErr::expected(t, "a name"));
    };
    let mut out = String::new();
    loop {
        match rest.find('`') {
            None => {
                return cut(PErr::message(t, t.len().min(1), "unterminated quoted name")
                    .hint("close the name with a back-quote (`)"));
            }
            Some(n) => {
                out.push_str(&rest[..n]);
                rest = &rest[n + 1..];
                match rest.strip_prefix('`') {
                    Some(r) => {
                        out.push('`');
                        rest = r;
                    }
                    None => return Ok((rest, out)),
                }
            }
        }
    }
}

/// One part of a qualified name: an unreserved unquoted word or a quoted name.
pub(crate) fn name_part(t: &str) -> PResult<'_, String> {
    if t.starts_with('`') {
        return quoted_ident(t);
    }
    match raw_word(t) {
        Some(w) if !is_reserved(w) => Ok((&t[w.len()..], w.to_string())),
        Some(w) => fail(PErr::expected(t, "a name").hint(format!("'{w}' is a reserved word; quote it as `{w}`"))),
        None => fail(PErr::expected(t, "a name")),
    }
}

/// `a.b.c` with quoted or unquoted parts, flattened to one dotted name.
pub(crate) fn qualified_name(i: &str) -> PResult<'_, (String, Span)> {
    let (t, ()) = ws(i)?;
    let (mut rest, mut name) = name_part(t)?;
    // Whitespace is a hidden token in ES|QL, so `a . b` is the name `a.b` too.
    while let Some(after_dot) = skip_trivia(rest).strip_prefix('.') {
        match name_part(skip_trivia(after_dot)) {
            Ok((r, part)) => {
                name.push('.');
                name.push_str(&part);
                rest = r;
            }
            Err(Err::Error(e)) => return cut(e),
            Err(e) => return Err(e),
        }
    }
    Ok((rest, (name, span(t, rest))))
}

/// A numeric literal (no sign): integer, decimal or exponent form.
pub(crate) fn number(i: &str) -> PResult<'_, Literal> {
    let (t, ()) = ws(i)?;
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let int_len = digits(t);
    let mut end = int_len;
    let mut decimal = false;
    if t[end..].starts_with('.') {
        let frac = digits(&t[end + 1..]);
        if int_len > 0 || frac > 0 {
            end += 1 + frac;
            decimal = true;
        }
    }
    if end == 0 {
        return fail(PErr::expected(t, "a number"));
    }
    if let Some(exp) = exponent_len(&t[end..]) {
        end += exp;
        decimal = true;
    }
    let (text, rest) = t.split_at(end);
    if rest.starts_with('_') {
        return cut(PErr::message(t, end + 1, "numbers cannot contain '_'").hint("write the digits without separators"));
    }
    match number_value(text, decimal) {
        Literal::Double(d) if d.is_infinite() => cut(PErr::message(t, end, format!("number [{text}] is too large"))),
        n => Ok((rest, n)),
    }
}

fn exponent_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix(['e', 'E'])?;
    let sign = usize::from(body.starts_with(['+', '-']));
    let n = body[sign..].find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len() - sign);
    (n > 0).then_some(1 + sign + n)
}

fn number_value(text: &str, decimal: bool) -> Literal {
    if !decimal {
        if let Ok(v) = text.parse::<i64>() {
            return Literal::Integer(v);
        }
        if let Ok(v) = text.parse::<u64>() {
            return Literal::UnsignedLong(v);
        }
    }
    Literal::Double(text.parse::<f64>().unwrap_or(f64::INFINITY))
}

/// A string literal: `"..."` with the five escapes, or `"""..."""` verbatim.
pub(crate) fn string(i: &str) -> PResult<'_, String> {
    let (t, ()) = ws(i)?;
    if t.starts_with("\"\"\"") {
        return triple_quoted(t);
    }
    let Some(mut rest) = t.strip_prefix('"') else {
        let e = PErr::expected(t, "a string");
        return fail(if t.starts_with('\'') { e.hint("strings use double quotes: \"...\"") } else { e });
    };
    let mut out = String::new();
    loop {
        let Some(n) = rest.find(['"', '\\', '\n', '\r']) else {
            return cut(unterminated(t));
        };
        out.push_str(&rest[..n]);
        let c = rest.as_bytes()[n];
        rest = &rest[n + 1..];
        match c {
            b'"' => return Ok((rest, out)),
            b'\\' => {
                let (r, ch) = escape(rest)?;
                out.push(ch);
                rest = r;
            }
            _ => return cut(unterminated(t)),
        }
    }
}

fn unterminated(t: &str) -> PErr {
    let line_len = t.find(['\n', '\r']).unwrap_or(t.len());
    PErr::message(t, line_len, "unterminated string")
        .hint("close the string with \" on the same line (strings cannot span lines)")
}

fn escape(rest: &str) -> Result<(&str, char), Err<PErr>> {
    let ch = match rest.chars().next() {
        Some('t') => '\t',
        Some('n') => '\n',
        Some('r') => '\r',
        Some('"') => '"',
        Some('\\') => '\\',
        other => {
            let shown = other.map_or(String::new(), |c| c.to_string());
            // Point at the backslash itself, one byte before `rest`.
            return cut(PErr {
                rest: rest.len() + 1,
                len: 1 + shown.len(),
                reason: Reason::Message(format!("invalid escape sequence '\\{shown}'")),
                hint: Some(
                    "only \\t \\n \\r \\\" and \\\\ are escapes; write \\\\ for a backslash or use \"\"\"...\"\"\""
                        .into(),
                ),
            });
        }
    };
    Ok((&rest[1..], ch))
}

fn triple_quoted(t: &str) -> PResult<'_, String> {
    let body = &t[3..];
    let Some(close) = body.find("\"\"\"") else {
        return cut(unterminated(t));
    };
    let run = body[close..].find(|c: char| c != '"').unwrap_or(body.len() - close);
    let taken = run.min(5);
    let content = &body[..close + taken - 3];
    if content.contains(['\n', '\r']) {
        return cut(unterminated(t));
    }
    Ok((&body[close + taken..], content.to_string()))
}

/// A recoverable error becomes final: the construct has started, so no alternative applies.
pub(crate) fn cut_err<T>(err: Err<PErr>) -> Result<T, Err<PErr>> {
    match err {
        Err::Error(e) => cut(e),
        other => Err(other),
    }
}

/// Like [`cut_err`], but says `what` was expected at `at` unless the error got further.
pub(crate) fn cut_error<T>(err: Err<PErr>, at: &str, what: &'static str) -> Result<T, Err<PErr>> {
    match err {
        Err::Error(e) if e.rest < skip_trivia(at).len() => cut(e),
        Err::Error(_) => cut(PErr::expected(at, what)),
        other => Err(other),
    }
}

/// `a`, or `b` when `a` does not match (a final error from `a` stands).
pub(crate) fn either<'a, T>(
    i: &'a str,
    a: impl Fn(&'a str) -> PResult<'a, T>,
    b: impl Fn(&'a str) -> PResult<'a, T>,
) -> PResult<'a, T> {
    match a(i) {
        Err(Err::Error(_)) => b(i),
        done => done,
    }
}
