//! Results compared as ES|QL users read them: rows as a multiset (without a SORT neither
//! engine promises an order, and ties may fall either way), the values of a multi-value as a
//! multiset, doubles to 9 significant digits (sums in another order round differently).

use esql::exec::QueryResult;
use esql::types::column::ColumnReader;
use esql::types::{Cell, Value};

/// The rows of `r`, canonical and sorted.
pub fn rows(r: &QueryResult) -> Vec<String> {
    let mut out = Vec::new();
    for b in &r.batches {
        let readers: Vec<ColumnReader> =
            r.columns.iter().zip(b.columns()).map(|(c, a)| ColumnReader::new(a.as_ref(), c.ty)).collect();
        for i in 0..b.num_rows() {
            let cells: Vec<String> = readers.iter().map(|rd| cell(&rd.cell(i))).collect();
            out.push(cells.join(" | "));
        }
    }
    out.sort();
    out
}

fn cell(c: &Cell<'_>) -> String {
    match c {
        Cell::Null => "null".into(),
        Cell::One(v) => value(v),
        Cell::Many(vs) => {
            let mut t: Vec<String> = vs.iter().map(value).collect();
            t.sort();
            format!("[{}]", t.join(", "))
        }
    }
}

fn value(v: &Value<'_>) -> String {
    match v {
        Value::Double(d) => format!("{d:.8e}"),
        Value::Date(ms) => esql::types::text_form::format_date(*ms),
        Value::Ip(ip) => esql::types::text_form::format_ip(ip),
        Value::Str(s) => format!("{s:?}"),
        other => format!("{other:?}"),
    }
}

/// The first differences between two row lists, for a failure message.
pub fn diff(ours: &[String], theirs: &[String]) -> String {
    let missing: Vec<&String> = ours.iter().filter(|r| !theirs.contains(r)).take(5).collect();
    let extra: Vec<&String> = theirs.iter().filter(|r| !ours.contains(r)).take(5).collect();
    format!("{} rows here, {} there\nonly here: {missing:#?}\nonly there: {extra:#?}", ours.len(), theirs.len())
}
