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
        let files = esql::conformance::spec_files(&[shared.join(folder)]).expect("spec files");
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read spec");
            tests += esql::conformance::read_spec(&text).len();
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

/// Writes `batch` as a Parquet file.
fn parquet(path: &Path, batch: arrow::array::RecordBatch) {
    let file = std::fs::File::create(path).expect("create parquet");
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
}

#[test]
fn d06_foreign_parquet_layouts_read_their_values() {
    use arrow::array::{Array, ArrayRef, DictionaryArray, LargeStringArray, ListArray, TimestampMicrosecondArray};
    use arrow::datatypes::{Field, Int32Type, Int64Type};
    use std::sync::Arc;
    let dict: DictionaryArray<Int32Type> = vec!["10.0.0.1", "10.0.0.2"].into_iter().collect();
    let large = LargeStringArray::from(vec!["alice", "bob"]);
    let micros =
        TimestampMicrosecondArray::from(vec![1_753_876_800_123_456i64, 1_753_876_800_000_001]).with_timezone("UTC");
    let inner =
        ListArray::from_iter_primitive::<Int64Type, _, _>(vec![Some(vec![Some(1), Some(2)]), Some(vec![Some(3)])]);
    let item = Arc::new(Field::new("item", inner.data_type().clone(), true));
    let nested = ListArray::new(item, arrow::buffer::OffsetBuffer::new(vec![0, 1, 2].into()), Arc::new(inner), None);
    let batch = arrow::array::RecordBatch::try_from_iter(vec![
        ("ip", Arc::new(dict) as ArrayRef),
        ("user", Arc::new(large) as ArrayRef),
        ("ts", Arc::new(micros) as ArrayRef),
        ("n", Arc::new(nested) as ArrayRef),
    ])
    .expect("batch");
    let dir = fresh_dir("parquet-layouts");
    parquet(&dir.join("t.parquet"), batch);
    let q = "FROM t | EVAL ip = to_ip(ip), u = to_upper(user), day = to_string(ts) | KEEP ip, u, day, n";
    let (code, out, err) = outcome(&esql(&["run", "-e", q, "--data", p(&dir), "--format", "csv"]));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "ip,u,day,n\r\n10.0.0.1,ALICE,2025-07-30T12:00:00.123456000Z,\"[1, 2]\"\r\n10.0.0.2,BOB,2025-07-30T12:00:00.000001000Z,3\r\n",
        "{err}"
    );
}

#[test]
fn d06_parquet_parts_that_disagree_widen_to_keyword() {
    use arrow::array::{ArrayRef, Int64Array, StringArray};
    use std::sync::Arc;
    let dir = fresh_dir("parquet-parts");
    std::fs::create_dir_all(dir.join("t")).expect("index folder");
    let longs =
        arrow::array::RecordBatch::try_from_iter(vec![("v", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef)]);
    let texts =
        arrow::array::RecordBatch::try_from_iter(vec![("v", Arc::new(StringArray::from(vec!["x"])) as ArrayRef)]);
    parquet(&dir.join("t/a.parquet"), longs.expect("batch"));
    parquet(&dir.join("t/b.parquet"), texts.expect("batch"));
    let (code, out, err) = outcome(&esql(&["run", "-e", "FROM t | SORT v", "--data", p(&dir), "--format", "csv"]));
    assert_eq!((code, out.as_str()), (Some(0), "v\r\n1\r\n2\r\nx\r\n"), "{err}");
}

#[test]
fn d06_conversions_of_a_field_whose_type_differs_between_indices_read_its_values() {
    let dir = data_dir(
        "union",
        &[
            ("logs-a-default.ndjson", b"{\"source\":{\"ip\":\"1.2.3.4\"},\"t\":\"2025-01-01T00:00:00Z\"}\n"),
            ("logs-b-default.ndjson", b"{\"source\":{\"ip\":\"5.6.7.8\"},\"t\":\"2025-01-01T00:00:00Z\"}\n"),
            (
                "logs-b-default.mapping.json",
                br#"{"properties":{"source":{"properties":{"ip":{"type":"keyword"}}},"t":{"type":"keyword"}}}"#,
            ),
            ("logs-a-default.mapping.json", br#"{"properties":{"t":{"type":"date"}}}"#),
        ],
    );
    let q = "FROM logs-* | EVAL ip = to_ip(source.ip), t = to_datetime(t) | KEEP ip, t, source.ip | SORT ip";
    let (code, out, err) = outcome(&esql(&["run", "-e", q, "--data", p(&dir), "--format", "csv"]));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out, "ip,t,source.ip\r\n1.2.3.4,2025-01-01T00:00:00.000Z,\r\n5.6.7.8,2025-01-01T00:00:00.000Z,\r\n",
        "the field itself stays null (unsupported), as in Elasticsearch"
    );
}

#[test]
fn d13_a_byte_order_mark_is_not_a_broken_line() {
    let plain = b"\xEF\xBB\xBF{\"a\":1}\n{\"a\":2}\n";
    let gz = gzip(|w| w.write_all(plain).expect("write"));
    let dir = data_dir("bom", &[("t.ndjson", plain), ("g.ndjson.gz", &gz)]);
    let (code, out, err) = outcome(&run_query("FROM t, g | STATS c = count(*), s = sum(a)", Some(&dir), "csv"));
    assert_eq!((code, out.as_str()), (Some(0), "c,s\r\n4,6\r\n"), "{err}");
}

#[test]
fn d13_names_and_keys_that_would_lose_values_are_reported() {
    let dir = data_dir("names", &[("t.ndjson", b"{\"a\xff\":1,\"b\":2}\n")]);
    let (code, _, err) = outcome(&run_query("FROM t", Some(&dir), "csv"));
    assert_eq!(code, Some(1));
    assert!(err.contains("t.ndjson:1: invalid UTF-8 in a member name"), "{err}");
    let dir = data_dir("dupes", &[("t.ndjson", b"{\"a\":1,\"a\":2,\"b\":{\"c\":1},\"b.c\":2}\n{\"a\":3}\n")]);
    let (code, out, err) = outcome(&run_query("FROM t | KEEP a, b.c", Some(&dir), "csv"));
    assert_eq!((code, out.as_str()), (Some(0), "a,b.c\r\n\"[1, 2]\",\"[1, 2]\"\r\n3,\r\n"), "{err}");
    assert!(err.contains("1 document(s) hold [a] more than once"), "{err}");
    assert!(err.contains("1 document(s) hold [b.c] more than once"), "{err}");
}

#[test]
fn d13_malformed_mappings_are_errors_that_name_the_field() {
    for (mapping, why) in [
        (r#"{"properties":{"a":{"type":5}}}"#, "field [a]: \"type\" must be a string, found 5"),
        (r#"{"properties":"nope"}"#, "\"properties\" must be an object"),
        (
            r#"{"properties":{"a":{"type":"alias","path":"b"},"b":{"type":"alias","path":"a"}}}"#,
            "field alias [a] points to [b]",
        ),
    ] {
        let dir = data_dir("mapping", &[("t.ndjson", b"{\"a\":1}\n"), ("t.mapping.json", mapping.as_bytes())]);
        let (code, _, err) = outcome(&run_query("FROM t", Some(&dir), "csv"));
        assert_eq!(code, Some(1), "{mapping}: {err}");
        assert!(err.contains("t.mapping.json: ") && err.contains(why), "{mapping}: {err}");
    }
}

#[test]
fn d13_a_field_that_is_a_value_and_an_object_is_reported() {
    let dir = data_dir("shapes", &[("t.ndjson", b"{\"a\":1}\n{\"a\":{\"b\":2}}\n")]);
    let (code, out, err) = outcome(&run_query("FROM t | KEEP a, a.b", Some(&dir), "csv"));
    assert_eq!((code, out.as_str()), (Some(0), "a,a.b\r\n1,\r\n,2\r\n"), "{err}");
    assert!(err.contains("field [a] is a value in some documents and an object ([a.b]) in others"), "{err}");
}
