//! The façade the CLI and REPL use: text in, result (or diagnostics) out.
//!
//! `parse → plan → execute`, one call each; the data directory is the catalog.

pub mod complete;
mod output;
mod range;
mod speculate;
pub mod translate;

pub use output::{Output, QueryError};

use crate::diagnostic::Diagnostic;
use crate::exec::{self, ExecError, ExecOptions};
use crate::io::{DataDir, OnError, ScanStats};
use crate::plan::{self, Catalog, LogicalPlan, Source, METADATA_FIELDS};
use crate::types::{ColumnDef, EsType};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Something that watches a running scan through its shared statistics; the value it returns
/// is dropped when the scan ends (the core knows no terminal).
pub type ScanWatch = fn(Arc<Mutex<ScanStats>>) -> Box<dyn std::any::Any>;

/// The engine over one data directory.
pub struct Engine {
    /// Shared with the engines [`Engine::share`] makes (a server's requests).
    data: Arc<Result<DataDir, crate::io::Error>>,
    /// `now()` in milliseconds; `None` means the wall clock at each query.
    pub now_ms: Option<i64>,
    /// Set (by a Ctrl-C handler) to stop the running query.
    pub cancel: Arc<AtomicBool>,
    /// Set while a query runs, ends its input there and answers with what was read
    /// (Elasticsearch's async stop); cleared when the run ends.
    pub stop: Arc<AtomicBool>,
    /// Watches each scan while it runs (the command line's progress line); what it returns
    /// is dropped when the scan ends.
    pub watch: Option<ScanWatch>,
    /// The values of the queries' parameters (`?name`, `??field`, `?1`).
    pub params: crate::syntax::Params,
    /// A filter on the FROM's rows before the query (a request's `filter`, a time range).
    pub filter: Option<crate::search::Query<String>>,
    /// SAMPLE's seed (`--seed`); `None`: a new one each query.
    pub seed: Option<u64>,
    /// The result cap instead of Elasticsearch's 10,000 rows (`--max-rows`).
    pub max_rows: Option<usize>,
    /// Every index is mapped as ECS, as a real index with Elastic's templates: an ECS field
    /// the query names is a column even when no document holds it (a rule test's fixture).
    pub ecs_mapped: bool,
    /// Lookup indices and enrich sources already read.
    tables: Arc<Mutex<TableCache>>,
}

/// The data directory as the planner's catalog. A data file that cannot be read is not a
/// fault of the query: it is kept aside and reported as a runtime error.
struct DirCatalog<'a> {
    dir: &'a Result<DataDir, crate::io::Error>,
    data_error: RefCell<Option<crate::io::Error>>,
    /// The columns the query names, when indices may be planned from samples.
    named: Option<&'a std::collections::BTreeSet<String>>,
    /// The indices planned from their samples.
    sampled: RefCell<Vec<String>>,
    /// Names that are columns when ECS defines them, whether or not a document holds them.
    ecs_named: Option<std::collections::BTreeSet<String>>,
}

/// The data directory's indices, read whole for LOOKUP JOIN and ENRICH, and kept for the
/// engine's later queries while their files stay as they were (path, size, modification
/// time), as field discovery is.
struct DirTables<'a> {
    dir: &'a DataDir,
    cache: &'a Mutex<TableCache>,
}

/// Tables read, by index pattern and columns: the files' stamp when read (the discovery
/// cache's key), the rows.
type TableCache = std::collections::HashMap<(String, Vec<ColumnDef>), (String, Vec<arrow::array::RecordBatch>)>;

impl exec::Tables for DirTables<'_> {
    fn read(&self, index: &str, columns: &[ColumnDef]) -> Result<Vec<arrow::array::RecordBatch>, ExecError> {
        let patterns = [index.to_string()];
        let files: Vec<PathBuf> =
            self.dir.resolve(&patterns).map_err(ExecError::Data)?.iter().flat_map(|i| i.files.clone()).collect();
        // A file whose stamp cannot be read is read again each time.
        let stamp = crate::io::catalog::cache::key(&files, None);
        let key = (index.to_string(), columns.to_vec());
        if let Some((seen, rows)) = self.cache.lock().ok().as_ref().and_then(|c| c.get(&key)) {
            if stamp.as_ref() == Some(seen) {
                return Ok(rows.clone());
            }
        }
        let needed = vec![true; columns.len()];
        let scan = crate::io::Scan::open(self.dir, &patterns, columns, &needed, &[], &[]).map_err(ExecError::Data)?;
        let rows: Vec<_> = scan.map(|r| r.map_err(ExecError::Data)).collect::<Result<_, _>>()?;
        if let (Ok(mut c), Some(stamp)) = (self.cache.lock(), stamp) {
            c.insert(key, (stamp, rows.clone()));
        }
        Ok(rows)
    }
}

impl Catalog for DirCatalog<'_> {
    fn enrich(&self, name: &str) -> Result<plan::EnrichPolicy, Diagnostic> {
        let dir = self.dir.as_ref().map_err(|e| Diagnostic::error(e.to_string(), None))?;
        let Some(p) = dir.policies.get(name) else {
            let d = Diagnostic::error(format!("unresolved enrich policy [{name}]"), None);
            return Err(match plan::closest(name, dir.policies.keys().map(String::as_str)) {
                Some(best) => d.with_hint(format!("did you mean [{best}]?")),
                None => d,
            });
        };
        if p.kind == crate::io::catalog::enrich::PolicyKind::GeoMatch {
            let m =
                format!("enrich policy [{name}] is a geo_match policy, which is not supported (match and range are)");
            return Err(Diagnostic::error(m, None));
        }
        let sources = dir
            .union_schema(&p.indices, &[])
            .map_err(|e| Diagnostic::error(format!("enrich policy [{name}]: its source indices: {e}"), None))?;
        let fields = p
            .enrich_fields
            .iter()
            .map(|f| ColumnDef::new(f.clone(), sources.iter().find(|c| c.name == *f).map_or(EsType::Keyword, |c| c.ty)))
            .collect();
        Ok(plan::EnrichPolicy {
            range: p.kind == crate::io::catalog::enrich::PolicyKind::Range,
            indices: p.indices.clone(),
            match_field: p.match_field.clone(),
            fields,
        })
    }

    fn lookup(&self, pattern: &str) -> Result<(String, Vec<ColumnDef>), Diagnostic> {
        let dir = self.dir.as_ref().map_err(|e| Diagnostic::error(e.to_string(), None))?;
        let indices = dir.resolve(&[pattern.to_string()]).map_err(|e| Diagnostic::error(e.to_string(), None))?;
        let index = match indices.as_slice() {
            [one] => one,
            many => {
                let m = format!("invalid [{pattern}] resolution in lookup mode to [{}] indices", many.len());
                return Err(Diagnostic::error(m, None));
            }
        };
        if !index.mapping.as_ref().is_some_and(|m| m.lookup) {
            let m = format!("invalid [{pattern}] resolution in lookup mode to an index in [standard] mode");
            return Err(Diagnostic::error(m, None));
        }
        let columns = dir.union_schema(std::slice::from_ref(&index.name), &[]).map_err(|e| {
            let m = e.to_string();
            *self.data_error.borrow_mut() = Some(e);
            Diagnostic::error(m, None)
        })?;
        Ok((index.name.clone(), columns))
    }

    fn schema(&self, patterns: &[String], metadata: &[String]) -> Result<Vec<ColumnDef>, Diagnostic> {
        let dir = self.dir.as_ref().map_err(|e| {
            *self.data_error.borrow_mut() = Some(e.clone());
            Diagnostic::error(e.to_string(), None)
        })?;
        let meta: Vec<(String, EsType)> = metadata
            .iter()
            .map(|m| (m.clone(), METADATA_FIELDS.iter().find(|(n, _)| n == m).map_or(EsType::Keyword, |(_, t)| *t)))
            .collect();
        let (columns, sampled) = dir.union_schema_named(patterns, &meta, self.named).map_err(|e| match e {
            crate::io::Error::UnknownIndex(m) => Diagnostic::error(m, None),
            other => {
                let m = other.to_string();
                *self.data_error.borrow_mut() = Some(other);
                Diagnostic::error(m, None)
            }
        })?;
        self.sampled.borrow_mut().extend(sampled);
        Ok(with_ecs_fields(columns, meta.len(), self.ecs_named.as_ref()))
    }
}

/// `columns` (sorted by name, then `metadata` metadata columns) with the ECS fields of
/// `named` they lack, in name order.
fn with_ecs_fields(
    mut columns: Vec<ColumnDef>,
    metadata: usize,
    named: Option<&std::collections::BTreeSet<String>>,
) -> Vec<ColumnDef> {
    for name in named.into_iter().flatten() {
        let fields = columns.len() - metadata;
        let Err(at) = columns[..fields].binary_search_by(|c| c.name.as_str().cmp(name)) else { continue };
        if let Some(info) = crate::io::catalog::schema::ecs_field(name) {
            columns.insert(at, ColumnDef::new(name.clone(), info.ty));
        }
    }
    columns
}

impl Engine {
    /// An engine over `dir` (which may not exist: ROW and SHOW still work).
    pub fn open(dir: &Path, on_error: OnError) -> Engine {
        let pattern = dir.file_name().is_some_and(|n| n.to_string_lossy().contains('*'));
        let data = if dir.is_dir() {
            DataDir::open(dir, on_error)
        } else if dir.is_file() || pattern {
            DataDir::open_files(dir, on_error)
        } else {
            Err(format!("data directory {} not found (use --data DIR or set ESQL_DATA)", dir.display()).into())
        };
        Engine {
            data: Arc::new(data),
            now_ms: None,
            cancel: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            watch: None,
            params: Default::default(),
            filter: None,
            seed: None,
            max_rows: None,
            ecs_mapped: false,
            tables: Arc::default(),
        }
    }

    /// Reads the data directory again (files, mappings, enrich policies written since) for
    /// the queries to come; engines already shared keep what they had.
    pub fn reload(&mut self) -> Result<(), crate::io::Error> {
        let Ok(old) = self.data.as_ref() else { return Ok(()) };
        let mut dir = DataDir::open(&old.root, old.on_error)?;
        dir.threads = old.threads;
        self.data = Arc::new(Ok(dir));
        self.tables = Arc::default();
        Ok(())
    }

    /// A token of the directory listing this engine reads: alive while some engine shares
    /// it, so a writer knows when files only that listing names can go.
    pub fn data_token(&self) -> std::sync::Weak<dyn std::any::Any + Send + Sync> {
        let data: Arc<dyn std::any::Any + Send + Sync> = self.data.clone();
        Arc::downgrade(&data)
    }

    /// An engine over the same data, field discovery and table cache, with settings of its
    /// own (`now`, parameters, filter, cancel flag): one per request of a server.
    pub fn share(&self) -> Engine {
        Engine {
            data: self.data.clone(),
            now_ms: self.now_ms,
            cancel: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            watch: None,
            params: Default::default(),
            filter: None,
            seed: self.seed,
            max_rows: self.max_rows,
            ecs_mapped: self.ecs_mapped,
            tables: self.tables.clone(),
        }
    }

    /// Threads that decode data (1: everything on the calling thread).
    pub fn set_threads(&mut self, n: usize) {
        // Only while the data is not shared yet (setting up, before any `share`).
        if let Some(Ok(d)) = Arc::get_mut(&mut self.data) {
            d.threads = n.max(1);
        }
    }

    /// The data directory: `--data`, else `$ESQL_DATA`, else `./data`.
    pub fn default_dir(flag: Option<PathBuf>) -> PathBuf {
        flag.or_else(|| std::env::var_os("ESQL_DATA").map(PathBuf::from)).unwrap_or_else(|| PathBuf::from("data"))
    }

    /// The data directory, if it could be read.
    pub fn data(&self) -> Option<&DataDir> {
        (*self.data).as_ref().ok()
    }

    /// Whether some index (as `FROM *` selects them) has the field `name`.
    pub fn has_field(&self, name: &str) -> bool {
        self.data().is_some_and(|d| d.has_field(&["*".to_string()], name))
    }

    /// Parses and plans `text`.
    pub fn plan(&self, text: &str) -> Result<LogicalPlan, QueryError> {
        // A bug that panics is the query's error, as in `run_into`.
        exec::guard::guarded(|| self.plan_filtered(text, self.filter.as_ref()), QueryError::Runtime)
    }

    /// Plans `text` with `filter` (rather than the engine's) on the FROM's rows.
    fn plan_filtered(
        &self,
        text: &str,
        filter: Option<&crate::search::Query<String>>,
    ) -> Result<LogicalPlan, QueryError> {
        let mut ast = crate::syntax::parse(text)
            .map_err(|errs| QueryError::Query(errs.into_iter().map(Diagnostic::from).collect()))?;
        crate::syntax::bind(&mut ast, &self.params).map_err(|e| QueryError::Query(vec![Diagnostic::from(e)]))?;
        self.plan_ast(ast, text, filter)
    }

    /// Plans a parsed query; with `named`, indices whose fields are not known yet are planned
    /// from their samples (see [`DataDir::union_schema_named`]). With the indices that were.
    fn plan_against(
        &self,
        ast: &crate::syntax::Query,
        text: &str,
        filter: Option<&crate::search::Query<String>>,
        named: Option<&std::collections::BTreeSet<String>>,
    ) -> Result<(LogicalPlan, Vec<String>), QueryError> {
        let ecs_named = self.ecs_mapped.then(|| ast.names_read());
        let catalog = DirCatalog {
            dir: &self.data,
            data_error: RefCell::new(None),
            named,
            sampled: RefCell::default(),
            ecs_named,
        };
        let opts = plan::PlanOptions { filter, max_rows: self.max_rows };
        let plan = plan::plan_with(ast, text, &catalog, opts).map_err(|d| match catalog.data_error.take() {
            Some(e) => QueryError::Runtime(ExecError::Data(e)),
            None => QueryError::Query(vec![d]),
        });
        let sampled = catalog.sampled.take();
        match plan {
            // A name made null because the samples lack it may be a field of later documents.
            Ok(p) if p.nullified.is_empty() || sampled.is_empty() => Ok((p, sampled)),
            Ok(_) => self.plan_against(ast, text, filter, None),
            // An error planned from samples may be one a field of later documents answers.
            Err(_) if !sampled.is_empty() => self.plan_against(ast, text, filter, None),
            Err(e) => Err(e),
        }
    }

    /// Runs `text`.
    pub fn query(&self, text: &str) -> Result<Output, QueryError> {
        let plan = self.plan(text)?;
        self.run(plan)
    }

    /// Runs a planned query.
    pub fn run(&self, plan: LogicalPlan) -> Result<Output, QueryError> {
        self.run_into(plan, None)
    }

    /// Runs a planned query; with a `sink`, its rows go there batch by batch as they come
    /// (the result then holds none), in the columns of `plan.schema()`.
    /// A bug that panics is the query's error, not a crash of the REPL or of a request.
    pub fn run_into(&self, plan: LogicalPlan, sink: Option<exec::Sink<'_>>) -> Result<Output, QueryError> {
        exec::guard::guarded(|| self.run_at(plan, sink, self.now_ms), QueryError::Runtime)
    }

    /// Runs a planned query with `now()` at `now_ms` (`None`: the wall clock). A cancel set
    /// before the run starts (a server's DELETE racing the start) still stops it; the flag is
    /// cleared when the run ends, for the next query.
    fn run_at(
        &self,
        plan: LogicalPlan,
        sink: Option<exec::Sink<'_>>,
        now_ms: Option<i64>,
    ) -> Result<Output, QueryError> {
        let result = match plan.speculation.clone() {
            Some(spec) => self.run_checked(plan, &spec, sink, now_ms),
            None => self.run_uncleared(plan, sink, now_ms),
        };
        self.cancel.store(false, Ordering::Relaxed);
        self.stop.store(false, Ordering::Relaxed);
        result
    }

    fn run_uncleared(
        &self,
        plan: LogicalPlan,
        sink: Option<exec::Sink<'_>>,
        now_ms: Option<i64>,
    ) -> Result<Output, QueryError> {
        let now_ms = now_ms.unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let threads = (*self.data).as_ref().map_or(1, |d| d.threads);
        let seed = self.seed.unwrap_or_else(|| {
            use std::hash::BuildHasher;
            std::collections::hash_map::RandomState::new().hash_one(now_ms)
        });
        let opts = ExecOptions { now_ms, cancel: Some(self.cancel.clone()), threads, seed };
        let (result, stats, load_warnings) = match &plan.source {
            Source::From { patterns, columns, needed, prefilter } => {
                let dir = (*self.data).as_ref().map_err(|e| QueryError::Runtime(ExecError::Data(e.clone())))?;
                // ESQL_PREFILTER=off reads every row in full (to compare, or to rule it out).
                let pre = match std::env::var("ESQL_PREFILTER").as_deref() {
                    Ok("off") => Vec::new(),
                    _ => prefilter.iter().filter_map(|p| exec::pushdown::prefilter(p, now_ms)).collect(),
                };
                let sampled = plan.speculation.as_ref().map_or(&[][..], |s| &s.sampled[..]);
                let scan = crate::io::Scan::open(dir, patterns, columns, needed, &pre, sampled)
                    .map_err(|e| QueryError::Runtime(ExecError::Data(e)))?;
                let stats = scan.stats();
                let progress = self.watch.map(|watch| watch(stats.clone()));
                // A stop ends the input where it is: the rest of the plan finishes on what was read.
                let stop = self.stop.clone();
                let source = Box::new(
                    scan.map(|r| r.map_err(ExecError::Data)).take_while(move |_| !stop.load(Ordering::Relaxed)),
                );
                let result = exec::execute_into(&plan, source, &opts, &DirTables { dir, cache: &self.tables }, sink);
                drop(progress);
                let mut result = result.map_err(QueryError::Runtime)?;
                let stats = stats.lock().map(|s| s.clone()).unwrap_or_default();
                // Rows the first WHERE rejected while decoding went into it all the same.
                if let Some(first) = result.counts.first_mut() {
                    first.0 += stats.prefiltered;
                }
                let mut warnings = dir.shape_conflicts(patterns);
                warnings.extend(stats.warnings());
                (result, stats, warnings)
            }
            _ => (
                match (*self.data).as_ref() {
                    Ok(dir) => exec::execute_into(
                        &plan,
                        Box::new(std::iter::empty()),
                        &opts,
                        &DirTables { dir, cache: &self.tables },
                        sink,
                    ),
                    Err(_) => exec::execute_into(&plan, Box::new(std::iter::empty()), &opts, &exec::NoTables, sink),
                }
                .map_err(QueryError::Runtime)?,
                ScanStats::default(),
                Vec::new(),
            ),
        };
        let partial = self.stop.load(Ordering::Relaxed);
        Ok(Output { result, load_warnings, stats, plan, partial })
    }
}

/// A pinned `now` written in RFC 3339 (`--now`, the REPL's `.now`, a rule test's `now`), as
/// epoch milliseconds. Here, not in the command line: the REPL and rule tests need it too.
pub fn parse_now(text: &str) -> Result<i64, String> {
    crate::types::text_form::parse_date(text)
        .ok_or_else(|| format!("--now: cannot read [{text}] as an RFC 3339 date (e.g. 2025-07-30T12:00:00Z)"))
}
