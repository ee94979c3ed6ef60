//! The language's keywords, in one place: the parser's command dispatch and hints, the
//! printer's casing (`esql fmt`) and the REPL's completion and colours all read them here.

/// Command words that start a query.
pub const SOURCE_COMMANDS: &[&str] = &["from", "row", "show", "ts"];

/// Command words allowed after `|` (two-word commands with their space).
pub const PROCESSING_COMMANDS: &[&str] = &[
    "where",
    "eval",
    "keep",
    "drop",
    "rename",
    "sort",
    "limit",
    "stats",
    "inline stats",
    "inlinestats",
    "dissect",
    "grok",
    "mv_expand",
    "enrich",
    "lookup join",
    "left join",
    "right join",
    "completion",
    "fork",
    "change_point",
    "sample",
];

/// Words inside commands: `SHOW INFO`, `METADATA`, `BY`, `AS`, sort order, `ON`, `WITH`, `SET`.
pub const CLAUSE_WORDS: &[&str] =
    &["info", "metadata", "by", "as", "asc", "desc", "nulls", "first", "last", "on", "with", "set"];

/// Operator words of expressions.
pub const OPERATOR_WORDS: &[&str] = &["and", "or", "not", "in", "is", "null", "like", "rlike"];

/// Boolean constants.
pub const BOOLEAN_WORDS: &[&str] = &["true", "false"];

/// Each word of the command keywords (`inline stats` gives `inline` and `stats`).
fn command_words() -> impl Iterator<Item = &'static str> {
    SOURCE_COMMANDS.iter().chain(PROCESSING_COMMANDS).flat_map(|c| c.split(' '))
}

/// Whether `word` (any case) is a keyword the printer writes in capitals: command, clause and
/// operator words (not the boolean constants).
pub fn is_printed_keyword(word: &str) -> bool {
    command_words()
        .chain(CLAUSE_WORDS.iter().copied())
        .chain(OPERATOR_WORDS.iter().copied())
        .any(|k| k.eq_ignore_ascii_case(word))
}

/// Whether `word` (any case) is any keyword of the language, constants included.
pub fn is_keyword(word: &str) -> bool {
    is_printed_keyword(word) || BOOLEAN_WORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_the_parser_knows_is_a_keyword() {
        for c in SOURCE_COMMANDS.iter().chain(PROCESSING_COMMANDS) {
            for w in c.split(' ') {
                assert!(is_printed_keyword(w) && is_keyword(&w.to_uppercase()), "{w}");
            }
        }
        assert!(is_keyword("TRUE") && !is_printed_keyword("true"));
        assert!(!is_keyword("source.ip"));
    }
}
