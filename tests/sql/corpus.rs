//! Data for corpus queries: for each query, an index per FROM pattern whose mapping has the
//! fields the query names (ECS types where ECS has the field, else the type the query uses
//! it as: a number it is compared with or averaged as, a boolean, keyword otherwise), filled
//! with documents whose values come from the query's own literals, so its conditions hold
//! for some rows and not for others.

use esql::cli::gen::Rng;
use esql::engine::Engine;
use esql::io::OnError;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;

/// Now, for the queries' `now()`: 2025-07-30T12:00:00Z.
pub const NOW_MS: i64 = 1_753_876_800_000;

/// The FROM patterns of `query` as index names (`logs-x-*` → `logs-x-default`), or None
/// when it has no FROM or reads a remote cluster.
pub fn indices(query: &str) -> Option<Vec<String>> {
    let text: String = query.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let lower = text.to_ascii_lowercase();
    let at = lower.find("from ")?;
    let rest = &text[at + 5..];
    let end = rest.find(['|', '\n']).unwrap_or(rest.len());
    let list =
        rest[..end].split_whitespace().take_while(|w| !w.eq_ignore_ascii_case("metadata")).collect::<Vec<_>>().join("");
    let mut out = Vec::new();
    for p in list.split(',').map(str::trim).filter(|p| !p.is_empty() && !p.starts_with('-')) {
        if p.contains(':') {
            return None;
        }
        let p = p.trim_matches('"');
        out.push(if p.ends_with('*') { format!("{}default", p.trim_end_matches('*')) } else { p.replace('*', "x") });
    }
    (!out.is_empty()).then_some(out)
}

/// Strings and numbers written in the query.
fn literals(query: &str) -> (Vec<String>, Vec<f64>) {
    let strings: Vec<String> = regex::Regex::new(r#""((?:[^"\\\n]|\\.)*)""#)
        .map(|re| re.captures_iter(query).map(|c| c[1].replace("\\\\", "\\").replace('*', "x")).collect())
        .unwrap_or_default();
    let numbers: Vec<f64> = regex::Regex::new(r"[^\w.](\d+(?:\.\d+)?)\b")
        .map(|re| re.captures_iter(query).filter_map(|c| c[1].parse().ok()).collect())
        .unwrap_or_default();
    (strings, numbers)
}

/// For each field the query compares with string literals (`f == "x"`, `f IN ("x", "y")`,
/// `f LIKE "x*"`), those literals (wildcards as `x`), so that documents can satisfy the
/// conditions together.
fn compared(query: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Ok(re) = regex::Regex::new(
        r#"(?i)([\w.@`]+)\s*(?:==|:|\blike\b|\brlike\b|\bin\b)\s*\(?([^|]*?)(?:\)|\band\b|\bor\b|\n|$)"#,
    ) else {
        return out;
    };
    let Ok(lit) = regex::Regex::new(r#""((?:[^"\\\n]|\\.)*)""#) else { return out };
    for c in re.captures_iter(query) {
        let field = c[1].trim_matches('`').to_string();
        let values: Vec<String> =
            lit.captures_iter(&c[2]).map(|l| l[1].replace("\\\\", "\\").replace('*', "x")).collect();
        out.entry(field).or_default().extend(values);
    }
    out.retain(|_, v| !v.is_empty());
    out
}

/// The mapping type a field gets: ECS's, keyword otherwise.
fn mapping_type(field: &str) -> &'static str {
    match esql::io::catalog::ecs::lookup(field).map(|f| f.mapping_type) {
        Some("object" | "nested" | "flattened" | "geo_point" | "match_only_text" | "text" | "wildcard") => "keyword",
        Some(t) => t,
        None => "keyword",
    }
}

/// The data directory for `query` under `dir` (NDJSON with mappings, then Parquet in
/// `dir/pq`), or why there is none.
pub fn build(query: &str, dir: &Path, seed: u64) -> Result<(), String> {
    let names = indices(query).ok_or("no local FROM")?;
    let mut fields: BTreeMap<String, &'static str> = BTreeMap::from([("@timestamp".to_string(), "date")]);
    let nd = dir.join("nd");
    let unknown_column = regex::Regex::new(r"Unknown column \[([^\]]+)\]").map_err(|e| e.to_string())?;
    for _ in 0..40 {
        write_mappings(&nd, &names, &fields)?;
        let mut engine = Engine::open(&nd, OnError::Fail);
        engine.now_ms = Some(NOW_MS);
        match engine.plan(query) {
            Ok(_) => break,
            Err(e) => {
                let text = e.render(query);
                let unknown: Vec<String> = unknown_column.captures_iter(&text).map(|c| c[1].to_string()).collect();
                if unknown.is_empty() {
                    if retype(&text, &mut fields) {
                        continue;
                    }
                    return Err(text.lines().next().unwrap_or("").to_string());
                }
                for f in unknown {
                    fields.insert(f.clone(), mapping_type(&f));
                }
            }
        }
    }
    let mut rng = Rng::new(seed);
    let (strings, numbers) = literals(query);
    let pairs = compared(query);
    for name in &names {
        let docs: String = (0..400).map(|_| document(&mut rng, &fields, &strings, &numbers, &pairs) + "\n").collect();
        std::fs::write(nd.join(format!("{name}.ndjson")), docs).map_err(|e| e.to_string())?;
    }
    let source = esql::io::catalog::DataDir::open(&nd, OnError::Fail).map_err(|e| e.to_string())?;
    esql::cli::convert::convert(&source, &dir.join("pq"), esql::cli::convert::Target::Parquet)?;
    Ok(())
}

/// A field typed keyword for want of knowing better, which the query uses as another type
/// (compares with a number, a boolean or an IP, averages), typed as the query uses it; a
/// `KEEP prefix.*` that matches nothing gets the ECS fields under that prefix. True when
/// the fields changed.
fn retype(error: &str, fields: &mut BTreeMap<String, &'static str>) -> bool {
    let error = error.replace('`', "");
    let caught = |pattern: &str| regex::Regex::new(pattern).ok().and_then(|re| re.captures(&error));
    // `f > 21`, `COALESCE(f, ip)`, `f IN (1, 2)`: a keyword field of the expression is the
    // other side's type.
    let mixed = caught(
        r"first argument of \[([^\]]+)\] is \[keyword\] so second argument must also be \[keyword\] but was \[(\w+)\]",
    )
    .or_else(|| caught(r"argument of \[([^\]]+)\] must be \[keyword\], found value \[[^\]]+\] type \[(\w+)\]"));
    if let Some(c) = mixed {
        let ty = as_mapping_type(&c[2]);
        let field = fields.iter().filter(|(f, t)| **t == "keyword" && c[1].contains(f.as_str())).map(|(f, _)| f);
        if let (Some(ty), Some(f)) = (ty, field.min_by_key(|f| c[1].find(f.as_str()))) {
            fields.insert(f.clone(), ty);
            return true;
        }
    }
    // `AVG(f)`, `ST_Y(f)`: the field is the value found.
    if let Some(c) = caught(r"argument of \[[^\]]*\] must be \[([^\]]+)\], found value \[([\w.@-]+)\] type \[keyword\]")
    {
        let wanted = &c[1];
        let ty = if wanted.contains("numeric") {
            Some("double")
        } else {
            wanted.split([',', ' ']).find_map(as_mapping_type)
        };
        if let (Some(ty), true) = (ty, fields.get(&c[2]) == Some(&"keyword")) {
            fields.insert(c[2].to_string(), ty);
            return true;
        }
    }
    if let Some(c) = caught(r"No matches found for pattern \[([\w.@-]+)\*\]") {
        let under: Vec<&str> = esql::io::catalog::ecs::names().filter(|n| n.starts_with(&c[1])).take(3).collect();
        let added = under.iter().filter(|n| !fields.contains_key(**n)).count();
        for n in under {
            fields.entry(n.to_string()).or_insert_with(|| mapping_type(n));
        }
        return added > 0;
    }
    false
}

/// The mapping type the data gives a field of an ES|QL type named in an error.
fn as_mapping_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "integer" | "long" => "long",
        "double" => "double",
        "boolean" => "boolean",
        "ip" => "ip",
        "datetime" | "date" => "date",
        _ => return None,
    })
}

fn write_mappings(nd: &Path, names: &[String], fields: &BTreeMap<String, &str>) -> Result<(), String> {
    std::fs::create_dir_all(nd).map_err(|e| e.to_string())?;
    let mut props = Map::new();
    for (f, ty) in fields {
        insert(&mut props, f, ty)?;
    }
    let mapping = json!({ "properties": props }).to_string();
    for name in names {
        std::fs::write(nd.join(format!("{name}.mapping.json")), &mapping).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn insert(props: &mut Map<String, Json>, field: &str, ty: &str) -> Result<(), String> {
    match field.split_once('.') {
        None => {
            if props.get(field).is_some_and(|v| v.get("properties").is_some()) {
                return Err(format!("{field} is both a field and an object"));
            }
            props.insert(field.to_string(), json!({ "type": ty }));
            Ok(())
        }
        Some((head, rest)) => {
            let entry = props.entry(head.to_string()).or_insert_with(|| json!({ "properties": {} }));
            match entry.get_mut("properties").and_then(Json::as_object_mut) {
                Some(inner) => insert(inner, rest, ty),
                None => Err(format!("{head} is both a field and an object")),
            }
        }
    }
}

fn document(
    rng: &mut Rng,
    fields: &BTreeMap<String, &str>,
    strings: &[String],
    numbers: &[f64],
    pairs: &BTreeMap<String, Vec<String>>,
) -> String {
    let mut doc = Map::new();
    // Half the documents take, for each compared field, one of the values it is compared with.
    let planted = rng.chance(0.5);
    for (f, ty) in fields {
        if let Some(values) = pairs.get(f).filter(|_| planted && matches!(*ty, "keyword" | "text" | "ip")) {
            doc.insert(f.clone(), json!(rng.pick(values)));
            continue;
        }
        if rng.chance(0.15) && f != "@timestamp" {
            continue;
        }
        let n = if rng.chance(0.1) && f != "@timestamp" { 2 } else { 1 };
        let values: Vec<Json> = (0..n).map(|_| value(rng, ty, strings, numbers)).collect();
        doc.insert(f.clone(), if n == 1 { values[0].clone() } else { Json::Array(values) });
    }
    Json::Object(doc).to_string()
}

const IPS: &[&str] = &["10.1.1.1", "192.168.0.5", "8.8.8.8", "203.0.113.9", "2001:db8::5", "44.1.2.3", "127.0.0.1"];
const WORDS: &[&str] = &["admin", "x", "test", "svchost.exe", "success", "failure"];

fn value(rng: &mut Rng, ty: &str, strings: &[String], numbers: &[f64]) -> Json {
    match ty {
        "date" => {
            // Rules look back an hour or a few; some look at days.
            let span = *rng.pick(&[3_600_000u64, 3_600_000, 86_400_000, 7 * 86_400_000]);
            let ms = NOW_MS - rng.below(span) as i64;
            json!(esql::types::text_form::format_date(ms))
        }
        "ip" => json!(rng.pick(IPS)),
        "long" | "integer" | "short" | "byte" => match numbers.is_empty() || rng.chance(0.3) {
            true => json!(rng.below(100)),
            false => json!(*rng.pick(numbers) as i64 + rng.below(3) as i64 - 1),
        },
        "double" | "float" | "half_float" | "scaled_float" => json!(rng.below(1000) as f64 / 8.0),
        "boolean" => json!(rng.chance(0.5)),
        _ if !strings.is_empty() && rng.chance(0.75) => json!(rng.pick(strings)),
        _ => json!(rng.pick(WORDS)),
    }
}
