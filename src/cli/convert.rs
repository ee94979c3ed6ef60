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

/// Per index its name and rows written, and the load warnings of the reads.
pub type Converted = (Vec<(String, u64)>, Vec<String>);

/// Converts each index of `dir` into `out`; returns (index, rows) per index, and the load
/// warnings of the reads (values that did not fit their type are null in the output too).
pub fn convert(dir: &DataDir, out: &Path, to: Target) -> Result<Converted, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    refuse_inside_data(dir, out)?;
    let (mut done, mut warnings) = (Vec::new(), Vec::new());
    for name in dir.names() {
        let columns = dir.union_schema(std::slice::from_ref(&name), &[]).map_err(|e| e.to_string())?;
        let needed = vec![true; columns.len()];
        let scan = crate::io::Scan::open(dir, std::slice::from_ref(&name), &columns, &needed, &[], &[])?;
        let stats = scan.stats();
        let ext = if to == Target::Parquet { "parquet" } else { "arrow" };
        // Hidden indices as `~NAME`: Spark and Hadoop skip files whose names start with a dot.
        let stem = crate::io::catalog::stem_of_index(&name);
        let path = out.join(format!("{stem}.{ext}"));
        // No batch, no schema to write: an empty index is left out, and said so.
        let written = crate::io::files::write_with(&path, |file| match write(scan, &columns, file, &path, to)? {
            0 => Err(EMPTY.into()),
            rows => Ok(rows),
        });
        let rows = match written {
            Err(e) if e == EMPTY.into() => 0,
            other => other?,
        };
        if rows > 0 {
            if let Some(m) = dir.indices.iter().find(|i| i.name == name).and_then(|i| i.mapping_file.as_ref()) {
                let target = out.join(format!("{stem}.mapping.json"));
                let bytes = std::fs::read(m).map_err(|e| format!("{}: {e}", m.display()))?;
                crate::io::files::write(&target, &bytes)?;
            }
        }
        warnings.extend(stats.lock().map(|s| s.warnings()).unwrap_or_default());
        done.push((name, rows));
    }
    Ok((done, warnings))
}

const EMPTY: &str = "an index without rows";

/// Writing into the data directory would add a second format to each index (or a folder
/// that reads as a new index) and change what later queries read.
pub(super) fn refuse_inside_data(dir: &DataDir, out: &Path) -> Result<(), String> {
    let canon = |p: &Path| p.canonicalize().map_err(|e| format!("{}: {e}", p.display()));
    if canon(out)?.starts_with(canon(&dir.root)?) {
        return Err(format!(
            "--out {} is inside the data directory {}: the converted files would join its indices; choose another folder",
            out.display(),
            dir.root.display()
        ));
    }
    Ok(())
}

fn write(
    scan: crate::io::Scan,
    columns: &[crate::types::ColumnDef],
    file: std::fs::File,
    path: &Path,
    to: Target,
) -> Result<u64, String> {
    let e = |x: &dyn std::fmt::Display| format!("{}: {x}", path.display());
    let mut rows = 0u64;
    let mut parquet: Option<parquet::arrow::ArrowWriter<std::fs::File>> = None;
    let mut ipc: Option<arrow::ipc::writer::FileWriter<std::fs::File>> = None;
    let mut file = Some(file);
    for b in scan {
        let b = portable(&b?, columns, &vec![true; columns.len()])?;
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

/// `esql convert`: the documents written per index, then the load warnings.
pub(super) fn convert_cmd(data: Option<std::path::PathBuf>, to: super::args::ConvertTo, out: &std::path::Path) -> i32 {
    let dir = match crate::io::DataDir::open(&crate::engine::Engine::default_dir(data), crate::io::OnError::Fail) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let target = match to {
        super::args::ConvertTo::Parquet => Target::Parquet,
        super::args::ConvertTo::Arrow => Target::Arrow,
    };
    match convert(&dir, out, target) {
        Ok((done, warnings)) => {
            for (name, rows) in done {
                eprintln!("esql: {name}: {rows} documents");
            }
            for w in warnings {
                eprintln!("esql: warning: {}", crate::output::terminal_safe(&w));
            }
            0
        }
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}
