//! Date arithmetic and date conversions as Elasticsearch answers them: time spans of one kind
//! add up before they meet a date (`dt + (1 hour + 1 minute)`, `4 years + 3 months + n`), a
//! null beside a span or a date makes the result null, numbers become dates as `TO_LONG`
//! converts them, and the conversions refuse the types Elasticsearch's refuse. Each case
//! here once failed to plan or answered otherwise (the tests of `date.csv-spec`).

mod common;

/// (query, the result's rows as `common::rendered_rows` gives them).
const ANSWERS: &[(&str, &str)] = &[
    (
        "ROW dt = TO_DATETIME(\"2100-01-01T00:00:00Z\") | EVAL p = dt + (1 hour + 1 minute + 1 second + 1 ms) | KEEP p",
        "2100-01-01T01:01:01.001Z",
    ),
    (
        "ROW n = TO_DATETIME(\"1953-04-01T00:00:00Z\") \
         | EVAL t = 4 years + 3 months + 1 year + 2 weeks + 1 month + 1 day + 1 week + 1 day + n | KEEP t",
        "1958-08-24T00:00:00.000Z",
    ),
    (
        "ROW dt = TO_DATETIME(\"2104-04-16T01:01:01Z\") | EVAL p = dt + (-(4 years + 3 months + 2 weeks + 1 day)) | KEEP p",
        "2100-01-01T01:01:01.000Z",
    ),
    (
        "ROW n = TO_DATETIME(\"1953-04-04T00:00:00Z\") | EVAL x = -4 years + n \
         | EVAL y = -3 months + x, t = y + (-2 weeks - 1 day) | KEEP t",
        "1948-12-20T00:00:00.000Z",
    ),
    // Periods add field by field: a month and 31 days are not the same step.
    ("ROW t = TO_DATETIME(\"2024-01-31T00:00:00Z\") + (1 month - 1 day)", "2024-02-28T00:00:00.000Z"),
    (
        "ROW dt = TO_DATETIME(\"2100-01-01T00:00:00Z\") | EVAL a = dt + null + 2 years, b = 3 weeks + null + dt, \
         c = dt - null | KEEP a, b, c",
        "null, null, null",
    ),
    // A string literal beside a span is a date; a span may be read from a ROW or EVAL column
    // holding a constant, or from constant calls (ES propagates and folds them first).
    ("ROW t = \"2024-01-01\" + 3 days", "2024-01-04T00:00:00.000Z"),
    (
        "ROW u = \"3 days\", a = \"3\" | EVAL b = \"hours\", s = CONCAT(CONCAT(a, \" \"), b), v = s \
         | EVAL x = \"2024-01-01\" + u::date_period, y = TO_DATETIME(\"2024-01-01\") - v::time_duration | KEEP x, y",
        "2024-01-04T00:00:00.000Z, 2023-12-31T21:00:00.000Z",
    ),
    ("ROW x = TO_DATETIME(\"2024-01-01\") + null::date_period + TO_STRING(null)::time_duration", "null"),
    // A double is rounded half up (Java's Math.round), as TO_LONG rounds it.
    ("ROW a = TO_DATETIME(1.5), b = TO_DATETIME(-1.5), c = TO_DATETIME(2.4)", "1970-01-01T00:00:00.002Z, 1969-12-31T23:59:59.999Z, 1970-01-01T00:00:00.002Z"),
    (
        "ROW f = TO_DATETIME(\"2023-12-31T23:59:59.999Z\"), t = TO_DATETIME(\"2024-02-01T00:00:00Z\") \
         | EVAL m = DATE_DIFF(\"month\", f, t), y = DATE_DIFF(\"year\", f, t), s = DATE_DIFF(\"seconds\", f, t) | KEEP m, y, s",
        "1, 0, 2678400",
    ),
    // A double of nanoseconds is rounded to a long first, losing what a double cannot hold.
    ("ROW d = TO_DATE_NANOS(1724160894123456789.0)", "2024-08-20T13:34:54.123456768Z"),
    (
        "ROW n = TO_DATE_NANOS(\"2053-04-04T04:03:02.001123456Z\") | EVAL t = n - 4 hours + (-2 second - 1 ms) | KEEP t",
        "2053-04-04T00:03:00.000123456Z",
    ),
];

/// (query, the first line of its error).
const ERRORS: &[(&str, &str)] = &[
    (
        "ROW x = 1 hour + 1 day",
        "line 1:9: [+] has arguments with incompatible types [time_duration] and [date_period]",
    ),
    (
        "ROW x = 1 day - TO_DATETIME(0)",
        "line 1:9: [-] arguments are in unsupported order: cannot subtract a [DATETIME] value [TO_DATETIME(0)] from a [DATE_PERIOD] amount [1 day]",
    ),
    (
        "ROW x = null - NOW()",
        "line 1:9: [-] arguments are in unsupported order: cannot subtract a [DATETIME] value [NOW()] from a [NULL] amount [null]",
    ),
    (
        "ROW x = 1 hour - NOW() + 1 day",
        "line 1:9: [-] arguments are in unsupported order: cannot subtract a [DATETIME] value [NOW()] from a [TIME_DURATION] amount [1 hour]",
    ),
    ("ROW x = NOW() - NOW()", "line 1:9: [-] has arguments with incompatible types [datetime] and [datetime]"),
    // After MV_EXPAND the column is no constant.
    (
        "ROW s = [\"1 day\", \"2 days\"] | MV_EXPAND s | EVAL x = NOW() + s::date_period",
        "line 1:62: argument of [s::date_period] must be a constant string of a [date_period], found value [s] type [keyword]",
    ),
    (
        "ROW x = TO_DATETIME(true)",
        "line 1:9: argument of [TO_DATETIME(true)] must be [date_nanos or datetime or numeric or string], found value [true] type [boolean]",
    ),
    (
        "ROW x = TO_DATE_NANOS(1)",
        "line 1:9: argument of [TO_DATE_NANOS(1)] must be [date_nanos or datetime or double or long or string or unsigned_long], found value [1] type [integer]",
    ),
    (
        "ROW x = TO_LONG(TO_IP(\"10.0.0.1\"))",
        "line 1:9: argument of [TO_LONG(TO_IP(\"10.0.0.1\"))] must be [boolean or date_nanos or datetime or geohash or geohex or geotile or numeric or string], found value [TO_IP(\"10.0.0.1\")] type [ip]",
    ),
    (
        "ROW x = TO_BOOLEAN(TO_DATETIME(0))",
        "line 1:9: argument of [TO_BOOLEAN(TO_DATETIME(0))] must be [boolean or numeric or string], found value [TO_DATETIME(0)] type [datetime]",
    ),
    (
        "ROW x = TO_VERSION(1)",
        "line 1:9: argument of [TO_VERSION(1)] must be [string or version], found value [1] type [integer]",
    ),
    ("ROW x = TO_IP(1)", "line 1:9: argument of [TO_IP(1)] must be [ip or string], found value [1] type [integer]"),
    // A constant unit DATE_DIFF does not know fails the query, with Elasticsearch's suggestions.
    (
        "ROW x = DATE_DIFF(\"sseconds\", TO_DATETIME(0), TO_DATETIME(1))",
        "line 1:9: invalid unit format for [DATE_DIFF(\"sseconds\", TO_DATETIME(0), TO_DATETIME(1))]: Received value \
         [sseconds] is not valid date part to add; did you mean [seconds, second, nanoseconds, milliseconds, \
         microseconds, nanosecond]?",
    ),
];

#[test]
fn date_arithmetic_answers_as_elasticsearch() {
    let engine = common::engine_over("date-math", &[]);
    let failures = common::answer_mismatches(&engine, ANSWERS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn date_arithmetic_and_conversions_refuse_what_elasticsearch_refuses() {
    let engine = common::engine_over("date-math-errors", &[]);
    let failures = common::error_mismatches(&engine, ERRORS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
