//! Completion, hints and highlighting for the REPL, from the same tables the planner uses:
//! command keywords, the function table, index names and the fields of the indices in the
//! query's FROM (most frequent first).

use crate::engine::Engine;
use crate::functions;
use crate::syntax::{PROCESSING_COMMANDS, SOURCE_COMMANDS};
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

/// The word being completed: its start and text.
fn current_word(line: &str, pos: usize) -> (usize, &str) {
    let before = &line[..pos];
    let start =
        before.rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '-' | '*'))).map_or(0, |i| i + 1);
    (start, &before[start..])
}

/// What kind of name belongs at the cursor.
#[derive(Debug, PartialEq, Eq)]
pub enum Slot {
    /// A command keyword (after `|`, or at the start).
    Command,
    /// An index name (in FROM).
    Index,
    /// A field or function name.
    Expression,
}

/// Classifies the position by the text of the query before the word.
pub fn slot(before_word: &str) -> Slot {
    let trimmed = before_word.trim_end();
    if trimmed.is_empty() || trimmed.ends_with('|') {
        return Slot::Command;
    }
    let segment = trimmed.rsplit('|').next().unwrap_or("").trim_start();
    let first = segment.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    if (first == "from" || first == "ts") && !segment.to_ascii_lowercase().contains(" metadata") {
        return Slot::Index;
    }
    Slot::Expression
}

impl EsqlHelper {
    /// Field names of the indices in the query's FROM, most frequent first.
    fn fields(&self, query: &str) -> Vec<(String, String)> {
        let Some(from) = query.split('|').next() else { return vec![] };
        let mut words = from.split([' ', ',', '\n', '\t']).filter(|w| !w.is_empty());
        if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("from")) {
            return vec![];
        }
        let patterns: Vec<String> =
            words.take_while(|w| !w.eq_ignore_ascii_case("metadata")).map(str::to_string).collect();
        let engine = self.engine.borrow();
        let Some(dir) = engine.data() else { return vec![] };
        let Ok(indices) = dir.resolve(&patterns) else { return vec![] };
        let mut counts: std::collections::BTreeMap<String, (u64, String)> = Default::default();
        for ix in indices {
            if let Ok((fields, _)) = ix.fields(dir.on_error, dir.threads) {
                for (name, f) in fields {
                    let e = counts.entry(name.clone()).or_insert((0, f.ty.name().to_string()));
                    e.0 += f.docs;
                }
            }
        }
        let mut v: Vec<(String, u64, String)> = counts.into_iter().map(|(n, (c, t))| (n, c, t)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.into_iter().map(|(n, _, t)| (n, t)).collect()
    }

    /// Candidates for `word` at a position of kind `slot`.
    pub fn candidates(&self, query: &str, slot: &Slot, word: &str) -> Vec<Pair> {
        let lower = word.to_ascii_lowercase();
        let pair = |display: String, replacement: String| Pair { display, replacement };
        match slot {
            Slot::Command => {
                let all = if query.trim().is_empty() { SOURCE_COMMANDS } else { PROCESSING_COMMANDS };
                all.iter()
                    .filter(|c| c.starts_with(&lower))
                    .map(|c| pair(c.to_uppercase(), format!("{} ", c.to_uppercase())))
                    .collect()
            }
            Slot::Index => {
                let engine = self.engine.borrow();
                let names = engine.data().map(|d| d.names()).unwrap_or_default();
                names
                    .into_iter()
                    .filter(|n| n.starts_with(word) && (!n.starts_with('.') || word.starts_with('.')))
                    .map(|n| pair(n.clone(), n))
                    .collect()
            }
            Slot::Expression => {
                let mut out: Vec<Pair> = self
                    .fields(query)
                    .into_iter()
                    .filter(|(n, _)| n.starts_with(word))
                    .map(|(n, t)| pair(format!("{n} ({t})"), crate::syntax::quote_name(&n)))
                    .collect();
                out.extend(
                    functions::all()
                        .filter(|f| f.name.starts_with(&lower) && !lower.is_empty())
                        .map(|f| pair(f.signature(), format!("{}(", f.name))),
                );
                out
            }
        }
    }
}

impl Completer for EsqlHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, word) = current_word(line, pos);
        let pending = self.pending.borrow();
        let query = format!("{pending}{line}");
        let before = format!("{pending}{}", &line[..start]);
        Ok((start, self.candidates(&query, &slot(&before), word)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_classified() {
        assert_eq!(slot(""), Slot::Command);
        assert_eq!(slot("FROM logs-* | "), Slot::Command);
        assert_eq!(slot("FROM "), Slot::Index);
        assert_eq!(slot("from a, "), Slot::Index);
        assert_eq!(slot("FROM logs-* | WHERE "), Slot::Expression);
        assert_eq!(current_word("FROM logs-az", 12), (5, "logs-az"));
    }
}
