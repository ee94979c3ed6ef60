//! `dropped-column`: a column used after KEEP or DROP removed it.

use super::{finding, references, Finding};
use crate::syntax::pattern_keys;
use crate::syntax::{CommandKind, ExprKind, Query};

/// After `KEEP a, b` (no wildcards) only those columns and ones created later exist; after
/// `DROP x`, x is gone until something creates it again.
pub(super) fn dropped_column(q: &Query, out: &mut Vec<Finding>) {
    let mut kept: Option<Vec<String>> = None;
    let mut dropped: Vec<String> = Vec::new();
    for c in &q.commands {
        for r in references(c) {
            let ExprKind::Field(name) = &r.kind else { continue };
            let gone = dropped.contains(name) || kept.as_ref().is_some_and(|k| !k.contains(name));
            if gone {
                let msg = format!("[{name}] was removed by an earlier KEEP or DROP");
                out.push(finding(
                    "dropped-column",
                    msg,
                    r,
                    format!("keep [{name}] in the earlier KEEP, or move this command before it"),
                ));
            }
        }
        let created: Vec<String> = match &c.kind {
            CommandKind::Eval(fs) => fs
                .iter()
                .map(|f| f.name.as_ref().map_or_else(|| f.expr.span.start.to_string(), |n| n.name.clone()))
                .collect(),
            CommandKind::Rename(rs) => rs.iter().map(|r| r.new.name.clone()).collect(),
            CommandKind::Dissect(d) => pattern_keys(&d.pattern),
            CommandKind::Grok(g) => g.patterns.iter().flat_map(pattern_keys).collect(),
            _ => vec![],
        };
        match &c.kind {
            CommandKind::Keep(ps) if ps.iter().all(|p| !p.has_wildcard()) => {
                kept = Some(ps.iter().filter_map(|p| p.as_name()).collect());
                dropped.clear();
            }
            CommandKind::Keep(_)
            | CommandKind::Stats(_)
            | CommandKind::InlineStats(_)
            | CommandKind::Enrich(_)
            | CommandKind::Join(_) => {
                kept = None;
                dropped.clear();
            }
            CommandKind::Drop(ps) => dropped.extend(ps.iter().filter_map(|p| p.as_name())),
            _ => {}
        }
        if let Some(k) = kept.as_mut() {
            k.extend(created.iter().cloned());
        }
        dropped.retain(|d| !created.contains(d));
    }
}
