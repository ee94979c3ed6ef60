//! `esql fmt`: queries in one canonical layout — one command per line, long EVAL and STATS
//! lists one item per line, comments kept (on their own lines, before the command they were
//! in or before), keyword case kept (lower or upper, as the query starts) or upper.
//!
//! The result always parses to the same tree as the input; otherwise nothing is written.

use crate::diagnostic::Diagnostic;
use crate::syntax::{parse, Command, CommandKind, Query};

/// Comments in `text` (outside strings and quoted names), in order.
pub fn comments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'"' | b'`' => {
                let q = b[k];
                k += 1;
                while k < b.len() && b[k] != q && b[k] != b'\n' {
                    k += if b[k] == b'\\' && q == b'"' { 2 } else { 1 };
                }
                k += 1;
            }
            b'/' if b.get(k + 1) == Some(&b'/') => {
                let end = text[k..].find('\n').map_or(text.len(), |n| k + n);
                out.push(text[k..end].trim_end());
                k = end;
            }
            b'/' if b.get(k + 1) == Some(&b'*') => {
                // An unclosed comment runs to the end (the parser reports it).
                let n = crate::syntax::block_comment_len(&text[k..]).unwrap_or(text.len() - k);
                out.push(&text[k..k + n]);
                k += n;
            }
            _ => k += 1,
        }
    }
    out
}

const WRAP: usize = 100;

/// One command in canonical form (without the leading `| `).
fn command(c: &Command) -> String {
    let flat = c.to_string();
    if flat.len() <= WRAP {
        return flat;
    }
    let items = |word: &str, parts: Vec<String>| format!("{word}\n    {}", parts.join(",\n    "));
    match &c.kind {
        CommandKind::Eval(fs) => items("EVAL", fs.iter().map(|f| f.to_string()).collect()),
        CommandKind::Row(fs) => items("ROW", fs.iter().map(|f| f.to_string()).collect()),
        CommandKind::Stats(s) => {
            let mut out = items("STATS", s.aggs.iter().map(|a| a.to_string()).collect());
            if !s.by.is_empty() {
                out.push_str(&format!("\n  BY {}", s.by.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(", ")));
            }
            out
        }
        _ => flat,
    }
}

/// Lower-cases keyword words outside strings and quoted names.
fn lower_keywords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' || c == '`' {
            let end = rest[1..].find(c).map_or(rest.len(), |n| n + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let n = rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(rest.len());
            let word = &rest[..n];
            let glued = rest[n..].starts_with(['(', '.']) || out.ends_with('.');
            // The printer writes keywords in capitals: only a capitalised keyword is one.
            let keyword = word.bytes().all(|b| !b.is_ascii_lowercase()) && crate::syntax::is_printed_keyword(word);
            out.push_str(&if keyword && !glued { word.to_ascii_lowercase() } else { word.to_string() });
            rest = &rest[n..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Formats a query text.
pub fn format(src: &str, upper: bool) -> Result<String, Vec<Diagnostic>> {
    let ast: Query = parse(src).map_err(|e| e.into_iter().map(Diagnostic::from).collect::<Vec<_>>())?;
    let first_keyword = ast.commands.first().map_or("", |c| c.span.text(src));
    let lower = !upper && first_keyword.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let mut out = String::new();
    let mut prev_end = 0usize;
    for (k, c) in ast.commands.iter().enumerate() {
        let (start, end) = (c.span.start as usize, c.span.end as usize);
        for note in comments(&src[prev_end..start]).into_iter().chain(comments(&src[start..end])) {
            out.push_str(note);
            out.push('\n');
        }
        let body = command(c);
        let body = if lower { lower_keywords(&body) } else { body };
        if k > 0 {
            out.push_str("| ");
        }
        out.push_str(&body);
        out.push('\n');
        prev_end = end;
    }
    for note in comments(&src[prev_end..]) {
        out.push_str(note);
        out.push('\n');
    }
    let again = parse(&out).map_err(|e| e.into_iter().map(Diagnostic::from).collect::<Vec<_>>())?;
    if again != ast {
        return Err(vec![Diagnostic::error(
            "internal error: formatting would change the query; nothing written",
            None,
        )]);
    }
    Ok(out)
}

/// Formats the queries of a rule or hunting TOML file in place: each query written as a
/// `'''` literal string is replaced by its formatted text; every other byte is kept.
pub fn format_toml(text: &str, upper: bool) -> Result<String, String> {
    let queries = crate::authoring::query_file::from_toml(text)?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut done = 0;
    while let Some(open) = rest.find("'''") {
        let body_start = open + 3;
        let Some(len) = rest[body_start..].find("'''") else { break };
        let raw = &rest[body_start..body_start + len];
        // TOML trims a newline right after the opening delimiter.
        let (lead, body) = raw.strip_prefix('\n').map_or(("", raw), |b| ("\n", b));
        out.push_str(&rest[..body_start]);
        match queries.iter().find(|q| q.text == body) {
            Some(q) => {
                let formatted = format(body, upper).map_err(|d| {
                    let label = q.label.as_deref().unwrap_or("the query");
                    format!("{label}:\n{}", crate::diagnostic::render_all(&d, body))
                })?;
                if formatted.contains("'''") {
                    return Err("the formatted query holds ''' and cannot be written back".into());
                }
                out.push_str(lead);
                out.push_str(&formatted);
                done += 1;
            }
            None => out.push_str(raw),
        }
        out.push_str("'''");
        rest = &rest[body_start + len + 3..];
    }
    out.push_str(rest);
    if done != queries.len() {
        return Err("fmt rewrites queries written as ''' literal strings only".into());
    }
    // The rewritten document must still hold the same number of queries, now formatted.
    let again = crate::authoring::query_file::from_toml(&out)?;
    if again.len() != queries.len() {
        return Err("formatting changed the TOML document's structure; left it alone".into());
    }
    Ok(out)
}
