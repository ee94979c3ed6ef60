//! Runs csv-spec tests and compares results as Elasticsearch's harness does: typed header
//! (an integer column passes for long), values compared by type (doubles numerically, dates
//! and IPs after parsing), multi-values as lists, `ignoreOrder` as multisets, and warnings.

use super::SpecTest;
use crate::engine::{Engine, QueryError};
use crate::types::text_form::{
    format_date, format_date_nanos, format_double, format_ip, parse_date, parse_date_nanos, parse_ip,
};
use crate::types::{Cell, EsType};

/// How one test ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Results and warnings as expected.
    Passed,
    /// The result table differs (or the query failed).
    Failed(String),
    /// The results match but the warnings differ.
    WarningsDiffer(String),
    /// Uses a command or function we do not implement.
    Unsupported(String),
    /// Not run (disabled upstream, or its dataset is absent).
    Skipped(String),
}

/// Runs one test against `engine`, whose data directory holds the datasets.
pub fn run_test(engine: &Engine, t: &SpecTest, missing: &[String]) -> Outcome {
    if t.ignored {
        return Outcome::Skipped("named -Ignore".into());
    }
    if let Ok(q) = crate::syntax::parse(&t.query) {
        if let Some(m) = missing.iter().find(|m| uses_index(&q, m)) {
            return Outcome::Skipped(format!("dataset {m} is not available"));
        }
        if let Some(p) = missing_policy(engine, &q) {
            return Outcome::Skipped(format!("enrich policy {p} is not available"));
        }
    }
    let out = match engine.query(&t.query) {
        Ok(o) => o,
        Err(QueryError::Query(d)) => {
            let msg = d.first().map_or_else(String::new, |d| d.message.clone());
            return match msg.strip_prefix("unsupported: ") {
                Some(what) => Outcome::Unsupported(what.to_string()),
                None if msg.starts_with("Unknown function") || msg.contains("] is not supported: ") => {
                    Outcome::Unsupported(msg)
                }
                None => Outcome::Failed(format!("error: {msg}")),
            };
        }
        Err(QueryError::Runtime(e)) => return Outcome::Failed(format!("runtime error: {e}")),
    };
    if let Err(diff) = compare_table(t, &out.result) {
        return Outcome::Failed(diff);
    }
    match compare_warnings(t, &out.result.warnings) {
        Ok(()) => Outcome::Passed,
        Err(diff) => Outcome::WarningsDiffer(diff),
    }
}

/// Does the query's FROM name `index` (exactly or through a pattern)?
fn uses_index(q: &crate::syntax::Query, index: &str) -> bool {
    q.commands.iter().any(|c| match &c.kind {
        crate::syntax::CommandKind::From(s) => {
            s.indices.iter().any(|i| crate::io::catalog::pattern::glob(&i.index, index))
        }
        crate::syntax::CommandKind::Join(j) => j.index.index == index,
        _ => false,
    })
}

/// An enrich policy the query uses that the datasets do not define (the `city_*` ones, whose
/// geo data is not copied).
fn missing_policy(engine: &Engine, q: &crate::syntax::Query) -> Option<String> {
    let policies = &engine.data()?.policies;
    q.commands.iter().find_map(|c| match &c.kind {
        crate::syntax::CommandKind::Enrich(e) => {
            (!policies.contains_key(e.policy_name())).then(|| e.policy_name().to_string())
        }
        _ => None,
    })
}

fn compare_table(t: &SpecTest, result: &crate::exec::QueryResult) -> Result<(), String> {
    let actual_names: Vec<String> = result.columns.iter().map(|c| format!("{}:{}", c.name, c.ty)).collect();
    if result.columns.len() != t.header.len() {
        return Err(format!("columns: expected {:?}, got {actual_names:?}", t.header));
    }
    for ((name, ty), col) in t.header.iter().zip(&result.columns) {
        let expected_ty = EsType::from_name(super::dataset::csv_type(ty));
        let ty_ok = expected_ty == Some(col.ty) || (expected_ty == Some(EsType::Long) && col.ty == EsType::Integer);
        if *name != col.name || !ty_ok {
            return Err(format!("columns: expected {:?}, got {actual_names:?}", t.header));
        }
    }
    let types: Vec<EsType> = result.columns.iter().map(|c| c.ty).collect();
    let actual_rows: Vec<Vec<String>> = crate::output::rows(result)
        .iter()
        .map(|r| r.iter().zip(&types).map(|(c, ty)| canon_actual(c, *ty)).collect())
        .collect();
    let mut expected: Vec<String> = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = r.iter().zip(&types).enumerate().map(|(k, (c, ty))| {
                let got = actual_rows.get(i).and_then(|a| a.get(k));
                within(c, ty, got).unwrap_or_else(|| canon_expected(c, *ty))
            });
            cells.collect::<Vec<_>>().join(" | ")
        })
        .collect();
    let mut actual: Vec<String> = actual_rows.iter().map(|r| r.join(" | ")).collect();
    if t.ignore_order {
        expected.sort();
        actual.sort();
    }
    if expected == actual {
        return Ok(());
    }
    Err(format!("rows differ\n  expected:\n    {}\n  actual:\n    {}", expected.join("\n    "), actual.join("\n    ")))
}

/// An expected number written as a range (`1..18`, for what SAMPLE leaves to chance)
/// stands for the actual value of its place when that lies within it.
fn within(cell: &str, ty: &EsType, actual: Option<&String>) -> Option<String> {
    let (lo, hi) = cell.trim().split_once("..")?;
    let (lo, hi, got) = (lo.parse::<f64>().ok()?, hi.parse::<f64>().ok()?, actual?.parse::<f64>().ok()?);
    (ty.is_numeric() && lo <= got && got <= hi).then(|| actual.cloned()).flatten()
}

/// One expected value in canonical text: parsed by type and printed back.
fn canon_value(v: &str, ty: EsType) -> String {
    match ty {
        EsType::Double => v.parse::<f64>().map_or_else(|_| v.to_string(), format_double),
        EsType::Date => parse_date(v).map_or_else(|| v.to_string(), format_date),
        EsType::DateNanos => parse_date_nanos(v).map_or_else(|| v.to_string(), format_date_nanos),
        EsType::Ip => parse_ip(v).map_or_else(|| v.to_string(), |ip| format_ip(&ip)),
        // Geometries compare as geometries (Elasticsearch's harness parses expected WKT too).
        t if t.is_spatial() => crate::types::wkt::canonical(v.trim_matches('"'), t).unwrap_or_else(|_| v.to_string()),
        _ => v.to_string(),
    }
}

fn canon_expected(cell: &str, ty: EsType) -> String {
    if cell.eq_ignore_ascii_case("null") {
        return "null".into();
    }
    if let Some(inner) = cell.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
        let items: Vec<String> = super::dataset::split_mv(inner).iter().map(|e| canon_value(e.trim(), ty)).collect();
        return if items.len() == 1 { items[0].clone() } else { format!("[{}]", items.join(", ")) };
    }
    canon_value(cell, ty)
}

fn canon_actual(cell: &Cell<'_>, ty: EsType) -> String {
    let one = |v: &crate::types::Value<'_>| canon_value(&v.render(), ty);
    match cell {
        Cell::Null => "null".into(),
        Cell::One(v) => one(v),
        Cell::Many(vs) => format!("[{}]", vs.iter().map(one).collect::<Vec<_>>().join(", ")),
    }
}

/// `org.elasticsearch.xpack.ql.QlIllegalArgumentException` became
/// `org.elasticsearch.xpack.esql.core.InvalidArgumentException`; files older than the
/// rename are compared with the new name.
fn renamed(expected: &str) -> String {
    expected.replace(
        "org.elasticsearch.xpack.ql.QlIllegalArgumentException",
        "org.elasticsearch.xpack.esql.core.InvalidArgumentException",
    )
}

fn compare_warnings(t: &SpecTest, actual: &[String]) -> Result<(), String> {
    // Elasticsearch's test framework allows its implicit-limit warning everywhere.
    let actual: Vec<String> = actual
        .iter()
        .filter(|w| *w != crate::plan::NO_LIMIT_WARNING)
        .map(|w| crate::exec::warnings::header_value(w))
        .collect();
    if !t.warning_regexes.is_empty() {
        let res: Vec<regex::Regex> = t.warning_regexes.iter().filter_map(|r| regex::Regex::new(r).ok()).collect();
        let unmatched = actual.iter().any(|w| !res.iter().any(|r| r.is_match(w)));
        return if !unmatched && !actual.is_empty() {
            Ok(())
        } else {
            Err(format!("warnings {actual:?} do not match {:?}", t.warning_regexes))
        };
    }
    // `text#[Emulated:other]`: either form is Elasticsearch's answer (pushed down or not).
    let form = |main: bool| -> Vec<String> {
        t.warnings
            .iter()
            .map(|w| match w.split_once("#[Emulated:") {
                Some((_, e)) if !main => e.strip_suffix(']').unwrap_or(e).trim().to_string(),
                Some((m, _)) => m.trim().to_string(),
                None => w.trim().to_string(),
            })
            .map(|w| renamed(&w))
            .collect()
    };
    // Exactly first; then, as some newer files write `Line \d+:\d+:` in plain warning
    // lines, each expected line as a whole-line regular expression.
    let as_regex = |e: &str| regex::Regex::new(&format!("^(?:{e})$")).ok();
    for expected in [form(true), form(false)] {
        let regexes: Vec<Option<regex::Regex>> = expected.iter().map(|e| as_regex(e)).collect();
        let same = |k: usize, a: &str| {
            let e = &expected[k];
            a == e || strip_location(a) == *e || regexes[k].as_ref().is_some_and(|r| r.is_match(a))
        };
        let all_expected = (0..expected.len()).all(|k| actual.iter().any(|a| same(k, a)));
        let no_extra = actual.iter().all(|a| (0..expected.len()).any(|k| same(k, a)));
        if all_expected && no_extra {
            return Ok(());
        }
    }
    Err(format!("warnings\n  expected: {:#?}\n  actual:   {actual:#?}", form(true)))
}

/// Older files omit `Line L:C: ` on the exception line.
fn strip_location(w: &str) -> String {
    match w.strip_prefix("Line ").and_then(|r| r.split_once(": ")) {
        Some((_, rest)) if !rest.starts_with("evaluation of") => rest.to_string(),
        _ => w.to_string(),
    }
}
