//! Completion (`engine::complete`, shared with the web page), hints and highlighting for
//! the REPL.

use crate::engine::complete::{current_word, slot};
use crate::engine::Engine;
use crate::functions;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// The REPL's line helper.
pub struct EsqlHelper {
    /// The engine (for index and field names).
    pub engine: Rc<RefCell<Engine>>,
    /// Lines of the query typed so far (before the current line).
    pub pending: Rc<RefCell<String>>,
    /// Colour output.
    pub color: bool,
}

impl Completer for EsqlHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, word) = current_word(line, pos);
        let pending = self.pending.borrow();
        let query = format!("{pending}{line}");
        let before = format!("{pending}{}", &line[..start]);
        let candidates = self.engine.borrow().candidates(&query, &slot(&before), word);
        Ok((start, candidates.into_iter().map(|c| Pair { display: c.label, replacement: c.insert }).collect()))
    }
}

impl Hinter for EsqlHelper {
    type Hint = String;

    /// The signature of the function whose call is being typed.
    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<String> {
        if pos < line.len() || !line.ends_with('(') {
            return None;
        }
        let (_, word) = current_word(line, pos - 1);
        functions::lookup(word)
            .map(|f| format!("{})  -- {}", &f.signature()[f.name.len() + 1..f.signature().len() - 1], f.doc))
    }
}

impl Highlighter for EsqlHelper {
    fn highlight<'l>(&self, line: &'l str, _: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        Cow::Owned(colorize(line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _: &str, _: usize, _: CmdKind) -> bool {
        self.color
    }
}

/// ANSI colours: keywords bold blue, functions magenta, fields cyan, strings green,
/// numbers yellow, comments grey.
pub fn colorize(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        let (len, color) = if rest.starts_with("//") {
            (rest.len(), Some("2"))
        } else if c == '"' {
            (rest[1..].find('"').map_or(rest.len(), |i| i + 2), Some("32"))
        } else if c.is_ascii_digit() {
            (rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.')).unwrap_or(rest.len()), Some("33"))
        } else if c.is_alphabetic() || c == '_' || c == '@' {
            let n =
                rest.find(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '_' | '.' | '@'))).unwrap_or(rest.len());
            let word = &rest[..n];
            let is_call = rest[n..].starts_with('(');
            let code = if crate::syntax::is_keyword(word) {
                "1;34"
            } else if is_call {
                "35"
            } else {
                "36"
            };
            (n, Some(code))
        } else {
            (c.len_utf8(), None)
        };
        let piece = &rest[..len];
        match color {
            Some(code) => out.push_str(&format!("\x1b[{code}m{piece}\x1b[0m")),
            None => out.push_str(piece),
        }
        rest = &rest[len..];
    }
    out
}

impl Validator for EsqlHelper {}

impl Helper for EsqlHelper {}
