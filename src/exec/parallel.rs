//! The row-by-row head of a pipeline (WHERE, EVAL, KEEP/DROP/RENAME, GROK/DISSECT and
//! MV_EXPAND before the first LIMIT, SORT or STATS) runs on worker threads, batch by batch. The
//! results, their warnings and their row counts are taken back in input order, so the rest
//! of the pipeline sees exactly what a single thread would have produced.
//!
//! When the head is followed by a STATS whose aggregates merge exactly (see
//! [`partial_stats`]), each worker also aggregates its batches into a state of its own; the
//! states are merged at the end, and the groups put back in the order a single pass would
//! have first seen them (each group remembers the batch and rank it first appeared at).

use super::aggregate::AggState;
use super::transform;
use super::warnings::Warnings;
use super::{BatchSource, ExecError};
use crate::functions::{Kind, Merge};
use crate::plan::{LogicalPlan, Step};
use crate::types::ColumnDef;
use arrow::array::RecordBatch;
use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// What the head made of one input batch.
pub struct Done {
    /// The batches after the head's stages (an MV_EXPAND may make several of one).
    pub batches: Vec<RecordBatch>,
    /// Their warnings.
    pub warnings: Warnings,
    /// Rows into and out of each head stage.
    pub counts: Vec<(u64, u64)>,
    /// The batch went into the worker's STATS state (it is only counted here).
    pub aggregated: bool,
}

/// True when stage `head` is a STATS the workers can pre-aggregate.
pub fn partial_stats(plan: &LogicalPlan, head: usize) -> bool {
    match plan.stages.get(head).map(|s| &s.step) {
        Some(Step::Aggregate(a)) => a.aggs.iter().all(|c| matches!(c.func.kind, Kind::Aggregate(_, Merge::Exact))),
        _ => false,
    }
}

/// How many leading stages work row by row (MV_EXPAND too: each row's values expand apart
/// from the other rows').
pub fn head_len(plan: &LogicalPlan) -> usize {
    plan.stages
        .iter()
        .take_while(|s| {
            matches!(
                s.step,
                Step::Where(_) | Step::Eval { .. } | Step::Project(_) | Step::Extract { .. } | Step::MvExpand(_)
            )
        })
        .count()
}

/// The input schema of stage `k`.
pub fn input_schema(plan: &LogicalPlan, k: usize) -> &[ColumnDef] {
    if k == 0 {
        &plan.source_schema
    } else {
        &plan.stages[k - 1].schema
    }
}

/// A row-by-row step over one batch; `None` for the steps that gather or expand.
pub fn row_step(
    plan: &LogicalPlan,
    j: usize,
    b: &RecordBatch,
    now: i64,
    w: &mut Warnings,
) -> Option<Result<RecordBatch, ExecError>> {
    let stage = &plan.stages[j];
    let input = input_schema(plan, j);
    Some(match &stage.step {
        Step::Where(c) => transform::filter(b, input, (c, &crate::plan::combined_after(plan, j)), now, w),
        Step::Eval { exprs, keep } => transform::eval_step(b, (input, &stage.schema), exprs, keep, now, w),
        Step::Project(cols) => transform::project(b, cols, &stage.schema),
        Step::Extract { input: e, extractor, keep } => {
            transform::extract(b, input, e, extractor, keep, &stage.schema, now, w)
        }
        _ => return None,
    })
}

/// Runs the first `head` stages over batch number `seq`, then the STATS after them into
/// `stats` when given.
pub fn run_head(
    plan: &LogicalPlan,
    head: usize,
    (seq, b): (usize, RecordBatch),
    now: i64,
    stats: Option<&mut AggState>,
) -> Result<Done, ExecError> {
    let mut w = Warnings::default();
    let mut counts = Vec::with_capacity(head);
    let mut batches = vec![b];
    let rows = |bs: &[RecordBatch]| bs.iter().map(|b| b.num_rows() as u64).sum::<u64>();
    for j in 0..head {
        let rows_in = rows(&batches);
        batches = match &plan.stages[j].step {
            Step::MvExpand(c) => {
                let mut out = Vec::new();
                for b in &batches {
                    transform::mv_expand(b, input_schema(plan, j), *c, super::CHUNK_ROWS, &mut |chunk| {
                        out.push(chunk);
                        Ok(true)
                    })?;
                }
                out
            }
            _ => batches
                .iter()
                .map(|b| {
                    row_step(plan, j, b, now, &mut w)
                        .unwrap_or_else(|| Err(ExecError::Internal("a gathering stage in the parallel head".into())))
                })
                .collect::<Result<_, _>>()?,
        };
        counts.push((rows_in, rows(&batches)));
    }
    let aggregated = match (plan.stages.get(head).map(|s| &s.step), stats) {
        (Some(Step::Aggregate(a)), Some(st)) => {
            st.start_batch(seq as u64);
            for b in &batches {
                st.update(a, b, input_schema(plan, head), now, &mut w);
            }
            true
        }
        _ => false,
    };
    Ok(Done { batches, warnings: w, counts, aggregated })
}

/// Feeds every source batch through the head on `threads` workers and hands the results to
/// `sink` in input order; `sink` returns false to stop early. Returns the workers' STATS
/// states when they aggregated (see [`partial_stats`]).
pub fn run(
    plan: &LogicalPlan,
    head: usize,
    source: BatchSource<'_>,
    now: i64,
    threads: usize,
    sink: &mut dyn FnMut(Done) -> Result<bool, ExecError>,
) -> Result<Vec<AggState>, ExecError> {
    let stats = match plan.stages.get(head).map(|s| &s.step) {
        Some(Step::Aggregate(a)) if partial_stats(plan, head) => Some(a),
        _ => None,
    };
    let (work_tx, work_rx) = sync_channel::<(usize, RecordBatch)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = channel::<(usize, Result<Done, ExecError>)>();
    std::thread::scope(|s| {
        let mut workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (rx, tx) = (work_rx.clone(), done_tx.clone());
            workers.push(s.spawn(move || {
                let mut state = stats.map(AggState::new);
                loop {
                    let next = rx.lock().map_err(|_| ()).and_then(|r| r.recv().map_err(|_| ()));
                    let Ok((seq, b)) = next else { return state };
                    let done = super::guard::guarded(|| run_head(plan, head, (seq, b), now, state.as_mut()), |e| e);
                    if tx.send((seq, done)).is_err() {
                        return state;
                    }
                }
            }));
        }
        drop(done_tx);
        let result = feed(source, work_tx, &done_rx, threads, sink);
        // Dropping the receiver stops workers that are still busy.
        drop(done_rx);
        // A worker that panicked is reported, not re-raised.
        let joined: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
        let panicked = joined.iter().any(|r| r.is_err());
        match (result, panicked) {
            (Err(e), _) => Err(e),
            (Ok(()), true) => Err(ExecError::Internal("an evaluation thread failed".into())),
            (Ok(()), false) => Ok(joined.into_iter().filter_map(|r| r.ok().flatten()).collect()),
        }
    })
}

/// Sends batches out, keeping at most `2 * threads` in flight, and releases results in order.
fn feed(
    source: BatchSource<'_>,
    work_tx: std::sync::mpsc::SyncSender<(usize, RecordBatch)>,
    done_rx: &Receiver<(usize, Result<Done, ExecError>)>,
    threads: usize,
    sink: &mut dyn FnMut(Done) -> Result<bool, ExecError>,
) -> Result<(), ExecError> {
    let mut pending: BTreeMap<usize, Result<Done, ExecError>> = BTreeMap::new();
    let (mut sent, mut next) = (0usize, 0usize);
    let mut source = source.fuse();
    let mut exhausted = false;
    loop {
        while !exhausted && sent - next < 2 * threads {
            match source.next() {
                Some(b) => {
                    let b = b?;
                    work_tx.send((sent, b)).map_err(|_| ExecError::Internal("worker stopped".into()))?;
                    sent += 1;
                }
                None => exhausted = true,
            }
        }
        if next == sent {
            return Ok(());
        }
        let done = match pending.remove(&next) {
            Some(d) => d,
            None => {
                let (seq, d) = done_rx.recv().map_err(|_| ExecError::Internal("worker stopped".into()))?;
                pending.insert(seq, d);
                continue;
            }
        };
        next += 1;
        if !sink(done?)? {
            return Ok(());
        }
    }
}
