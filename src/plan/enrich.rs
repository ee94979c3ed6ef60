//! `ENRICH policy [ON field] [WITH [new =] field, ...]`, checked as Elasticsearch checks
//! it: the policy must exist, the ON column (the policy's match field by default) must be
//! of a type a policy matches, and WITH may name only the policy's enrich fields.

use super::commands::Planner;
use super::signature::{closest, unknown_column};
use super::{error, Enrich, Stage, Step};
use crate::diagnostic::Diagnostic;
use crate::syntax::{Enrich as EnrichCmd, NamePattern, Span};
use crate::types::{ColumnDef, EsType};

/// The types a `match` or `range` policy matches (a null column matches nothing).
const MATCHABLE: &[EsType] = &[
    EsType::Null,
    EsType::Keyword,
    EsType::Text,
    EsType::Ip,
    EsType::Long,
    EsType::Integer,
    EsType::Double,
    EsType::Date,
];

impl Planner<'_> {
    /// The stage of one ENRICH.
    pub fn enrich(&self, e: &EnrichCmd, input: &[ColumnDef], span: Span, k: usize) -> Result<Vec<Stage>, Diagnostic> {
        // `_any:`, `_coordinator:` and `_remote:` say where ES runs it: here, all the same.
        let name = e.policy_name();
        let at = |d: Diagnostic| Diagnostic { span: Some((span.start as usize, span.end as usize)), ..d };
        let policy = self.catalog.enrich(name).map_err(at)?;
        let (on, on_span) = match &e.on {
            Some(p) => (pattern_text(p), p.span),
            None => (policy.match_field.clone(), span),
        };
        let input_col = input.iter().rposition(|c| c.name == on).ok_or_else(|| unknown_column(&on, input, on_span))?;
        let ty = input[input_col].ty;
        if !MATCHABLE.contains(&ty) {
            let kind = if policy.range { "range" } else { "match" };
            let message = format!(
                "Unsupported type [{}] for enrich matching field [{on}]; only [keyword, text, ip, long, integer, float, double, datetime] allowed for type [{kind}]",
                ty.message_name()
            );
            return Err(error(message, on_span));
        }
        let (mut added, mut outputs): (Vec<ColumnDef>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut read = vec![ColumnDef::new(policy.match_field.clone(), EsType::Keyword)];
        let chosen: Vec<(String, String, Span)> = if e.with.is_empty() {
            policy.fields.iter().map(|f| (f.name.clone(), f.name.clone(), span)).collect()
        } else {
            e.with
                .iter()
                .map(|w| {
                    let field = pattern_text(&w.field);
                    let new = w.new_name.as_ref().map_or_else(|| field.clone(), pattern_text);
                    (new, field, w.field.span)
                })
                .collect()
        };
        for (new, field, at) in chosen {
            let Some(def) = policy.fields.iter().find(|f| f.name == field) else {
                let d = error(format!("Enrich field [{field}] not found in enrich policy [{name}]"), at);
                return Err(match closest(&field, policy.fields.iter().map(|f| f.name.as_str())) {
                    Some(best) => d.with_hint(format!("did you mean [{best}]?")),
                    None => d,
                });
            };
            let col = match read.iter().skip(1).position(|c| c.name == field) {
                Some(j) => j + 1,
                None => {
                    read.push(ColumnDef::new(field, def.ty));
                    read.len() - 1
                }
            };
            // A name written twice keeps the last.
            if let Some(prev) = added.iter().position(|c| c.name == new) {
                added.remove(prev);
                outputs.remove(prev);
            }
            added.push(ColumnDef::new(new, def.ty));
            outputs.push(col);
        }
        let keep: Vec<usize> = (0..input.len()).filter(|&i| !added.iter().any(|c| c.name == input[i].name)).collect();
        let schema = keep.iter().map(|&i| input[i].clone()).chain(added).collect();
        let step = Step::Enrich(Box::new(Enrich {
            range: policy.range,
            indices: policy.indices.clone(),
            columns: read,
            input: input_col,
            keep,
            outputs,
        }));
        Ok(vec![Stage { step, schema, command: k }])
    }
}

/// A name pattern as written (ENRICH names fields plainly).
fn pattern_text(p: &NamePattern) -> String {
    p.as_name().unwrap_or_else(|| p.to_string())
}
