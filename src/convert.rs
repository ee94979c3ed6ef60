//! `esql convert`: rewrites every index of a data directory as Parquet or Arrow IPC, in
//! the layout the columnar reader reads best (see `io::columnar`).

use crate::io::columnar::portable;
use crate::io::DataDir;
use std::path::Path;

/// The target format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `NAME.parquet` (zstd).
    Parquet,
    /// `NAME.arrow` (Arrow IPC file).
    Arrow,
}

/// Converts each index of `dir` into `out`; returns (index, rows) per index.
pub fn convert(dir: &DataDir, out: &Path, to: Target) -> Result<Vec<(String, u64)>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut done = Vec::new();
    for name in dir.names() {
        let columns = dir.union_schema(std::slice::from_ref(&name), &[]).map_err(|e| format!("{e:?}"))?;
        let needed = vec![true; columns.len()];
        let scan = dir.scan(std::slice::from_ref(&name), &columns, &needed, None)?;
        let ext = if to == Target::Parquet { "parquet" } else { "arrow" };
        let path = out.join(format!("{name}.{ext}"));
        let tmp = out.join(format!(".{name}.{ext}.partial"));
        let rows = write(scan, &columns, &tmp, to).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
        if rows == 0 {
            // No batch, no schema to write: an empty index is left out, and said so.
            let _ = std::fs::remove_file(&tmp);
            done.push((name, 0));
            continue;
        }
        std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(m) = dir.indices.iter().find(|i| i.name == name).and_then(|i| i.mapping_file.as_ref()) {
            let target = out.join(format!("{name}.mapping.json"));
            std::fs::copy(m, &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        done.push((name, rows));
    }
    Ok(done)
}

fn write(scan: crate::io::Scan, columns: &[crate::types::ColumnDef], path: &Path, to: Target) -> Result<u64, String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let e = |x: &dyn std::fmt::Display| format!("{}: {x}", path.display());
    let mut rows = 0u64;
    let mut parquet: Option<parquet::arrow::ArrowWriter<std::fs::File>> = None;
    let mut ipc: Option<arrow::ipc::writer::FileWriter<std::fs::File>> = None;
    let mut file = Some(file);
    for b in scan {
        let b = portable(&b?, columns, true)?;
        rows += b.num_rows() as u64;
        if let Some(f) = file.take() {
            match to {
                Target::Parquet => {
                    let props = parquet::file::properties::WriterProperties::builder()
                        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
                        .set_max_row_group_row_count(Some(128 * 1024))
                        .build();
                    parquet =
                        Some(parquet::arrow::ArrowWriter::try_new(f, b.schema(), Some(props)).map_err(|x| e(&x))?);
                }
                Target::Arrow => {
                    ipc = Some(arrow::ipc::writer::FileWriter::try_new(f, &b.schema()).map_err(|x| e(&x))?);
                }
            }
        }
        if let Some(w) = parquet.as_mut() {
            w.write(&b).map_err(|x| e(&x))?;
        }
        if let Some(w) = ipc.as_mut() {
            w.write(&b).map_err(|x| e(&x))?;
        }
    }
    if let Some(w) = parquet {
        w.close().map_err(|x| e(&x))?;
    }
    if let Some(mut w) = ipc {
        w.finish().map_err(|x| e(&x))?;
    }
    Ok(rows)
}
