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
    let ExprKind::Field(name) = &e.kind else { return };
    let set = name.split('.').next().unwrap_or("");
    if !name.contains('.')
        || !ECS_SETS.contains(&set)
        || crate::io::catalog::ecs::lookup(name).is_some()
        || created(q).contains(name)
    {
        return;
    }
    // Vendor extensions (process.Ext.*, *.caseless) are legitimate: only a near miss of an
    // ECS name is reported, as a likely typo.
    let Some(suggestion) = closest_ecs(name) else { return };
    out.push(finding(
        "unknown-field",
        format!("[{name}] is not an ECS field"),
        e,
        format!("did you mean [{suggestion}]?"),
    ));
}

/// The ECS field nearest to `name` (a likely typo), if one is within two edits.
pub(super) fn closest_ecs(name: &str) -> Option<&'static str> {
    crate::io::catalog::ecs::names()
        .map(|k| (crate::syntax::edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}
