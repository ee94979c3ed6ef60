//! `CHANGE_POINT value [ON key] [AS type, pvalue]`: the rows sorted by the key (default
//! `@timestamp`), with the change point of the value's series, if any, marked on its row.

use super::commands::Planner;
use super::signature::unknown_column;
use super::{error, ChangePoint, Stage, Step};
use crate::diagnostic::Diagnostic;
use crate::syntax::{ChangePoint as ChangePointCmd, Span};
use crate::types::{ColumnDef, EsType};

impl Planner<'_> {
    /// The stage of one CHANGE_POINT.
    pub fn change_point(
        &self,
        c: &ChangePointCmd,
        input: &[ColumnDef],
        span: Span,
        k: usize,
    ) -> Result<Vec<Stage>, Diagnostic> {
        let find = |name: &str, at: Span| {
            input.iter().rposition(|col| col.name == name).ok_or_else(|| unknown_column(name, input, at))
        };
        let value = find(&c.value.name, c.value.span)?;
        if !input[value].ty.is_numeric() {
            let m = format!("change point value [{}] must be numeric", c.value.name);
            return Err(error(m, c.value.span));
        }
        let key = match &c.key {
            Some(n) => find(&n.name, n.span)?,
            None => find("@timestamp", span)?,
        };
        let (type_name, pvalue_name) = c
            .output
            .as_ref()
            .map_or(("type".to_string(), "pvalue".to_string()), |(a, b)| (a.name.clone(), b.name.clone()));
        let keep: Vec<usize> =
            (0..input.len()).filter(|&i| input[i].name != type_name && input[i].name != pvalue_name).collect();
        let mut schema: Vec<ColumnDef> = keep.iter().map(|&i| input[i].clone()).collect();
        schema.push(ColumnDef::new(type_name, EsType::Keyword));
        schema.push(ColumnDef::new(pvalue_name, EsType::Double));
        let step = Step::ChangePoint(Box::new(ChangePoint { value, key, keep }));
        Ok(vec![Stage { step, schema, command: k }])
    }
}
