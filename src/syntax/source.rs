//! Source commands (FROM, TS, ROW, SHOW) and the FROM lexer mode: index patterns are loose
//! tokens in which `-`, `*`, `.`, `<`, `{` and single `/` are ordinary characters.

use super::ast::{CommandKind, FromArgs, IndexPattern, Name};
use super::error::PErr;
use super::expr::comma_list;
use super::lexical::{cut, fail, kw, qualified_name, span, string, sym, ws, PResult};
use nom::Err;

/// True for characters that may appear in an unquoted index name.
pub fn is_source_char(c: char) -> bool {
    !matches!(c, ':' | '"' | '=' | '|' | ',' | '[' | ']' | '(' | ')' | '/') && !c.is_whitespace()
}

/// One unquoted or quoted piece of an index pattern.
fn source_piece(t: &str) -> PResult<'_, String> {
    if t.starts_with('"') {
        return string(t);
    }
    let mut end = 0;
    for (idx, c) in t.char_indices() {
        let slash_ok = c == '/' && !t[idx + 1..].starts_with(['/', '*']);
        if !(is_source_char(c) || slash_ok) {
            break;
        }
        end = idx + c.len_utf8();
    }
    if end == 0 {
        let e = PErr::expected(t, "an index name");
        return fail(if t.starts_with('[') {
            e.hint("METADATA is written without brackets: FROM idx METADATA _id")
        } else {
            e
        });
    }
    Ok((&t[end..], t[..end].to_string()))
}

/// `[cluster:]index[::selector]`.
pub(crate) fn index_pattern(i: &str) -> PResult<'_, IndexPattern> {
    let (t, ()) = ws(i)?;
    let (mut r, mut index) = source_piece(t)?;
    let mut cluster = None;
    if r.starts_with(':') && !r.starts_with("::") {
        let (r2, idx) = source_piece(&r[1..]).or_else(|e| match e {
            Err::Error(e) => cut(e),
            other => Err(other),
        })?;
        cluster = Some(std::mem::replace(&mut index, idx));
        r = r2;
    }
    let mut selector = None;
    if let Some(after) = r.strip_prefix("::") {
        let (r2, sel) = source_piece(after).or_else(|_| cut(PErr::expected(after, "a selector (data or failures)")))?;
        selector = Some(sel);
        r = r2;
    }
    Ok((r, IndexPattern { cluster, index, selector, span: span(t, r) }))
}

/// `FROM a, b-* METADATA _id, _index` (also TS).
pub(crate) fn from_args(i: &str) -> PResult<'_, FromArgs> {
    let (r, indices) = comma_list(i, index_pattern)?;
    let (r, metadata) = match kw("metadata")(r) {
        Ok((r2, _)) => comma_list(r2, name)?,
        Err(_) => (r, vec![]),
    };
    Ok((r, FromArgs { indices, metadata }))
}

/// A qualified name as a [`Name`].
pub(crate) fn name(i: &str) -> PResult<'_, Name> {
    let (t, ()) = super::lexical::ws(i)?;
    if t.starts_with('?') {
        let (r, e) = super::expr::param(t)?;
        if let super::ast::ExprKind::Param(p) = e.kind {
            return Ok((r, Name { name: t[..t.len() - r.len()].to_string(), span: e.span, param: Some(p) }));
        }
    }
    let (r, (name, span)) = qualified_name(t)?;
    Ok((r, Name { name, span, param: None }))
}

/// `SHOW INFO`.
pub(crate) fn show_args(i: &str) -> PResult<'_, CommandKind> {
    let (t, ()) = ws(i)?;
    let (r, n) = name(t).or_else(|_| cut(PErr::expected(t, "INFO")))?;
    if !n.name.eq_ignore_ascii_case("info") {
        let msg = format!("unknown SHOW item '{}'", n.name);
        return cut(PErr::message(t, t.len() - r.len(), msg).hint("the only item is SHOW INFO"));
    }
    Ok((r, CommandKind::Show(n)))
}

/// A `name =` prefix, if there is one.
pub(crate) fn assign_prefix(i: &str) -> Option<(&str, Name)> {
    let (r, n) = name(i).ok()?;
    let (r, _) = sym("=")(r).ok()?;
    Some((r, n))
}
