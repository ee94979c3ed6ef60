//! `esql fmt`: files and folders of queries laid out within a width, with the settings of
//! the nearest `.esqlfmt.toml`.

use crate::authoring::fmt::{config_for, format, format_toml, Options};
use crate::authoring::query_file::{self, read_text, walk};
use crate::diagnostic::render_all;
use std::path::{Path, PathBuf};

pub(super) fn fmt_cmd(paths: &[PathBuf], width: Option<usize>, check: bool, upper: bool) -> i32 {
    let named: Vec<&PathBuf> = paths.iter().filter(|p| !p.is_dir()).collect();
    let (mut code, mut checked, mut excluded, mut changed) = (0, 0, 0, 0);
    for file in walk(paths, &query_file::is_query_file) {
        let was_named = named.contains(&&file);
        let config = match config_for(&file) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("esql: {e}");
                return 2;
            }
        };
        // A folder walk leaves excluded files alone; a file named on the line is formatted.
        if !was_named && config.as_ref().is_some_and(|(dir, c)| c.excludes(dir, &file)) {
            excluded += 1;
            continue;
        }
        let config = config.map(|(_, c)| c).unwrap_or_default();
        let defaults = Options::default();
        let opts = Options {
            width: width.or(config.width).unwrap_or(defaults.width),
            upper: upper || config.upper.unwrap_or(defaults.upper),
        };
        match one(&file, &opts, was_named) {
            Ok(None) => {}
            Ok(Some(formatted)) => {
                checked += 1;
                if let Some(text) = formatted {
                    changed += 1;
                    code = code.max(write_back(&file, &text, check));
                }
            }
            Err(e) => {
                eprint!("{e}");
                checked += 1;
                code = 2;
            }
        }
    }
    let note = if excluded > 0 {
        format!(", {excluded} excluded by {}", crate::authoring::fmt::CONFIG_FILE)
    } else {
        String::new()
    };
    let verb = if check { "would be reformatted" } else { "reformatted" };
    eprintln!("esql fmt: {checked} file(s) checked{note}; {changed} {verb}");
    code
}

/// The file formatted: `None` when it is not a query file (a TOML without a query, found by
/// a walk), `Some(None)` when it is already formatted.
fn one(file: &Path, opts: &Options, was_named: bool) -> Result<Option<Option<String>>, String> {
    let text = read_text(file).map_err(|e| format!("esql: {e}\n"))?;
    let is_toml = file.extension().is_some_and(|e| e == "toml");
    if is_toml && !was_named && crate::authoring::query_file::from_toml(&text).is_err() {
        return Ok(None);
    }
    let formatted = if is_toml {
        format_toml(&text, opts).map_err(|e| format!("{}: {e}\n", file.display()))?
    } else {
        format(&text, opts).map_err(|d| format!("{}:\n{}", file.display(), render_all(&d, &text)))?
    };
    Ok(Some((formatted != text).then_some(formatted)))
}

/// Reports or writes a changed file; the exit code it asks for.
fn write_back(file: &Path, formatted: &str, check: bool) -> i32 {
    if check {
        println!("would reformat {}", file.display());
        return 1;
    }
    match crate::io::files::write(file, formatted.as_bytes()) {
        Ok(()) => {
            println!("formatted {}", file.display());
            0
        }
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}
