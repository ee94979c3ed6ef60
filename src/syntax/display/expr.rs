//! Expressions as text. Parentheses are not kept in the tree; they are printed wherever the
//! child binds looser than its position requires, by the one ladder of
//! [`Precedence`](crate::syntax::Precedence).

use super::names::{write_name, write_string};
use super::write_list;
use crate::syntax::ast::{Expr, ExprKind, Literal, Param};
use crate::syntax::operator::{BinaryOp, Precedence as P, UnaryOp};
use std::fmt::{self, Display, Formatter};

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Boolean(b) => write!(f, "{b}"),
            Literal::Integer(v) => write!(f, "{v}"),
            Literal::UnsignedLong(v) => write!(f, "{v}"),
            Literal::Double(d) => write!(f, "{d:?}"),
            Literal::String(s) => write_string(f, s),
            Literal::TimeSpan(v, unit) => write!(f, "{v} {unit}"),
            Literal::Array(items) => {
                f.write_str("[")?;
                write_list(f, items, ", ")?;
                f.write_str("]")
            }
        }
    }
}

impl Display for Param {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Param::Anonymous => f.write_str("?"),
            Param::Named(n) => write!(f, "?{n}"),
            Param::Positional(n) => write!(f, "?{n}"),
            Param::DoubleNamed(n) => write!(f, "??{n}"),
            Param::DoublePositional(n) => write!(f, "??{n}"),
        }
    }
}

/// `-x` or `+x`. A sign on a sign is written `- -3`, not `-(-3)`: the parentheses would
/// nest the printed query one level deeper per sign than the one it came from, and the
/// parser caps nesting, so the print of an accepted query could be refused.
fn write_sign(f: &mut Formatter<'_>, sign: char, e: &Expr) -> fmt::Result {
    if matches!(e.kind, ExprKind::Unary(UnaryOp::Neg | UnaryOp::Plus, _)) {
        write!(f, "{sign} {e}")
    } else {
        write!(f, "{sign}{}", Prec(e, P::Cast))
    }
}

/// An expression printed where at least `.1` binding is required.
pub(super) struct Prec<'a>(pub &'a Expr, pub P);

impl Display for Prec<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.0.binding() < self.1 {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Field(n) => write_name(f, n),
            ExprKind::Param(p) => write!(f, "{p}"),
            ExprKind::Unary(UnaryOp::Not, e) => write!(f, "NOT {}", Prec(e, P::Not)),
            ExprKind::Unary(UnaryOp::Neg, e) => write_sign(f, '-', e),
            ExprKind::Unary(UnaryOp::Plus, e) => write_sign(f, '+', e),
            ExprKind::Binary(op, l, r) => write_binary(f, *op, l, r),
            ExprKind::In { expr, list, negated } => {
                write!(f, "{} {}IN (", Prec(expr, P::Add), if *negated { "NOT " } else { "" })?;
                write_list(f, list, ", ")?;
                f.write_str(")")
            }
            ExprKind::Like { expr, patterns, negated, regex, list } => {
                let op = if *regex { "RLIKE" } else { "LIKE" };
                write!(f, "{} {}{op} ", Prec(expr, P::Add), if *negated { "NOT " } else { "" })?;
                if *list {
                    f.write_str("(")?;
                    write_list(f, patterns, ", ")?;
                    f.write_str(")")
                } else {
                    write_list(f, patterns, ", ")
                }
            }
            ExprKind::IsNull { expr, negated } => {
                write!(f, "{} IS {}NULL", Prec(expr, P::Add), if *negated { "NOT " } else { "" })
            }
            ExprKind::Match { field, query } => write!(f, "{}:{}", Prec(field, P::Cast), Prec(query, P::Unary)),
            ExprKind::Cast(e, ty) => write!(f, "{}::{ty}", Prec(e, P::Cast)),
            ExprKind::Call { name, args, star } => {
                write!(f, "{name}(")?;
                if *star {
                    f.write_str("*")?;
                }
                write_list(f, args, ", ")?;
                f.write_str(")")
            }
            ExprKind::Map(entries) => {
                f.write_str("{")?;
                for (k, (key, v)) in entries.iter().enumerate() {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    write_string(f, key)?;
                    write!(f, ": {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_binary(f: &mut Formatter<'_>, op: BinaryOp, l: &Expr, r: &Expr) -> fmt::Result {
    let (lp, rp) = op.operand_levels();
    write!(f, "{} {} {}", Prec(l, lp), op.symbol(), Prec(r, rp))
}
