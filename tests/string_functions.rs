//! String functions where Elasticsearch's answer rests on a Java rule that Rust's standard
//! library spells differently.

mod common;

/// (query, the result's rows as `common::rendered_rows` gives them).
const ANSWERS: &[(&str, &str)] = &[
    // TRIM, LTRIM and RTRIM drop what Java's `Character.isWhitespace` calls white space: the
    // separators U+1680, U+2000-U+2006, U+2008-U+200A, U+2028, U+2029, U+205F, U+3000 and
    // the controls \t \n \v \f \r and U+001C-U+001F, but not the no-break spaces U+00A0,
    // U+2007 and U+202F nor U+0085 (Rust's `trim` takes those four and leaves U+001C-U+001F).
    ("ROW t = CONCAT(\"\u{3000}\u{2028}\", \"a\", \"\u{1f}\u{205f}\") | EVAL t = TRIM(t), n = LENGTH(t)", "a, 1"),
    ("ROW t = CONCAT(\"\u{a0}\", \"a\", \"\u{202f}\") | EVAL t = TRIM(t), n = LENGTH(t)", "\u{a0}a\u{202f}, 3"),
    ("ROW t = CONCAT(\"\u{2007}\u{85}\", \"a\") | EVAL t = LTRIM(t), n = LENGTH(t)", "\u{2007}\u{85}a, 3"),
    (
        "ROW t = CONCAT(\"\u{1c} \", \"a\", \" \u{1d}\") | EVAL l = LTRIM(t), r = RTRIM(t) | KEEP l, r",
        "a \u{1d}, \u{1c} a",
    ),
];

#[test]
fn string_functions_answer_as_elasticsearch() {
    let engine = common::engine_over("string-functions", &[]);
    let failures = common::answer_mismatches(&engine, ANSWERS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
