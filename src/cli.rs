//! The `esql` command line. Exit codes: 0 ok, 1 runtime or I/O error, 2 bad query or usage.

use crate::diagnostic::{render_all, Diagnostic};
use crate::query_file;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Run Elastic ES|QL queries and detection rules over local files.
#[derive(Parser, Debug)]
#[command(name = "esql", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Parse queries and print them in canonical form, one command per line.
    ///
    /// FILE is an .esql file, an Elastic rule .toml ([rule] query) or a hunting .toml
    /// ([hunt] query = [...]); `-` or nothing reads standard input. Syntax errors go to
    /// stderr with a caret under the spot, and the exit code is 2.
    Parse {
        /// The query file (`-` for standard input).
        file: Option<PathBuf>,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Cmd::Parse { file } => parse_cmd(file),
    }
}

fn parse_cmd(file: Option<PathBuf>) -> i32 {
    let queries = match query_file::load(file.as_deref()) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let mut code = 0;
    for (k, q) in queries.iter().enumerate() {
        if k > 0 {
            println!();
        }
        if let Some(label) = &q.label {
            println!("// {label}");
        }
        match crate::syntax::parse(&q.text) {
            Ok(ast) => println!("{ast:#}"),
            Err(errors) => {
                let diags: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
                if let Some(label) = &q.label {
                    eprintln!("in {label}:");
                }
                eprint!("{}", render_all(&diags, &q.text));
                code = 2;
            }
        }
    }
    code
}
