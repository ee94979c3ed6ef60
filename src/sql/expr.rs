//! Expressions: columns, literals, operators, CASE, IN, LIKE/RLIKE, null tests, and the
//! single-value rule where a multi-value meets a function that takes one value.

use super::{Col, Dialect, Refusal, Shape};
use crate::functions::lucene::Matcher;
use crate::plan::{Origin, PlanExpr, PlanKind};
use crate::types::{Cell, EsType, Value};

/// Lowering over the columns of one SELECT level.
pub(super) struct Lower<'a> {
    pub d: Dialect,
    pub cols: &'a [Col],
}

/// A lowered expression.
pub(super) struct Sql {
    pub text: String,
    pub shape: Shape,
}

impl Sql {
    pub fn one(text: String) -> Sql {
        Sql { text, shape: Shape::One }
    }
}

/// Types whose values the translation holds.
fn held(ty: EsType) -> bool {
    use EsType::*;
    matches!(ty, Keyword | Text | Ip | Date | Long | Integer | Double | Boolean | Null | TimeDuration | DatePeriod)
}

impl Lower<'_> {
    /// `e`, multi-valued or not.
    pub fn expr(&self, e: &PlanExpr) -> Result<Sql, Refusal> {
        if !held(e.ty) {
            return Err(Refusal::at(format!("a value of type {}", e.ty.name()), &e.origin));
        }
        match &e.kind {
            PlanKind::Column(i) => match self.cols.get(*i) {
                Some(c) => Ok(Sql { text: format!("c{i}"), shape: c.shape }),
                None => Err(Refusal::at(format!("column #{i} of a step the translation misread"), &e.origin)),
            },
            PlanKind::Literal(cell) => self.literal(cell, e.ty, &e.origin),
            PlanKind::Call { func, args, arg_types } => self.call(func, args, arg_types, e),
            PlanKind::Case(args) => self.case(args),
            PlanKind::And(a, b) => Ok(Sql::one(format!("({} AND {})", self.one(a)?, self.one(b)?))),
            PlanKind::Or(a, b) => Ok(Sql::one(format!("({} OR {})", self.one(a)?, self.one(b)?))),
            PlanKind::Not(x) => Ok(Sql::one(format!("(NOT {})", self.one(x)?))),
            PlanKind::IsNull(x, not) => {
                let v = self.expr(x)?;
                let test = match v.shape {
                    Shape::One => format!("({} IS NULL)", v.text),
                    Shape::Many => format!("({} = 0)", self.d.len(&v.text)),
                };
                Ok(Sql::one(if *not { format!("(NOT {test})") } else { test }))
            }
            PlanKind::In(x, list) => {
                let items: Result<Vec<String>, Refusal> = list.iter().map(|i| self.one(i)).collect();
                Ok(Sql::one(format!("({} IN ({}))", self.one(x)?, items?.join(", "))))
            }
            PlanKind::Like(x, m) => Ok(Sql::one(self.matcher(&self.one(x)?, m))),
            PlanKind::Search(..) => Err(Refusal::at("full-text search (KQL, QSTR, MATCH)", &e.origin)),
        }
    }

    /// `e` read as one value: a multi-value reads null.
    pub fn one(&self, e: &PlanExpr) -> Result<String, Refusal> {
        let v = self.expr(e)?;
        Ok(match v.shape {
            Shape::One => v.text,
            Shape::Many => self.d.single(&v.text),
        })
    }

    /// `e` as an array (null for no value).
    pub fn many(&self, e: &PlanExpr) -> Result<String, Refusal> {
        let v = self.expr(e)?;
        Ok(match v.shape {
            Shape::Many => self.d.non_empty(&v.text),
            Shape::One => {
                format!(
                    "CASE WHEN {t} IS NULL THEN NULL ELSE {} END",
                    self.d.array(std::slice::from_ref(&v.text)),
                    t = v.text
                )
            }
        })
    }

    /// A constant.
    pub fn literal(&self, cell: &Cell<'static>, ty: EsType, origin: &Origin) -> Result<Sql, Refusal> {
        match cell {
            // An untyped null takes the type of what it meets (a CASE's arrays, say).
            Cell::Null if ty == EsType::Null => Ok(Sql::one("NULL".into())),
            Cell::Null => Ok(Sql::one(format!("CAST(NULL AS {})", self.d.scalar_type(ty)))),
            Cell::One(v) => Ok(Sql::one(self.value(v, origin)?)),
            Cell::Many(vs) => {
                let items: Result<Vec<String>, Refusal> = vs.iter().map(|v| self.value(v, origin)).collect();
                Ok(Sql { text: self.d.array(&items?), shape: Shape::Many })
            }
        }
    }

    fn value(&self, v: &Value<'_>, origin: &Origin) -> Result<String, Refusal> {
        Ok(match v {
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Int(n) => format!("CAST({n} AS INT)"),
            Value::Long(n) | Value::Date(n) | Value::Duration(n) => format!("CAST({n} AS BIGINT)"),
            Value::Double(x) => format!("CAST({x:?} AS DOUBLE)"),
            Value::Str(s) => self.d.string(s),
            Value::Ip(b) => self.d.string(&super::ip::key(b)),
            // Whole days are fixed spans in UTC; months are not.
            Value::Period { months: 0, days } => format!("CAST({} AS BIGINT)", i64::from(*days) * 86_400_000),
            Value::Period { .. } => return Err(Refusal::at("a calendar period of months or years", origin)),
            Value::ULong(_) | Value::DateNanos(_) => {
                return Err(Refusal::at("an unsigned_long or date_nanos value", origin))
            }
        })
    }

    fn case(&self, args: &[PlanExpr]) -> Result<Sql, Refusal> {
        let values: Vec<&PlanExpr> =
            args.iter().enumerate().filter(|(i, _)| i % 2 == 1 || i + 1 == args.len()).map(|(_, a)| a).collect();
        let mut many = false;
        for v in &values {
            many |= self.expr(v)?.shape == Shape::Many;
        }
        let value = |e: &PlanExpr| if many { self.many(e) } else { self.one(e) };
        let mut out = String::from("CASE");
        let mut i = 0;
        while i + 1 < args.len() {
            out.push_str(&format!(" WHEN {} THEN {}", self.one(&args[i])?, value(&args[i + 1])?));
            i += 2;
        }
        if i < args.len() {
            out.push_str(&format!(" ELSE {}", value(&args[i])?));
        }
        out.push_str(" END");
        Ok(Sql { text: out, shape: if many { Shape::Many } else { Shape::One } })
    }

    /// A LIKE/RLIKE matcher over a string: its anchored regexes are valid in Java's syntax
    /// (Spark) and RE2's (DuckDB) as written.
    fn matcher(&self, s: &str, m: &Matcher) -> String {
        match m {
            Matcher::Regex(r) | Matcher::Glob(_, r) => self.d.regex_match(s, r.as_str()),
            Matcher::Not(x) => format!("(NOT {})", self.matcher(s, x)),
            Matcher::All(xs) => {
                format!("({})", xs.iter().map(|x| self.matcher(s, x)).collect::<Vec<_>>().join(" AND "))
            }
            Matcher::Any(xs) => format!("({})", xs.iter().map(|x| self.matcher(s, x)).collect::<Vec<_>>().join(" OR ")),
        }
    }
}
