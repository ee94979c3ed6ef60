//! The inputs of `tests/function_fuzz.rs`: one index of edge values, and random calls,
//! pipelines, Query DSL filters and parameters over it.

use super::Rng;
use esql::functions::{FunctionDef, Kind};
use esql::types::EsType;

/// The index: one column per type, rows of edge values (nulls, multi-values, extremes).
pub const MAPPING: &str = r#"{"mappings": {"properties": {
  "k": {"type": "keyword"}, "t": {"type": "text"}, "i": {"type": "integer"},
  "l": {"type": "long"}, "u": {"type": "unsigned_long"}, "d": {"type": "double"},
  "b": {"type": "boolean"}, "dt": {"type": "date"}, "dn": {"type": "date_nanos"},
  "ip": {"type": "ip"}, "v": {"type": "version"}, "g": {"type": "geo_point"},
  "gs": {"type": "geo_shape"}, "c": {"type": "cartesian_point"}}}}"#;

pub const ROWS: &str = r#"{"k": "a", "t": "Hello World", "i": 0, "l": 0, "u": 0, "d": 0.0, "b": true, "dt": "2024-01-01T00:00:00Z", "dn": "2024-01-01T00:00:00.123456789Z", "ip": "1.2.3.4", "v": "1.2.3", "g": "POINT(1 2)", "gs": "POLYGON((0 0, 1 0, 1 1, 0 0))", "c": "POINT(3 4)"}
{"k": "", "t": "", "i": 2147483647, "l": 9223372036854775807, "u": 18446744073709551615, "d": 1.7976931348623157e308, "b": false, "dt": "9999-12-31T23:59:59.999Z", "dn": "2262-04-11T23:47:16.854775807Z", "ip": "::", "v": "1.2.3-SNAPSHOT", "g": "POINT(-180 -90)", "c": "POINT(-1e300 1e300)"}
{"k": ["b", "a", "b"], "t": ["x y", "Z"], "i": [-2147483648, 1, -1], "l": [-9223372036854775808, 5], "u": [1, 9223372036854775808], "d": [-0.0, 5e-324, -1.5], "b": [true, false], "dt": ["1970-01-01T00:00:00Z", "1900-01-01T00:00:00Z"], "ip": ["::ffff:10.0.0.1", "fe80::1"], "v": ["2.0", "10.0.0"], "g": ["POINT(0 0)", "POINT(10 10)"]}
{"k": "ÄÖü \u0000\\*?", "t": "ünïcödé 𝄞", "i": -7, "l": -1, "u": 9223372036854775807, "d": -1e-10, "dt": "1969-12-31T23:59:59.999Z", "ip": "255.255.255.255", "v": "bad.version", "c": "POINT(0 0)"}
{}
"#;

pub const COLUMNS: &[(&str, EsType)] = &[
    ("k", EsType::Keyword),
    ("t", EsType::Text),
    ("i", EsType::Integer),
    ("l", EsType::Long),
    ("u", EsType::UnsignedLong),
    ("d", EsType::Double),
    ("b", EsType::Boolean),
    ("dt", EsType::Date),
    ("dn", EsType::DateNanos),
    ("ip", EsType::Ip),
    ("v", EsType::Version),
    ("g", EsType::GeoPoint),
    ("gs", EsType::GeoShape),
    ("c", EsType::CartesianPoint),
];

/// Literals of each type, edge values first among them.
pub fn literals(ty: EsType) -> &'static [&'static str] {
    use EsType::*;
    match ty {
        Keyword | Text => &[
            "\"\"",
            "\"a\"",
            "\"*\"",
            "\"\\\\\"",
            "\"ÄÖ\"",
            "\"1.2.3.4\"",
            "\"2024-01-01\"",
            "\"yyyy-MM-dd\"",
            "\"%{WORD:x}\"",
            "\"POINT(1 2)\"",
            "\"1e400\"",
            "\"-9223372036854775809\"",
            "\"day\"",
            "\"[\"",
            "\"(\"",
            "\"𝄞\"",
        ],
        Integer => &["0", "-1", "1", "2147483647", "-2147483648", "100000", "[1, -2]"],
        Long => &["9223372036854775807", "-9223372036854775807", "4294967296", "[9223372036854775807, 0]"],
        UnsignedLong => &["18446744073709551615", "9223372036854775808", "to_unsigned_long(0)"],
        Double => &["0.0", "-0.0", "1.5", "1e308", "-1e308", "5e-324", "[1.5, -0.5]", "pi()"],
        Boolean => &["true", "false", "[true, false]"],
        Date => &["now()", "to_datetime(\"2024-02-29T12:00:00Z\")", "to_datetime(0)", "to_datetime(-62135596800001)"],
        DateNanos => &["to_date_nanos(\"2024-01-01T00:00:00.000000001Z\")"],
        Ip => &["to_ip(\"::1\")", "to_ip(\"0.0.0.0\")"],
        Version => &["to_version(\"1.0\")", "to_version(\"\")"],
        TimeDuration => &["1 hour", "0 seconds", "-1 millisecond", "100000000 hours"],
        DatePeriod => &["1 day", "1 month", "-1 year", "0 days", "1000000 years"],
        GeoPoint => &["to_geopoint(\"POINT(1 2)\")"],
        CartesianPoint => &["to_cartesianpoint(\"POINT(1 2)\")"],
        GeoShape => &["to_geoshape(\"LINESTRING(0 0, 1 1)\")"],
        CartesianShape => &["to_cartesianshape(\"POINT(1 1)\")"],
        // `_source` is only ever a field read from a document.
        Null | Unsupported | Source => &["null"],
        GeoHash => &["to_geohash(\"u3bu\")"],
        GeoTile => &["to_geotile(\"4/8/5\")"],
        GeoHex => &["to_geohex(\"841f059ffffffff\")"],
    }
}

/// An argument of type `ty` (sometimes another, or null): a column, a literal, or a call.
pub fn argument(rng: &mut Rng, scalars: &[&FunctionDef], ty: EsType, depth: usize) -> String {
    let ty = if rng.below(12) == 0 { COLUMNS[rng.below(COLUMNS.len())].1 } else { ty };
    match rng.below(10) {
        0 => "null".to_string(),
        1..=4 => match COLUMNS.iter().find(|(_, t)| *t == ty) {
            Some((name, _)) => (*name).to_string(),
            None => rng.pick(literals(ty)).to_string(),
        },
        5 if depth < 2 => {
            let f = scalars[rng.below(scalars.len())];
            call(rng, f, scalars, depth + 1)
        }
        6 if depth < 2 => operator(rng, scalars, ty, depth + 1),
        _ => rng.pick(literals(ty)).to_string(),
    }
}

/// Operators, casts and predicates around arguments of `ty` (or of another type).
pub fn operator(rng: &mut Rng, scalars: &[&FunctionDef], ty: EsType, depth: usize) -> String {
    const BINARY: &[&str] = &["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "AND", "OR"];
    const CASTS: &[&str] = &["long", "integer", "double", "keyword", "datetime", "ip", "version", "boolean"];
    let a = argument(rng, scalars, ty, depth);
    match rng.below(6) {
        0 => format!("{a}::{}", rng.pick(CASTS)),
        1 => format!("{a} IN ({}, {})", argument(rng, scalars, ty, depth), argument(rng, scalars, ty, depth)),
        2 => format!("{a} LIKE \"*a?\""),
        3 => format!("CASE({a} IS NULL, {}, {a})", argument(rng, scalars, ty, depth)),
        4 => format!("-{a}"),
        _ => format!("({a} {} {})", rng.pick(BINARY), argument(rng, scalars, ty, depth)),
    }
}

/// A call of `f` with arguments for its parameters, the optional ones sometimes left out,
/// a variadic one repeated.
pub fn call(rng: &mut Rng, f: &FunctionDef, scalars: &[&FunctionDef], depth: usize) -> String {
    let mut args = Vec::new();
    for (n, p) in f.params.iter().enumerate() {
        if p.optional && rng.below(3) == 0 {
            break;
        }
        let repeat = if f.variadic && n + 1 == f.params.len() { 1 + rng.below(3) } else { 1 };
        for _ in 0..repeat {
            let ty = if p.types.is_empty() { EsType::Keyword } else { *rng.pick(p.types) };
            args.push(argument(rng, scalars, ty, depth));
        }
    }
    format!("{}({})", f.name, args.join(", "))
}

/// One query around a call of `f`.
pub fn query(rng: &mut Rng, f: &FunctionDef, scalars: &[&FunctionDef]) -> String {
    let c = call(rng, f, scalars, 0);
    let by = COLUMNS[rng.below(COLUMNS.len())].0;
    if matches!(f.kind, Kind::Aggregate(..)) {
        return match rng.below(3) {
            0 => format!("FROM t | STATS x = {c}"),
            1 => format!("FROM t | STATS x = {c} BY {by} | SORT {by}"),
            _ => format!("FROM t | STATS x = {c} WHERE {by} IS NOT NULL, y = count(*) BY {by}"),
        };
    }
    match rng.below(7) {
        5 => format!("FROM t | EVAL x = {c} | MV_EXPAND x | SORT x | LIMIT 3"),
        6 => format!("FROM t | EVAL x = {c} | STATS m = max(x), v = values(x), n = count_distinct(x) BY {by}"),
        0 => format!("FROM t | WHERE {c} IS NOT NULL | KEEP k"),
        1 => format!("FROM t | EVAL x = {c} | SORT x DESC NULLS FIRST | KEEP x"),
        2 => format!("FROM t | STATS x = count(*) BY y = {c}"),
        3 => format!("ROW a = 1 | EVAL x = {c}"),
        _ => format!("FROM t | EVAL x = {c} | KEEP x, {by}"),
    }
}

/// A pipeline of random commands over the index, their arguments drawn as the calls'.
pub fn pipeline(rng: &mut Rng, scalars: &[&FunctionDef], aggregates: &[&FunctionDef]) -> String {
    let mut q = String::from(if rng.below(8) == 0 { "FROM t METADATA _id, _index" } else { "FROM t" });
    for n in 0..1 + rng.below(5) {
        let (col, ty) = *rng.pick(COLUMNS);
        let expr = argument(rng, scalars, ty, 0);
        let f = aggregates[rng.below(aggregates.len())];
        let agg = call(rng, f, scalars, 1);
        let command = match rng.below(19) {
            16 => format!("WHERE KQL(\"{}\")", search_soup(rng)),
            17 => format!("WHERE QSTR(\"{}\")", search_soup(rng)),
            18 => format!("WHERE MATCH({col}, \"{}\") OR {col}: \"{}\"", search_soup(rng), search_soup(rng)),
            0 => format!("WHERE {}", operator(rng, scalars, ty, 1)),
            1 => format!("EVAL x{n} = {expr}"),
            2 => format!("STATS a{n} = {agg}, c = count(*) BY {col}"),
            3 => format!("INLINE STATS a{n} = {agg} BY {col}"),
            4 => format!("SORT {col} {} NULLS {}", rng.pick(&["ASC", "DESC"]), rng.pick(&["FIRST", "LAST"])),
            5 => format!("LIMIT {}", rng.pick(&["0", "1", "3", "2147483647"])),
            6 => format!("KEEP {}", rng.pick(&["k", "*", "d*", "?", "x*, k", "`k`"])),
            7 => format!("DROP {col}"),
            8 => format!("RENAME {col} AS {}", rng.pick(&["k", "y", "x0", "`a b`"])),
            9 => format!("MV_EXPAND {col}"),
            10 => format!("DISSECT {} {}", rng.pick(&["k", "t"]), rng.pick(DISSECT_PATTERNS)),
            11 => format!("GROK {} {}", rng.pick(&["k", "t"]), rng.pick(GROK_PATTERNS)),
            12 => format!("FORK (WHERE {expr} IS NULL) (SORT {col} | LIMIT 2)"),
            13 => format!("CHANGE_POINT {} ON dt", rng.pick(&["i", "l", "d", "k"])),
            14 => format!("SAMPLE {}", rng.pick(&["0.5", "0.000001", "1"])),
            _ => format!("STATS a{n} = {agg} BY b = BUCKET({col}, {})", rng.pick(&["10", "1 day", "1.5", "0"])),
        };
        q.push_str(" | ");
        q.push_str(&command);
    }
    q
}

/// A random string of KQL and Lucene query-string pieces, escaped for an ES|QL string.
pub fn search_soup(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "k:",
        "t:",
        "i:",
        "dt:",
        "ip:",
        "*",
        "?",
        "\\\"",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        " and ",
        " or ",
        " not ",
        " AND ",
        " OR ",
        "NOT ",
        ">=",
        "<",
        ":",
        "a",
        "b*",
        "x y",
        "~2",
        "^3",
        "\\\\",
        "/a.*/",
        " TO ",
        "now-1d",
        "1.2.3.0/24",
        "-",
        "+",
        "\\\\*",
        "ü",
        " ",
    ];
    (0..1 + rng.below(10)).map(|_| *rng.pick(PIECES)).collect()
}

/// A random Query DSL filter, as a request's `filter` carries it: Elasticsearch's query
/// types over the index's fields, with values of every JSON kind.
pub fn dsl(rng: &mut Rng, depth: usize) -> serde_json::Value {
    use serde_json::json;
    let field = rng.pick(COLUMNS).0;
    let values =
        [json!("a"), json!(1), json!(-1.5), json!(null), json!(["a", 1]), json!({}), json!("now-1d/d"), json!("ü*")];
    let v = values[rng.below(values.len())].clone();
    let w = values[rng.below(values.len())].clone();
    match rng.below(12) {
        0 if depth < 3 => {
            let (a, b) = (dsl(rng, depth + 1), dsl(rng, depth + 1));
            json!({"bool": {"must": [a], "should": [b], "must_not": v, "minimum_should_match": w}})
        }
        1 => json!({"term": {field: v}}),
        2 => json!({"terms": {field: [v, w]}}),
        3 => {
            json!({"range": {field: {"gte": v, "lt": w, "format": "strict_date_optional_time", "time_zone": "+01:00"}}})
        }
        4 => json!({"match": {field: {"query": v, "operator": "and", "fuzziness": w}}}),
        5 => json!({"exists": {"field": v}}),
        6 => json!({"wildcard": {field: {"value": v, "case_insensitive": true}}}),
        7 => json!({"query_string": {"query": search_soup(rng), "default_field": field}}),
        8 => json!({"match_phrase": {field: {"query": v, "slop": w}}}),
        9 => json!({"prefix": {field: v}}),
        10 => json!({"regexp": {field: {"value": "a.*[", "flags": "ALL"}}}),
        _ => json!({"ids": {"values": [v]}}),
    }
}

pub const DISSECT_PATTERNS: &[&str] = &[
    "\"%{a} %{b}\"",
    "\"%{a}\"",
    "\"%{+a} %{+a}\"",
    "\"%{?x}%{b}\" APPEND_SEPARATOR=\"-\"",
    "\"%{*k} %{&k}\"",
    "\"%{a\"",
    "\"\"",
];
pub const GROK_PATTERNS: &[&str] = &[
    "\"%{WORD:w} %{WORD:v}\"",
    "\"%{NUMBER:n:int}\"",
    "\"%{IP:ip}\"",
    "\"%{GREEDYDATA:g}\"",
    "\"%{NOPE:x}\"",
    "\"(?<n>a+)+b\"",
    "\"%{WORD:w:float}\"",
];

/// A request's random `params` and a command that reads them (values, `??` identifiers
/// and patterns, of every JSON kind, some missing).
pub fn parameters(rng: &mut Rng) -> (serde_json::Value, String) {
    use serde_json::json;
    let values = [
        json!(1),
        json!("a"),
        json!(null),
        json!(-1.5),
        json!([1, 2]),
        json!(true),
        json!({"identifier": "k"}),
        json!({"pattern": "k*"}),
        json!({"value": "x"}),
        json!({"identifier": 1}),
        json!({}),
        json!(18446744073709551615u64),
    ];
    let (a, b) = (values[rng.below(values.len())].clone(), values[rng.below(values.len())].clone());
    let params = if rng.below(2) == 0 { json!([a, {"n": b}]) } else { json!({"n": a, "m": b}) };
    let suffix = *rng.pick(&[
        " | EVAL p = ?, q = ?n",
        " | EVAL p = ?1 + ?2",
        " | KEEP ??n",
        " | STATS c = count(*) BY ??n",
        " | WHERE ?n == k",
        " | EVAL p = ?m",
    ]);
    (params, suffix.to_string())
}
