//! Result formats of Elasticsearch's `_query` API: `txt` (the CLI table), `csv`, `tsv`, the
//! JSON response body, and NDJSON (one object per row).

use crate::exec::QueryResult;
use crate::types::column::ColumnReader;
use crate::types::{Cell, EsType, Value};
use serde_json::{json, Map, Value as Json};

mod writer;
pub use writer::Writer;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Elasticsearch's `format=txt` table.
    Txt,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// The `_query` response body: columns and rows of values.
    Json,
    /// One JSON object per row.
    Ndjson,
    /// An Arrow IPC stream (binary; pyarrow.ipc.open_stream reads it). IPs as text, the ES
    /// type in each field's `esql.type` metadata, a list where the plan says a row can hold
    /// several values (`plan::multi`).
    Arrow,
}

/// Every row's cells, column by column.
pub fn rows(result: &QueryResult) -> Vec<Vec<Cell<'_>>> {
    let mut out = Vec::with_capacity(result.num_rows());
    for b in &result.batches {
        let readers: Vec<ColumnReader<'_>> =
            b.columns().iter().zip(&result.columns).map(|(c, d)| ColumnReader::new(c.as_ref(), d.ty)).collect();
        for r in 0..b.num_rows() {
            out.push(readers.iter().map(|rd| rd.cell(r)).collect());
        }
    }
    out
}

/// Renders the result in `format` (text formats; `arrow` goes through [`Writer`]); `took_ms`
/// goes into the JSON body.
pub fn render(result: &QueryResult, format: Format, took_ms: u64) -> String {
    let written = Writer::new(format, &result.columns, Vec::new())
        .map_err(|e| e.to_string())
        .and_then(|mut w| result.batches.iter().try_for_each(|b| w.write(b)).map_err(|e| e.to_string()).map(|_| w))
        .and_then(|w| w.finish(took_ms));
    match written {
        Ok(bytes) if format != Format::Arrow => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    }
}

/// The txt table: column width is max(15, name, longest value); names centred; values
/// left-aligned.
pub fn txt(result: &QueryResult) -> String {
    let rows: Vec<Vec<String>> = rows(result).iter().map(|r| r.iter().map(display_cell).collect()).collect();
    let widths: Vec<usize> = result
        .columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let name = terminal_safe(&c.name).chars().count();
            rows.iter().map(|r| r[k].chars().count()).chain([15, name]).max().unwrap_or(15)
        })
        .collect();
    let mut out = String::new();
    let header: Vec<String> = result
        .columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| {
            let name = terminal_safe(&c.name);
            let len = name.chars().count();
            let left = (w - len) / 2;
            format!("{}{name}{}", " ".repeat(left), " ".repeat(w - len - left))
        })
        .collect();
    out.push_str(&header.join("|"));
    out.push('\n');
    out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("+"));
    out.push('\n');
    for r in rows {
        let cells: Vec<String> =
            r.iter().zip(&widths).map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count()))).collect();
        out.push_str(&cells.join("|"));
        out.push('\n');
    }
    out
}

/// One CSV (RFC 4180, CRLF; `delimiter` between cells, `,` unless asked) or TSV (backslash
/// escapes) line.
fn delimited_row(cells: &[Cell<'_>], format: Format, delimiter: char) -> String {
    let (sep, eol) = if format == Format::Tsv { ('\t', "\n") } else { (delimiter, "\r\n") };
    let quote = |c: &Cell<'_>| {
        let s = if c.is_null() { String::new() } else { c.render() };
        if format == Format::Csv && s.contains([sep, '"', '\r', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else if format == Format::Tsv {
            terminal_safe(&s.replace('\\', "\\\\")).into_owned()
        } else {
            s
        }
    };
    let mut line = cells.iter().map(quote).collect::<Vec<_>>().join(&sep.to_string());
    line.push_str(eol);
    line
}

/// A value as the JSON response shows it.
pub fn json_value(v: &Value<'_>, ty: EsType) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Long(l) => json!(l),
        Value::ULong(u) => json!(u),
        // Jackson quotes what JSON has no number for: "Infinity", "-Infinity", "NaN".
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or_else(|| Json::String(v.render()), Json::Number),
        Value::Str(s) if ty == EsType::Null => Json::String(s.to_string()),
        // A document is shown as the object it is, as Elasticsearch shows `_source`.
        Value::Str(s) if ty == EsType::Source => {
            serde_json::from_str(s).unwrap_or_else(|_| Json::String(s.to_string()))
        }
        other => Json::String(other.render()),
    }
}

/// A cell: null, a value, or an array for a multi-value.
pub fn json_cell(c: &Cell<'_>, ty: EsType) -> Json {
    match c {
        Cell::Null => Json::Null,
        Cell::One(v) => json_value(v, ty),
        Cell::Many(vs) => Json::Array(vs.iter().map(|v| json_value(v, ty)).collect()),
    }
}

/// The `_query` response body.
pub fn json_body(result: &QueryResult, took_ms: u64) -> Json {
    let columns: Vec<Json> = result.columns.iter().map(|c| json!({"name": c.name, "type": c.ty.name()})).collect();
    let values: Vec<Json> = rows(result)
        .iter()
        .map(|r| Json::Array(r.iter().zip(&result.columns).map(|(c, d)| json_cell(c, d.ty)).collect()))
        .collect();
    json!({"took": took_ms, "is_partial": false, "columns": columns, "values": values})
}

/// One row as one JSON object, keyed by column name.
fn ndjson_row(cells: &[Cell<'_>], columns: &[crate::types::ColumnDef]) -> Json {
    let mut obj = Map::new();
    for (c, d) in cells.iter().zip(columns) {
        obj.insert(d.name.clone(), json_cell(c, d.ty));
    }
    Json::Object(obj)
}

/// A cell as a terminal shows it: control characters escaped.
pub fn display_cell(c: &Cell<'_>) -> String {
    terminal_safe(&c.render()).into_owned()
}

/// `s` with every control character written out (`\n`, `\r`, `\t`, else `\u001b`), and the
/// bidirectional overrides too: a log value must not clear the screen, set the window title,
/// fill the clipboard (OSC 52), move the cursor to forge a row, or reorder what is shown.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(risky) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if risky(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What to say when a result stops at its cap.
pub fn cap_note(n: usize, max_rows: Option<usize>) -> String {
    if max_rows.is_none() && n == crate::plan::MAX_LIMIT {
        format!("the result stops at {n} rows, Elasticsearch's cap on a result; --max-rows N lifts it here")
    } else if max_rows == Some(n) {
        format!("the result stops at --max-rows {n}")
    } else {
        format!("the result stops at {n} rows, the implicit LIMIT of a query without one; add | LIMIT N for more")
    }
}
