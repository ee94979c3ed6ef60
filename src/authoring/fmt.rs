//! `esql fmt`: queries laid out within a width (`syntax::pretty`), keyword case kept (lower
//! or upper, as the query starts) or upper; rule and hunt TOML files rewritten in place.
//!
//! The result always parses to the same tree as the input and holds the same comments in the
//! same order; otherwise nothing is written.

use crate::diagnostic::Diagnostic;
use crate::syntax::{parse, Query};

/// Comments in `text` (outside strings and quoted names), in order.
pub fn comments(text: &str) -> Vec<&str> {
    crate::syntax::comment_spans(text).into_iter().map(|(s, e)| &text[s..e]).collect()
}

/// How `esql fmt` lays queries out.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The widest a line may be (a single long name, string or comment may pass it).
    pub width: usize,
    /// Keywords in upper case; else in the case the query starts with.
    pub upper: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { width: 80, upper: false }
    }
}

/// Formats a query text.
pub fn format(src: &str, opts: &Options) -> Result<String, Vec<Diagnostic>> {
    let ast: Query = parse(src).map_err(|e| e.into_iter().map(Diagnostic::from).collect::<Vec<_>>())?;
    let first_keyword = ast.commands.first().map_or("", |c| c.span.text(src));
    let lower = !opts.upper && first_keyword.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let out = crate::syntax::pretty(src, &ast, crate::syntax::Style { width: opts.width, lower });
    let internal =
        |what: &str| vec![Diagnostic::error(format!("internal error: formatting would {what}; nothing written"), None)];
    let again = parse(&out).map_err(|_| internal("not parse"))?;
    if again != ast {
        return Err(internal("change the query"));
    }
    if comments(&out) != comments(src) {
        return Err(internal("lose or move a comment out of order"));
    }
    Ok(out)
}

/// Formats the queries of a rule or hunting TOML file in place: each query written as a
/// `'''` literal string is replaced by its formatted text; every other byte is kept.
pub fn format_toml(text: &str, opts: &Options) -> Result<String, String> {
    let queries = crate::authoring::query_file::from_toml(text)?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut done = 0;
    while let Some(open) = rest.find("'''") {
        let body_start = open + 3;
        let Some(len) = rest[body_start..].find("'''") else { break };
        let raw = &rest[body_start..body_start + len];
        // TOML trims a newline right after the opening delimiter.
        let (lead, body) = raw.strip_prefix('\n').map_or(("", raw), |b| ("\n", b));
        out.push_str(&rest[..body_start]);
        match queries.iter().find(|q| q.text == body) {
            Some(q) => {
                let formatted = format(body, opts).map_err(|d| {
                    let label = q.label.as_deref().unwrap_or("the query");
                    format!("{label}:\n{}", crate::diagnostic::render_all(&d, body))
                })?;
                if formatted.contains("'''") {
                    return Err("the formatted query holds ''' and cannot be written back".into());
                }
                out.push_str(lead);
                out.push_str(&formatted);
                done += 1;
            }
            None => out.push_str(raw),
        }
        out.push_str("'''");
        rest = &rest[body_start + len + 3..];
    }
    out.push_str(rest);
    if done != queries.len() {
        return Err("fmt rewrites queries written as ''' literal strings only".into());
    }
    // The rewritten document must still hold the same number of queries, now formatted.
    let again = crate::authoring::query_file::from_toml(&out)?;
    if again.len() != queries.len() {
        return Err("formatting changed the TOML document's structure; left it alone".into());
    }
    Ok(out)
}

/// An `.esqlfmt.toml`: the settings for the files in its folder and below.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The widest a line may be.
    pub width: Option<usize>,
    /// Keywords in upper case.
    pub upper: Option<bool>,
    /// Names (`*` wildcards, paths relative to the config's folder) that a folder walk
    /// leaves alone: verbatim copies of upstream rules, say.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The name of the settings file.
pub const CONFIG_FILE: &str = ".esqlfmt.toml";

/// The nearest `.esqlfmt.toml` in `file`'s folder or above it, with its folder.
pub fn config_for(file: &std::path::Path) -> Result<Option<(std::path::PathBuf, Config)>, String> {
    let start = std::path::absolute(file).map_err(|e| format!("{}: {e}", file.display()))?;
    for dir in start.ancestors().skip(1) {
        let path = dir.join(CONFIG_FILE);
        if path.is_file() {
            let text = crate::authoring::query_file::read_text(&path)?;
            let config =
                crate::authoring::query_file::parse_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            return Ok(Some((dir.to_path_buf(), config)));
        }
    }
    Ok(None)
}

impl Config {
    /// Whether `file`, under `dir` (the config's folder), is excluded.
    pub fn excludes(&self, dir: &std::path::Path, file: &std::path::Path) -> bool {
        let Ok(abs) = std::path::absolute(file) else { return false };
        let rel = abs.strip_prefix(dir).unwrap_or(&abs).to_string_lossy().replace('\\', "/");
        let name = abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.exclude.iter().any(|p| crate::wildcard::glob(p, &rel) || crate::wildcard::glob(p, &name))
    }
}
