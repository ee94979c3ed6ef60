//! A GROK pattern in the syntax of Java's `Pattern`, for an engine that runs Java regexes
//! (Spark's RLIKE, regexp_extract and regexp_instr), with the meaning the pattern has here:
//! the spellings where joni's Ruby syntax and Java's differ are rewritten, and a pattern
//! holding syntax without a sure Java equivalent has none.

use super::taking::{self, Taking};
use super::{ascii_class, joni_to_rust, Grok};

/// A capture of the Java form: the field it fills and whether it takes part in every match
/// (else it captures at least one character whenever it takes part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JavaCapture {
    /// The field's index in the pattern's fields.
    pub field: usize,
    /// It takes part in every match.
    pub always: bool,
}

impl Grok {
    /// The expanded pattern as a Java regex whose capture groups are exactly this pattern's
    /// named captures, in order, each with its field. None when the pattern uses syntax
    /// Java reads differently (see [`joni_to_java`]), or holds a capture whose taking part
    /// could not be told from what it matched (see [`taking`]).
    pub fn java_regex(&self) -> Option<(String, Vec<JavaCapture>)> {
        let java = joni_to_java(&self.joni)?;
        let names = self.groups.iter().map(|(name, _)| name.as_str());
        let takings = taking::of_names(&joni_to_rust(&self.joni), names)?;
        let captures = self.groups.iter().zip(takings).map(|((_, field), t)| match t {
            Taking::Always => Some(JavaCapture { field: *field, always: true }),
            Taking::NonEmpty => Some(JavaCapture { field: *field, always: false }),
            Taking::Unknown => None,
        });
        Some((java, captures.collect::<Option<_>>()?))
    }
}

/// The rewriting, as `joni_to_rust` does it for Rust, plus Java's own differences:
/// - `(?md)` up front: `^`/`$` are line anchors and only `\n` ends a line (joni's Ruby
///   syntax; Java's MULTILINE alone also ends lines at `\r`, `\u0085`, `\u2028`, `\u2029`),
///   and `^` spelled out, as Java's never matches at the end of the input;
/// - flags: Ruby's `m` is Java's `s`, `i` folds Unicode case as joni does (`iu`);
/// - `\h` and the ASCII `\d`, `\w`, `\s` as classes, POSIX brackets (`[:alnum:]`) as Java's
///   ASCII `\p{Alnum}`, as the Rust form reads them;
/// - named groups `(?P<gN>` as Java's `(?<gN>`; unnamed groups do not capture (as in Ruby
///   once a pattern has named groups), so a numbered backreference has no translation;
/// - a `{` that starts no interval is a literal in Ruby and an error in Java: escaped.
fn joni_to_java(regex: &str) -> Option<String> {
    let mut out = String::with_capacity(regex.len() + 16);
    out.push_str("(?md)");
    let mut class = 0usize;
    let mut at = 0;
    while let Some(c) = regex[at..].chars().next() {
        let rest = &regex[at..];
        let mut step = c.len_utf8();
        match c {
            '\\' => {
                let e = rest[1..].chars().next()?;
                step += e.len_utf8();
                // Anchors and word boundaries mean nothing inside a class (`[\b]` differs).
                if class > 0 && "bBAzZ".contains(e) {
                    return None;
                }
                out.push_str(&escape(e)?);
            }
            '[' if class > 0 && rest.starts_with("[:") => {
                let end = rest.find(":]")?;
                out.push_str(&posix(&rest[2..end])?);
                step = end + 2;
            }
            '[' => {
                // `[]` and `[^]` open a class with a literal `]` in Ruby; Java reads them apart.
                if rest[1..].starts_with(']') || rest[1..].starts_with("^]") {
                    return None;
                }
                class += 1;
                out.push('[');
            }
            ']' if class > 0 => {
                class -= 1;
                out.push(']');
            }
            _ if class > 0 => out.push(c),
            '(' => step = group(rest, &mut out)?,
            '{' => match interval(rest)? {
                0 => out.push_str("\\{"),
                n => {
                    out.push_str(&rest[..n]);
                    step = n;
                }
            },
            '}' => out.push_str("\\}"),
            // Java's multiline `^` never matches at the end of the input (so not in an empty
            // text, nor after a final newline); Ruby's and Rust's do.
            '^' => out.push_str("(?:\\A|(?<=\\n))"),
            c => out.push(c),
        }
        at += step;
    }
    Some(out)
}

/// An escaped character outside or inside a class.
fn escape(e: char) -> Option<String> {
    Some(match e {
        'h' => "[0-9A-Fa-f]".to_string(),
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => ascii_class(e).to_string(),
        'b' | 'B' | 't' | 'n' | 'r' | 'f' | 'e' | 'a' | 'x' | 'u' | 'A' | 'z' | 'Z' => format!("\\{e}"),
        e if e.is_ascii_punctuation() || e == ' ' => format!("\\{e}"),
        // Backreferences, properties, `\k`, `\g`, `\K`, `\R`, `\X`...: not carried.
        _ => return None,
    })
}

/// A group's opening at the start of `rest`, written to `out`; the bytes it took.
fn group(rest: &str, out: &mut String) -> Option<usize> {
    let Some(after) = rest.strip_prefix("(?") else {
        out.push_str("(?:");
        return Some(1);
    };
    if let Some(named) = after.strip_prefix("P<") {
        out.push_str("(?<");
        return Some(rest.len() - named.len());
    }
    if after.starts_with([':', '=', '!', '>']) || after.starts_with("<=") || after.starts_with("<!") {
        out.push_str("(?");
        return Some(2);
    }
    // Flags: `(?im)` or `(?i-m:`.
    let end = after.find([')', ':'])?;
    let mut flags = String::new();
    for f in after[..end].chars() {
        flags.push_str(match f {
            'i' => "iu",
            'm' => "s",
            'x' => "x",
            '-' => "-",
            _ => return None,
        });
    }
    out.push_str(&format!("(?{flags}"));
    Some(2 + end)
}

/// The length of an interval quantifier (`{2}`, `{2,}`, `{2,5}`) at the start of `rest`,
/// 0 when the `{` is a literal. Ruby's `{,5}` and `{2}+` (not possessive there) read
/// differently in Java: none.
fn interval(rest: &str) -> Option<usize> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let Some(close) = rest.find('}') else { return Some(0) };
    let inner = &rest[1..close];
    let (lo, hi) = inner.split_once(',').unwrap_or((inner, ""));
    if lo.is_empty() && digits(hi) {
        return None;
    }
    if !digits(lo) || !(hi.is_empty() || digits(hi)) {
        return Some(0);
    }
    (!rest[close + 1..].starts_with('+')).then_some(close + 1)
}

/// A POSIX bracket (`alnum`, `^alpha`...) as Java's ASCII class, as the Rust form reads it.
fn posix(name: &str) -> Option<String> {
    let (negated, name) = match name.strip_prefix('^') {
        Some(n) => (true, n),
        None => (false, name),
    };
    let java = match name {
        "alnum" => "Alnum",
        "alpha" => "Alpha",
        "digit" => "Digit",
        "lower" => "Lower",
        "upper" => "Upper",
        "space" => "Space",
        "xdigit" => "XDigit",
        "punct" => "Punct",
        "blank" => "Blank",
        "cntrl" => "Cntrl",
        "print" => "Print",
        "graph" => "Graph",
        _ => return None,
    };
    Some(format!("\\{}{{{java}}}", if negated { 'P' } else { 'p' }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java(pattern: &str) -> Option<(String, Vec<JavaCapture>)> {
        Grok::compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")).java_regex()
    }

    /// Each spelling joni and Java read differently, rewritten; the captures are the named
    /// ones alone, numbered in order, each with its field.
    #[test]
    fn joni_spellings_become_java_ones() {
        let cases = [
            (r"(?<a>\h+)", r"(?md)(?<g0>[0-9A-Fa-f]+)"),
            (r"(?<a>[\d.]+) \w", r"(?md)(?<g0>[[0-9].]+) [0-9A-Za-z_]"),
            (r"(?m)(?<a>.+)", r"(?md)(?s)(?<g0>.+)"),
            (r"(?i)x(?i-m:y)", r"(?md)(?iu)x(?iu-s:y)"),
            (r"(a|b)(?<x>c)\1?", "-"),
            (r"[[:alnum:]_]+ [[:^digit:]]", r"(?md)[\p{Alnum}_]+ [\P{Digit}]"),
            (r"{(?<a>x{2,3})}", r"(?md)\{(?<g0>x{2,3})\}"),
            (r"x{,3}", "-"),
            (r"x{2}+", "-"),
            (r"[\b]", "-"),
            (r"(?<=a)(?<!b)(?>c)(?=d)(?!e)", r"(?md)(?<=a)(?<!b)(?>c)(?=d)(?!e)"),
            (r"\p{L}", "-"),
            (r"^(?<a>x)$|[^y]", r"(?md)(?:\A|(?<=\n))(?<g0>x)$|[^y]"),
        ];
        for (pattern, want) in cases {
            let got = java(pattern).map_or("-".to_string(), |(re, _)| re);
            assert_eq!(got, want, "{pattern}");
        }
        let (re, captures) = java("%{WORD:a} (x)%{INT:b:int} (?:%{WORD:a})?").unwrap_or_default();
        let fields: Vec<(usize, bool)> = captures.iter().map(|c| (c.field, c.always)).collect();
        assert_eq!(fields, [(0, true), (1, true), (0, false)], "{re}");
        assert_eq!(re.matches("(?<g").count(), 3, "{re}");
        assert!(!re.contains("(x)"), "{re}");
    }

    /// A capture that may take no part and may match nothing: Spark could not tell which.
    #[test]
    fn an_optional_capture_that_may_be_empty_has_no_java_form() {
        assert!(java("x(?:=%{DATA:v})?").is_none());
        assert!(java("x(?:=%{DATA:v}|%{INT:n})").is_none());
        assert!(java("x=%{DATA:v};").is_some());
    }

    /// Every pattern of the bank that compiles here has a Java spelling (some hold optional
    /// captures that may be empty, and so have no translation as a whole).
    #[test]
    fn the_pattern_bank_has_java_spellings() {
        let bank = super::super::library::bank();
        let (mut missing, mut broken) = (Vec::new(), Vec::new());
        for (name, _) in bank.iter() {
            match Grok::compile(&format!("%{{{name}:x}}")) {
                Ok(g) if joni_to_java(&g.joni).is_none() => missing.push(name),
                Ok(_) => {}
                Err(_) => broken.push(name),
            }
        }
        assert!(missing.is_empty(), "no Java form: {missing:?}");
        // Elasticsearch's conversion of the bank damaged a few (`patterns/es-edits.tsv`): they
        // fail there too.
        assert_eq!(broken.len(), 8, "do not compile here: {broken:?}");
    }
}
