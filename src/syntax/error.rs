//! Syntax errors as data: where, what was expected, what was found, and a hint.
//!
//! Parsers produce [`PErr`], which records the position as the length of the input left
//! (every parser input is a suffix of the query text). [`PErr::into_syntax_error`] turns it
//! into a [`SyntaxError`] with a byte span and a message once the whole text is known.

use super::ast::Span;

/// A syntax error in a query: its span, message and an optional hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offsets of the offending text.
    pub span: Span,
    /// What went wrong, e.g. "expected an expression, found ','".
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

/// One thing the parser wanted. Kept static so that failed alternatives, which are
/// frequent, cost no allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A symbol such as `(`, rendered quoted.
    Sym(&'static str),
    /// A keyword, rendered upper-case.
    Kw(&'static str),
    /// A description such as "an expression".
    What(&'static str),
}

impl Expect {
    fn render(self) -> String {
        match self {
            Expect::Sym(s) => format!("'{s}'"),
            Expect::Kw(k) => k.to_ascii_uppercase(),
            Expect::What(w) => w.to_string(),
        }
    }
}

/// What went wrong, before it is rendered.
#[derive(Clone, Debug)]
pub(crate) enum Reason {
    /// The parser wanted one of these things (rendered as "expected a, b or c, found x").
    Expected(Expect, Vec<Expect>),
    /// A complete message (for errors that are not about a missing token).
    Message(String),
}

/// The internal parser error: position (as remaining input length), length and reason.
#[derive(Clone, Debug)]
pub(crate) struct PErr {
    /// Length of the input left at the error; smaller means further into the text.
    pub rest: usize,
    /// Length of the offending text; 0 means "the next token".
    pub len: usize,
    pub reason: Reason,
    pub hint: Option<String>,
}

impl PErr {
    /// "expected `what`" at the start of `i`.
    pub fn expected(i: &str, what: &'static str) -> PErr {
        PErr::expecting(i, Expect::What(what))
    }

    /// "expected `what`" at the start of `i` (after trivia).
    pub fn expecting(i: &str, what: Expect) -> PErr {
        let i = super::lexical::skip_trivia(i);
        PErr { rest: i.len(), len: 0, reason: Reason::Expected(what, Vec::new()), hint: None }
    }

    /// A whole message about the `len` bytes at the start of `i`.
    pub fn message(i: &str, len: usize, msg: impl Into<String>) -> PErr {
        PErr { rest: i.len(), len, reason: Reason::Message(msg.into()), hint: None }
    }

    /// The same error with a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> PErr {
        self.hint = Some(hint.into());
        self
    }

    /// Keep the error that got further; on a tie, merge what both expected.
    pub fn furthest(self, other: PErr) -> PErr {
        if other.rest < self.rest {
            return other;
        }
        if self.rest < other.rest {
            return self;
        }
        match (self.reason, other.reason) {
            (Reason::Expected(a, mut more), Reason::Expected(b, more_b)) => {
                for w in std::iter::once(b).chain(more_b) {
                    if w != a && !more.contains(&w) {
                        more.push(w);
                    }
                }
                PErr { reason: Reason::Expected(a, more), hint: self.hint.or(other.hint), ..self }
            }
            (Reason::Message(m), _) => PErr { reason: Reason::Message(m), ..self },
            (_, r) => PErr { reason: r, hint: other.hint, ..other },
        }
    }

    /// Render against the full query text.
    pub fn into_syntax_error(self, src: &str) -> SyntaxError {
        let mut start = src.len().saturating_sub(self.rest);
        let at_end = self.len == 0 && super::lexical::skip_trivia(&src[start..]).is_empty();
        if at_end {
            // "found end of input": point just after the last token, not past trailing lines.
            start = src[..start].trim_end().len();
        }
        let rest = if at_end { "" } else { &src[start..] };
        let found_len = super::lexical::token_len(rest);
        let len = if self.len > 0 { self.len } else { found_len };
        let span = Span::new(start, (start + len).min(src.len()));
        let message = match &self.reason {
            Reason::Message(m) => m.clone(),
            Reason::Expected(first, more) => {
                let all: Vec<String> = std::iter::once(first).chain(more).map(|e| e.render()).collect();
                format!("expected {}, found {}", join_alternatives(&all), describe(rest, found_len))
            }
        };
        let hint = self.hint.or_else(|| super::hints::hint_for(rest, &self.reason));
        SyntaxError { span, message, hint }
    }
}

/// "a", "a or b", "a, b or c".
fn join_alternatives(w: &[String]) -> String {
    match w {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(|s| s.as_str()).collect();
            format!("{} or {}", init.join(", "), last)
        }
    }
}

/// How the next token is named in a message.
fn describe(rest: &str, len: usize) -> String {
    if rest.is_empty() {
        return "end of input".to_string();
    }
    let tok = &rest[..len];
    let shown: String = tok.chars().take(40).collect();
    let ellipsis = if shown.len() < tok.len() { "..." } else { "" };
    format!("'{shown}{ellipsis}'")
}

impl nom::error::ParseError<&str> for PErr {
    fn from_error_kind(input: &str, _kind: nom::error::ErrorKind) -> PErr {
        PErr::expected(input, "valid syntax")
    }

    fn append(_input: &str, _kind: nom::error::ErrorKind, other: PErr) -> PErr {
        other
    }

    fn or(self, other: PErr) -> PErr {
        self.furthest(other)
    }
}
