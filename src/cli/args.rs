//! The command line's grammar (clap): subcommands, their arguments, and the one engine setup
//! from `--data`, `--now` and `--threads` that run, explain and the REPL share.

use crate::engine::{parse_now, Engine};
use crate::io::OnError;
use crate::output::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Run Elastic ES|QL queries and detection rules over local files.
#[derive(Parser, Debug)]
#[command(name = "esql", version, about, propagate_version = true)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub(super) enum Cmd {
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
        #[command(flatten)]
        at: DataArgs,
        /// Follow one document (INDEX:LINE, lines from 1): which condition removed it, which
        /// case() branch it took, its group and the group's fate.
        #[arg(long, value_name = "INDEX:LINE")]
        event: Option<String>,
    },
    /// Report logic pitfalls that silently break detections (exit 1 when any is found).
    ///
    /// Silence one finding with `// esql-lint: allow <id>` on its line. Ids:
    /// case-mismatch, mv-compare, not-in-null, null-compare, sql-like-wildcard, ecs-value,
    /// unknown-field, unused-eval, dropped-column, lookback (rule TOML files).
    Lint {
        /// Query files (.esql, rule .toml or hunting .toml) or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Check field names against this data directory's documents and mappings (the
        /// indices each query's FROM selects) rather than only against ECS.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// `json` (one array of findings) or `sarif` (SARIF 2.1.0, for CI and editors).
        #[arg(long, value_name = "text|json|sarif", default_value = "text", value_parser = ["text", "json", "sarif"])]
        format: String,
    },
    /// Run rule tests (NAME.test.toml beside each rule): one line per test, then
    /// `N passed, M failed`.
    Test {
        /// Test files or folders, searched through subfolders (default: queries/, else
        /// rules/). A test tests the rule beside it: NAME.esql, else NAME.toml.
        paths: Vec<PathBuf>,
        /// Write RULE.test.toml beside the rule RULE (.esql or .toml): one document per
        /// case() or WHERE branch to fill in, and an expectation to set.
        #[arg(long, value_name = "RULE", conflicts_with = "paths")]
        init: Option<PathBuf>,
        /// `junit` writes JUnit XML to stdout instead.
        #[arg(long, value_name = "text|junit", default_value = "text")]
        format: String,
        /// A query parameter for every test (over the file's `[params]`): `?NAME` takes
        /// VALUE, read as JSON when it is, else as text. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Lay queries out within a width (.esql files, rule and hunt .toml files, folders):
    /// one command per line, long lists and conditions broken, comments kept. Settings from
    /// the nearest .esqlfmt.toml (width, upper, exclude).
    Fmt {
        /// Files or folders (searched for .esql and rule .toml files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The widest a line may be (default 80, or the .esqlfmt.toml's).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
        width: Option<u16>,
        /// Only report files that would change (exit 1 if any).
        #[arg(long)]
        check: bool,
        /// Write keywords in upper case (default: keep the query's case).
        #[arg(long)]
        upper: bool,
    },
    /// Explore indices interactively (also what plain `esql` does in a terminal).
    Repl {
        #[command(flatten)]
        at: DataArgs,
    },
    /// Open the web page (editor, histogram, table, fields) over the data directory: `esql
    /// serve` on loopback, then the browser at its address.
    Ui {
        #[command(flatten)]
        at: DataArgs,
        /// Where to listen (loopback).
        #[arg(long, default_value = "127.0.0.1:9200")]
        listen: String,
    },
    /// Serve Elasticsearch's HTTP API (`POST /_query`, `GET /`) over the data directory,
    /// for the official clients and scripts written against a cluster.
    Serve {
        #[command(flatten)]
        at: DataArgs,
        /// Where to listen (loopback only; port 0 picks a free one, printed at start).
        #[arg(long, default_value = "127.0.0.1:9200")]
        listen: String,
        /// No line per request on stderr.
        #[arg(long)]
        quiet: bool,
        /// Queries that may run at once (sync and async); more are refused with ES's 429.
        #[arg(long, default_value_t = 16)]
        max_queries: usize,
        /// Require this API key (`id:key`, or base64 of it as ES prints it); also $ESQL_API_KEY.
        #[arg(long)]
        api_key: Option<String>,
        /// Require basic authentication as `user:password`; also $ESQL_USER.
        #[arg(long)]
        user: Option<String>,
        /// Serve HTTPS with this certificate chain (PEM); with --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<std::path::PathBuf>,
        /// The certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<std::path::PathBuf>,
        /// Cancel a query that runs longer (ES time units: 30s, 5m, 1h; 0 for no limit);
        /// it answers ES's 429 `elasticsearch_timeout_exception`.
        #[arg(long, default_value = "10m", value_parser = query_timeout)]
        query_timeout: std::time::Duration,
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
    /// Run a query here and on an Elasticsearch cluster (`--remote`), and compare the rows.
    Diff {
        #[command(flatten)]
        input: QueryInput,
        #[command(flatten)]
        at: DataArgs,
        #[command(flatten)]
        remote: super::remote::RemoteArgs,
    },
    /// Hand an index over to Elasticsearch: per index an index template (its fields in their
    /// original mapping types, a data stream where the name makes one) and `_bulk` bodies
    /// (`create` for data streams, `_id` kept), ready for `PUT /_index_template/NAME` and
    /// `POST /_bulk`.
    Export {
        /// The data directory to read.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// What to write: `bulk` (index templates and `_bulk` bodies).
        #[arg(long, value_enum)]
        to: ExportTo,
        /// Where to write NAME.template.json and NAME.bulk-NNNN.ndjson (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print a query as SQL for Apache Spark or DuckDB, over the Parquet files `esql convert`
    /// writes (fields as arrays, ES|QL's multi-value rules kept). A construct that has no
    /// translation with the same answer is refused at its spot (exit 1).
    Sql {
        #[command(flatten)]
        input: QueryInput,
        #[command(flatten)]
        at: DataArgs,
        /// The SQL dialect.
        #[arg(long, value_enum, default_value = "spark")]
        dialect: SqlDialect,
        /// Where the other engine reads NAME.parquet for each index (a folder or any URI it
        /// reads, e.g. s3://bucket/logs); default: the data directory's files.
        #[arg(long, value_name = "URI")]
        uri: Option<String>,
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

/// Where the data is and what time it is, for the subcommands that query.
#[derive(clap::Args, Debug, Default)]
pub(super) struct DataArgs {
    /// The data directory (default: $ESQL_DATA, else ./data).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Pin now() to this instant (RFC 3339, e.g. 2025-07-30T12:00:00Z).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// A query parameter: `?NAME` (or `?N` for a number) takes VALUE, read as JSON when it
    /// is (`5`, `true`, `"a b"`, `{"identifier": "user.name"}`), else as text. Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Start of the time range, as Kibana passes it: sets `?_tstart` (RFC 3339 or date math
    /// such as `now-24h`).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// End of the time range: sets `?_tend` (RFC 3339 or date math such as `now`).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// SAMPLE's random seed: the same seed over the same data keeps the same rows.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Lift Elasticsearch's 10,000-row cap of a result to N rows (the query's LIMIT still
    /// applies; without one, the implicit LIMIT 1000).
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,
}

impl DataArgs {
    /// The engine the subcommands query: `--data` (else `$ESQL_DATA`, else `./data`), a
    /// pinned `--now`, `threads`. A `--now` it cannot read is said on stderr and gives exit
    /// code 2.
    pub fn engine(&self, on_error: OnError, threads: Option<usize>) -> Result<Engine, i32> {
        let mut engine = Engine::open(&Engine::default_dir(self.data.clone()), on_error);
        if let Some(n) = threads {
            engine.set_threads(n);
        }
        if let Some(t) = &self.now {
            match parse_now(t) {
                Ok(ms) => engine.now_ms = Some(ms),
                Err(e) => {
                    eprintln!("esql: {e}");
                    return Err(2);
                }
            }
        }
        engine.seed = self.seed;
        engine.max_rows = self.max_rows;
        if let Err(e) = self.bind_params(&mut engine) {
            eprintln!("esql: {e}");
            return Err(2);
        }
        Ok(engine)
    }

    /// `--param`, `--from` and `--to` as the engine's parameters.
    fn bind_params(&self, engine: &mut Engine) -> Result<(), String> {
        for p in &self.params {
            crate::params::add_flag(&mut engine.params, p)?;
        }
        if self.from.is_some() || self.to.is_some() {
            engine.set_range(self.from.as_deref(), self.to.as_deref())?;
        }
        Ok(())
    }
}

/// Arguments of `esql run`.
#[derive(clap::Args, Debug)]
pub(super) struct RunArgs {
    #[command(flatten)]
    pub input: QueryInput,
    #[command(flatten)]
    pub at: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "txt")]
    pub format: Format,
    /// With a rule .toml: run it as Kibana does, on the rule's look-back window
    /// (timestamp_override, else @timestamp) and with its LIMIT max_signals + 1.
    #[arg(long)]
    pub window: bool,
    /// What to do with a line that is not valid JSON: stop (fail) or skip and count it.
    #[arg(long, value_enum, default_value = "fail", value_name = "fail|skip")]
    pub on_error: OnErrorArg,
    /// Threads that read and decode the data (default: all cores). Results do not depend
    /// on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    #[command(flatten)]
    pub remote: super::remote::RemoteArgs,
    /// Where the query runs: here (`esql`), or translated to SQL on a Spark Connect server
    /// (`spark`, with --spark-remote) over the Parquet files of `esql convert`.
    #[arg(long, value_enum, default_value = "esql")]
    pub engine: EngineArg,
    /// The Spark Connect server (`sc://HOST:PORT`) of `--engine spark`.
    #[arg(long, value_name = "URL")]
    pub spark_remote: Option<String>,
    /// Where Spark reads NAME.parquet for each index (a folder or any URI it reads, e.g.
    /// s3a://bucket/logs); default: the data directory's files.
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,
}

/// Where `esql run` runs a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum EngineArg {
    Esql,
    Spark,
}

/// Where a query comes from: a file or the command line.
#[derive(clap::Args, Debug)]
pub(super) struct QueryInput {
    /// The query file: .esql, rule .toml or hunting .toml (`-` for standard input).
    #[arg(conflicts_with = "query")]
    pub file: Option<PathBuf>,
    /// The query text itself.
    #[arg(short = 'e', long = "execute", value_name = "QUERY")]
    pub query: Option<String>,
}

impl QueryInput {
    /// The query texts: `-e`'s, else each query of the file (or standard input).
    pub fn texts(self) -> Result<Vec<String>, String> {
        match (self.query, self.file) {
            (Some(q), _) => Ok(vec![q]),
            (None, f) => {
                crate::authoring::query_file::load(f.as_deref()).map(|qs| qs.into_iter().map(|q| q.text).collect())
            }
        }
    }
}

/// The query texts and the engine over `at`, for the subcommands that take both (`sql`,
/// `diff`); a failure is said on stderr and given as the exit code.
pub(super) fn texts_and_engine(input: QueryInput, at: &DataArgs) -> Result<(Vec<String>, Engine), i32> {
    let texts = input.texts().map_err(|e| {
        eprintln!("esql: {e}");
        1
    })?;
    Ok((texts, at.engine(OnError::Fail, None)?))
}

/// What `esql export` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum ExportTo {
    Bulk,
}

/// The SQL dialects `esql sql` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum SqlDialect {
    Spark,
    Duckdb,
}

impl From<SqlDialect> for crate::sql::Dialect {
    fn from(d: SqlDialect) -> crate::sql::Dialect {
        match d {
            SqlDialect::Spark => crate::sql::Dialect::Spark,
            SqlDialect::Duckdb => crate::sql::Dialect::DuckDb,
        }
    }
}

/// What `esql convert` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum ConvertTo {
    Parquet,
    Arrow,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum OnErrorArg {
    Fail,
    Skip,
}

impl From<OnErrorArg> for OnError {
    fn from(a: OnErrorArg) -> OnError {
        match a {
            OnErrorArg::Fail => OnError::Fail,
            OnErrorArg::Skip => OnError::Skip,
        }
    }
}

/// `--query-timeout`: an ES time value.
fn query_timeout(text: &str) -> Result<std::time::Duration, String> {
    if text == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    crate::server::time_value(text).ok_or_else(|| format!("[{text}] is not a time value (30s, 5m, 1h)"))
}
