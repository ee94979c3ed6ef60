//! `ecs-value`: a categorization field (`event.kind`, `event.category`, `event.type`,
//! `event.outcome`) compared with a value ECS does not allow. Integrations write only the
//! allowed values, in lower case, so `event.outcome == "Failure"` matches nothing.

use super::{finding, Finding};
use crate::io::catalog::ecs::allowed_values;
use crate::syntax::{BinaryOp, Expr, ExprKind, Literal};

pub(super) fn ecs_value(e: &Expr, out: &mut Vec<Finding>) {
    in_kql(e, out);
    let (field, values): (&Expr, Vec<&Expr>) = match &e.kind {
        ExprKind::Binary(BinaryOp::Eq | BinaryOp::Neq, l, r) => match (&l.kind, &r.kind) {
            (ExprKind::Field(_), _) => (l, vec![r]),
            (_, ExprKind::Field(_)) => (r, vec![l]),
            _ => return,
        },
        ExprKind::In { expr, list, .. } => (expr, list.iter().collect()),
        _ => return,
    };
    let ExprKind::Field(name) = &field.kind else { return };
    for v in values {
        if let ExprKind::Literal(Literal::String(text)) = &v.kind {
            check(name, text, v, false, out);
        }
    }
}

/// `KQL("event.outcome: Failure")`: a keyword's term is as case-sensitive as `==`.
fn in_kql(e: &Expr, out: &mut Vec<Finding>) {
    let Some((kql, text, base)) = super::kql_of(e) else { return };
    let mut from = 0;
    for (field, value) in leaves(&kql) {
        let Some(at) = text.get(from..).and_then(|t| t.find(field.as_str())).map(|n| from + n) else { continue };
        let spot = super::spot_in(text, base, value, at, ExprKind::Literal(Literal::String(value.clone())));
        if let Some(spot) = spot {
            from = (spot.span.end - base) as usize;
            check(field, value, &spot, true, out);
        }
    }
}

/// The single-field term, match and phrase tests of a KQL query, in order.
fn leaves(q: &crate::search::Query<String>) -> Vec<(&String, &String)> {
    use crate::search::{Query, Test};
    match q {
        Query::And(qs) | Query::Or(qs) | Query::AtLeast(_, qs) => qs.iter().flat_map(leaves).collect(),
        Query::Not(q) | Query::Zoned(_, q) => leaves(q),
        Query::Leaf(fields, Test::Match { text, .. } | Test::Phrase(text) | Test::Term(text)) if fields.len() == 1 => {
            vec![(&fields[0], text)]
        }
        _ => vec![],
    }
}

/// A finding at `at` when `text` is not among the values ECS allows in `name`; `bare` when
/// the value is written without quotes (in a KQL string), which its fix keeps.
fn check(name: &str, text: &str, at: &Expr, bare: bool, out: &mut Vec<Finding>) {
    let Some(allowed) = allowed_values(name) else { return };
    if allowed.contains(&text) {
        return;
    }
    let msg = format!(
        "{} is not a value ECS allows in [{name}]: data that follows ECS never holds it",
        crate::syntax::quote_string(text)
    );
    let near = allowed.iter().find(|a| a.eq_ignore_ascii_case(text)).or_else(|| {
        allowed
            .iter()
            .map(|a| (crate::syntax::edit_distance(text, a), a))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, a)| a)
    });
    let f = match near {
        Some(a) => {
            let fixed = crate::syntax::quote_string(a);
            let mut f = finding("ecs-value", msg, at, format!("did you mean {fixed}?"));
            f.fix = Some(if bare { a.to_string() } else { fixed });
            f
        }
        None => finding("ecs-value", msg, at, format!("ECS allows: {}", allowed.join(", "))),
    };
    out.push(f);
}
