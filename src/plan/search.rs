//! Full-text search in ES|QL: `KQL(query)`, `QSTR(query)` (Lucene syntax), `MATCH(field,
//! query)`, `MATCH_PHRASE(field, phrase)`, `MULTI_MATCH(query, field, ...)` (each with an
//! options map) and `field: query`, planned into a [`PlanKind::Search`] whose
//! query reads the columns it names. A KQL field name may be a wildcard; no field means every
//! keyword and text field; a field the indices do not have matches nothing, as in ES.

use super::expr::ExprPlanner;
use super::literal::fold;
use super::search_options::Options;
use super::{error, PlanExpr, PlanKind};
use crate::diagnostic::Diagnostic;
use crate::search::qstr::Defaults;
use crate::search::{kql, Query, Test};
use crate::syntax::{Expr, ExprKind, Literal, Span};
use crate::types::EsType;

impl ExprPlanner<'_> {
    /// Plans a full-text function call (`name` is one of the table's `Kind::Search`).
    pub fn search_call(&self, name: &str, args: &[Expr], span: Span) -> Result<PlanExpr, Diagnostic> {
        let lower = name.to_ascii_lowercase();
        let call = span.text(self.src);
        let options = Options::read(&lower, args, call)?;
        let args: Vec<&Expr> = args.iter().filter(|a| !matches!(a.kind, ExprKind::Map(_))).collect();
        let query = match (lower.as_str(), args.as_slice()) {
            ("kql", [q]) => self.kql(q, &options, span)?,
            ("qstr", [q]) => {
                let (text, offset) = self.constant_text(q, span)?;
                let mut defaults = Defaults::field(options.get("default_field").unwrap_or("*"));
                defaults.and = options.and("default_operator", call)?;
                defaults.fuzziness = options.edits(call)?.unwrap_or(defaults.fuzziness);
                defaults.phrase_slop = options.count("phrase_slop", call)?.unwrap_or(0);
                crate::search::qstr::parse_with(&text, &defaults).map_err(|e| {
                    let at = (offset + e.at) as u32;
                    error(format!("QSTR: {} in [{call}]", e.message,), Span { start: at, end: at + 1 })
                })?
            }
            ("match", [field, q]) => self.field_query(field, q, span, match_test(&options, call)?)?,
            ("match_phrase", [field, q]) => self.field_query(field, q, span, phrase_test(&options, call)?)?,
            ("multi_match", [q, fields @ ..]) if !fields.is_empty() => self.multi_match(q, fields, &options, span)?,
            _ => {
                let want = match lower.as_str() {
                    "kql" | "qstr" => "1",
                    "multi_match" => "at least 2",
                    _ => "2",
                };
                return Err(error(
                    format!("error building [{lower}]: expects {want} argument(s), got [{}]", args.len()),
                    span,
                ));
            }
        };
        let query = match options.get("time_zone") {
            Some(zone) => Query::Zoned(
                crate::types::zone::Zone::parse(zone).ok_or_else(|| {
                    error(format!("Invalid time_zone [{zone}]: use Z, an offset such as +02:00 or a name such as Europe/Paris"), span)
                })?,
                Box::new(query),
            ),
            None => query,
        };
        Ok(self.resolve(query, span))
    }

    /// `KQL(query)`: `default_field` names what a value without a field searches (else
    /// every field); `case_insensitive` makes keyword values match in any case.
    fn kql(&self, q: &Expr, options: &Options, span: Span) -> Result<Query<String>, Diagnostic> {
        let (text, offset) = self.constant_text(q, span)?;
        let parsed = kql::parse(&text).map_err(|e| {
            let at = (offset + e.at) as u32;
            error(format!("KQL: {} in [{}]", e.message, span.text(self.src)), Span { start: at, end: at + 1 })
        })?;
        let parsed = match options.get("default_field") {
            Some(f) => parsed.map_fields(&mut |name: String| vec![if name == "*" { f.to_string() } else { name }]),
            None => parsed,
        };
        Ok(if options.flag("case_insensitive", span.text(self.src))? { parsed.any_case() } else { parsed })
    }

    /// `field: query`.
    pub fn match_operator(&self, field: &Expr, query: &Expr, span: Span) -> Result<PlanExpr, Diagnostic> {
        let q = self.field_query(field, query, span, |text| Test::Match { text, all: false })?;
        Ok(self.resolve(q, span))
    }

    /// `MULTI_MATCH(query, field, ...)`: any field matching as MATCH (`best_fields`,
    /// `most_fields`, which differ only in scores) or MATCH_PHRASE (`phrase`) would.
    /// `cross_fields` finds each word in any field; with `operator: or` and no minimum that
    /// is the same rows, otherwise it is refused, as are the prefix types.
    fn multi_match(
        &self,
        q: &Expr,
        fields: &[&Expr],
        options: &Options,
        span: Span,
    ) -> Result<Query<String>, Diagnostic> {
        let call = span.text(self.src);
        let kind = options.get("type").unwrap_or("best_fields").to_ascii_lowercase();
        let per_word = options.and("operator", call)? || options.get("minimum_should_match").is_some();
        let test = match kind.as_str() {
            "best_fields" | "most_fields" => match_test(options, call)?,
            "cross_fields" if !per_word => match_test(options, call)?,
            "phrase" => phrase_test(options, call)?,
            _ => {
                return Err(error(
                    format!("MULTI_MATCH of type [{kind}] is not supported in [{call}]: this engine has best_fields, most_fields, phrase, and cross_fields with operator or"),
                    span,
                ))
            }
        };
        let parts: Vec<Query<String>> =
            fields.iter().map(|f| self.field_query(f, q, span, &test)).collect::<Result<_, _>>()?;
        Ok(Query::Or(parts))
    }

    fn field_query(
        &self,
        field: &Expr,
        query: &Expr,
        span: Span,
        test: impl FnOnce(String) -> Test,
    ) -> Result<Query<String>, Diagnostic> {
        // `MATCH(field::keyword, ...)`: the cast names the same field.
        let field = match &field.kind {
            ExprKind::Cast(inner, _) if matches!(inner.kind, ExprKind::Field(_)) => &**inner,
            _ => field,
        };
        let ExprKind::Field(name) = &field.kind else {
            return Err(error(
                format!(
                    "first argument of [{}] must be a field, found [{}]",
                    span.text(self.src),
                    field.span.text(self.src)
                ),
                field.span,
            ));
        };
        // The field must exist (MATCH names one field, unlike KQL).
        self.expr(field)?;
        let (text, _) = self.constant_text(query, span)?;
        Ok(Query::Leaf(vec![name.clone()], test(text)))
    }

    /// A constant query argument as text, with the byte offset of its content in the query.
    fn constant_text(&self, e: &Expr, span: Span) -> Result<(String, usize), Diagnostic> {
        let raw = e.span.text(self.src);
        let quote = if raw.starts_with("\"\"\"") { 3 } else { usize::from(raw.starts_with('"')) };
        let text = match &e.kind {
            ExprKind::Literal(Literal::String(s)) => s.clone(),
            ExprKind::Literal(
                Literal::Integer(_) | Literal::UnsignedLong(_) | Literal::Double(_) | Literal::Boolean(_),
            ) => raw.to_string(),
            // A constant expression (`CONCAT("title:", "x")`) folds to its text.
            _ => match self.expr(e).ok().as_ref().and_then(fold) {
                Some(crate::types::Value::Str(s)) => return Ok((s.into_owned(), e.span.start as usize)),
                _ => {
                    return Err(error(
                        format!("Query must be a valid string in [{}], found [{raw}]", span.text(self.src)),
                        e.span,
                    ))
                }
            },
        };
        Ok((text, e.span.start as usize + quote))
    }

    /// The query over column slots: each name becomes the columns it stands for.
    pub(super) fn resolve(&self, query: Query<String>, span: Span) -> PlanExpr {
        let mut columns: Vec<usize> = Vec::new();
        let schema = self.schema;
        let resolved = query.map_fields(&mut |name: String| {
            let idx: Vec<usize> = (0..schema.len())
                .filter(|&i| {
                    let c = &schema[i];
                    let searchable = c.ty != EsType::Unsupported && !c.name.starts_with('\u{0}');
                    searchable
                        && if name == "*" {
                            c.ty.is_string()
                        } else if name.contains('*') {
                            crate::wildcard::glob(&name, &c.name)
                        } else {
                            c.name == name
                        }
                })
                .collect();
            idx.into_iter()
                .map(|i| match columns.iter().position(|&c| c == i) {
                    Some(slot) => slot,
                    None => {
                        columns.push(i);
                        columns.len() - 1
                    }
                })
                .collect()
        });
        let cols = columns
            .iter()
            .map(|&i| PlanExpr { kind: PlanKind::Column(i), ty: schema[i].ty, origin: self.origin(span) })
            .collect();
        PlanExpr { kind: PlanKind::Search(Box::new(resolved), cols), ty: EsType::Boolean, origin: self.origin(span) }
    }
}

/// MATCH's test of one field's values, from its options: any word (`operator: and`, every
/// word; `minimum_should_match`, at least so many), fuzzily with `fuzziness`.
fn match_test(options: &Options, call: &str) -> Result<Box<dyn Fn(String) -> Test>, Diagnostic> {
    let all = options.and("operator", call)?;
    let (edits, min) = (options.edits(call)?, options.get("minimum_should_match").map(str::to_string));
    Ok(Box::new(move |text| match (edits, &min) {
        (None, None) => Test::Match { text, all },
        // `operator: and` is every word; else at least the minimum.
        (edits, min) => Test::Words {
            text,
            min: if all { Some("100%".into()) } else { min.clone() },
            edits: edits.unwrap_or(crate::search::Edits::Max(0)),
        },
    }))
}

/// MATCH_PHRASE's test: the words in a row, or within `slop` moves.
fn phrase_test(options: &Options, call: &str) -> Result<Box<dyn Fn(String) -> Test>, Diagnostic> {
    let slop = options.count("slop", call)?.unwrap_or(0);
    Ok(Box::new(move |text| if slop > 0 { Test::Near { text, slop } } else { Test::Phrase(text) }))
}
