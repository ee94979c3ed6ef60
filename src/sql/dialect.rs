//! What differs between the SQL dialects we write: quoting, arrays and their higher-order
//! functions, regex and time helpers. Everything else in `sql/` is shared.

use crate::types::EsType;

/// A SQL engine we translate to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Apache Spark SQL (3.4 and later; run with `spark.sql.session.timeZone=UTC`).
    Spark,
    /// DuckDB (1.1 and later).
    DuckDb,
}

impl Dialect {
    /// Session settings the translation assumes: Spark's time zone (calendar truncation)
    /// and its non-ANSI mode (an out-of-range element or a failed cast reads null, as
    /// ES|QL's null-and-warning does, instead of failing the query).
    pub fn setup(self) -> &'static [&'static str] {
        match self {
            Dialect::Spark => &["SET spark.sql.session.timeZone=UTC", "SET spark.sql.ansi.enabled=false"],
            Dialect::DuckDb => &[],
        }
    }

    /// The statements that run `sql`: the session settings, then the query.
    pub fn statements(self, sql: String) -> Vec<String> {
        self.setup().iter().map(|s| s.to_string()).chain(std::iter::once(sql)).collect()
    }

    /// An identifier, quoted.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal.
    pub fn string(self, s: &str) -> String {
        match self {
            // Spark reads backslash escapes inside string literals.
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Dialect::DuckDb => format!("'{}'", s.replace('\'', "''")),
        }
    }

    /// The SQL type holding values of `ty` inside a translated query (dates as epoch
    /// milliseconds, IPs as 32 hex digits of their 16 bytes).
    pub fn scalar_type(self, ty: EsType) -> &'static str {
        match (self, ty) {
            (_, EsType::Integer) => "INT",
            (_, EsType::Long | EsType::Date) => "BIGINT",
            (_, EsType::Double) => "DOUBLE",
            (_, EsType::Boolean) => "BOOLEAN",
            (Dialect::Spark, _) => "STRING",
            (Dialect::DuckDb, _) => "VARCHAR",
        }
    }

    /// The array type of `ty`'s values.
    pub fn array_type(self, ty: EsType) -> String {
        match self {
            Dialect::Spark => format!("ARRAY<{}>", self.scalar_type(ty)),
            Dialect::DuckDb => format!("{}[]", self.scalar_type(ty)),
        }
    }

    /// The number of elements of an array (0 for null).
    pub fn len(self, a: &str) -> String {
        match self {
            // size(NULL) is -1 outside ANSI mode (spark.sql.legacy.sizeOfNull), null in it.
            Dialect::Spark => format!("greatest(size({a}), 0)"),
            Dialect::DuckDb => format!("coalesce(len({a}), 0)"),
        }
    }

    /// Element `i` (1-based) of an array.
    pub fn at(self, a: &str, i: i64) -> String {
        match self {
            Dialect::Spark => format!("element_at({a}, {i})"),
            Dialect::DuckDb => format!("({a})[{i}]"),
        }
    }

    /// The one value of a single-valued array, else null: how ES|QL's single-value
    /// functions read a field (a multi-value gives null; the warning does not travel).
    pub fn single(self, a: &str) -> String {
        format!("CASE WHEN {} = 1 THEN {} END", self.len(a), self.at(a, 1))
    }

    /// `body` (over `v`) applied to each element.
    pub fn map(self, a: &str, v: &str, body: &str) -> String {
        match self {
            Dialect::Spark => format!("transform({a}, {v} -> {body})"),
            Dialect::DuckDb => format!("list_transform({a}, {v} -> {body})"),
        }
    }

    /// The elements for which `cond` (over `v`) holds.
    pub fn filter(self, a: &str, v: &str, cond: &str) -> String {
        match self {
            Dialect::Spark => format!("filter({a}, {v} -> {cond})"),
            Dialect::DuckDb => format!("list_filter({a}, {v} -> {cond})"),
        }
    }

    /// `body` with `v` bound to `value`, which is evaluated once.
    pub fn bind(self, value: &str, v: &str, body: &str) -> String {
        self.at(&self.map(&self.array(&[value.to_string()]), v, body), 1)
    }

    /// An array of these elements.
    pub fn array(self, items: &[String]) -> String {
        match self {
            Dialect::Spark => format!("array({})", items.join(", ")),
            Dialect::DuckDb => format!("[{}]", items.join(", ")),
        }
    }

    /// An array, null when it has no element (ES|QL has no empty multi-value).
    pub fn non_empty(self, a: &str) -> String {
        format!("CASE WHEN {} > 0 THEN {a} END", self.len(a))
    }

    /// Smallest / largest element.
    pub fn array_min_max(self, a: &str, max: bool) -> String {
        let f = match (self, max) {
            (Dialect::Spark, false) => "array_min",
            (Dialect::Spark, true) => "array_max",
            (Dialect::DuckDb, false) => "list_min",
            (Dialect::DuckDb, true) => "list_max",
        };
        format!("{f}({a})")
    }

    /// The sum of the elements, null for none.
    pub fn array_sum(self, a: &str, ty: &str) -> String {
        match self {
            Dialect::Spark => {
                format!("CASE WHEN {} > 0 THEN aggregate({a}, CAST(0 AS {ty}), (acc, v) -> acc + v) END", self.len(a))
            }
            Dialect::DuckDb => format!("CAST(list_sum({a}) AS {ty})"),
        }
    }

    /// Distinct elements of an array, in ascending order (as `values()` gives them here).
    pub fn sorted_distinct(self, a: &str) -> String {
        match self {
            Dialect::Spark => format!("array_sort(array_distinct({a}))"),
            Dialect::DuckDb => format!("list_sort(list_distinct({a}))"),
        }
    }

    /// The first `n` elements of an array once sorted.
    pub fn first_sorted(self, a: &str, desc: bool, n: i32) -> String {
        match (self, desc) {
            (Dialect::Spark, false) => format!("slice(array_sort({a}), 1, {n})"),
            (Dialect::Spark, true) => format!("slice(sort_array({a}, false), 1, {n})"),
            (Dialect::DuckDb, false) => format!("list_slice(list_sort({a}, 'ASC'), 1, {n})"),
            (Dialect::DuckDb, true) => format!("list_slice(list_sort({a}, 'DESC'), 1, {n})"),
        }
    }

    /// `len` elements of an array from element `from` (1-based); fewer past its end.
    pub fn slice(self, a: &str, from: i64, len: i64) -> String {
        match self {
            Dialect::Spark => format!("slice({a}, {from}, {len})"),
            Dialect::DuckDb => format!("list_slice({a}, {from}, {})", from + len - 1),
        }
    }

    /// Distinct elements of an array, each where it first occurs.
    pub fn distinct_in_order(self, a: &str) -> String {
        match self {
            Dialect::Spark => format!("array_distinct({a})"),
            // DuckDB's list_distinct does not keep the order.
            Dialect::DuckDb => format!("list_filter({a}, (d_v, d_i) -> list_position({a}, d_v) = d_i)"),
        }
    }

    /// Whether every element of `some` is an element of `all`.
    pub fn contains_all(self, all: &str, some: &str) -> String {
        match self {
            Dialect::Spark => format!("(size(array_except({some}, {all})) = 0)"),
            Dialect::DuckDb => format!("list_has_all({all}, {some})"),
        }
    }

    /// Distinct elements of an array.
    pub fn distinct(self, a: &str) -> String {
        match self {
            Dialect::Spark => format!("array_distinct({a})"),
            Dialect::DuckDb => format!("list_distinct({a})"),
        }
    }

    /// The aggregate gathering every element of the arrays of a group (of its rows where
    /// `cond` holds).
    pub fn gather(self, a: &str, cond: Option<&str>) -> String {
        format!("flatten({})", self.collect(a, cond))
    }

    /// The aggregate gathering the non-null values of a group (of its rows where `cond`
    /// holds) into an array.
    pub fn collect(self, x: &str, cond: Option<&str>) -> String {
        let when = cond.map(|c| format!(" AND ({c})")).unwrap_or_default();
        match self {
            Dialect::Spark => format!("collect_list({x}) FILTER (WHERE {x} IS NOT NULL{when})"),
            Dialect::DuckDb => format!("list({x}) FILTER (WHERE {x} IS NOT NULL{when})"),
        }
    }

    /// One row per element, a row with null for a null or empty array (`explode_outer`).
    /// Spark allows one generator per SELECT, so the caller gives each its own level.
    pub fn explode(self, a: &str) -> String {
        match self {
            Dialect::Spark => format!("explode_outer({a})"),
            Dialect::DuckDb => format!("unnest(CASE WHEN {} > 0 THEN {a} ELSE [NULL] END)", self.len(a)),
        }
    }

    /// Whether the whole of `s` matches the regex `re` (anchored by the caller).
    pub fn regex_match(self, s: &str, re: &str) -> String {
        match self {
            Dialect::Spark => format!("({s} RLIKE {})", self.string(re)),
            Dialect::DuckDb => format!("regexp_matches({s}, {})", self.string(re)),
        }
    }

    /// Every match of the regex `re` in `s` replaced by `with` (in this dialect's own
    /// replacement syntax).
    pub fn replace_all(self, s: &str, re: &str, with: &str) -> String {
        match self {
            Dialect::Spark => format!("regexp_replace({s}, {}, {})", self.string(re), self.string(with)),
            Dialect::DuckDb => format!("regexp_replace({s}, {}, {}, 'g')", self.string(re), self.string(with)),
        }
    }

    /// Replace the first match of `re` in `s` by `with` (`$1`-style groups, translated).
    pub fn regex_replace_first(self, s: &str, re: &str, with: &str) -> String {
        match self {
            Dialect::Spark => format!("regexp_replace({s}, {}, {})", self.string(re), self.string(with)),
            Dialect::DuckDb => {
                // The callers' replacements are constants of at most nine groups.
                let with = re2_replacement(with, 9).unwrap_or_default();
                format!("regexp_replace({s}, {}, {})", self.string(re), self.string(&with))
            }
        }
    }

    /// `x` as `ty`, null where it does not convert (Spark's CAST outside ANSI mode).
    pub fn try_cast(self, x: &str, ty: &str) -> String {
        match self {
            Dialect::Spark => format!("CAST({x} AS {ty})"),
            Dialect::DuckDb => format!("TRY_CAST({x} AS {ty})"),
        }
    }

    /// A value as text.
    pub fn to_text(self, x: &str) -> String {
        format!("CAST({x} AS {})", self.scalar_type(crate::types::EsType::Keyword))
    }

    /// Epoch milliseconds of a Parquet timestamp.
    pub fn millis_of(self, ts: &str) -> String {
        match self {
            Dialect::Spark => format!("unix_millis({ts})"),
            Dialect::DuckDb => format!("epoch_ms({ts})"),
        }
    }

    /// A UTC timestamp of epoch milliseconds.
    pub fn timestamp_of(self, ms: &str) -> String {
        match self {
            Dialect::Spark => format!("timestamp_millis({ms})"),
            Dialect::DuckDb => format!("make_timestamp(({ms}) * 1000)"),
        }
    }

    /// Floor modulo (the sign of the divisor).
    pub fn pmod(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Spark => format!("pmod({a}, {b})"),
            Dialect::DuckDb => format!("((({a}) % ({b})) + ({b})) % ({b})"),
        }
    }

    /// Integer division truncating toward zero, null for a zero divisor.
    pub fn int_div(self, a: &str, b: &str) -> String {
        let q = match self {
            Dialect::Spark => format!("(({a}) div ({b}))"),
            Dialect::DuckDb => format!("(({a}) // ({b}))"),
        };
        format!("CASE WHEN ({b}) = 0 THEN NULL ELSE {q} END")
    }

    /// Text of an integer in lower-case hex, left-padded with zeros to `width`.
    pub fn hex(self, n: &str, width: usize) -> String {
        format!("lpad(lower(hex({n})), {width}, '0')")
    }

    /// Characters of a string.
    pub fn char_length(self, s: &str) -> String {
        match self {
            Dialect::Spark => format!("char_length({s})"),
            Dialect::DuckDb => format!("length({s})"),
        }
    }

    /// `a || b || ...`, null when any part is null.
    pub fn concat(self, parts: &[String]) -> String {
        match self {
            Dialect::Spark => format!("concat({})", parts.join(", ")),
            Dialect::DuckDb => format!("({})", parts.join(" || ")),
        }
    }

    /// Part `i` (1-based) of `s` split on a literal separator.
    pub fn split_part(self, s: &str, sep: &str, i: i64) -> String {
        match self {
            Dialect::Spark => format!("split_part({s}, {}, {i})", self.string(sep)),
            Dialect::DuckDb => format!("split_part({s}, {}, {i})", self.string(sep)),
        }
    }

    /// An array's elements joined by a separator.
    pub fn join(self, a: &str, sep: &str) -> String {
        match self {
            Dialect::Spark => format!("array_join({a}, {sep})"),
            Dialect::DuckDb => format!("array_to_string({a}, {sep})"),
        }
    }

    /// `starts_with` / `ends_with`.
    pub fn starts_ends(self, s: &str, p: &str, ends: bool) -> String {
        match (self, ends) {
            (Dialect::Spark, false) => format!("startswith({s}, {p})"),
            (Dialect::Spark, true) => format!("endswith({s}, {p})"),
            (Dialect::DuckDb, false) => format!("starts_with({s}, {p})"),
            (Dialect::DuckDb, true) => format!("ends_with({s}, {p})"),
        }
    }

    /// A Parquet file as a table (with its rows' positions when `row_index`).
    pub fn parquet(self, uri: &str, row_index: bool) -> String {
        match (self, row_index) {
            (Dialect::Spark, _) => format!("parquet.{}", self.ident(uri)),
            (Dialect::DuckDb, false) => format!("read_parquet({})", self.string(uri)),
            (Dialect::DuckDb, true) => format!("read_parquet({}, file_row_number = true)", self.string(uri)),
        }
    }

    /// A row's position in its Parquet file, from 0.
    pub fn row_index(self) -> &'static str {
        match self {
            Dialect::Spark => "_metadata.row_index",
            Dialect::DuckDb => "file_row_number",
        }
    }
}

/// A Java replacement (`$1`, `\\x`) in RE2's form (`\\1`, `\\\\` for a backslash); None when it
/// names a group by name, a group past 9, or one the pattern lacks (a failure in Java).
pub(super) fn re2_replacement(w: &str, groups: usize) -> Option<String> {
    let mut out = String::new();
    let mut chars = w.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            },
            '$' => {
                let n = chars.next()?.to_digit(10)? as usize;
                if n > groups || groups > 9 {
                    return None;
                }
                out.push_str(&format!("\\{n}"));
            }
            c => out.push(c),
        }
    }
    Some(out)
}
