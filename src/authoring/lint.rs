//! `esql lint`: logic pitfalls that silently break detections, each with an id, a caret and
//! a suggested fix. A finding is silenced by `// esql-lint: allow <id>` on its line.

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::syntax::{BinaryOp, Command, CommandKind, Expr, ExprKind, Literal, Query, UnaryOp};

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable id (`case-mismatch`, ...).
    pub id: &'static str,
    /// Message, span and hint.
    pub diagnostic: Diagnostic,
}

/// Every lint id with what it catches.
pub const LINTS: &[(&str, &str)] = &[
    (
        "case-mismatch",
        "a comparison with a value that differs only in case from one compared earlier: == is case-sensitive",
    ),
    ("mv-compare", "==, IN or LIKE on a field ECS defines as multi-valued: a multi-value makes the comparison null"),
    ("not-in-null", "NOT ... IN (...) with a null in the list: never true"),
    ("unknown-field", "a near miss of an ECS field name (a likely typo) that the query does not create"),
    ("unused-eval", "an EVAL column nothing uses and the result does not show"),
    ("dropped-column", "a column used after KEEP or DROP removed it"),
    (
        "lookback",
        "a rule whose look-back is longer than its interval (overlapping runs: duplicate alerts) or shorter (gaps)",
    ),
];

fn finding(id: &'static str, message: String, e: &Expr, hint: String) -> Finding {
    let d = Diagnostic {
        severity: Severity::Warning,
        message,
        span: Some((e.span.start as usize, e.span.end as usize)),
        hints: vec![hint],
    };
    Finding { id, diagnostic: d }
}

fn walk<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    f(e);
    for c in e.children() {
        walk(c, f);
    }
}

/// The expressions of a command.
fn exprs(c: &Command) -> Vec<&Expr> {
    match &c.kind {
        CommandKind::Where(e) => vec![e],
        CommandKind::Eval(fs) | CommandKind::Row(fs) => fs.iter().map(|f| &f.expr).collect(),
        CommandKind::Stats(s) | CommandKind::InlineStats(s) => {
            let aggs = s.aggs.iter().flat_map(|a| std::iter::once(&a.field.expr).chain(a.filter.iter()));
            aggs.chain(s.by.iter().map(|f| &f.expr)).collect()
        }
        CommandKind::Sort(items) => items.iter().map(|i| &i.expr).collect(),
        CommandKind::Dissect(d) => vec![&d.input],
        CommandKind::Grok(g) => vec![&g.input],
        CommandKind::Join(j) => j.on.iter().collect(),
        CommandKind::Completion(c) => vec![&c.prompt],
        _ => vec![],
    }
}

/// `field == "literal"` (either order) as (field, literal, the literal's expression).
fn string_equality(e: &Expr) -> Option<(&str, &str, &Expr)> {
    let ExprKind::Binary(BinaryOp::Eq, l, r) = &e.kind else { return None };
    match (&l.kind, &r.kind) {
        (ExprKind::Field(f), ExprKind::Literal(Literal::String(s))) => Some((f, s, r)),
        (ExprKind::Literal(Literal::String(s)), ExprKind::Field(f)) => Some((f, s, l)),
        _ => None,
    }
}

/// Lints a parsed query.
pub fn lint(q: &Query) -> Vec<Finding> {
    let mut out = Vec::new();
    case_mismatch(q, &mut out);
    for c in &q.commands {
        for e in exprs(c) {
            walk(e, &mut |x| {
                mv_compare(x, &mut out);
                not_in_null(x, &mut out);
                unknown_field(q, x, &mut out);
            });
        }
    }
    unused_eval(q, &mut out);
    dropped_column(q, &mut out);
    out.sort_by_key(|f| f.diagnostic.span);
    out
}

fn case_mismatch(q: &Query, out: &mut Vec<Finding>) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for c in &q.commands {
        for e in exprs(c) {
            walk(e, &mut |x| {
                let Some((field, value, lit)) = string_equality(x) else { return };
                if let Some((_, earlier)) =
                    seen.iter().find(|(f, v)| f == field && v != value && v.to_lowercase() == value.to_lowercase())
                {
                    let msg = format!("[{field}] is compared with \"{value}\" here but with \"{earlier}\" earlier: == on keyword is case-sensitive, so both cannot hold");
                    out.push(finding(
                        "case-mismatch",
                        msg,
                        lit,
                        format!("use \"{earlier}\" (or compare to_lower({field}) with a lower-case value)"),
                    ));
                }
                if !seen.iter().any(|(f, v)| f == field && v == value) {
                    seen.push((field.to_string(), value.to_string()));
                }
            });
        }
    }
}

fn is_array_field(name: &str) -> bool {
    crate::io::catalog::ecs::lookup(name).is_some_and(|f| f.array)
}

fn mv_compare(e: &Expr, out: &mut Vec<Finding>) {
    let operand = match &e.kind {
        ExprKind::Binary(op, l, r) if op.is_comparison() => {
            [l, r].into_iter().find(|x| matches!(x.kind, ExprKind::Field(_)))
        }
        ExprKind::In { expr, .. } | ExprKind::Like { expr, .. } => Some(expr),
        _ => None,
    };
    let Some(field) = operand else { return };
    let ExprKind::Field(name) = &field.kind else { return };
    if is_array_field(name) {
        let msg = format!("[{name}] is multi-valued in ECS: this comparison is null, and the row dropped, whenever it holds several values");
        out.push(finding("mv-compare", msg, field, format!("use mv_contains({name}, ...), or MV_EXPAND {name} first")));
    }
}

fn not_in_null(e: &Expr, out: &mut Vec<Finding>) {
    let list = match &e.kind {
        ExprKind::In { list, negated: true, .. } => list,
        ExprKind::Unary(UnaryOp::Not, x) => match &x.kind {
            ExprKind::In { list, .. } => list,
            _ => return,
        },
        _ => return,
    };
    if let Some(null) = list.iter().find(|i| matches!(i.kind, ExprKind::Literal(Literal::Null))) {
        let msg =
            "a null in a NOT IN list makes the test null (never true) for every value not in the list".to_string();
        out.push(finding("not-in-null", msg, null, "remove null from the list and test IS NULL separately".into()));
    }
}

/// Names the query itself creates (EVAL, ROW, STATS, RENAME, DISSECT/GROK keys).
fn created(q: &Query) -> Vec<String> {
    let mut names = Vec::new();
    for c in &q.commands {
        match &c.kind {
            CommandKind::Eval(fs) | CommandKind::Row(fs) => {
                names.extend(fs.iter().filter_map(|f| f.name.as_ref().map(|n| n.name.clone())))
            }
            CommandKind::Stats(s) | CommandKind::InlineStats(s) => {
                names.extend(s.aggs.iter().filter_map(|a| a.field.name.as_ref().map(|n| n.name.clone())));
                names.extend(s.by.iter().filter_map(|f| f.name.as_ref().map(|n| n.name.clone())));
            }
            CommandKind::Rename(rs) => names.extend(rs.iter().map(|r| r.new.name.clone())),
            CommandKind::Dissect(d) => names.extend(pattern_keys(&d.pattern)),
            CommandKind::Grok(g) => names.extend(g.patterns.iter().flat_map(pattern_keys)),
            _ => {}
        }
    }
    names
}

fn pattern_keys(e: &Expr) -> Vec<String> {
    let ExprKind::Literal(Literal::String(p)) = &e.kind else { return vec![] };
    let keys =
        p.split("%{").skip(1).filter_map(|k| k.split('}').next()).map(|k| {
            k.split(':').nth(1).unwrap_or(k).trim_start_matches(['+', '?']).trim_end_matches("->").to_string()
        });
    // GROK also takes regex named groups: (?<name>...) and (?P<name>...).
    let groups = p
        .split("(?<")
        .skip(1)
        .chain(p.split("(?P<").skip(1))
        .filter_map(|g| g.split('>').next())
        .filter(|g| !g.is_empty() && !g.starts_with(['=', '!']))
        .map(str::to_string);
    keys.chain(groups).collect()
}

/// Top-level ECS field sets: a field under one of them should be an ECS field.
const ECS_SETS: &[&str] = &[
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

fn unknown_field(q: &Query, e: &Expr, out: &mut Vec<Finding>) {
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

/// EVAL columns that nothing reads and that a later KEEP or STATS drops.
fn unused_eval(q: &Query, out: &mut Vec<Finding>) {
    for (k, c) in q.commands.iter().enumerate() {
        let CommandKind::Eval(fields) = &c.kind else { continue };
        for f in fields {
            let Some(name) = &f.name else { continue };
            let later = &q.commands[k + 1..];
            let used = later.iter().flat_map(exprs).any(|e| {
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
                };
                out.push(Finding { id: "unused-eval", diagnostic: d });
            }
        }
    }
}

/// True when the first later command that decides `name`'s fate removes it: a KEEP that
/// does not name it, a DROP that does, or a STATS.
fn dropped_later(later: &[crate::syntax::Command], name: &str) -> bool {
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

/// Drops findings silenced by `// esql-lint: allow <id>` on their line.
pub fn unsilenced(findings: Vec<Finding>, src: &str) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| {
            let Some((start, _)) = f.diagnostic.span else { return true };
            let line = Location::of(src, start).line_text;
            !line.split("esql-lint: allow").skip(1).any(|rest| rest.split_whitespace().next() == Some(f.id))
        })
        .collect()
}

/// Renders findings with their ids.
pub fn render(findings: &[Finding], src: &str) -> String {
    findings.iter().map(|f| format!("warning[{}]: {}", f.id, f.diagnostic.render(src))).collect::<Vec<_>>().join("\n")
}

/// The ECS field nearest to `name` (a likely typo), if one is within two edits.
fn closest_ecs(name: &str) -> Option<&'static str> {
    crate::io::catalog::ecs::names()
        .map(|k| (crate::syntax::edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// Fields referenced by a command's expressions.
fn references(c: &Command) -> Vec<&Expr> {
    let mut out = Vec::new();
    for e in exprs(c) {
        walk(e, &mut |x| {
            if matches!(x.kind, ExprKind::Field(_)) {
                out.push(x);
            }
        });
    }
    out
}

/// After `KEEP a, b` (no wildcards) only those columns and ones created later exist; after
/// `DROP x`, x is gone until something creates it again.
fn dropped_column(q: &Query, out: &mut Vec<Finding>) {
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

/// The `lookback` lint for a detection rule TOML: Kibana runs the rule every `interval`
/// over `[now - from, now]` (the schedule is read by [`query_file::schedule`]).
///
/// [`query_file::schedule`]: crate::authoring::query_file::schedule
pub fn schedule_findings(toml_text: &str) -> Vec<String> {
    let Ok(Some(s)) = crate::authoring::query_file::schedule(toml_text) else { return vec![] };
    let Some(every) = s.every else { return vec![] };
    let (f, i, from, interval) = (s.lookback.minutes(), every.minutes(), &s.from, &s.interval);
    if f > i + 5 {
        vec![format!("warning[lookback]: from = \"{from}\" looks back {f} minutes but the rule runs every {interval}: each event is seen by about {} runs, so the same activity can alert repeatedly\n  = hint: set from to the interval plus a few minutes of lag, or rely on alert suppression", f / i.max(1))]
    } else if f < i {
        vec![format!("warning[lookback]: from = \"{from}\" is shorter than the interval {interval}: events between runs are never seen\n  = hint: make from at least as long as the interval")]
    } else {
        vec![]
    }
}
