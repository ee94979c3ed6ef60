//! The fields DISSECT and GROK take out of text, from a Java regex's capture groups (Spark
//! runs Java's `Pattern`). A text that does not match gives every field null; each value of
//! a multi-valued input is taken apart on its own and a field gets the values of those
//! that match (Elasticsearch's StringExtractOperator).

use super::convert::DECIMAL;
use super::expr::Sql;
use super::{Dialect, Shape};
use crate::functions::grok::JavaCapture;
use crate::types::EsType;

/// A pattern as the SQL uses it.
pub(super) struct Pattern {
    pub d: Dialect,
    /// The regex as a SQL string literal.
    pub re: String,
    /// The field each capture group fills (group k + 1 is `captures[k]`), and whether it
    /// takes part in every match.
    pub captures: Vec<JavaCapture>,
    /// GROK: a capture may not take part in the match, a field may have several captures,
    /// and a capture is typed. DISSECT: every key takes part, the last one of a field wins.
    pub grok: bool,
}

impl Pattern {
    /// Field `f` of type `ty` out of `input`: its SQL and its shape.
    pub fn field(&self, input: &Sql, f: usize, ty: EsType) -> (String, Shape) {
        let d = self.d;
        let captures: Vec<(usize, bool)> =
            self.captures.iter().enumerate().filter(|(_, c)| c.field == f).map(|(k, c)| (k + 1, c.always)).collect();
        let several = self.grok && captures.len() > 1;
        // A field of one text: a value, or an array of the captures that took part.
        let of_text = |t: &str| -> String {
            if !self.grok {
                return match captures.last().map(|c| c.0) {
                    Some(g) => {
                        format!("CASE WHEN {t} RLIKE {re} THEN regexp_extract({t}, {re}, {g}) END", re = self.re)
                    }
                    None => "NULL".to_string(),
                };
            }
            let values: Vec<String> = captures.iter().map(|&(g, always)| self.capture(t, g, always, ty)).collect();
            match values.as_slice() {
                [one] => one.clone(),
                _ => {
                    let taken = d.filter(&d.array(&values), "x_g", "x_g IS NOT NULL");
                    d.bind(&taken, "x_a", &d.non_empty("x_a"))
                }
            }
        };
        match input.shape {
            Shape::One => (of_text(&input.text), if several { Shape::Many } else { Shape::One }),
            Shape::Many => {
                let each = d.filter(&d.map(&input.text, "x_v", &of_text("x_v")), "x_v", "x_v IS NOT NULL");
                let all = if several { format!("flatten({each})") } else { each };
                (d.bind(&all, "x_b", &d.non_empty("x_b")), Shape::Many)
            }
        }
    }

    /// Capture group `g` of text `t` as a value of `ty`, null when it took no part in the
    /// match: regexp_extract answers '' then, so it is read only when the text matches, for
    /// a capture that takes part in every match, or when it is not '', for one that holds a
    /// character whenever it takes part.
    fn capture(&self, t: &str, g: usize, always: bool, ty: EsType) -> String {
        let re = &self.re;
        let text = format!("regexp_extract({t}, {re}, {g})");
        let value = |v: &str| match ty {
            EsType::Keyword => v.to_string(),
            _ => typed(v, ty, self.d),
        };
        if always {
            let v = match ty {
                EsType::Keyword => text,
                _ => self.d.bind(&text, "x_c", &value("x_c")),
            };
            format!("CASE WHEN {t} RLIKE {re} THEN {v} END")
        } else {
            self.d.bind(&text, "x_c", &format!("CASE WHEN x_c <> '' THEN {} END", value("x_c")))
        }
    }
}

/// A captured text as GROK's type reads it here (`grok::typed`: Rust's number parsers,
/// null when the text is none; a boolean is `true` in any ASCII case).
fn typed(v: &str, ty: EsType, d: Dialect) -> String {
    let matches = |re: &str| d.regex_match(v, re);
    match ty {
        EsType::Integer => format!("CASE WHEN {} THEN CAST({v} AS INT) END", matches(r"^[+-]?[0-9]+\z")),
        EsType::Long => format!("CASE WHEN {} THEN CAST({v} AS BIGINT) END", matches(r"^[+-]?[0-9]+\z")),
        EsType::Double => {
            let lower = format!("lower({v})");
            format!(
                "CASE WHEN {} THEN CAST({v} AS DOUBLE) WHEN {} THEN CAST('Infinity' AS DOUBLE) \
                 WHEN {} THEN CAST('-Infinity' AS DOUBLE) WHEN {} THEN CAST('NaN' AS DOUBLE) END",
                matches(&format!(r"^{DECIMAL}\z")),
                d.regex_match(&lower, r"^\+?inf(?:inity)?\z"),
                d.regex_match(&lower, r"^-inf(?:inity)?\z"),
                d.regex_match(&lower, r"^[+-]?nan\z"),
            )
        }
        EsType::Boolean => format!("(lower({v}) = 'true')"),
        _ => v.to_string(),
    }
}
