//! Doubles read from data come back exactly: every finite f64, written to NDJSON the ways
//! other tools write it (shortest form, exponent form, 17 significant digits), is read to
//! the same bits, and printed in a form that reads back to those bits, as Elasticsearch's
//! are. Also through Parquet (`esql convert`).

use esql::engine::Engine;
use esql::io::OnError;
use esql::types::{Cell, Value};
use proptest::prelude::*;
use std::path::Path;

/// The doubles of `FROM t | KEEP x` over `dir`, in file order, and their printed forms.
fn read_back(dir: &Path) -> (Vec<f64>, Vec<String>) {
    let engine = Engine::open(dir, OnError::Fail);
    let out = engine.query("FROM t | KEEP x | LIMIT 10000").expect("query");
    let mut values = Vec::new();
    let mut printed = Vec::new();
    for row in esql::output::rows(&out.result) {
        match &row[0] {
            Cell::One(Value::Double(d)) => {
                values.push(*d);
                printed.push(Value::Double(*d).render().to_string());
            }
            other => panic!("not a double: {other:?}"),
        }
    }
    (values, printed)
}

fn check(values: &[f64]) {
    let dir = std::env::temp_dir().join(format!("esql-doubles-{}-{}", std::process::id(), rand_suffix(values)));
    let data = dir.join("ndjson");
    std::fs::create_dir_all(&data).expect("dir");
    let mut text = String::new();
    for (k, v) in values.iter().enumerate() {
        let written = match k % 3 {
            0 => format!("{v}"),
            1 => format!("{v:e}"),
            _ => format!("{v:.16e}"),
        };
        text.push_str(&format!("{{\"x\": {written}}}\n"));
    }
    std::fs::write(data.join("t.ndjson"), text).expect("write");
    std::fs::write(data.join("t.mapping.json"), r#"{"properties":{"x":{"type":"double"}}}"#).expect("mapping");
    let (got, printed) = read_back(&data);
    assert_eq!(got.len(), values.len());
    for ((want, got), shown) in values.iter().zip(&got).zip(&printed) {
        assert_eq!(want.to_bits(), got.to_bits(), "{want:e} came back as {got:e}");
        let again: f64 = shown.parse().expect("printed double parses");
        assert_eq!(again.to_bits(), want.to_bits(), "{want:e} printed as {shown}");
    }
    let parquet = dir.join("parquet");
    let engine = Engine::open(&data, OnError::Fail);
    esql::cli::convert::convert(engine.data().expect("data"), &parquet, esql::cli::convert::Target::Parquet)
        .expect("convert");
    let (from_parquet, _) = read_back(&parquet);
    assert_eq!(
        from_parquet.iter().map(|d| d.to_bits()).collect::<Vec<_>>(),
        got.iter().map(|d| d.to_bits()).collect::<Vec<_>>()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn rand_suffix(values: &[f64]) -> u64 {
    values.iter().fold(values.len() as u64, |h, v| h.rotate_left(7) ^ v.to_bits())
}

#[test]
fn values_that_fast_parsers_round_wrongly_come_back_exactly() {
    check(&[0.9500000000000001, 1.0000000000000002, 2.2250738585072014e-308, 5e-324, 1.7976931348623157e308, 0.1, 0.3]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn every_finite_double_round_trips(values in prop::collection::vec(any::<f64>().prop_filter("finite", |d| d.is_finite()), 1..300)) {
        check(&values);
    }
}

/// Double sums add as Elasticsearch's `CompensatedSum` does: Kahan's last digits, and an
/// overflow that stays infinite (SUM and MV_SUM answer `Infinity`, elastic/elasticsearch
/// #111026), while AVG's division refuses it (null, with its warning). JSON quotes what it
/// has no number for, as Jackson does.
#[test]
fn double_sums_add_as_elasticsearch_does() {
    let engine = Engine::open(Path::new("/nonexistent"), OnError::Fail);
    let cases = [
        ("ROW x = [0.1, 0.2, 0.3] | EVAL s = MV_SUM(x), a = MV_AVG(x) | KEEP s, a", "0.6, 0.19999999999999998"),
        ("ROW x = [0.1, 0.2, 0.3] | MV_EXPAND x | STATS s = SUM(x), a = AVG(x)", "0.6, 0.19999999999999998"),
        ("ROW x = [1e308, 1e308, 1.0] | MV_EXPAND x | STATS s = SUM(x), a = AVG(x)", "Infinity, null"),
        ("ROW x = [1e308, 1e308, -1e308] | EVAL s = MV_SUM(x) | KEEP s", "Infinity"),
    ];
    for (query, want) in cases {
        let out = engine.query(query).unwrap_or_else(|e| panic!("{query}: {}", e.render(query)));
        let got: Vec<String> = esql::output::rows(&out.result)[0].iter().map(|c| c.render().to_string()).collect();
        assert_eq!(got.join(", "), want, "{query}");
    }
    let query = "ROW x = [1e308, 1e308] | MV_EXPAND x | STATS s = SUM(x)";
    let out = engine.query(query).expect("query");
    let body = esql::output::json_body(&out.result, 0);
    assert_eq!(body["values"][0][0], "Infinity");
}
