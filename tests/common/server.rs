//! `esql serve` for the tests: a server on a free loopback port, killed when dropped, and
//! plain HTTP/1.1 requests on a socket, so every header is seen as sent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server; its stderr stays open (read to its end on a thread) as a terminal's
/// would.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server over `data` (relative to the project), `now` fixed for the seed rule's data.
pub fn start(data: &Path, extra: &[&str]) -> Server {
    start_env(data, extra, &[])
}

/// The same, with environment variables set.
pub fn start_env(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_esql"))
        .arg("serve")
        .arg("--data")
        .arg(data)
        .args(["--listen", "127.0.0.1:0", "--now", "2025-07-30T12:00:00Z", "--quiet"])
        .args(extra)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("start esql serve");
    let mut line = String::new();
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    stderr.read_line(&mut line).expect("first line");
    // The rest of stderr is drained, so the server never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let port =
        line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).expect("esql: listening on http://HOST:PORT");
    Server { child, port }
}

/// A response: status, headers (lower-case names, in order), body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body's bytes (binary formats).
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One request on a fresh connection.
pub fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    try_request(port, method, path, headers, body).expect("a reply")
}

/// One request, or the error of a connection that failed (a server killed under it).
pub fn try_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    stream.write_all(format!("{head}\r\n{body}").as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let broken = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no whole response");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(broken)?;
    let (head, body) = (String::from_utf8_lossy(&raw[..split]).into_owned(), raw[split + 4..].to_vec());
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).ok_or_else(broken)?;
    let headers =
        lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
    Ok(Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned(), raw: body })
}

/// What the official clients send.
pub const COMPAT: &str = "application/vnd.elasticsearch+json; compatible-with=9";
/// What the Python client sends with a bulk body.
pub const NDJSON: &str = "application/vnd.elasticsearch+x-ndjson; compatible-with=9";

/// A JSON request as the clients send it.
pub fn post_json(port: u16, path: &str, body: &str) -> Reply {
    request(port, "POST", path, &[("content-type", COMPAT), ("accept", COMPAT)], body)
}

/// A bulk body.
pub fn bulk(port: u16, path: &str, body: &str) -> Reply {
    request(port, "POST", path, &[("content-type", NDJSON), ("accept", COMPAT)], body)
}
