//! Result display modes: a boxed table that fits the terminal, vertical records, and the
//! `esql run` formats.

use crate::exec::QueryResult;
use crate::output::{display_cell, render, rows, terminal_safe, Format};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

/// How the REPL shows results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A boxed table fitting the terminal; long values cut with an ellipsis.
    Table,
    /// One `column: value` line per column, rows separated by a rule.
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

fn terminal_width() -> usize {
    width_from(std::env::var("COLUMNS").ok().as_deref(), Table::new().width())
}

/// `COLUMNS`, else the terminal's size, else 120; a terminal that reports no size (a pty
/// nobody sized says 0 columns) is unknown, not zero wide.
fn width_from(columns: Option<&str>, detected: Option<u16>) -> usize {
    let from_env = columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|w| *w > 0);
    from_env.or(detected.map(usize::from).filter(|w| *w > 0)).unwrap_or(120)
}

/// Cuts `s` to at most `max` characters, marking the cut with an ellipsis.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The result in `mode`.
pub fn render_mode(result: &QueryResult, mode: Mode) -> String {
    match mode {
        Mode::Plain(f) => render(result, f, 0),
        Mode::Vertical => vertical(result),
        Mode::Table => table(result),
    }
}

fn table(result: &QueryResult) -> String {
    let width = terminal_width();
    let cols = result.columns.len().max(1);
    let max_cell = (width.saturating_sub(cols * 3) / cols).max(8);
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_width(width as u16);
    t.set_header(result.columns.iter().map(|c| format!("{}\n{}", terminal_safe(&c.name), c.ty)));
    for r in rows(result) {
        t.add_row(r.iter().map(|c| cut(&display_cell(c), max_cell)));
    }
    format!("{t}\n")
}

fn vertical(result: &QueryResult) -> String {
    let name_width = result.columns.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, r) in rows(result).iter().enumerate() {
        out.push_str(&format!("-[ row {} ]{}\n", k + 1, "-".repeat(20)));
        for (c, v) in result.columns.iter().zip(r) {
            out.push_str(&format!("{:>w$} | {}\n", terminal_safe(&c.name), display_cell(v), w = name_width));
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
