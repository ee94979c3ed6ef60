//! `unknown-field`: a near miss of an ECS field name that the query does not create.

use super::{created, finding, Finding};
use crate::syntax::{Expr, ExprKind, Query};

/// Top-level ECS field sets: a field under one of them should be an ECS field.
pub(super) const ECS_SETS: &[&str] = &[
    "agent",
    "client",
    "cloud",
    "container",
    "destination",
    "dns",
    "email",
    "error",
    "event",
    "file",
    "group",
    "host",
    "http",
    "network",
    "observer",
    "orchestrator",
    "organization",
    "package",
    "process",
    "registry",
    "related",
    "rule",
    "server",
    "service",
    "source",
    "threat",
    "tls",
    "url",
    "user",
    "user_agent",
    "vulnerability",
];

pub(super) fn unknown_field(q: &Query, e: &Expr, out: &mut Vec<Finding>) {
    let spots = match &e.kind {
        ExprKind::Field(_) => vec![e.clone()],
        _ => in_kql(e),
    };
    for spot in &spots {
        let ExprKind::Field(name) = &spot.kind else { continue };
        if let Some(f) = near_miss(q, name, spot) {
            out.push(f);
        }
    }
}

/// The fields a `KQL("...")` call names, each as a field expression spanning its name
/// inside the string (where a finding's caret goes).
fn in_kql(e: &Expr) -> Vec<Expr> {
    let Some((kql, text, base)) = super::kql_of(e) else { return vec![] };
    let spot = |field: &String| super::spot_in(text, base, field, 0, ExprKind::Field(field.clone()));
    kql.fields().into_iter().filter_map(spot).collect()
}

/// The names a command reads: its field expressions and the fields of its KQL strings.
fn read_spots(c: &crate::syntax::Command) -> Vec<Expr> {
    let mut out = Vec::new();
    for e in c.exprs() {
        super::walk(e, &mut |x| match &x.kind {
            ExprKind::Field(_) => out.push(x.clone()),
            _ => out.extend(in_kql(x)),
        });
    }
    out
}

/// A near miss of an ECS field name, not created by the query: a likely typo. Vendor
/// extensions (process.Ext.*, *.caseless) are legitimate and not reported.
fn near_miss(q: &Query, name: &str, at: &Expr) -> Option<Finding> {
    let set = name.split('.').next().unwrap_or("");
    if !name.contains('.')
        || !(ECS_SETS.contains(&set) || near_set(set))
        || crate::io::catalog::ecs::lookup(name).is_some()
        || created(q).iter().any(|c| c == name)
    {
        return None;
    }
    let suggestion = closest_ecs(name)?;
    Some(finding("unknown-field", format!("[{name}] is not an ECS field"), at, format!("did you mean [{suggestion}]?")))
}

/// Whether `set` is a typo of an ECS field set (`usr`, `evnt`): one edit, or two in a long
/// name, so that integrations' own prefixes (`aws`, `okta`, `o365`) stay quiet.
fn near_set(set: &str) -> bool {
    let most = if set.len() >= 6 { 2 } else { 1 };
    ECS_SETS.iter().any(|s| crate::syntax::edit_distance(set, s) <= most)
}

/// The ECS field nearest to `name` (a likely typo), if one is within two edits.
pub(super) fn closest_ecs(name: &str) -> Option<&'static str> {
    crate::io::catalog::ecs::names()
        .map(|k| (crate::syntax::edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// `unknown-field` against real data: each name the query reads that no index its FROM
/// selects holds (in a document or its mapping), that is no metadata field, and that the
/// query does not make itself. `known` is the union of those indices' fields.
pub fn unknown_in_data(q: &Query, known: &std::collections::BTreeSet<String>, from: &str) -> Vec<Finding> {
    let made = created(q);
    let nullify = crate::plan::settings::read(q).is_ok_and(|s| s.unmapped == crate::plan::settings::Unmapped::Nullify);
    let mut out: Vec<Finding> = Vec::new();
    for c in &q.commands {
        for e in &read_spots(c) {
            let ExprKind::Field(name) = &e.kind else { continue };
            let skip = known.contains(name)
                || made.iter().any(|m| m == name)
                || crate::io::catalog::is_metadata_field(name)
                || out.iter().any(|f| f.diagnostic.span == Some((e.span.start as usize, e.span.end as usize)));
            if skip {
                continue;
            }
            let near = known
                .iter()
                .map(|k| (crate::syntax::edit_distance(name, k), k))
                .filter(|(d, _)| *d <= 2)
                .min()
                .map(|(_, k)| k.clone());
            let hint = match &near {
                Some(k) => format!("did you mean [{k}]?"),
                None if nullify => {
                    format!("no field of {from} is near it; SET unmapped_fields makes it null in every row")
                }
                None => format!("no field of {from} is near it; ES answers `Unknown column [{name}]`"),
            };
            let mut f = finding("unknown-field", format!("[{name}] is in no document or mapping of {from}"), e, hint);
            f.fix = near;
            out.push(f);
        }
    }
    out
}
