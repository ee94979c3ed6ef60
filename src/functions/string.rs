//! String functions. Lengths and positions count characters (code points), like Java.

use super::p::{opt, req, STR};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult, MAX_RESULT_BYTES};
use crate::types::{Cell, EsType, Value};
use std::borrow::Cow;

const INT: &[EsType] = &[EsType::Integer];

macro_rules! single {
    ($name:expr, [$($p:expr),*], $variadic:expr, $ret:expr, $f:expr, $doc:expr) => {
        FunctionDef {
            name: $name,
            params: &[$($p),*],
            variadic: $variadic,
            returns: $ret,
            kind: Kind::Scalar(Eval::Single($f)),
            doc: $doc, column: None,
        }
    };
}

const KW: Returns = Returns::Fixed(EsType::Keyword);
const BOOL: Returns = Returns::Fixed(EsType::Boolean);

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    each("to_lower", to_lower, "Lower-cases a string, each value of a multi-value (Unicode, root locale)."),
    each("to_upper", to_upper, "Upper-cases a string, each value of a multi-value (Unicode, root locale)."),
    single!("length", [req("str", STR)], false, Returns::Fixed(EsType::Integer), length, "Number of characters."),
    single!(
        "concat",
        [req("str1", STR), req("str2", STR)],
        true,
        KW,
        concat,
        "Joins two or more strings; null if any is null."
    ),
    single!(
        "substring",
        [req("str", STR), req("start", INT), opt("length", INT)],
        false,
        KW,
        substring,
        "Characters from a 1-based start (negative counts from the end), optionally of a length."
    ),
    single!(
        "starts_with",
        [req("str", STR), req("prefix", STR)],
        false,
        BOOL,
        starts_with,
        "True if the string starts with the prefix."
    ),
    single!(
        "ends_with",
        [req("str", STR), req("suffix", STR)],
        false,
        BOOL,
        ends_with,
        "True if the string ends with the suffix."
    ),
    single!("trim", [req("str", STR)], false, KW, trim, "Removes leading and trailing whitespace."),
    single!("ltrim", [req("str", STR)], false, KW, ltrim, "Removes leading whitespace."),
    single!("rtrim", [req("str", STR)], false, KW, rtrim, "Removes trailing whitespace."),
    single!("left", [req("str", STR), req("length", INT)], false, KW, left, "The first characters of a string."),
    single!("right", [req("str", STR), req("length", INT)], false, KW, right, "The last characters of a string."),
    single!(
        "replace",
        [req("str", STR), req("regex", STR), req("newStr", STR)],
        false,
        KW,
        replace,
        "Replaces every match of a regular expression."
    ),
    single!(
        "locate",
        [req("str", STR), req("substring", STR), opt("start", INT)],
        false,
        Returns::Fixed(EsType::Integer),
        locate,
        "1-based position of a substring, 0 if absent."
    ),
    single!(
        "reverse",
        [req("str", STR)],
        false,
        Returns::Custom(keyword_or_null),
        reverse,
        "The characters (grapheme clusters) in reverse order."
    ),
    single!("repeat", [req("str", STR), req("number", INT)], false, KW, repeat, "The string repeated n times."),
    single!("space", [req("number", INT)], false, KW, space, "A string of n spaces."),
    single!(
        "contains",
        [req("string", STR), req("substring", STR)],
        false,
        BOOL,
        |_, a| Ok(Some(Value::Bool(s(&a[0]).contains(s(&a[1]))))),
        "True if the string holds the substring."
    ),
    single!(
        "bit_length",
        [req("string", STR)],
        false,
        Returns::Fixed(EsType::Integer),
        |_, a| Ok(Some(Value::Int((s(&a[0]).len() * 8) as i32))),
        "Length of the string's UTF-8 encoding, in bits."
    ),
    single!(
        "byte_length",
        [req("string", STR)],
        false,
        Returns::Fixed(EsType::Integer),
        |_, a| Ok(Some(Value::Int(s(&a[0]).len() as i32))),
        "Length of the string's UTF-8 encoding, in bytes."
    ),
    FunctionDef {
        name: "split",
        params: &[req("str", STR), req("delim", STR)],
        variadic: false,
        returns: KW,
        kind: Kind::Scalar(Eval::Cells(split)),
        doc: "Splits a string into a multi-value on a delimiter.",
        column: None,
    },
];

/// A string argument's text (`""` for anything else).
pub(super) fn s<'v, 'a>(v: &'v Value<'a>) -> &'v str {
    v.as_str().unwrap_or("")
}

fn int(v: &Value<'_>) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// A built string as a function's result.
pub(super) fn owned<'a>(x: String) -> ValueResult<'a> {
    Ok(Some(Value::Str(Cow::Owned(x))))
}

/// A string function applied to every value of its argument.
pub(super) const fn each(
    name: &'static str,
    f: for<'a> fn(&Ctx<'_>, Value<'a>, &[Value<'a>]) -> ValueResult<'a>,
    doc: &'static str,
) -> FunctionDef {
    const PARAMS: &[super::Param] = &[req("str", STR)];
    FunctionDef {
        name,
        params: PARAMS,
        variadic: false,
        returns: KW,
        kind: Kind::Scalar(Eval::Each(f)),
        doc,
        column: None,
    }
}

fn to_lower<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    owned(s(&v).to_lowercase())
}

fn to_upper<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    owned(s(&v).to_uppercase())
}

fn length<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    // Saturates rather than wraps negative past 2^31 (ES strings cannot get that long).
    Ok(Some(Value::Int(i32::try_from(s(&a[0]).chars().count()).unwrap_or(i32::MAX))))
}

fn concat<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    if a.iter().map(|v| s(v).len()).sum::<usize>() > MAX_RESULT_BYTES {
        return Err(EvalError::fatal(format!("concatenating more than [{MAX_RESULT_BYTES}] bytes is not supported")));
    }
    owned(a.iter().map(s).collect())
}

fn substring<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let chars: Vec<char> = s(&a[0]).chars().collect();
    let n = chars.len() as i64;
    let start = int(&a[1]);
    let from = if start < 0 { (n + start).max(0) } else { (start - 1).max(0) }.min(n);
    let len = match a.get(2) {
        Some(l) if int(l) < 0 => return Err(EvalError::illegal_argument("Length parameter cannot be negative")),
        Some(l) => int(l),
        None => n,
    };
    let to = from.saturating_add(len).min(n);
    owned(chars[from as usize..to as usize].iter().collect())
}

fn starts_with<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Bool(s(&a[0]).starts_with(s(&a[1])))))
}

fn ends_with<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    Ok(Some(Value::Bool(s(&a[0]).ends_with(s(&a[1])))))
}

/// Java's `Character.isWhitespace`, what Elasticsearch's TRIM, LTRIM and RTRIM drop, as
/// ranges: the Unicode space, line and paragraph separators but the no-break ones (U+00A0,
/// U+2007, U+202F), and the controls \t \n \v \f \r and U+001C-U+001F. Rust's
/// `char::is_whitespace` differs: it takes the no-break spaces and U+0085, and leaves
/// U+001C-U+001F.
pub const JAVA_WHITESPACE: &[(char, char)] = &[
    ('\t', '\r'),
    ('\u{1c}', ' '),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{2006}'),
    ('\u{2008}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
];

fn java_whitespace(c: char) -> bool {
    JAVA_WHITESPACE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

fn trim<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    owned(s(&a[0]).trim_matches(java_whitespace).to_string())
}

fn ltrim<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    owned(s(&a[0]).trim_start_matches(java_whitespace).to_string())
}

fn rtrim<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    owned(s(&a[0]).trim_end_matches(java_whitespace).to_string())
}

fn left<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    owned(s(&a[0]).chars().take(int(&a[1]).max(0) as usize).collect())
}

fn right<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let chars: Vec<char> = s(&a[0]).chars().collect();
    let k = (int(&a[1]).max(0) as usize).min(chars.len());
    owned(chars[chars.len() - k..].iter().collect())
}

fn replace<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let re = regex::Regex::new(s(&a[1])).map_err(|e| EvalError::illegal_argument(format!("invalid regex: {e}")))?;
    let (text, with) = (s(&a[0]), s(&a[2]));
    // Built match by match so that an oversized result stops early instead of filling memory.
    let mut out = String::new();
    let mut last = 0;
    for caps in re.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&text[last..m.start()]);
        java_replacement(with, &caps, &mut out)?;
        last = m.end();
        if out.len() + (text.len() - last) > MAX_RESULT_BYTES {
            return Err(too_large("Creating strings"));
        }
    }
    out.push_str(&text[last..]);
    owned(out)
}

/// Appends `with` for one match as Java's `Matcher.replaceAll` reads it (Elasticsearch's
/// REPLACE): `$n` and `${name}` insert a group (a group Java does not know fails), `\\x`
/// inserts `x`.
fn java_replacement(with: &str, caps: &regex::Captures<'_>, out: &mut String) -> Result<(), EvalError> {
    let mut chars = with.chars().peekable();
    let group = |out: &mut String, m: Option<regex::Match<'_>>| out.push_str(m.map_or("", |m| m.as_str()));
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(chars.next().ok_or_else(|| EvalError::illegal_argument("character to be escaped is missing"))?)
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let m = caps
                    .name(&name)
                    .ok_or_else(|| EvalError::illegal_argument(format!("No group with name {{{name}}}")))?;
                group(out, Some(m));
            }
            '$' => {
                let first = chars.next().and_then(|c| c.to_digit(10));
                let mut n = first.ok_or_else(|| EvalError::illegal_argument("Illegal group reference"))? as usize;
                if n >= caps.len() {
                    return Err(EvalError::illegal_argument(format!("No group {n}")));
                }
                // Java takes more digits while they still name a group.
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    if n * 10 + d as usize >= caps.len() {
                        break;
                    }
                    n = n * 10 + d as usize;
                    chars.next();
                }
                group(out, caps.get(n));
            }
            c => out.push(c),
        }
    }
    Ok(())
}

fn locate<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let hay: Vec<char> = s(&a[0]).chars().collect();
    let needle: Vec<char> = s(&a[1]).chars().collect();
    let start = a.get(2).map_or(1, int).max(1) as usize - 1;
    let pos = (start..=hay.len().saturating_sub(needle.len()))
        .find(|&i| i + needle.len() <= hay.len() && hay[i..i + needle.len()] == needle[..]);
    Ok(Some(Value::Int(pos.map_or(0, |p| p as i32 + 1))))
}

/// Keyword, or null for a null argument.
fn keyword_or_null(args: &[EsType]) -> EsType {
    if args.first() == Some(&EsType::Null) {
        EsType::Null
    } else {
        EsType::Keyword
    }
}

/// Grapheme clusters reversed, as Elasticsearch's REVERSE keeps an emoji with its skin tone
/// and a letter with its combining marks.
fn reverse<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    use unicode_segmentation::UnicodeSegmentation;
    owned(s(&a[0]).graphemes(true).rev().collect())
}

fn repeat<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let n = int(&a[1]);
    if n < 0 {
        return Err(EvalError::illegal_argument(
            "Number parameter cannot be negative, found [".to_string() + &n.to_string() + "]",
        ));
    }
    let text = s(&a[0]);
    if text.len().saturating_mul(n as usize) > MAX_RESULT_BYTES {
        return Err(too_large("Creating repeated strings"));
    }
    owned(text.repeat(n as usize))
}

fn space<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let n = int(&a[0]);
    if n < 0 {
        return Err(EvalError::illegal_argument(format!("Number parameter cannot be negative, found [{n}]")));
    }
    if n as usize > MAX_RESULT_BYTES {
        return Err(too_large("Creating strings"));
    }
    owned(" ".repeat(n as usize))
}

fn too_large(what: &str) -> EvalError {
    EvalError::illegal_argument(format!("{what} with more than [{MAX_RESULT_BYTES}] bytes is not supported"))
}

fn split<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError> {
    let (Cell::One(text), Cell::One(delim)) = (&args[0], &args[1]) else {
        return if args.iter().any(|c| matches!(c, Cell::Many(_))) {
            Err(EvalError::multi_value())
        } else {
            Ok(Cell::Null)
        };
    };
    let (text, delim) = (s(text), s(delim));
    let parts: Vec<Value<'a>> = if delim.is_empty() {
        text.chars().map(|c| Value::Str(Cow::Owned(c.to_string()))).collect()
    } else {
        text.split(delim).map(|p| Value::Str(Cow::Owned(p.to_string()))).collect()
    };
    Ok(Cell::from_values(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// REPLACE as Elasticsearch's Java `replaceAll`: group references, escapes, bad references.
    #[test]
    fn replace_reads_the_replacement_as_java_does() {
        let ctx = Ctx { arg_types: &[], ty: EsType::Keyword, now_ms: 0 };
        let run = |s: &str, re: &str, with: &str| {
            let args = [Value::Str(s.into()), Value::Str(re.into()), Value::Str(with.into())];
            replace(&ctx, &args).map(|v| v.and_then(|v| v.as_str().map(str::to_string)))
        };
        assert_eq!(run("a-b c-d", r"(\w)-(\w)", "$2+$1"), Ok(Some("b+a d+c".into())));
        assert_eq!(run("ab", "(?P<x>a)", "[${x}]"), Ok(Some("[a]b".into())));
        assert_eq!(run("a b", " ", r"\\\$"), Ok(Some(r"a\$b".into())));
        // Java reads `$12` as group 1 then `2` when there is no group 12.
        assert_eq!(run("ab", "(a)", "$12"), Ok(Some("a2b".into())));
        assert_eq!(run("ab", "(a)(b)?", "$2|"), Ok(Some("b|".into())));
        assert!(run("ab", "a", "$x").is_err());
        assert!(run("ab", "a", "$1").is_err());
        assert!(run("ab", "a", "\\").is_err());
    }
}
