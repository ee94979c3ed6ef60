//! Elasticsearch's Query DSL (the JSON of `query` and `filter`) as a [`Query`]: `bool`
//! (must, filter, should, must_not, minimum_should_match), `term`, `terms`, `range` (with
//! `time_zone` and date math), `exists`, `match` (operator, minimum_should_match, fuzziness),
//! `match_phrase` (slop), `multi_match`, `wildcard`, `prefix`, `fuzzy`, `regexp`, `ids`,
//! `match_all`, `match_none`, `query_string` and `simple_query_string`, and `nested` (its query over the flattened
//! fields, without tying the clauses to one object). Usable without any ES|QL query.

use super::{Edits, Query, Test};
use crate::types::zone::Zone;
use serde_json::{Map, Value as Json};

/// Parses one query object; the message names what is wrong, as Elasticsearch's parsing
/// errors do.
pub fn parse(json: &Json) -> Result<Query<String>, String> {
    let obj = json.as_object().ok_or_else(|| format!("query malformed, must start with start_object, found {json}"))?;
    let (kind, body) = match obj.iter().next() {
        Some(kv) if obj.len() == 1 => kv,
        _ => return Err("query malformed, expected a single query type".into()),
    };
    match kind.as_str() {
        "match_all" => Ok(Query::All),
        "match_none" => Ok(Query::None),
        "bool" => boolean(body),
        "term" => field_value(kind, body, &["value"]).map(|(f, v, o)| match any_case(o) {
            true => leaf(f, Test::WildcardAnyCase(super::escape_wildcards(&v))),
            false => leaf(f, Test::Term(v)),
        }),
        "terms" => terms(body),
        "range" => range(body),
        "exists" => {
            let field = body.get("field").and_then(Json::as_str).ok_or("[exists] requires a field")?;
            Ok(leaf(field.to_string(), Test::Exists))
        }
        "match" => field_value(kind, body, &["query"]).and_then(|(f, v, opts)| Ok(leaf(f, match_test(v, opts)?))),
        "match_phrase" => field_value(kind, body, &["query"]).map(|(f, v, opts)| {
            match opts.and_then(|o| o.get("slop")).and_then(Json::as_u64).filter(|s| *s > 0) {
                Some(slop) => leaf(f, Test::Near { text: v, slop: slop.min(u64::from(u32::MAX)) as u32 }),
                None => leaf(f, Test::Phrase(v)),
            }
        }),
        "fuzzy" => field_value(kind, body, &["value"]).and_then(|(f, v, opts)| {
            let edits = edits(opts)?.unwrap_or(Edits::Auto(3, 6));
            Ok(leaf(f, Test::Words { text: v, min: None, edits }))
        }),
        "regexp" => field_value(kind, body, &["value"]).map(|(f, v, _)| leaf(f, Test::Regexp(v))),
        "multi_match" => multi_match(body),
        "wildcard" => field_value(kind, body, &["value", "wildcard"]).map(|(f, v, o)| leaf(f, wildcard(v, o))),
        "prefix" => {
            field_value(kind, body, &["value"]).map(|(f, v, o)| leaf(f, wildcard(super::escape_wildcards(&v) + "*", o)))
        }
        "ids" => {
            let values = body.get("values").and_then(Json::as_array).ok_or("[ids] requires values")?;
            Ok(Query::Or(values.iter().map(|v| leaf("_id".into(), Test::Term(text(v)))).collect()))
        }
        "nested" => parse(body.get("query").ok_or("[nested] requires a query")?),
        "query_string" | "simple_query_string" => query_string(kind, body),
        other => Err(format!("unknown query [{other}]")),
    }
}

/// `case_insensitive: true` in a clause's options.
fn any_case(options: Option<&Map<String, Json>>) -> bool {
    options.and_then(|o| o.get("case_insensitive")).and_then(Json::as_bool).unwrap_or(false)
}

fn wildcard(pattern: String, options: Option<&Map<String, Json>>) -> Test {
    if any_case(options) {
        Test::WildcardAnyCase(pattern)
    } else {
        Test::Wildcard(pattern)
    }
}

fn leaf(field: String, test: Test) -> Query<String> {
    Query::Leaf(vec![field], test)
}

/// A value as the text a query compares.
fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `match`'s test: `operator`, `minimum_should_match` and `fuzziness` read.
fn match_test(text: String, opts: Option<&Map<String, Json>>) -> Result<Test, String> {
    let get = |k: &str| opts.and_then(|o| o.get(k));
    let all = get("operator").and_then(Json::as_str).is_some_and(|o| o.eq_ignore_ascii_case("and"));
    let min = get("minimum_should_match").map(self::text);
    Ok(match (edits(opts)?, min) {
        (None, None) => Test::Match { text, all },
        (edits, min) => Test::Words {
            text,
            min: if all { Some("100%".into()) } else { min },
            edits: edits.unwrap_or(Edits::Max(0)),
        },
    })
}

/// `fuzziness` in a clause's options.
fn edits(opts: Option<&Map<String, Json>>) -> Result<Option<Edits>, String> {
    match opts.and_then(|o| o.get("fuzziness")) {
        None => Ok(None),
        Some(v) => Edits::parse(&text(v)).map(Some).ok_or_else(|| format!("invalid fuzziness [{}]", text(v))),
    }
}

/// A leaf clause read: its field, its value as text, and its options object if it has one.
type FieldValue<'j> = (String, String, Option<&'j Map<String, Json>>);

/// `{field: value}` or `{field: {key: value, ...options}}`.
fn field_value<'j>(kind: &str, body: &'j Json, keys: &[&str]) -> Result<FieldValue<'j>, String> {
    let obj = body
        .as_object()
        .filter(|o| o.len() == 1)
        .ok_or_else(|| format!("[{kind}] query malformed, no start_object after query name"))?;
    let (field, v) = obj.iter().next().ok_or_else(|| format!("[{kind}] requires a field"))?;
    match v {
        Json::Object(o) => {
            let value =
                keys.iter().find_map(|k| o.get(*k)).ok_or_else(|| format!("[{kind}] requires [{}]", keys[0]))?;
            Ok((field.clone(), text(value), Some(o)))
        }
        other => Ok((field.clone(), text(other), None)),
    }
}

/// A clause list: one query object or an array of them.
fn clauses(v: Option<&Json>) -> Result<Vec<Query<String>>, String> {
    match v {
        None => Ok(vec![]),
        Some(Json::Array(items)) => items.iter().map(parse).collect(),
        Some(one) => Ok(vec![parse(one)?]),
    }
}

fn boolean(body: &Json) -> Result<Query<String>, String> {
    let mut all = clauses(body.get("must"))?;
    all.extend(clauses(body.get("filter"))?);
    let should = clauses(body.get("should"))?;
    let must_not = clauses(body.get("must_not"))?;
    let minimum = match body.get("minimum_should_match") {
        None => usize::from(all.is_empty() && !should.is_empty()),
        Some(Json::Number(n)) => n.as_u64().unwrap_or(0) as usize,
        Some(Json::String(s)) => minimum_from(s, should.len())?,
        Some(other) => return Err(format!("[bool] minimum_should_match must be a number or string, found {other}")),
    };
    if minimum > 0 {
        all.push(if minimum == 1 { Query::Or(should) } else { Query::AtLeast(minimum, should) });
    }
    all.extend(must_not.into_iter().map(|q| Query::Not(Box::new(q))));
    Ok(if all.is_empty() { Query::All } else { Query::And(all) })
}

/// `"2"`, `"-1"`, `"75%"`, `"-25%"` of `n` clauses.
fn minimum_from(s: &str, n: usize) -> Result<usize, String> {
    let bad = || format!("invalid minimum_should_match [{s}]");
    let (num, pct) = match s.trim().strip_suffix('%') {
        Some(p) => (p.trim().parse::<i64>().map_err(|_| bad())?, true),
        None => (s.trim().parse::<i64>().map_err(|_| bad())?, false),
    };
    let count = if pct { (n as i64 * num.abs()) / 100 } else { num.abs() };
    let m = if num < 0 { n as i64 - count } else { count };
    Ok(m.clamp(0, n as i64) as usize)
}

fn terms(body: &Json) -> Result<Query<String>, String> {
    let obj = body.as_object().ok_or("[terms] query malformed")?;
    let (field, values) = obj.iter().find(|(k, _)| *k != "boost").ok_or("[terms] requires a field")?;
    let values = values.as_array().ok_or("[terms] query does not support a single value; use an array")?;
    Ok(Query::Or(values.iter().map(|v| leaf(field.clone(), Test::Term(text(v)))).collect()))
}

fn range(body: &Json) -> Result<Query<String>, String> {
    let obj = body.as_object().filter(|o| o.len() == 1).ok_or("[range] query malformed")?;
    let (field, bounds) = obj.iter().next().ok_or("[range] requires a field")?;
    let b = |k: &str| bounds.get(k).filter(|v| !v.is_null()).map(text);
    let lower = b("gt").map(|v| (v, false)).or_else(|| b("gte").or_else(|| b("from")).map(|v| (v, true)));
    let upper = b("lt").map(|v| (v, false)).or_else(|| b("lte").or_else(|| b("to")).map(|v| (v, true)));
    let q = leaf(field.clone(), Test::Range { lower, upper });
    match bounds.get("time_zone").and_then(Json::as_str) {
        Some(zone) => {
            Ok(Query::Zoned(Zone::parse(zone).ok_or_else(|| format!("unknown time zone [{zone}]"))?, Box::new(q)))
        }
        None => Ok(q),
    }
}

/// `query_string`: Lucene syntax over `default_field` (or `fields`, any of them; `*` when
/// neither is given).
fn query_string(kind: &str, body: &Json) -> Result<Query<String>, String> {
    let text = body.get("query").and_then(Json::as_str).ok_or_else(|| format!("[{kind}] requires query"))?;
    let fields: Vec<String> = match (body.get("fields"), body.get("default_field")) {
        (Some(Json::Array(fs)), _) => {
            fs.iter().filter_map(Json::as_str).map(|f| f.split('^').next().unwrap_or(f).to_string()).collect()
        }
        (_, Some(Json::String(f))) => vec![f.clone()],
        _ => vec!["*".into()],
    };
    let str_opt = |k: &str| body.get(k).map(self::text);
    let mut defaults = super::qstr::Defaults::field("\u{0}");
    defaults.and = str_opt("default_operator").is_some_and(|o| o.eq_ignore_ascii_case("and"));
    if let Some(f) = str_opt("fuzziness") {
        defaults.fuzziness = Edits::parse(&f).ok_or_else(|| format!("invalid fuzziness [{f}]"))?;
    }
    defaults.phrase_slop = body.get("phrase_slop").and_then(Json::as_u64).map_or(0, |s| s.min(1 << 16) as u32);
    let q = super::qstr::parse_with(text, &defaults)
        .map_err(|e| format!("Failed to parse query [{text}]: {} at {}", e.message, e.at))?;
    // The placeholder field stands for the default fields.
    Ok(q.map_fields(&mut |f: String| if f == "\u{0}" { fields.clone() } else { vec![f] }))
}

fn multi_match(body: &Json) -> Result<Query<String>, String> {
    let text = body.get("query").map(text).ok_or("[multi_match] requires query")?;
    let fields: Vec<String> = match body.get("fields") {
        Some(Json::Array(fs)) => {
            fs.iter().filter_map(Json::as_str).map(|f| f.split('^').next().unwrap_or(f).to_string()).collect()
        }
        _ => vec!["*".into()],
    };
    let phrase = body.get("type").and_then(Json::as_str) == Some("phrase");
    let all = body.get("operator").and_then(Json::as_str).is_some_and(|o| o.eq_ignore_ascii_case("and"));
    let test = if phrase { Test::Phrase(text) } else { Test::Match { text, all } };
    Ok(Query::Leaf(fields, test))
}
