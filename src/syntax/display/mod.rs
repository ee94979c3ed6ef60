//! `Display` for the syntax tree. Contract: the printed text parses back to an equal tree.
//! `{:#}` on a [`Query`] puts one command per line, the shape rule files use.
//! Commands here; expressions (and their parentheses) in `expr`, names and strings in
//! `names`.

use super::ast::*;
use super::operator::Precedence as P;
use super::source::is_source_char;
use expr::Prec;
use std::fmt::{self, Display, Formatter};

mod expr;
mod names;

use names::write_string;
pub use names::{quote_name, quote_string, write_name};

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let sep = if f.alternate() { "\n" } else { " " };
        for s in &self.settings {
            write!(f, "SET ")?;
            write!(f, "{}", s.name)?;
            write!(f, " = {};{sep}", s.value)?;
        }
        let pipe = if f.alternate() { "\n| " } else { " | " };
        write_list(f, &self.commands, pipe)
    }
}

pub(super) fn write_list<T: Display>(f: &mut Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
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
                write!(f, "{}", n)
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
        write!(f, "{name}")?;
        write!(f, " = {value}")?;
    }
    Ok(())
}

fn write_enrich(f: &mut Formatter<'_>, e: &Enrich) -> fmt::Result {
    f.write_str("ENRICH ")?;
    f.write_str(&policy_text(e))?;
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

/// ENRICH's policy as written: bare when it can be, else a string.
pub(super) fn policy_text(e: &Enrich) -> String {
    let loose = !e.policy.is_empty()
        && !e.policy.contains(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '"' | '(' | ')' | '/' | '`'));
    if loose {
        e.policy.clone()
    } else {
        quote_string(&e.policy)
    }
}

fn write_completion(f: &mut Formatter<'_>, c: &Completion) -> fmt::Result {
    f.write_str("COMPLETION ")?;
    if let Some(t) = &c.target {
        write!(f, "{}", t)?;
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
    write!(f, "{}", c.value)?;
    if let Some(k) = &c.key {
        f.write_str(" ON ")?;
        write!(f, "{}", k)?;
    }
    if let Some((a, b)) = &c.output {
        f.write_str(" AS ")?;
        write!(f, "{}", a)?;
        f.write_str(", ")?;
        write!(f, "{}", b)?;
    }
    Ok(())
}

impl Display for FromArgs {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_list(f, &self.indices, ", ")?;
        for (k, m) in self.metadata.iter().enumerate() {
            f.write_str(if k == 0 { " METADATA " } else { ", " })?;
            write!(f, "{}", m)?;
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
            write!(f, "{}", n)?;
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
            write!(f, "{}", self.new)?;
            f.write_str(" = ")?;
            write!(f, "{}", self.old)
        } else {
            write!(f, "{}", self.old)?;
            f.write_str(" AS ")?;
            write!(f, "{}", self.new)
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
