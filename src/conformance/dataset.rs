//! Loads Elasticsearch's csv-spec datasets the way its test loader does: index `X` from
//! `X.csv` (typed header) and `mapping-X.json`, with the exceptions listed in
//! `datasets.json`. Each index becomes an NDJSON file plus a mapping in a directory the
//! ordinary data-directory reader then serves.

use serde_json::{json, Map, Value as Json};
use std::path::{Path, PathBuf};

/// Field mappings Elasticsearch's loader gives some indices otherwise than their CSV header
/// and mapping file say (`withTypeMapping`, dynamic mapping of a field the mapping lacks,
/// a newer mapping than the one stored), as the JSON of the field's definition.
const TYPE_OVERRIDES: &[(&str, &[(&str, &str)])] = &[
    ("hosts_ip_is_kwd", &[("ip0", r#"{"type": "keyword"}"#), ("ip1", r#"{"type": "keyword"}"#)]),
    (
        "languages_lookup_non_unique_key",
        &[("country", r#"{"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}"#)],
    ),
    (
        "languages_nested_fields",
        &[("language.name", r#"{"type": "text", "fields": {"keyword": {"type": "keyword"}}}"#)],
    ),
];

/// Elasticsearch's test enrich policies and their files (its loader's list).
const ENRICH_POLICIES: &[(&str, &str)] = &[
    ("languages_policy", "enrich-policy-languages.json"),
    ("clientip_policy", "enrich-policy-clientips.json"),
    ("ages_policy", "enrich-policy-ages.json"),
    ("heights_policy", "enrich-policy-heights.json"),
    ("decades_policy", "enrich-policy-decades.json"),
    ("client_cidr_policy", "enrich-policy-client_cidr.json"),
];

/// Copies the enrich policies whose files are there into `out/_enrich/`.
fn load_policies(data: &Path, out: &Path) -> Result<(), String> {
    let dir = out.join("_enrich");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, file) in ENRICH_POLICIES {
        let Ok(text) = std::fs::read_to_string(data.join(file)) else { continue };
        std::fs::write(dir.join(format!("{name}.json")), text).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
}

/// The datasets found, and those referenced but absent.
pub struct Datasets {
    /// The directory holding the converted indices.
    pub dir: PathBuf,
    /// Indices listed as unavailable (their tests are skipped).
    pub missing: Vec<String>,
}

/// Converts every available dataset of `data` (a conformance `data/` folder) into `out`.
pub fn load(data: &Path, out: &Path) -> Result<Datasets, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let listing =
        std::fs::read_to_string(data.join("datasets.json")).map_err(|e| format!("{}: {e}", data.display()))?;
    let entries: Vec<Json> = serde_json::from_str(&listing).map_err(|e| format!("datasets.json: {e}"))?;
    let mut missing = Vec::new();
    for e in &entries {
        let Some(index) = e["index"].as_str() else { continue };
        let csv = e["csv"].as_str().map(|c| data.join(c)).filter(|p| p.is_file());
        let mapping = e["mapping"].as_str().map(|m| data.join(m)).filter(|p| p.is_file());
        let no_data = e["no_data"].as_bool().unwrap_or(false);
        let settings = match e["settings"].as_str().map(|s| data.join(s)).filter(|p| p.is_file()) {
            Some(p) => Some(read_json(&p)?),
            None => None,
        };
        let target = Target { dir: out, index, settings: settings.as_ref() };
        match (csv, no_data) {
            (Some(csv), _) => convert(&target, &csv, mapping.as_deref())?,
            (None, true) => convert_empty(&target, mapping.as_deref())?,
            (None, false) => missing.push(index.to_string()),
        }
    }
    load_policies(data, out)?;
    Ok(Datasets { dir: out.to_path_buf(), missing })
}

/// Where one index goes, with the index settings its entry names (`index.mode: lookup`).
struct Target<'a> {
    dir: &'a Path,
    index: &'a str,
    settings: Option<&'a Json>,
}

fn convert_empty(target: &Target<'_>, mapping: Option<&Path>) -> Result<(), String> {
    let props = mapping.map(read_properties).transpose()?.unwrap_or_default();
    write(target, &props, "")
}

fn read_json(path: &Path) -> Result<Json, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_properties(path: &Path) -> Result<Map<String, Json>, String> {
    Ok(read_json(path)?["properties"].as_object().cloned().unwrap_or_default())
}

fn write(target: &Target<'_>, props: &Map<String, Json>, ndjson: &str) -> Result<(), String> {
    let mut mapping = json!({"properties": props});
    if let Some(s) = target.settings {
        mapping["settings"] = s.clone();
    }
    let (out, index) = (target.dir, target.index);
    let err = |e: std::io::Error| format!("{}: {e}", out.display());
    std::fs::write(out.join(format!("{index}.mapping.json")), mapping.to_string()).map_err(err)?;
    std::fs::write(out.join(format!("{index}.ndjson")), ndjson).map_err(err)
}

/// The `scaling_factor` of a field in the mapping file (flat or nested under `fields`).
fn scaling_factor(props: &Map<String, Json>, name: &str) -> f64 {
    let (parent, sub) = name.split_once('.').unwrap_or((name, ""));
    let def = &props.get(parent).cloned().unwrap_or_default();
    let def = if sub.is_empty() { def } else { &def["fields"][sub] };
    def["scaling_factor"].as_f64().unwrap_or(100.0)
}

fn convert(target: &Target<'_>, csv: &Path, mapping: Option<&Path>) -> Result<(), String> {
    let index = target.index;
    let text = std::fs::read_to_string(csv).map_err(|e| format!("{}: {e}", csv.display()))?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//"));
    let header: Vec<(String, String)> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(|h| {
            let (n, t) = h.split_once(':').unwrap_or((h, "keyword"));
            (n.trim().to_string(), csv_type(t.trim()).to_string())
        })
        .collect();
    let file_props = mapping.map(read_properties).transpose()?.unwrap_or_default();
    let overrides = TYPE_OVERRIDES.iter().find(|(i, _)| *i == index).map_or(&[][..], |(_, o)| *o);
    let defs: Vec<Json> = header
        .iter()
        .map(|(n, t)| match overrides.iter().find(|(f, _)| f == n) {
            Some((_, o)) => serde_json::from_str(o).map_err(|e| format!("override of {index}.{n}: {e}")),
            // A constant_keyword holds its mapping's value in every document, whatever the CSV has.
            None if file_props.get(n).is_some_and(|d| d["type"] == "constant_keyword") => Ok(file_props[n].clone()),
            None => {
                let mut def = json!({"type": t});
                // The mapping's multi-fields and normalizer shape how values are read back.
                for key in ["fields", "normalizer"] {
                    if let Some(v) = file_props.get(n).and_then(|d| d.get(key)) {
                        def[key] = v.clone();
                    }
                }
                Ok(def)
            }
        })
        .collect::<Result<_, _>>()?;
    let header: Vec<(String, String)> =
        header.into_iter().zip(&defs).map(|((n, t), d)| (n, d["type"].as_str().map_or(t, str::to_string))).collect();
    let mut props = Map::new();
    for ((n, _), def) in header.iter().zip(defs).filter(|((n, _), _)| n != "_id") {
        props.insert(n.clone(), def);
    }
    for (n, def) in &file_props {
        let is_constant = def["type"] == "constant_keyword";
        if is_constant && !props.contains_key(n) {
            props.insert(n.clone(), def.clone());
        }
    }
    let mut ndjson = String::new();
    for line in lines {
        let mut doc = Map::new();
        for ((name, ty), cell) in header.iter().zip(split_row(line)) {
            if name == "_id" || cell.trim().is_empty() {
                continue;
            }
            if let Some(v) = cell_json(cell.trim(), ty, scaling_factor(&file_props, name)) {
                doc.insert(name.clone(), v);
            }
        }
        ndjson.push_str(&Json::Object(doc).to_string());
        ndjson.push('\n');
    }
    write(target, &props, &ndjson)
}

/// A CSV header's type as a mapping type: Elasticsearch's test loader also takes short
/// names (`id:l`, `languages:i`) and counter types (`CsvTestUtils.Type`).
pub fn csv_type(t: &str) -> &str {
    match t.to_ascii_lowercase().as_str() {
        "i" | "counter_integer" => "integer",
        "l" | "counter_long" => "long",
        "ul" => "unsigned_long",
        "d" | "counter_double" => "double",
        "counter_float" => "float",
        "k" | "s" | "string" => "keyword",
        "txt" => "text",
        "n" => "null",
        "dt" | "datetime" => "date",
        "v" => "version",
        "bool" => "boolean",
        _ => t,
    }
}

/// Splits a data row on commas outside quotes and `[...]`.
fn split_row(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let (mut cur, mut quoted, mut depth, mut escaped) = (String::new(), false, 0usize, false);
    for c in line.chars() {
        match c {
            _ if escaped => {
                cur.push(c);
                escaped = false;
            }
            '\\' => {
                cur.push(c);
                escaped = true;
            }
            // A quote opens only at the start of a cell (JSON text holds quotes mid-cell).
            '"' if quoted || cur.trim().is_empty() => {
                quoted = !quoted;
                cur.push(c);
            }
            '[' if !quoted => {
                depth += 1;
                cur.push(c);
            }
            ']' if !quoted => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            ',' if !quoted && depth == 0 => cells.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

/// A cell as JSON: `[a, b]` is an array, `[]` absent; values converted by the header type.
fn cell_json(cell: &str, ty: &str, factor: f64) -> Option<Json> {
    if let Some(inner) = cell.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
        let items: Vec<Json> = split_mv(inner).iter().filter_map(|e| scalar(e.trim(), ty, factor)).collect();
        return (!items.is_empty()).then_some(Json::Array(items));
    }
    scalar(&cell.replace("\\,", ","), ty, factor)
}

/// Splits multi-value elements on commas not preceded by `\` (`\,` is a literal comma).
pub fn split_mv(inner: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                cur.push(',');
                chars.next();
            }
            ',' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn scalar(v: &str, ty: &str, factor: f64) -> Option<Json> {
    let v = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(v);
    if v.is_empty() {
        return None;
    }
    Some(match ty {
        // `lo..hi` as the loader writes a range: lower bound in, upper out; a CIDR as is.
        t if t.ends_with("_range") => match v.split_once("..") {
            Some((lo, hi)) => {
                let bound = |b: &str| b.trim().parse::<f64>().map(Json::from).unwrap_or_else(|_| Json::from(b.trim()));
                json!({"gte": bound(lo), "lt": bound(hi)})
            }
            None => Json::from(v),
        },
        "integer" | "long" | "short" | "byte" => v.parse::<i64>().map(Json::from).unwrap_or_else(|_| Json::from(v)),
        "unsigned_long" => v.parse::<u64>().map(Json::from).unwrap_or_else(|_| Json::from(v)),
        "double" => v.parse::<f64>().map(Json::from).unwrap_or_else(|_| Json::from(v)),
        "float" => v.parse::<f32>().map(|f| Json::from(f as f64)).unwrap_or_else(|_| Json::from(v)),
        "half_float" => v.parse::<f64>().map(|f| Json::from(round_half(f))).unwrap_or_else(|_| Json::from(v)),
        // Stored as Math.round(v * factor), read back divided by it as the newest files expect
        // (1.63 stays 1.63; the 2023 floats.csv-spec expected 2.0300000000000002 for 2.03).
        "scaled_float" => {
            v.parse::<f64>().map(|f| Json::from((f * factor + 0.5).floor() / factor)).unwrap_or_else(|_| Json::from(v))
        }
        "boolean" => match v {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            other => Json::from(other),
        },
        _ => Json::from(v),
    })
}

/// The nearest IEEE half-precision value, widened back.
fn round_half(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let exp = x.abs().log2().floor().clamp(-14.0, 15.0);
    let step = 2f64.powf(exp - 10.0);
    (x / step).round() * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_type_names_are_mapping_types() {
        assert_eq!(
            ["l", "i", "UL", "txt", "s", "dt", "bool", "byte"].map(csv_type),
            ["long", "integer", "unsigned_long", "text", "keyword", "date", "boolean", "byte"]
        );
    }

    #[test]
    fn rows_split_outside_brackets_and_quotes() {
        assert_eq!(split_row("a,[b,c],\"d,e\",f"), ["a", "[b,c]", "\"d,e\"", "f"]);
        assert_eq!(cell_json("[1.19, 2]", "double", 100.0), Some(json!([1.19, 2.0])));
        assert_eq!(cell_json("1.7", "float", 100.0), Some(json!(1.7000000476837158)));
        assert_eq!(cell_json("1.7", "half_float", 100.0), Some(json!(1.7001953125)));
        assert_eq!(cell_json("2.03", "scaled_float", 100.0), Some(json!(2.03)));
    }
}
