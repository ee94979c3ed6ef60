//! Functions whose arguments must agree on a type (`functions/unify.rs`): mixed calls answer
//! in the type Elasticsearch gives them, or fail with its error. Each of these once planned
//! and then answered wrong: `GREATEST(1, 2.5)` was null, `MV_APPEND("a", 1)` dropped the 1,
//! `ROUND_TO` over nanosecond dates rounded up.

mod common;

/// (query, the result's rows as `common::rendered_rows` gives them).
const ANSWERS: &[(&str, &str)] = &[
    ("ROW g = GREATEST(1, 2.5), l = LEAST(1, 2.5)", "2.5, 1.0"),
    ("ROW g = GREATEST(1, 3000000000), l = LEAST(1, 3000000000)", "3000000000, 1"),
    ("ROW c = COALESCE(null, 1, 2.5), d = COALESCE(null, null)", "1.0, null"),
    ("ROW c = COALESCE(\"a\", \"b\")", "a"),
    // Null when either side is, as Elasticsearch's MvAppend evaluators answer.
    ("ROW a = MV_APPEND([1, 2], 3), b = MV_APPEND(null, \"x\")", "[1, 2, 3], null"),
    ("ROW a = CLAMP(1, 0.5, 3), b = CLAMP_MIN(5, 7), c = CLAMP_MAX(\"m\", \"c\")", "1.0, 7, c"),
    ("ROW r = ROUND_TO(7, 0.5, 3, 10), s = ROUND_TO(7, 3, 10)", "3.0, 3"),
    (
        "ROW x = to_date_nanos(\"2024-01-01T00:00:00.000000101Z\") \
         | EVAL r = ROUND_TO(x, to_date_nanos(\"2024-01-01T00:00:00.000000100Z\"), \
                               to_date_nanos(\"2024-01-01T00:00:00.000000102Z\")) | KEEP r",
        "2024-01-01T00:00:00.000000100Z",
    ),
    (
        "ROW x = to_datetime(\"2024-05-05T00:00:00Z\") \
         | EVAL r = ROUND_TO(x, to_datetime(\"2024-01-01\"), to_date_nanos(\"2024-06-01T00:00:00Z\")) | KEEP r",
        "2024-01-01T00:00:00.000000000Z",
    ),
    ("ROW s = COPY_SIGN(1, -2.5), t = COPY_SIGN(2.5, -1)", "-1, -2.5"),
    ("ROW s = MV_SLICE(null, -1, 0)", "null"),
    // An unsigned_long takes whole numbers in (a negative one is null, with a warning).
    ("ROW g = GREATEST(to_unsigned_long(1), 2), c = CASE(false, 1, to_unsigned_long(3))", "2, 3"),
    ("ROW c = CASE(true, 5, to_unsigned_long(3)), d = CASE(true, 1, 2.5)", "5, 1.0"),
];

/// (query, the first line of its error).
const ERRORS: &[(&str, &str)] = &[
    (
        "ROW g = LEAST(1, \"a\")",
        "line 1:9: second argument of [LEAST(1, \"a\")] must be [integer], found value [\"a\"] type [keyword]",
    ),
    (
        "ROW g = COALESCE(null, to_ip(\"::1\"), \"x\")",
        "line 1:9: third argument of [COALESCE(null, to_ip(\"::1\"), \"x\")] must be [ip], found value [\"x\"] type [keyword]",
    ),
    (
        "ROW g = MV_APPEND(\"a\", 1)",
        "line 1:9: second argument of [MV_APPEND(\"a\", 1)] must be [keyword], found value [1] type [integer]",
    ),
    (
        "ROW g = MV_APPEND(1, 2.5)",
        "line 1:9: second argument of [MV_APPEND(1, 2.5)] must be [integer], found value [2.5] type [double]",
    ),
    (
        "ROW g = CASE(true, 1, \"a\")",
        "line 1:9: third argument of [CASE(true, 1, \"a\")] must be [integer], found value [\"a\"] type [keyword]",
    ),
    (
        "ROW g = MV_CONTAINS([1, 2], 2.0)",
        "line 1:9: second argument of [MV_CONTAINS([1, 2], 2.0)] must be [integer], found value [2.0] type [double]",
    ),
    ("ROW g = CLAMP(null, 0.5, 3)", "line 1:9: 'field' must not be null in clamp()"),
    (
        "ROW g = CLAMP_MAX(\"a\", 1)",
        "line 1:9: second argument of [CLAMP_MAX(\"a\", 1)] must be [keyword], found value [1] type [integer]",
    ),
    ("ROW g = ROUND_TO(1, now())", "line 1:9: all arguments must be numeric, date, or data_nanos"),
    (
        "ROW g = COPY_SIGN(18446744073709551615, -1)",
        "line 1:9: first argument of [COPY_SIGN(18446744073709551615, -1)] must be [numeric except unsigned_long or counter types], found value [18446744073709551615] type [unsigned_long]",
    ),
    // Elasticsearch's wording: no ordinal for a one-argument function, "string" and
    // "numeric" for the groups, "a, b or c"; the statistical aggregates refuse unsigned_long.
    ("ROW x = \"a\" | EVAL y = ABS(x)", "line 1:24: argument of [ABS(x)] must be [numeric], found value [x] type [keyword]"),
    (
        "ROW x = true | EVAL y = LEFT(x, 1)",
        "line 1:25: first argument of [LEFT(x, 1)] must be [string], found value [x] type [boolean]",
    ),
    (
        "ROW x = 18446744073709551615 | STATS s = SUM(x)",
        "line 1:42: argument of [SUM(x)] must be [aggregate_metric_double, exponential_histogram or numeric except \
         unsigned_long or counter types], found value [x] type [unsigned_long]",
    ),
    // IN names each list item by its position after the value, and its types as ES does.
    (
        "ROW a = NOW() | WHERE a IN (NOW(), 1)",
        "line 1:23: third argument of [a IN (NOW(), 1)] must be [datetime], found value [1] type [integer]",
    ),
    // A date is `datetime` in every message, the found type included (ES's `typeName`).
    ("ROW a = NOW() | EVAL b = ABS(a)", "line 1:26: argument of [ABS(a)] must be [numeric], found value [a] type [datetime]"),
    ("ROW a = NOW() | EVAL b = a * 2", "line 1:26: [*] has arguments with incompatible types [datetime] and [integer]"),
    (
        "ROW x = \"a\" | STATS y = MEDIAN(x)",
        "line 1:25: argument of [MEDIAN(x)] must be [numeric except unsigned_long or counter types], found value [x] type [keyword]",
    ),
];

#[test]
fn mixed_arguments_answer_in_the_type_elasticsearch_gives_them() {
    let engine = common::engine_over("function-types", &[]);
    let failures = common::answer_mismatches(&engine, ANSWERS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn arguments_that_do_not_agree_are_refused_with_elasticsearchs_error() {
    let engine = common::engine_over("function-type-errors", &[]);
    let failures = common::error_mismatches(&engine, ERRORS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_function_over_text_answers_keyword() {
    // Elasticsearch's `noText`: only a field is text; what a function makes of it is keyword.
    let engine = common::engine_over("function-no-text", &[]);
    let q = "ROW t = TO_TEXT(\"a\") | EVAL c = COALESCE(t, \"b\"), g = GREATEST(t, \"b\"), m = MV_APPEND(t, \"z\"), \
             f = MV_FIRST(t), s = MV_SORT(t), k = CASE(true, t, \"x\") | STATS v = VALUES(t), x = MAX(t) BY c, g, m, f, s, k";
    let out = engine.query(q).unwrap_or_else(|e| panic!("{}", e.render(q)));
    let types: Vec<String> = out.result.columns.iter().map(|c| format!("{}:{}", c.name, c.ty)).collect();
    assert_eq!(
        types,
        ["v:keyword", "x:keyword", "c:keyword", "g:keyword", "m:keyword", "f:keyword", "s:keyword", "k:keyword"]
    );
}
