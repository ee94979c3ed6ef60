//! Element-wise functions: the conversions (`to_*`) and case changes, each value of a
//! multi-value converted on its own, as Elasticsearch's converters do.

use super::expr::{Lower, Sql};
use super::{Dialect, Refusal, Shape};
use crate::functions::{canonical_conversion, FunctionDef};
use crate::plan::PlanExpr;
use crate::types::EsType;

/// A decimal number as `str::parse::<f64>` reads one that is finite: sign, digits with an
/// optional point, exponent (Java's and RE2's syntax alike; unanchored).
pub(super) const DECIMAL: &str = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?";

/// The white space `str::trim` removes (Unicode's White_Space), as a regex class.
const RUST_WHITESPACE: &str =
    r"[\t\n\x{0B}\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]";

impl Lower<'_> {
    /// Element-wise functions: each value converted, failures dropped, a multi-value left
    /// with none reads null. None when `f` over these types has no translation.
    pub(super) fn each(&self, f: &FunctionDef, args: &[PlanExpr], e: &PlanExpr) -> Option<Result<Sql, Refusal>> {
        let from = args[0].ty;
        let d = self.d;
        let conv = |v: &str| -> Option<String> {
            Some(match (canonical_conversion(f.name), from, e.ty) {
                ("to_lower", ..) => format!("lower({v})"),
                ("to_upper", ..) => format!("upper({v})"),
                (_, a, b) if a == b => v.to_string(),
                ("to_ip", EsType::Keyword | EsType::Text, _) => super::ip::parse(d, v),
                ("to_string", EsType::Integer | EsType::Long | EsType::Boolean, _) => d.to_text(v),
                ("to_string", EsType::Ip, _) => super::ip::text(d, v),
                ("to_string", EsType::Date, _) => date_text(d, v),
                ("to_long", EsType::Integer, _) => format!("CAST({v} AS BIGINT)"),
                // Dates are epoch milliseconds inside, as TO_DOUBLE of a date answers.
                ("to_double", EsType::Integer | EsType::Long | EsType::Date | EsType::Boolean, _) => {
                    format!("CAST({v} AS DOUBLE)")
                }
                ("to_integer", EsType::Boolean, _) => format!("CAST({v} AS INT)"),
                ("to_integer", EsType::Long, _) => {
                    format!("CASE WHEN {v} BETWEEN -2147483648 AND 2147483647 THEN CAST({v} AS INT) END")
                }
                ("to_integer", EsType::Double, _) => int_of_double(v),
                ("to_integer", EsType::Keyword | EsType::Text, _) => int_of_text(d, v),
                _ => return None,
            })
        };
        conv("x")?;
        if args.len() > 1 {
            return None;
        }
        Some(self.expr(&args[0]).map(|a| match a.shape {
            Shape::One => Sql::one(conv(&a.text).unwrap_or_default()),
            Shape::Many => {
                let mapped = d.map(&a.text, "e_v", &conv("e_v").unwrap_or_default());
                let kept = d.filter(&mapped, "e_v", "e_v IS NOT NULL");
                Sql { text: d.bind(&kept, "e_a", &d.non_empty("e_a")), shape: Shape::Many }
            }
        }))
    }
}

/// An integer from a double as `conversion::whole` makes it: a finite double within the
/// integer range, rounded half up (NaN fails both comparisons).
fn int_of_double(x: &str) -> String {
    format!("CASE WHEN {x} >= -2147483648.0 AND {x} <= 2147483647.0 THEN CAST(floor({x} + 0.5) AS INT) END")
}

/// An integer from text as `conversion::whole` reads it: white space trimmed, a decimal
/// number (an integer's double is exact within the integer range, and one outside it stays
/// outside, so the double alone decides), rounded half up; anything else null.
fn int_of_text(d: Dialect, s: &str) -> String {
    // Both engines' regexp_extract answer '' when the pattern does not match.
    let in_space = format!("^{RUST_WHITESPACE}*({DECIMAL}){RUST_WHITESPACE}*$");
    let number = format!("regexp_extract({s}, {}, 1)", d.string(&in_space));
    let int = d.bind(&d.try_cast("t_n", "DOUBLE"), "t_x", &int_of_double("t_x"));
    d.bind(&number, "t_n", &format!("CASE WHEN t_n <> '' THEN {int} END"))
}

/// Elasticsearch's text of a date: ISO 8601 with milliseconds, in UTC.
fn date_text(d: Dialect, ms: &str) -> String {
    match d {
        Dialect::Spark => format!("date_format({}, \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")", d.timestamp_of(ms)),
        Dialect::DuckDb => format!("strftime({}, '%Y-%m-%dT%H:%M:%S.%gZ')", d.timestamp_of(ms)),
    }
}
