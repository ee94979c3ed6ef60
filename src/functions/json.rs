//! `JSON_EXTRACT(string, path)`: one value out of a JSON document, by a path of `.name`,
//! `['quoted name']` and `[index]` steps (an optional `$` first). Strings come out unquoted,
//! objects and arrays as JSON text, JSON null as null; a missing path, a bad index or a
//! document that is not JSON warn in Elasticsearch's words. Duplicate keys: the first wins.

use super::p::{req, STR};
use super::string::s as text;
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::source::Members;
use crate::types::{EsType, Value};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[FunctionDef {
    name: "json_extract",
    params: &[req("string", JSON), req("path", STR)],
    variadic: false,
    returns: Returns::Fixed(EsType::Keyword),
    kind: Kind::Scalar(Eval::Single(json_extract)),
    doc: "The value at a path (a.b, a['b.c'], a[0], $) of a JSON string, as a string.",
    column: None,
}];

/// A document's text: a string or `_source`.
const JSON: &[EsType] = &[EsType::Keyword, EsType::Text, EsType::Source];

enum Step {
    Key(String),
    Index(usize),
}

fn json_extract<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let (doc, path) = (text(&a[0]), text(&a[1]));
    let steps = parse_path(path).ok_or_else(|| EvalError::illegal_argument(format!("invalid path [{path}]")))?;
    let mut at: Box<RawValue> =
        serde_json::from_str(doc).map_err(|_| EvalError::illegal_argument("invalid JSON input"))?;
    let missing = || EvalError::illegal_argument(format!("path [{path}] does not exist"));
    for step in &steps {
        at = match step {
            Step::Key(k) => {
                let Members(members) = serde_json::from_str(at.get()).map_err(|_| missing())?;
                members.into_iter().find(|(name, _)| name == k).map(|(_, v)| v).ok_or_else(missing)?
            }
            Step::Index(i) => {
                let items: Vec<Box<RawValue>> = serde_json::from_str(at.get()).map_err(|_| missing())?;
                items.into_iter().nth(*i).ok_or_else(|| EvalError::illegal_argument("array index out of bounds"))?
            }
        };
    }
    // Only a string needs decoding (its escapes); anything else is its JSON text.
    let raw = at.get().trim();
    Ok(match raw.as_bytes().first() {
        _ if raw == "null" => None,
        Some(b'"') => serde_json::from_str::<String>(raw).ok().map(|s| Value::Str(Cow::Owned(s))),
        _ => Some(Value::Str(Cow::Owned(raw.to_string()))),
    })
}

/// `$`, `a.b`, `a['b.c']`, `a[0]`, `[1].name` into steps.
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.trim();
    rest = rest.strip_prefix('$').unwrap_or(rest);
    let mut steps = Vec::new();
    let mut first = true;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            let key = &inner[..end];
            let quoted = key.strip_prefix('\'').and_then(|k| k.strip_suffix('\''));
            let quoted = quoted.or_else(|| key.strip_prefix('"').and_then(|k| k.strip_suffix('"')));
            steps.push(match quoted {
                Some(k) => Step::Key(k.to_string()),
                None => Step::Index(key.trim().parse().ok()?),
            });
            rest = &inner[end + 1..];
        } else {
            let body = match rest.strip_prefix('.') {
                Some(b) => b,
                None if first => rest,
                None => return None,
            };
            let end = body.find(['.', '[']).unwrap_or(body.len());
            if end == 0 {
                return None;
            }
            steps.push(Step::Key(body[..end].to_string()));
            rest = &body[end..];
        }
        first = false;
    }
    Some(steps)
}
