//! `esql run --engine spark`: a query's SQL translation (`sql/`) run on a Spark Connect
//! server, its Arrow answer read back as our result.
//!
//! Why not a Spark Connect client crate: the Rust one on crates.io (`spark-connect-rs`
//! 0.0.2) pins arrow 53 and tonic 0.11 (a second Arrow and a second HTTP stack beside
//! ours); the statement we send is one SQL relation, so tonic and prost with the handful
//! of messages in `spark/proto.rs` do the whole job and keep Arrow at our version.

mod proto;

use arrow::array::RecordBatch;
use proto::{ExecutePlanRequest, ExecutePlanResponse, Plan, Relation, Sql, UserContext};
use tonic::codegen::http::uri::PathAndQuery;

const EXECUTE: &str = "/spark.connect.SparkConnectService/ExecutePlan";

/// Runs `statements` in order in one new session of the server at `url`
/// (`sc://HOST:PORT`); the batches of the last one.
pub fn run(url: &str, statements: &[String]) -> Result<Vec<RecordBatch>, String> {
    let endpoint = endpoint(url)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let channel = tonic::transport::Channel::from_shared(endpoint.clone())
            .map_err(|e| e.to_string())?
            .connect()
            .await
            .map_err(|e| format!("cannot reach the Spark Connect server at {url}: {e}"))?;
        let session = session_id();
        let mut last = Vec::new();
        for s in statements {
            last = execute(channel.clone(), &session, s).await?;
        }
        Ok(last)
    })
}

async fn execute(channel: tonic::transport::Channel, session: &str, sql: &str) -> Result<Vec<RecordBatch>, String> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.map_err(|e| e.to_string())?;
    let request = ExecutePlanRequest {
        session_id: session.to_string(),
        user_context: Some(UserContext { user_id: "esql".into(), user_name: "esql".into() }),
        plan: Some(Plan { root: Some(Relation { sql: Some(Sql { query: sql.to_string() }) }) }),
        client_type: Some(format!("esql/{}", env!("CARGO_PKG_VERSION"))),
    };
    let codec = tonic_prost::ProstCodec::<ExecutePlanRequest, ExecutePlanResponse>::default();
    let answer = grpc
        .server_streaming(tonic::Request::new(request), PathAndQuery::from_static(EXECUTE), codec)
        .await
        .map_err(|s| format!("Spark: {}", s.message()))?;
    let mut stream = answer.into_inner();
    let mut batches = Vec::new();
    while let Some(msg) = stream.message().await.map_err(|s| format!("Spark: {}", s.message()))? {
        if let Some(b) = msg.arrow_batch {
            let reader = arrow::ipc::reader::StreamReader::try_new(std::io::Cursor::new(b.data), None)
                .map_err(|e| format!("Spark's Arrow answer: {e}"))?;
            for batch in reader {
                batches.push(batch.map_err(|e| format!("Spark's Arrow answer: {e}"))?);
            }
        }
    }
    Ok(batches)
}

/// `sc://HOST:PORT` as the HTTP/2 endpoint gRPC uses.
fn endpoint(url: &str) -> Result<String, String> {
    let rest = url.strip_prefix("sc://").ok_or_else(|| format!("a Spark Connect URL is sc://HOST:PORT, not {url}"))?;
    let host = rest.trim_end_matches('/');
    if host.contains(';') || host.contains('/') {
        return Err(format!("{url}: parameters (token, use_ssl ...) are not supported; use sc://HOST:PORT"));
    }
    let host = if host.contains(':') { host.to_string() } else { format!("{host}:15002") };
    Ok(format!("http://{host}"))
}

/// A random-enough UUID for the session (Spark requires the UUID form).
fn session_id() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let x = t ^ (u128::from(std::process::id()) << 64);
    let h = format!("{x:032x}");
    format!("{}-{}-4{}-8{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}
