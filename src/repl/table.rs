//! Result display modes: a boxed table that fits the terminal (vertical records when even
//! that cannot show the result), vertical records, and the `esql run` formats.

use super::layout::{self, Grid};
use crate::exec::QueryResult;
use crate::output::{display_cell, render, rows, terminal_safe, Format};

/// How the REPL shows results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A boxed table fitting the terminal; switches to vertical for one row, or a few rows
    /// of which most columns would be left out.
    Table,
    /// One `column │ value` line per non-null column, rows separated by a rule.
    Vertical,
    /// One of the `esql run` formats.
    Plain(Format),
}

impl Mode {
    /// Parses a `.mode` argument.
    pub fn parse(name: &str) -> Option<Mode> {
        Some(match name {
            "table" | "box" => Mode::Table,
            "vertical" | "line" => Mode::Vertical,
            "csv" => Mode::Plain(Format::Csv),
            "tsv" => Mode::Plain(Format::Tsv),
            "json" => Mode::Plain(Format::Json),
            "ndjson" => Mode::Plain(Format::Ndjson),
            "txt" => Mode::Plain(Format::Txt),
            _ => return None,
        })
    }
}

/// What the table shows: its width and which columns.
#[derive(Clone, Debug)]
pub struct View {
    /// The width budget (`.maxwidth`); `None` is the terminal's.
    pub width: Option<usize>,
    /// Column name patterns (`.columns`); `None` shows every column.
    pub columns: Option<Vec<String>>,
    /// A date (or bucket) and a count draw as bars (`.chart on|off`).
    pub chart: bool,
}

impl Default for View {
    fn default() -> View {
        View { width: None, columns: None, chart: true }
    }
}

impl View {
    /// The width budget in force.
    pub fn width(&self) -> usize {
        self.width.unwrap_or_else(terminal_width)
    }
}

fn terminal_width() -> usize {
    let detected = crossterm::terminal::size().ok().map(|(w, _)| w);
    width_from(std::env::var("COLUMNS").ok().as_deref(), detected)
}

/// `COLUMNS`, else the terminal's size, else 120; a terminal that reports no size (a pty
/// nobody sized says 0 columns) is unknown, not zero wide.
fn width_from(columns: Option<&str>, detected: Option<u16>) -> usize {
    let from_env = columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|w| *w > 0);
    from_env.or(detected.map(usize::from).filter(|w| *w > 0)).unwrap_or(120)
}

/// The result in `mode`.
pub fn render_mode(result: &QueryResult, mode: Mode, view: &View) -> String {
    match mode {
        Mode::Plain(f) => render(result, f, 0),
        Mode::Vertical => vertical(&grid(result, view), view.width()),
        Mode::Table => match super::chart::bars(result).filter(|(_, _, b)| view.chart && b.len() > 1) {
            Some((label, value, bars)) => super::chart::draw(&label, &value, &bars, view.width()),
            None => table(&grid(result, view), view.width()),
        },
    }
}

/// The columns `patterns` pick, in the result's order; all of them without patterns, or
/// when none matches (a stale `.columns` must not hide a whole result).
fn picked(result: &QueryResult, patterns: Option<&[String]>) -> Vec<usize> {
    let all: Vec<usize> = (0..result.columns.len()).collect();
    let Some(patterns) = patterns else { return all };
    let matches = |name: &str| patterns.iter().any(|p| crate::wildcard::glob(p, name));
    let some: Vec<usize> = all.iter().copied().filter(|&k| matches(&result.columns[k].name)).collect();
    if some.is_empty() {
        all
    } else {
        some
    }
}

/// The result as text cells, `None` for null.
fn grid(result: &QueryResult, view: &View) -> Grid {
    let keep = picked(result, view.columns.as_deref());
    let headers =
        keep.iter().map(|&k| (terminal_safe(&result.columns[k].name).into_owned(), result.columns[k].ty.to_string()));
    let numeric = keep.iter().map(|&k| result.columns[k].ty.is_numeric()).collect();
    let cells = rows(result)
        .iter()
        .map(|r| keep.iter().map(|&k| r.get(k).filter(|c| !c.is_null()).map(display_cell)).collect())
        .collect();
    Grid { headers: headers.collect(), cells, numeric }
}

fn table(grid: &Grid, width: usize) -> String {
    let fit = layout::fit(&layout::natural_widths(grid), width);
    let rows = grid.cells.len();
    let few_shown = fit.hidden > fit.widths.len() && rows <= 10;
    if fit.hidden > 0 && (rows == 1 || few_shown) {
        return vertical(grid, width);
    }
    let mut out = layout::draw(grid, &fit);
    if fit.hidden > 0 {
        out.push_str(&layout::hidden_note(grid, &fit, width));
    }
    out
}

/// One `name │ value` line per column that has a value; the row's rule says how many null
/// ones it leaves out (an ECS result is mostly nulls: the union of every document's fields).
fn vertical(grid: &Grid, width: usize) -> String {
    let mut out = String::new();
    for (k, row) in grid.cells.iter().enumerate() {
        let present: Vec<(&str, &str)> =
            grid.headers.iter().zip(row).filter_map(|((n, _), v)| Some((n.as_str(), v.as_deref()?))).collect();
        let nulls = grid.headers.len() - present.len();
        let name_w = present.iter().map(|(n, _)| layout::width_of(n)).max().unwrap_or(0).min(width / 2);
        let note = if nulls > 0 { format!(" {nulls} null columns not shown ") } else { String::new() };
        let head = format!("─[ row {} ]─{note}", k + 1);
        out.push_str(&format!("{head}{}\n", "─".repeat(width.saturating_sub(layout::width_of(&head)).min(40))));
        for (n, v) in present {
            let name = layout::pad(&layout::cut_name(n, name_w), name_w, false);
            out.push_str(&format!("{name} │ {}\n", layout::cut(v, width.saturating_sub(name_w + 3).max(8))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::width_from;

    #[test]
    fn an_unsized_terminal_is_not_zero_wide() {
        assert_eq!(width_from(None, Some(0)), 120);
        assert_eq!(width_from(Some("0"), Some(0)), 120);
        assert_eq!(width_from(None, Some(90)), 90);
        assert_eq!(width_from(Some("200"), Some(90)), 200);
        assert_eq!(width_from(Some("x"), None), 120);
    }
}
