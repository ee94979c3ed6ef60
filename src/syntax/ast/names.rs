//! The column names a query reads by name, so that planning can resolve just those without
//! first learning every field of the data.

use super::{Command, CommandKind, Expr, ExprKind, Query};
use std::collections::BTreeSet;

impl Query {
    /// Every plain name the query reads a column by: fields in expressions, KEEP and DROP
    /// names without a wildcard, RENAME's old names, MV_EXPAND, ENRICH ON, CHANGE_POINT's.
    /// Patterns with a wildcard, names inside strings (KQL, QSTR) and implicit columns are
    /// not names: a plan that reads such a column needs every field of the data.
    pub fn names_read(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for c in &self.commands {
            c.names_read(&mut out);
        }
        out
    }
}

impl Command {
    fn names_read(&self, out: &mut BTreeSet<String>) {
        for e in self.exprs() {
            expr_names(e, out);
        }
        match &self.kind {
            CommandKind::Keep(ps) | CommandKind::Drop(ps) => out.extend(ps.iter().filter_map(|p| p.as_name())),
            CommandKind::Rename(rs) => out.extend(rs.iter().map(|r| r.old.name.clone())),
            CommandKind::MvExpand(n) => {
                out.insert(n.name.clone());
            }
            CommandKind::Enrich(e) => out.extend(e.on.as_ref().and_then(|p| p.as_name())),
            CommandKind::ChangePoint(c) => out.extend(std::iter::once(&c.value).chain(&c.key).map(|n| n.name.clone())),
            CommandKind::Fork(branches) => branches.iter().flatten().for_each(|c| c.names_read(out)),
            _ => {}
        }
    }
}

/// Functions that read `@timestamp` without naming it (Elasticsearch 9.3).
pub const READ_TIMESTAMP: &[&str] = &["tbucket", "trange"];

fn expr_names(e: &Expr, out: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::Field(name) => {
            out.insert(name.clone());
        }
        ExprKind::Call { name, .. } if READ_TIMESTAMP.iter().any(|f| name.eq_ignore_ascii_case(f)) => {
            out.insert("@timestamp".to_string());
        }
        _ => {}
    }
    for c in e.children() {
        expr_names(c, out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_read_are_the_plain_names() {
        let q = crate::syntax::parse(
            "FROM x | WHERE a.b > 1 AND f(c) | EVAL d = e + 1 | KEEP g, h* | RENAME i AS j \
             | MV_EXPAND k | STATS count(l) BY m | SORT n",
        );
        assert!(q.is_ok());
        let names: Vec<String> = q.map(|q| q.names_read()).unwrap_or_default().into_iter().collect();
        assert_eq!(names, ["a.b", "c", "e", "g", "i", "k", "l", "m", "n"]);
        let q = crate::syntax::parse("FROM x | WHERE trange(1h) | STATS count(*) BY TBucket(1 hour)");
        let names: Vec<String> = q.map(|q| q.names_read()).unwrap_or_default().into_iter().collect();
        assert_eq!(names, ["@timestamp"], "TRANGE and TBUCKET read @timestamp");
    }
}
