//! Query sources: a plain `.esql` file, an Elastic detection rule `.toml` (`[rule] query`), or
//! a hunting-query `.toml` (`[hunt] query = [...]`, several queries).

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
        Some(p) => (p.display().to_string(), read_text(p).map_err(|e| query_hint(p, e))?),
    };
    let is_toml = path.is_some_and(is_toml);
    if is_toml {
        from_toml(&text).map_err(|e| format!("{name}: {e}"))
    } else {
        Ok(vec![QueryText { label: None, text }])
    }
}

/// A missing "file" that reads as a query (`esql run "FROM logs | LIMIT 5"`) was most
/// likely meant as one: say how to give query text.
fn query_hint(path: &Path, error: String) -> String {
    let text = path.to_string_lossy();
    let first = text.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
    let source = ["FROM", "ROW", "SHOW", "TS", "SET"].contains(&first.as_str());
    if path.exists() || !(source || text.contains('|')) {
        return error;
    }
    format!("{error}\n  = hint: that is query text, not a file: give it with -e, as in `-e '{text}'`")
}

fn read_stdin() -> Result<String, String> {
    Ok(crate::io::files::read_capped(std::io::stdin().lock(), "<stdin>")?)
}

/// A query, rule or test file as text (size-capped).
pub fn read_text(path: &Path) -> Result<String, String> {
    Ok(crate::io::files::read_text(path)?)
}

/// A TOML document as `T`; the error says where: `line L:C: message`.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let at = e.span().map_or(0, |s| s.start).min(text.len());
        let before = text.get(..at).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}:{col}: {}", e.message().trim_end())
    })
}

/// The queries of a rule or hunting TOML document.
pub fn from_toml(text: &str) -> Result<Vec<QueryText>, String> {
    let doc: toml::Table = parse_toml(text)?;
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

/// How Kibana runs a detection rule: every `interval` over `[now - from, now]`, on the rule's
/// timestamp field, with its own LIMIT. Read in one place for `run --window` and `lint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// `from` as written (default `now-6m`).
    pub from: String,
    /// The look-back it gives.
    pub lookback: RuleDuration,
    /// `interval` as written (default `5m`).
    pub interval: String,
    /// The interval, when it can be read.
    pub every: Option<RuleDuration>,
    /// `timestamp_override` (Kibana falls back to `@timestamp` when a document lacks it).
    pub timestamp_override: Option<String>,
    /// `max_signals` (default 100); Kibana appends `| LIMIT max_signals + 1`.
    pub max_signals: u64,
}

/// A rule duration: `60m` of `from = "now-60m"`, `5m` of `interval = "5m"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDuration {
    /// How many units.
    pub n: u64,
    /// `s`, `m`, `h` or `d`.
    pub unit: char,
}

impl RuleDuration {
    /// `60m` (no sign, no `now-`).
    pub fn parse(text: &str) -> Option<RuleDuration> {
        let split = text.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = text.split_at(split);
        let unit = match unit {
            "s" | "m" | "h" | "d" => unit.chars().next()?,
            _ => return None,
        };
        Some(RuleDuration { n: n.parse().ok()?, unit })
    }

    /// As an ES|QL time span: `60 minutes`.
    pub fn esql(&self) -> String {
        let unit = match self.unit {
            's' => "seconds",
            'm' => "minutes",
            'h' => "hours",
            _ => "days",
        };
        format!("{} {unit}", self.n)
    }

    /// Whole minutes, rounding seconds up.
    pub fn minutes(&self) -> u64 {
        match self.unit {
            's' => self.n.div_ceil(60),
            'm' => self.n,
            'h' => self.n.saturating_mul(60),
            _ => self.n.saturating_mul(1440),
        }
    }
}

/// The schedule of a detection rule TOML (`None` for other files); an unreadable `from` is
/// an error, an unreadable `interval` is left out.
pub fn schedule(text: &str) -> Result<Option<Schedule>, String> {
    let doc: toml::Table = parse_toml(text)?;
    let Some(rule) = doc.get("rule").and_then(|r| r.as_table()) else { return Ok(None) };
    let text_of = |key: &str, default: &str| rule.get(key).and_then(|v| v.as_str()).unwrap_or(default).to_string();
    let from = text_of("from", "now-6m");
    let amount = from.strip_prefix("now-").ok_or_else(|| format!("cannot read the rule's from = \"{from}\""))?;
    let lookback =
        RuleDuration::parse(amount).ok_or_else(|| match amount.trim_start_matches(|c: char| c.is_ascii_digit()) {
            "s" | "m" | "h" | "d" => format!("cannot read the rule's from = \"{from}\""),
            unit => format!("unknown unit [{unit}] in the rule's from = \"{from}\""),
        })?;
    let interval = text_of("interval", "5m");
    Ok(Some(Schedule {
        lookback,
        every: RuleDuration::parse(&interval),
        from,
        interval,
        timestamp_override: rule.get("timestamp_override").and_then(|v| v.as_str()).map(str::to_string),
        max_signals: rule.get("max_signals").and_then(|v| v.as_integer()).map_or(100, |m| m.max(0) as u64),
    }))
}

/// The query as Kibana runs it: a window filter right after the source command and its
/// LIMIT at the end. `known(field)` says whether the data has a field.
pub fn windowed(query: &str, s: &Schedule, known: &dyn Fn(&str) -> bool) -> Result<(String, String), String> {
    let ast = crate::syntax::parse(query).map_err(|e| e.first().map_or_else(String::new, |d| d.message.clone()))?;
    let first = ast.commands.first().ok_or("empty query")?;
    let end = first.span.end as usize;
    let ts = match &s.timestamp_override {
        Some(f) if known(f) => format!("COALESCE({}, @timestamp)", crate::syntax::quote_name(f)),
        _ => "@timestamp".to_string(),
    };
    let filter = format!("\n| WHERE {ts} >= now() - {lookback} AND {ts} <= now()", lookback = s.lookback.esql());
    let text = format!("{}{filter}{}\n| LIMIT {}", &query[..end], query[end..].trim_end(), s.max_signals + 1);
    let note = format!(
        "rule-run emulation: only documents with {ts} in [now - {}, now], then LIMIT {}",
        s.lookback.esql(),
        s.max_signals + 1
    );
    Ok((text, note))
}

/// True for a rule or hunt file (`.toml`, in any case), which [`load`] reads as TOML.
pub fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// A file `fmt` or `lint` was given or found: its text and queries, each read once.
/// `Ok(None)` for a TOML file a folder walk found that holds no query: a folder may hold
/// other TOML (named on the command line, it is an error instead).
pub fn read_walked(path: &Path, was_named: bool) -> Result<Option<(String, Vec<QueryText>)>, String> {
    let text = read_text(path)?;
    if !is_toml(path) {
        let queries = vec![QueryText { label: None, text: text.clone() }];
        return Ok(Some((text, queries)));
    }
    match from_toml(&text) {
        Ok(queries) => Ok(Some((text, queries))),
        Err(_) if !was_named => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// A file a folder walk of `fmt` and `lint` takes: queries (`.esql`), and TOML files that
/// are not rule tests or hidden settings (whether they hold a query is read later).
pub fn is_query_file(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with(".esql") || (name.ends_with(".toml") && !name.ends_with(".test.toml") && !name.starts_with('.'))
}

/// The files under `paths` that `keep` accepts: a named file as is, a folder searched
/// through its subfolders (hidden ones and `target` skipped), each folder's files in name
/// order.
pub fn walk(paths: &[std::path::PathBuf], keep: &dyn Fn(&Path) -> bool) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk_dir(p, keep, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk_dir(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk_dir(&p, keep, out);
            }
        } else if keep(&p) {
            out.push(p);
        }
    }
}
