//! A readable rendering of a plan: each step with the columns it produces.

use super::{LogicalPlan, Source, Step};
use crate::types::ColumnDef;

fn columns(schema: &[ColumnDef]) -> String {
    let shown: Vec<String> =
        schema.iter().take(12).map(|c| format!("{}:{}", c.name.replace('\u{0}', "$"), c.ty)).collect();
    let more = if schema.len() > 12 { format!(", ... ({} columns)", schema.len()) } else { String::new() };
    format!("[{}{more}]", shown.join(", "))
}

/// The plan as text, one step per line.
pub fn explain(plan: &LogicalPlan, _src: &str) -> String {
    let mut out = String::new();
    match &plan.source {
        Source::From { patterns, needed, columns: cols } => {
            let read: Vec<&str> = cols.iter().zip(needed).filter(|(_, n)| **n).map(|(c, _)| c.name.as_str()).collect();
            out.push_str(&format!(
                "FROM {}  reads {} of {} fields: {}\n",
                patterns.join(", "),
                read.len(),
                cols.len(),
                read.join(", ")
            ));
        }
        Source::Row(_) => out.push_str("ROW\n"),
        Source::ShowInfo => out.push_str("SHOW INFO\n"),
    }
    for s in &plan.stages {
        let what = match &s.step {
            Step::Where(e) => format!("WHERE {}", e.origin.text),
            Step::Eval { exprs, .. } => {
                format!("EVAL {}", exprs.iter().map(|e| e.origin.text.as_str()).collect::<Vec<_>>().join(", "))
            }
            Step::Project(_) => "PROJECT".to_string(),
            Step::Sort(keys) => {
                format!("SORT {}", keys.iter().map(|k| k.expr.origin.text.as_str()).collect::<Vec<_>>().join(", "))
            }
            Step::Limit(n) => format!("LIMIT {n}"),
            Step::Aggregate(a) => format!("STATS {} aggregate(s) BY {} key(s)", a.aggs.len(), a.groups.len()),
            Step::MvExpand(_) => "MV_EXPAND".to_string(),
            Step::Extract { .. } => "GROK/DISSECT".to_string(),
        };
        out.push_str(&format!("| {}  -> {}\n", what.replace('\n', " "), columns(&s.schema)));
    }
    out
}
