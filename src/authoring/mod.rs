//! The rule-authoring tools: everything a detection engineer uses around a query besides
//! running it. They sit on the [`Engine`](crate::engine::Engine) and the syntax tree, and
//! nothing in the core imports them.

/// `esql explain`: plan and funnel.
pub mod explain;
/// `esql fmt`: the width-aware layout's options, settings file and TOML rewriting.
pub mod fmt;
/// `esql lint`: logic pitfalls in detection queries.
pub mod lint;
/// Reading queries from `.esql` files and Elastic rule / hunting `.toml` files.
pub mod query_file;
/// What a failing rule test prints: expected rows against the rows the query gave.
pub mod rule_diff;
/// `esql test`: rule tests with fixtures and expectations.
pub mod rule_test;
/// `esql test --init`: a fixture skeleton, one document per branch of a rule.
pub mod test_init;
/// `esql explain --event`: one document through a query.
pub mod trace;
