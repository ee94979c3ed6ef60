//! Expressions as layout documents: a chain of one operator breaks before each operator,
//! parentheses and argument lists break inside, one item per line (constants filled).

use super::doc::Doc;
use super::{Printer, INDENT};
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::{BinaryOp, Precedence as P, UnaryOp};

impl Printer<'_> {
    /// `e` where at least `need` binding is required (else in parentheses).
    pub(super) fn expr(&mut self, e: &Expr, need: P) -> Doc {
        let lead = self.lead(e.span.start as usize, false);
        if e.binding() >= need {
            return Self::after(lead, self.bare(e));
        }
        let inner = self.bare(e);
        Self::after(
            lead,
            Doc::group(Doc::Concat(vec![
                Doc::text("("),
                Doc::nest(INDENT, Doc::Concat(vec![Doc::SoftLine, inner])),
                Doc::SoftLine,
                Doc::text(")"),
            ])),
        )
    }

    fn bare(&mut self, e: &Expr) -> Doc {
        match &e.kind {
            ExprKind::Literal(_) | ExprKind::Field(_) | ExprKind::Param(_) => self.verbatim(e.span, e),
            ExprKind::Binary(op, ..) => self.chain(*op, e),
            ExprKind::Unary(UnaryOp::Not, x) => Doc::Concat(vec![self.kw("NOT"), Doc::text(" "), self.expr(x, P::Not)]),
            ExprKind::Unary(op, x) => {
                let sign = if *op == UnaryOp::Neg { "-" } else { "+" };
                // A sign on a sign keeps a space (`- -3`), as the plain printer writes it.
                if matches!(x.kind, ExprKind::Unary(UnaryOp::Neg | UnaryOp::Plus, _)) {
                    Doc::Concat(vec![Doc::text(format!("{sign} ")), self.bare(x)])
                } else {
                    Doc::Concat(vec![Doc::text(sign), self.expr(x, P::Cast)])
                }
            }
            ExprKind::In { expr, list, negated } => {
                let mut docs = Vec::new();
                if *negated {
                    docs.extend([self.kw("NOT"), Doc::text(" ")]);
                }
                docs.extend([self.kw("IN"), Doc::text(" "), self.parenthesised("(", list, ")")]);
                self.predicate(expr, docs)
            }
            ExprKind::Like { expr, patterns, negated, regex, list } => {
                let mut docs = Vec::new();
                if *negated {
                    docs.extend([self.kw("NOT"), Doc::text(" ")]);
                }
                docs.extend([self.kw(if *regex { "RLIKE" } else { "LIKE" }), Doc::text(" ")]);
                docs.push(if *list { self.parenthesised("(", patterns, ")") } else { self.args(patterns) });
                self.predicate(expr, docs)
            }
            ExprKind::IsNull { expr, negated } => {
                let mut docs = vec![self.kw("IS"), Doc::text(" ")];
                if *negated {
                    docs.extend([self.kw("NOT"), Doc::text(" ")]);
                }
                docs.push(self.kw("NULL"));
                self.predicate(expr, docs)
            }
            ExprKind::Match { field, query } => {
                Doc::Concat(vec![self.expr(field, P::Cast), Doc::text(":"), self.expr(query, P::Unary)])
            }
            ExprKind::Cast(x, ty) => Doc::Concat(vec![self.expr(x, P::Cast), Doc::text(format!("::{ty}"))]),
            ExprKind::Call { name, args, star } => {
                if *star {
                    return Doc::text(format!("{name}(*)"));
                }
                self.parenthesised(&format!("{name}("), args, ")")
            }
            ExprKind::Map(entries) => self.map(entries),
        }
    }

    /// `subject IN (...)`, `subject LIKE p`, `subject IS NULL`: the operator goes to the next
    /// line when it cannot start on the subject's.
    fn predicate(&mut self, subject: &Expr, rest: Vec<Doc>) -> Doc {
        let subject = self.expr(subject, P::Add);
        Doc::Concat(vec![subject, Doc::hang(" ", Doc::Concat(rest), INDENT)])
    }

    /// `a OP b OP c` for one operator level, broken before each operator.
    fn chain(&mut self, op: BinaryOp, e: &Expr) -> Doc {
        let mut rest = Vec::new();
        let mut first = e;
        let (lp, rp) = op.operand_levels();
        let chains = op.precedence() != P::Comparison;
        // Left-nested operators of the same level make one chain (comparisons do not chain).
        while let ExprKind::Binary(o, l, r) = &first.kind {
            if o.precedence() != op.precedence() || !(chains || rest.is_empty()) {
                break;
            }
            rest.push((*o, &**r));
            first = l;
        }
        rest.reverse();
        // An AND among ORs gets the parentheses a reader would want (the tree has none).
        let (lp, rp) = if op == BinaryOp::Or { (P::Not, P::Not) } else { (lp, rp) };
        let head = self.expr(first, lp);
        let mut docs = Vec::new();
        let mut left_end = first.span.end as usize;
        for (o, r) in rest {
            // Comments before the operator stay before it; those after it, after it.
            let at = self.operator_at(left_end, r.span.start as usize);
            left_end = r.span.end as usize;
            docs.extend(self.lead(at, false));
            let word = if o.symbol().chars().all(|c| c.is_ascii_alphabetic()) {
                self.kw(o.symbol())
            } else {
                Doc::text(o.symbol())
            };
            docs.extend([Doc::Line, word, Doc::text(" "), self.expr(r, rp)]);
        }
        // AND and OR continue at their context's indent (a WHERE's, a parenthesis'); the
        // operators inside one of their conditions stand further in.
        let boolean = matches!(op, BinaryOp::And | BinaryOp::Or);
        let rest = if boolean { Doc::Concat(docs) } else { Doc::nest(INDENT, Doc::Concat(docs)) };
        Doc::group(Doc::Concat(vec![head, rest]))
    }

    /// Where the operator between two operands is written: the first byte between them that
    /// is not space, a parenthesis or part of a comment.
    fn operator_at(&self, from: usize, to: usize) -> usize {
        let mut k = from;
        let bytes = self.src.as_bytes();
        while k < to {
            if let Ok(n) = self.comments.binary_search_by_key(&k, |&(s, _)| s) {
                k = self.comments[n].1;
            } else if bytes[k].is_ascii_whitespace() || matches!(bytes[k], b'(' | b')') {
                k += 1;
            } else {
                return k;
            }
        }
        to
    }

    /// `open a, b, c close`, or the items one per line (filled when all are constants).
    pub(super) fn parenthesised(&mut self, open: &str, items: &[Expr], close: &str) -> Doc {
        if items.is_empty() {
            return Doc::text(format!("{open}{close}"));
        }
        let body = self.args(items);
        Doc::group(Doc::Concat(vec![
            Doc::text(open),
            Doc::nest(INDENT, Doc::Concat(vec![Doc::SoftLine, body])),
            Doc::SoftLine,
            Doc::text(close),
        ]))
    }

    /// `a, b, c`: one per line when broken; a run of three or more constants at the end
    /// (with no comment among them) is filled, as many to a line as fit.
    pub(super) fn args(&mut self, items: &[Expr]) -> Doc {
        let mut parts = Vec::new();
        for (k, a) in items.iter().enumerate() {
            let lead = self.lead(a.span.start as usize, false);
            let mut doc = self.expr(a, P::Or);
            // A condition broken inside an argument list stands further in than its siblings.
            if Self::hangs(a) {
                doc = Doc::nest(INDENT, doc);
            }
            if k + 1 < items.len() {
                doc = Doc::Concat(vec![doc, Doc::text(",")]);
            }
            parts.push((lead, doc));
        }
        let constants = items.iter().rev().take_while(|a| matches!(a.kind, ExprKind::Literal(_))).count();
        let head = items.len() - constants;
        let fill = constants >= 3 && parts[head..].iter().all(|(lead, _)| lead.is_empty());
        let mut docs = Vec::new();
        let mut tail = Vec::new();
        for (k, (lead, doc)) in parts.into_iter().enumerate() {
            if fill && k >= head {
                tail.push(doc);
                continue;
            }
            docs.extend(lead);
            if k > 0 {
                docs.push(Doc::Line);
            }
            docs.push(doc);
        }
        if !tail.is_empty() {
            if head > 0 {
                docs.push(Doc::Line);
            }
            docs.push(Doc::Fill(tail));
        }
        Doc::Concat(docs)
    }

    /// Whether `e`'s own breaks want a hanging indent after `name = ` or a command word:
    /// a call, map or parenthesised list brings its own.
    pub(super) fn hangs(e: &Expr) -> bool {
        !matches!(
            e.kind,
            ExprKind::Call { .. } | ExprKind::Map(_) | ExprKind::Literal(_) | ExprKind::Field(_) | ExprKind::Param(_)
        )
    }

    fn map(&mut self, entries: &[(String, Expr)]) -> Doc {
        let mut docs = Vec::new();
        for (k, (key, value)) in entries.iter().enumerate() {
            if k > 0 {
                docs.extend([Doc::text(","), Doc::Line]);
            }
            docs.extend([Doc::text(crate::syntax::quote_string(key)), Doc::text(": "), self.expr(value, P::Or)]);
        }
        Doc::group(Doc::Concat(vec![
            Doc::text("{"),
            Doc::nest(INDENT, Doc::Concat(vec![Doc::SoftLine, Doc::Concat(docs)])),
            Doc::SoftLine,
            Doc::text("}"),
        ]))
    }
}
