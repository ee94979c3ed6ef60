//! The pipe as nested SELECTs: one level per step, columns named by position (`c0`, `c1`
//! ...), the sort keys of a SORT carried along as hidden columns (`_s0` ...) until a LIMIT
//! or the last SELECT orders by them.

use super::expr::Lower;
use super::extract::Pattern;
use super::{Col, Dialect, Refusal, Shape, SourceIndex};
use crate::functions::grok::{Extractor, JavaCapture};
use crate::plan::{Aggregate, LogicalPlan, PlanExpr, SortKey, Source, Step};
use crate::types::{ColumnDef, EsType};

/// The statement so far.
pub(super) struct Builder {
    d: Dialect,
    sql: String,
    cols: Vec<Col>,
    /// Hidden sort-key columns and the ORDER BY over them, while a SORT is in effect.
    order: Option<(Vec<String>, String)>,
    level: usize,
    /// The levels before this one, as `sN AS (...)`.
    ctes: Vec<String>,
}

/// Types a Parquet column can hold that the translation reads.
fn readable(ty: EsType) -> bool {
    use EsType::*;
    matches!(ty, Keyword | Text | Ip | Date | Long | Integer | Double | Boolean | Null)
}

impl Builder {
    /// The FROM (or ROW) as the first SELECT.
    pub fn source(plan: &LogicalPlan, sources: &[SourceIndex], d: Dialect) -> Result<Builder, Refusal> {
        match &plan.source {
            Source::From { columns, needed, .. } => Self::from(columns, needed, sources, d),
            Source::Row(cells) => {
                let lower = Lower { d, cols: &[] };
                let mut items = Vec::new();
                let mut cols = Vec::new();
                for (k, (cell, c)) in cells.iter().zip(&plan.source_schema).enumerate() {
                    let v = lower.literal(cell, c.ty, &Default::default())?;
                    items.push(format!("{} AS c{k}", v.text));
                    cols.push(Col { ty: c.ty, shape: v.shape });
                }
                let list = if items.is_empty() { "1 AS _unit".to_string() } else { items.join(", ") };
                let sql = format!("SELECT {list}");
                Ok(Builder { d, sql, cols, order: None, level: 0, ctes: Vec::new() })
            }
            Source::ShowInfo => Err(Refusal::new("SHOW INFO")),
        }
    }

    fn from(columns: &[ColumnDef], needed: &[bool], sources: &[SourceIndex], d: Dialect) -> Result<Builder, Refusal> {
        if sources.is_empty() {
            return Err(Refusal::new("a FROM that matches no index"));
        }
        let mut cols = Vec::new();
        for (c, &need) in columns.iter().zip(needed) {
            let meta = crate::io::catalog::is_metadata_field(&c.name);
            if need && meta && !matches!(c.name.as_str(), "_index" | "_id" | "_version") {
                return Err(Refusal::new(format!("metadata field {}", c.name)));
            }
            if need && !readable(c.ty) {
                return Err(Refusal::new(format!("field {} of type {}", c.name, c.ty.name())));
            }
            let shape = if meta { Shape::One } else { Shape::Many };
            // A column nothing reads is left out of the SELECTs (marked unsupported).
            cols.push(Col { ty: if need { c.ty } else { EsType::Unsupported }, shape });
        }
        let selects: Vec<String> = sources.iter().map(|s| index_select(d, s, columns, &cols)).collect();
        let sql = selects.join("\n  UNION ALL\n  ");
        Ok(Builder { d, sql, cols, order: None, level: 0, ctes: Vec::new() })
    }

    /// One step as one or more SELECT levels.
    pub fn stage(&mut self, step: &Step) -> Result<(), Refusal> {
        match step {
            Step::Where(e) => {
                let cond = self.lower().one(e)?;
                let sql = format!("SELECT * FROM {} WHERE {cond}", self.next_level());
                self.wrap(&sql);
            }
            Step::Eval { exprs, keep } => self.eval(exprs, keep)?,
            Step::Project(cols) => self.project(cols),
            Step::Sort(keys) => self.sort(keys)?,
            Step::Limit(n) => self.limit(*n),
            Step::Aggregate(a) => self.aggregate(a)?,
            Step::MvExpand(k) => self.mv_expand(*k),
            Step::Extract { input, extractor, keep } if self.d == Dialect::Spark => {
                self.extract(input, extractor, keep)?
            }
            Step::Extract { extractor, .. } => return Err(Refusal::new(extractor_name(extractor))),
            Step::InlineStats(_) => return Err(Refusal::new("INLINE STATS")),
            Step::LookupJoin(_) => return Err(Refusal::new("LOOKUP JOIN")),
            Step::Enrich(_) => return Err(Refusal::new("ENRICH")),
            Step::Sample(_) => return Err(Refusal::new("SAMPLE")),
            Step::Fork(_) => return Err(Refusal::new("FORK")),
            Step::ChangePoint(_) => return Err(Refusal::new("CHANGE_POINT")),
        }
        Ok(())
    }

    /// EVAL: the kept columns, then each value appended on its own level.
    fn eval(&mut self, exprs: &[PlanExpr], keep: &[usize]) -> Result<(), Refusal> {
        // The first value reads the step's input; the later ones the output so far.
        let Some((first, rest)) = exprs.split_first() else {
            self.project(keep);
            return Ok(());
        };
        let v = self.lower().expr(first)?;
        let mut items: Vec<String> = self.kept(keep);
        items.push(format!("{} AS c{}", v.text, keep.len()));
        let sql = format!("SELECT {}{} FROM {}", items.join(", "), self.hidden(), self.next_level());
        self.wrap(&sql);
        self.cols = keep.iter().map(|&k| self.cols[k]).collect();
        self.cols.push(Col { ty: first.ty, shape: v.shape });
        for e in rest {
            let v = self.lower().expr(e)?;
            let k = self.cols.len();
            let sql = format!("SELECT *, {} AS c{k} FROM {}", v.text, self.next_level());
            self.wrap(&sql);
            self.cols.push(Col { ty: e.ty, shape: v.shape });
        }
        Ok(())
    }

    pub(super) fn lower(&self) -> Lower<'_> {
        Lower { d: self.d, cols: &self.cols }
    }

    /// The previous level as the next common table expression; its name.
    fn next_level(&mut self) -> String {
        self.level += 1;
        let name = format!("s{}", self.level);
        self.ctes.push(format!("{name} AS (\n  {}\n)", self.sql));
        name
    }

    fn wrap(&mut self, sql: &str) {
        self.sql = sql.to_string();
    }

    /// The hidden columns to carry, as a SELECT list suffix.
    fn hidden(&self) -> String {
        self.order.as_ref().map(|(h, _)| h.iter().map(|n| format!(", {n}")).collect()).unwrap_or_default()
    }

    /// Column `i` as a SELECT reads it (a column nothing reads was never selected).
    fn col(&self, i: usize) -> String {
        if self.cols[i].ty == EsType::Unsupported {
            "NULL".to_string()
        } else {
            format!("c{i}")
        }
    }

    /// The SELECT items that keep these input columns as the first output columns.
    fn kept(&self, keep: &[usize]) -> Vec<String> {
        keep.iter().enumerate().map(|(i, &k)| format!("{} AS c{i}", self.col(k))).collect()
    }

    fn project(&mut self, keep: &[usize]) {
        let items = self.kept(keep);
        let list = if items.is_empty() { "1 AS _unit".to_string() } else { items.join(", ") };
        let sql = format!("SELECT {list}{} FROM {}", self.hidden(), self.next_level());
        self.wrap(&sql);
        self.cols = keep.iter().map(|&k| self.cols[k]).collect();
    }

    fn sort(&mut self, keys: &[SortKey]) -> Result<(), Refusal> {
        let mut items = Vec::new();
        let mut order = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let v = self.lower().expr(&k.expr)?;
            // A multi-value sorts by its least value ascending, its greatest descending.
            let text = match v.shape {
                Shape::One => v.text,
                Shape::Many => self.d.array_min_max(&v.text, k.descending),
            };
            let name = format!("_s{}_{i}", self.level);
            items.push(format!("{text} AS {name}"));
            let dir = if k.descending { "DESC" } else { "ASC" };
            let nulls = if k.nulls_first { "FIRST" } else { "LAST" };
            order.push((name, format!("{dir} NULLS {nulls}")));
        }
        // The new keys come first; the previous order breaks their ties, as a stable sort.
        let (mut hidden, mut by): (Vec<String>, Vec<String>) =
            order.iter().map(|(n, o)| (n.clone(), format!("{n} {o}"))).unzip();
        if let Some((h, o)) = self.order.take() {
            hidden.extend(h);
            by.push(o);
        }
        let sql = format!("SELECT *, {} FROM {}", items.join(", "), self.next_level());
        self.wrap(&sql);
        self.order = Some((hidden, by.join(", ")));
        Ok(())
    }

    /// DISSECT and GROK as a Java regex (Spark's RLIKE, regexp_extract and regexp_instr
    /// read Java's syntax; RE2, DuckDB's, has no atomic groups nor lookarounds): the fields
    /// appended to the kept columns (`sql/extract.rs`).
    fn extract(&mut self, input: &PlanExpr, extractor: &Extractor, keep: &[usize]) -> Result<(), Refusal> {
        let every = |fields: Vec<usize>| fields.into_iter().map(|field| JavaCapture { field, always: true }).collect();
        let (re, captures, grok) = match extractor {
            Extractor::Dissect(d) => d.java_regex().map(|(re, fields)| (re, every(fields), false)),
            Extractor::Grok(g) => g.java_regex().map(|(re, captures)| (re, captures, true)),
        }
        .ok_or_else(|| match extractor {
            Extractor::Dissect(_) => Refusal::at("DISSECT with append keys (+) or two keys in a row", &input.origin),
            Extractor::Grok(_) => Refusal::at(
                "GROK with regex syntax Java reads differently, or an optional capture that may be empty",
                &input.origin,
            ),
        })?;
        let value = self.lower().expr(input)?;
        let pattern = Pattern { d: self.d, re: self.d.string(&re), captures, grok };
        let mut items: Vec<String> = self.kept(keep);
        let mut cols: Vec<Col> = keep.iter().map(|&k| self.cols[k]).collect();
        for (f, (_, ty)) in extractor.fields().iter().enumerate() {
            let (text, shape) = pattern.field(&value, f, *ty);
            items.push(format!("{text} AS c{}", cols.len()));
            cols.push(Col { ty: *ty, shape });
        }
        let sql = format!("SELECT {}{} FROM {}", items.join(", "), self.hidden(), self.next_level());
        self.wrap(&sql);
        self.cols = cols;
        Ok(())
    }

    fn limit(&mut self, n: usize) {
        let order = self.order.as_ref().map(|(_, o)| format!(" ORDER BY {o}")).unwrap_or_default();
        let sql = format!("SELECT * FROM {}{order} LIMIT {n}", self.next_level());
        self.wrap(&sql);
    }

    fn mv_expand(&mut self, k: usize) {
        if self.cols[k].shape == Shape::One {
            return;
        }
        let items: Vec<String> = (0..self.cols.len())
            .map(|i| {
                if i == k {
                    format!("{} AS c{i}", self.d.explode(&format!("c{i}")))
                } else {
                    format!("{} AS c{i}", self.col(i))
                }
            })
            .collect();
        let sql = format!("SELECT {}{} FROM {}", items.join(", "), self.hidden(), self.next_level());
        self.wrap(&sql);
        self.cols[k].shape = Shape::One;
    }

    fn aggregate(&mut self, a: &Aggregate) -> Result<(), Refusal> {
        // Keys first, each multi-valued one exploded on its own level (one generator per
        // SELECT in Spark).
        let mut keys = Vec::new();
        for (i, g) in a.groups.iter().enumerate() {
            let v = self.lower().expr(g)?;
            let name = format!("_g{}_{i}", self.level);
            // A row counts once in each group of its distinct values (ES dedupes a
            // multi-value before hashing it).
            let text = match v.shape {
                Shape::One => v.text,
                Shape::Many => self.d.explode(&self.d.distinct(&v.text)),
            };
            let sql = format!("SELECT *, {text} AS {name} FROM {}", self.next_level());
            self.wrap(&sql);
            keys.push((name, Col { ty: g.ty, shape: Shape::One }));
        }
        let mut items = Vec::new();
        let mut cols = Vec::new();
        for (i, call) in a.aggs.iter().enumerate() {
            let (text, shape) = self.lower().aggregate(call)?;
            items.push(format!("{text} AS x{i}"));
            cols.push(Col { ty: call.ty, shape });
        }
        for (j, (name, col)) in keys.iter().enumerate() {
            items.push(format!("{name} AS x{}", a.aggs.len() + j));
            cols.push(*col);
        }
        let group = if keys.is_empty() {
            String::new()
        } else {
            format!(" GROUP BY {}", keys.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "))
        };
        let sql = format!("SELECT {} FROM {}{group}", items.join(", "), self.next_level());
        self.wrap(&sql);
        // Named apart from the input's columns first: an output alias equal to an input
        // column's name would shadow it inside the aggregates (DuckDB).
        let renamed: Vec<String> = (0..cols.len()).map(|i| format!("x{i} AS c{i}")).collect();
        let sql = format!("SELECT {} FROM {}", renamed.join(", "), self.next_level());
        self.wrap(&sql);
        self.cols = cols;
        self.order = None;
        Ok(())
    }

    /// The last SELECT: ES|QL's column names, dates as timestamps, IPs as text, the order of
    /// the SORT in effect and the implicit LIMIT.
    pub fn finish(mut self, schema: &[ColumnDef], cap: Option<usize>) -> String {
        let d = self.d;
        let items: Vec<String> = schema
            .iter()
            .zip(&self.cols)
            .enumerate()
            .map(|(k, (c, col))| format!("{} AS {}", output(d, &format!("c{k}"), *col), d.ident(&c.name)))
            .collect();
        let list = if items.is_empty() { "1 AS _unit".to_string() } else { items.join(", ") };
        let order = self.order.as_ref().map(|(_, o)| format!(" ORDER BY {o}")).unwrap_or_default();
        let limit = cap.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
        let from = self.next_level();
        format!("WITH {}\nSELECT {list}\nFROM {from}{order}{limit}", self.ctes.join(",\n"))
    }
}

/// A column's values as output: timestamps for dates, Elasticsearch's text for IPs.
fn output(d: Dialect, c: &str, col: Col) -> String {
    let one = |v: &str| match col.ty {
        EsType::Date => d.timestamp_of(v),
        EsType::Ip => super::ip::text(d, v),
        _ => v.to_string(),
    };
    match (col.shape, col.ty) {
        (_, t) if t != EsType::Date && t != EsType::Ip => c.to_string(),
        (Shape::One, _) => one(c),
        (Shape::Many, _) => d.map(c, "o_v", &one("o_v")),
    }
}

/// One index's SELECT: its fields as the union's columns, in the layout the rest reads
/// (arrays of epoch milliseconds for dates, of hex keys for IPs); fields it lacks as nulls.
fn index_select(d: Dialect, s: &SourceIndex, columns: &[ColumnDef], cols: &[Col]) -> String {
    let items: Vec<String> = columns
        .iter()
        .zip(cols)
        .enumerate()
        .filter(|(_, (_, col))| col.ty != EsType::Unsupported)
        .map(|(k, (c, col))| {
            match c.name.as_str() {
                "_index" => return format!("{} AS c{k}", d.string(&s.metadata_name)),
                // As this engine reads a Parquet file without ids: INDEX:ROW, from 1.
                "_id" => {
                    let row = format!("CAST({} + 1 AS {})", d.row_index(), d.scalar_type(EsType::Keyword));
                    return format!("{} AS c{k}", d.concat(&[d.string(&format!("{}:", s.metadata_name)), row]));
                }
                "_version" => return format!("CAST(1 AS BIGINT) AS c{k}"),
                _ => {}
            }
            let present = s.fields.get(&c.name).is_some_and(|&t| t == col.ty && t != EsType::Null);
            if col.ty == EsType::Null || !present {
                let ty = if col.shape == Shape::One { d.scalar_type(col.ty).to_string() } else { d.array_type(col.ty) };
                return format!("CAST(NULL AS {ty}) AS c{k}");
            }
            let f = d.ident(&c.name);
            let v = match col.ty {
                EsType::Date => d.map(&f, "s_v", &d.millis_of("s_v")),
                EsType::Ip => d.map(&f, "s_v", &super::ip::parse(d, "s_v")),
                _ => f,
            };
            format!("{v} AS c{k}")
        })
        .collect();
    // `count(*)` alone reads no column, but a SELECT lists at least one.
    let list = if items.is_empty() { "1 AS _unit".to_string() } else { items.join(", ") };
    let row_index = columns.iter().zip(cols).any(|(c, col)| c.name == "_id" && col.ty != EsType::Unsupported);
    format!("SELECT {list} FROM {}", d.parquet(&s.uri, row_index))
}

fn extractor_name(e: &crate::functions::grok::Extractor) -> &'static str {
    match e {
        crate::functions::grok::Extractor::Dissect(_) => "DISSECT",
        crate::functions::grok::Extractor::Grok(_) => "GROK",
    }
}
