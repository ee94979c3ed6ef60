//! `LOOKUP JOIN index ON key[, key ...]` (or `ON left == right [AND ...]`): a left join
//! with an index whose settings put it in lookup mode, checked as Elasticsearch checks it
//! (one index, in lookup mode, keys of comparable types) with its messages.

use super::commands::Planner;
use super::signature::unknown_column;
use super::{error, LookupJoin, Stage, Step};
use crate::diagnostic::Diagnostic;
use crate::syntax::{BinaryOp, Expr, ExprKind, Join, Span};
use crate::types::{ColumnDef, EsType};

impl Planner<'_> {
    /// The stage of one LOOKUP JOIN.
    pub fn lookup_join(&self, j: &Join, input: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        if j.kind != "LOOKUP" {
            return Err(error(format!("{} JOIN is not supported: only LOOKUP JOIN", j.kind), j.index.span));
        }
        if j.index.cluster.is_some() {
            return Err(error("remote clusters are not supported: indices are local files", j.index.span));
        }
        let at =
            |d: Diagnostic| Diagnostic { span: Some((j.index.span.start as usize, j.index.span.end as usize)), ..d };
        let (index, columns) = self.catalog.lookup(&j.index.index).map_err(at)?;
        let (mut left_keys, mut right_keys) = (Vec::new(), Vec::new());
        for on in &j.on {
            for (left, right, span) in key_pairs(on)? {
                let l = input.iter().rposition(|c| c.name == left).ok_or_else(|| unknown_column(&left, input, span))?;
                let r = columns
                    .iter()
                    .position(|c| c.name == right)
                    .ok_or_else(|| error(format!("Unknown column [{right}] in right side of join"), span))?;
                let (lt, rt) = (input[l].ty, columns[r].ty);
                // A key of type null (a null literal, a field SET unmapped_fields made null)
                // matches no row, as in Elasticsearch.
                if lt != EsType::Null && no_text(lt) != no_text(rt) {
                    let message = format!(
                        "JOIN left field [{left}] of type [{}] is incompatible with right field [{right}] of type [{}]",
                        lt.message_name().to_ascii_uppercase(),
                        rt.message_name().to_ascii_uppercase()
                    );
                    return Err(error(message, span));
                }
                left_keys.push(l);
                right_keys.push(r);
            }
        }
        // The index's key of the same name as the input's is not added again.
        let same_name =
            |r: usize| right_keys.iter().zip(&left_keys).any(|(&rk, &lk)| rk == r && columns[r].name == input[lk].name);
        let add: Vec<usize> = (0..columns.len()).filter(|&r| !same_name(r)).collect();
        let keep: Vec<usize> = (0..input.len())
            .filter(|&i| left_keys.contains(&i) || !add.iter().any(|&r| columns[r].name == input[i].name))
            .filter(|&i| !input[i + 1..].iter().any(|c| c.name == input[i].name))
            .collect();
        let schema: Vec<ColumnDef> =
            keep.iter().map(|&i| input[i].clone()).chain(add.iter().map(|&r| columns[r].clone())).collect();
        let step = Step::LookupJoin(Box::new(LookupJoin { index, columns, left_keys, right_keys, keep, add }));
        Ok(vec![Stage { step, schema, command: k }])
    }
}

/// The (left, right) field names a condition joins on: `key` is both, `a == b` its sides,
/// conditions joined by AND each.
fn key_pairs(on: &Expr) -> Result<Vec<(String, String, Span)>, Diagnostic> {
    match &on.kind {
        ExprKind::Field(name) => Ok(vec![(name.clone(), name.clone(), on.span)]),
        ExprKind::Binary(BinaryOp::And, a, b) => Ok([key_pairs(a)?, key_pairs(b)?].concat()),
        ExprKind::Binary(BinaryOp::Eq, a, b) => match (&a.kind, &b.kind) {
            (ExprKind::Field(l), ExprKind::Field(r)) => Ok(vec![(l.clone(), r.clone(), on.span)]),
            _ => Err(error("JOIN ON conditions must compare a field of each side with ==", on.span)),
        },
        _ => Err(error("JOIN ON takes field names, or conditions `left == right` joined by AND", on.span)),
    }
}

/// Text joins as keyword (Elasticsearch's `noText`).
fn no_text(t: EsType) -> EsType {
    if t == EsType::Text {
        EsType::Keyword
    } else {
        t
    }
}
