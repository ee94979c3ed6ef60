//! The function table: every ES|QL function with its signature, return type, multi-value
//! policy, documentation and implementation. Planning, execution, REPL help and completion
//! all read this one table.

pub mod aggregate;
mod bucket;
mod compensated;
mod conditional;
mod conversion;
mod date;
pub(crate) use date::millis;
mod date_format;
mod date_parse;
pub mod date_units;
mod encoding;
pub mod glob;
pub mod grok;
pub mod ip;
mod json;
pub mod lucene;
mod math;
mod mv;
mod mv_stats;
mod network;
pub mod operators;
mod rounding;
mod sample;
pub mod search;
pub mod spatial;
mod statistics;
mod string;
mod top;
mod trig;
pub mod unify;
mod value_set;

pub use conversion::{canonical as canonical_conversion, cast_function};
pub use string::JAVA_WHITESPACE;

use crate::types::{Cell, EsType, Value};

const FATAL: &str = "org.elasticsearch.xpack.esql.EsqlClientException";

/// The largest string a function builds (Elasticsearch's `MAX_BYTES_REF_RESULT_SIZE`).
pub const MAX_RESULT_BYTES: usize = 1 << 20;

/// A runtime failure of one evaluation: the value becomes null and a warning is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The Java exception class Elasticsearch names in its warning.
    pub class: &'static str,
    /// The exception message.
    pub message: String,
}

impl EvalError {
    /// `java.lang.IllegalArgumentException: <message>`.
    pub fn illegal_argument(message: impl Into<String>) -> EvalError {
        EvalError { class: "java.lang.IllegalArgumentException", message: message.into() }
    }

    /// `java.lang.ArithmeticException: <message>`.
    pub fn arithmetic(message: impl Into<String>) -> EvalError {
        EvalError { class: "java.lang.ArithmeticException", message: message.into() }
    }

    /// A failure that fails the whole query, as Elasticsearch's client exceptions do
    /// (`concat` past its size cap), instead of a warning and a null.
    pub fn fatal(message: impl Into<String>) -> EvalError {
        EvalError { class: FATAL, message: message.into() }
    }

    /// Whether this failure ends the query.
    pub fn is_fatal(&self) -> bool {
        self.class == FATAL
    }

    /// The failure of a single-value function meeting a multi-value.
    pub fn multi_value() -> EvalError {
        EvalError::illegal_argument("single-value function encountered multi-value")
    }
}

/// What an implementation may consult besides its arguments.
pub struct Ctx<'p> {
    /// The argument types, after implicit casts.
    pub arg_types: &'p [EsType],
    /// The result type.
    pub ty: EsType,
    /// `now()` for this query, in milliseconds.
    pub now_ms: i64,
}

/// Result of a value-level implementation: `Ok(None)` is a null result.
pub type ValueResult<'a> = Result<Option<Value<'a>>, EvalError>;

/// How a function consumes its arguments.
#[derive(Clone, Copy)]
pub enum Eval {
    /// Single-valued: a null argument gives null, a multi-valued one null plus a warning.
    Single(for<'a> fn(&Ctx<'_>, &[Value<'a>]) -> ValueResult<'a>),
    /// Element-wise on the first argument (conversions): each value converted; a failing
    /// element drops out with a warning. Other arguments must be single-valued.
    Each(for<'a> fn(&Ctx<'_>, Value<'a>, &[Value<'a>]) -> ValueResult<'a>),
    /// Whole cells (MV functions, null-aware functions).
    Cells(for<'a> fn(&Ctx<'_>, Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError>),
}

/// How the result type follows from the argument types.
#[derive(Clone, Copy)]
pub enum Returns {
    /// Always this type.
    Fixed(EsType),
    /// The type of the argument at this position (null args take the other args' type).
    Arg(usize),
    /// Computed from the argument types.
    Custom(fn(&[EsType]) -> EsType),
}

/// One declared parameter.
#[derive(Clone, Copy)]
pub struct Param {
    /// Its name in docs and errors.
    pub name: &'static str,
    /// Accepted types; `Null` is always accepted.
    pub types: &'static [EsType],
    /// May be left out.
    pub optional: bool,
    /// How Elasticsearch's type error names the accepted types, where it words them its own
    /// way; otherwise they are named from `types`.
    pub expects: Option<&'static str>,
}

impl Param {
    /// The parameter, its type error naming the accepted types `phrase`.
    pub const fn expecting(self, phrase: &'static str) -> Param {
        Param { expects: Some(phrase), ..self }
    }
}

/// Whether a function is scalar or aggregate.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Evaluated per row.
    Scalar(Eval),
    /// Folds rows of a group; how its partial results merge.
    Aggregate(aggregate::Factory, Merge),
    /// `case`, evaluated lazily by the executor.
    Case,
    /// Full-text search (`kql`, `qstr`, `match`, `match_phrase`, `multi_match`): planned
    /// into a query over the fields it names (`plan/search.rs`), never called per row.
    Search,
}

/// An entry of the function table.
pub struct FunctionDef {
    /// Lower-case name.
    pub name: &'static str,
    /// Declared parameters in order.
    pub params: &'static [Param],
    /// The last parameter repeats.
    pub variadic: bool,
    /// Result type rule.
    pub returns: Returns,
    /// Scalar, aggregate or special.
    pub kind: Kind,
    /// One-line description for help and completion.
    pub doc: &'static str,
    /// A column-at-a-time form the executor may use instead of the row evaluator.
    pub column: Option<ColumnKernel>,
}

/// A column-at-a-time form of a function, for WHERE and CASE: used only when the arguments
/// are single-valued columns and constants, where it gives the row evaluator's values and
/// never warns (the executor checks the arguments; the table says what the function is).
/// For an aggregate, the flat state STATS may keep instead of its accumulators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKernel {
    /// `column <op> constant` of one type: Arrow's comparison kernels.
    Compare(Comparison),
    /// `cidr_match(ip_column, "block", ...)`: constant blocks tested on the 16 IP bytes.
    CidrMatch,
    /// The argument itself, when it already has the result type (`to_ip` of an IP).
    Identity,
    /// An aggregate whose state per group is one integer (STATS keeps it in a flat vector).
    Flat(aggregate::Flat),
    /// The accumulator of an aggregate whose argument is a field read from the index, where
    /// Elasticsearch reads doc values, encoded (ST_CENTROID_AGG of a geo_point field).
    DocValues(aggregate::DocValues),
}

/// The six comparisons, as a column kernel needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    AtMost,
    Greater,
    AtLeast,
}

impl Comparison {
    /// The comparison with its sides swapped: `a < b` is `b > a`.
    pub fn flipped(self) -> Comparison {
        match self {
            Comparison::Less => Comparison::Greater,
            Comparison::AtMost => Comparison::AtLeast,
            Comparison::Greater => Comparison::Less,
            Comparison::AtLeast => Comparison::AtMost,
            same => same,
        }
    }
}

/// How an aggregate's partial results, one per worker, combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// Merging partial states gives exactly the one-pass answer (count, min, max, values):
    /// the workers may pre-aggregate.
    Exact,
    /// Only one pass in row order gives Elasticsearch's answer (sums of doubles round by
    /// order): the rows go to one accumulator.
    OnePass,
}

impl FunctionDef {
    /// `name(a, b, [c], d...)`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let types: Vec<&str> = p.types.iter().map(|t| t.name()).collect();
                let dots = if self.variadic && k + 1 == self.params.len() { "..." } else { "" };
                let body = format!("{}{dots}:{}", p.name, types.join("|"));
                if p.optional {
                    format!("[{body}]")
                } else {
                    body
                }
            })
            .collect();
        format!("{}({})", self.name, params.join(", "))
    }

    /// True for aggregate functions.
    pub fn is_aggregate(&self) -> bool {
        matches!(self.kind, Kind::Aggregate(..))
    }
}

/// Every function family's table.
fn families() -> [&'static [FunctionDef]; 24] {
    [
        aggregate::FUNCTIONS,
        bucket::FUNCTIONS,
        conditional::FUNCTIONS,
        conversion::FUNCTIONS,
        date::FUNCTIONS,
        date_format::FUNCTIONS,
        date_parse::FUNCTIONS,
        encoding::FUNCTIONS,
        ip::FUNCTIONS,
        json::FUNCTIONS,
        math::FUNCTIONS,
        mv::FUNCTIONS,
        mv_stats::FUNCTIONS,
        network::FUNCTIONS,
        rounding::FUNCTIONS,
        sample::FUNCTIONS,
        search::FUNCTIONS,
        spatial::FUNCTIONS,
        spatial::AGGREGATES,
        statistics::FUNCTIONS,
        string::FUNCTIONS,
        trig::FUNCTIONS,
        top::FUNCTIONS,
        operators::NAMED,
    ]
}

/// Every function, for help and completion.
pub fn all() -> impl Iterator<Item = &'static FunctionDef> {
    families().into_iter().flat_map(|f| f.iter())
}

/// Functions whose result can hold several values whatever their arguments hold.
const GIVE_MANY: &[&str] = &[
    "mv_append",
    "mv_dedupe",
    "mv_sort",
    "mv_slice",
    "mv_zip",
    "mv_union",
    "mv_intersection",
    "split",
    "values",
    "top",
    "sample",
];
/// Whole-cell functions whose result holds several values when an argument does.
const PASS_MANY: &[&str] = &["coalesce", "abs"];

impl FunctionDef {
    /// Whether a call's result can hold several values, given which arguments can:
    /// single-valued functions never (a multi-valued argument gives null), conversions when
    /// their first argument can, reducers (`mv_min`, `count`, `greatest`...) never, and
    /// the functions that build multi-values ([`GIVE_MANY`]) always.
    pub fn may_give_many(&self, args: &[bool]) -> bool {
        if GIVE_MANY.contains(&self.name) {
            return true;
        }
        match self.kind {
            Kind::Scalar(Eval::Each(_)) => args.first().copied().unwrap_or(false),
            Kind::Scalar(Eval::Cells(_)) | Kind::Case => PASS_MANY.contains(&self.name) && args.iter().any(|m| *m),
            Kind::Scalar(Eval::Single(_)) | Kind::Aggregate(..) | Kind::Search => false,
        }
    }
}

/// An option a function takes in its trailing `{"name": value}` map, with the values
/// allowed; the first is the default. When a call has the map, the planner passes the chosen
/// values, in this table's order, as constant keyword arguments after the declared ones;
/// without it, none (the kernel's default).
pub struct FunctionOption {
    /// The function.
    pub function: &'static str,
    /// The option's name.
    pub name: &'static str,
    /// The values allowed, the default first.
    pub values: &'static [&'static str],
}

/// Every function option.
pub const OPTIONS: &[FunctionOption] =
    &[FunctionOption { function: "to_ip", name: "leading_zeros", values: &["reject", "octal", "decimal"] }];

/// The options of `func`, in the order their values are passed.
pub fn options_of(func: &FunctionDef) -> impl Iterator<Item = &'static FunctionOption> + '_ {
    OPTIONS.iter().filter(move |o| o.function == func.name)
}

/// Functions of Elasticsearch's reference this engine leaves out, with why: the planner
/// says so instead of "Unknown function".
pub const NOT_SUPPORTED: &[(&str, &str)] = &[
    (
        "categorize",
        "it groups text with Elasticsearch's machine-learning categorizer, whose results cannot be reproduced here",
    ),
    (
        "to_aggregate_metric_double",
        "the aggregate_metric_double type (pre-aggregated metrics of time series indices) is not supported",
    ),
    ("st_simplify", "geometry simplification is not supported yet"),
    ("chunk", "it splits text for semantic search, which this engine does not have"),
    ("score", "relevance scores are not computed"),
];

/// The function named `name` (case-insensitive).
pub fn lookup(name: &str) -> Option<&'static FunctionDef> {
    all().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Shorthands for parameter declarations.
pub(crate) mod p {
    use super::Param;
    use crate::types::EsType::{self, *};

    /// Any type.
    pub const ANY: &[EsType] = &[
        Keyword,
        Text,
        Ip,
        Date,
        DateNanos,
        Long,
        Integer,
        UnsignedLong,
        Double,
        Boolean,
        Version,
        GeoPoint,
        CartesianPoint,
        GeoShape,
        CartesianShape,
        GeoHash,
        GeoTile,
        GeoHex,
    ];
    /// keyword or text.
    pub const STR: &[EsType] = &[Keyword, Text];
    /// Numbers.
    pub const NUM: &[EsType] = &[Integer, Long, UnsignedLong, Double];
    /// Numbers the statistical aggregates take (Elasticsearch's `NumericAggregate`s refuse
    /// unsigned_long).
    pub const NUM_SIGNED: &[EsType] = &[Integer, Long, Double];
    /// SUM's and AVG's argument as Elasticsearch's type error words it.
    pub const SUMMABLE: &str =
        "aggregate_metric_double, exponential_histogram or numeric except unsigned_long or counter types";
    /// Types with an order.
    pub const ORDERED: &[EsType] =
        &[Keyword, Text, Ip, Date, DateNanos, Long, Integer, UnsignedLong, Double, Boolean, Version];

    /// A required parameter.
    pub const fn req(name: &'static str, types: &'static [EsType]) -> Param {
        Param { name, types, optional: false, expects: None }
    }

    /// An optional parameter.
    pub const fn opt(name: &'static str, types: &'static [EsType]) -> Param {
        Param { name, types, optional: true, expects: None }
    }
}

/// The cheapest numeric type holding both (for arithmetic and comparisons).
pub fn wider_numeric(a: EsType, b: EsType) -> EsType {
    use EsType::*;
    match (a, b) {
        (Double, _) | (_, Double) => Double,
        (UnsignedLong, _) | (_, UnsignedLong) => UnsignedLong,
        (Long, _) | (_, Long) => Long,
        (Null, t) | (t, Null) => t,
        _ => Integer,
    }
}
