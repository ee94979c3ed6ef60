//! The `esql` command line. Exit codes: 0 ok, 1 runtime or I/O error, 2 bad query or usage.

use crate::diagnostic::{render_all, Diagnostic};
/// `--now` is parsed where the REPL and rule tests find it too.
pub use crate::engine::parse_now;
use crate::engine::{Engine, QueryError};
use crate::io::OnError;
use crate::output::Format;
use crate::query_file::{self, QueryText};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The rule-authoring subcommands: explain, lint, test, fmt.
mod authoring;
use authoring::{explain_cmd, fmt_cmd, lint_cmd, test_cmd};

/// Run Elastic ES|QL queries and detection rules over local files.
#[derive(Parser, Debug)]
#[command(name = "esql", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
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
    /// Run a query or rule over the indices of a data directory.
    ///
    /// Each file or folder in the data directory is an index named by its stem:
    /// NAME.ndjson, NAME.ndjson.gz, NAME.json (NDJSON) or a folder NAME/ of such parts,
    /// with an optional NAME.mapping.json. Results go to stdout; warnings, in
    /// Elasticsearch's text, to stderr after them.
    Run(RunArgs),
    /// Show how a query is planned and, with data, how many rows each command keeps.
    Explain {
        /// The query file: .esql, rule .toml, hunting .toml, or a rule test NAME.test.toml
        /// (its query, fixture data and pinned now), `-` for standard input.
        #[arg(conflicts_with = "query")]
        file: Option<PathBuf>,
        /// The query text itself.
        #[arg(short = 'e', long = "execute", value_name = "QUERY")]
        query: Option<String>,
        /// The data directory (default: $ESQL_DATA, else ./data).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Pin now() to this instant (RFC 3339).
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        /// Follow one document (INDEX:LINE, lines from 1): which condition removed it, which
        /// case() branch it took, its group and the group's fate.
        #[arg(long, value_name = "INDEX:LINE")]
        event: Option<String>,
    },
    /// Report logic pitfalls that silently break detections (exit 1 when any is found).
    ///
    /// Silence one finding with `// esql-lint: allow <id>` on its line. Ids:
    /// case-mismatch, mv-compare, not-in-null, unknown-field, unused-eval, dropped-column,
    /// lookback (rule TOML files).
    Lint {
        /// Query files: .esql, rule .toml or hunting .toml.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run rule tests (NAME.test.toml beside each rule): one line per test, then
    /// `N passed, M failed`.
    Test {
        /// Test files or folders (default: queries/).
        paths: Vec<PathBuf>,
        /// `junit` writes JUnit XML to stdout instead.
        #[arg(long, value_name = "text|junit", default_value = "text")]
        format: String,
    },
    /// Rewrite .esql files in the canonical layout (one command per line, comments kept).
    Fmt {
        /// .esql files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Only report files that would change (exit 1 if any).
        #[arg(long)]
        check: bool,
        /// Write keywords in upper case (default: keep the query's case).
        #[arg(long)]
        upper: bool,
    },
    /// Explore indices interactively (also what plain `esql` does in a terminal).
    Repl {
        /// The data directory (default: $ESQL_DATA, else ./data).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Pin now() to this instant (RFC 3339).
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
    },
    /// Run Elasticsearch csv-spec tests and compare results and warnings.
    ///
    /// Datasets are loaded from DIR (X.csv with mapping-X.json, as listed in
    /// datasets.json). Prints one line per file, then `N passed, M failed, K skipped`.
    Spec {
        /// csv-spec files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The datasets folder (default: a `data` folder beside the first spec folder).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Only tests whose name contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Print the query and a diff for every failure.
        #[arg(long)]
        verbose: bool,
    },
    /// Rewrite every index of a data directory as Parquet or Arrow IPC files (read back as
    /// indices like NDJSON, only the needed columns).
    Convert {
        /// The data directory to read.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The format to write.
        #[arg(long, value_enum)]
        to: ConvertTo,
        /// Where to write NAME.parquet / NAME.arrow (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Generate realistic documents for the seed rule's three indices, with planted true
    /// positives and decoys, plus _manifest.json (same seed and --now, same bytes).
    Gen {
        /// Background events (planted documents come on top).
        #[arg(long, default_value_t = 10_000)]
        events: u64,
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The anchor time the data is generated around (RFC 3339).
        #[arg(long, default_value = "2025-07-30T12:00:00Z", value_name = "RFC3339")]
        now: String,
    },
}

/// Arguments of `esql run`.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The query file: .esql, rule .toml or hunting .toml (`-` for standard input).
    #[arg(conflicts_with = "query")]
    file: Option<PathBuf>,
    /// The query text itself.
    #[arg(short = 'e', long = "execute", value_name = "QUERY")]
    query: Option<String>,
    /// The data directory (default: $ESQL_DATA, else ./data).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Pin now() to this instant (RFC 3339, e.g. 2025-07-30T12:00:00Z).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "txt")]
    format: Format,
    /// With a rule .toml: run it as Kibana does, on the rule's look-back window
    /// (timestamp_override, else @timestamp) and with its LIMIT max_signals + 1.
    #[arg(long)]
    window: bool,
    /// What to do with a line that is not valid JSON: stop (fail) or skip and count it.
    #[arg(long, value_enum, default_value = "fail", value_name = "fail|skip")]
    on_error: OnErrorArg,
    /// Threads that read and decode the data (default: all cores). Results do not depend
    /// on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ConvertTo {
    Parquet,
    Arrow,
}

fn convert_cmd(data: Option<PathBuf>, to: ConvertTo, out: &std::path::Path) -> i32 {
    let dir = match crate::io::DataDir::open(&Engine::default_dir(data), OnError::Fail) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let target = match to {
        ConvertTo::Parquet => crate::convert::Target::Parquet,
        ConvertTo::Arrow => crate::convert::Target::Arrow,
    };
    match crate::convert::convert(&dir, out, target) {
        Ok((done, warnings)) => {
            for (name, rows) in done {
                eprintln!("esql: {name}: {rows} documents");
            }
            for w in warnings {
                eprintln!("esql: warning: {}", crate::output::terminal_safe(&w));
            }
            0
        }
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OnErrorArg {
    Fail,
    Skip,
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
    let command = match cli.command {
        Some(c) => c,
        None if std::io::stdin().is_terminal() => Cmd::Repl { data: None, now: None },
        None => {
            eprintln!("esql: no command given and standard input is not a terminal; see esql --help");
            return 2;
        }
    };
    match command {
        Cmd::Repl { data, now } => repl_cmd(data, now.as_deref()),
        Cmd::Lint { files } => lint_cmd(&files),
        Cmd::Fmt { files, check, upper } => fmt_cmd(&files, check, upper),
        Cmd::Test { paths, format } => test_cmd(paths, &format),
        Cmd::Explain { file, query, data, now, event } => {
            explain_cmd(file, query, data, now.as_deref(), event.as_deref())
        }
        Cmd::Parse { file } => parse_cmd(file),
        Cmd::Run(args) => run_cmd(args),
        Cmd::Gen { events, out, seed, now } => gen_cmd(events, &out, seed, &now),
        Cmd::Convert { data, to, out } => convert_cmd(data, to, &out),
        Cmd::Spec { paths, data, filter, verbose } => spec_cmd(&paths, data, filter.as_deref(), verbose),
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

fn run_cmd(args: RunArgs) -> i32 {
    let queries = match (&args.query, &args.file) {
        (Some(q), _) => vec![QueryText { label: None, text: q.clone() }],
        (None, file) => match query_file::load(file.as_deref()) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("esql: {e}");
                return 1;
            }
        },
    };
    let on_error = match args.on_error {
        OnErrorArg::Fail => OnError::Fail,
        OnErrorArg::Skip => OnError::Skip,
    };
    let threads = args.threads.map(usize::from);
    let mut engine = match open_engine(args.data.clone(), on_error, args.now.as_deref(), threads) {
        Ok(e) => e,
        Err(code) => return code,
    };
    engine.progress = std::io::stderr().is_terminal();
    let schedule = match (&args.file, args.window) {
        (Some(f), _) if f.extension().is_some_and(|e| e == "toml") => {
            query_file::read_text(f).ok().and_then(|t| query_file::schedule(&t).ok().flatten())
        }
        _ => None,
    };
    if args.window && schedule.is_none() {
        eprintln!("esql: --window needs a detection rule .toml (with [rule] from = \"now-...\")");
        return 2;
    }
    let mut code = 0;
    for q in &queries {
        if let Some(label) = &q.label {
            println!("// {label}");
        }
        let text = match (&schedule, args.window) {
            (Some(s), true) => {
                let known = |f: &str| engine.plan(&format!("FROM * | KEEP {}", crate::syntax::quote_name(f))).is_ok();
                match query_file::windowed(&q.text, s, &known) {
                    Ok((text, note)) => {
                        eprintln!("esql: {note}");
                        text
                    }
                    Err(e) => {
                        eprintln!("esql: {e}");
                        return 2;
                    }
                }
            }
            (Some(_), false) => {
                eprintln!("esql: running the rule's query text verbatim (no look-back window; --window emulates the rule schedule)");
                q.text.clone()
            }
            _ => q.text.clone(),
        };
        code = code.max(run_one(&engine, &text, args.format));
    }
    code
}

fn run_one(engine: &Engine, text: &str, format: Format) -> i32 {
    let started = std::time::Instant::now();
    match engine.query(text) {
        Ok(out) => {
            let took = started.elapsed().as_millis() as u64;
            if format == Format::Arrow {
                use std::io::Write;
                let written = crate::output::arrow_stream(&out.result)
                    .and_then(|bytes| std::io::stdout().write_all(&bytes).map_err(|e| e.to_string()));
                if let Err(e) = written {
                    eprintln!("esql: {e}");
                    return 1;
                }
            } else {
                print!("{}", crate::output::render(&out.result, format, took));
            }
            for w in &out.load_warnings {
                eprintln!("esql: warning: {}", crate::output::terminal_safe(w));
            }
            for w in &out.result.warnings {
                eprintln!("{}", crate::output::terminal_safe(w));
            }
            0
        }
        Err(QueryError::Query(diags)) => {
            eprint!("{}", render_all(&diags, text));
            2
        }
        Err(QueryError::Runtime(e)) => {
            eprintln!("esql: {e}");
            1
        }
    }
}

fn gen_cmd(events: u64, out: &std::path::Path, seed: u64, now: &str) -> i32 {
    let now_ms = match parse_now(now) {
        Ok(ms) => ms,
        Err(e) => {
            eprintln!("esql: {e}");
            return 2;
        }
    };
    match crate::gen::generate(&crate::gen::GenOptions { events, seed, now_ms }, out) {
        Ok(manifest) => {
            let planted = manifest["planted"]
                .as_object()
                .map_or(0, |m| m.values().filter_map(|v| v.as_array()).map(Vec::len).sum());
            eprintln!("esql: wrote {events} background events and {planted} planted IPs to {}", out.display());
            0
        }
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}

fn spec_cmd(paths: &[PathBuf], data: Option<PathBuf>, filter: Option<&str>, verbose: bool) -> i32 {
    match crate::spec_cli::run(paths, data, filter, verbose) {
        Ok(tally) => i32::from(tally.failed > 0),
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}

fn repl_cmd(data: Option<PathBuf>, now: Option<&str>) -> i32 {
    let mut engine = match open_engine(data, OnError::Fail, now, None) {
        Ok(e) => e,
        Err(code) => return code,
    };
    engine.progress = std::io::stderr().is_terminal();
    crate::repl::run(engine)
}

/// The engine the subcommands query: `--data` (else `$ESQL_DATA`, else `./data`), a pinned
/// `--now`, `--threads`. A `--now` it cannot read is said on stderr and gives exit code 2.
pub(crate) fn open_engine(
    data: Option<PathBuf>,
    on_error: OnError,
    now: Option<&str>,
    threads: Option<usize>,
) -> Result<Engine, i32> {
    let mut engine = Engine::open(&Engine::default_dir(data), on_error);
    if let Some(n) = threads {
        engine.set_threads(n);
    }
    if let Some(t) = now {
        match parse_now(t) {
            Ok(ms) => engine.now_ms = Some(ms),
            Err(e) => {
                eprintln!("esql: {e}");
                return Err(2);
            }
        }
    }
    Ok(engine)
}
