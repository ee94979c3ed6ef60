//! Planning without a discovery pass. A query that reads only columns it names needs only
//! those fields: the indices whose fields are not known yet (no cache, no full mapping) are
//! planned from a sample of their documents, and the scan checks that the rest of the
//! documents agree (`io::scan::watch`). When they do not, or the query reads columns it
//! does not name (`FROM x` with every column, `KEEP a*`, a KQL string's fields), every field
//! is learned first, as before: that discovery is cached beside the data for the next query.
//!
//! `ESQL_DISCOVERY=full` turns sampling off (every index is discovered in full).

use super::{Engine, Output, QueryError};
use crate::exec;
use crate::plan::{LogicalPlan, Source, Speculation};
use std::collections::BTreeSet;
use std::sync::Arc;

fn sampling() -> bool {
    std::env::var("ESQL_DISCOVERY").map_or(true, |v| v != "full")
}

impl Engine {
    /// Plans a parsed query (parameters bound), from samples where that is enough.
    pub(super) fn plan_ast(
        &self,
        ast: crate::syntax::Query,
        text: &str,
        filter: Option<&crate::search::Query<String>>,
    ) -> Result<LogicalPlan, QueryError> {
        let named = sampling().then(|| {
            let mut named = ast.names_read();
            named.extend(filter.iter().flat_map(|f| f.fields()).cloned());
            named
        });
        let (mut plan, sampled) = self.plan_against(&ast, text, filter, named.as_ref())?;
        if sampled.is_empty() {
            return Ok(plan);
        }
        if !named.as_ref().is_some_and(|n| reads_only(&plan, n)) {
            return Ok(self.plan_against(&ast, text, filter, None)?.0);
        }
        let filter = filter.cloned();
        plan.speculation = Some(Arc::new(Speculation { sampled, query: ast, text: text.to_string(), filter }));
        Ok(plan)
    }

    /// Runs a plan made from samples. Its rows go to `sink` only once the scan has
    /// confirmed it; when the documents disagree, the query is planned with every field and
    /// run again.
    pub(super) fn run_checked(
        &self,
        plan: LogicalPlan,
        spec: &Speculation,
        sink: Option<exec::Sink<'_>>,
        now_ms: Option<i64>,
    ) -> Result<Output, QueryError> {
        let mut out = self.run_uncleared(plan, None, now_ms)?;
        // A stopped query answers with what it read, checked or not.
        if out.stats.checks.hold() || out.partial {
            if let Some(sink) = sink {
                for b in std::mem::take(&mut out.result.batches) {
                    sink(b).map_err(QueryError::Runtime)?;
                }
            }
            return Ok(out);
        }
        let (plan, _) = self.plan_against(&spec.query, &spec.text, spec.filter.as_ref(), None)?;
        self.run_uncleared(plan, sink, now_ms)
    }
}

/// True when every column the FROM decodes is one the query names (or metadata): the
/// other fields of the data cannot change the answer.
fn reads_only(plan: &LogicalPlan, named: &BTreeSet<String>) -> bool {
    let Source::From { columns, needed, .. } = &plan.source else { return true };
    columns
        .iter()
        .zip(needed)
        .filter(|(_, n)| **n)
        .all(|(c, _)| named.contains(&c.name) || crate::io::catalog::is_metadata_field(&c.name))
}
