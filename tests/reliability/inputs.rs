//! Defects input files reach: lines without end, files that never end, the csv-spec reader.

use super::*;
use std::io::Write;

fn gzip(bytes: impl Fn(&mut dyn Write)) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    bytes(&mut enc);
    enc.finish().expect("gzip")
}

#[test]
fn d01_a_gzip_of_nul_bytes_stops_at_the_line_cap() {
    let zeros = vec![0u8; 1 << 20];
    let gz = gzip(|w| (0..64).for_each(|_| w.write_all(&zeros).expect("write")));
    let dir = data_dir("nul-gz", &[("x.ndjson.gz", &gz)]);
    let started = std::time::Instant::now();
    let out = esql_env(&["run", "-e", "FROM x", "--data", p(&dir)], &[("ESQL_MAX_LINE_BYTES", "4194304")]);
    let (code, _, err) = outcome(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("x.ndjson.gz:1: line longer than 4194304 bytes"), "{err}");
    assert!(started.elapsed().as_secs() < 10, "stopped at the cap, not at the end of 64 MiB");
}

#[test]
fn d01_a_plain_file_with_an_endless_line_names_its_line() {
    let mut bytes = b"{\"a\":1}\n{\"a\":2}\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'a', 6 << 20));
    let dir = data_dir("long-line", &[("x.ndjson", &bytes)]);
    let out = esql_env(&["run", "-e", "FROM x", "--data", p(&dir)], &[("ESQL_MAX_LINE_BYTES", "1048576")]);
    let (code, _, err) = outcome(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("x.ndjson:3: line longer than 1048576 bytes"), "{err}");
}

#[test]
fn d01_a_query_file_that_never_ends_is_refused() {
    let (code, _, err) = outcome(&esql(&["run", "/dev/zero"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("/dev/zero: larger than"), "{err}");
}

#[test]
fn d12_the_csv_spec_reader_reads_every_file_without_panicking() {
    let Some(shared) = crate::common::shared_dir() else { return };
    let mut tests = 0;
    for folder in ["conformance/spec", "conformance/spec-2"] {
        let files = esql::spec::spec_files(&[shared.join(folder)]).expect("spec files");
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read spec");
            tests += esql::spec::read_spec(&text).len();
        }
    }
    assert!(tests > 1000, "read {tests} tests");
}

#[test]
fn d11_values_a_type_cannot_hold_read_as_null_with_a_load_warning() {
    let docs = "{\"n\": 9223372036854775808, \"d\": 1e400, \"k\": 1e400, \"@timestamp\": 1e300}\n\
                {\"n\": 9223372036854775807, \"d\": 1.5, \"k\": \"x\", \"@timestamp\": \"2025-07-30T11:00:00Z\"}\n";
    let mapping = r#"{"properties":{"n":{"type":"long"},"d":{"type":"double"},"k":{"type":"keyword"},"@timestamp":{"type":"date"}}}"#;
    let dir = data_dir("overflow", &[("t.ndjson", docs.as_bytes()), ("t.mapping.json", mapping.as_bytes())]);
    let all = esql(&["run", "-e", "FROM t | KEEP n, d, k", "--data", p(&dir), "--format", "csv"]);
    let (code, out, err) = outcome(&all);
    assert_eq!((code, out.as_str()), (Some(0), "n,d,k\r\n,,1e400\r\n9223372036854775807,1.5,x\r\n"), "{err}");
    for field in ["[n] are not valid long", "[d] are not valid double"] {
        assert!(err.contains(field), "{field}: {err}");
    }
    let q = "FROM t | WHERE @timestamp > now() - 8 hours | KEEP d";
    let (code, out, err) =
        outcome(&esql(&["run", "-e", q, "--data", p(&dir), "--now", "2025-07-30T12:00:00Z", "--format", "csv"]));
    assert_eq!((code, out.as_str()), (Some(0), "d\r\n1.5\r\n"), "1e300 is no date in range: {err}");
}
