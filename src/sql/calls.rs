//! Function calls and aggregates: the functions whose SQL gives Elasticsearch's answer,
//! each with its multi-value rule. Any other function is refused by name.

use super::dialect::re2_replacement;
use super::expr::{Lower, Sql};
use super::{Dialect, Refusal, Shape};
use crate::functions::{date_units, Eval, FunctionDef, Kind, JAVA_WHITESPACE};
use crate::plan::{AggCall, PlanExpr, PlanKind};
use crate::types::{Cell, EsType, Value};

impl Lower<'_> {
    /// A scalar call.
    pub fn call(&self, f: &FunctionDef, args: &[PlanExpr], types: &[EsType], e: &PlanExpr) -> Result<Sql, Refusal> {
        let refuse = || Refusal::at(format!("function {}", f.name), &e.origin);
        if let Kind::Scalar(Eval::Each(_)) = f.kind {
            return self.each(f, args, e).ok_or_else(refuse)?;
        }
        if let Some(v) = self.cells(f, args)? {
            return Ok(v);
        }
        // The span is read here, not lowered: a month is no fixed number of milliseconds.
        if let ("date_trunc", [span, date]) | ("bucket", [date, span]) = (f.name, args) {
            let date = self.one(date)?;
            return self.trunc(&date, span).map(Sql::one).ok_or_else(refuse);
        }
        let a: Vec<String> = args.iter().map(|x| self.one(x)).collect::<Result<_, _>>()?;
        let d = self.d;
        let int = |t: EsType| matches!(t, EsType::Integer | EsType::Long);
        let text = match (f.name, a.as_slice()) {
            ("+" | "-" | "*", [x, y]) => format!("({x} {} {y})", f.name),
            ("/", [x, y]) if types.iter().all(|&t| int(t)) => d.int_div(x, y),
            ("/", [x, y]) => format!("CASE WHEN {y} = 0 THEN NULL ELSE CAST({x} AS DOUBLE) / {y} END"),
            ("%", [x, y]) => format!("CASE WHEN {y} = 0 THEN NULL ELSE {x} % {y} END"),
            ("-", [x]) => format!("(- {x})"),
            ("==", [x, y]) => format!("({x} = {y})"),
            ("!=", [x, y]) => format!("({x} <> {y})"),
            ("<" | "<=" | ">" | ">=", [x, y]) => format!("({x} {} {y})", f.name),
            ("length", [s]) => d.char_length(s),
            ("concat", parts) => d.concat(parts),
            ("starts_with", [s, p]) => d.starts_ends(s, p, false),
            ("ends_with", [s, p]) => d.starts_ends(s, p, true),
            ("abs", [x]) => format!("abs({x})"),
            // Whole places only: with decimals, Spark rounds the double's decimal text
            // (0.285 to 0.29) where ES|QL rounds its binary value (0.28).
            ("floor" | "ceil" | "round", [x]) if int(e.ty) => x.clone(),
            ("round", [x]) => format!("CAST(round({x}) AS DOUBLE)"),
            ("floor" | "ceil", [x]) => format!("CAST({}({x}) AS DOUBLE)", f.name),
            ("cidr_match", [ip, ..]) => self.cidr(ip, &args[1..]).ok_or_else(refuse)?,
            ("contains", [s, sub]) => format!("(instr({s}, {sub}) > 0)"),
            // 1-based, in characters, 0 when absent: Spark's and DuckDB's instr alike.
            ("locate", [s, sub]) => format!("CAST(instr({s}, {sub}) AS INT)"),
            ("trim" | "ltrim" | "rtrim", [s]) => trim(d, s, f.name),
            ("space", [_]) => spaces(&args[0]).map(|n| d.string(&" ".repeat(n))).ok_or_else(refuse)?,
            ("substring", [s, start, rest @ ..]) => substring(d, s, start, rest.first().map(String::as_str)),
            ("replace", [s, _, _]) => self.replace(s, &args[1], &args[2]).ok_or_else(refuse)?,
            ("date_diff", [_, start, end]) => date_diff(&args[0], start, end).ok_or_else(refuse)?,
            _ => return Err(refuse()),
        };
        Ok(Sql::one(text))
    }

    /// Functions that read whole multi-values.
    fn cells(&self, f: &FunctionDef, args: &[PlanExpr]) -> Result<Option<Sql>, Refusal> {
        let d = self.d;
        let first = || self.expr(&args[0]);
        let v = match f.name {
            "mv_count" => {
                let a = first()?;
                let n = match a.shape {
                    Shape::Many => d.len(&a.text),
                    Shape::One => format!("CASE WHEN {} IS NULL THEN 0 ELSE 1 END", a.text),
                };
                Sql::one(format!("CAST(nullif({n}, 0) AS INT)"))
            }
            "mv_concat" => {
                let (a, sep) = (first()?, self.one(&args[1])?);
                Sql::one(match a.shape {
                    Shape::One => format!("CASE WHEN {sep} IS NULL THEN NULL ELSE {} END", a.text),
                    Shape::Many => format!("CASE WHEN {sep} IS NULL THEN NULL ELSE {} END", d.join(&a.text, &sep)),
                })
            }
            "mv_first" | "mv_last" | "mv_min" | "mv_max" => {
                let a = first()?;
                if a.shape == Shape::One {
                    return Ok(Some(a));
                }
                Sql::one(match f.name {
                    "mv_first" => d.at(&a.text, 1),
                    "mv_last" => d.at(&a.text, -1),
                    name => d.array_min_max(&a.text, name == "mv_max"),
                })
            }
            "mv_dedupe" => {
                let a = first()?;
                if a.shape == Shape::One {
                    return Ok(Some(a));
                }
                Sql { text: d.distinct_in_order(&a.text), shape: Shape::Many }
            }
            // Constant bounds from the first value (0-based, both included), null past the end.
            "mv_slice" => {
                let bound = |k: usize| match args.get(k).map(|b| &b.kind) {
                    Some(PlanKind::Literal(Cell::One(Value::Int(i)))) if *i >= 0 => Some(i64::from(*i)),
                    _ => None,
                };
                let (Some(start), Some(end)) = (bound(1), bound(2)) else { return Ok(None) };
                if start > end {
                    return Ok(None);
                }
                let cut = d.slice(&self.many(&args[0])?, start + 1, end - start + 1);
                Sql { text: d.bind(&cut, "s_a", &d.non_empty("s_a")), shape: Shape::Many }
            }
            "mv_contains" => {
                let (all, some) = (self.many(&args[0])?, self.many(&args[1])?);
                let test = d.contains_all(&all, &some);
                Sql::one(format!("CASE WHEN {some} IS NULL THEN true WHEN {all} IS NULL THEN false ELSE {test} END"))
            }
            "coalesce" => {
                let many =
                    args.iter().map(|a| self.expr(a).map(|v| v.shape == Shape::Many)).collect::<Result<Vec<_>, _>>()?;
                if many.iter().any(|&m| m) {
                    let items: Vec<String> = args.iter().map(|a| self.many(a)).collect::<Result<_, _>>()?;
                    Sql { text: format!("coalesce({})", items.join(", ")), shape: Shape::Many }
                } else {
                    let items: Vec<String> = args.iter().map(|a| self.one(a)).collect::<Result<_, _>>()?;
                    Sql::one(format!("coalesce({})", items.join(", ")))
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// `replace(s, regex, with)` with a constant pattern: Spark's regexp_replace is Java's
    /// Pattern and replaceAll, as Elasticsearch's REPLACE, so any pattern goes as written.
    /// DuckDB's is RE2's, its replacement rewritten to RE2's form, and only for the regex
    /// syntax Java and RE2 read alike.
    fn replace(&self, s: &str, pattern: &PlanExpr, with: &PlanExpr) -> Option<String> {
        let (PlanKind::Literal(Cell::One(Value::Str(p))), PlanKind::Literal(Cell::One(Value::Str(w)))) =
            (&pattern.kind, &with.kind)
        else {
            return None;
        };
        let d = self.d;
        if d == Dialect::Spark {
            return Some(d.replace_all(s, p, w));
        }
        let plain = |c: char| c.is_alphanumeric() || " .*+?|()[]{},-_:/=@#%&!'\"<>~^$".contains(c);
        // Escapes of punctuation only: `\d`, `\w`, `\b`... read differently (Unicode or ASCII).
        let mut chars = p.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.next().is_some_and(|e| e.is_ascii_punctuation()) => {}
                c if plain(c) || !c.is_ascii() => {}
                _ => return None,
            }
        }
        if p.contains("(?") {
            return None;
        }
        let groups = regex::Regex::new(p).ok()?.captures_len() - 1;
        let w = re2_replacement(w, groups)?;
        Some(d.replace_all(s, p, &w))
    }

    /// `top(field, n, "asc"|"desc")` with constants: the group's values sorted, the first
    /// n kept (a value repeats as often as it occurs).
    fn top(&self, call: &AggCall, cond: Option<&str>) -> Option<Result<(String, Shape), Refusal>> {
        let [field, limit, order] = call.args.as_slice() else { return None };
        let PlanKind::Literal(Cell::One(Value::Int(n))) = limit.kind else { return None };
        let PlanKind::Literal(Cell::One(Value::Str(order))) = &order.kind else { return None };
        let desc = match order.to_ascii_lowercase().as_str() {
            "asc" => false,
            "desc" => true,
            _ => return None,
        };
        let d = self.d;
        Some(self.expr(field).map(|a| {
            let all = if a.shape == Shape::Many { d.gather(&a.text, cond) } else { d.collect(&a.text, cond) };
            let top = d.first_sorted(&all, desc, n.max(1));
            (d.bind(&top, "g_t", &d.non_empty("g_t")), Shape::Many)
        }))
    }

    /// `cidr_match(ip, blocks...)` with constant blocks: a range test per block.
    fn cidr(&self, ip: &str, blocks: &[PlanExpr]) -> Option<String> {
        let mut tests = Vec::new();
        for b in blocks {
            let PlanKind::Literal(Cell::One(Value::Str(s))) = &b.kind else { return None };
            let (lo, hi) = super::ip::cidr_range(s).ok()?;
            tests.push(format!("ip_c BETWEEN '{lo}' AND '{hi}'"));
        }
        Some(self.d.bind(ip, "ip_c", &format!("({})", tests.join(" OR "))))
    }

    /// `date_trunc(span, date)` / `bucket(date, span)` with a constant span.
    fn trunc(&self, date: &str, span: &PlanExpr) -> Option<String> {
        let d = self.d;
        let unit = match &span.kind {
            PlanKind::Literal(Cell::One(Value::Duration(ms))) if *ms > 0 => return Some(floor(d, date, *ms)),
            PlanKind::Literal(Cell::One(Value::Period { months: 0, days })) if *days > 0 && days % 7 == 0 => {
                // Weeks start on Monday; the epoch was a Thursday.
                let week = i64::from(*days) * 86_400_000;
                let shift = 3 * 86_400_000;
                return Some(format!("({} - {shift})", floor(d, &format!("({date} + {shift})"), week)));
            }
            PlanKind::Literal(Cell::One(Value::Period { months: 0, days })) if *days > 0 => {
                return Some(floor(d, date, i64::from(*days) * 86_400_000))
            }
            PlanKind::Literal(Cell::One(Value::Period { months: 1, days: 0 })) => "month",
            PlanKind::Literal(Cell::One(Value::Period { months: 3, days: 0 })) => "quarter",
            PlanKind::Literal(Cell::One(Value::Period { months: 12, days: 0 })) => "year",
            _ => return None,
        };
        Some(d.millis_of(&format!("date_trunc('{unit}', {})", d.timestamp_of(date))))
    }

    /// An aggregate call and the shape of its result.
    pub fn aggregate(&self, call: &AggCall) -> Result<(String, Shape), Refusal> {
        let d = self.d;
        let refuse = || Refusal::at(format!("aggregate {}", call.func.name), &call.origin);
        let cond = call.filter.as_ref().map(|f| self.one(f)).transpose()?;
        let filter = cond.as_ref().map(|c| format!(" FILTER (WHERE {c})")).unwrap_or_default();
        let cond = cond.as_deref();
        let Some(arg) = call.args.first() else {
            return match call.func.name {
                "count" => Ok((format!("count(*){filter}"), Shape::One)),
                _ => Err(refuse()),
            };
        };
        if call.func.name == "top" {
            return self.top(call, cond).ok_or_else(refuse)?;
        }
        if !matches!(call.func.name, "count" | "count_distinct") && call.args.len() > 1 {
            return Err(refuse());
        }
        let a = self.expr(arg)?;
        let many = a.shape == Shape::Many;
        let ty = d.scalar_type(call.ty);
        let x = &a.text;
        let text = match (call.func.name, many) {
            ("count", false) => format!("count({x}){filter}"),
            ("count", true) => format!("CAST(coalesce(sum({}){filter}, 0) AS BIGINT)", d.len(x)),
            ("count_distinct", false) => format!("count(DISTINCT {x}){filter}"),
            ("count_distinct", true) => d.len(&d.distinct(&d.gather(x, cond))),
            ("values", _) => {
                let all = if many { d.gather(x, cond) } else { d.collect(x, cond) };
                return Ok((d.bind(&all, "g_a", &d.non_empty(&d.sorted_distinct("g_a"))), Shape::Many));
            }
            ("min" | "max", false) => format!("{}({x}){filter}", call.func.name),
            ("min" | "max", true) => {
                format!("{}({}){filter}", call.func.name, d.array_min_max(x, call.func.name == "max"))
            }
            ("sum", false) if call.ty != EsType::Double => format!("CAST(sum({x}){filter} AS {ty})"),
            ("sum", true) if call.ty != EsType::Double => format!("CAST(sum({}){filter} AS {ty})", d.array_sum(x, ty)),
            ("sum", false) => format!("sum({x}){filter}"),
            ("sum", true) => format!("sum({}){filter}", d.array_sum(x, ty)),
            ("avg", false) => format!("avg(CAST({x} AS DOUBLE)){filter}"),
            ("avg", true) => format!(
                "CAST(sum({}){filter} AS DOUBLE) / nullif(sum({}){filter}, 0)",
                d.array_sum(x, "DOUBLE"),
                d.len(x)
            ),
            _ => return Err(refuse()),
        };
        Ok((text, Shape::One))
    }
}

/// TRIM, LTRIM or RTRIM: Java's white space (`JAVA_WHITESPACE`) removed at either end.
fn trim(d: Dialect, s: &str, which: &str) -> String {
    let ranges: String =
        JAVA_WHITESPACE.iter().map(|&(lo, hi)| format!(r"\x{{{:x}}}-\x{{{:x}}}", lo as u32, hi as u32)).collect();
    let (head, tail) = (format!("^[{ranges}]+"), format!("[{ranges}]+\\z"));
    let re = match which {
        "ltrim" => head,
        "rtrim" => tail,
        _ => format!("{head}|{tail}"),
    };
    d.replace_all(s, &re, "")
}

/// The count of a constant `space(n)` the translation spells out (a few lines at most).
fn spaces(n: &PlanExpr) -> Option<usize> {
    match &n.kind {
        PlanKind::Literal(Cell::One(Value::Int(n))) if (0..=1000).contains(n) => Some(*n as usize),
        _ => None,
    }
}

/// `ms` rounded down to a multiple of `span` milliseconds.
fn floor(d: Dialect, ms: &str, span: i64) -> String {
    format!("({ms} - {})", d.pmod(ms, &span.to_string()))
}

/// `substring(s, start, len)` with Elasticsearch's bounds (1-based; a negative start counts
/// from the end; past either end clamps), as positive arguments both engines read alike.
fn substring(d: Dialect, s: &str, start: &str, len: Option<&str>) -> String {
    let n = d.char_length(s);
    let from =
        format!("least(CASE WHEN {start} < 0 THEN greatest({n} + {start}, 0) ELSE greatest({start} - 1, 0) END, {n})");
    let to = match len {
        Some(l) => format!("least({from} + {l}, {n})"),
        None => n.clone(),
    };
    let cut = format!("substring({s}, {from} + 1, {to} - {from})");
    // least/greatest skip nulls, so a null argument is tested first; a negative length is
    // an error (null and a warning).
    match len {
        Some(l) => format!("CASE WHEN {start} IS NULL OR {l} IS NULL OR {l} < 0 THEN NULL ELSE {cut} END"),
        None => format!("CASE WHEN {start} IS NULL THEN NULL ELSE {cut} END"),
    }
}

/// `date_diff(unit, start, end)` in a unit of fixed length, truncated toward zero, null
/// past the integer range (as Elasticsearch's overflow).
fn date_diff(unit: &PlanExpr, start: &str, end: &str) -> Option<String> {
    let PlanKind::Literal(Cell::One(Value::Str(u))) = &unit.kind else { return None };
    // Units of whole milliseconds only: calendar units and finer ones have no translation.
    let ms = match date_units::resolve(u)? {
        date_units::Unit::Nanos(per) if per % 1_000_000 == 0 => per / 1_000_000,
        _ => return None,
    };
    // Truncating division of the difference: the sign of the quotient, the size of |a| / b.
    let diff = format!("(({end}) - ({start}))");
    let q = format!("(CASE WHEN {diff} < 0 THEN -1 ELSE 1 END * floor(abs({diff}) / {ms}))");
    Some(format!("CAST(CASE WHEN abs({q}) <= 2147483647 THEN {q} END AS INT)"))
}
