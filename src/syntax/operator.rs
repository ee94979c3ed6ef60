//! Operators and how tightly they bind: one ladder, read by the parser (which level parses
//! which operators) and by the printer (where a child needs parentheses).

/// Binding strength of an expression, weakest first: `a OR b AND c` is `a OR (b AND c)`.
/// Comparisons do not chain (`a < b < c` is an error), and IN, LIKE, RLIKE and IS NULL
/// (`Predicate`) take arithmetic on their left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precedence {
    /// `OR`
    Or,
    /// `AND`
    And,
    /// `NOT x`
    Not,
    /// `x IN (...)`, `x LIKE p`, `x RLIKE p`, `x IS NULL`, `field:query`
    Predicate,
    /// `== != < <= > >=`
    Comparison,
    /// `+ -`
    Add,
    /// `* / %`
    Mul,
    /// `-x`, `+x`
    Unary,
    /// `x::type`
    Cast,
    /// Literals, fields, calls, parenthesised expressions.
    Primary,
}

impl Precedence {
    /// The next tighter level (`Primary` stays).
    pub fn tighter(self) -> Precedence {
        use Precedence::*;
        match self {
            Or => And,
            And => Not,
            Not => Predicate,
            Predicate => Comparison,
            Comparison => Add,
            Add => Mul,
            Mul => Unary,
            Unary => Cast,
            Cast | Primary => Primary,
        }
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
    /// `NOT x`
    Not,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `==`
    Eq,
    /// `!=`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `AND`
    And,
    /// `OR`
    Or,
}

impl BinaryOp {
    /// The operator as ES|QL spells it.
    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            Eq => "==",
            Neq => "!=",
            Lt => "<",
            Lte => "<=",
            Gt => ">",
            Gte => ">=",
            And => "AND",
            Or => "OR",
        }
    }

    /// Every operator, in no particular order.
    pub const ALL: [BinaryOp; 13] = {
        use BinaryOp::*;
        [Add, Sub, Mul, Div, Mod, Eq, Neq, Lt, Lte, Gt, Gte, And, Or]
    };

    /// How tightly the operator binds: the parser's ladder and the printer's parentheses.
    pub fn precedence(self) -> Precedence {
        use BinaryOp::*;
        match self {
            Or => Precedence::Or,
            And => Precedence::And,
            Add | Sub => Precedence::Add,
            Mul | Div | Mod => Precedence::Mul,
            Eq | Neq | Lt | Lte | Gt | Gte => Precedence::Comparison,
        }
    }

    /// The binding its left and right operands need to stand without parentheses.
    /// Comparisons do not chain, so both sides need arithmetic; others group to the left.
    pub fn operand_levels(self) -> (Precedence, Precedence) {
        let p = self.precedence();
        if p == Precedence::Comparison {
            (Precedence::Add, Precedence::Add)
        } else {
            (p, p.tighter())
        }
    }

    /// The operators of one level of the ladder (computed once from [`Self::precedence`]:
    /// the parser asks at every operand).
    pub fn at(level: Precedence) -> &'static [BinaryOp] {
        static LEVELS: std::sync::OnceLock<Vec<Vec<BinaryOp>>> = std::sync::OnceLock::new();
        let levels = LEVELS.get_or_init(|| {
            let mut levels = vec![Vec::new(); Precedence::Primary as usize + 1];
            for op in Self::ALL {
                levels[op.precedence() as usize].push(op);
            }
            levels
        });
        levels.get(level as usize).map_or(&[], Vec::as_slice)
    }

    /// True for `== != < <= > >=`.
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Eq | Neq | Lt | Lte | Gt | Gte)
    }
}
