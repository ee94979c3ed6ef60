//! Random documents and random queries within the subset of ES|QL the SQL translation
//! covers: fields of every translated type, nulls, missing fields and multi-values.

use esql::cli::gen::Rng;

/// The mapping of the generated index `t`.
pub const MAPPING: &str = r#"{"properties": {"@timestamp": {"type": "date"}, "k": {"type": "keyword"},
 "n": {"type": "long"}, "d": {"type": "double"}, "b": {"type": "boolean"}, "ip": {"type": "ip"}}}"#;

const WORDS: &[&str] = &[
    "a",
    "b",
    "B",
    "ab",
    "a b",
    "x*y",
    "10.1.2.3",
    "ü",
    "", // text
    " 12 ",
    "-2.5",
    "+7",
    "1e3",
    ".5",
    "5.",
    "2147483648",
    "\u{a0}3\u{2003}",
    "0x1",
    "1e400", // numbers or not
    "\u{1c}x\u{85}",
    "\u{2007}y\u{3000}", // white space to Java and to Rust
];
const IPS: &[&str] =
    &["10.0.0.1", "10.200.3.4", "192.168.1.1", "8.8.8.8", "2001:db8::1", "::1", "fe80::a:b", "::ffff:1.2.3.4"];
const DATES: &[&str] = &[
    "2025-07-29T23:59:59.999Z",
    "2025-07-30T00:00:00Z",
    "2025-07-30T10:30:00.5Z",
    "2025-08-02T12:00:00Z",
    "2024-12-31T23:00:00Z",
];

fn pick_json(rng: &mut Rng, pool: &[&str]) -> String {
    serde_json::Value::String(rng.pick(pool).to_string()).to_string()
}

/// One field's JSON value: absent (None), null, one value or an array of them.
fn field(rng: &mut Rng, one: &mut dyn FnMut(&mut Rng) -> String) -> Option<String> {
    match rng.below(10) {
        0 => None,
        1 => Some("null".into()),
        2 | 3 => {
            let n = 1 + rng.below(3);
            Some(format!("[{}]", (0..n).map(|_| one(rng)).collect::<Vec<_>>().join(", ")))
        }
        _ => Some(one(rng)),
    }
}

/// `count` NDJSON documents.
pub fn documents(rng: &mut Rng, count: usize) -> String {
    let mut out = String::new();
    for _ in 0..count {
        let mut parts = Vec::new();
        let mut add = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("\"{name}\": {v}"));
            }
        };
        add("@timestamp", field(rng, &mut |r| pick_json(r, DATES)));
        add("k", field(rng, &mut |r| pick_json(r, WORDS)));
        add("n", field(rng, &mut |r| (r.below(11) as i64 - 5).to_string()));
        add("d", field(rng, &mut |r| format!("{}", (r.below(41) as f64 - 20.0) / 4.0)));
        add("b", field(rng, &mut |r| (r.below(2) == 0).to_string()));
        add("ip", field(rng, &mut |r| pick_json(r, IPS)));
        out.push_str(&format!("{{{}}}\n", parts.join(", ")));
    }
    out
}

/// A random condition over the fields.
fn condition(rng: &mut Rng, depth: u32) -> String {
    if depth < 2 && rng.chance(0.3) {
        let (a, b) = (condition(rng, depth + 1), condition(rng, depth + 1));
        return match rng.below(3) {
            0 => format!("({a} AND {b})"),
            1 => format!("({a} OR {b})"),
            _ => format!("NOT ({a})"),
        };
    }
    let op = *rng.pick(&["==", "!=", "<", "<=", ">", ">="]);
    match rng.below(16) {
        0 => format!("n {op} {}", rng.below(7) as i64 - 3),
        1 => format!("d {op} {}", (rng.below(9) as f64 - 4.0) / 2.0),
        2 => format!("k {op} {}", quote(rng.pick(WORDS))),
        3 => format!(
            "{} IS {}NULL",
            rng.pick(&["k", "n", "ip", "b", "@timestamp"]),
            if rng.chance(0.5) { "NOT " } else { "" }
        ),
        4 => format!("k IN ({}, {})", quote(rng.pick(WORDS)), quote(rng.pick(WORDS))),
        5 => format!("k LIKE {}", quote(rng.pick(&["a*", "*b", "?", "a?b", "*", "x\\\\*y"]))),
        6 => format!("k RLIKE {}", quote(rng.pick(&["[ab]+", "a.*", ".", "(a|B) ?b?", "[^a]*"]))),
        7 => format!(
            "cidr_match(ip, {})",
            rng.pick(&["\"10.0.0.0/8\"", "\"192.168.0.0/16\", \"::1\"", "\"2001:db8::/32\"", "\"0.0.0.0/0\""])
        ),
        8 => format!("ip {op} to_ip({})", quote(rng.pick(IPS))),
        9 => format!("@timestamp {op} \"{}\"", rng.pick(DATES)),
        10 => format!("b == {}", rng.chance(0.5)),
        11 => format!("starts_with(k, {})", quote(rng.pick(&["a", "", "x"]))),
        12 => format!("length(k) {op} {}", rng.below(4)),
        13 => format!("mv_count(n) {op} {}", rng.below(3)),
        14 => format!("to_lower(k) == {}", quote(rng.pick(&["b", "ab"]))),
        _ => format!("n + 1 {op} d"),
    }
}

fn quote(s: &&str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A random value expression.
fn value(rng: &mut Rng) -> String {
    rng.pick(&[
        "n + 1",
        "n * 2",
        "n / 2",
        "n % 3",
        "d / 2.0",
        "abs(n)",
        "-n",
        "to_upper(k)",
        "concat(k, \"-\", k)",
        "coalesce(n, 0)",
        "coalesce(k, \"none\")",
        "case(n > 0, \"pos\", n < 0, \"neg\", \"zero\")",
        "case(b, n)",
        "mv_min(n)",
        "mv_max(k)",
        "mv_first(ip)",
        "mv_last(d)",
        "to_string(n)",
        "to_string(ip)",
        "to_string(@timestamp)",
        "date_trunc(1 day, @timestamp)",
        "date_trunc(1 hour, @timestamp)",
        "bucket(@timestamp, 1 week)",
        "date_trunc(1 month, @timestamp)",
        "to_ip(k)",
        "floor(d)",
        "ceil(d)",
        "round(d)",
        "@timestamp + 1 hour",
        "to_double(n)",
        "ends_with(k, \"b\")",
        "date_diff(\"hour\", @timestamp, \"2025-07-30T12:00:00Z\")",
        "date_diff(\"day\", \"2025-07-30T00:00:00Z\", @timestamp)",
        "substring(k, 2)",
        "substring(k, -2, 1)",
        "substring(k, 0, 3)",
        "substring(k, n, n + 1)",
        "replace(k, \"[ab]\", \"_\")",
        "replace(k, \"a.\", \"\")",
        "mv_concat(k, \",\")",
        "contains(k, \"b\")",
        "replace(k, \"(a)( ?b)?\", \"$2<$1>\\\\$\")",
        "to_integer(k)",
        "to_integer(d * 1000000000.0)",
        "to_integer(n * 1000000000)",
        "to_double(@timestamp)",
        "mv_contains(k, \"a\")",
        "mv_contains(n, to_long([1, 2]))",
        "mv_contains(ip, mv_first(ip))",
        "locate(k, \"b\")",
        "locate(k, space(1))",
        "mv_dedupe(k)",
        "trim(k)",
        "ltrim(k)",
        "rtrim(k)",
        "mv_slice(n, 0, 1)",
        "mv_slice(k, 1, 3)",
    ])
    .to_string()
}

fn aggregate(rng: &mut Rng) -> String {
    let f = *rng.pick(&["k", "n", "d", "ip", "b", "@timestamp"]);
    let agg = match rng.below(9) {
        0 => "count(*)".to_string(),
        1 => format!("count({f})"),
        2 => format!("count_distinct({f})"),
        3 => format!("values({f})"),
        4 => format!("min({})", rng.pick(&["n", "d", "ip", "@timestamp", "k"])),
        5 => format!("max({})", rng.pick(&["n", "d", "ip", "@timestamp", "k"])),
        6 => format!("sum({})", rng.pick(&["n", "d"])),
        7 => format!("avg({})", rng.pick(&["n", "d"])),
        8 if rng.chance(0.2) => format!("mv_slice(mv_dedupe(top({f}, 3, \"asc\")), 0, 1)"),
        8 if rng.chance(0.3) => {
            format!(
                "top({}, {}, \"{}\")",
                rng.pick(&["n", "k", "ip", "@timestamp"]),
                1 + rng.below(3),
                rng.pick(&["asc", "DESC"])
            )
        }
        _ => format!("count(*) WHERE {}", condition(rng, 1)),
    };
    agg
}

/// A random query over `t`.
pub fn query(rng: &mut Rng) -> String {
    let mut fields = vec!["@timestamp", "k", "n", "d", "b", "ip"];
    let mut q = String::from("FROM t");
    if rng.chance(0.2) {
        q.push_str(" METADATA _id, _version\n| WHERE _id != \"t:3\" AND _version == 1");
        fields.push("_id");
    }
    for _ in 0..rng.below(4) {
        match rng.below(7) {
            0 | 1 => q.push_str(&format!("\n| WHERE {}", condition(rng, 0))),
            2 => {
                q.push_str(&format!("\n| EVAL e = {}", value(rng)));
                fields.push("e");
            }
            3 => q.push_str(&format!("\n| MV_EXPAND {}", rng.pick(&["k", "n", "ip"]))),
            // A field replaced in the middle of the columns, by a value of another type.
            4 if rng.chance(0.3) => q.push_str(&format!("\n| EVAL n = {}, k = to_upper(k)", value(rng))),
            4 => q.push_str(&format!(
                "\n| SORT {} {}",
                rng.pick(&["k", "n", "d", "ip"]),
                rng.pick(&["ASC", "DESC NULLS LAST", ""])
            )),
            5 => q.push_str("\n| RENAME k AS kk | RENAME kk AS k"),
            _ => q.push_str(&format!("\n| WHERE {}", condition(rng, 1))),
        }
    }
    if rng.chance(0.6) {
        let n = 1 + rng.below(3);
        let aggs: Vec<String> = (0..n).map(|i| format!("a{i} = {}", aggregate(rng))).collect();
        let by = match rng.below(5) {
            0 => String::new(),
            1 => " BY k".to_string(),
            2 => " BY n, b".to_string(),
            3 => " BY day = date_trunc(1 day, @timestamp)".to_string(),
            _ => " BY ip".to_string(),
        };
        q.push_str(&format!("\n| STATS {}{by}", aggs.join(", ")));
        if rng.chance(0.3) {
            q.push_str("\n| WHERE a0 IS NOT NULL");
        }
    } else if rng.chance(0.5) {
        let keep: Vec<&str> = fields.iter().copied().filter(|_| rng.chance(0.6)).collect();
        if !keep.is_empty() {
            q.push_str(&format!(
                "\n| KEEP {}",
                keep.iter()
                    .map(|f| if f.starts_with('@') { format!("`{f}`") } else { f.to_string() })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    q
}
