//! Expressions of the syntax tree: literals, fields, parameters, operators, predicates,
//! casts, calls and maps.

use super::{BinaryOp, Span, UnaryOp};
use crate::syntax::Precedence as P;

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Its exact source text's position (used for auto-named columns and warnings).
    pub span: Span,
}

impl Expr {
    /// The expressions directly inside this one, in source order: the one tree walk that
    /// the planner and the linter share.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Unary(_, x) | ExprKind::Cast(x, _) | ExprKind::IsNull { expr: x, .. } => vec![x],
            ExprKind::Binary(_, l, r) => vec![l, r],
            ExprKind::In { expr, list, .. } => std::iter::once(&**expr).chain(list).collect(),
            ExprKind::Like { expr, patterns, .. } => std::iter::once(&**expr).chain(patterns).collect(),
            ExprKind::Match { field, query } => vec![field, query],
            ExprKind::Call { args, .. } => args.iter().collect(),
            _ => vec![],
        }
    }

    /// How tightly the expression binds: a printer puts it in parentheses where a tighter
    /// level is required.
    pub fn binding(&self) -> P {
        match &self.kind {
            ExprKind::Binary(op, ..) => op.precedence(),
            ExprKind::Unary(UnaryOp::Not, _) => P::Not,
            ExprKind::Unary(..) => P::Unary,
            ExprKind::In { .. } | ExprKind::Like { .. } | ExprKind::IsNull { .. } | ExprKind::Match { .. } => {
                P::Predicate
            }
            ExprKind::Cast(..) => P::Cast,
            _ => P::Primary,
        }
    }

    /// The same, to rewrite them.
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        match &mut self.kind {
            ExprKind::Unary(_, x) | ExprKind::Cast(x, _) | ExprKind::IsNull { expr: x, .. } => vec![x],
            ExprKind::Binary(_, l, r) => vec![l, r],
            ExprKind::In { expr, list, .. } => std::iter::once(&mut **expr).chain(list).collect(),
            ExprKind::Like { expr, patterns, .. } => std::iter::once(&mut **expr).chain(patterns).collect(),
            ExprKind::Match { field, query } => vec![field, query],
            ExprKind::Call { args, .. } => args.iter_mut().collect(),
            _ => vec![],
        }
    }
}

/// Every expression form.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `1`, `"x"`, `null`, `8 hours`, `[1, 2]`
    Literal(Literal),
    /// `source.ip`
    Field(String),
    /// `?`, `?name`, `?1`, `??name`
    Param(Param),
    /// `-x`, `+x`, `NOT x`
    Unary(UnaryOp, Box<Expr>),
    /// `a + b`, `a == b`, `a AND b`, ...
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `x [NOT] IN (a, b)`
    In {
        /// The tested value.
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
        /// `NOT IN`.
        negated: bool,
    },
    /// `x [NOT] LIKE|RLIKE pattern` or `x LIKE (p1, p2)`
    Like {
        /// The tested value.
        expr: Box<Expr>,
        /// The patterns (string literals or parameters).
        patterns: Vec<Expr>,
        /// `NOT LIKE`.
        negated: bool,
        /// RLIKE rather than LIKE.
        regex: bool,
        /// Written as a parenthesised list.
        list: bool,
    },
    /// `x IS [NOT] NULL`
    IsNull {
        /// The tested value.
        expr: Box<Expr>,
        /// `IS NOT NULL`.
        negated: bool,
    },
    /// `field : "query"` (full-text match)
    Match {
        /// The field (possibly cast).
        field: Box<Expr>,
        /// The query constant.
        query: Box<Expr>,
    },
    /// `x::type`
    Cast(Box<Expr>, String),
    /// `name(args)`; `count(*)` has `star`.
    Call {
        /// The function name as written.
        name: String,
        /// Positional arguments.
        args: Vec<Expr>,
        /// `count(*)`.
        star: bool,
    },
    /// `{"key": value, ...}` named-argument map (last function argument).
    Map(Vec<(String, Expr)>),
}

/// A query parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// `?`
    Anonymous,
    /// `?name`
    Named(String),
    /// `?1`
    Positional(u32),
    /// `??name` (identifier parameter)
    DoubleNamed(String),
    /// `??1`
    DoublePositional(u32),
}

/// A constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true` / `false`
    Boolean(bool),
    /// A whole number that fits in i64 (integer when it fits i32, else long).
    Integer(i64),
    /// A whole number beyond i64 that fits u64 (unsigned_long).
    UnsignedLong(u64),
    /// A decimal, exponent, or integer too large for u64.
    Double(f64),
    /// A string literal's value (escapes resolved).
    String(String),
    /// `8 hours`, `1 day`: amount and unit word as written (lower-cased).
    TimeSpan(i64, String),
    /// `[1, 2]`, `["a", "b"]`, `[true]`
    Array(Vec<Literal>),
}
