//! `esql explain` and the REPL's `.explain`: the one rendering of a plan, command by
//! command, with each command's output columns, and with data the funnel: rows into and
//! out of every command.

use crate::engine::{Engine, QueryError};
use crate::plan::{LogicalPlan, Source};
use crate::syntax::Query;

/// One line per query command: its text, output columns, and (when run) rows in and out.
pub fn render(query: &Query, src: &str, plan: &LogicalPlan, counts: Option<&[(u64, u64)]>) -> String {
    let mut out = String::new();
    let source_rows = counts.and_then(|c| c.first()).map(|c| c.0);
    for (k, cmd) in query.commands.iter().enumerate() {
        let text: String = cmd.span.text(src).split_whitespace().collect::<Vec<_>>().join(" ");
        let text =
            if text.chars().count() > 70 { format!("{}…", text.chars().take(69).collect::<String>()) } else { text };
        let stages: Vec<usize> =
            plan.stages.iter().enumerate().filter(|(_, s)| s.command == k).map(|(i, _)| i).collect();
        let schema = stages.last().map_or(&plan.source_schema, |&i| &plan.stages[i].schema);
        let funnel = match (counts, k) {
            (Some(_), 0) => format!("{:>10} {:>10}", "", source_rows.map_or("-".into(), |n| n.to_string())),
            (Some(c), _) => match (stages.first(), stages.last()) {
                (Some(&a), Some(&b)) => format!("{:>10} {:>10}", c[a].0, c[b].1),
                _ => format!("{:>10} {:>10}", "-", "-"),
            },
            (None, _) => String::new(),
        };
        out.push_str(&format!("{k:>2}  {text:<71}{funnel}\n"));
        let cols: Vec<String> =
            schema.iter().map(|c| format!("{}:{}", c.name, c.ty)).filter(|c| !c.starts_with('\u{0}')).collect();
        let shown = if cols.len() > 8 {
            format!("{}, ... ({} columns)", cols[..8].join(", "), cols.len())
        } else {
            cols.join(", ")
        };
        out.push_str(&format!("      -> {shown}\n"));
        out.push_str(&moved_note(plan, &stages, k, counts));
        if k == 0 {
            if let Source::From { columns, needed, .. } = &plan.source {
                let read: Vec<&str> =
                    columns.iter().zip(needed).filter(|(_, n)| **n).map(|(c, _)| c.name.as_str()).collect();
                out.push_str(&format!("      reads {} of {} fields: {}\n", read.len(), columns.len(), read.join(", ")));
            }
        }
    }
    if let Some(last) = counts.and_then(|c| c.last()) {
        out.push_str(&format!("    (implicit LIMIT)  {:>63} {:>10}\n", last.0, last.1));
    }
    out
}

/// A WHERE (or the part of it that reads no column made after it) runs before the commands
/// it follows, as in Elasticsearch: say where, and what it kept there.
fn moved_note(plan: &LogicalPlan, stages: &[usize], k: usize, counts: Option<&[(u64, u64)]>) -> String {
    let mut note = String::new();
    for &i in stages {
        let Some(before) =
            plan.stages.get(i + 1..).and_then(|rest| rest.iter().map(|s| s.command).filter(|&c| c < k).min())
        else {
            continue;
        };
        let rows = counts.and_then(|c| c.get(i)).map_or(String::new(), |c| format!(": {} -> {} rows", c.0, c.1));
        note.push_str(&format!("      runs before #{before}, as Elasticsearch moves filters down{rows}\n"));
    }
    note
}

/// Plans `text` and renders the plan without running it (the REPL's `.explain`).
pub fn plan_only(engine: &Engine, text: &str) -> Result<String, QueryError> {
    let ast = parse(text)?;
    Ok(render(&ast, text, &engine.plan(text)?, None))
}

fn parse(text: &str) -> Result<Query, QueryError> {
    crate::syntax::parse(text).map_err(|e| QueryError::Query(e.into_iter().map(Into::into).collect()))
}

/// Plans `text`, runs it when the data is there, and renders the explanation.
pub fn explain(engine: &Engine, text: &str) -> Result<String, QueryError> {
    let ast = parse(text)?;
    let plan = engine.plan(text)?;
    let header = format!("{:>2}  {:<71}{:>10} {:>10}\n", "#", "command", "rows in", "rows out");
    match engine.run(plan.clone()) {
        Ok(out) => Ok(header + &render(&ast, text, &out.plan, Some(&out.result.counts))),
        Err(QueryError::Runtime(e)) => Ok(format!("{}(not run: {e})\n", render(&ast, text, &plan, None))),
        Err(e) => Err(e),
    }
}
