//! What a failing rule test prints: each expected row matched, changed (the nearest row
//! the query gave, with the columns that differ) or missing, then the rows no expectation
//! names.

/// A row as column name and rendered value, in the result's column order.
pub type Row = Vec<(String, String)>;

/// An expected row: the columns it names and their canonical text.
pub type Want = Vec<(String, String)>;

/// The expectations against the rows: `None` when every expected row is found.
pub fn diff(want: &[Want], got: &[Row]) -> Option<String> {
    let mut used = vec![false; got.len()];
    let mut lines = Vec::new();
    let mut failed = false;
    // Exact matches first, so that a changed row is compared with a row nothing else took.
    let exact: Vec<Option<usize>> = want
        .iter()
        .map(|w| {
            let k = (0..got.len()).find(|&k| !used[k] && matches(w, &got[k]) == w.len())?;
            used[k] = true;
            Some(k)
        })
        .collect();
    for (w, hit) in want.iter().zip(exact) {
        if hit.is_some() {
            lines.push(format!("  ok       {}", show_want(w)));
            continue;
        }
        failed = true;
        let nearest = (0..got.len()).filter(|&k| !used[k]).max_by_key(|&k| (matches(w, &got[k]), std::cmp::Reverse(k)));
        match nearest.filter(|&k| matches(w, &got[k]) > 0) {
            Some(k) => {
                used[k] = true;
                lines.push(format!("  changed  {}", show_want(w)));
                for (col, value) in w {
                    match cell(&got[k], col) {
                        Some(v) if v == value => {}
                        Some(v) => lines.push(format!("           {col}: expected {value}, got {v}")),
                        None => {
                            lines.push(format!("           {col}: expected {value}, but the result has no such column"))
                        }
                    }
                }
            }
            None => lines.push(format!("  missing  {}", show_want(w))),
        }
    }
    if !failed {
        return None;
    }
    for (row, _) in got.iter().zip(&used).filter(|(_, u)| !**u) {
        lines.push(format!("  extra    {}", show_row(row)));
    }
    Some(format!("rows (expected against the {} the query gave):\n{}", got.len(), lines.join("\n")))
}

/// The rows the query gave, one per line.
pub fn listing(got: &[Row]) -> String {
    let lines: Vec<String> = got.iter().map(|r| format!("  got      {}", show_row(r))).collect();
    format!("rows the query gave:\n{}", lines.join("\n"))
}

/// How many of `w`'s columns `row` holds with the same value.
fn matches(w: &Want, row: &Row) -> usize {
    w.iter().filter(|(c, v)| cell(row, c) == Some(v.as_str())).count()
}

fn cell<'r>(row: &'r Row, col: &str) -> Option<&'r str> {
    row.iter().find(|(c, _)| c == col).map(|(_, v)| v.as_str())
}

fn show_want(w: &Want) -> String {
    format!("{{ {} }}", w.iter().map(|(c, v)| format!("{c} = {v}")).collect::<Vec<_>>().join(", "))
}

fn show_row(r: &Row) -> String {
    format!("{{ {} }}", r.iter().map(|(c, v)| format!("{c} = {v}")).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&str, &str)]) -> Row {
        cells.iter().map(|(c, v)| (c.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_changed_row_names_the_columns_that_differ_and_the_rest_is_missing_or_extra() {
        let got = [row(&[("ip", "1.1.1.1"), ("n", "2")]), row(&[("ip", "2.2.2.2"), ("n", "5")])];
        let want = [row(&[("ip", "1.1.1.1"), ("n", "3")]), row(&[("ip", "9.9.9.9")])];
        let text = diff(&want, &got).expect("fails");
        assert_eq!(
            text,
            "rows (expected against the 2 the query gave):\n  changed  { ip = 1.1.1.1, n = 3 }\n           n: expected 3, got 2\n  \
             missing  { ip = 9.9.9.9 }\n  extra    { ip = 2.2.2.2, n = 5 }"
        );
        assert_eq!(diff(&[row(&[("n", "5")])], &got), None);
    }
}
