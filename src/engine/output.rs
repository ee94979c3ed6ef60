//! What a query gives back: its [`Output`], or why it did not run ([`QueryError`]).

use crate::diagnostic::Diagnostic;
use crate::exec::{ExecError, QueryResult};
use crate::io::ScanStats;
use crate::plan::LogicalPlan;

/// Why a query did not run.
#[derive(Debug)]
pub enum QueryError {
    /// The text does not parse, or does not plan: diagnostics about the query text.
    Query(Vec<Diagnostic>),
    /// Reading data or executing failed.
    Runtime(ExecError),
}

impl QueryError {
    /// What a front end shows for it on stderr: the diagnostics with their carets under
    /// `text`, or `esql: message`.
    pub fn render(&self, text: &str) -> String {
        match self {
            QueryError::Query(d) => crate::diagnostic::render_all(d, text),
            QueryError::Runtime(e) => format!("esql: {e}\n"),
        }
    }

    /// The command line's exit code: 2 for a query at fault, 1 for a runtime failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            QueryError::Query(_) => 2,
            QueryError::Runtime(_) => 1,
        }
    }
}

/// A query's result with what loading the data had to say.
#[derive(Debug)]
pub struct Output {
    /// Columns, rows and Elasticsearch warnings.
    pub result: QueryResult,
    /// Load-time warnings (malformed values, skipped lines).
    pub load_warnings: Vec<String>,
    /// Statistics of the scan.
    pub stats: ScanStats,
    /// The plan that ran.
    pub plan: LogicalPlan,
    /// Stopped before the end of its input (`Engine::stop`): the answer covers what was read.
    pub partial: bool,
}

impl Output {
    /// The cap the result stopped at when it is not the query's own LIMIT (the implicit
    /// LIMIT 1000, or the row cap under a larger LIMIT) and it cut rows off, or may have:
    /// more rows reached it than it let through, or exactly its number went through.
    pub fn capped_at(&self) -> Option<usize> {
        let n = self.plan.imposed_cap?;
        let (rows_in, rows_out) = *self.result.counts.last()?;
        (rows_in > rows_out || rows_out as usize == n).then_some(n)
    }
}
