//! `case-mismatch`: `==` is case-sensitive, so a value that differs only in case from one
//! compared earlier on the same field is likely a mistake.

use super::{finding, string_equality, walk, Finding};
use crate::syntax::Query;

pub(super) fn case_mismatch(q: &Query, out: &mut Vec<Finding>) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for c in &q.commands {
        for e in c.exprs() {
            walk(e, &mut |x| {
                let Some((field, value, lit)) = string_equality(x) else { return };
                if let Some((_, earlier)) =
                    seen.iter().find(|(f, v)| f == field && v != value && v.to_lowercase() == value.to_lowercase())
                {
                    let msg = format!("[{field}] is compared with \"{value}\" here but with \"{earlier}\" earlier: == on keyword is case-sensitive, so both cannot hold");
                    out.push(finding(
                        "case-mismatch",
                        msg,
                        lit,
                        format!("use \"{earlier}\" (or compare to_lower({field}) with a lower-case value)"),
                    ));
                }
                if !seen.iter().any(|(f, v)| f == field && v == value) {
                    seen.push((field.to_string(), value.to_string()));
                }
            });
        }
    }
}
