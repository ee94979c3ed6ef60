//! Elasticsearch's `CombineDisjunctions`: in an OR, equalities with a constant, INs and
//! CIDR_MATCHes on the same expression become one IN (or one CIDR_MATCH when the key is an
//! IP with a CIDR_MATCH among them). The rows are the same; what changes is what
//! Elasticsearch reports: the combined test is written at its key (`evaluation of [ip1]
//! failed` at the first `ip1`), and it warns once per row, not once per branch.

use super::{PlanExpr, PlanKind};
use crate::functions::{self, ColumnKernel, Comparison};
use crate::types::{Cell, EsType, Value};
use std::borrow::Cow;

/// Rewrites every OR inside `e`, innermost first as Elasticsearch's rule runs: `a OR b OR c`
/// is `(a OR b) OR c`, so the key an outer OR keeps is the one the inner OR wrote first.
pub fn combine(e: &mut PlanExpr) {
    e.children_mut().into_iter().for_each(combine);
    if matches!(e.kind, PlanKind::Or(..)) {
        let mut branches = Vec::new();
        std::mem::replace(e, placeholder()).into_operands(false, &mut branches);
        *e = rebuild(branches);
    }
}

fn placeholder() -> PlanExpr {
    PlanExpr { kind: PlanKind::Literal(Cell::Null), ty: EsType::Null, origin: Default::default() }
}

/// A key with its values, in order of first appearance (the first key written is kept).
type Groups = Vec<(PlanExpr, Vec<PlanExpr>)>;

fn add(groups: &mut Groups, key: &PlanExpr, values: impl IntoIterator<Item = PlanExpr>) {
    let at = match groups.iter().position(|(k, _)| same(k, key)) {
        Some(at) => at,
        None => {
            groups.push((key.clone(), Vec::new()));
            groups.len() - 1
        }
    };
    for v in values {
        if !groups[at].1.iter().any(|x| same(x, &v)) {
            groups[at].1.push(v);
        }
    }
}

fn rebuild(branches: Vec<PlanExpr>) -> PlanExpr {
    let origin = branches.first().map(|b| b.origin.clone()).unwrap_or_default();
    let (mut ins, mut cidrs, mut ips): (Groups, Groups, Groups) = Default::default();
    // IP keys with a constant CIDR_MATCH cannot take (a computed one): left out of the merge.
    let mut opaque: Vec<PlanExpr> = Vec::new();
    let mut ips_of = |key: &PlanExpr, values: &[PlanExpr], ips: &mut Groups| {
        if key.ty == EsType::Ip {
            match values.iter().map(as_cidr).collect::<Option<Vec<_>>>() {
                Some(v) => add(ips, key, v),
                None => opaque.push(key.clone()),
            }
        }
    };
    let mut ors = Vec::new();
    let mut changed = false;
    for b in branches {
        match &b.kind {
            PlanKind::Call { func, args, .. } if is_equal(func) && args.len() == 2 && is_constant(&args[1]) => {
                add(&mut ins, &args[0], [args[1].clone()]);
                ips_of(&args[0], &args[1..], &mut ips);
                changed = true;
            }
            PlanKind::In(key, list) if list.iter().all(is_constant) => {
                add(&mut ins, key, list.iter().cloned());
                ips_of(key, list, &mut ips);
                changed = true;
            }
            PlanKind::Call { func, args, .. } if func.column == Some(ColumnKernel::CidrMatch) && args.len() > 1 => {
                add(&mut cidrs, &args[0], args[1..].iter().cloned());
                changed = true;
            }
            _ => ors.push(b),
        }
    }
    if !changed {
        return chain(ors, origin);
    }
    if !cidrs.is_empty() {
        for (key, values) in ips.into_iter().filter(|(k, _)| !opaque.iter().any(|o| same(o, k))) {
            add(&mut cidrs, &key, values);
            ins.retain(|(k, _)| !same(k, &key));
        }
    }
    ors.extend(ins.into_iter().map(|(key, values)| in_or_equal(key, values)));
    ors.extend(cidrs.into_iter().filter_map(|(key, values)| cidr_match(key, values)));
    chain(ors, origin)
}

fn chain(ors: Vec<PlanExpr>, origin: super::Origin) -> PlanExpr {
    let mut it = ors.into_iter();
    let first = it.next().unwrap_or_else(placeholder);
    it.fold(first, |acc, next| PlanExpr {
        kind: PlanKind::Or(Box::new(acc), Box::new(next)),
        ty: EsType::Boolean,
        origin: origin.clone(),
    })
}

fn in_or_equal(key: PlanExpr, mut values: Vec<PlanExpr>) -> PlanExpr {
    let origin = key.origin.clone();
    let kind = if values.len() == 1 {
        let right = values.remove(0);
        let arg_types = vec![key.ty, right.ty];
        match functions::lookup("==") {
            Some(func) => PlanKind::Call { func, args: vec![key, right], arg_types },
            None => PlanKind::In(Box::new(key), vec![right]),
        }
    } else {
        PlanKind::In(Box::new(key), values)
    };
    PlanExpr { kind, ty: EsType::Boolean, origin }
}

fn cidr_match(key: PlanExpr, values: Vec<PlanExpr>) -> Option<PlanExpr> {
    let func = functions::lookup("cidr_match")?;
    let origin = key.origin.clone();
    let mut args = vec![key];
    args.extend(values);
    let arg_types = args.iter().map(|a| a.ty).collect();
    Some(PlanExpr { kind: PlanKind::Call { func, args, arg_types }, ty: EsType::Boolean, origin })
}

/// An IP constant as CIDR_MATCH takes it: its text.
fn as_cidr(e: &PlanExpr) -> Option<PlanExpr> {
    match &e.kind {
        PlanKind::Literal(Cell::One(v @ Value::Ip(_))) => Some(PlanExpr {
            kind: PlanKind::Literal(Cell::One(Value::Str(Cow::Owned(v.render())))),
            ty: EsType::Keyword,
            origin: e.origin.clone(),
        }),
        PlanKind::Literal(Cell::One(Value::Str(_))) => Some(e.clone()),
        _ => None,
    }
}

fn is_equal(func: &functions::FunctionDef) -> bool {
    func.column == Some(ColumnKernel::Compare(Comparison::Equal))
}

/// Reads no column: folds to a constant.
fn is_constant(e: &PlanExpr) -> bool {
    !matches!(e.kind, PlanKind::Column(_)) && e.children().into_iter().all(is_constant)
}

/// The same computation, wherever it is written.
fn same(a: &PlanExpr, b: &PlanExpr) -> bool {
    let kids = |x: &PlanExpr, y: &PlanExpr| {
        let (xs, ys) = (x.children(), y.children());
        xs.len() == ys.len() && xs.iter().zip(&ys).all(|(p, q)| same(p, q))
    };
    match (&a.kind, &b.kind) {
        (PlanKind::Column(x), PlanKind::Column(y)) => x == y,
        (PlanKind::Literal(x), PlanKind::Literal(y)) => x == y && a.ty == b.ty,
        (PlanKind::Call { func: f, .. }, PlanKind::Call { func: g, .. }) => std::ptr::eq(*f, *g) && kids(a, b),
        _ => false,
    }
}
