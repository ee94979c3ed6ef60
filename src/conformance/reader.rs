//! Reads Elasticsearch's csv-spec test files (format: `shared/docs/csv-spec-format.md`).

/// One test block of a csv-spec file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecTest {
    /// The test's name (without `#[...]` instructions).
    pub name: String,
    /// 1-based line of the name in the file.
    pub line: usize,
    /// The query, lines joined with `\n`, without its final `;`.
    pub query: String,
    /// `required_capability:` values.
    pub capabilities: Vec<String>,
    /// Expected `warning:` lines.
    pub warnings: Vec<String>,
    /// Expected `warningRegex:` lines.
    pub warning_regexes: Vec<String>,
    /// `ignoreOrder:true`.
    pub ignore_order: bool,
    /// Expected columns: (name, type) as written.
    pub header: Vec<(String, String)>,
    /// Expected rows: raw cells (trimmed, CSV quotes removed).
    pub rows: Vec<Vec<String>>,
    /// Named `*-Ignore`: disabled upstream.
    pub ignored: bool,
}

/// Reads every test of a csv-spec file's text.
pub fn read_spec(text: &str) -> Vec<SpecTest> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'));
    let mut tests = Vec::new();
    while let Some((line, name_line)) = lines.next() {
        let name = name_line.split('#').next().unwrap_or(name_line).trim().to_string();
        let mut t = SpecTest { ignored: name.ends_with("-Ignore"), name, line, ..SpecTest::default() };
        read_query(&mut lines, &mut t);
        read_results(&mut lines, &mut t);
        tests.push(t);
    }
    tests
}

/// Header directives, then query lines up to one ending in `;` (`\;` is an escaped `;`).
fn read_query<'a>(lines: &mut impl Iterator<Item = (usize, &'a str)>, t: &mut SpecTest) {
    let mut query_lines: Vec<String> = Vec::new();
    for (_, l) in lines.by_ref() {
        if query_lines.is_empty() && is_directive(l) {
            if let Some(cap) = l.strip_prefix("required_capability:") {
                t.capabilities.push(cap.trim().to_string());
            }
            continue;
        }
        if let Some(stmt) = l.strip_suffix("\\;") {
            query_lines.push(format!("{stmt};"));
        } else if let Some(last) = l.strip_suffix(';') {
            query_lines.push(last.to_string());
            break;
        } else {
            query_lines.push(l.to_string());
        }
    }
    t.query = query_lines.join("\n");
}

/// `lower_case_key: value` before the query.
fn is_directive(l: &str) -> bool {
    let Some((key, value)) = l.split_once(':') else { return false };
    !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !value.trim().is_empty()
}

/// Warnings, `ignoreOrder`, the header and rows, up to a line starting with `;`.
fn read_results<'a>(lines: &mut impl Iterator<Item = (usize, &'a str)>, t: &mut SpecTest) {
    for (_, l) in lines.by_ref() {
        if l.starts_with(';') {
            return;
        }
        // Elasticsearch's reader trims what follows the prefix (`warningRegex: Line 2:14: ...`).
        if let Some(w) = l.strip_prefix("warning:") {
            t.warnings.push(w.trim().to_string());
        } else if let Some(w) = l.strip_prefix("warningRegex:") {
            t.warning_regexes.push(w.trim().to_string());
        } else if let Some(value) = strip_prefix_caseless(l, "ignoreOrder:") {
            t.ignore_order = value.trim().eq_ignore_ascii_case("true");
        } else if t.header.is_empty() {
            t.header = split_cells(l).iter().map(|c| header_cell(c)).collect();
        } else {
            t.rows.push(split_cells(l));
        }
    }
}

/// `l` without `prefix` (ASCII, any case). Byte slicing would panic inside a multi-byte
/// character, which result rows hold ('🐶' in `string.csv-spec`).
fn strip_prefix_caseless<'a>(l: &'a str, prefix: &str) -> Option<&'a str> {
    let head = l.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &l[prefix.len()..])
}

/// `name:type` with `::` in the name protected; spaces around the `:` allowed.
fn header_cell(cell: &str) -> (String, String) {
    let bytes = cell.as_bytes();
    let mut split = None;
    for k in (0..bytes.len()).rev() {
        let single = bytes[k] == b':' && (k == 0 || bytes[k - 1] != b':') && bytes.get(k + 1) != Some(&b':');
        if single {
            split = Some(k);
            break;
        }
    }
    match split {
        Some(k) => (cell[..k].trim().to_string(), cell[k + 1..].trim().to_string()),
        None => (cell.trim().to_string(), String::new()),
    }
}

/// Splits a table line on `|`, honouring `"` quotes (`""` is a literal quote); trims cells.
pub fn split_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '|' if !quoted => cells.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}
