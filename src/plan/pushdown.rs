//! What of a query the scan can do itself, decided with the rest of the plan: the
//! conditions of the first `WHERE` (the WHERE itself or its ANDed parts) that Elasticsearch
//! would answer from its index before loading a document, of these kinds:
//! - `date_column OP bound` (either side; OP one of `<`, `<=`, `>`, `>=`) whose bound reads
//!   no column (`@timestamp > now() - 8 hours` opens most rules), evaluated when the query
//!   runs, since `now()` is only known then;
//! - `keyword_column == "text"` or `keyword_column IN ("a", "b")`;
//! - `keyword_column LIKE "..."` or `RLIKE "..."` (Elasticsearch's wildcard and regexp
//!   queries on the field's terms), when there is none of the others.
//!
//! The scan drops rows that fail one of them while decoding; the WHERE still runs on the
//! rows it keeps. A rejected row fails the whole WHERE (a failing part of an AND fails it),
//! and its other parts are not evaluated, as Elasticsearch evaluates them only over the
//! documents its index query matched. Rules open with a date range and a dataset or an
//! action: each is a test.

use super::{LogicalPlan, PlanExpr, PlanKind, Step};
use crate::functions::{ColumnKernel, Comparison};
use crate::types::{Cell, EsType, Value};

/// One condition the scan applies, on the column at `column` of the source's columns.
#[derive(Clone, Debug)]
pub struct Pushdown {
    /// The column.
    pub column: usize,
    /// What its value must be.
    pub test: PushTest,
}

/// What a pushed-down condition asks of its column's value.
#[derive(Clone, Debug)]
pub enum PushTest {
    /// A date compared with a constant expression (no column), the column on the left.
    Range {
        /// How the column compares with the bound.
        op: Comparison,
        /// The bound.
        bound: PlanExpr,
    },
    /// A keyword equal to one of these.
    Keywords(Vec<String>),
    /// A keyword matching this LIKE or RLIKE pattern.
    Matches(crate::functions::lucene::Matcher),
}

/// The pushdowns of `plan`'s first step: its date bounds and string comparisons; a LIKE or
/// RLIKE only when it has none of those. A pattern is run a second time by the WHERE on
/// the rows it keeps, so it pays only when it rejects many; an automaton over a long value
/// (a user agent) that rejects nothing made a rule 25% slower.
pub(super) fn pushdown(plan: &LogicalPlan) -> Vec<Pushdown> {
    let Some(Step::Where(cond)) = plan.stages.first().map(|s| &s.step) else { return Vec::new() };
    let mut parts = Vec::new();
    conjuncts(cond, &mut parts);
    let cheap: Vec<Pushdown> = [range, keywords].iter().flat_map(|test| parts.iter().filter_map(|c| test(c))).collect();
    if !cheap.is_empty() {
        return cheap;
    }
    parts.iter().find_map(|c| pattern(c)).into_iter().collect()
}

/// The parts of an AND chain (the expression itself when it is not one).
fn conjuncts<'e>(e: &'e PlanExpr, out: &mut Vec<&'e PlanExpr>) {
    match &e.kind {
        PlanKind::And(a, b) => {
            conjuncts(a, out);
            conjuncts(b, out);
        }
        _ => out.push(e),
    }
}

fn range(cond: &PlanExpr) -> Option<Pushdown> {
    let PlanKind::Call { func, args, .. } = &cond.kind else { return None };
    let ColumnKernel::Compare(op) = func.column? else { return None };
    if matches!(op, Comparison::Equal | Comparison::NotEqual) {
        return None;
    }
    let [l, r] = args.as_slice() else { return None };
    let (column, op, bound) = match (&l.kind, &r.kind) {
        (PlanKind::Column(c), _) if l.ty == EsType::Date && !reads_a_column(r) => (*c, op, r),
        (_, PlanKind::Column(c)) if r.ty == EsType::Date && !reads_a_column(l) => (*c, op.flipped(), l),
        _ => return None,
    };
    Some(Pushdown { column, test: PushTest::Range { op, bound: bound.clone() } })
}

fn keywords(cond: &PlanExpr) -> Option<Pushdown> {
    let (column, values) = match &cond.kind {
        PlanKind::Call { func, args, .. } if func.column == Some(ColumnKernel::Compare(Comparison::Equal)) => {
            match args.as_slice() {
                [c, v] | [v, c] if matches!(c.kind, PlanKind::Column(_)) && text(v).is_some() => (c, vec![v]),
                _ => return None,
            }
        }
        PlanKind::In(c, list) => (&**c, list.iter().collect()),
        _ => return None,
    };
    let PlanKind::Column(k) = column.kind else { return None };
    let values: Option<Vec<String>> = values.into_iter().map(text).collect();
    (column.ty == EsType::Keyword).then_some(Pushdown { column: k, test: PushTest::Keywords(values?) })
}

fn pattern(cond: &PlanExpr) -> Option<Pushdown> {
    let PlanKind::Like(column, matcher) = &cond.kind else { return None };
    let PlanKind::Column(k) = column.kind else { return None };
    (column.ty == EsType::Keyword).then(|| Pushdown { column: k, test: PushTest::Matches(matcher.clone()) })
}

/// A string constant.
fn text(e: &PlanExpr) -> Option<String> {
    match &e.kind {
        PlanKind::Literal(Cell::One(Value::Str(s))) => Some(s.to_string()),
        _ => None,
    }
}

fn reads_a_column(e: &PlanExpr) -> bool {
    matches!(e.kind, PlanKind::Column(_)) || e.children().into_iter().any(reads_a_column)
}

#[cfg(test)]
mod tests {
    use super::super::{plan, Catalog, EnrichPolicy, Source};
    use super::PushTest;
    use crate::diagnostic::Diagnostic;
    use crate::types::{ColumnDef, EsType};

    /// One index: a date, a keyword, a text and a long.
    struct Logs;

    impl Catalog for Logs {
        fn schema(&self, _: &[String], _: &[String]) -> Result<Vec<ColumnDef>, Diagnostic> {
            let cols = [("@timestamp", EsType::Date), ("k", EsType::Keyword), ("n", EsType::Long), ("t", EsType::Text)];
            Ok(cols.into_iter().map(|(n, ty)| ColumnDef::new(n, ty)).collect())
        }
        fn lookup(&self, _: &str) -> Result<(String, Vec<ColumnDef>), Diagnostic> {
            unreachable!("no LOOKUP JOIN here")
        }
        fn enrich(&self, _: &str) -> Result<EnrichPolicy, Diagnostic> {
            unreachable!("no ENRICH here")
        }
    }

    /// The kinds of test the scan is given for `query`'s first WHERE, in order.
    fn pushed(query: &str) -> Vec<&'static str> {
        let q = crate::syntax::parse(query).expect("parses");
        let Source::From { prefilter, .. } = plan(&q, query, &Logs).expect("plans").source else { return vec![] };
        let kind = |p: super::Pushdown| match p.test {
            PushTest::Range { .. } => "range",
            PushTest::Keywords(_) => "keywords",
            PushTest::Matches(_) => "pattern",
        };
        prefilter.into_iter().map(kind).collect()
    }

    #[test]
    fn date_and_string_tests_of_the_first_where_are_pushed_else_one_pattern() {
        let cases: [(&str, &[&str]); 12] = [
            ("FROM logs | WHERE k LIKE \"a*\"", &["pattern"]),
            ("FROM logs | WHERE n > 1 AND k RLIKE \"a.*\"", &["pattern"]),
            ("FROM logs | WHERE k RLIKE \"a.*\" AND k == \"b\"", &["keywords"]),
            ("FROM logs | WHERE k LIKE \"a*\" AND @timestamp > now() - 1 hour", &["range"]),
            ("FROM logs | WHERE k LIKE \"a*\" AND k RLIKE \"b.*\"", &["pattern"]),
            (
                "FROM logs | WHERE @timestamp < now() AND k IN (\"a\") AND @timestamp > now() - 1 hour",
                &["range", "range", "keywords"],
            ),
            ("FROM logs | WHERE NOT k LIKE \"a*\"", &[]),
            ("FROM logs | WHERE k LIKE \"a*\" OR n > 1", &[]),
            ("FROM logs | WHERE t LIKE \"a*\"", &[]),
            ("FROM logs | WHERE k LIKE \"*\"", &[]),
            ("FROM logs | EVAL x = k | WHERE x LIKE \"a*\"", &["pattern"]),
            ("FROM logs | WHERE TO_LOWER(k) LIKE \"a*\"", &[]),
        ];
        for (query, want) in cases {
            assert_eq!(pushed(query), want, "{query}");
        }
    }
}
