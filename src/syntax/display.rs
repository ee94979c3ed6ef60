//! `Display` for the syntax tree. Contract: the printed text parses back to an equal tree.
//! `{:#}` on a [`Query`] puts one command per line, the shape rule files use.
//!
//! Parentheses are not kept in the tree; they are printed wherever the child binds looser
//! than its position requires (see [`level`]).

use super::ast::*;
use super::operator::{BinaryOp, Precedence as P, UnaryOp};
use super::pattern::is_pattern_char;
use super::source::is_source_char;
use std::fmt::{self, Display, Formatter, Write};

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let sep = if f.alternate() { "\n" } else { " " };
        for s in &self.settings {
            write!(f, "SET ")?;
            write_name(f, &s.name.name)?;
            write!(f, " = {};{sep}", s.value)?;
        }
        let pipe = if f.alternate() { "\n| " } else { " | " };
        write_list(f, &self.commands, pipe)
    }
}

fn write_list<T: Display>(f: &mut Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        use CommandKind::*;
        match &self.kind {
            From(s) => write!(f, "FROM {s}"),
            Ts(s) => write!(f, "TS {s}"),
            Row(fields) => write_cmd(f, "ROW", fields),
            Show(n) => write!(f, "SHOW {}", n.name.to_ascii_uppercase()),
            Where(e) => write!(f, "WHERE {e}"),
            Eval(fields) => write_cmd(f, "EVAL", fields),
            Keep(p) => write_cmd(f, "KEEP", p),
            Drop(p) => write_cmd(f, "DROP", p),
            Rename(r) => write_cmd(f, "RENAME", r),
            Sort(s) => write_cmd(f, "SORT", s),
            Limit(e) => write!(f, "LIMIT {e}"),
            Stats(s) => write!(f, "STATS{s}"),
            InlineStats(s) => write!(f, "INLINE STATS{s}"),
            Dissect(d) => write_dissect(f, d),
            Grok(g) => {
                write!(f, "GROK {} ", Prec(&g.input, P::Primary))?;
                write_list(f, &g.patterns, ", ")
            }
            MvExpand(n) => {
                f.write_str("MV_EXPAND ")?;
                write_name(f, &n.name)
            }
            Enrich(e) => write_enrich(f, e),
            Join(j) => {
                write!(f, "{} JOIN {} ON ", j.kind, j.index)?;
                write_list(f, &j.on, ", ")
            }
            Completion(c) => write_completion(f, c),
            Fork(branches) => write_fork(f, branches),
            ChangePoint(c) => write_change_point(f, c),
            Sample(e) => write!(f, "SAMPLE {e}"),
        }
    }
}

fn write_cmd<T: Display>(f: &mut Formatter<'_>, word: &str, items: &[T]) -> fmt::Result {
    write!(f, "{word} ")?;
    write_list(f, items, ", ")
}

fn write_dissect(f: &mut Formatter<'_>, d: &Dissect) -> fmt::Result {
    write!(f, "DISSECT {} {}", Prec(&d.input, P::Primary), d.pattern)?;
    for (k, (name, value)) in d.options.iter().enumerate() {
        f.write_str(if k == 0 { " " } else { ", " })?;
        write_name(f, &name.name)?;
        write!(f, " = {value}")?;
    }
    Ok(())
}

fn write_enrich(f: &mut Formatter<'_>, e: &Enrich) -> fmt::Result {
    f.write_str("ENRICH ")?;
    let loose = !e.policy.is_empty()
        && !e.policy.contains(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '"' | '(' | ')' | '/' | '`'));
    if loose {
        f.write_str(&e.policy)?;
    } else {
        write_string(f, &e.policy)?;
    }
    if let Some(on) = &e.on {
        write!(f, " ON {on}")?;
    }
    for (k, w) in e.with.iter().enumerate() {
        f.write_str(if k == 0 { " WITH " } else { ", " })?;
        if let Some(n) = &w.new_name {
            write!(f, "{n} = ")?;
        }
        write!(f, "{}", w.field)?;
    }
    Ok(())
}

fn write_completion(f: &mut Formatter<'_>, c: &Completion) -> fmt::Result {
    f.write_str("COMPLETION ")?;
    if let Some(t) = &c.target {
        write_name(f, &t.name)?;
        f.write_str(" = ")?;
    }
    write!(f, "{}", Prec(&c.prompt, P::Primary))?;
    if let Some(w) = &c.with {
        write!(f, " WITH {}", Prec(w, P::Unary))?;
    }
    Ok(())
}

fn write_fork(f: &mut Formatter<'_>, branches: &[Vec<Command>]) -> fmt::Result {
    f.write_str("FORK")?;
    for b in branches {
        f.write_str(" (")?;
        write_list(f, b, " | ")?;
        f.write_str(")")?;
    }
    Ok(())
}

fn write_change_point(f: &mut Formatter<'_>, c: &ChangePoint) -> fmt::Result {
    f.write_str("CHANGE_POINT ")?;
    write_name(f, &c.value.name)?;
    if let Some(k) = &c.key {
        f.write_str(" ON ")?;
        write_name(f, &k.name)?;
    }
    if let Some((a, b)) = &c.output {
        f.write_str(" AS ")?;
        write_name(f, &a.name)?;
        f.write_str(", ")?;
        write_name(f, &b.name)?;
    }
    Ok(())
}

impl Display for FromArgs {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_list(f, &self.indices, ", ")?;
        for (k, m) in self.metadata.iter().enumerate() {
            f.write_str(if k == 0 { " METADATA " } else { ", " })?;
            write_name(f, &m.name)?;
        }
        Ok(())
    }
}

impl Display for IndexPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.cluster {
            write_source_piece(f, c)?;
            f.write_str(":")?;
        }
        write_source_piece(f, &self.index)?;
        if let Some(s) = &self.selector {
            f.write_str("::")?;
            write_source_piece(f, s)?;
        }
        Ok(())
    }
}

fn write_source_piece(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    if !s.is_empty() && s.chars().all(is_source_char) {
        f.write_str(s)
    } else {
        write_string(f, s)
    }
}

impl Display for Field {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(n) = &self.name {
            write_name(f, &n.name)?;
            f.write_str(" = ")?;
        }
        write!(f, "{}", self.expr)
    }
}

impl Display for AggField {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.field)?;
        if let Some(w) = &self.filter {
            write!(f, " WHERE {w}")?;
        }
        Ok(())
    }
}

impl Display for Stats {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.aggs.is_empty() {
            f.write_str(" ")?;
            write_list(f, &self.aggs, ", ")?;
        }
        if !self.by.is_empty() {
            f.write_str(" BY ")?;
            write_list(f, &self.by, ", ")?;
        }
        Ok(())
    }
}

impl Display for Rename {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.assign_form.0 {
            write_name(f, &self.new.name)?;
            f.write_str(" = ")?;
            write_name(f, &self.old.name)
        } else {
            write_name(f, &self.old.name)?;
            f.write_str(" AS ")?;
            write_name(f, &self.new.name)
        }
    }
}

impl Display for SortItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        match self.descending {
            Some(true) => f.write_str(" DESC")?,
            Some(false) => f.write_str(" ASC")?,
            None => {}
        }
        match self.nulls_first {
            Some(true) => f.write_str(" NULLS FIRST"),
            Some(false) => f.write_str(" NULLS LAST"),
            None => Ok(()),
        }
    }
}

impl Display for NamePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.as_name() {
            return write_name(f, &name);
        }
        for p in &self.parts {
            match p {
                PatternPart::Star => f.write_str("*")?,
                PatternPart::Text(t) if t.chars().all(|c| is_pattern_char(c) && c != '*') => f.write_str(t)?,
                PatternPart::Text(t) => write_quoted_ident(f, t)?,
            }
        }
        Ok(())
    }
}

/// Writes a column name, back-quoting the parts (or the whole) where needed.
pub fn write_name(f: &mut impl Write, name: &str) -> fmt::Result {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return write_quoted_ident(f, name);
    }
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            f.write_char('.')?;
        }
        let plain = super::lexical::raw_word(part) == Some(part) && !super::lexical::is_reserved(part);
        if plain {
            f.write_str(part)?;
        } else {
            write_quoted_ident(f, part)?;
        }
    }
    Ok(())
}

/// A column name as ES|QL must write it (`source.ip`, `` `COUNT(*)` ``).
pub fn quote_name(name: &str) -> String {
    let mut s = String::new();
    let _ = write_name(&mut s, name);
    s
}

/// A string literal as ES|QL must write it, escapes included.
pub fn quote_string(s: &str) -> String {
    let mut out = String::new();
    let _ = write_string(&mut out, s);
    out
}

fn write_quoted_ident(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('`')?;
    f.write_str(&s.replace('`', "``"))?;
    f.write_char('`')
}

fn write_string(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

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

/// How tightly an expression binds: a child printed where a higher level is required gets
/// parentheses.
fn level(e: &Expr) -> P {
    match &e.kind {
        ExprKind::Binary(op, ..) => op.precedence(),
        ExprKind::Unary(UnaryOp::Not, _) => P::Not,
        ExprKind::Unary(..) => P::Unary,
        ExprKind::In { .. } | ExprKind::Like { .. } | ExprKind::IsNull { .. } | ExprKind::Match { .. } => P::Predicate,
        ExprKind::Cast(..) => P::Cast,
        _ => P::Primary,
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
struct Prec<'a>(&'a Expr, P);

impl Display for Prec<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if level(self.0) < self.1 {
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
    let p = op.precedence();
    // Comparisons do not chain, so both sides need arithmetic; others group to the left.
    let (lp, rp) = if p == P::Comparison { (P::Add, P::Add) } else { (p, p.tighter()) };
    write!(f, "{} {} {}", Prec(l, lp), op.symbol(), Prec(r, rp))
}
