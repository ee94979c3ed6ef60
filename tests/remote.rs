//! `esql run --remote` and `esql diff --remote` against `esql serve` standing in for a
//! cluster: the same bytes as a local run in every text format, the cluster's errors and
//! exit codes, HTTPS with the cluster's CA, and a diff that finds rows only one side has.

mod common;

use common::server::start;
use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2025-07-30T12:00:00Z";
const QUERY: &str =
    "FROM logs-azure.signinlogs-default | STATS n = COUNT(*) BY event.outcome | SORT event.outcome | LIMIT 5";

fn esql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esql")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("esql")
}

#[test]
fn remote_runs_answer_as_local_ones() {
    let s = start(Path::new("examples/data"), &["--api-key", "id:secret"]);
    let url = format!("http://127.0.0.1:{}", s.port);
    for format in ["txt", "csv", "tsv", "ndjson"] {
        let remote = esql(&["run", "--remote", &url, "--api-key", "id:secret", "--format", format, "-e", QUERY]);
        let local = esql(&["run", "--data", "examples/data", "--now", NOW, "--format", format, "-e", QUERY]);
        assert!(remote.status.success(), "{format}: {}", String::from_utf8_lossy(&remote.stderr));
        assert_eq!(String::from_utf8_lossy(&remote.stdout), String::from_utf8_lossy(&local.stdout), "{format}");
    }
    let unauthorized = esql(&["run", "--remote", &url, "-e", QUERY]);
    assert_eq!(unauthorized.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unauthorized.stderr).contains("401 security_exception"));
    let bad = esql(&["run", "--remote", &url, "--api-key", "id:secret", "-e", "FROM logs-* | KEEP nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Unknown column [nope]"));
}

#[test]
fn diff_finds_rows_only_one_side_has() {
    let s = start(Path::new("examples/data"), &[]);
    let url = format!("http://127.0.0.1:{}", s.port);
    let rule = "queries/m365_entra_signin_from_suspicious_source.case-fixed.esql";
    let same = esql(&["diff", "--data", "examples/data", "--now", NOW, "--remote", &url, rule]);
    assert_eq!(same.status.code(), Some(0), "{}", String::from_utf8_lossy(&same.stdout));
    assert_eq!(String::from_utf8_lossy(&same.stdout), "same 5 rows here and on the cluster\n");
    // Half the sign-ins here: the counts differ, line by line.
    let half = std::env::temp_dir().join(format!("esql-diff-{}", std::process::id()));
    std::fs::create_dir_all(&half).expect("dir");
    let text = std::fs::read_to_string("examples/data/logs-azure.signinlogs-default.ndjson").expect("data");
    let head: String = text.lines().take(300).map(|l| format!("{l}\n")).collect();
    std::fs::write(half.join("logs-azure.signinlogs-default.ndjson"), head).expect("write");
    let differ = esql(&["diff", "--data", half.to_str().expect("utf-8"), "--remote", &url, "-e", QUERY]);
    assert_eq!(differ.status.code(), Some(1));
    let out = String::from_utf8_lossy(&differ.stdout);
    assert!(out.contains("+ 553,success") && out.contains("- ") && out.ends_with("rows differ\n"), "{out}");
    let _ = std::fs::remove_dir_all(half);
}

#[test]
fn https_with_the_cluster_ca() {
    let dir = std::env::temp_dir().join(format!("esql-remote-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate");
    let (cert_file, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_file, cert.cert.pem()).expect("cert");
    std::fs::write(&key_file, cert.signing_key.serialize_pem()).expect("key");
    let (c, k) = (cert_file.to_str().expect("utf-8"), key_file.to_str().expect("utf-8"));
    let s = start(Path::new("examples/data"), &["--tls-cert", c, "--tls-key", k]);
    let url = format!("https://localhost:{}", s.port);
    let ok = esql(&["run", "--remote", &url, "--remote-ca", c, "--format", "csv", "-e", QUERY]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout), "n,event.outcome\r\n82,failure\r\n553,success\r\n");
    let untrusted = esql(&["run", "--remote", &url, "-e", QUERY]);
    assert_eq!(untrusted.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(dir);
}
