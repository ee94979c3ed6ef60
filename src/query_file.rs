//! Query sources: a plain `.esql` file, an Elastic detection rule `.toml` (`[rule] query`), or
//! a hunting-query `.toml` (`[hunt] query = [...]`, several queries).

use std::io::Read;
use std::path::Path;

/// One query read from a file, with a label when a file holds several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryText {
    /// `query 2 of 3` for hunting files; `None` for single-query files.
    pub label: Option<String>,
    /// The query text, verbatim.
    pub text: String,
}

/// Reads the queries in `path` (`-` or `None` for standard input).
pub fn load(path: Option<&Path>) -> Result<Vec<QueryText>, String> {
    let (name, text) = match path {
        None => ("<stdin>".to_string(), read_stdin()?),
        Some(p) if p.as_os_str() == "-" => ("<stdin>".to_string(), read_stdin()?),
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| format!("{}: not valid UTF-8", p.display()))?;
            (p.display().to_string(), text)
        }
    };
    let is_toml = path.is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")));
    if is_toml {
        from_toml(&text).map_err(|e| format!("{name}: {e}"))
    } else {
        Ok(vec![QueryText { label: None, text }])
    }
}

fn read_stdin() -> Result<String, String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| format!("<stdin>: {e}"))?;
    Ok(s)
}

/// The queries of a rule or hunting TOML document.
pub fn from_toml(text: &str) -> Result<Vec<QueryText>, String> {
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_string())?;
    let found =
        ["rule", "hunt"].iter().find_map(|t| doc.get(*t).and_then(|v| v.get("query"))).or_else(|| doc.get("query"));
    match found {
        Some(toml::Value::String(s)) => Ok(vec![QueryText { label: None, text: s.clone() }]),
        Some(toml::Value::Array(items)) => {
            let n = items.len();
            items
                .iter()
                .enumerate()
                .map(|(k, v)| match v {
                    toml::Value::String(s) => {
                        Ok(QueryText { label: Some(format!("query {} of {n}", k + 1)), text: s.clone() })
                    }
                    _ => Err(format!("query {} of {n} is not a string", k + 1)),
                })
                .collect()
        }
        Some(_) => Err("`query` is not a string or an array of strings".to_string()),
        None => Err("no `query` found (expected [rule] query, [hunt] query or a top-level query)".to_string()),
    }
}
