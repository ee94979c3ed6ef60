//! `esql explain --event INDEX:LINE`: follows one document through a query — which WHERE
//! conjunct or disjunct removed it (null and false told apart), what each `case()` branch
//! condition was, which group it fell in, and that group's values against the final WHERE.
//!
//! Each step is answered by running a prefix of the query itself, restricted to the
//! document by its `_id`, so the answers come from the engine's own semantics.

use crate::engine::{Engine, QueryError};
use crate::output::rows;
use crate::syntax::{parse, BinaryOp, CommandKind, Expr, ExprKind, Query};

/// The top-level AND conjuncts (or OR disjuncts) of a condition.
fn parts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), l, r) => {
            let mut out = Vec::new();
            for side in [l, r] {
                match &side.kind {
                    ExprKind::Binary(o, ..) if o == op => out.extend(parts(side)),
                    _ => out.push(&**side),
                }
            }
            out
        }
        _ => vec![e],
    }
}

/// Every `case(...)` call inside an expression.
fn cases<'e>(e: &'e Expr, out: &mut Vec<(usize, Vec<&'e Expr>)>) {
    if let ExprKind::Call { name, args, .. } = &e.kind {
        if name.eq_ignore_ascii_case("case") {
            out.push((e.span.start as usize, args.iter().step_by(2).take(args.len() / 2).collect()));
        }
        args.iter().for_each(|a| cases(a, out));
    }
}

struct Tracer<'a> {
    engine: &'a Engine,
    src: &'a str,
    q: Query,
    id: String,
}

impl Tracer<'_> {
    /// The text of commands `0..k` with the document filter after the source command.
    fn prefix(&self, k: usize) -> String {
        let mut cmds: Vec<String> = self.q.commands[..k].iter().map(|c| c.span.text(self.src).to_string()).collect();
        if let Some(first) = cmds.first_mut() {
            let has_meta = first.to_ascii_lowercase().contains(" metadata ");
            first.push_str(if has_meta { ", _id" } else { " METADATA _id" });
        }
        cmds.insert(1, format!("WHERE _id == {}", crate::syntax::quote_string(&self.id)));
        cmds.join("\n| ")
    }

    /// Runs `text` and returns the first row as (column, rendered value).
    fn first_row(&self, text: &str) -> Result<Option<Vec<(String, String)>>, String> {
        let out = self.engine.query(text).map_err(|e| match e {
            QueryError::Query(d) => d.first().map_or_else(String::new, |d| d.message.clone()),
            QueryError::Runtime(e) => e.to_string(),
        })?;
        let cols = out.result.columns.clone();
        Ok(rows(&out.result).first().map(|r| cols.iter().zip(r).map(|(c, v)| (c.name.clone(), v.render())).collect()))
    }

    /// Values of `exprs` for the document just before command `k`.
    fn values_before(&self, k: usize, exprs: &[&Expr]) -> Result<Vec<String>, String> {
        if exprs.is_empty() {
            return Ok(Vec::new());
        }
        let evals: Vec<String> =
            exprs.iter().enumerate().map(|(i, e)| format!("`\u{1}t{i}` = {}", e.span.text(self.src))).collect();
        let text = format!("{}\n| EVAL {}\n| LIMIT 1", self.prefix(k), evals.join(", "));
        let row = self.first_row(&text)?.unwrap_or_default();
        Ok((0..exprs.len())
            .map(|i| row.iter().find(|(n, _)| *n == format!("\u{1}t{i}")).map_or("-".into(), |(_, v)| v.clone()))
            .collect())
    }

    fn line(&self, e: &Expr, value: &str) -> String {
        let text: String = e.span.text(self.src).split_whitespace().collect::<Vec<_>>().join(" ");
        let text =
            if text.chars().count() > 90 { format!("{}…", text.chars().take(89).collect::<String>()) } else { text };
        let verdict = match value {
            "true" => "true",
            "false" => "false  <- removes it",
            "null" => "null   <- removes it (null is not true)",
            _ => value,
        };
        format!("      {text}  =  {verdict}\n")
    }

    fn run(&self) -> Result<String, String> {
        let mut out = String::new();
        if self.first_row(&format!("{}\n| LIMIT 1", self.prefix(1)))?.is_none() {
            return Err(format!("no document with _id {} (use INDEX:LINE, lines counted from 1)", self.id));
        }
        for (k, cmd) in self.q.commands.iter().enumerate().skip(1) {
            let head: String = cmd.span.text(self.src).split_whitespace().take(6).collect::<Vec<_>>().join(" ");
            match &cmd.kind {
                CommandKind::Where(cond) => {
                    let ps = parts(cond);
                    let values = self.values_before(k, &ps)?;
                    let kept = self.first_row(&format!("{}\n| LIMIT 1", self.prefix(k + 1)))?.is_some();
                    out.push_str(&format!("{k:>2} {head} …  {}\n", if kept { "kept" } else { "REMOVED" }));
                    for (p, v) in ps.iter().zip(&values) {
                        out.push_str(&self.line(p, v));
                    }
                    if !kept {
                        return Ok(out);
                    }
                }
                CommandKind::Eval(fields) => {
                    out.push_str(&format!("{k:>2} {head} …\n"));
                    let mut found = Vec::new();
                    fields.iter().for_each(|f| cases(&f.expr, &mut found));
                    for (_, conds) in found {
                        let values = self.values_before(k, &conds)?;
                        for (c, v) in conds.iter().zip(&values) {
                            let mark = if v == "true" { "  <- this branch is taken" } else { "  <- branch not taken" };
                            out.push_str(&format!(
                                "      case branch: {}  =  {v}{mark}\n",
                                c.span.text(self.src).split_whitespace().collect::<Vec<_>>().join(" ")
                            ));
                        }
                    }
                }
                CommandKind::Stats(s) => return self.stats(k, s, &head, out),
                _ => out.push_str(&format!("{k:>2} {head}\n")),
            }
        }
        out.push_str("the document reaches the result\n");
        Ok(out)
    }

    /// The document's group, its aggregates, and the conditions after STATS.
    fn stats(&self, k: usize, s: &crate::syntax::Stats, head: &str, mut out: String) -> Result<String, String> {
        out.push_str(&format!("{k:>2} {head} …\n"));
        let keys: Vec<&Expr> = s.by.iter().map(|f| &f.expr).collect();
        let key_values = self.values_before(k, &keys)?;
        let names: Vec<String> =
            s.by.iter()
                .map(|f| f.name.as_ref().map_or_else(|| f.expr.span.text(self.src).to_string(), |n| n.name.clone()))
                .collect();
        for (n, v) in names.iter().zip(&key_values) {
            out.push_str(&format!("      group {n} = {v}\n"));
        }
        let upto: Vec<&str> = self.q.commands[..=k].iter().map(|c| c.span.text(self.src)).collect();
        let filter: Vec<String> = names
            .iter()
            .zip(&key_values)
            .map(|(n, v)| {
                if v == "null" {
                    format!("{} IS NULL", crate::syntax::quote_name(n))
                } else {
                    format!("to_string({}) == {}", crate::syntax::quote_name(n), crate::syntax::quote_string(v))
                }
            })
            .collect();
        let group_query = format!(
            "{}{}",
            upto.join("\n| "),
            if filter.is_empty() { String::new() } else { format!("\n| WHERE {}", filter.join(" AND ")) }
        );
        if let Some(row) = self.first_row(&format!("{group_query}\n| LIMIT 1"))? {
            for (n, v) in row.iter().filter(|(n, _)| !names.contains(n)) {
                out.push_str(&format!("      {n} = {v}\n"));
            }
        }
        for (j, cmd) in self.q.commands.iter().enumerate().skip(k + 1) {
            if let CommandKind::Where(cond) = &cmd.kind {
                let ps = parts(cond);
                let evals: Vec<String> =
                    ps.iter().enumerate().map(|(i, e)| format!("`\u{1}t{i}` = {}", e.span.text(self.src))).collect();
                let between: Vec<&str> = self.q.commands[k + 1..j].iter().map(|c| c.span.text(self.src)).collect();
                let mid = if between.is_empty() { String::new() } else { format!("\n| {}", between.join("\n| ")) };
                let row = self
                    .first_row(&format!("{group_query}{mid}\n| EVAL {}\n| LIMIT 1", evals.join(", ")))?
                    .unwrap_or_default();
                let head: String = cmd.span.text(self.src).split_whitespace().take(6).collect::<Vec<_>>().join(" ");
                let all_true =
                    (0..ps.len()).all(|i| row.iter().any(|(n, v)| *n == format!("\u{1}t{i}") && v == "true"));
                out.push_str(&format!(
                    "{j:>2} {head} …  {}\n",
                    if all_true { "the group passes: the rule fires" } else { "the group is removed: no alert" }
                ));
                for (i, p) in ps.iter().enumerate() {
                    let v = row
                        .iter()
                        .find(|(n, _)| *n == format!("\u{1}t{i}"))
                        .map_or("-".to_string(), |(_, v)| v.clone());
                    out.push_str(&self.line(p, &v));
                }
            }
        }
        Ok(out)
    }
}

/// Traces the document `index:line` (1-based line) through `src`.
pub fn trace(engine: &Engine, src: &str, event: &str) -> Result<String, String> {
    let (index, line) = event.rsplit_once(':').ok_or("--event takes INDEX:LINE")?;
    let line: u64 = line.parse().map_err(|_| "--event takes INDEX:LINE with a line number".to_string())?;
    let q = parse(src).map_err(|e| e.first().map_or_else(String::new, |d| d.message.clone()))?;
    if !matches!(q.commands.first().map(|c| &c.kind), Some(CommandKind::From(_))) {
        return Err("--event needs a query that starts with FROM".into());
    }
    let tracer = Tracer { engine, src, q, id: format!("{index}:{line}") };
    Ok(format!("document {index}:{line}\n{}", tracer.run()?))
}
