//! The `{"name": value}` map at the end of a full-text call, checked against the function's
//! options (`functions::search::SEARCH_OPTIONS`) and read by name.

use super::error;
use crate::diagnostic::Diagnostic;
use crate::functions::search::SEARCH_OPTIONS;
use crate::search::Edits;
use crate::syntax::{Expr, ExprKind, Literal, Span};

/// A call's options, values as text.
pub(super) struct Options {
    entries: Vec<(String, String, Span)>,
}

impl Options {
    /// The options of a call to `func` (lower case); an unknown name, a value that is not a
    /// constant, or a value this engine does not honour is an error at the map.
    pub(super) fn read(func: &str, args: &[Expr], call: &str) -> Result<Options, Diagnostic> {
        let Some(Expr { kind: ExprKind::Map(map), span }) = args.last() else {
            return Ok(Options { entries: Vec::new() });
        };
        let groups = SEARCH_OPTIONS.iter().find(|(f, _)| *f == func).map_or(&[][..], |(_, o)| *o);
        let known: Vec<_> = groups.iter().flat_map(|g| g.iter()).collect();
        let mut entries = Vec::new();
        for (key, value) in map {
            let Some(option) = known.iter().find(|o| o.name == key) else {
                let names: Vec<&str> = known.iter().map(|o| o.name).collect();
                let message = format!("Invalid option [{key}] in [{call}], expected one of [{}]", names.join(", "));
                return Err(error(message, *span));
            };
            let text = match &value.kind {
                ExprKind::Literal(Literal::String(s)) => s.clone(),
                ExprKind::Literal(Literal::Integer(n)) => n.to_string(),
                ExprKind::Literal(Literal::Double(d)) => d.to_string(),
                ExprKind::Literal(Literal::Boolean(b)) => b.to_string(),
                _ => return Err(error(format!("Invalid option [{key}] in [{call}], expected a constant"), value.span)),
            };
            if let Some(fixed) = option.fixed.filter(|f| !f.eq_ignore_ascii_case(&text)) {
                let message = format!("option [{key}] of [{call}] is only supported as [{fixed}] here");
                return Err(error(message, value.span));
            }
            entries.push((key.clone(), text, value.span));
        }
        Ok(Options { entries })
    }

    /// An option's value as written.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.entries.iter().find(|(k, _, _)| k == name).map(|(_, v, _)| v.as_str())
    }

    /// A boolean option (`true`/`false`, as a boolean or a string).
    pub(super) fn flag(&self, name: &str, call: &str) -> Result<bool, Diagnostic> {
        self.either(name, call, ("true", "false"))
    }

    /// `operator`/`default_operator`: true for AND.
    pub(super) fn and(&self, name: &str, call: &str) -> Result<bool, Diagnostic> {
        self.either(name, call, ("AND", "OR"))
    }

    /// An option of two words (any case): true for the first; absent, false.
    fn either(&self, name: &str, call: &str, (yes, no): (&str, &str)) -> Result<bool, Diagnostic> {
        match self.get(name) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case(yes) => Ok(true),
            Some(v) if v.eq_ignore_ascii_case(no) => Ok(false),
            Some(v) => Err(self.invalid(name, v, call, &format!("{yes} or {no}"))),
        }
    }

    /// `fuzziness`.
    pub(super) fn edits(&self, call: &str) -> Result<Option<Edits>, Diagnostic> {
        self.get("fuzziness")
            .map(|v| Edits::parse(v).ok_or_else(|| self.invalid("fuzziness", v, call, "0, 1, 2 or AUTO")))
            .transpose()
    }

    /// A whole number option (`slop`, `phrase_slop`).
    pub(super) fn count(&self, name: &str, call: &str) -> Result<Option<u32>, Diagnostic> {
        self.get(name).map(|v| v.parse::<u32>().map_err(|_| self.invalid(name, v, call, "a whole number"))).transpose()
    }

    fn invalid(&self, name: &str, value: &str, call: &str, want: &str) -> Diagnostic {
        let span = self.entries.iter().find(|(k, _, _)| k == name).map_or(Span { start: 0, end: 0 }, |e| e.2);
        error(format!("Invalid value [{value}] for option [{name}] in [{call}], expected {want}"), span)
    }
}
