//! The scan: every part of the selected indices (NDJSON, optionally gzipped, Parquet, Arrow)
//! into record batches of the union schema. Only the columns a query needs are decoded.
//! NDJSON files are cut into line-aligned chunks decoded on
//! worker threads; batches come out in chunk order, so results do not depend on the number
//! of threads. Memory is a few chunks per thread.

/// Line-aligned chunks of NDJSON files, and the feed that reads one.
pub(crate) mod chunks;
mod dump;
mod mapped;
pub mod prefilter;
/// Any NDJSON-family file (JSON arrays, pretty documents, gzip, zstd, dumps) as document lines.
pub mod shape;
/// What a scan read, and the load-time warnings it gives.
mod stats;
/// Checks of a plan made from a sample of the documents.
pub mod watch;

pub use stats::ScanStats;

use crate::io::catalog::schema::is_leaf_object;
use crate::io::catalog::DataDir;
use crate::io::columnar::ColumnarReader;
use crate::io::ndjson::decode::Decoder;
use crate::io::ndjson::index_plan::IndexPlan;
use crate::io::scan::chunks::{line_of, plan_chunks, Chunk, Feed};
use crate::io::scan::prefilter::Prefilter;
use crate::types::ColumnDef;
use arrow::array::RecordBatch;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// What to do with a line that is not valid JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop with `file:line: error`.
    #[default]
    Fail,
    /// Skip it and count it.
    Skip,
}

const BATCH_ROWS: usize = 8192;
/// Input bytes per batch at most: rows of large documents make smaller batches, so memory
/// stays bounded whatever the row size.
const BATCH_BYTES: u64 = 64 << 20;
/// Batches a worker may run ahead of the consumer.
const AHEAD: usize = 2;

/// Decodes one chunk, a batch at a time.
struct ChunkReader {
    path: PathBuf,
    feed: Feed,
    block: mapped::Bytes,
    pos: usize,
    /// File offset of the block (plain files), for error line numbers.
    block_offset: Option<u64>,
    /// The number of the next line, when known.
    line_no: Option<u64>,
    decoder: Decoder,
    /// Which index plan (the key of its checks).
    plan_no: usize,
}

/// What one batch read: folded into [`ScanStats`] by whoever holds the lock.
#[derive(Default)]
struct Tally {
    bytes: u64,
    docs: u64,
    skipped: u64,
    prefiltered: u64,
}

impl ChunkReader {
    fn open(
        chunk: &Chunk,
        plan: Arc<IndexPlan>,
        columns: Arc<Vec<ColumnDef>>,
    ) -> Result<ChunkReader, crate::io::Error> {
        Ok(ChunkReader {
            path: chunk.path.clone(),
            feed: Feed::open(chunk)?,
            block: mapped::Bytes::Owned(Vec::new()),
            pos: 0,
            block_offset: None,
            line_no: chunk.first_line,
            decoder: Decoder::new(plan, columns),
            plan_no: chunk.plan,
        })
    }

    /// The next batch of this chunk, or `None` when it is read.
    fn next_batch(
        &mut self,
        on_error: OnError,
        stats: &Mutex<ScanStats>,
    ) -> Result<Option<RecordBatch>, crate::io::Error> {
        let mut tally = Tally::default();
        while self.decoder.rows() < BATCH_ROWS && tally.bytes < BATCH_BYTES {
            if self.pos >= self.block.len() {
                match self.feed.next_block()? {
                    Some(b) => {
                        // `block_offset` is the file offset of `block[0]`.
                        self.block_offset = b.offset.map(|o| o - b.start as u64);
                        (self.block, self.pos) = (b.bytes, b.start);
                    }
                    None => break,
                }
                continue;
            }
            let rest = &self.block[self.pos..];
            let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let line_start = self.pos;
            self.pos += len + 1;
            tally.bytes += (len + 1).min(rest.len()) as u64;
            let this_line = self.line_no;
            self.line_no = self.line_no.map(|n| n + 1);
            let line = &self.block[line_start..line_start + len];
            if line.first() != Some(&b'{') && line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match self.decoder.add(line, this_line.unwrap_or(0)) {
                Ok(kept) => {
                    tally.docs += 1;
                    tally.prefiltered += u64::from(!kept);
                }
                Err(e) if on_error == OnError::Fail => {
                    let n = this_line
                        .unwrap_or_else(|| line_of(&self.path, self.block_offset.unwrap_or(0) + line_start as u64));
                    return Err(format!("{}:{n}: {e}", self.path.display()).into());
                }
                Err(_) => tally.skipped += 1,
            }
        }
        self.record(tally, stats);
        if self.decoder.rows() == 0 {
            return Ok(None);
        }
        self.decoder.finish().map(Some)
    }

    fn record(&mut self, t: Tally, stats: &Mutex<ScanStats>) {
        let malformed = self.decoder.take_malformed();
        let observed = self.decoder.take_observed();
        let mut st = stats.lock().unwrap_or_else(|p| p.into_inner());
        for (k, o) in observed {
            st.checks.observed.entry((self.plan_no, k)).or_default().join(o);
        }
        st.bytes += t.bytes;
        st.docs += t.docs;
        st.prefiltered += t.prefiltered;
        if t.skipped > 0 {
            *st.skipped.entry(self.path.clone()).or_default() += t.skipped;
        }
        for (k, n) in self.decoder.take_repeated() {
            let name = self.decoder.columns()[k].name.clone();
            *st.repeated.entry((self.path.clone(), name)).or_default() += n;
        }
        for (k, n) in malformed {
            let (name, ty) = (self.decoder.columns()[k].name.clone(), self.decoder.own_type(k));
            *st.malformed.entry((self.path.clone(), name, ty)).or_default() += n;
        }
    }
}

/// Everything a worker needs, shared.
struct Shared {
    plans: Vec<Arc<IndexPlan>>,
    columns: Arc<Vec<ColumnDef>>,
    chunks: Vec<Chunk>,
    on_error: OnError,
    stats: Arc<Mutex<ScanStats>>,
}

impl Shared {
    fn reader(&self, k: usize) -> Result<Reader, crate::io::Error> {
        let chunk = &self.chunks[k];
        let plan = self.plans[chunk.plan].clone();
        if chunk.columnar {
            let fills = Arc::new(plan.column_fills());
            let part = (chunk.row_group, chunk.first_line.unwrap_or(1));
            let pre = plan.prefilter();
            let r = ColumnarReader::open(&chunk.path, part, plan.name(), fills, self.columns.clone(), pre)?;
            return Ok(Reader::Columnar(Box::new(r), self.stats.clone()));
        }
        ChunkReader::open(chunk, plan, self.columns.clone()).map(|r| Reader::Ndjson(Box::new(r)))
    }
}

/// A chunk's reader: NDJSON lines, or a whole Parquet/Arrow file.
enum Reader {
    Ndjson(Box<ChunkReader>),
    Columnar(Box<ColumnarReader>, Arc<Mutex<ScanStats>>),
}

impl Reader {
    fn next_batch(
        &mut self,
        on_error: OnError,
        stats: &Mutex<ScanStats>,
    ) -> Result<Option<RecordBatch>, crate::io::Error> {
        match self {
            Reader::Ndjson(r) => r.next_batch(on_error, stats),
            Reader::Columnar(r, st) => {
                let b = r.next_batch()?;
                let pruned = r.take_pruned();
                let mut st = st.lock().unwrap_or_else(|p| p.into_inner());
                // Pruned rows went into the first WHERE all the same (explain's funnel).
                st.docs += pruned;
                st.prefiltered += pruned;
                if let Some(b) = &b {
                    st.docs += b.num_rows() as u64;
                    st.bytes += b.get_array_memory_size() as u64;
                }
                for ((name, ty), n) in r.take_malformed() {
                    *st.malformed.entry((r.path().to_path_buf(), name, ty)).or_default() += n;
                }
                for ((name, arrow), n) in r.take_unreadable().into_iter().filter(|(_, n)| *n > 0) {
                    *st.unreadable.entry((r.path().to_path_buf(), name, arrow)).or_default() += n;
                }
                Ok(b)
            }
        }
    }
}

/// A worker's message: a batch of the chunk in hand, or the end of that chunk.
enum Msg {
    Batch(Result<RecordBatch, crate::io::Error>),
    EndOfChunk,
}

/// Worker `w` of `n` decodes chunks `w, w + n, ...` in order; the consumer reads the workers
/// round-robin, which restores chunk order with no reordering buffer.
fn worker(shared: Arc<Shared>, w: usize, n: usize, tx: std::sync::mpsc::SyncSender<Msg>) {
    for k in (w..shared.chunks.len()).step_by(n) {
        let mut reader = match shared.reader(k) {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.send(Msg::Batch(Err(e)));
                return;
            }
        };
        loop {
            match reader.next_batch(shared.on_error, &shared.stats) {
                Ok(Some(b)) => {
                    if tx.send(Msg::Batch(Ok(b))).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Msg::Batch(Err(e)));
                    return;
                }
            }
        }
        if tx.send(Msg::EndOfChunk).is_err() {
            return;
        }
    }
}

enum Mode {
    /// Decoding on the calling thread.
    Inline(Option<Box<Reader>>),
    /// Decoding on workers; `rx[k % n]` carries chunk k.
    Workers(Vec<Receiver<Msg>>),
}

/// An iterator of record batches over the indices of a FROM.
pub struct Scan {
    shared: Arc<Shared>,
    mode: Mode,
    /// The chunk being read.
    at: usize,
    failed: bool,
}

impl Scan {
    /// Scans the indices of `dir` that `patterns` select, producing batches of `columns`
    /// (the union schema) in which only `needed` columns are decoded, on `dir.threads`
    /// threads. NDJSON rows that `pre` rejects are left out (see [`prefilter`]). The
    /// indices named in `sampled` are read with the fields of their samples, as the plan was
    /// made, and checked (see [`watch`]).
    pub fn open(
        dir: &DataDir,
        patterns: &[String],
        columns: &[ColumnDef],
        needed: &[bool],
        pre: &[Prefilter],
        sampled: &[String],
    ) -> Result<Scan, crate::io::Error> {
        let mut plans = Vec::new();
        let mut chunks = Vec::new();
        let mut checks = watch::Checks::default();
        for index in dir.resolve(patterns)? {
            let (fields, watches) = if sampled.contains(&index.name) {
                let sample = index.sampled_fields(dir.on_error)?.0;
                let (f, w) = watch::sampled_fields(sample, columns, needed, &mut checks.present);
                (std::borrow::Cow::Owned(f), w)
            } else {
                let f = index.fields(dir.on_error, dir.threads)?.0;
                // What known fields hold settles existence for the sampled indices' checks.
                if !sampled.is_empty() {
                    let held = columns.iter().enumerate().filter(|(_, c)| f.contains_key(&c.name));
                    checks.present.extend(held.map(|(k, _)| k));
                }
                (std::borrow::Cow::Borrowed(f), Vec::new())
            };
            let leaf = |p: &str| is_leaf_object(index, p);
            let plan = IndexPlan::new(&index.metadata_name(), &fields, columns, needed, &leaf, pre)
                .watching(watches.iter().map(|w| w.col));
            if !watches.is_empty() {
                checks.watches.insert(plans.len(), watches);
            }
            chunks.extend(plan_chunks(plans.len(), &index.files, plan.needs_id())?);
            plans.push(Arc::new(plan));
        }
        let stats = Arc::new(Mutex::new(ScanStats { checks, ..ScanStats::default() }));
        let shared =
            Arc::new(Shared { plans, columns: Arc::new(columns.to_vec()), chunks, on_error: dir.on_error, stats });
        let n = dir.threads.clamp(1, shared.chunks.len().max(1));
        let mode = if n <= 1 {
            Mode::Inline(None)
        } else {
            let rx = (0..n)
                .map(|w| {
                    let (tx, rx) = sync_channel(AHEAD);
                    let s = shared.clone();
                    std::thread::spawn(move || worker(s, w, n, tx));
                    rx
                })
                .collect();
            Mode::Workers(rx)
        };
        Ok(Scan { shared, mode, at: 0, failed: false })
    }

    /// A handle on the statistics, readable after the scan.
    pub fn stats(&self) -> Arc<Mutex<ScanStats>> {
        self.shared.stats.clone()
    }

    fn next_inline(&mut self) -> Result<Option<RecordBatch>, crate::io::Error> {
        let Mode::Inline(current) = &mut self.mode else { return Ok(None) };
        while self.at < self.shared.chunks.len() {
            if current.is_none() {
                *current = Some(Box::new(self.shared.reader(self.at)?));
            }
            if let Some(r) = current.as_mut() {
                if let Some(b) = r.next_batch(self.shared.on_error, &self.shared.stats)? {
                    return Ok(Some(b));
                }
            }
            *current = None;
            self.at += 1;
        }
        Ok(None)
    }

    fn next_from_workers(&mut self) -> Result<Option<RecordBatch>, crate::io::Error> {
        let Mode::Workers(rx) = &self.mode else { return Ok(None) };
        while self.at < self.shared.chunks.len() {
            match rx[self.at % rx.len()].recv() {
                Ok(Msg::Batch(b)) => return b.map(Some),
                Ok(Msg::EndOfChunk) => self.at += 1,
                Err(_) => return Err("internal error: a decoding thread stopped".into()),
            }
        }
        Ok(None)
    }
}

impl Iterator for Scan {
    type Item = Result<RecordBatch, crate::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let r = match self.mode {
            Mode::Inline(_) => self.next_inline(),
            Mode::Workers(_) => self.next_from_workers(),
        };
        match r {
            Ok(b) => b.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}
