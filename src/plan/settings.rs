//! `SET name = value;` directives before the query, checked as Elasticsearch checks them
//! (`QuerySettings.validate`): an unknown name, a value of the wrong type or an invalid value
//! fails the query at the setting, and a later definition of a name overrides an earlier one.

use super::error;
use crate::diagnostic::Diagnostic;
use crate::syntax::{ExprKind, Literal, Query, Setting};

/// How a query treats a name that no column holds (`SET unmapped_fields = …`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unmapped {
    /// `Unknown column [x]`: the default (`"FAIL"`, `"DEFAULT"`).
    #[default]
    Fail,
    /// The name is a column of type null at the source, as if every document lacked it.
    Nullify,
}

/// The settings of one query.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuerySettings {
    /// `unmapped_fields`.
    pub unmapped: Unmapped,
}

/// The time zones that are UTC: the only one this engine computes in (dates, buckets and
/// formats would differ in any other), for `SET time_zone` and the request's `time_zone`.
pub fn is_utc(zone: &str) -> bool {
    matches!(zone, "UTC" | "Z" | "+00:00" | "Etc/UTC" | "GMT")
}

/// The settings of `q`, or the error Elasticsearch gives for the first bad one.
pub fn read(q: &Query) -> Result<QuerySettings, Diagnostic> {
    let mut out = QuerySettings::default();
    for s in &q.settings {
        let invalid = |why: String| error(format!("Error validating setting [{}]: {why}", s.name.name), s.span);
        match s.name.name.as_str() {
            "unmapped_fields" => {
                let v = keyword(s)?;
                out.unmapped = match v.to_ascii_uppercase().as_str() {
                    "FAIL" | "DEFAULT" => Unmapped::Fail,
                    "NULLIFY" => Unmapped::Nullify,
                    "LOAD" => return Err(load_unsupported(s)),
                    _ => {
                        let why = format!(
                            "Invalid unmapped_fields resolution [{v}], must be one of [DEFAULT, NULLIFY, LOAD]"
                        );
                        return Err(invalid(why));
                    }
                };
            }
            "time_zone" => {
                let v = keyword(s)?;
                if !is_utc(&v) {
                    return Err(error(format!("time_zone [{v}] is not supported here; only UTC"), s.value.span)
                        .with_hint("this engine computes dates, buckets and formats in UTC"));
                }
            }
            "project_routing" => {
                keyword(s)?;
                return Err(invalid("cross-project search not enabled".into()));
            }
            "approximate" | "approximation" => {
                return Err(error(format!("Setting [{}] is only available in snapshot builds", s.name.name), s.span));
            }
            other => return Err(error(format!("Unknown setting [{other}]"), s.name.span)),
        }
    }
    Ok(out)
}

/// A setting's value, which must be a string constant.
fn keyword(s: &Setting) -> Result<String, Diagnostic> {
    match &s.value.kind {
        ExprKind::Literal(Literal::String(v)) => Ok(v.clone()),
        _ => Err(error(format!("Setting [{}] must be of type KEYWORD", s.name.name), s.value.span)),
    }
}

/// `"load"` reads a field no mapping declares from each document's `_source`; here a field
/// that documents hold is already a column (discovery maps it), and reading the fields a
/// non-dynamic mapping leaves out is not built.
fn load_unsupported(s: &Setting) -> Diagnostic {
    error(
        "unsupported: SET unmapped_fields=\"load\" (reading unmapped fields from _source) is not implemented",
        s.value.span,
    )
    .with_hint(
        "fields found in the documents are columns already; SET unmapped_fields=\"nullify\" makes absent ones null",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<QuerySettings, String> {
        let q = crate::syntax::parse(text).map_err(|e| format!("{e:?}"))?;
        read(&q).map_err(|d| d.render_line(text))
    }

    #[test]
    fn settings_are_checked_as_elasticsearch_checks_them() {
        let nullify = QuerySettings { unmapped: Unmapped::Nullify };
        assert_eq!(settings("SET unmapped_fields=\"nullify\"; ROW x = 1"), Ok(nullify));
        assert_eq!(settings("SET unmapped_fields=\"NuLLify\"; ROW x = 1"), Ok(nullify));
        let last_wins = "SET unmapped_fields=\"nullify\"; SET unmapped_fields=\"fail\"; ROW x = 1";
        assert_eq!(settings(last_wins), Ok(QuerySettings::default()));
        assert_eq!(settings("SET time_zone=\"UTC\"; ROW x = 1"), Ok(QuerySettings::default()));
        let err = |t: &str| settings(t).unwrap_err();
        assert_eq!(err("SET foo=\"x\"; ROW x = 1"), "line 1:5: Unknown setting [foo]");
        assert_eq!(
            err("SET unmapped_fields=1; ROW x = 1"),
            "line 1:21: Setting [unmapped_fields] must be of type KEYWORD"
        );
        assert_eq!(
            err("SET unmapped_fields=\"x\"; ROW x = 1"),
            "line 1:1: Error validating setting [unmapped_fields]: Invalid unmapped_fields resolution [x], must be one of [DEFAULT, NULLIFY, LOAD]"
        );
        assert!(err("SET unmapped_fields=\"load\"; ROW x = 1").contains("unsupported"));
        assert!(err("SET time_zone=\"Europe/Paris\"; ROW x = 1").contains("only UTC"));
        assert!(err("SET approximate=true; ROW x = 1").contains("only available in snapshot builds"));
    }
}
