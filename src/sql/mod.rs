//! ES|QL to SQL: a planned query (names, types and signatures resolved) lowered to one SQL
//! statement for Apache Spark or DuckDB over the Parquet layout `esql convert` writes.
//!
//! Every field there is an array column (an ES|QL field may hold several values), so the
//! translation tracks, per column, whether it holds arrays ([`Shape::Many`]) or single
//! values, and applies ES|QL's rules where they meet: a single-value function given a
//! multi-value reads null (Elasticsearch also warns; the warning does not travel), `STATS
//! ... BY` a multi-valued key counts the row once per value, aggregates read every value.
//! Inside the statement dates are epoch milliseconds and IPs the 32 hex digits of their
//! 16 bytes (`sql/ip.rs`), so that order and CIDR ranges are Elasticsearch's; the last
//! SELECT turns them back into timestamps and Elasticsearch's address text.
//!
//! Whatever cannot be translated with the same answer is refused with a [`Refusal`] that
//! names it; nothing is translated approximately.

mod calls;
mod convert;
pub mod dialect;
mod expr;
mod extract;
pub mod ip;
pub mod result;
mod stages;

pub use dialect::Dialect;

use crate::plan::{LogicalPlan, Origin};
use crate::types::EsType;
use std::collections::BTreeMap;

/// Why a query (or part of it) has no translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The construct, as a user would name it (`LOOKUP JOIN`, `function st_distance`).
    pub construct: String,
    /// Where it is written, when it is an expression.
    pub origin: Option<Origin>,
}

impl Refusal {
    fn new(construct: impl Into<String>) -> Refusal {
        Refusal { construct: construct.into(), origin: None }
    }

    fn at(construct: impl Into<String>, origin: &Origin) -> Refusal {
        Refusal { construct: construct.into(), origin: Some(origin.clone()) }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.origin {
            Some(o) if o.line > 0 => {
                write!(f, "line {}:{}: {} has no SQL translation with the same answer", o.line, o.col, self.construct)
            }
            _ => write!(f, "{} has no SQL translation with the same answer", self.construct),
        }
    }
}

/// One index a FROM reads: where its Parquet is and which fields it has.
#[derive(Clone, Debug)]
pub struct SourceIndex {
    /// The index name.
    pub name: String,
    /// What `_index` reads for its documents.
    pub metadata_name: String,
    /// The Parquet file (any URI the engine reads).
    pub uri: String,
    /// Its fields and their types.
    pub fields: BTreeMap<String, EsType>,
}

/// The shape of a column's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// At most one value (SQL scalar).
    One,
    /// Any number of values (SQL array, null or empty for none).
    Many,
}

/// A column of an intermediate SELECT (named `c<position>`).
#[derive(Clone, Copy, Debug)]
struct Col {
    ty: EsType,
    shape: Shape,
}

/// `plan` as one SQL statement over `sources` (the indices its FROM matched). `now_ms`
/// stands for `now()`.
pub fn translate(
    plan: &LogicalPlan,
    sources: &[SourceIndex],
    dialect: Dialect,
    now_ms: i64,
) -> Result<String, Refusal> {
    let plan = crate::exec::fold_plan(plan, now_ms);
    let mut b = stages::Builder::source(&plan, sources, dialect)?;
    for stage in &plan.stages {
        b.stage(&stage.step)?;
    }
    Ok(b.finish(plan.schema(), plan.imposed_cap))
}
