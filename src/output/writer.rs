//! The `esql run` formats written batch by batch, as the result streams out of the engine:
//! CSV, TSV, NDJSON and the JSON body hold one batch at a time. `txt` sizes its columns to
//! the longest value and `arrow` writes one record batch, so they hold the result until the
//! end (a result the row cap already bounds).

use super::{delimited_row, json_cell, ndjson_row, Format};
use crate::exec::QueryResult;
use crate::types::column::ColumnReader;
use crate::types::{Cell, ColumnDef};
use arrow::array::RecordBatch;
use std::io::Write;

/// Writes a result in one format to `out` as its batches come.
pub struct Writer<W: Write> {
    format: Format,
    columns: Vec<ColumnDef>,
    out: W,
    /// Rows written so far (the JSON body's separators).
    rows: usize,
    /// The batches of a format that needs the whole result.
    held: Vec<RecordBatch>,
}

/// Each row's cells of one batch.
fn batch_rows<'a>(b: &'a RecordBatch, columns: &[ColumnDef]) -> impl Iterator<Item = Vec<Cell<'a>>> + 'a {
    let readers: Vec<ColumnReader<'a>> =
        b.columns().iter().zip(columns).map(|(c, d)| ColumnReader::new(c.as_ref(), d.ty)).collect();
    (0..b.num_rows()).map(move |r| readers.iter().map(|rd| rd.cell(r)).collect())
}

impl<W: Write> Writer<W> {
    /// A writer of `columns` in `format`; writes what comes before the rows.
    pub fn new(format: Format, columns: &[ColumnDef], mut out: W) -> std::io::Result<Writer<W>> {
        match format {
            Format::Csv | Format::Tsv => {
                let names: Vec<Cell<'_>> =
                    columns.iter().map(|c| Cell::One(crate::types::Value::Str(c.name.as_str().into()))).collect();
                out.write_all(delimited_row(&names, format).as_bytes())?;
            }
            Format::Json => {
                let cols: Vec<String> = columns
                    .iter()
                    .map(|c| format!("    {}", serde_json::json!({"name": c.name, "type": c.ty.name()})))
                    .collect();
                write!(out, "{{\n  \"columns\": [\n{}\n  ],\n  \"values\": [", cols.join(",\n"))?;
            }
            Format::Txt | Format::Ndjson | Format::Arrow => {}
        }
        Ok(Writer { format, columns: columns.to_vec(), out, rows: 0, held: Vec::new() })
    }

    /// Writes one batch of rows.
    pub fn write(&mut self, b: &RecordBatch) -> std::io::Result<()> {
        match self.format {
            Format::Txt | Format::Arrow => {
                self.held.push(b.clone());
                return Ok(());
            }
            Format::Csv | Format::Tsv => {
                for r in batch_rows(b, &self.columns) {
                    self.out.write_all(delimited_row(&r, self.format).as_bytes())?;
                }
            }
            Format::Ndjson => {
                for r in batch_rows(b, &self.columns) {
                    writeln!(self.out, "{}", ndjson_row(&r, &self.columns))?;
                }
            }
            Format::Json => {
                for r in batch_rows(b, &self.columns) {
                    let row: Vec<serde_json::Value> =
                        r.iter().zip(&self.columns).map(|(c, d)| json_cell(c, d.ty)).collect();
                    let sep = if self.rows == 0 { "" } else { "," };
                    write!(self.out, "{sep}\n    {}", serde_json::Value::Array(row))?;
                    self.rows += 1;
                }
            }
        }
        Ok(())
    }

    /// Writes what comes after the rows (`took_ms` into the JSON body) and returns the output.
    pub fn finish(mut self, took_ms: u64) -> Result<W, String> {
        let io = |e: std::io::Error| e.to_string();
        match self.format {
            Format::Json => {
                let open = if self.rows == 0 { "" } else { "\n  " };
                write!(self.out, "{open}],\n  \"is_partial\": false,\n  \"took\": {took_ms}\n}}\n").map_err(io)?;
            }
            Format::Txt => {
                let result = self.held_result();
                self.out.write_all(super::txt(&result).as_bytes()).map_err(io)?;
            }
            Format::Arrow => {
                let result = self.held_result();
                self.out.write_all(&super::arrow_stream(&result)?).map_err(io)?;
            }
            Format::Csv | Format::Tsv | Format::Ndjson => {}
        }
        self.out.flush().map_err(io)?;
        Ok(self.out)
    }

    fn held_result(&mut self) -> QueryResult {
        QueryResult {
            columns: self.columns.clone(),
            batches: std::mem::take(&mut self.held),
            warnings: vec![],
            counts: vec![],
        }
    }
}
