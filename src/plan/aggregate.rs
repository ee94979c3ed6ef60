//! `STATS aggs BY groups`: aggregate calls are found inside each item, computed by one
//! Aggregate stage, and any expression around them is evaluated afterwards.

use super::commands::Planner;
use super::expr::ExprPlanner;
use super::literal::fold;
use super::signature::{return_type, ORDINALS};
use super::{error, AggCall, Aggregate, PlanExpr, PlanKind, Stage, Step};
use crate::diagnostic::Diagnostic;
use crate::functions::aggregate::Factory;
use crate::functions::{self, FunctionDef, Kind};
use crate::syntax::{AggField, Expr, ExprKind, Span, Stats};
use crate::types::{Cell, ColumnDef, EsType, Value};

/// An aggregate call found in an item, with the span it replaces.
struct Found<'q> {
    call: &'q Expr,
}

/// Replaces, outside aggregate calls, every expression written like a key by the key's name.
fn replace_keys(e: &mut Expr, keys: &[(String, String)]) {
    if let ExprKind::Call { name, .. } = &e.kind {
        if functions::lookup(name).is_some_and(|f| f.is_aggregate()) {
            return;
        }
    }
    let text = e.to_string();
    if let Some((_, name)) = keys.iter().find(|(k, _)| *k == text) {
        e.kind = ExprKind::Field(name.clone());
        return;
    }
    e.children_mut().into_iter().for_each(|c| replace_keys(c, keys));
}

fn find_aggregates<'q>(e: &'q Expr, out: &mut Vec<Found<'q>>) {
    if let ExprKind::Call { name, .. } = &e.kind {
        if functions::lookup(name).is_some_and(|f| f.is_aggregate()) {
            out.push(Found { call: e });
            return;
        }
    }
    for child in e.children() {
        find_aggregates(child, out);
    }
}

impl Planner<'_> {
    /// The stages of one STATS command.
    pub fn stats(&self, stats: &Stats, input: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        self.warn_shadowed(stats);
        self.stats_quietly(stats, input, k)
    }

    /// [`Self::stats`] without its warnings.
    pub(super) fn stats_quietly(&self, stats: &Stats, input: &[ColumnDef], k: usize) -> Result<Vec<Stage>, Diagnostic> {
        let with_keys = self.reusing_keys(stats);
        let stats = &with_keys;
        // Named or computed keys are evaluated first, so that aggregates and their filters
        // can refer to them by name (`STATS max(l) BY l = languages`).
        let (mut stages, schema) = self.computed_keys(stats, input, k)?;
        let mut groups = Vec::new();
        let mut group_cols = Vec::new();
        for g in &stats.by {
            let name = self.output_name(g);
            let e = match (&g.name, &g.expr.kind) {
                (None, ExprKind::Field(_)) => self.exprs(&schema).expr(&g.expr)?,
                _ => {
                    let at = schema
                        .iter()
                        .rposition(|c| c.name == name)
                        .ok_or_else(|| error("internal error: lost a key", g.span))?;
                    PlanExpr {
                        kind: PlanKind::Column(at),
                        ty: schema[at].ty,
                        origin: self.exprs(&schema).origin(g.expr.span),
                    }
                }
            };
            if e.ty.is_span() || e.ty == EsType::Unsupported {
                return Err(error(format!("cannot group by [{}] of type [{}]", e.origin.text, e.ty), g.expr.span));
            }
            group_cols.push(ColumnDef::new(name, e.ty));
            groups.push(e);
        }
        let input = schema.as_slice();
        let exprs = self.exprs(input);
        let mut aggs: Vec<AggCall> = Vec::new();
        let mut substitutes = Vec::new();
        for item in &stats.aggs {
            self.collect_calls(item, &exprs, &mut aggs, &mut substitutes)?;
        }
        // Internal schema: one column per aggregate call, then the keys.
        let mut internal: Vec<ColumnDef> =
            aggs.iter().enumerate().map(|(i, a)| ColumnDef::new(format!("\u{0}agg{i}"), a.ty)).collect();
        internal.extend(group_cols.iter().cloned());
        stages.push(Stage { step: Step::Aggregate(Aggregate { groups, aggs }), schema: internal.clone(), command: k });
        let outer = ExprPlanner {
            src: self.src,
            schema: &internal,
            substitute: &substitutes,
            lines: &self.lines,
            constants: None,
        };
        let mut items: Vec<(String, usize)> = Vec::new();
        let mut schema = internal.clone();
        for item in &stats.aggs {
            let name = item
                .field
                .name
                .as_ref()
                .map_or_else(|| item.field.expr.span.text(self.src).to_string(), |n| n.name.clone());
            let e = PlanExpr { ..outer.expr(&item.field.expr)? };
            let col = match e.kind {
                PlanKind::Column(c) => c,
                _ => {
                    let keep: Vec<usize> = (0..schema.len()).collect();
                    schema.push(ColumnDef::new(format!("\u{0}item{}", items.len()), e.ty));
                    stages.push(Stage {
                        step: Step::Eval { exprs: vec![e], keep },
                        schema: schema.clone(),
                        command: k,
                    });
                    schema.len() - 1
                }
            };
            items.retain(|(n, _)| *n != name);
            items.push((name, col));
        }
        items.retain(|(n, _)| !group_cols.iter().any(|g| g.name == *n));
        let key_base = aggs_len(&internal, &group_cols);
        let mut cols: Vec<usize> = items.iter().map(|(_, c)| *c).collect();
        let mut names: Vec<String> = items.into_iter().map(|(n, _)| n).collect();
        for (j, g) in group_cols.iter().enumerate() {
            if let Some(prev) = names.iter().position(|n| *n == g.name) {
                names.remove(prev);
                cols.remove(prev);
            }
            names.push(g.name.clone());
            cols.push(key_base + j);
        }
        let out = cols.iter().zip(names).map(|(&c, n)| ColumnDef::new(n, schema[c].ty)).collect();
        stages.push(Stage { step: Step::Project(cols), schema: out, command: k });
        Ok(stages)
    }

    /// The computed keys of a STATS (`BY l = languages + 1, BUCKET(x, 10.)`), each read from
    /// the STATS input as Elasticsearch resolves groupings (`BY l = l + 1, l = l + 1` reads
    /// the input's `l` twice): evaluated under hidden names, then one projection names them
    /// and drops the input columns they shadow. Returns the stages and the schema after them.
    pub(super) fn computed_keys(
        &self,
        stats: &Stats,
        input: &[ColumnDef],
        k: usize,
    ) -> Result<(Vec<Stage>, Vec<ColumnDef>), Diagnostic> {
        let mut stages = Vec::new();
        let mut schema = input.to_vec();
        let mut named: Vec<(usize, String)> = Vec::new();
        for (j, g) in stats.by.iter().enumerate() {
            if let (None, ExprKind::Field(_)) = (&g.name, &g.expr.kind) {
                continue;
            }
            let e = self.exprs(input).expr(&g.expr)?;
            let keep = (0..schema.len()).collect();
            schema.push(ColumnDef::new(format!("\u{0}key{j}"), e.ty));
            stages.push(Stage { step: Step::Eval { exprs: vec![e], keep }, schema: schema.clone(), command: k });
            named.push((schema.len() - 1, self.output_name(g)));
        }
        if named.is_empty() {
            return Ok((stages, schema));
        }
        let kept = (0..input.len()).filter(|&i| !named.iter().any(|(_, n)| *n == input[i].name));
        let mut cols: Vec<usize> = kept.collect();
        let mut out: Vec<ColumnDef> = cols.iter().map(|&i| input[i].clone()).collect();
        for (col, name) in named {
            cols.push(col);
            out.push(ColumnDef::new(name, schema[col].ty));
        }
        stages.push(Stage { step: Step::Project(cols), schema: out.clone(), command: k });
        Ok((stages, out))
    }

    /// Elasticsearch warns of every output name written again later in the same STATS (keys
    /// after aggregates): `Field 'x' shadowed by field at line 2:26`, once per earlier
    /// occurrence, pointing at the last one, which is the column kept.
    pub(super) fn warn_shadowed(&self, stats: &Stats) {
        let fields = stats.aggs.iter().map(|a| &a.field).chain(&stats.by);
        let named: Vec<(String, u32)> = fields.map(|f| (self.output_name(f), f.span.start)).collect();
        for (j, (name, at)) in named.iter().enumerate() {
            let Some((_, last)) = named[j + 1..].iter().rev().find(|(n, _)| n == name) else { continue };
            let (l1, c1) = self.lines.line_col(self.src, *at as usize);
            let (l2, c2) = self.lines.line_col(self.src, *last as usize);
            let w = format!("Line {l1}:{c1}: Field '{name}' shadowed by field at line {l2}:{c2}");
            self.warnings.borrow_mut().push(w);
        }
    }

    /// An aggregate item may repeat a key's expression outside its aggregate calls (`STATS
    /// s = 1 + BUCKET(x, 10.) BY BUCKET(x, 10.)`): Elasticsearch reads the key there, so the
    /// repeated expression becomes a reference to the key's column.
    pub(super) fn reusing_keys(&self, stats: &Stats) -> Stats {
        let keys: Vec<(String, String)> = stats
            .by
            .iter()
            .filter(|g| !matches!(g.expr.kind, ExprKind::Field(_)))
            .map(|g| (g.expr.to_string(), self.output_name(g)))
            .collect();
        let mut out = stats.clone();
        if !keys.is_empty() {
            out.aggs.iter_mut().for_each(|a| replace_keys(&mut a.field.expr, &keys));
        }
        out
    }

    /// The column name of a STATS item or key: its alias, the field it names, or its text.
    pub(super) fn output_name(&self, f: &crate::syntax::Field) -> String {
        match (&f.name, &f.expr.kind) {
            (Some(n), _) => n.name.clone(),
            (None, ExprKind::Field(name)) => name.clone(),
            (None, _) => f.expr.span.text(self.src).to_string(),
        }
    }

    /// Registers the aggregate calls of one item and how the item refers to them.
    fn collect_calls(
        &self,
        item: &AggField,
        exprs: &ExprPlanner<'_>,
        aggs: &mut Vec<AggCall>,
        substitutes: &mut Vec<((u32, u32), usize, EsType)>,
    ) -> Result<(), Diagnostic> {
        let mut found = Vec::new();
        find_aggregates(&item.field.expr, &mut found);
        if found.is_empty() {
            // An expression over the keys alone is computed after grouping.
            return Ok(());
        }
        let filter = match &item.filter {
            Some(f) => Some(exprs.boolean(f)?),
            None => None,
        };
        for Found { call } in found {
            let agg = self.agg_call(call, exprs, filter.clone())?;
            substitutes.push(((call.span.start, call.span.end), aggs.len(), agg.ty));
            aggs.push(agg);
        }
        Ok(())
    }

    fn agg_call(&self, call: &Expr, exprs: &ExprPlanner<'_>, filter: Option<PlanExpr>) -> Result<AggCall, Diagnostic> {
        let ExprKind::Call { name, args, star } = &call.kind else {
            return Err(error("expected an aggregate function", call.span));
        };
        let func = functions::lookup(name).ok_or_else(|| error(format!("Unknown function [{name}]"), call.span))?;
        let Kind::Aggregate(make, _) = func.kind else {
            return Err(error("expected an aggregate function", call.span));
        };
        for a in args {
            let mut nested = Vec::new();
            find_aggregates(a, &mut nested);
            if let Some(n) = nested.first() {
                let text = n.call.span.text(self.src);
                return Err(error(format!("aggregate function's parameters must be an attribute, literal or a non-aggregate function; found [{text}] which is an aggregate"), n.call.span));
            }
        }
        if *star || (func.name == "count" && args.is_empty()) {
            if func.name != "count" {
                return Err(error(format!("[*] is only allowed in count, not [{name}]"), call.span));
            }
            let origin = exprs.origin(call.span);
            return Ok(AggCall { func, make, args: vec![], filter, arg_ty: EsType::Null, ty: EsType::Long, origin });
        }
        let planned: Vec<PlanExpr> = args.iter().map(|a| exprs.expr(a)).collect::<Result<_, _>>()?;
        let checked = exprs.finish_call(func, planned, call.span)?;
        let PlanKind::Call { args, arg_types, .. } = checked.kind else {
            return Err(error("expected an aggregate function", call.span));
        };
        check_constants(func, &args, call.span.text(self.src), call.span)?;
        let make = if func.name == "weighted_avg" { weighted_avg(&args, make, call, self.src)? } else { make };
        let arg_ty = arg_types.first().copied().unwrap_or(EsType::Null);
        let ty = return_type(func, &arg_types);
        if arg_ty == EsType::Unsupported {
            return Err(error(
                format!("cannot aggregate [{}] of unsupported type", call.span.text(self.src)),
                call.span,
            ));
        }
        Ok(AggCall { func, make, args, filter, arg_ty, ty, origin: checked.origin })
    }
}

/// Elasticsearch's WEIGHTED_AVG: a constant weight of null or 0 is refused; with a constant
/// number or a constant weight it is `SUM(n) / COUNT(n)` (for a constant number, that is its
/// `MV_AVG(n)`).
fn weighted_avg(args: &[PlanExpr], make: Factory, call: &Expr, src: &str) -> Result<Factory, Diagnostic> {
    let constant = |e: &PlanExpr| match &e.kind {
        PlanKind::Literal(c) => Some(c.clone()),
        _ => None,
    };
    let weight = args.get(1).and_then(constant);
    let received = match &weight {
        Some(Cell::Null) => Some("null".to_string()),
        Some(Cell::One(v @ (Value::Int(0) | Value::Long(0)))) => Some(v.render()),
        Some(Cell::One(Value::Double(d))) if *d == 0.0 => Some("0.0".to_string()),
        _ => None,
    };
    if let Some(r) = received {
        let text = call.span.text(src);
        return Err(error(format!("second argument of [{text}] cannot be null or 0, received [{r}]"), call.span));
    }
    if weight.is_some() || args.first().and_then(constant).is_some() {
        return Ok(functions::aggregate::sum_per_count);
    }
    Ok(make)
}

/// Elasticsearch's checks of the constant arguments of TOP and SAMPLE, with its messages:
/// a `limit` is a constant integer above 0, an `order` asc or desc (in any case).
fn check_constants(func: &FunctionDef, args: &[PlanExpr], call: &str, span: Span) -> Result<(), Diagnostic> {
    for (k, (param, arg)) in func.params.iter().zip(args).enumerate() {
        if !matches!(param.name, "limit" | "order") {
            continue;
        }
        let (ordinal, text) = (ORDINALS[k.min(9)], &arg.origin.text);
        let value = match &arg.kind {
            PlanKind::Literal(Cell::One(v)) => Some(v.clone()),
            PlanKind::Literal(_) => None,
            _ => Some(fold(arg).ok_or_else(|| {
                error(format!("{ordinal} argument of [{call}] must be a constant, received [{text}]"), span)
            })?),
        };
        let Some(value) = value else {
            return Err(error(format!("{ordinal} argument of [{call}] cannot be null, received [{text}]"), span));
        };
        match (param.name, value.as_i64(), value.as_str()) {
            ("limit", Some(n), _) if n <= 0 => {
                return Err(error(format!("Limit must be greater than 0 in [{call}], found [{n}]"), span))
            }
            ("order", _, Some(o)) if !o.eq_ignore_ascii_case("asc") && !o.eq_ignore_ascii_case("desc") => {
                let message = format!("Invalid order value in [{call}], expected [ASC, DESC] but got [{o}]");
                return Err(error(message, span));
            }
            _ => {}
        }
    }
    Ok(())
}

fn aggs_len(internal: &[ColumnDef], groups: &[ColumnDef]) -> usize {
    internal.len() - groups.len()
}
