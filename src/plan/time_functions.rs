//! TBUCKET and TRANGE (Elasticsearch 9.3): functions of the implicit `@timestamp`, planned as
//! the expressions Elasticsearch rewrites them to, so that they type, warn, fold and push
//! down as those do (`TRANGE(1h)` is the seed rule's `@timestamp > now() - 1 hour` bound).

use super::expr::ExprPlanner;
use super::{error, PlanExpr};
use crate::diagnostic::Diagnostic;
use crate::syntax::{BinaryOp, Expr, ExprKind, Literal, Span};
use crate::types::EsType;

/// The signature and description of TBUCKET and TRANGE, which the function table does not
/// hold (they are rewritten, not evaluated): for `.help`.
pub fn help(name: &str) -> Option<(&'static str, &'static str)> {
    const HELP: &[(&str, &str, &str)] = &[
        (
            "tbucket",
            "tbucket(buckets:integer|date_period|time_duration, [from:date|keyword], [to:date|keyword])",
            "BUCKET(@timestamp, buckets[, from, to]): groups @timestamp into buckets of a span, or about n over a range.",
        ),
        (
            "trange",
            "trange(start_time_or_offset:time_duration|date_period|date|keyword|long, [end_time:date|keyword|long])",
            "True when @timestamp is in the range: after now() - offset up to now(), or after start up to end.",
        ),
    ];
    HELP.iter().find(|(n, ..)| n.eq_ignore_ascii_case(name)).map(|&(_, sig, doc)| (sig, doc))
}

impl ExprPlanner<'_> {
    /// `name(args)` planned when it is TBUCKET or TRANGE; `None` for any other function.
    pub(super) fn timestamp_call(&self, name: &str, args: &[Expr], span: Span) -> Option<Result<PlanExpr, Diagnostic>> {
        if name.eq_ignore_ascii_case("tbucket") {
            return Some(self.tbucket(args, span));
        }
        name.eq_ignore_ascii_case("trange").then(|| self.trange(args, span))
    }

    /// `TBUCKET(buckets[, from, to])` is `BUCKET(@timestamp, buckets[, from, to])`.
    fn tbucket(&self, args: &[Expr], span: Span) -> Result<PlanExpr, Diagnostic> {
        if !(args.len() == 1 || args.len() == 3) {
            let n = args.len();
            return Err(error(format!("error building [tbucket]: expects 1 or 3 arguments, got {n}"), span));
        }
        let args = std::iter::once(node(ExprKind::Field("@timestamp".into()), span)).chain(args.iter().cloned());
        self.expr(&call("bucket", args.collect(), span))
    }

    /// `TRANGE(offset)` is `@timestamp > now() - offset AND @timestamp <= now()`;
    /// `TRANGE(start, end)` is `@timestamp > start AND @timestamp <= end`, the bounds being
    /// constants of one type: date strings, epoch milliseconds, dates or date_nanos.
    fn trange(&self, args: &[Expr], span: Span) -> Result<PlanExpr, Diagnostic> {
        let (start, end) = match args {
            [offset] => {
                self.trange_offset(offset, span)?;
                let now = call("now", vec![], span);
                (binary(BinaryOp::Sub, now.clone(), offset.clone(), span), now)
            }
            [start, end] => {
                let (a, b) = (self.trange_bound(start, span)?, self.trange_bound(end, span)?);
                if a.ty != b.ty {
                    let text = span.text(self.src);
                    let m = format!(
                        "second argument of [{text}] must be [{}], found value [{}] type [{}]",
                        a.ty.message_name(),
                        end.span.text(self.src),
                        b.ty.message_name()
                    );
                    return Err(error(m, end.span));
                }
                (call("to_datetime", vec![start.clone()], span), call("to_datetime", vec![end.clone()], span))
            }
            _ => {
                let n = args.len();
                return Err(error(format!("error building [trange]: expects 1 or 2 arguments, got {n}"), span));
            }
        };
        let ts = || node(ExprKind::Field("@timestamp".into()), span);
        let after = binary(BinaryOp::Gt, ts(), start, span);
        let until = binary(BinaryOp::Lte, ts(), end, span);
        self.expr(&binary(BinaryOp::And, after, until, span))
    }

    /// The one argument: a constant, positive time_duration or date_period.
    fn trange_offset(&self, offset: &Expr, span: Span) -> Result<(), Diagnostic> {
        let text = span.text(self.src);
        let planned = self.expr(offset)?;
        if !matches!(planned.ty, EsType::TimeDuration | EsType::DatePeriod) {
            let m = format!(
                "first argument of [{text}] must be [time_duration or date_period], found value [{}] type [{}]",
                offset.span.text(self.src),
                planned.ty.message_name()
            );
            return Err(error(m, offset.span));
        }
        if matches!(&offset.kind, ExprKind::Unary(crate::syntax::UnaryOp::Neg, _)) {
            return Err(error("start_time_or_offset cannot be negative", offset.span));
        }
        Ok(())
    }

    /// A bound of the two-argument form: a constant date string (checked here, as
    /// Elasticsearch checks it while planning), long, date or date_nanos.
    fn trange_bound(&self, bound: &Expr, span: Span) -> Result<PlanExpr, Diagnostic> {
        let planned = self.expr(bound)?;
        let text = span.text(self.src);
        if !matches!(planned.ty, EsType::Keyword | EsType::Text | EsType::Long | EsType::Date | EsType::DateNanos)
            || !matches!(planned.kind, super::PlanKind::Literal(_))
        {
            let m = format!(
                "argument of [{text}] must be a constant string, long, date or date_nanos, found value [{}] type [{}]",
                bound.span.text(self.src),
                planned.ty.message_name()
            );
            return Err(error(m, bound.span));
        }
        if let ExprKind::Literal(Literal::String(s)) = &bound.kind {
            if crate::types::text_form::parse_date(s).is_none() {
                let m = format!(
                    "invalid time range for [{text}]: TRANGE parameter must be a valid datetime string, got: {s}"
                );
                return Err(error(m, bound.span));
            }
        }
        Ok(planned)
    }
}

fn node(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

fn call(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    node(ExprKind::Call { name: name.into(), args, star: false }, span)
}

fn binary(op: BinaryOp, l: Expr, r: Expr, span: Span) -> Expr {
    node(ExprKind::Binary(op, Box::new(l), Box::new(r)), span)
}
