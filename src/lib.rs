//! A local ES|QL engine: Elastic's query language over local files, without a cluster.
//!
//! ```text
//!  text ──syntax::parse──▶ Query (AST, spans) ──plan──▶ LogicalPlan ──exec──▶ RecordBatches
//!                 │                                                      │
//!                 └──────────── diagnostic: caret rendering ◀────────────┘
//! ```
//!
//! Invariants: `syntax` imports nothing else of the crate; `exec` never imports `syntax`;
//! nothing a query or a data file can reach panics.
#![warn(missing_docs)]

/// The rule-authoring tools: query files, fmt, lint, explain, traces, rule tests.
pub mod authoring;
/// Argument handling and subcommands of the `esql` binary.
pub mod cli;
/// Elasticsearch csv-spec tests: reading, datasets, running.
pub mod conformance;
/// Diagnostics as data, with the one caret renderer.
pub mod diagnostic;
/// The façade: parse, plan and execute over a data directory.
pub mod engine;
/// Executes logical plans over Arrow record batches.
pub mod exec;
/// The function table: signatures, types, multi-value policy, docs and implementations.
pub mod functions;
/// Data sources: NDJSON indices in a data directory.
pub mod io;
/// Result formats: txt, csv, tsv, json, ndjson.
pub mod output;
/// Query parameters from JSON and the command line.
pub mod params;
/// Syntax tree to logical plan: names, types and signatures resolved.
pub mod plan;
/// The interactive shell.
pub mod repl;
/// splitmix64, the one random sequence (SAMPLE, the SAMPLE aggregate, `esql gen`).
pub mod rng;
pub mod search;
/// `esql serve`: Elasticsearch's HTTP API over the data directory.
pub mod server;
#[cfg(feature = "spark")]
pub mod spark;
pub mod sql;
/// ES|QL text to syntax tree (nom), and the tree back to text.
pub mod syntax;
/// ES|QL types, values and their Arrow columns.
pub mod types;
/// Wildcard matching (`*` only), shared by name and index patterns.
pub mod wildcard;
