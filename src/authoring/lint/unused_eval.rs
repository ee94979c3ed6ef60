//! `unused-eval`: an EVAL column nothing reads and a later KEEP or STATS drops.

use super::{walk, Finding};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::{CommandKind, ExprKind, Query};

/// EVAL columns that nothing reads and that a later KEEP or STATS drops.
pub(super) fn unused_eval(q: &Query, out: &mut Vec<Finding>) {
    for (k, c) in q.commands.iter().enumerate() {
        let CommandKind::Eval(fields) = &c.kind else { continue };
        for f in fields {
            let Some(name) = &f.name else { continue };
            let later = &q.commands[k + 1..];
            let used = later.iter().flat_map(|c| c.exprs()).any(|e| {
                let mut hit = false;
                walk(e, &mut |x| hit |= matches!(&x.kind, ExprKind::Field(n) if *n == name.name));
                hit
            }) || fields.iter().skip_while(|g| !std::ptr::eq(*g, f)).skip(1).any(|g| {
                let mut hit = false;
                walk(&g.expr, &mut |x| hit |= matches!(&x.kind, ExprKind::Field(n) if *n == name.name));
                hit
            });
            let dropped = dropped_later(later, &name.name);
            if !used && dropped {
                let d = Diagnostic {
                    severity: Severity::Warning,
                    message: format!("[{}] is computed but never used", name.name),
                    span: Some((name.span.start as usize, name.span.end as usize)),
                    hints: vec!["remove it, or use it in a later command".into()],
                    column: None,
                };
                out.push(Finding { id: "unused-eval", diagnostic: d, fix: None });
            }
        }
    }
}

/// True when the first later command that decides `name`'s fate removes it: a KEEP that
/// does not name it, a DROP that does, or a STATS.
pub(super) fn dropped_later(later: &[crate::syntax::Command], name: &str) -> bool {
    for c in later {
        match &c.kind {
            CommandKind::Keep(ps) => return !ps.iter().any(|p| p.matches(name)),
            CommandKind::Drop(ps) if ps.iter().any(|p| p.matches(name)) => return true,
            CommandKind::Rename(rs) if rs.iter().any(|r| r.old.name == name) => return false,
            CommandKind::MvExpand(n) if n.name == name => return false,
            CommandKind::Enrich(e) if e.on.as_ref().is_some_and(|p| p.matches(name)) => return false,
            CommandKind::ChangePoint(cp)
                if cp.value.name == name || cp.key.as_ref().is_some_and(|k| k.name == name) =>
            {
                return false
            }
            // A branch of FORK may use it; stay quiet rather than guess.
            CommandKind::Fork(_) => return false,
            CommandKind::Stats(_) => return true,
            _ => {}
        }
    }
    false
}
