//! Names, name patterns and strings as ES|QL must write them: back-quotes where a part is
//! not a plain identifier or is reserved, escapes inside string literals.

use crate::syntax::ast::{NamePattern, PatternPart};
use crate::syntax::lexical;
use crate::syntax::pattern::is_pattern_char;
use std::fmt::{self, Display, Formatter, Write};

impl Display for NamePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.as_name() {
            return write_name(f, &name);
        }
        for p in &self.parts {
            match p {
                PatternPart::Star => f.write_str("*")?,
                PatternPart::Param(p) => write!(f, "{p}")?,
                PatternPart::Text(t) if t.chars().all(|c| is_pattern_char(c) && c != '*') => f.write_str(t)?,
                PatternPart::Text(t) => write_quoted_ident(f, t)?,
            }
        }
        Ok(())
    }
}

impl Display for super::super::ast::Name {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.param {
            Some(_) => f.write_str(&self.name),
            None => write_name(f, &self.name),
        }
    }
}

/// Writes a column name, back-quoting the parts (or the whole) where needed.
pub fn write_name(f: &mut impl Write, name: &str) -> fmt::Result {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return write_quoted_ident(f, name);
    }
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            f.write_char('.')?;
        }
        let plain = lexical::raw_word(part) == Some(part) && !lexical::is_reserved(part);
        if plain {
            f.write_str(part)?;
        } else {
            write_quoted_ident(f, part)?;
        }
    }
    Ok(())
}

/// A column name as ES|QL must write it (`source.ip`, `` `COUNT(*)` ``).
pub fn quote_name(name: &str) -> String {
    let mut s = String::new();
    let _ = write_name(&mut s, name);
    s
}

/// A string literal as ES|QL must write it, escapes included.
pub fn quote_string(s: &str) -> String {
    let mut out = String::new();
    let _ = write_string(&mut out, s);
    out
}

pub(super) fn write_quoted_ident(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('`')?;
    f.write_str(&s.replace('`', "``"))?;
    f.write_char('`')
}

pub(super) fn write_string(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}
