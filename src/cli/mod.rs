//! The `esql` command line. Exit codes: 0 ok, 1 runtime or I/O error, 2 bad query or usage.
//!
//! `args` is the grammar; each subcommand lives in its own file and talks to the core
//! through the [`Engine`](crate::engine::Engine) only.

use args::{Cli, Cmd};
use clap::Parser;
use std::io::IsTerminal;

mod args;
/// The rule-authoring subcommands: explain, lint, test.
mod authoring;
/// `esql convert`: data directories to Parquet or Arrow.
pub mod convert;
/// `esql export`: the hand-over to an Elasticsearch cluster (templates and `_bulk` bodies).
mod export;
/// `esql fmt`: queries laid out within a width.
mod fmt;
/// `esql gen`: deterministic, realistic test data for the seed rule.
pub mod gen;
/// `esql lint`: findings as text, JSON or SARIF.
mod lint;
/// A progress line on stderr for long scans.
pub mod progress;
/// `esql run --remote`: the query on an Elasticsearch cluster.
mod remote;
/// `esql parse`, `esql run` and the REPL's start.
mod run;
/// `esql spec`: runs csv-spec files and prints the tally.
pub mod spec;
/// `esql sql`: a query as Spark SQL or DuckDB SQL.
mod sql;

/// `--now` is parsed where the REPL and rule tests find it too.
pub use crate::engine::parse_now;

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let command = match cli.command {
        Some(c) => c,
        None if std::io::stdin().is_terminal() => Cmd::Repl { at: args::DataArgs::default() },
        None => {
            eprintln!("esql: no command given and standard input is not a terminal; see esql --help");
            return 2;
        }
    };
    match command {
        Cmd::Repl { at } => run::repl_cmd(&at),
        Cmd::Serve { at, listen, quiet, max_queries, api_key, user, tls_cert, tls_key, query_timeout } => {
            // Secrets also come from the environment, out of `ps`'s sight.
            let api_key = api_key.or_else(|| std::env::var("ESQL_API_KEY").ok());
            let user = user.or_else(|| std::env::var("ESQL_USER").ok());
            let credentials = crate::server::Credentials::new(api_key.as_deref(), user.as_deref());
            match at.engine(crate::io::OnError::Fail, None) {
                Ok(engine) => {
                    let tls = tls_cert.zip(tls_key);
                    let timeout = Some(query_timeout).filter(|t| !t.is_zero());
                    let options = crate::server::Options { listen, quiet, max_queries, credentials, tls, timeout };
                    crate::server::run(engine, &options)
                }
                Err(code) => code,
            }
        }
        Cmd::Ui { at, listen } => match at.engine(crate::io::OnError::Fail, None) {
            Ok(engine) => {
                open_browser(format!("http://{listen}/"));
                let options = crate::server::Options {
                    listen,
                    quiet: true,
                    max_queries: 16,
                    credentials: crate::server::Credentials::new(None, None),
                    tls: None,
                    timeout: Some(std::time::Duration::from_secs(600)),
                };
                crate::server::run(engine, &options)
            }
            Err(code) => code,
        },
        Cmd::Lint { paths, data, format } => lint::lint_cmd(&paths, data.as_deref(), &format),
        Cmd::Fmt { paths, width, check, upper } => fmt::fmt_cmd(&paths, width.map(usize::from), check, upper),
        Cmd::Test { init: Some(rule), .. } => authoring::test_init_cmd(&rule),
        Cmd::Test { paths, format, params, init: None } => authoring::test_cmd(paths, &format, &params),
        Cmd::Explain { file, query, at, event } => authoring::explain_cmd(file, query, at, event.as_deref()),
        Cmd::Parse { file } => run::parse_cmd(file),
        Cmd::Run(args) => run::run_cmd(args),
        Cmd::Gen { events, out, seed, now } => gen::gen_cmd(events, &out, seed, &now),
        Cmd::Convert { data, to, out } => convert::convert_cmd(data, to, &out),
        Cmd::Export { data, to: args::ExportTo::Bulk, out } => export::export_cmd(data, &out),
        Cmd::Sql { input, at, dialect, uri } => sql::sql_cmd(input, &at, dialect.into(), uri.as_deref()),
        Cmd::Diff { input, at, remote } => remote::diff_cmd(input.file, input.query, &at, &remote),
        Cmd::Spec { paths, data, filter, verbose } => spec::spec_cmd(&paths, data, filter.as_deref(), verbose),
    }
}

/// Opens `url` in the desktop's browser once the server has had a moment to bind; where no
/// opener exists the server's own line gives the address.
fn open_browser(url: String) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        let opened = ["xdg-open", "open"].iter().any(|cmd| {
            std::process::Command::new(cmd)
                .arg(&url)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        if !opened {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("esql: open {url} in a browser\n").as_bytes(),
            );
        }
    });
}
