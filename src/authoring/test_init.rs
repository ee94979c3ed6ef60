//! `esql test --init RULE`: a fixture skeleton beside a rule, one document per branch (each
//! `case()` condition of an EVAL, each side of an OR in a WHERE), each holding the values
//! the rule's row-level conditions test, to be filled in and given an expectation.

use crate::syntax::{BinaryOp, CommandKind, Expr, ExprKind, Literal, Query};
use std::collections::BTreeMap;

/// Field values a document needs: dotted name to JSON value.
type Doc = BTreeMap<String, serde_json::Value>;

/// The skeleton for the rule `query` (in the file named `query_file`), `now` pinned.
pub fn skeleton(q: &Query, query_file: &str, now_ms: i64) -> String {
    let (base, branches) = conditions(q, now_ms);
    let mut docs: Vec<(String, Doc)> = Vec::new();
    for (label, cond) in &branches {
        let mut d = base.clone();
        assign(cond, &mut d, now_ms);
        docs.push((label.clone(), d));
    }
    if docs.is_empty() {
        docs.push(("the rule's conditions".into(), base));
    }
    // Every other field the rule reads, with a value of its ECS type to replace.
    let made: Vec<String> = q.commands.iter().flat_map(|c| c.created()).collect();
    for name in q.names_read().into_iter().filter(|n| !made.contains(n) && !crate::io::catalog::is_metadata_field(n)) {
        for (_, d) in &mut docs {
            d.entry(name.clone()).or_insert_with(|| placeholder(&name, now_ms));
        }
    }
    let index = index_name(q);
    let mut out = format!(
        "# A test of {query_file}, written by `esql test --init`: make each document what the\n\
         # rule must (or must not) fire on, then say what must come out in [expect].\n\
         # ECS fields need not appear in a document: a fixture knows them, as an index does.\n\
         now = \"{}\"\n\n[[index]]\nname = \"{index}\"\n",
        crate::types::text_form::format_date(now_ms)
    );
    for (k, (label, _)) in docs.iter().enumerate() {
        out.push_str(&format!("# document {}: {label}\n", k + 1));
    }
    out.push_str("docs = '''\n");
    for (_, d) in &docs {
        out.push_str(&nested(d).to_string());
        out.push('\n');
    }
    out.push_str("'''\n\n[expect]\n# alerts = N, no_alert = true, or rows = [ { column = value, ... } ] (columns a subset)\nalerts = 1\n");
    out
}

/// The rule's row-level conditions before its first STATS: the values every document needs
/// (the ANDed tests), and the branches (OR sides, `case()` conditions) with a label each.
fn conditions(q: &Query, now_ms: i64) -> (Doc, Vec<(String, Expr)>) {
    let mut base = Doc::new();
    let mut branches = Vec::new();
    for c in &q.commands {
        match &c.kind {
            CommandKind::Where(e) => {
                for part in conjuncts(e) {
                    match &part.kind {
                        ExprKind::Binary(BinaryOp::Or, ..) => {
                            for (k, side) in disjuncts(part).into_iter().enumerate() {
                                branches.push((format!("WHERE, side {} of `{part}`", k + 1), side.clone()));
                            }
                        }
                        _ => assign(part, &mut base, now_ms),
                    }
                }
            }
            CommandKind::Eval(fields) => {
                for f in fields {
                    let ExprKind::Call { name, args, .. } = &f.expr.kind else { continue };
                    if !name.eq_ignore_ascii_case("case") {
                        continue;
                    }
                    let column = f.name.as_ref().map_or_else(|| f.expr.to_string(), |n| n.name.clone());
                    for (k, cond) in args.iter().step_by(2).take(args.len() / 2).enumerate() {
                        branches.push((format!("case() branch {} of {column}: {cond}", k + 1), cond.clone()));
                    }
                }
            }
            CommandKind::Stats(_) | CommandKind::InlineStats(_) => break,
            _ => {}
        }
    }
    (base, branches)
}

fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Binary(BinaryOp::And, l, r) => conjuncts(l).into_iter().chain(conjuncts(r)).collect(),
        _ => vec![e],
    }
}

fn disjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Binary(BinaryOp::Or, l, r) => disjuncts(l).into_iter().chain(disjuncts(r)).collect(),
        _ => vec![e],
    }
}

/// Sets in `doc` the values that make `cond` true, where a test says which: `f == v`,
/// `f IN (v, ...)`, `f LIKE "p*"`, `f IS NOT NULL`, `f > n`, `f > now() - ...`.
fn assign(cond: &Expr, doc: &mut Doc, now_ms: i64) {
    let field = |e: &Expr| match &e.kind {
        ExprKind::Field(f) => Some(f.clone()),
        ExprKind::Call { args, .. } if args.len() == 1 => match &args[0].kind {
            ExprKind::Field(f) => Some(f.clone()),
            _ => None,
        },
        _ => None,
    };
    match &cond.kind {
        ExprKind::Binary(BinaryOp::And, ..) => conjuncts(cond).into_iter().for_each(|c| assign(c, doc, now_ms)),
        // An OR needs one side only.
        ExprKind::Binary(BinaryOp::Or, l, _) => assign(l, doc, now_ms),
        ExprKind::Binary(op, l, r) if op.is_comparison() => {
            let (f, lit, flipped) = match (field(l), field(r)) {
                (Some(f), _) => (f, r, false),
                (None, Some(f)) => (f, l, true),
                _ => return,
            };
            if let Some(v) = satisfying(*op, lit, flipped, now_ms) {
                doc.insert(f, v);
            }
        }
        ExprKind::In { expr, list, negated: false } => {
            if let (Some(f), Some(v)) = (field(expr), list.first().and_then(json_of)) {
                doc.insert(f, v);
            }
        }
        ExprKind::Like { expr, patterns, negated: false, regex: false, .. } => {
            let text = patterns.first().and_then(|p| match &p.kind {
                ExprKind::Literal(Literal::String(s)) => Some(s.replace(['*', '?'], "x")),
                _ => None,
            });
            if let (Some(f), Some(t)) = (field(expr), text) {
                doc.insert(f, serde_json::Value::String(t));
            }
        }
        // What a NOT excludes says nothing of what a document needs.
        _ => {}
    }
}

/// A value on the true side of `field OP lit` (`lit OP field` when flipped).
fn satisfying(op: BinaryOp, lit: &Expr, flipped: bool, now_ms: i64) -> Option<serde_json::Value> {
    let up = matches!((op, flipped), (BinaryOp::Gt | BinaryOp::Gte, false) | (BinaryOp::Lt | BinaryOp::Lte, true));
    match (&lit.kind, op) {
        (_, BinaryOp::Eq) => json_of(lit),
        (ExprKind::Literal(Literal::Integer(n)), BinaryOp::Neq) => Some((n + 1).into()),
        (ExprKind::Literal(Literal::String(s)), BinaryOp::Neq) => Some(format!("not {s}").into()),
        (ExprKind::Literal(Literal::Integer(n)), _) => Some((if up { n + 1 } else { n - 1 }).into()),
        // `@timestamp > now() - 8 hours`: a minute before now.
        (ExprKind::Binary(..) | ExprKind::Call { .. }, _) if up => {
            Some(crate::types::text_form::format_date(now_ms - 60_000).into())
        }
        _ => None,
    }
}

fn json_of(e: &Expr) -> Option<serde_json::Value> {
    match &e.kind {
        ExprKind::Literal(Literal::String(s)) => Some(s.clone().into()),
        ExprKind::Literal(Literal::Integer(n)) => Some((*n).into()),
        ExprKind::Literal(Literal::Boolean(b)) => Some((*b).into()),
        ExprKind::Literal(Literal::Double(d)) => serde_json::Number::from_f64(*d).map(serde_json::Value::Number),
        _ => None,
    }
}

/// A value of `name`'s ECS type (text for fields ECS does not know), to be replaced.
fn placeholder(name: &str, now_ms: i64) -> serde_json::Value {
    let ty = crate::io::catalog::ecs::lookup(name).map_or("keyword", |f| f.mapping_type);
    match ty {
        "date" => crate::types::text_form::format_date(now_ms - 60_000).into(),
        "ip" => "89.160.20.128".into(),
        "long" | "integer" | "short" | "byte" | "float" | "double" | "scaled_float" => 1.into(),
        "boolean" => true.into(),
        _ => format!("<{name}>").into(),
    }
}

/// The first FROM pattern made an index name (`logs-*` gives `logs-test`).
fn index_name(q: &Query) -> String {
    let first = q.commands.first().and_then(|c| match &c.kind {
        CommandKind::From(a) | CommandKind::Ts(a) => a.indices.iter().find(|i| !i.index.starts_with('-')),
        _ => None,
    });
    let name =
        first.map_or("test".to_string(), |i| i.index.replace('*', "test").trim_start_matches('.').to_lowercase());
    if name.is_empty() {
        "test".into()
    } else {
        name
    }
}

/// `{"a.b": 1}` as `{"a": {"b": 1}}`.
fn nested(doc: &Doc) -> serde_json::Value {
    let mut root = serde_json::Map::new();
    for (name, v) in doc {
        let mut at = &mut root;
        let parts: Vec<&str> = name.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            let slot = at.entry(p.to_string()).or_insert_with(|| serde_json::Value::Object(Default::default()));
            if !slot.is_object() {
                *slot = serde_json::Value::Object(Default::default());
            }
            let Some(obj) = slot.as_object_mut() else { return serde_json::Value::Object(root) };
            at = obj;
        }
        at.insert(parts[parts.len() - 1].to_string(), v.clone());
    }
    serde_json::Value::Object(root)
}
