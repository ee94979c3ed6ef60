//! A query as SQL for another engine (`esql sql`, `esql run --engine spark`): planned here
//! against the data directory, lowered by `sql::translate` over the Parquet files of the
//! indices its FROM matches.

use super::{Engine, QueryError};
use crate::diagnostic::Diagnostic;
use crate::plan::{LogicalPlan, Source};
use crate::sql::{Dialect, Refusal, SourceIndex};

impl Engine {
    /// `text` as one SQL statement. `base` is where the engine will find `NAME.parquet`
    /// for each index (default: the Parquet files of the data directory, else the
    /// directory itself). A construct without a translation is an error at its spot.
    pub fn translate(&self, text: &str, dialect: Dialect, base: Option<&str>) -> Result<String, QueryError> {
        let plan = self.plan(text)?;
        self.translate_plan(&plan, dialect, base).map_err(|r| refused(&r, text))
    }

    /// A planned query as SQL, or what stopped it.
    pub fn translate_plan(&self, plan: &LogicalPlan, dialect: Dialect, base: Option<&str>) -> Result<String, Refusal> {
        let sources = self.sources(plan, base)?;
        let now = self.now_ms.unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        crate::sql::translate(plan, &sources, dialect, now)
    }

    fn sources(&self, plan: &LogicalPlan, base: Option<&str>) -> Result<Vec<SourceIndex>, Refusal> {
        let Source::From { patterns, .. } = &plan.source else { return Ok(Vec::new()) };
        let no_data = || Refusal { construct: "a FROM without data".into(), origin: None };
        let dir = self.data().ok_or_else(no_data)?;
        let indices = dir.resolve(patterns).map_err(|_| no_data())?;
        let mut out = Vec::new();
        for index in indices {
            let columns = dir.union_schema(std::slice::from_ref(&index.name), &[]).map_err(|_| no_data())?;
            let stem = crate::io::catalog::stem_of_index(&index.name);
            let uri = match (base, index.files.as_slice()) {
                (Some(b), _) => format!("{}/{stem}.parquet", b.trim_end_matches('/')),
                (None, [f]) if f.extension().is_some_and(|e| e == "parquet") => absolute(f),
                (None, _) => format!("{}/{stem}.parquet", absolute(&dir_root(index))),
            };
            let fields = columns.into_iter().map(|c| (c.name, c.ty)).collect();
            out.push(SourceIndex { name: index.name.clone(), metadata_name: index.metadata_name(), uri, fields });
        }
        Ok(out)
    }
}

fn dir_root(index: &crate::io::catalog::Index) -> std::path::PathBuf {
    let first = index.files.first().map(|f| f.as_path()).unwrap_or(std::path::Path::new("."));
    // A part of a folder index lives one level deeper.
    let parent = first.parent().unwrap_or(std::path::Path::new("."));
    if parent.file_name().is_some_and(|n| n.to_string_lossy() == index.name) {
        parent.parent().unwrap_or(parent).to_path_buf()
    } else {
        parent.to_path_buf()
    }
}

fn absolute(p: &std::path::Path) -> String {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()).to_string_lossy().into_owned()
}

/// A refusal of `text` as the error a front end renders, under the spot it names.
pub fn refused(r: &Refusal, text: &str) -> QueryError {
    QueryError::Query(vec![refusal(r, text)])
}

fn refusal(r: &Refusal, text: &str) -> Diagnostic {
    let span = r.origin.as_ref().filter(|o| o.line > 0).and_then(|o| {
        let start: usize = text.split_inclusive('\n').take(o.line as usize - 1).map(str::len).sum();
        let line = text[start..].lines().next().unwrap_or("");
        let col = line.char_indices().nth(o.col as usize - 1).map(|(i, _)| i)?;
        Some((start + col, start + col + o.text.len().max(1)))
    });
    let message = format!("{} has no SQL translation with the same answer", r.construct);
    Diagnostic::error(message, span).with_hint("run this query with esql run, or rewrite it without this construct")
}
