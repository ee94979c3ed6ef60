//! DISSECT: fields split out of text on the literal text between `%{key}`s, with
//! Elasticsearch's modifiers: `->` (skip repeated delimiters), `+` (append, in `/n` order),
//! `?` (named skip), and an empty key (unnamed skip).

use crate::types::{EsType, Value};
use std::borrow::Cow;

/// One piece of a DISSECT pattern.
#[derive(Clone, Debug)]
enum Piece {
    Literal(String),
    /// A key: output field (None = skipped), append (with its `/n` position), right padding.
    Key {
        field: Option<usize>,
        append: Option<u32>,
        pad: bool,
    },
}

/// A compiled DISSECT pattern.
#[derive(Clone, Debug)]
pub struct Dissect {
    pieces: Vec<Piece>,
    /// Output fields in order (all keyword).
    pub fields: Vec<(String, EsType)>,
    separator: String,
}

impl Dissect {
    /// Compiles a dissect pattern with its append separator.
    pub fn compile(pattern: &str, separator: &str) -> Result<Dissect, String> {
        let mut d = Dissect { pieces: vec![], fields: vec![], separator: separator.to_string() };
        let mut rest = pattern;
        while let Some(start) = rest.find("%{") {
            if start > 0 {
                d.pieces.push(Piece::Literal(rest[..start].to_string()));
            }
            let end = rest[start..].find('}').ok_or_else(|| format!("Unable to parse pattern [{pattern}]"))? + start;
            let mut key = &rest[start + 2..end];
            let pad = key.ends_with("->");
            key = key.trim_end_matches("->");
            // `%{+key/n}` appends at position n; a plain `%{+key}` at 0, in pattern order.
            let append = key.starts_with('+').then(|| key.split('/').nth(1).and_then(|n| n.parse().ok()).unwrap_or(0));
            let skip = key.is_empty() || key.starts_with('?');
            if key.starts_with(['*', '&']) {
                return Err(format!("Reference keys not supported in dissect patterns: [{key}]"));
            }
            let name = key.trim_start_matches(['+', '?']).split('/').next().unwrap_or("");
            let field = if skip {
                None
            } else {
                Some(d.fields.iter().position(|(n, _)| n == name).unwrap_or_else(|| {
                    d.fields.push((name.to_string(), EsType::Keyword));
                    d.fields.len() - 1
                }))
            };
            d.pieces.push(Piece::Key { field, append, pad });
            rest = &rest[end + 1..];
        }
        if !rest.is_empty() {
            d.pieces.push(Piece::Literal(rest.to_string()));
        }
        Ok(d)
    }

    /// The pattern as a Java regular expression that matches as `extract` does (each key
    /// ends at the first occurrence of the literal after it, and never gives it back:
    /// atomic groups), and for each capture group the field it fills. None for append keys,
    /// whose joined values no regex capture gives.
    pub fn java_regex(&self) -> Option<(String, Vec<usize>)> {
        let quote = |l: &str| (!l.contains("\\E")).then(|| format!("\\Q{l}\\E"));
        let mut re = String::from("(?s)\\A");
        let mut groups = Vec::new();
        let mut k = 0;
        while k < self.pieces.len() {
            match (&self.pieces[k], self.pieces.get(k + 1)) {
                (Piece::Literal(l), _) => re.push_str(&quote(l)?),
                (Piece::Key { append: Some(_), .. }, _) => return None,
                (Piece::Key { field, pad, .. }, Some(Piece::Literal(l))) => {
                    let lit = quote(l)?;
                    let value = if field.is_some() { "(.*?)" } else { "(?:.*?)" };
                    let sep = if *pad { format!("(?:{lit})+") } else { lit };
                    re.push_str(&format!("(?>{value}{sep})"));
                    groups.extend(*field);
                    k += 1;
                }
                // The last key takes the rest of the text (two keys in a row: not here).
                (Piece::Key { field, .. }, None) => {
                    re.push_str(if field.is_some() { "(.*)\\z" } else { "(?:.*)\\z" });
                    groups.extend(*field);
                    break;
                }
                (Piece::Key { .. }, Some(Piece::Key { .. })) => return None,
            }
            k += 1;
        }
        Some((re, groups))
    }

    /// The values of each field when the text fits the pattern.
    pub fn extract(&self, text: &str) -> Option<Vec<Vec<Value<'static>>>> {
        // Per field, its pieces as (position, order met, text).
        let mut values: Vec<Vec<(u32, usize, &str)>> = vec![Vec::new(); self.fields.len()];
        let mut pos = 0;
        let mut k = 0;
        while k < self.pieces.len() {
            match &self.pieces[k] {
                Piece::Literal(l) => {
                    pos += text[pos..].strip_prefix(l.as_str()).map(|_| l.len())?;
                }
                Piece::Key { field, append, pad } => {
                    let (value, next) = match self.pieces.get(k + 1) {
                        Some(Piece::Literal(l)) => {
                            let at = text[pos..].find(l.as_str())? + pos;
                            let mut after = at + l.len();
                            if *pad {
                                while text[after..].starts_with(l.as_str()) {
                                    after += l.len();
                                }
                            }
                            (&text[pos..at], after)
                        }
                        _ => (&text[pos..], text.len()),
                    };
                    if let Some(f) = field {
                        let slot = &mut values[*f];
                        match append {
                            Some(at) => slot.push((*at, k, value)),
                            None => *slot = vec![(0, k, value)],
                        }
                    }
                    pos = next;
                    if matches!(self.pieces.get(k + 1), Some(Piece::Literal(_))) {
                        k += 1;
                    }
                }
            }
            k += 1;
        }
        let joined = |mut parts: Vec<(u32, usize, &str)>| {
            parts.sort_by_key(|&(at, seen, _)| (at, seen));
            parts.iter().map(|p| p.2).collect::<Vec<_>>().join(&self.separator)
        };
        Some(
            values
                .into_iter()
                .map(|v| if v.is_empty() { vec![] } else { vec![Value::Str(Cow::Owned(joined(v)))] })
                .collect(),
        )
    }
}
