//! One planning step per command: the schema flows from each command to the next.

use super::expr::ExprPlanner;
use super::settings::Unmapped;
use super::signature::unknown_column;
use super::{error, Catalog, LogicalPlan, PlanExpr, SortKey, Source, Stage, Step};
use crate::diagnostic::Diagnostic;
use crate::functions::grok::{Dissect, Extractor, Grok};
use crate::syntax::{
    Command, CommandKind, Expr, ExprKind, Field, Literal, NamePattern, PatternPart, Query, Rename, SortItem,
};
use crate::types::{ColumnDef, EsType};

/// Plans a query command by command.
pub(crate) struct Planner<'a> {
    pub src: &'a str,
    pub lines: crate::diagnostic::LineIndex,
    pub catalog: &'a dyn Catalog,
    /// Warnings of planning itself (`Field 'x' shadowed by field at line 2:26`).
    pub warnings: std::cell::RefCell<Vec<String>>,
    /// `SET unmapped_fields`.
    pub unmapped: Unmapped,
    /// Names no column held, made null columns right after the source (`"nullify"`).
    pub nullified: Vec<String>,
    /// The columns known to hold a constant, as the commands planned so far leave them.
    pub constants: super::constants::Constants,
}

impl<'a> Planner<'a> {
    pub fn new(src: &'a str, catalog: &'a dyn Catalog) -> Planner<'a> {
        Planner {
            src,
            lines: crate::diagnostic::LineIndex::new(src),
            catalog,
            warnings: Default::default(),
            unmapped: Unmapped::Fail,
            nullified: vec![],
            constants: Default::default(),
        }
    }

    pub fn exprs<'s>(&'s self, schema: &'s [ColumnDef]) -> ExprPlanner<'s> {
        ExprPlanner { src: self.src, schema, substitute: &[], lines: &self.lines, constants: Some(&self.constants) }
    }

    pub fn plan(&mut self, q: &Query) -> Result<LogicalPlan, Diagnostic> {
        let Some(first) = q.commands.first() else {
            return Err(Diagnostic::error("empty query", None));
        };
        // Nothing is added below the source command: its unknown names stay errors.
        let (source, source_schema, mut stages) = self.source(first).map_err(|d| Diagnostic { column: None, ..d })?;
        let source_out = stages.last().map_or(&source_schema, |s: &Stage| &s.schema).clone();
        stages.extend(self.nullified_stage(&source_out));
        self.constants.follow(&source_schema, &stages);
        for (k, cmd) in q.commands.iter().enumerate().skip(1) {
            let schema = stages.last().map_or(&source_schema, |s: &Stage| &s.schema).clone();
            super::search_rules::check(&q.commands, k, self.src)?;
            let planned = self.command(cmd, &schema, k).map_err(|d| self.nullifiable(d, &source_out))?;
            self.constants.follow(&schema, &planned);
            stages.extend(planned);
        }
        Ok(LogicalPlan {
            source,
            source_schema,
            stages,
            warnings: self.warnings.take(),
            imposed_cap: None,
            speculation: None,
            nullified: self.nullified.clone(),
        })
    }

    /// The null columns of the names made null, appended to the source's columns as
    /// Elasticsearch does (an EVAL of nulls right above the source).
    fn nullified_stage(&self, schema: &[ColumnDef]) -> Option<Stage> {
        if self.nullified.is_empty() {
            return None;
        }
        let null = |name: &String| PlanExpr {
            kind: super::PlanKind::Literal(crate::types::Cell::Null),
            ty: EsType::Null,
            origin: super::Origin { line: 1, col: 1, text: name.clone() },
        };
        let mut cols = schema.to_vec();
        cols.extend(self.nullified.iter().map(|n| ColumnDef::new(n.clone(), EsType::Null)));
        let step = Step::Eval { exprs: self.nullified.iter().map(null).collect(), keep: (0..schema.len()).collect() };
        Some(Stage { step, schema: cols, command: 0 })
    }

    /// An error naming an unknown column keeps the name only when `"nullify"` may make it a
    /// null column: not when the source has it (a command dropped it on the way). A name
    /// made one already is the caller's to refuse (`plan_with`'s loop).
    fn nullifiable(&self, mut d: Diagnostic, source: &[ColumnDef]) -> Diagnostic {
        let held = |n: &String| source.iter().any(|c| c.name == *n);
        if self.unmapped != Unmapped::Nullify || d.column.as_ref().is_some_and(held) {
            d.column = None;
        }
        d
    }

    fn source(&mut self, cmd: &Command) -> Result<(Source, Vec<ColumnDef>, Vec<Stage>), Diagnostic> {
        match &cmd.kind {
            CommandKind::From(s) | CommandKind::Ts(s) => {
                let mut patterns = Vec::new();
                for ix in &s.indices {
                    if ix.cluster.is_some() {
                        return Err(error("remote clusters are not supported: indices are local files", ix.span));
                    }
                    patterns.push(ix.index.clone());
                }
                let metadata: Vec<String> = s.metadata.iter().map(|m| m.name.clone()).collect();
                for m in &s.metadata {
                    if !crate::plan::METADATA_FIELDS.iter().any(|(n, _)| *n == m.name) {
                        return Err(error(format!("unsupported metadata field [{}]", m.name), m.span));
                    }
                }
                let columns = self.catalog.schema(&patterns, &metadata).map_err(|d| at_span(d, cmd))?;
                let needed = vec![true; columns.len()];
                Ok((
                    Source::From { patterns, columns: columns.clone(), needed, prefilter: Vec::new() },
                    columns,
                    vec![],
                ))
            }
            CommandKind::Row(fields) => Ok((Source::Row(vec![]), vec![], self.eval_fields(fields, &[], 0)?)),
            CommandKind::Show(_) => {
                let cols = ["version", "date", "hash"].iter().map(|n| ColumnDef::new(*n, EsType::Keyword)).collect();
                Ok((Source::ShowInfo, cols, vec![]))
            }
            _ => Err(error("a query must start with FROM, ROW, SHOW or TS", cmd.span)),
        }
    }

    pub(super) fn command(&mut self, cmd: &Command, schema: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        let stage = |step: Step, schema: Vec<ColumnDef>| Stage { step, schema, command: k };
        Ok(match &cmd.kind {
            CommandKind::Where(e) => vec![stage(Step::Where(self.exprs(schema).boolean(e)?), schema.to_vec())],
            CommandKind::Eval(fields) => self.eval_fields(fields, schema, k)?,
            CommandKind::Keep(patterns) => {
                let cols = keep_columns(patterns, schema, self.unmapped)?;
                vec![stage(Step::Project(cols.clone()), cols.iter().map(|&i| schema[i].clone()).collect())]
            }
            CommandKind::Drop(patterns) => {
                let cols = drop_columns(patterns, schema, self.unmapped)?;
                vec![stage(Step::Project(cols.clone()), cols.iter().map(|&i| schema[i].clone()).collect())]
            }
            CommandKind::Rename(items) => {
                let (cols, names) = rename_columns(items, schema)?;
                let out = cols.iter().zip(names).map(|(&i, n)| ColumnDef::new(n, schema[i].ty)).collect();
                vec![stage(Step::Project(cols), out)]
            }
            CommandKind::Sort(items) => vec![stage(Step::Sort(self.sort_keys(items, schema)?), schema.to_vec())],
            CommandKind::Limit(e) => {
                let n = match &e.kind {
                    // LIMIT takes an integer: Elasticsearch refuses a long with its class name.
                    ExprKind::Literal(Literal::Integer(n)) if *n > i64::from(i32::MAX) => {
                        let msg = format!("Invalid value for LIMIT [{n}: Long], expecting a non negative integer");
                        return Err(error(msg, e.span));
                    }
                    ExprKind::Literal(Literal::Integer(n)) => usize::try_from(*n).unwrap_or(usize::MAX),
                    _ => return Err(error("LIMIT needs a whole number", e.span)),
                };
                vec![stage(Step::Limit(n), schema.to_vec())]
            }
            CommandKind::Stats(s) => self.stats(s, schema, k)?,
            CommandKind::InlineStats(s) => self.inline_stats(s, schema, k)?,
            CommandKind::Join(j) => self.lookup_join(j, schema, k)?,
            CommandKind::Enrich(e) => self.enrich(e, schema, cmd.span, k)?,
            CommandKind::Completion(c) => return Err(completion(c, cmd)),
            CommandKind::Fork(branches) => self.fork(branches, schema, k)?,
            CommandKind::ChangePoint(c) => self.change_point(c, schema, cmd.span, k)?,
            CommandKind::Sample(p) => vec![stage(Step::Sample(sample_probability(p)?), schema.to_vec())],
            CommandKind::MvExpand(name) => {
                let idx = schema
                    .iter()
                    .rposition(|c| c.name == name.name)
                    .ok_or_else(|| unknown_column(&name.name, schema, name.span))?;
                vec![stage(Step::MvExpand(idx), schema.to_vec())]
            }
            CommandKind::Grok(g) => {
                let texts = g.patterns.iter().map(string_literal).collect::<Result<Vec<_>, _>>()?;
                let span = g.patterns.first().map_or(cmd.span, |p| p.span);
                let grok = Grok::compile_all(&texts).map_err(|m| error(m, span))?;
                vec![self.extract_stage(&g.input, Extractor::Grok(Box::new(grok)), schema, k)?]
            }
            CommandKind::Dissect(d) => {
                let mut separator = String::new();
                for (name, value) in &d.options {
                    if !name.name.eq_ignore_ascii_case("append_separator") {
                        return Err(error(format!("Invalid option for dissect: [{}]", name.name), name.span));
                    }
                    separator = string_literal(value)?;
                }
                let text = string_literal(&d.pattern)?;
                let dissect = Dissect::compile(&text, &separator).map_err(|m| error(m, d.pattern.span))?;
                vec![self.extract_stage(&d.input, Extractor::Dissect(dissect), schema, k)?]
            }
            other => return Err(unsupported(other, cmd)),
        })
    }

    /// The fields of one EVAL (or ROW): consecutive fields that replace no column share
    /// one stage, whose schema grows in place.
    pub fn eval_fields(&self, fields: &[Field], schema: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        let mut out: Vec<Stage> = Vec::new();
        for f in fields {
            let current = out.last().map_or(schema, |s| s.schema.as_slice());
            let (expr, name) = self.eval_expr(f, current)?;
            // The next fields of this EVAL may need the value as a constant.
            self.constants.assign(&name, &self.exprs(current).through(expr.clone()));
            if current.iter().any(|c| c.name == name) || out.is_empty() {
                let keep: Vec<usize> = (0..current.len()).filter(|&i| current[i].name != name).collect();
                let mut cols: Vec<ColumnDef> = keep.iter().map(|&i| current[i].clone()).collect();
                cols.push(ColumnDef::new(name, expr.ty));
                out.push(Stage { step: Step::Eval { exprs: vec![expr], keep }, schema: cols, command: k });
            } else if let Some(Stage { step: Step::Eval { exprs, .. }, schema: cols, .. }) = out.last_mut() {
                cols.push(ColumnDef::new(name, expr.ty));
                exprs.push(expr);
            }
        }
        Ok(out)
    }

    /// A field's value and column name.
    fn eval_expr(&self, f: &Field, schema: &[ColumnDef]) -> Result<(PlanExpr, String), Diagnostic> {
        let expr = self.exprs(schema).expr(&f.expr)?;
        // A span is a literal only; `_source` is read, kept and passed to JSON_EXTRACT, no more.
        if expr.ty.is_span() || expr.ty == EsType::Source {
            return Err(error(
                format!(
                    "EVAL does not support type [{}] as the return data type of expression [{}]",
                    expr.ty, expr.origin.text
                ),
                f.expr.span,
            ));
        }
        let name = f.name.as_ref().map_or_else(|| f.expr.span.text(self.src).to_string(), |n| n.name.clone());
        Ok((expr, name))
    }

    /// GROK/DISSECT: fields replace same-named columns and are appended in pattern order.
    fn extract_stage(
        &self,
        input: &Expr,
        extractor: Extractor,
        schema: &[ColumnDef],
        k: usize,
    ) -> Result<Stage, Diagnostic> {
        let e = self.exprs(schema).expr(input)?;
        if !e.ty.is_string() && e.ty != EsType::Null {
            return Err(error(
                format!("Input for GROK/DISSECT must be of type [string] but is [{}]", e.ty),
                input.span,
            ));
        }
        let fields = extractor.fields();
        let keep: Vec<usize> =
            (0..schema.len()).filter(|&i| !fields.iter().any(|(n, _)| *n == schema[i].name)).collect();
        let mut out: Vec<ColumnDef> = keep.iter().map(|&i| schema[i].clone()).collect();
        out.extend(fields.iter().map(|(n, t)| ColumnDef::new(n.clone(), *t)));
        Ok(Stage { step: Step::Extract { input: e, extractor, keep }, schema: out, command: k })
    }

    fn sort_keys(&self, items: &[SortItem], schema: &[ColumnDef]) -> Result<Vec<SortKey>, Diagnostic> {
        items
            .iter()
            .map(|it| {
                let expr = self.exprs(schema).expr(&it.expr)?;
                // Shapes, grid cells and documents have no order in Elasticsearch.
                if expr.ty.is_spatial() || expr.ty.is_grid() || expr.ty == EsType::Source {
                    return Err(error(format!("cannot sort on {}", expr.ty), it.expr.span));
                }
                let descending = it.descending.unwrap_or(false);
                Ok(SortKey { expr, descending, nulls_first: it.nulls_first.unwrap_or(descending) })
            })
            .collect()
    }
}

/// The text of a string literal argument.
fn string_literal(e: &Expr) -> Result<String, Diagnostic> {
    match &e.kind {
        ExprKind::Literal(Literal::String(s)) => Ok(s.clone()),
        _ => Err(error("expected a string literal", e.span)),
    }
}

/// A catalog error without a span points at the command.
fn at_span(d: Diagnostic, cmd: &Command) -> Diagnostic {
    if d.span.is_some() {
        return d;
    }
    Diagnostic { span: Some((cmd.span.start as usize, cmd.span.end as usize)), ..d }
}

/// COMPLETION asks an LLM through an Elasticsearch inference endpoint: nothing local can
/// answer it the same way.
fn completion(c: &crate::syntax::Completion, cmd: &Command) -> Diagnostic {
    let id = match c.with.as_ref().map(|w| &w.kind) {
        Some(ExprKind::Map(entries)) => {
            entries.iter().find(|(k, _)| k == "inference_id").and_then(|(_, v)| match &v.kind {
                ExprKind::Literal(Literal::String(s)) => Some(s.clone()),
                _ => None,
            })
        }
        Some(ExprKind::Literal(Literal::String(s))) => Some(s.clone()),
        _ => None,
    };
    let endpoint = id.map_or_else(|| "an inference endpoint".to_string(), |i| format!("the inference endpoint [{i}]"));
    let m = format!("unsupported: COMPLETION needs {endpoint} (a language model behind Elasticsearch), which this local engine does not have");
    error(m, cmd.span)
        .with_hint("run the query up to the COMPLETION here, and the COMPLETION on a cluster with the endpoint")
}

/// `SAMPLE p`: a probability strictly between 0 and 1.
fn sample_probability(e: &Expr) -> Result<f64, Diagnostic> {
    let p = match &e.kind {
        ExprKind::Literal(Literal::Double(d)) => Some(*d),
        ExprKind::Literal(Literal::Integer(n)) => Some(*n as f64),
        _ => None,
    };
    match p {
        Some(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(error(
            format!("invalid value for SAMPLE probability [{}], expecting a number between 0 and 1, exclusive", e),
            e.span,
        )),
    }
}

fn unsupported(kind: &CommandKind, cmd: &Command) -> Diagnostic {
    let name = match kind {
        CommandKind::Dissect(_) => "DISSECT",
        CommandKind::Grok(_) => "GROK",
        _ => "this command",
    };
    error(format!("unsupported: {name} is not implemented yet"), cmd.span)
}

/// Does `name` match the pattern? `*` matches any string, dots included.
pub fn pattern_matches(p: &NamePattern, name: &str) -> bool {
    p.matches(name)
}

fn pattern_rank(p: &NamePattern) -> u8 {
    match (p.has_wildcard(), p.parts.as_slice()) {
        (false, _) => 3,
        (true, [PatternPart::Star]) => 1,
        _ => 2,
    }
}

/// A pattern must match a column, except a wildcard under `SET unmapped_fields`.
fn check_matches(p: &NamePattern, schema: &[ColumnDef], unmapped: Unmapped) -> Result<(), Diagnostic> {
    if schema.iter().any(|c| pattern_matches(p, &c.name)) {
        return Ok(());
    }
    match p.as_name() {
        Some(name) => Err(unknown_column(&name, schema, p.span)),
        None if unmapped == Unmapped::Nullify => Ok(()),
        None => Err(error(format!("No matches found for pattern [{p}]"), p.span)),
    }
}

/// KEEP: each column belongs to its highest-ranked (then rightmost) matching pattern and
/// appears where that pattern stands, in input order within the pattern.
fn keep_columns(patterns: &[NamePattern], schema: &[ColumnDef], unmapped: Unmapped) -> Result<Vec<usize>, Diagnostic> {
    for p in patterns {
        check_matches(p, schema, unmapped)?;
    }
    let owner: Vec<Option<usize>> = schema
        .iter()
        .map(|c| {
            let matching = patterns.iter().enumerate().filter(|(_, p)| pattern_matches(p, &c.name));
            matching.max_by_key(|(k, p)| (pattern_rank(p), *k)).map(|(k, _)| k)
        })
        .collect();
    let owner = &owner;
    Ok((0..patterns.len()).flat_map(|k| (0..schema.len()).filter(move |&i| owner[i] == Some(k))).collect())
}

fn drop_columns(patterns: &[NamePattern], schema: &[ColumnDef], unmapped: Unmapped) -> Result<Vec<usize>, Diagnostic> {
    for p in patterns {
        check_matches(p, schema, unmapped)?;
    }
    Ok((0..schema.len()).filter(|&i| !patterns.iter().any(|p| pattern_matches(p, &schema[i].name))).collect())
}

/// RENAME, applied one clause after another: the renamed column keeps its place and a
/// column already holding the new name is dropped.
fn rename_columns(items: &[Rename], schema: &[ColumnDef]) -> Result<(Vec<usize>, Vec<String>), Diagnostic> {
    let mut cols: Vec<(usize, String)> = schema.iter().enumerate().map(|(i, c)| (i, c.name.clone())).collect();
    for r in items {
        let current: Vec<ColumnDef> = cols.iter().map(|(i, n)| ColumnDef::new(n.clone(), schema[*i].ty)).collect();
        let Some(pos) = cols.iter().rposition(|(_, n)| *n == r.old.name) else {
            return Err(unknown_column(&r.old.name, &current, r.old.span));
        };
        cols[pos].1 = r.new.name.clone();
        let mut k = 0;
        cols.retain(|(_, n)| {
            let keep = k == pos || *n != r.new.name;
            k += 1;
            keep
        });
    }
    Ok(cols.into_iter().unzip())
}
