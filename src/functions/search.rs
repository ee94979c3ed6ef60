//! The full-text search functions, as the table lists them (signature and doc for `.help`
//! and completion); the planner turns a call into a query (`plan/search.rs`).

use super::p::{opt, req, ANY, STR};
use super::{FunctionDef, Kind, Returns};
use crate::types::EsType;

const fn search(name: &'static str, params: &'static [super::Param], doc: &'static str) -> FunctionDef {
    FunctionDef {
        name,
        params,
        variadic: false,
        returns: Returns::Fixed(EsType::Boolean),
        kind: Kind::Search,
        doc,
        column: None,
    }
}

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    search(
        "kql",
        &[req("query", STR), opt("options", STR)],
        "Rows matching a Kibana KQL query (options: time_zone, default_field); only in WHERE and STATS.",
    ),
    search(
        "qstr",
        &[req("query", STR), opt("options", STR)],
        "Rows matching a Lucene query string (options: default_field); only in WHERE and STATS.",
    ),
    search(
        "match",
        &[req("field", ANY), req("query", ANY), opt("options", STR)],
        "Rows whose field matches the query: any word of a text field (all with {\"operator\": \"and\"}), a keyword exactly.",
    ),
    search(
        "match_phrase",
        &[req("field", ANY), req("phrase", STR)],
        "Rows whose text field holds the phrase's words in a row (a keyword: equal to it).",
    ),
];
