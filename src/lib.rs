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

/// Argument handling and subcommands of the `esql` binary.
pub mod cli;
/// `esql convert`: data directories to Parquet or Arrow.
pub mod convert;
/// Diagnostics as data, with the one caret renderer.
pub mod diagnostic;
/// The façade: parse, plan and execute over a data directory.
pub mod engine;
/// Executes logical plans over Arrow record batches.
pub mod exec;
/// `esql explain`: plan and funnel.
pub mod explain_cmd;
/// `esql fmt`: canonical layout that keeps comments.
pub mod fmt;
/// The function table: signatures, types, multi-value policy, docs and implementations.
pub mod functions;
/// Deterministic generator of realistic test data for the seed rule.
pub mod gen;
/// Data sources: NDJSON indices in a data directory.
pub mod io;
/// `esql lint`: logic pitfalls in detection queries.
pub mod lint;
/// Result formats: txt, csv, tsv, json, ndjson.
pub mod output;
/// Syntax tree to logical plan: names, types and signatures resolved.
pub mod plan;
/// Progress display for long scans.
pub mod progress;
/// Reading queries from `.esql` files and Elastic rule / hunting `.toml` files.
pub mod query_file;
/// The interactive shell.
pub mod repl;
/// `esql test`: rule tests with fixtures and expectations.
pub mod rule_test;
/// Elasticsearch csv-spec tests: reading, datasets, running.
pub mod spec;
/// `esql spec`: runs csv-spec files and prints the tally.
pub mod spec_cli;
/// ES|QL text to syntax tree (nom), and the tree back to text.
pub mod syntax;
/// `esql explain --event`: one document through a query.
pub mod trace;
/// ES|QL types, values and their Arrow columns.
pub mod types;
