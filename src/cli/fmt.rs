//! `esql fmt`: files and folders of queries laid out within a width, with the settings of
//! the nearest `.esqlfmt.toml`.

use crate::authoring::fmt::{config_for, format, format_toml, Options};
use crate::authoring::query_file::{self, walk};
use crate::diagnostic::render_all;
use std::path::{Path, PathBuf};

pub(super) fn fmt_cmd(paths: &[PathBuf], width: Option<usize>, check: bool, upper: bool) -> i32 {
    let named: Vec<&PathBuf> = paths.iter().filter(|p| !p.is_dir()).collect();
    let (mut code, mut checked, mut excluded, mut changed) = (0, 0, 0, 0);
    for file in walk(paths, &query_file::is_query_file) {
        let was_named = named.contains(&&file);
        let opts = match options_for(&file, was_named, width, upper) {
            Ok(Some(o)) => o,
            Ok(None) => {
                excluded += 1;
                continue;
            }
            Err(e) => {
                eprintln!("esql: {e}");
                return 2;
            }
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

/// The layout options for `file`: the command line's over the nearest `.esqlfmt.toml`'s
/// over the defaults; `None` when a folder walk found a file that config excludes (a file
/// named on the command line is formatted).
fn options_for(file: &Path, was_named: bool, width: Option<usize>, upper: bool) -> Result<Option<Options>, String> {
    let config = config_for(file)?;
    if !was_named && config.as_ref().is_some_and(|(dir, c)| c.excludes(dir, file)) {
        return Ok(None);
    }
    let config = config.map(|(_, c)| c).unwrap_or_default();
    let defaults = Options::default();
    Ok(Some(Options {
        width: width.or(config.width).unwrap_or(defaults.width),
        upper: upper || config.upper.unwrap_or(defaults.upper),
    }))
}

/// The file formatted: `None` when it is not a query file (a TOML without a query, found by
/// a walk), `Some(None)` when it is already formatted.
fn one(file: &Path, opts: &Options, was_named: bool) -> Result<Option<Option<String>>, String> {
    let Some((text, _)) = query_file::read_walked(file, was_named).map_err(|e| format!("esql: {e}\n"))? else {
        return Ok(None);
    };
    let is_toml = query_file::is_toml(file);
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
