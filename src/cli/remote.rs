//! `esql run --remote URL`: the query goes to an Elasticsearch `_query` endpoint (a cluster,
//! or another `esql serve`) and its answer comes back in the asked format, the cluster's own
//! bytes for txt, csv, tsv, json and arrow (ES writes those formats itself), NDJSON made from
//! its JSON. Warnings go to stderr as the cluster words them; an error is the cluster's.
//! HTTP by ureq over rustls (ring, as the server's TLS): blocking suits one request a query.

use crate::output::Format;
use base64::Engine as _;
use serde_json::{json, Value as Json};
use std::path::PathBuf;

/// Where and how to reach the cluster.
#[derive(clap::Args, Debug, Default)]
pub(super) struct RemoteArgs {
    /// Run on this Elasticsearch instead of the data directory (`https://HOST:9200`).
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,
    /// The cluster's API key (`id:key`, or ES's base64 form); also $ESQL_REMOTE_API_KEY.
    #[arg(long, requires = "remote")]
    pub api_key: Option<String>,
    /// Basic authentication as `user:password`; also $ESQL_REMOTE_USER.
    #[arg(long, requires = "remote")]
    pub user: Option<String>,
    /// The CA certificate (PEM) that signed the cluster's (a self-signed cluster's own).
    #[arg(long, value_name = "FILE", requires = "remote")]
    pub remote_ca: Option<PathBuf>,
}

/// A cluster's answer.
pub(super) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub warnings: Vec<String>,
}

/// A connection to a cluster.
pub(super) struct Remote {
    agent: ureq::Agent,
    url: String,
    auth: Option<String>,
}

impl Remote {
    pub fn new(args: &RemoteArgs) -> Result<Option<Remote>, String> {
        let Some(url) = &args.remote else { return Ok(None) };
        let api_key = args.api_key.clone().or_else(|| std::env::var("ESQL_REMOTE_API_KEY").ok());
        let user = args.user.clone().or_else(|| std::env::var("ESQL_REMOTE_USER").ok());
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let auth = match (api_key, user) {
            (Some(k), _) if k.contains(':') => Some(format!("ApiKey {}", b64(&k))),
            (Some(k), _) => Some(format!("ApiKey {k}")),
            (None, Some(u)) => Some(format!("Basic {}", b64(&u))),
            (None, None) => None,
        };
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(ca) = &args.remote_ca {
            use ureq::tls::PemItem;
            let pem = std::fs::read(ca).map_err(|e| format!("{}: {e}", ca.display()))?;
            let certs: Vec<_> = ureq::tls::parse_pem(&pem)
                .filter_map(|i| match i {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(format!("{}: no certificate in it (PEM expected)", ca.display()));
            }
            tls = tls.root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(certs)));
        }
        let agent = ureq::Agent::config_builder().http_status_as_error(false).tls_config(tls.build()).build().into();
        Ok(Some(Remote { agent, url: url.trim_end_matches('/').to_string(), auth }))
    }

    /// `POST /_query?format=F` with the query.
    pub fn query(&self, text: &str, format: &str) -> Result<Answer, String> {
        let mut req = self
            .agent
            .post(format!("{}/_query?format={format}", self.url))
            .header("content-type", "application/json")
            .header("accept", "*/*");
        if let Some(a) = &self.auth {
            req = req.header("authorization", a);
        }
        let mut resp = req.send(json!({ "query": text }).to_string()).map_err(|e| format!("{}: {e}", self.url))?;
        let warnings =
            resp.headers().get_all("warning").iter().filter_map(|v| v.to_str().ok()).flat_map(warning_texts).collect();
        let status = resp.status().as_u16();
        let body = resp.body_mut().with_config().limit(1 << 30).read_to_vec().map_err(|e| e.to_string())?;
        Ok(Answer { status, body, warnings })
    }
}

/// The texts of a `Warning: 299 Elasticsearch-V-H "text"` header.
fn warning_texts(header: &str) -> Vec<String> {
    header
        .split("299 ")
        .filter_map(|w| w.split_once(" \"").map(|(_, t)| t.trim_end().trim_end_matches(',').trim_end_matches('"')))
        .map(|t| t.replace("\\\"", "\"").replace("\\\\", "\\"))
        .collect()
}

/// Runs `text` on the cluster and writes the answer: the exit code.
pub(super) fn run(remote: &Remote, text: &str, format: Format) -> i32 {
    let wire = match format {
        Format::Txt => "txt",
        Format::Csv => "csv",
        Format::Tsv => "tsv",
        Format::Arrow => "arrow",
        Format::Json | Format::Ndjson => "json",
    };
    let answer = match remote.query(text, wire) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    if answer.status != 200 {
        let doc: Json = serde_json::from_slice(&answer.body).unwrap_or_default();
        let kind = doc["error"]["type"].as_str().unwrap_or("error");
        let reason = doc["error"]["reason"]
            .as_str()
            .map_or_else(|| String::from_utf8_lossy(&answer.body).into_owned(), str::to_string);
        eprintln!("esql: the cluster answered {} {kind}: {reason}", answer.status);
        return if answer.status == 400 { 2 } else { 1 };
    }
    let bytes = if format == Format::Ndjson { ndjson(&answer.body) } else { answer.body };
    if let Err(e) = std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes) {
        return super::run::write_failed(&e.to_string());
    }
    for w in &answer.warnings {
        eprintln!("{}", crate::output::terminal_safe(w));
    }
    0
}

/// ES's JSON answer as one object per row.
fn ndjson(body: &[u8]) -> Vec<u8> {
    let doc: Json = serde_json::from_slice(body).unwrap_or_default();
    let names: Vec<&str> = doc["columns"].as_array().into_iter().flatten().filter_map(|c| c["name"].as_str()).collect();
    let mut out = String::new();
    for row in doc["values"].as_array().into_iter().flatten() {
        // As `esql run --format ndjson` writes a row (keys sorted, as serde_json's map keeps them).
        let obj: serde_json::Map<String, Json> =
            names.iter().zip(row.as_array().into_iter().flatten()).map(|(n, v)| (n.to_string(), v.clone())).collect();
        out.push_str(&Json::Object(obj).to_string());
        out.push('\n');
    }
    out.into_bytes()
}

/// `esql diff --remote URL`: the query here and on the cluster, compared row by row (as
/// multisets: without a SORT neither side promises an order). Exit 0 when the same, 1 not.
pub(super) fn diff(remote: &Remote, engine: &crate::engine::Engine, text: &str) -> i32 {
    let local = match engine.query(text) {
        Ok(out) => {
            let mut w = match crate::output::Writer::delimited(Format::Csv, &out.result.columns, ',', Vec::new()) {
                Ok(w) => w,
                Err(e) => return super::run::write_failed(&e.to_string()),
            };
            for b in &out.result.batches {
                if let Err(e) = w.write(b) {
                    return super::run::write_failed(&e.to_string());
                }
            }
            w.finish(0).unwrap_or_default()
        }
        Err(e) => {
            eprint!("{}", e.render(text));
            return e.exit_code();
        }
    };
    let cluster = match remote.query(text, "csv") {
        Ok(a) if a.status == 200 => a.body,
        Ok(a) => {
            eprintln!("esql: the cluster answered {}: {}", a.status, String::from_utf8_lossy(&a.body));
            return 1;
        }
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    compare(&String::from_utf8_lossy(&local), &String::from_utf8_lossy(&cluster))
}

/// Prints what only one side has (`-` here, `+` the cluster); the exit code.
fn compare(local: &str, cluster: &str) -> i32 {
    let rows = |t: &str| -> Vec<String> { t.split("\r\n").filter(|l| !l.is_empty()).map(str::to_string).collect() };
    let (mut here, mut there) = (rows(local), rows(cluster));
    if here.first() != there.first() {
        println!(
            "- columns {}\n+ columns {}",
            here.first().map_or("", String::as_str),
            there.first().map_or("", String::as_str)
        );
        return 1;
    }
    let n = here.len().saturating_sub(1);
    here.sort();
    there.sort();
    let (mut i, mut j, mut differ) = (0, 0, 0);
    loop {
        let here_only = match (here.get(i), there.get(j)) {
            (None, None) => break,
            (Some(a), Some(b)) if a == b => {
                (i, j) = (i + 1, j + 1);
                continue;
            }
            (Some(a), Some(b)) => a < b,
            (Some(_), None) => true,
            (None, Some(_)) => false,
        };
        if here_only {
            println!("- {}", here[i]);
            i += 1;
        } else {
            println!("+ {}", there[j]);
            j += 1;
        }
        differ += 1;
    }
    if differ == 0 {
        println!("same {n} rows here and on the cluster");
        0
    } else {
        println!("{differ} rows differ");
        1
    }
}

/// `esql diff`: each query of the file (or `-e`), here and on the cluster.
pub(super) fn diff_cmd(
    file: Option<PathBuf>,
    query: Option<String>,
    at: &super::args::DataArgs,
    args: &RemoteArgs,
) -> i32 {
    let remote = match Remote::new(args) {
        Ok(Some(r)) => r,
        Ok(None) => {
            eprintln!("esql: diff compares with a cluster: give --remote URL");
            return 2;
        }
        Err(e) => {
            eprintln!("esql: {e}");
            return 2;
        }
    };
    let (texts, engine) = match super::args::texts_and_engine(super::args::QueryInput { file, query }, at) {
        Ok(te) => te,
        Err(code) => return code,
    };
    texts.iter().map(|t| diff(&remote, &engine, t)).max().unwrap_or(0)
}
