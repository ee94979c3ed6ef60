//! Completion over a query being typed, for every front end (the REPL's line editor, the
//! web page): what kind of name belongs at the cursor, and the candidates from the same
//! tables the planner uses: command keywords, the function table (with signatures), index
//! names, and the fields of the indices in the query's FROM (most frequent first).

use super::Engine;
use crate::functions;
use crate::syntax::{PROCESSING_COMMANDS, SOURCE_COMMANDS};

/// The word being completed: its start and text.
pub fn current_word(line: &str, pos: usize) -> (usize, &str) {
    let pos = (0..=pos.min(line.len())).rev().find(|p| line.is_char_boundary(*p)).unwrap_or(0);
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

/// One completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What a list shows (`count_distinct(field, [precision])`, `user.name (keyword)`).
    pub label: String,
    /// What replaces the word.
    pub insert: String,
    /// `command`, `index`, `field` or `function`.
    pub kind: &'static str,
    /// A field's type or a function's one-line description.
    pub detail: String,
}

/// The patterns of a query's FROM (or TS), if it starts with one: from the parsed query, or
/// (while it is being typed and does not parse) from the text of its first command.
pub fn from_patterns(query: &str) -> Vec<String> {
    use crate::syntax::CommandKind as K;
    if let Ok(parsed) = crate::syntax::parse(query) {
        return match parsed.commands.first().map(|c| &c.kind) {
            Some(K::From(args) | K::Ts(args)) => args.indices.iter().map(|i| i.index.clone()).collect(),
            _ => vec![],
        };
    }
    let text: String = query.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n");
    let Some(from) = text.split('|').next() else { return vec![] };
    let mut words = from.split([' ', ',', '\n', '\t', '\r']).filter(|w| !w.is_empty());
    if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("from") || w.eq_ignore_ascii_case("ts")) {
        return vec![];
    }
    words.take_while(|w| !w.eq_ignore_ascii_case("metadata")).map(str::to_string).collect()
}

impl Engine {
    /// Field names and types of the indices `patterns` select, most frequent first.
    pub fn field_names(&self, patterns: &[String]) -> Vec<(String, String)> {
        let Some(dir) = self.data() else { return vec![] };
        let Ok(indices) = dir.resolve(patterns) else { return vec![] };
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

    /// The completions at byte `pos` of `query`: where the word starts, and the candidates.
    pub fn complete(&self, query: &str, pos: usize) -> (usize, Vec<Candidate>) {
        let (start, word) = current_word(query, pos);
        (start, self.candidates(query, &slot(&query[..start]), word))
    }

    /// Candidates for `word` at a position of kind `slot`.
    pub fn candidates(&self, query: &str, slot: &Slot, word: &str) -> Vec<Candidate> {
        let lower = word.to_ascii_lowercase();
        let candidate = |label: String, insert: String, kind, detail: String| Candidate { label, insert, kind, detail };
        match slot {
            Slot::Command => {
                let all =
                    if query.trim().is_empty() || !query.contains('|') { SOURCE_COMMANDS } else { PROCESSING_COMMANDS };
                all.iter()
                    .filter(|c| c.starts_with(&lower))
                    .map(|c| candidate(c.to_uppercase(), format!("{} ", c.to_uppercase()), "command", String::new()))
                    .collect()
            }
            Slot::Index => self
                .data()
                .map(|d| d.names())
                .unwrap_or_default()
                .into_iter()
                .filter(|n| n.starts_with(word) && (!n.starts_with('.') || word.starts_with('.')))
                .map(|n| candidate(n.clone(), n, "index", String::new()))
                .collect(),
            Slot::Expression => {
                let mut out: Vec<Candidate> = self
                    .field_names(&from_patterns(query))
                    .into_iter()
                    .filter(|(n, _)| n.starts_with(word))
                    .map(|(n, t)| candidate(format!("{n} ({t})"), crate::syntax::quote_name(&n), "field", t))
                    .collect();
                out.extend(
                    functions::all()
                        .filter(|f| f.name.starts_with(&lower) && !lower.is_empty())
                        .map(|f| candidate(f.signature(), format!("{}(", f.name), "function", f.doc.to_string())),
                );
                out
            }
        }
    }
}

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
        assert_eq!(from_patterns("FROM a, b METADATA _id | LIMIT 1"), ["a", "b"]);
        assert_eq!(from_patterns("// a rule\nFROM logs-*, .alerts-* | WHERE"), ["logs-*", ".alerts-*"]);
    }
}
