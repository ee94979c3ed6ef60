//! Loads Elasticsearch's csv-spec datasets the way its test loader does: index `X` from
//! `X.csv` (typed header) and `mapping-X.json`, with the exceptions listed in
//! `datasets.json`. Each index becomes an NDJSON file plus a mapping in a directory the
//! ordinary data-directory reader then serves.

use serde_json::{json, Map, Value as Json};
use std::path::{Path, PathBuf};

/// Field type overrides of derived indices (Elasticsearch's loader `withTypeMapping`).
const TYPE_OVERRIDES: &[(&str, &[(&str, &str)])] = &[("hosts_ip_is_kwd", &[("ip0", "keyword"), ("ip1", "keyword")])];

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
        match (csv, no_data) {
            (Some(csv), _) => convert(index, &csv, mapping.as_deref(), out)?,
            (None, true) => convert_empty(index, mapping.as_deref(), out)?,
            (None, false) => missing.push(index.to_string()),
        }
    }
    Ok(Datasets { dir: out.to_path_buf(), missing })
}

fn convert_empty(index: &str, mapping: Option<&Path>, out: &Path) -> Result<(), String> {
    let props = mapping.map(read_properties).transpose()?.unwrap_or_default();
    write(out, index, &props, "")
}

fn read_properties(path: &Path) -> Result<Map<String, Json>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: Json = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(doc["properties"].as_object().cloned().unwrap_or_default())
}

fn write(out: &Path, index: &str, props: &Map<String, Json>, ndjson: &str) -> Result<(), String> {
    let mapping = json!({"properties": props});
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

fn convert(index: &str, csv: &Path, mapping: Option<&Path>, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(csv).map_err(|e| format!("{}: {e}", csv.display()))?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//"));
    let header: Vec<(String, String)> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(|h| {
            let (n, t) = h.split_once(':').unwrap_or((h, "keyword"));
            (n.trim().to_string(), t.trim().to_string())
        })
        .collect();
    let file_props = mapping.map(read_properties).transpose()?.unwrap_or_default();
    let overrides = TYPE_OVERRIDES.iter().find(|(i, _)| *i == index).map_or(&[][..], |(_, o)| *o);
    let header: Vec<(String, String)> = header
        .into_iter()
        .map(|(n, t)| {
            let t = overrides.iter().find(|(f, _)| *f == n).map_or(t, |(_, o)| o.to_string());
            (n, t)
        })
        .collect();
    let mut props = Map::new();
    for (n, t) in header.iter().filter(|(n, _)| n != "_id") {
        let mut def = json!({"type": t});
        // The mapping's multi-fields and normalizer shape how values are read back.
        for key in ["fields", "normalizer"] {
            if let Some(v) = file_props.get(n).and_then(|d| d.get(key)) {
                def[key] = v.clone();
            }
        }
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
    write(out, index, &props, &ndjson)
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
    fn rows_split_outside_brackets_and_quotes() {
        assert_eq!(split_row("a,[b,c],\"d,e\",f"), ["a", "[b,c]", "\"d,e\"", "f"]);
        assert_eq!(cell_json("[1.19, 2]", "double", 100.0), Some(json!([1.19, 2.0])));
        assert_eq!(cell_json("1.7", "float", 100.0), Some(json!(1.7000000476837158)));
        assert_eq!(cell_json("1.7", "half_float", 100.0), Some(json!(1.7001953125)));
        assert_eq!(cell_json("2.03", "scaled_float", 100.0), Some(json!(2.03)));
    }
}
