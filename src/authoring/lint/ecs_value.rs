//! `ecs-value`: a categorization field (`event.kind`, `event.category`, `event.type`,
//! `event.outcome`) compared with a value ECS does not allow. Integrations write only the
//! allowed values, in lower case, so `event.outcome == "Failure"` matches nothing.

use super::{finding, Finding};
use crate::io::catalog::ecs::allowed_values;
use crate::syntax::{BinaryOp, Expr, ExprKind, Literal};

pub(super) fn ecs_value(e: &Expr, out: &mut Vec<Finding>) {
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
    let Some(allowed) = allowed_values(name) else { return };
    for v in values {
        let ExprKind::Literal(Literal::String(text)) = &v.kind else { continue };
        if allowed.contains(&text.as_str()) {
            continue;
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
                let mut f = finding("ecs-value", msg, v, format!("did you mean {fixed}?"));
                f.fix = Some(fixed);
                f
            }
            None => finding("ecs-value", msg, v, format!("ECS allows: {}", allowed.join(", "))),
        };
        out.push(f);
    }
}
