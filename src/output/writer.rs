//! The `esql run` formats written batch by batch, as the result streams out of the engine:
//! CSV, TSV, NDJSON, the JSON body and the Arrow IPC stream hold one batch at a time. `txt`
//! sizes its columns to the longest value, so it holds the result until the end (a result
//! the row cap already bounds). Arrow's column types are fixed before the first row: a
//! column is `list<T>` when the plan says it can hold several values
//! ([`crate::plan::multi`]), else `T`, whatever rows come.

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
    out: Out<W>,
    /// Rows written so far (the JSON body's separators).
    rows: usize,
    /// The batches of a format that needs the whole result.
    held: Vec<RecordBatch>,
    /// CSV's cell separator.
    delimiter: char,
}

/// Where the bytes go: straight out, or through Arrow's stream writer (which owns `out`).
enum Out<W: Write> {
    Text(W),
    Arrow(Box<ArrowOut<W>>),
}

/// An Arrow IPC stream of declared column types.
struct ArrowOut<W: Write> {
    writer: arrow::ipc::writer::StreamWriter<W>,
    schema: arrow::datatypes::SchemaRef,
    lists: Vec<bool>,
}

impl<W: Write> ArrowOut<W> {
    /// The stream's schema: that of an empty result in the portable layout.
    fn new(columns: &[ColumnDef], lists: Vec<bool>, out: W) -> Result<ArrowOut<W>, String> {
        let cols = columns.iter().map(|c| arrow::array::new_empty_array(&c.ty.arrow_type())).collect();
        let empty = crate::types::column::record_batch(columns, cols, 0).map_err(|e| e.to_string())?;
        let schema = crate::io::columnar::portable(&empty, columns, &lists)?.schema();
        let writer = arrow::ipc::writer::StreamWriter::try_new(out, &schema).map_err(|e| e.to_string())?;
        Ok(ArrowOut { writer, schema, lists })
    }

    /// One batch in the declared types (a list's item field named as declared).
    fn write(&mut self, b: &RecordBatch, columns: &[ColumnDef]) -> Result<(), String> {
        let b = crate::io::columnar::portable(b, columns, &self.lists)?;
        let arrays = b
            .columns()
            .iter()
            .zip(self.schema.fields())
            .map(|(a, f)| arrow::compute::cast(a, f.data_type()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let opts = arrow::array::RecordBatchOptions::new().with_row_count(Some(b.num_rows()));
        let b = RecordBatch::try_new_with_options(self.schema.clone(), arrays, &opts).map_err(|e| e.to_string())?;
        self.writer.write(&b).map_err(|e| e.to_string())
    }
}

/// Each row's cells of one batch.
fn batch_rows<'a>(b: &'a RecordBatch, columns: &[ColumnDef]) -> impl Iterator<Item = Vec<Cell<'a>>> + 'a {
    let readers: Vec<ColumnReader<'a>> =
        b.columns().iter().zip(columns).map(|(c, d)| ColumnReader::new(c.as_ref(), d.ty)).collect();
    (0..b.num_rows()).map(move |r| readers.iter().map(|rd| rd.cell(r)).collect())
}

impl<W: Write> Writer<W> {
    /// A writer of `columns` in `format`, `lists` saying which columns can hold several
    /// values (the Arrow types; `None`: all of them); writes what comes before the rows.
    pub fn with_lists(
        format: Format,
        columns: &[ColumnDef],
        lists: Option<Vec<bool>>,
        out: W,
    ) -> std::io::Result<Writer<W>> {
        if format != Format::Arrow {
            return Writer::new(format, columns, out);
        }
        let lists = lists.unwrap_or_else(|| vec![true; columns.len()]);
        let arrow = ArrowOut::new(columns, lists, out).map_err(std::io::Error::other)?;
        let out = Out::Arrow(Box::new(arrow));
        Ok(Writer { format, columns: columns.to_vec(), out, rows: 0, held: Vec::new(), delimiter: ',' })
    }

    /// A writer of `columns` in a text `format`; writes what comes before the rows.
    pub fn new(format: Format, columns: &[ColumnDef], out: W) -> std::io::Result<Writer<W>> {
        Writer::delimited(format, columns, ',', out)
    }

    /// As [`Writer::new`], CSV cells separated by `delimiter` (the `_query` API's parameter).
    pub fn delimited(format: Format, columns: &[ColumnDef], delimiter: char, mut out: W) -> std::io::Result<Writer<W>> {
        if format == Format::Arrow {
            return Writer::with_lists(format, columns, None, out);
        }
        match format {
            Format::Csv | Format::Tsv => {
                let names: Vec<Cell<'_>> =
                    columns.iter().map(|c| Cell::One(crate::types::Value::Str(c.name.as_str().into()))).collect();
                out.write_all(delimited_row(&names, format, delimiter).as_bytes())?;
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
        Ok(Writer { format, columns: columns.to_vec(), out: Out::Text(out), rows: 0, held: Vec::new(), delimiter })
    }

    /// Writes one batch of rows.
    pub fn write(&mut self, b: &RecordBatch) -> std::io::Result<()> {
        let out = match &mut self.out {
            Out::Arrow(arrow) => return arrow.write(b, &self.columns).map_err(std::io::Error::other),
            Out::Text(out) => out,
        };
        match self.format {
            Format::Txt | Format::Arrow => {
                self.held.push(b.clone());
                return Ok(());
            }
            Format::Csv | Format::Tsv => {
                for r in batch_rows(b, &self.columns) {
                    out.write_all(delimited_row(&r, self.format, self.delimiter).as_bytes())?;
                }
            }
            Format::Ndjson => {
                for r in batch_rows(b, &self.columns) {
                    writeln!(out, "{}", ndjson_row(&r, &self.columns))?;
                }
            }
            Format::Json => {
                for r in batch_rows(b, &self.columns) {
                    let row: Vec<serde_json::Value> =
                        r.iter().zip(&self.columns).map(|(c, d)| json_cell(c, d.ty)).collect();
                    let sep = if self.rows == 0 { "" } else { "," };
                    write!(out, "{sep}\n    {}", serde_json::Value::Array(row))?;
                    self.rows += 1;
                }
            }
        }
        Ok(())
    }

    /// Writes what comes after the rows (`took_ms` into the JSON body) and returns the output.
    pub fn finish(mut self, took_ms: u64) -> Result<W, String> {
        let io = |e: std::io::Error| e.to_string();
        let result = self.held_result();
        let mut out = match self.out {
            Out::Arrow(mut arrow) => {
                arrow.writer.finish().map_err(|e| e.to_string())?;
                arrow.writer.into_inner().map_err(|e| e.to_string())?
            }
            Out::Text(out) => out,
        };
        match self.format {
            Format::Json => {
                let open = if self.rows == 0 { "" } else { "\n  " };
                write!(out, "{open}],\n  \"is_partial\": false,\n  \"took\": {took_ms}\n}}\n").map_err(io)?;
            }
            Format::Txt => out.write_all(super::txt(&result).as_bytes()).map_err(io)?,
            Format::Csv | Format::Tsv | Format::Ndjson | Format::Arrow => {}
        }
        out.flush().map_err(io)?;
        Ok(out)
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
