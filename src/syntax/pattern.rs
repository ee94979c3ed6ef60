//! The PROJECT and RENAME lexer modes: name patterns glued from unquoted runs (which may hold
//! `*`) and back-quoted pieces (where `*` is literal), and the commands that use them.

use super::ast::{CommandKind, Enrich, EnrichWith, NamePattern, PatternPart, Rename, SpellingFlag};
use super::error::PErr;
use super::expr::comma_list;
use super::lexical::{cut, cut_error, fail, kw, quoted_ident, span, string, sym, ws, PResult};

/// Characters of an unquoted pattern run.
pub fn is_pattern_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '.' | '*')
}

/// `first_na*`, `` `a.b`* ``, `event.*`, `*`.
pub(crate) fn name_pattern(i: &str) -> PResult<'_, NamePattern> {
    let (t, ()) = ws(i)?;
    if t.starts_with('?') {
        let (r, e) = super::expr::param(t)?;
        if let super::ast::ExprKind::Param(p) = e.kind {
            return Ok((r, NamePattern { parts: vec![PatternPart::Param(p)], span: e.span }));
        }
    }
    let mut parts: Vec<PatternPart> = Vec::new();
    let mut r = t;
    loop {
        if r.starts_with('`') {
            let (r2, text) = quoted_ident(r)?;
            push_text(&mut parts, &text);
            r = r2;
            continue;
        }
        let run = r.find(|c: char| !is_pattern_char(c)).unwrap_or(r.len());
        if run == 0 {
            break;
        }
        for (k, piece) in r[..run].split('*').enumerate() {
            if k > 0 && parts.last() != Some(&PatternPart::Star) {
                parts.push(PatternPart::Star);
            }
            push_text(&mut parts, piece);
        }
        r = &r[run..];
    }
    if r.len() == t.len() {
        return fail(PErr::expected(t, "a column name or pattern"));
    }
    Ok((r, NamePattern { parts, span: span(t, r) }))
}

fn push_text(parts: &mut Vec<PatternPart>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(PatternPart::Text(prev)) = parts.last_mut() {
        prev.push_str(text);
    } else {
        parts.push(PatternPart::Text(text.to_string()));
    }
}

/// `KEEP`/`DROP` arguments.
pub(crate) fn pattern_list(i: &str) -> PResult<'_, Vec<NamePattern>> {
    comma_list(i, name_pattern)
}

/// A pattern that must be a plain name (RENAME): wildcards are an error.
fn plain_name(i: &str) -> PResult<'_, super::ast::Name> {
    let (t, ()) = ws(i)?;
    let (r, p) = name_pattern(t)?;
    if let [PatternPart::Param(param)] = p.parts.as_slice() {
        let name = t[..t.len() - r.len()].to_string();
        return Ok((r, super::ast::Name { name, span: p.span, param: Some(param.clone()) }));
    }
    match p.as_name() {
        Some(name) => Ok((r, super::ast::Name { name, span: p.span, param: None })),
        None => cut(PErr::message(
            t,
            t.len() - r.len(),
            format!("Using wildcards [*] in RENAME is not allowed [{}]", &t[..t.len() - r.len()]),
        )),
    }
}

/// `old AS new` or `new = old`.
fn rename_item(i: &str) -> PResult<'_, Rename> {
    let (t, ()) = ws(i)?;
    let (r, first) = plain_name(t)?;
    if let Ok((r2, _)) = kw("as")(r) {
        let (r2, new) = plain_name(r2).or_else(|e| cut_error(e, r2, "the new name after AS"))?;
        return Ok((r2, Rename { old: first, new, assign_form: SpellingFlag(false), span: span(t, r2) }));
    }
    if let Ok((r2, _)) = sym("=")(r) {
        let (r2, old) = plain_name(r2).or_else(|e| cut_error(e, r2, "the column to rename after '='"))?;
        return Ok((r2, Rename { old, new: first, assign_form: SpellingFlag(true), span: span(t, r2) }));
    }
    cut(PErr::expected(r, "AS or '='"))
}

/// `RENAME` arguments.
pub(crate) fn rename_args(i: &str) -> PResult<'_, CommandKind> {
    let (r, items) = comma_list(i, rename_item)?;
    Ok((r, CommandKind::Rename(items)))
}

/// An ENRICH policy name: `[mode:]name`, unquoted or as a string.
fn policy_name(i: &str) -> PResult<'_, String> {
    let (t, ()) = ws(i)?;
    if t.starts_with('"') {
        return string(t);
    }
    let end =
        t.find(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '"' | '(' | ')' | '/' | '`')).unwrap_or(t.len());
    if end == 0 {
        return cut(PErr::expected(t, "an enrich policy name"));
    }
    Ok((&t[end..], t[..end].to_string()))
}

/// `ENRICH policy [ON field] [WITH [new =] field, ...]`.
pub(crate) fn enrich_args(i: &str) -> PResult<'_, CommandKind> {
    let (r, policy) = policy_name(i)?;
    let (r, on) = match kw("on")(r) {
        Ok((r2, _)) => {
            let (r2, p) = name_pattern(r2).or_else(|e| cut_error(e, r2, "the match field after ON"))?;
            (r2, Some(p))
        }
        Err(_) => (r, None),
    };
    let (r, with) = match kw("with")(r) {
        Ok((r2, _)) => comma_list(r2, enrich_with)?,
        Err(_) => (r, vec![]),
    };
    Ok((r, CommandKind::Enrich(Enrich { policy, on, with })))
}

fn enrich_with(i: &str) -> PResult<'_, EnrichWith> {
    let (r, first) = name_pattern(i)?;
    match sym("=")(r) {
        Ok((r2, _)) => {
            let (r2, field) = name_pattern(r2).or_else(|e| cut_error(e, r2, "an enrich field after '='"))?;
            Ok((r2, EnrichWith { new_name: Some(first), field }))
        }
        Err(_) => Ok((r, EnrichWith { new_name: None, field: first })),
    }
}
