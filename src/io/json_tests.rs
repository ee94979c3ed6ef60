//! Tests of `io/json.rs`.
use super::*;

/// Decoded as serde_json decodes it, or left to serde_json when it refuses.
#[test]
fn escaped_strings_decode_as_serde_json_does() {
    let cases = [
        r#""a\"b\\c\/d""#,
        r#""\b\f\n\r\t""#,
        r#""\u00e9\u20AC x \ud83d\ude00""#,
        r#""{\"ClientIP\":\"1.2.3.4\"}""#,
        r#""lone \ud83d here""#,
        r#""low first \ude00""#,
        r#""bad \x escape""#,
        r#""short \u12""#,
        r#""sign \u+123""#,
        r#""trailing \""#,
        "\"raw\ttab \\n\"",
        "\"caf\u{e9} \\u0041\"",
    ];
    for raw in cases {
        let serde = serde_json::from_str::<String>(raw).ok();
        match escaped_string(raw.as_bytes()) {
            Some(s) => assert_eq!(Some(s), serde, "{raw}"),
            None => assert!(serde.is_none() || raw.contains('\t'), "{raw} left to serde_json: {serde:?}"),
        }
    }
    use proptest::prelude::*;
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config::with_cases(3000));
    // Runs long enough to fill the eight-byte words of `plain_run`, raw control characters
    // (refused), and bytes just above them and above the backslash.
    let body = r#"([a-fu0-9 é]{0,9}|[\x01\x1f\x20\x5b\x5d\x7f]|\\[\\"/bfnrtux]|\\u[0-9a-fA-FdD]{1,4}|\\u[dD][89ab][0-9a-f]{2}){0,12}"#;
    let text = proptest::string::string_regex(body).unwrap_or_else(|e| panic!("{e}"));
    let result = runner.run(&text, |t| {
        let raw = format!("\"{t}\"");
        prop_assert_eq!(escaped_string(raw.as_bytes()), serde_json::from_str::<String>(&raw).ok(), "{}", raw);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn nested_and_dotted_keys_are_the_same_field() {
    let doc: Json = serde_json::from_str(
        r#"{"source":{"ip":"1.2.3.4"},"event.category":["a","b"],"x":{"y.z":[{"w":1},{"w":2}]},"n":null}"#,
    )
    .unwrap();
    let mut seen = Vec::new();
    walk(&doc, &mut String::new(), &|_| false, &mut |p, v| seen.push((p.to_string(), v.clone())));
    let paths: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["event.category", "event.category", "source.ip", "x.y.z.w", "x.y.z.w"]);
}

#[test]
fn values_coerce_like_elasticsearch() {
    assert_eq!(coerce(&Json::from("50"), EsType::Long), Some(Value::Long(50)));
    assert_eq!(coerce(&Json::from(1.9), EsType::Long), Some(Value::Long(1)));
    assert_eq!(coerce(&Json::from(4), EsType::Keyword), Some(Value::Str("4".into())));
    assert_eq!(coerce(&Json::from("not-an-ip"), EsType::Ip), None);
    assert_eq!(coerce(&Json::from(1682752652103i64), EsType::Date), Some(Value::Date(1682752652103)));
    assert_eq!(infer(&Json::from("2022-01-24T05:10:08.681Z")), EsType::Date);
    assert_eq!(infer(&Json::from("1.2.3.4")), EsType::Keyword);
}

#[test]
fn geo_points_in_every_form_a_document_writes_them() {
    let point = |text: &str| coerce(&serde_json::from_str(text).unwrap(), EsType::GeoPoint);
    let want = Some(Value::Str("POINT (-71.34 41.12)".into()));
    for form in [
        r#"{"lat": 41.12, "lon": -71.34}"#,
        r#""41.12,-71.34""#,
        r#"[-71.34, 41.12]"#,
        r#""POINT (-71.34 41.12)""#,
        r#"{"type": "Point", "coordinates": [-71.34, 41.12]}"#,
    ] {
        assert_eq!(point(form), want, "{form}");
    }
    assert_eq!(point(r#"{"lat": 141.12, "lon": -71.34}"#), None, "latitude out of range is malformed");
    let doc: Json = serde_json::from_str(r#"{"loc": [-71.34, 41.12], "locs": [[1, 2], [3, 4]]}"#).unwrap();
    let mut seen = Vec::new();
    walk(&doc, &mut String::new(), &|p| p.starts_with("loc"), &mut |p, v| seen.push((p.to_string(), v.to_string())));
    assert_eq!(seen.len(), 3, "{seen:?}");
}
