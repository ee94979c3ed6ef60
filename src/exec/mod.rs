//! Executes a logical plan over Arrow record batches. Never sees the syntax tree.
//!
//! Batches are pushed through the stages; WHERE, EVAL, KEEP/DROP/RENAME, MV_EXPAND and LIMIT
//! stream, SORT and STATS gather and release their output when the input ends. A LIMIT
//! reached before any gathering stage stops the scan.

mod aggregate;
mod change_point;
mod enrich;
mod eval;
mod fold;
pub mod guard;
mod join;
mod mask;
mod parallel;
pub mod pushdown;
mod sort;
mod state;
mod transform;
pub mod warnings;

pub use fold::fold_plan;
use state::{states, State};
pub use state::{NoTables, Tables};

use crate::plan::{LogicalPlan, Source, Stage, Step};
use crate::types::column::as_list;
use crate::types::ColumnDef;
use aggregate::AggState;
use arrow::array::{Array, ArrayRef, RecordBatch};
use arrow::datatypes::DataType;
use std::sync::Arc;
use warnings::Warnings;

/// A runtime failure that stops the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    /// Reading the data failed (I/O, bad data with `--on-error fail`).
    #[error(transparent)]
    Data(#[from] crate::io::Error),
    /// Ctrl-C, or the engine's cancel flag.
    #[error("query cancelled")]
    Cancelled,
    /// An evaluation Elasticsearch fails the whole query on (a result over its size cap).
    #[error("{0}")]
    Failed(String),
    /// The result could not be written where it streams to (a closed pipe, a full disk).
    #[error("cannot write the result: {0}")]
    Output(String),
    /// A broken invariant of the executor.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Where a streamed result's batches go, in order, as the last stage releases them.
pub type Sink<'s> = &'s mut dyn FnMut(RecordBatch) -> Result<(), ExecError>;

impl From<arrow::error::ArrowError> for ExecError {
    fn from(e: arrow::error::ArrowError) -> ExecError {
        ExecError::Internal(e.to_string())
    }
}

/// A query's result.
#[derive(Debug)]
pub struct QueryResult {
    /// The columns, in order.
    pub columns: Vec<ColumnDef>,
    /// The rows.
    pub batches: Vec<RecordBatch>,
    /// Warnings in Elasticsearch's text.
    pub warnings: Vec<String>,
    /// Rows into and out of each stage (for EXPLAIN's funnel).
    pub counts: Vec<(u64, u64)>,
}

impl QueryResult {
    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// Batches of the source's schema (FROM); the engine supplies them from the data files.
pub type BatchSource<'a> = Box<dyn Iterator<Item = Result<RecordBatch, ExecError>> + 'a>;

/// Builds a record batch for `schema` (physical types are taken from the arrays).
pub fn batch(schema: &[ColumnDef], cols: Vec<ArrayRef>, rows: usize) -> Result<RecordBatch, ExecError> {
    Ok(crate::types::column::record_batch(schema, cols, rows)?)
}

/// Concatenates batches whose columns may differ between flat and list form.
pub fn concat(batches: &[RecordBatch], schema: &[ColumnDef]) -> Result<Option<RecordBatch>, ExecError> {
    let Some(first) = batches.first() else { return Ok(None) };
    let mut cols = Vec::with_capacity(first.num_columns());
    for i in 0..first.num_columns() {
        let arrays: Vec<ArrayRef> = batches.iter().map(|b| b.column(i).clone()).collect();
        let any_list = arrays.iter().any(|a| matches!(a.data_type(), DataType::List(_)));
        let arrays: Vec<ArrayRef> =
            if any_list { arrays.into_iter().map(as_list).collect::<Result<_, _>>()? } else { arrays };
        let refs: Vec<&dyn Array> = arrays.iter().map(|a| a.as_ref()).collect();
        cols.push(arrow::compute::concat(&refs)?);
    }
    let rows = batches.iter().map(RecordBatch::num_rows).sum();
    Ok(Some(batch(schema, cols, rows)?))
}

/// Rows per batch produced by expanding steps.
const CHUNK_ROWS: usize = 8192;

/// Options of one execution.
#[derive(Clone, Debug)]
pub struct ExecOptions {
    /// `now()` in milliseconds since the epoch.
    pub now_ms: i64,
    /// Set from another thread (Ctrl-C) to stop the query.
    pub cancel: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// Threads for the row-by-row head of the pipeline (1: all on the calling thread).
    pub threads: usize,
    /// SAMPLE's random seed: the same seed over the same data keeps the same rows.
    pub seed: u64,
}

struct Executor<'p, 's> {
    seed: u64,
    plan: &'p LogicalPlan,
    tables: &'p dyn Tables,
    states: Vec<State>,
    out: Vec<RecordBatch>,
    /// Takes the output batches instead of `out` (a streamed result).
    sink: Option<Sink<'s>>,
    warnings: Warnings,
    counts: Vec<(u64, u64)>,
    now: i64,
    cancel: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// Threads the query may use (`--threads`).
    threads: usize,
}

/// Runs `plan`, reading FROM batches from `source`.
pub fn execute(
    plan: &LogicalPlan,
    source: BatchSource<'_>,
    opts: &ExecOptions,
    tables: &dyn Tables,
) -> Result<QueryResult, ExecError> {
    execute_into(plan, source, opts, tables, None)
}

/// Runs `plan` as [`execute`] does; with a `sink`, the result's batches go to it as they
/// come instead of into the result, so a large result is never held whole.
pub fn execute_into(
    plan: &LogicalPlan,
    source: BatchSource<'_>,
    opts: &ExecOptions,
    tables: &dyn Tables,
    sink: Option<Sink<'_>>,
) -> Result<QueryResult, ExecError> {
    let folded = fold::fold_plan(plan, opts.now_ms);
    let plan = &folded;
    let mut ex = Executor {
        seed: opts.seed,
        plan,
        tables,
        states: states(&plan.stages, opts.seed),
        out: vec![],
        sink,
        warnings: Warnings::default(),
        counts: vec![(0, 0); plan.stages.len()],
        now: opts.now_ms,
        cancel: opts.cancel.clone(),
        threads: opts.threads,
    };
    let head = parallel::head_len(plan);
    let parallel = head > 0 || parallel::partial_stats(plan, head);
    if opts.threads > 1 && parallel && matches!(plan.source, Source::From { .. }) {
        let states = parallel::run(plan, head, source, opts.now_ms, opts.threads, &mut |done| {
            for (total, (rows_in, rows_out)) in ex.counts.iter_mut().zip(&done.counts) {
                total.0 += rows_in;
                total.1 += rows_out;
            }
            ex.warnings.append(done.warnings);
            ex.check_fatal()?;
            if done.aggregated {
                ex.counts[head].0 += done.batches.iter().map(|b| b.num_rows() as u64).sum::<u64>();
                return Ok(true);
            }
            for b in done.batches {
                if !ex.push(head, b)? {
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        ex.merge(head, states)?;
    } else {
        for b in initial_batches(plan, source) {
            if !ex.push(0, b?)? {
                break;
            }
            ex.check_fatal()?;
        }
    }
    ex.finish(0)?;
    ex.check_fatal()?;
    Ok(QueryResult {
        columns: plan.schema().to_vec(),
        batches: ex.out,
        warnings: plan.warnings.iter().cloned().chain(ex.warnings.lines()).collect(),
        counts: ex.counts,
    })
}

fn initial_batches<'s>(plan: &LogicalPlan, source: BatchSource<'s>) -> BatchSource<'s> {
    match &plan.source {
        Source::From { .. } => source,
        Source::Row(_) => Box::new(std::iter::once(batch(&[], vec![], 1))),
        Source::ShowInfo => {
            let values = [
                env!("CARGO_PKG_VERSION"),
                option_env!("ESQL_BUILD_DATE").unwrap_or("unknown"),
                option_env!("ESQL_GIT_HASH").unwrap_or("unknown"),
            ];
            let cols: Vec<ArrayRef> =
                values.iter().map(|v| Arc::new(arrow::array::StringArray::from(vec![*v])) as ArrayRef).collect();
            Box::new(std::iter::once(batch(&plan.source_schema, cols, 1)))
        }
    }
}

impl Executor<'_, '_> {
    fn input_schema(&self, k: usize) -> &[ColumnDef] {
        parallel::input_schema(self.plan, k)
    }

    /// Pushes a batch into stage `k`; returns false when no more input is wanted.
    fn push(&mut self, k: usize, mut b: RecordBatch) -> Result<bool, ExecError> {
        if self.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
            return Err(ExecError::Cancelled);
        }
        for j in k..self.plan.stages.len() {
            let stage: &Stage = &self.plan.stages[j];
            self.counts[j].0 += b.num_rows() as u64;
            if let Some(next) = parallel::row_step(self.plan, j, &b, self.now, &mut self.warnings) {
                b = next?;
                self.counts[j].1 += b.num_rows() as u64;
                continue;
            }
            let input = self.input_schema(j).to_vec();
            // The other steps gather or expand: they take the batch over.
            return match (&stage.step, &mut self.states[j]) {
                (Step::MvExpand(c), _) => {
                    let mut produced = 0u64;
                    let more = transform::mv_expand(&b, &input, *c, CHUNK_ROWS, &mut |chunk| {
                        produced += chunk.num_rows() as u64;
                        self.push(j + 1, chunk)
                    })?;
                    self.counts[j].1 += produced;
                    Ok(more)
                }
                (Step::Limit(_), State::Limit(left)) => {
                    let take = b.num_rows().min(*left);
                    *left -= take;
                    let done = *left == 0;
                    let sliced = b.slice(0, take);
                    self.counts[j].1 += take as u64;
                    let more = self.push(j + 1, sliced)?;
                    Ok(more && !done)
                }
                (Step::Sort(keys), State::Sort(sorter)) => {
                    sorter.push(&b, &input, keys, self.now, &mut self.warnings)?;
                    Ok(true)
                }
                (Step::Aggregate(a), State::Aggregate(st)) => {
                    st.update(a, &b, &input, self.now, &mut self.warnings);
                    Ok(true)
                }
                (Step::LookupJoin(lj), State::Lookup(slot)) => {
                    if slot.is_none() {
                        let table = concat(&self.tables.read(&lj.index, &lj.columns)?, &lj.columns)?;
                        *slot = Some(Box::new(join::Lookup::new(lj, table)));
                    }
                    let lookup = slot.as_deref().ok_or_else(|| ExecError::Internal("no lookup table".into()))?;
                    let joined = lookup.join(lj, &b, &input, &stage.schema)?;
                    self.counts[j].1 += joined.num_rows() as u64;
                    self.push(j + 1, joined)
                }
                (Step::Sample(p), State::Sample(rng)) => {
                    let keep: arrow::array::BooleanArray = (0..b.num_rows()).map(|_| Some(rng.unit() < *p)).collect();
                    let kept = arrow::compute::filter_record_batch(&b, &keep)?;
                    self.counts[j].1 += kept.num_rows() as u64;
                    self.push(j + 1, kept)
                }
                (Step::Enrich(en), State::Enrich(slot)) => {
                    if slot.is_none() {
                        *slot = Some(Box::new(enrich::EnrichTable::load(en, self.tables)?));
                    }
                    let table = slot.as_deref().ok_or_else(|| ExecError::Internal("no enrich table".into()))?;
                    let enriched = table.enrich(en, &b, &input, &stage.schema)?;
                    self.counts[j].1 += enriched.num_rows() as u64;
                    self.push(j + 1, enriched)
                }
                (Step::InlineStats(_) | Step::Fork(_) | Step::ChangePoint(_), State::Inline(rows)) => {
                    rows.push(b);
                    Ok(true)
                }
                _ => Err(ExecError::Internal("stage state mismatch".into())),
            };
        }
        match &mut self.sink {
            Some(sink) => sink(b)?,
            None => self.out.push(b),
        }
        Ok(true)
    }

    /// Fails the query when an evaluation failed it (not a warning).
    fn check_fatal(&self) -> Result<(), ExecError> {
        self.warnings.fatal().map_or(Ok(()), |m| Err(ExecError::Failed(m.to_string())))
    }

    /// Merges the workers' STATS states into the one of stage `k`.
    fn merge(&mut self, k: usize, states: Vec<AggState>) -> Result<(), ExecError> {
        if states.is_empty() {
            return Ok(());
        }
        let State::Aggregate(st) = &mut self.states[k] else {
            return Err(ExecError::Internal("stage state mismatch".into()));
        };
        let mut all = states;
        // The stage's own state holds rows that came before the workers' batches.
        let plan_agg = match &self.plan.stages[k].step {
            Step::Aggregate(a) => a,
            _ => return Err(ExecError::Internal("stage state mismatch".into())),
        };
        all.push(std::mem::replace(st.as_mut(), AggState::new(plan_agg)));
        if let Some(merged) = AggState::merge_all(all) {
            **st = merged;
        }
        Ok(())
    }

    /// Runs `stages` over `batches` of `input` (a plan within the plan: INLINE STATS),
    /// their warnings joining this run's.
    fn run_stages(
        &mut self,
        stages: &[Stage],
        input: &[ColumnDef],
        batches: &[RecordBatch],
    ) -> Result<Vec<RecordBatch>, ExecError> {
        let plan = LogicalPlan {
            source: Source::Row(vec![]),
            source_schema: input.to_vec(),
            stages: stages.to_vec(),
            warnings: vec![],
            imposed_cap: None,
            speculation: None,
            nullified: vec![],
        };
        let mut ex = Executor {
            seed: self.seed,
            plan: &plan,
            tables: self.tables,
            states: states(stages, self.seed),
            out: vec![],
            sink: None,
            warnings: Warnings::default(),
            counts: vec![(0, 0); stages.len()],
            now: self.now,
            cancel: self.cancel.clone(),
            threads: self.threads,
        };
        for b in batches {
            if !ex.push(0, b.clone())? {
                break;
            }
        }
        ex.finish(0)?;
        self.warnings.append(ex.warnings);
        Ok(ex.out)
    }

    /// Input ended at stage `k`: gathering stages release their output.
    fn finish(&mut self, k: usize) -> Result<(), ExecError> {
        let Some(j) = (k..self.plan.stages.len())
            .find(|&j| matches!(self.states[j], State::Sort(_) | State::Aggregate(_) | State::Inline(_)))
        else {
            return Ok(());
        };
        let stage = &self.plan.stages[j];
        let input = self.input_schema(j).to_vec();
        let produced = match (std::mem::replace(&mut self.states[j], State::Streaming), &stage.step) {
            (State::Sort(sorter), Step::Sort(keys)) => sorter.finish(&input, keys)?,
            (State::Aggregate(st), Step::Aggregate(a)) => {
                vec![st.finish(a, &stage.schema, self.threads, &mut self.warnings)?]
            }
            (State::Inline(rows), Step::ChangePoint(c)) => change_point::run(c, &input, &rows, &stage.schema)?,
            (State::Inline(rows), Step::Fork(f)) => {
                let mut produced = Vec::new();
                for (b, (stages, map)) in f.branches.iter().zip(&f.maps).enumerate() {
                    let out = self.run_stages(stages, &input, &rows)?;
                    let name = format!("fork{}", b + 1);
                    for batch in out {
                        produced.push(join::fork_rows(&batch, map, &name, &stage.schema)?);
                    }
                }
                produced
            }
            (State::Inline(rows), Step::InlineStats(s)) => {
                let stats = self.run_stages(&s.stats, &input, &rows)?;
                let stats_schema = s.stats.last().map_or(input.as_slice(), |st| &st.schema);
                let stats = concat(&stats, stats_schema)?;
                join::inline_stats(s, &input, &rows, (stats.as_ref(), stats_schema), &stage.schema)?
            }
            _ => vec![],
        };
        for b in produced {
            self.counts[j].1 += b.num_rows() as u64;
            if !self.push(j + 1, b)? {
                break;
            }
        }
        self.finish(j + 1)
    }
}
