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
        "Rows matching a Kibana KQL query (options: time_zone, default_field, case_insensitive); only in WHERE and STATS.",
    ),
    search(
        "qstr",
        &[req("query", STR), opt("options", STR)],
        "Rows matching a Lucene query string (options: default_field, default_operator, fuzziness, phrase_slop, time_zone); only in WHERE and STATS.",
    ),
    search(
        "match",
        &[req("field", ANY), req("query", ANY), opt("options", STR)],
        "Rows whose field matches the query: any word of a text field (all with {\"operator\": \"and\"}; also minimum_should_match, fuzziness), a keyword exactly.",
    ),
    FunctionDef {
        name: "multi_match",
        params: &[req("query", ANY), req("fields", ANY), opt("options", STR)],
        variadic: true,
        returns: Returns::Fixed(EsType::Boolean),
        kind: Kind::Search,
        doc: "Rows where any of the fields matches the query as MATCH does (type best_fields, most_fields, phrase; cross_fields with operator or); only in WHERE and STATS.",
        column: None,
    },
    search(
        "match_phrase",
        &[req("field", ANY), req("phrase", STR), opt("options", STR)],
        "Rows whose text field holds the phrase's words in a row, or within {\"slop\": N} moves (a keyword: equal to it).",
    ),
];

/// An option a full-text function takes in its trailing map. `fixed`: this engine honours
/// only this value (the default), and refuses another rather than ignore it; options
/// without one are honoured or change only scores, which are not computed.
pub struct SearchOption {
    /// The option's name.
    pub name: &'static str,
    /// The one value accepted, when only the default is.
    pub fixed: Option<&'static str>,
}

const fn o(name: &'static str) -> SearchOption {
    SearchOption { name, fixed: None }
}

const fn only(name: &'static str, value: &'static str) -> SearchOption {
    SearchOption { name, fixed: Some(value) }
}

/// MATCH's options, which MULTI_MATCH takes too.
const MATCH_OPTIONS: &[SearchOption] = &[
    only("analyzer", "standard"),
    o("auto_generate_synonyms_phrase_query"),
    o("boost"),
    o("fuzziness"),
    o("fuzzy_rewrite"),
    only("fuzzy_transpositions", "true"),
    o("lenient"),
    o("max_expansions"),
    o("minimum_should_match"),
    o("operator"),
    only("prefix_length", "0"),
];

/// Each full-text function's options, as Elasticsearch names them (in groups, in order).
pub const SEARCH_OPTIONS: &[(&str, &[&[SearchOption]])] = &[
    ("kql", &[&[o("boost"), o("case_insensitive"), o("default_field"), o("time_zone")]]),
    ("match", &[MATCH_OPTIONS]),
    ("match_phrase", &[&[only("analyzer", "standard"), o("boost"), o("slop"), only("zero_terms_query", "none")]]),
    ("multi_match", &[MATCH_OPTIONS, &[o("slop"), o("tie_breaker"), o("type")]]),
    (
        "qstr",
        &[&[
            o("allow_leading_wildcard"),
            o("analyze_wildcard"),
            only("analyzer", "standard"),
            o("auto_generate_synonyms_phrase_query"),
            o("boost"),
            o("default_field"),
            o("default_operator"),
            only("enable_position_increments", "true"),
            o("fuzziness"),
            o("fuzzy_max_expansions"),
            only("fuzzy_prefix_length", "0"),
            only("fuzzy_transpositions", "true"),
            o("lenient"),
            o("max_determinized_states"),
            o("minimum_should_match"),
            o("phrase_slop"),
            only("quote_analyzer", "standard"),
            only("quote_field_suffix", ""),
            o("rewrite"),
            o("time_zone"),
            only("type", "best_fields"),
        ]],
    ),
];
