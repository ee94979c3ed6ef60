//! Syntax tree to logical plan: names, types and function signatures resolved once, with
//! errors that point at the query text.
//!
//! ES|QL is a pipe, so the plan is one too: a [`Source`] followed by [`Stage`]s, each with
//! the schema it produces and the index of the query command it came from.

mod aggregate;
mod change_point;
mod commands;
mod constants;
mod disjunction;
mod doc_values;
mod enrich;
mod expr;
mod filters;
mod fork;
mod inline_stats;
mod join;
mod literal;
mod liveness;
pub mod multi;
mod pushdown;
mod search;
mod search_options;
mod search_rules;
pub mod settings;
mod signature;
mod steps;
pub mod time_functions;

use crate::diagnostic::Diagnostic;
use crate::functions::FunctionDef;
use crate::syntax::{Query, Span};
use crate::types::{Cell, ColumnDef, EsType};

pub use expr::TypeCheck;
pub use filters::combined_after;
pub use pushdown::{PushTest, Pushdown};
pub use signature::closest;
pub use steps::{ChangePoint, Enrich, Fork, InlineStats, LookupJoin};

/// Where an expression came from: for warnings (`Line 3:14: evaluation of [...] failed`)
/// and for naming unnamed columns.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Origin {
    /// 1-based line of the expression's start.
    pub line: u32,
    /// 1-based column (characters) of the expression's start.
    pub col: u32,
    /// The exact source text.
    pub text: String,
}

/// A resolved expression: what to compute, its type, and where it came from.
#[derive(Clone, Debug)]
pub struct PlanExpr {
    /// What to compute.
    pub kind: PlanKind,
    /// The element type of the result.
    pub ty: EsType,
    /// Source location and text.
    pub origin: Origin,
}

/// Resolved expression forms.
#[derive(Clone, Debug)]
pub enum PlanKind {
    /// An input column, by position.
    Column(usize),
    /// A constant.
    Literal(Cell<'static>),
    /// A scalar function or operator.
    Call {
        /// The function.
        func: &'static FunctionDef,
        /// Its arguments.
        args: Vec<PlanExpr>,
        /// The argument types (after implicit casts).
        arg_types: Vec<EsType>,
    },
    /// `case(c1, v1, ..., [default])`, evaluated lazily.
    Case(Vec<PlanExpr>),
    /// Three-valued AND.
    And(Box<PlanExpr>, Box<PlanExpr>),
    /// Three-valued OR.
    Or(Box<PlanExpr>, Box<PlanExpr>),
    /// Three-valued NOT.
    Not(Box<PlanExpr>),
    /// `IS NULL` (or `IS NOT NULL` when the flag is set): never a warning.
    IsNull(Box<PlanExpr>, bool),
    /// `x IN (list)`.
    In(Box<PlanExpr>, Vec<PlanExpr>),
    /// `x LIKE/RLIKE patterns`: Lucene wildcards or regexes, matching the whole string.
    Like(Box<PlanExpr>, crate::functions::lucene::Matcher),
    /// Full-text search (`KQL(...)`, `MATCH(...)`, `field: text`): the query's field slots
    /// are the columns listed; true or false, never null.
    Search(Box<crate::search::Query<usize>>, Vec<PlanExpr>),
}

impl PlanExpr {
    /// The input column this expression reads as it is: a column reference, or a function
    /// that is the identity on its argument's type (`to_ip` of an IP column) of one.
    pub fn read_column(&self) -> Option<usize> {
        use crate::functions::ColumnKernel;
        let e = match &self.kind {
            PlanKind::Call { func, args, .. }
                if func.column == Some(ColumnKernel::Identity) && args.len() == 1 && args[0].ty == self.ty =>
            {
                &args[0]
            }
            _ => self,
        };
        match e.kind {
            PlanKind::Column(i) => Some(i),
            _ => None,
        }
    }

    /// The expressions directly inside this one: the one walk that liveness, constant
    /// folding and the kernels share.
    pub fn children(&self) -> Vec<&PlanExpr> {
        match &self.kind {
            PlanKind::Call { args, .. } | PlanKind::Case(args) => args.iter().collect(),
            PlanKind::And(a, b) | PlanKind::Or(a, b) => vec![a, b],
            PlanKind::Not(x) | PlanKind::IsNull(x, _) | PlanKind::Like(x, _) => vec![x],
            PlanKind::In(x, list) => std::iter::once(&**x).chain(list).collect(),
            PlanKind::Search(_, columns) => columns.iter().collect(),
            PlanKind::Column(_) | PlanKind::Literal(_) => vec![],
        }
    }

    /// The operands of a chain of ANDs (`and`) or ORs, in order; any other expression is
    /// its own single operand.
    pub fn into_operands(self, and: bool, out: &mut Vec<PlanExpr>) {
        match self.kind {
            PlanKind::And(a, b) if and => {
                a.into_operands(and, out);
                b.into_operands(and, out);
            }
            PlanKind::Or(a, b) if !and => {
                a.into_operands(and, out);
                b.into_operands(and, out);
            }
            kind => out.push(PlanExpr { kind, ..self }),
        }
    }

    /// The same, to rewrite them.
    pub fn children_mut(&mut self) -> Vec<&mut PlanExpr> {
        match &mut self.kind {
            PlanKind::Call { args, .. } | PlanKind::Case(args) => args.iter_mut().collect(),
            PlanKind::And(a, b) | PlanKind::Or(a, b) => vec![a, b],
            PlanKind::Not(x) | PlanKind::IsNull(x, _) | PlanKind::Like(x, _) => vec![x],
            PlanKind::In(x, list) => std::iter::once(&mut **x).chain(list).collect(),
            PlanKind::Search(_, columns) => columns.iter_mut().collect(),
            PlanKind::Column(_) | PlanKind::Literal(_) => vec![],
        }
    }
}

impl Debug for FunctionDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)
    }
}

use std::fmt::Debug;

/// Where rows come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// `FROM patterns [METADATA ...]`: the union schema of the matched indices.
    From {
        /// Index patterns as written (`logs-*`, `-logs-test`, `.alerts-*`).
        patterns: Vec<String>,
        /// Every column of the union schema, metadata included.
        columns: Vec<ColumnDef>,
        /// Which columns the query reads (the others need not be decoded).
        needed: Vec<bool>,
        /// What the scan can filter itself: each test must pass.
        prefilter: Vec<Pushdown>,
    },
    /// `ROW a = 1, ...`: one row of constants.
    Row(Vec<Cell<'static>>),
    /// `SHOW INFO`.
    ShowInfo,
}

/// One processing step.
#[derive(Clone, Debug)]
pub enum Step {
    /// Keep rows where the condition is true.
    Where(PlanExpr),
    /// Keep the listed input columns, then append one computed column per expression. The
    /// first expression reads the input; each later one reads the kept columns and those
    /// appended before it (a prefix of the output). The fields of one EVAL share a step
    /// until one replaces a column: a step per field would copy the schema once per field
    /// (an EVAL of thousands of fields took gigabytes).
    Eval {
        /// The values, in order.
        exprs: Vec<PlanExpr>,
        /// Input columns kept, in order (a shadowed column is left out).
        keep: Vec<usize>,
    },
    /// Output column k is input column `cols[k]` (KEEP, DROP, RENAME).
    Project(Vec<usize>),
    /// Order rows.
    Sort(Vec<SortKey>),
    /// At most this many rows.
    Limit(usize),
    /// `STATS`: aggregates then group keys.
    Aggregate(Aggregate),
    /// `INLINE STATS`: every input row, with its group's aggregates.
    InlineStats(Box<InlineStats>),
    /// `LOOKUP JOIN`: each row with the matching rows of a lookup index.
    LookupJoin(Box<LookupJoin>),
    /// `ENRICH`: each row with the enrich fields of the documents its value matches.
    Enrich(Box<Enrich>),
    /// `SAMPLE p`: each row kept with probability p.
    Sample(f64),
    /// `FORK`: every branch over the same rows, their results one after the other.
    Fork(Box<Fork>),
    /// `CHANGE_POINT`: the rows by key, the change point of a value's series marked.
    ChangePoint(Box<ChangePoint>),
    /// One row per value of this column.
    MvExpand(usize),
    /// GROK / DISSECT: keeps `keep` and appends the pattern's fields.
    Extract {
        /// The text to take apart.
        input: PlanExpr,
        /// The compiled pattern.
        extractor: crate::functions::grok::Extractor,
        /// Input columns kept (those a field of the pattern replaces are dropped).
        keep: Vec<usize>,
    },
}

impl Step {
    /// The expressions of this step, to rewrite them.
    pub fn exprs_mut(&mut self) -> Vec<&mut PlanExpr> {
        match self {
            Step::Where(e) | Step::Extract { input: e, .. } => vec![e],
            Step::Eval { exprs, .. } => exprs.iter_mut().collect(),
            Step::Sort(keys) => keys.iter_mut().map(|k| &mut k.expr).collect(),
            Step::Aggregate(a) => {
                let calls = a.aggs.iter_mut().flat_map(|c| c.args.iter_mut().chain(c.filter.as_mut()));
                a.groups.iter_mut().chain(calls).collect()
            }
            Step::InlineStats(s) => s.stats.iter_mut().flat_map(|st| st.step.exprs_mut()).collect(),
            Step::Fork(f) => f.branches.iter_mut().flatten().flat_map(|st| st.step.exprs_mut()).collect(),
            Step::Project(_)
            | Step::Limit(_)
            | Step::MvExpand(_)
            | Step::LookupJoin(_)
            | Step::Enrich(_)
            | Step::Sample(_)
            | Step::ChangePoint(_) => vec![],
        }
    }
}

/// A SORT key.
#[derive(Clone, Debug)]
pub struct SortKey {
    /// The key.
    pub expr: PlanExpr,
    /// DESC.
    pub descending: bool,
    /// Nulls before values.
    pub nulls_first: bool,
}

/// `STATS aggs BY groups`; output columns are the aggregates then the keys.
#[derive(Clone, Debug)]
pub struct Aggregate {
    /// Group keys.
    pub groups: Vec<PlanExpr>,
    /// Aggregate calls.
    pub aggs: Vec<AggCall>,
}

/// One aggregate function applied in each group.
#[derive(Clone, Debug)]
pub struct AggCall {
    /// The aggregate function.
    pub func: &'static FunctionDef,
    /// Makes one accumulator per group.
    pub make: crate::functions::aggregate::Factory,
    /// Its arguments, evaluated per row (empty for `count(*)`).
    pub args: Vec<PlanExpr>,
    /// `WHERE` filter of this aggregate.
    pub filter: Option<PlanExpr>,
    /// The argument's type.
    pub arg_ty: EsType,
    /// The result type.
    pub ty: EsType,
    /// Where the call is written, for the warnings of groups whose result fails.
    pub origin: Origin,
}

/// A step with the schema it produces.
#[derive(Clone, Debug)]
pub struct Stage {
    /// What the step does.
    pub step: Step,
    /// Its output columns.
    pub schema: Vec<ColumnDef>,
    /// Index of the query command this stage implements (0 is the source command).
    pub command: usize,
}

/// A planned query.
#[derive(Clone, Debug)]
pub struct LogicalPlan {
    /// The source command.
    pub source: Source,
    /// Its output columns.
    pub source_schema: Vec<ColumnDef>,
    /// The processing steps in order.
    pub stages: Vec<Stage>,
    /// Warnings found while planning, reported before those of the run.
    pub warnings: Vec<String>,
    /// The result's cap when it is not the query's own final LIMIT: the implicit LIMIT of a
    /// query without one, or the row cap that lowered the LIMIT written.
    pub imposed_cap: Option<usize>,
    /// Set when some indices were planned from a sample of their documents.
    pub speculation: Option<std::sync::Arc<Speculation>>,
    /// The names no column held that `SET unmapped_fields="nullify"` made null columns.
    pub nullified: Vec<String>,
}

/// A plan made from samples of some indices' documents rather than all their fields, for a
/// query that reads only columns it names: the run checks the documents agree (see
/// `io::scan::watch`), and plans the query again, with every field, when they do not.
#[derive(Debug)]
pub struct Speculation {
    /// The indices planned from their samples.
    pub sampled: Vec<String>,
    /// The query (parameters bound) and its text, to plan again.
    pub query: Query,
    /// Its text.
    pub text: String,
    /// The filter it was planned with.
    pub filter: Option<crate::search::Query<String>>,
}

impl LogicalPlan {
    /// The columns of the result.
    pub fn schema(&self) -> &[ColumnDef] {
        self.stages.last().map_or(&self.source_schema, |s| &s.schema)
    }
}

/// What planning needs to know about the data: the union schema of index patterns.
pub trait Catalog {
    /// The columns of the indices matching `patterns` (sorted by name), with `metadata`
    /// fields appended; an error message when nothing matches.
    fn schema(&self, patterns: &[String], metadata: &[String]) -> Result<Vec<ColumnDef>, Diagnostic>;

    /// The name and columns of the one index `pattern` names for a LOOKUP JOIN; an error
    /// (without a span) when it names none, several, or one not in lookup mode.
    fn lookup(&self, pattern: &str) -> Result<(String, Vec<ColumnDef>), Diagnostic>;

    /// The enrich policy `name`; an error (without a span) when there is none.
    fn enrich(&self, name: &str) -> Result<EnrichPolicy, Diagnostic>;
}

/// An enrich policy as the planner needs it.
#[derive(Clone, Debug)]
pub struct EnrichPolicy {
    /// `range` rather than `match`.
    pub range: bool,
    /// The source indices (names or patterns).
    pub indices: Vec<String>,
    /// The field of the source documents a value is matched against.
    pub match_field: String,
    /// The enrich fields, with their types in the sources.
    pub fields: Vec<ColumnDef>,
}

/// Row cap when a query does not end with LIMIT.
pub const DEFAULT_LIMIT: usize = 1000;
/// Row cap of the result, whatever its final LIMIT says.
pub const MAX_LIMIT: usize = 10_000;

/// Elasticsearch's warning for a query without LIMIT (its result is capped at 1000 rows).
pub const NO_LIMIT_WARNING: &str = "No limit defined, adding default limit of [1000]";

/// What a caller adds to a query.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions<'a> {
    /// A filter on the FROM's rows before the query (a request's Query DSL `filter`, the
    /// time range of `--from`/`--to`), as Elasticsearch applies one.
    pub filter: Option<&'a crate::search::Query<String>>,
    /// The result cap instead of Elasticsearch's 10,000 rows (`--max-rows`).
    pub max_rows: Option<usize>,
}

/// Plans a parsed query.
pub fn plan(query: &Query, src: &str, catalog: &dyn Catalog) -> Result<LogicalPlan, Diagnostic> {
    plan_with(query, src, catalog, PlanOptions::default())
}

/// Plans a parsed query with what the caller adds.
pub fn plan_with(
    query: &Query,
    src: &str,
    catalog: &dyn Catalog,
    opts: PlanOptions<'_>,
) -> Result<LogicalPlan, Diagnostic> {
    let unmapped = settings::read(query)?.unmapped;
    let mut nullified = Vec::new();
    // Each unknown name that may be null is added at the source, and the query planned again;
    // a name still unknown once added (a command dropped it) is the error. Names come from
    // the query's text, so the loop ends.
    let (planner, mut plan) = loop {
        let mut planner = commands::Planner::new(src, catalog);
        planner.unmapped = unmapped;
        planner.nullified = nullified.clone();
        match planner.plan(query) {
            Ok(plan) => break (planner, plan),
            Err(Diagnostic { column: Some(name), .. }) if !nullified.contains(&name) => nullified.push(name),
            Err(d) => return Err(d),
        }
    };
    if let (Some(f), Source::From { .. }) = (opts.filter, &plan.source) {
        let exprs = planner.exprs(&plan.source_schema);
        let cond = exprs.resolve(f.clone(), crate::syntax::Span { start: 0, end: 0 });
        let schema = plan.source_schema.clone();
        plan.stages.insert(0, Stage { step: Step::Where(cond), schema, command: 0 });
    }
    // The caps bound only the result: a LIMIT earlier in the pipe is exact.
    if !has_limit(&query.commands) && !matches!(plan.source, Source::ShowInfo) {
        plan.warnings.push(NO_LIMIT_WARNING.to_string());
    }
    let cap = opts.max_rows.unwrap_or(MAX_LIMIT);
    if let Some(Stage { step: Step::Limit(n), .. }) = plan.stages.last_mut() {
        if *n > cap {
            *n = cap;
            plan.imposed_cap = Some(cap);
        }
    } else if !matches!(plan.source, Source::ShowInfo) {
        let schema = plan.schema().to_vec();
        let command = query.commands.len().saturating_sub(1);
        plan.stages.push(Stage { step: Step::Limit(DEFAULT_LIMIT), schema, command });
        plan.imposed_cap = Some(DEFAULT_LIMIT);
    }
    for stage in &mut plan.stages {
        stage.step.exprs_mut().into_iter().for_each(disjunction::combine);
    }
    filters::push_down(&mut plan);
    filters::search_first(&mut plan);
    doc_values::mark(&mut plan);
    liveness::mark_needed(&mut plan);
    let found = pushdown::pushdown(&plan);
    if let Source::From { prefilter, .. } = &mut plan.source {
        *prefilter = found;
    }
    Ok(plan)
}

/// Whether the query writes a LIMIT anywhere (FORK branches included), as ES looks for one.
fn has_limit(commands: &[crate::syntax::Command]) -> bool {
    commands.iter().any(|c| match &c.kind {
        crate::syntax::CommandKind::Limit(_) => true,
        crate::syntax::CommandKind::Fork(branches) => branches.iter().any(|b| has_limit(b)),
        _ => false,
    })
}

/// A planning error at `span`.
pub(crate) fn error(message: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(message, Some((span.start as usize, span.end as usize)))
}

/// Metadata fields FROM ... METADATA may ask for, with their types.
pub const METADATA_FIELDS: &[(&str, EsType)] = &[
    ("_id", EsType::Keyword),
    ("_index", EsType::Keyword),
    ("_version", EsType::Long),
    ("_ignored", EsType::Keyword),
    ("_index_mode", EsType::Keyword),
    ("_score", EsType::Double),
    ("_source", EsType::Source),
];
