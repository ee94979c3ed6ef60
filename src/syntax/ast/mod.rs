//! The ES|QL syntax tree. Every node carries the byte span it was parsed from; equality
//! ignores spans (see [`Span`]), so two trees are equal when they mean the same query.

mod expr;
mod names;

pub use super::operator::{BinaryOp, UnaryOp};
pub use expr::{Expr, ExprKind, Literal, Param};
use std::fmt;

/// Byte offsets `[start, end)` into the query text.
///
/// Two spans always compare equal: a span records where a node came from, not what it
/// means, and round-trip tests compare meaning (sqlparser's `AttachedToken` rule).
#[derive(Clone, Copy, Default, Eq)]
pub struct Span {
    /// First byte of the node.
    pub start: u32,
    /// One past the last byte of the node.
    pub end: u32,
}

impl Span {
    /// A span over `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// The text this span covers, if it lies inside `src`.
    pub fn text(self, src: &str) -> &str {
        src.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A whole query: optional `SET` statements, then a pipe of commands.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// `SET name = value;` statements before the source command.
    pub settings: Vec<Setting>,
    /// The source command followed by processing commands.
    pub commands: Vec<Command>,
    /// The whole query text, settings included.
    pub span: Span,
}

/// `SET name = value;`
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The setting's name.
    pub name: Name,
    /// Its value (a constant).
    pub value: Expr,
    /// The statement without its `;`.
    pub span: Span,
}

/// A name as written in a query, flattened: `source.ip`, `` `source`.`ip` `` and
/// `` `source.ip` `` are all the name `source.ip`.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// The flat dotted name (a parameter's text, `??field`, until it is bound).
    pub name: String,
    /// Where it was written.
    pub span: Span,
    /// Written as a parameter (`?name`, `??name`) that an identifier value replaces.
    pub param: Option<Param>,
}

/// A KEEP/DROP/ENRICH name pattern: text pieces and `*` wildcards.
#[derive(Clone, Debug, PartialEq)]
pub struct NamePattern {
    /// The pieces in order; adjacent text pieces are merged.
    pub parts: Vec<PatternPart>,
    /// Where it was written.
    pub span: Span,
}

/// One piece of a [`NamePattern`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternPart {
    /// Literal text (a `*` inside back-quotes is literal).
    Text(String),
    /// An unquoted `*`: any string, dots included.
    Star,
    /// A parameter (`??pattern`) that an identifier or pattern value replaces.
    Param(Param),
}

impl NamePattern {
    /// True when the pattern holds at least one wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.parts.contains(&PatternPart::Star)
    }

    /// The pattern as a plain name when it has no wildcard.
    pub fn as_name(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                PatternPart::Text(t) => out.push_str(t),
                PatternPart::Star | PatternPart::Param(_) => return None,
            }
        }
        Some(out)
    }

    /// True when `name` matches the pattern (`*` matches any text, dots included).
    pub fn matches(&self, name: &str) -> bool {
        // The texts between the stars; back-to-back texts join.
        let mut pieces: Vec<std::borrow::Cow<'_, str>> = vec![std::borrow::Cow::Borrowed("")];
        for p in &self.parts {
            match p {
                // An unbound parameter matches nothing.
                PatternPart::Param(_) => return false,
                PatternPart::Star => pieces.push(std::borrow::Cow::Borrowed("")),
                PatternPart::Text(t) => match pieces.last_mut() {
                    Some(last) if last.is_empty() => *last = std::borrow::Cow::Borrowed(t.as_str()),
                    Some(last) => last.to_mut().push_str(t),
                    None => pieces.push(std::borrow::Cow::Borrowed(t.as_str())),
                },
            }
        }
        let pieces: Vec<&str> = pieces.iter().map(|p| p.as_ref()).collect();
        crate::wildcard::matches_pieces(&pieces, name)
    }
}

/// One command of the pipe with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// What the command is.
    pub kind: CommandKind,
    /// From the command keyword to its last token.
    pub span: Span,
}

impl Command {
    /// The expressions written in this command, in order (FORK branches are queries of
    /// their own): the one walk the linter and the tests share.
    pub fn exprs(&self) -> Vec<&Expr> {
        match &self.kind {
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

    /// The names of the columns this command makes (EVAL, ROW, STATS, RENAME targets,
    /// DISSECT and GROK keys, ENRICH's WITH, CHANGE_POINT's two, FORK's `_fork` and its
    /// branches' own, COMPLETION's target), as opposed to those it passes on.
    pub fn created(&self) -> Vec<String> {
        let named = |fs: &[Field]| fs.iter().filter_map(|f| f.name.as_ref().map(|n| n.name.clone())).collect();
        match &self.kind {
            CommandKind::Eval(fs) | CommandKind::Row(fs) => named(fs),
            CommandKind::Stats(s) | CommandKind::InlineStats(s) => {
                let aggs = s.aggs.iter().filter_map(|a| a.field.name.as_ref().map(|n| n.name.clone()));
                aggs.chain(named(&s.by)).collect()
            }
            CommandKind::Rename(rs) => rs.iter().map(|r| r.new.name.clone()).collect(),
            CommandKind::Dissect(d) => pattern_keys(&d.pattern),
            CommandKind::Grok(g) => g.patterns.iter().flat_map(pattern_keys).collect(),
            CommandKind::Enrich(e) => {
                e.with.iter().map(|w| w.new_name.as_ref().unwrap_or(&w.field).to_string()).collect()
            }
            CommandKind::ChangePoint(c) => match &c.output {
                Some((a, b)) => vec![a.name.clone(), b.name.clone()],
                None => vec!["type".into(), "pvalue".into()],
            },
            CommandKind::Fork(branches) => {
                let inner = branches.iter().flatten().flat_map(Command::created);
                std::iter::once("_fork".to_string()).chain(inner).collect()
            }
            CommandKind::Completion(c) => vec![c.target.as_ref().map_or("completion".into(), |t| t.name.clone())],
            _ => vec![],
        }
    }
}

/// The keys a DISSECT or GROK pattern literal names: `%{key}`, `%{PATTERN:key}` and GROK's
/// regex groups `(?<key>...)`, `(?P<key>...)`.
pub fn pattern_keys(e: &Expr) -> Vec<String> {
    let ExprKind::Literal(Literal::String(p)) = &e.kind else { return vec![] };
    let keys =
        p.split("%{").skip(1).filter_map(|k| k.split('}').next()).map(|k| {
            k.split(':').nth(1).unwrap_or(k).trim_start_matches(['+', '?']).trim_end_matches("->").to_string()
        });
    let groups = p
        .split("(?<")
        .skip(1)
        .chain(p.split("(?P<").skip(1))
        .filter_map(|g| g.split('>').next())
        .filter(|g| !g.is_empty() && !g.starts_with(['=', '!']))
        .map(str::to_string);
    keys.chain(groups).collect()
}

/// Every ES|QL command we parse.
#[derive(Clone, Debug, PartialEq)]
pub enum CommandKind {
    /// `FROM idx, other-* METADATA _id`
    From(FromArgs),
    /// `TS idx` (time-series FROM)
    Ts(FromArgs),
    /// `ROW a = 1, b = "x"`
    Row(Vec<Field>),
    /// `SHOW INFO`
    Show(Name),
    /// `WHERE cond`
    Where(Expr),
    /// `EVAL [name =] expr, ...`
    Eval(Vec<Field>),
    /// `KEEP pattern, ...`
    Keep(Vec<NamePattern>),
    /// `DROP pattern, ...`
    Drop(Vec<NamePattern>),
    /// `RENAME old AS new, ...` or `RENAME new = old, ...`
    Rename(Vec<Rename>),
    /// `SORT expr [ASC|DESC] [NULLS FIRST|LAST], ...`
    Sort(Vec<SortItem>),
    /// `LIMIT n`
    Limit(Expr),
    /// `STATS [aggs] [BY groups]`
    Stats(Stats),
    /// `INLINE STATS [aggs] [BY groups]` (also spelled `INLINESTATS`)
    InlineStats(Stats),
    /// `DISSECT input "pattern" [APPEND_SEPARATOR = "sep"]`
    Dissect(Dissect),
    /// `GROK input "pattern" [, "pattern" ...]`
    Grok(Grok),
    /// `MV_EXPAND field`
    MvExpand(Name),
    /// `ENRICH [mode:]policy [ON field] [WITH [new =] field, ...]`
    Enrich(Enrich),
    /// `LOOKUP JOIN index ON key, ...` (and `LEFT JOIN` / `RIGHT JOIN`)
    Join(Join),
    /// `COMPLETION [target =] prompt WITH options`
    Completion(Completion),
    /// `FORK (cmds) (cmds) ...`
    Fork(Vec<Vec<Command>>),
    /// `CHANGE_POINT value [ON key] [AS type_name, pvalue_name]`
    ChangePoint(ChangePoint),
    /// `SAMPLE probability`
    Sample(Expr),
}

/// The index list of FROM/TS.
#[derive(Clone, Debug, PartialEq)]
pub struct FromArgs {
    /// Index patterns in order.
    pub indices: Vec<IndexPattern>,
    /// `METADATA` fields.
    pub metadata: Vec<Name>,
}

/// `[cluster:]index[::selector]`; index may be quoted.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexPattern {
    /// Remote cluster name, if any.
    pub cluster: Option<String>,
    /// The index name or pattern, taken literally (may start with `-` or hold `*`).
    pub index: String,
    /// `::data` / `::failures`.
    pub selector: Option<String>,
    /// Where it was written.
    pub span: Span,
}

/// `[name =] expr`, as in EVAL, ROW and BY.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The explicit name, if one was given.
    pub name: Option<Name>,
    /// The value.
    pub expr: Expr,
    /// From the name (or expression) to the end of the expression.
    pub span: Span,
}

/// One STATS aggregate: `[name =] expr [WHERE cond]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AggField {
    /// The aggregate expression, possibly named.
    pub field: Field,
    /// The per-aggregate filter.
    pub filter: Option<Expr>,
    /// The whole item.
    pub span: Span,
}

/// `STATS aggs BY groups`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// Aggregates in order.
    pub aggs: Vec<AggField>,
    /// Grouping keys in order.
    pub by: Vec<Field>,
}

/// `old AS new` (or `new = old`).
#[derive(Clone, Debug, PartialEq)]
pub struct Rename {
    /// The column renamed.
    pub old: Name,
    /// Its new name.
    pub new: Name,
    /// Which spelling was used; both mean the same, so equality ignores it.
    pub assign_form: SpellingFlag,
    /// The whole clause.
    pub span: Span,
}

/// A spelling choice that does not change meaning: always compares equal.
#[derive(Clone, Copy, Debug, Default, Eq)]
pub struct SpellingFlag(pub bool);

impl PartialEq for SpellingFlag {
    fn eq(&self, _: &SpellingFlag) -> bool {
        true
    }
}

/// `expr [ASC|DESC] [NULLS FIRST|LAST]`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortItem {
    /// The sort key.
    pub expr: Expr,
    /// `Some(true)` for DESC, `Some(false)` for explicit ASC.
    pub descending: Option<bool>,
    /// `Some(true)` for NULLS FIRST, `Some(false)` for NULLS LAST.
    pub nulls_first: Option<bool>,
    /// The whole item.
    pub span: Span,
}

/// `DISSECT input "pattern" [opt = value, ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dissect {
    /// The text to split.
    pub input: Expr,
    /// The dissect pattern.
    pub pattern: Expr,
    /// Options such as `APPEND_SEPARATOR = "-"`.
    pub options: Vec<(Name, Expr)>,
}

/// `GROK input "pattern" [, "pattern" ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Grok {
    /// The text to match.
    pub input: Expr,
    /// The grok patterns.
    pub patterns: Vec<Expr>,
}

/// `ENRICH [mode:]policy [ON field] [WITH ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Enrich {
    /// The policy name, mode prefix included (`_any:languages_policy`).
    pub policy: String,
    /// The match field.
    pub on: Option<NamePattern>,
    /// `[new =] enrich_field` pairs.
    pub with: Vec<EnrichWith>,
}

impl Enrich {
    /// The policy's name without the mode prefix (`_any:`, `_coordinator:`, `_remote:`).
    pub fn policy_name(&self) -> &str {
        self.policy.split_once(':').map_or(self.policy.as_str(), |(_, n)| n)
    }
}

/// One `[new =] field` clause of ENRICH ... WITH.
#[derive(Clone, Debug, PartialEq)]
pub struct EnrichWith {
    /// The output column name.
    pub new_name: Option<NamePattern>,
    /// The enrich field.
    pub field: NamePattern,
}

/// `LOOKUP JOIN index ON cond, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// `LOOKUP`, `LEFT` or `RIGHT`, upper-cased.
    pub kind: String,
    /// The lookup index.
    pub index: IndexPattern,
    /// Join keys (field names) or conditions.
    pub on: Vec<Expr>,
}

/// `COMPLETION [target =] prompt WITH options`.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    /// The output column.
    pub target: Option<Name>,
    /// The prompt expression.
    pub prompt: Expr,
    /// The `WITH` options (a map literal or an inference id).
    pub with: Option<Expr>,
}

/// `CHANGE_POINT value [ON key] [AS type, pvalue]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangePoint {
    /// The metric column.
    pub value: Name,
    /// The ordering key.
    pub key: Option<Name>,
    /// Output column names for the change type and p-value.
    pub output: Option<(Name, Name)>,
}
