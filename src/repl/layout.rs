//! The boxed table fitted to a width budget, after DuckDB's: each column gets its natural
//! width up to a cap, a longer cell is cut with `…`, columns that do not fit are left out
//! behind a `…` column and named in a note, numbers are right-aligned.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A result as text, ready to lay out.
pub struct Grid {
    /// Each column's name and type.
    pub headers: Vec<(String, String)>,
    /// Each row's cells, as shown; `None` is null.
    pub cells: Vec<Vec<Option<String>>>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
}

/// Which columns fit and how wide each is.
#[derive(Debug, PartialEq, Eq)]
pub struct Fit {
    /// The width of each shown column, the first `widths.len()` columns.
    pub widths: Vec<usize>,
    /// How many columns are left out.
    pub hidden: usize,
}

/// A border, the ` │ ` between columns and the space either side of each cell.
const PER_COLUMN: usize = 3;
/// The left-out columns' marker column: ` … │`.
const ELISION: usize = 1 + PER_COLUMN;
/// A column cut to fit is no narrower than this, unless nothing else fits.
const MIN_CUT: usize = 6;

/// Long columns are cut down to this to show every column, before any is left out.
const SHARED_CAP: usize = 20;

/// The cap on a column's width: a third of the budget, within reason.
fn cap(width: usize) -> usize {
    (width / 3).clamp(16, 48)
}

/// Every column shown, each at most `cap` wide, if that fits `width`.
fn all_at(natural: &[usize], cap: usize, width: usize) -> Option<Fit> {
    let capped: Vec<usize> = natural.iter().map(|n| (*n).clamp(1, cap)).collect();
    let total = 1 + capped.iter().map(|w| w + PER_COLUMN).sum::<usize>();
    (total <= width).then(|| widen(capped, natural, width - total, 0))
}

/// Fits columns of `natural` widths into `width` terminal columns: all of them under the
/// largest cap that lets them fit, down to [`SHARED_CAP`]; else as many as fit at the cap.
pub fn fit(natural: &[usize], width: usize) -> Fit {
    let top = cap(width);
    if let Some(fit) = (SHARED_CAP.min(top)..=top).rev().find_map(|c| all_at(natural, c, width)) {
        return fit;
    }
    let capped: Vec<usize> = natural.iter().map(|n| (*n).clamp(1, top)).collect();
    let budget = width.saturating_sub(1 + ELISION);
    let mut widths = Vec::new();
    let mut used = 0;
    for w in &capped {
        let room = budget.saturating_sub(used + PER_COLUMN);
        if *w <= room {
            widths.push(*w);
            used += w + PER_COLUMN;
            continue;
        }
        // The first column that does not fit is cut to the room left, if that shows enough.
        if room >= MIN_CUT.min(*w) || widths.is_empty() {
            widths.push(room.max(1));
            used += room.max(1) + PER_COLUMN;
        }
        break;
    }
    let hidden = natural.len() - widths.len();
    widen(widths, natural, budget.saturating_sub(used), hidden)
}

/// Gives `spare` columns of width to the columns cut below their natural width, in order.
fn widen(mut widths: Vec<usize>, natural: &[usize], mut spare: usize, hidden: usize) -> Fit {
    for (w, n) in widths.iter_mut().zip(natural) {
        let more = n.saturating_sub(*w).min(spare);
        *w += more;
        spare -= more;
    }
    Fit { widths, hidden }
}

/// Display width of `s` in terminal columns.
pub fn width_of(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` terminal columns, marking the cut with an ellipsis.
pub fn cut(s: &str, max: usize) -> String {
    if width_of(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Cuts a column name to at most `max` terminal columns in the middle: a dotted ECS name
/// is told apart by its last parts (`…authentication_details.succeeded`), placed by its first.
pub fn cut_name(s: &str, max: usize) -> String {
    if width_of(s) <= max || max < 8 {
        return cut(s, max);
    }
    let head = cut(s, max / 3);
    let head = head.trim_end_matches('…');
    let room = max - width_of(head) - 1;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        tail.push(c);
        used += w;
    }
    format!("{head}…{}", tail.iter().rev().collect::<String>())
}

/// `s` cut to `w` columns and padded to exactly `w`, on the right or, for numbers, the left.
pub fn pad(s: &str, w: usize, right: bool) -> String {
    let s = cut(s, w);
    let fill = " ".repeat(w.saturating_sub(width_of(&s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Natural widths: the widest of name, type and cells.
pub fn natural_widths(grid: &Grid) -> Vec<usize> {
    grid.headers
        .iter()
        .enumerate()
        .map(|(c, (name, ty))| {
            let cells = grid.cells.iter().map(|r| r.get(c).map_or(0, |s| width_of(shown(s)))).max().unwrap_or(0);
            width_of(name).max(width_of(ty)).max(cells)
        })
        .collect()
}

/// A cell as the table shows it: null as ES's txt format writes it.
fn shown(cell: &Option<String>) -> &str {
    cell.as_deref().unwrap_or("null")
}

/// One line of the table: the shown cells, then the marker column when some are left out.
fn line(cells: &[Option<String>], fit: &Fit, numeric: &[bool], marker: &str) -> String {
    let mut out = String::from("│");
    for (k, w) in fit.widths.iter().enumerate() {
        let cell = cells.get(k).map_or("", shown);
        out.push_str(&format!(" {} │", pad(cell, *w, numeric.get(k).copied().unwrap_or(false))));
    }
    if fit.hidden > 0 {
        out.push_str(&format!(" {marker} │"));
    }
    out.push('\n');
    out
}

/// A horizontal rule with the given corner and junction characters.
fn rule(fit: &Fit, [left, mid, right]: [char; 3]) -> String {
    let mut parts: Vec<String> = fit.widths.iter().map(|w| "─".repeat(w + 2)).collect();
    if fit.hidden > 0 {
        parts.push("─".repeat(3));
    }
    format!("{left}{}{right}\n", parts.join(&mid.to_string()))
}

/// The grid drawn with `fit`.
pub fn draw(grid: &Grid, fit: &Fit) -> String {
    let mut out = rule(fit, ['┌', '┬', '┐']);
    let names: Vec<Option<String>> =
        grid.headers.iter().zip(&fit.widths).map(|(h, w)| Some(cut_name(&h.0, *w))).collect();
    let types: Vec<Option<String>> = grid.headers.iter().map(|h| Some(h.1.clone())).collect();
    out.push_str(&line(&names, fit, &grid.numeric, "…"));
    out.push_str(&line(&types, fit, &grid.numeric, " "));
    out.push_str(&rule(fit, ['├', '┼', '┤']));
    for row in &grid.cells {
        out.push_str(&line(row, fit, &grid.numeric, "…"));
    }
    out.push_str(&rule(fit, ['└', '┴', '┘']));
    out
}

/// The note under a table whose columns did not all fit: how many, and their names as far
/// as `width` allows.
pub fn hidden_note(grid: &Grid, fit: &Fit, width: usize) -> String {
    let names: Vec<&str> = grid.headers[fit.widths.len()..].iter().map(|h| h.0.as_str()).collect();
    let head = format!("… {} more column{}: ", fit.hidden, if fit.hidden == 1 { "" } else { "s" });
    let list = cut(&names.join(", "), width.saturating_sub(width_of(&head)).max(8));
    format!("{head}{list}\n  (.columns NAME,... picks columns; .mode vertical shows every one)\n")
}

#[cfg(test)]
mod tests {
    use super::{cut, cut_name, fit, Fit};

    #[test]
    fn columns_that_fit_get_their_natural_width() {
        assert_eq!(fit(&[5, 10], 80), Fit { widths: vec![5, 10], hidden: 0 });
    }

    #[test]
    fn a_long_column_is_capped_then_given_what_is_spare() {
        // 1 + (3+3) + (200+3) > 80: the long one is capped at 26, then widened to the budget.
        assert_eq!(fit(&[3, 200], 80), Fit { widths: vec![3, 70], hidden: 0 });
    }

    #[test]
    fn columns_beyond_the_budget_are_left_out() {
        let f = fit(&[20; 10], 80);
        assert_eq!(f.hidden, 10 - f.widths.len());
        let drawn = 1 + f.widths.iter().map(|w| w + 3).sum::<usize>() + 4;
        assert!(drawn <= 80, "{f:?} draws {drawn} columns");
        // A fourth column would get 3 columns of room: too little to show, so it is left out.
        assert_eq!(f.widths, vec![20, 20, 20]);
    }

    #[test]
    fn a_narrow_terminal_still_shows_one_column() {
        assert_eq!(fit(&[40, 40], 10), Fit { widths: vec![2], hidden: 1 });
    }

    #[test]
    fn cuts_count_terminal_columns() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("日本語です", 5), "日本…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn names_are_cut_in_the_middle() {
        let name = "azure.signinlogs.properties.authentication_details.succeeded";
        assert_eq!(cut_name(name, 30), "azure.sig…on_details.succeeded");
        assert_eq!(cut_name("event.outcome", 30), "event.outcome");
        assert_eq!(cut_name("event.outcome", 5), "even…");
    }
}
