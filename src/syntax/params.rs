//! Query parameters (`?`, `?1`, `?name`, `??name`) bound into a parsed query, as
//! Elasticsearch binds the `params` of a request: a value becomes a literal; an identifier
//! (`??name`, or `?name` given as `{"identifier": ...}`) becomes a column name wherever a
//! name may stand (EVAL targets, KEEP, RENAME, BY, expressions); a pattern (`{"pattern":
//! "a*"}`) a KEEP or DROP pattern. Anonymous `?` take the positional values in order.

use super::ast::*;
use super::error::SyntaxError;

/// What a parameter stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A constant.
    Value(Literal),
    /// A column name.
    Identifier(String),
    /// A column name pattern (`*` wildcards).
    Pattern(String),
}

/// The parameters of one query: named, and by position (`?1` is the first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// `?name` and `??name`.
    pub named: Vec<(String, ParamValue)>,
    /// `?1`, `??1` and, in order, `?`.
    pub positional: Vec<ParamValue>,
}

impl Params {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty() && self.positional.is_empty()
    }

    /// Sets `?name`, replacing a value it had.
    pub fn set(&mut self, name: &str, value: ParamValue) {
        self.named.retain(|(n, _)| n != name);
        self.named.push((name.to_string(), value));
    }

    /// These parameters with `over`'s in their place where both name one (the positional
    /// ones all replaced when `over` has any).
    pub fn overlay(&self, over: &Params) -> Params {
        let mut out = self.clone();
        over.named.iter().for_each(|(n, v)| out.set(n, v.clone()));
        if !over.positional.is_empty() {
            out.positional = over.positional.clone();
        }
        out
    }
}

/// Binds every parameter of `q`; the first one without a value is the error.
pub fn bind(q: &mut Query, params: &Params) -> Result<(), SyntaxError> {
    let mut b = Binder { params, next: 0 };
    for s in &mut q.settings {
        b.expr(&mut s.value)?;
    }
    b.commands(&mut q.commands)
}

struct Binder<'p> {
    params: &'p Params,
    /// The position the next anonymous `?` takes.
    next: usize,
}

impl Binder<'_> {
    fn commands(&mut self, commands: &mut [Command]) -> Result<(), SyntaxError> {
        commands.iter_mut().try_for_each(|c| self.command(c))
    }

    fn command(&mut self, c: &mut Command) -> Result<(), SyntaxError> {
        match &mut c.kind {
            CommandKind::Where(e) | CommandKind::Limit(e) | CommandKind::Sample(e) => self.expr(e),
            CommandKind::Eval(fs) | CommandKind::Row(fs) => fs.iter_mut().try_for_each(|f| self.field(f)),
            CommandKind::Keep(ps) | CommandKind::Drop(ps) => ps.iter_mut().try_for_each(|p| self.pattern(p)),
            CommandKind::Rename(rs) => rs.iter_mut().try_for_each(|r| {
                self.name(&mut r.old)?;
                self.name(&mut r.new)
            }),
            CommandKind::Sort(items) => items.iter_mut().try_for_each(|i| self.expr(&mut i.expr)),
            CommandKind::Stats(s) | CommandKind::InlineStats(s) => {
                for a in &mut s.aggs {
                    self.field(&mut a.field)?;
                    if let Some(f) = &mut a.filter {
                        self.expr(f)?;
                    }
                }
                s.by.iter_mut().try_for_each(|f| self.field(f))
            }
            CommandKind::Dissect(d) => {
                self.expr(&mut d.input)?;
                self.expr(&mut d.pattern)
            }
            CommandKind::Grok(g) => {
                self.expr(&mut g.input)?;
                g.patterns.iter_mut().try_for_each(|p| self.expr(p))
            }
            CommandKind::MvExpand(n) => self.name(n),
            CommandKind::Enrich(e) => {
                if let Some(on) = &mut e.on {
                    self.pattern(on)?;
                }
                Ok(())
            }
            CommandKind::Join(j) => j.on.iter_mut().try_for_each(|e| self.expr(e)),
            CommandKind::Completion(c) => self.expr(&mut c.prompt),
            CommandKind::Fork(branches) => branches.iter_mut().try_for_each(|b| self.commands(b)),
            CommandKind::ChangePoint(cp) => {
                self.name(&mut cp.value)?;
                if let Some(k) = &mut cp.key {
                    self.name(k)?;
                }
                Ok(())
            }
            CommandKind::From(_) | CommandKind::Ts(_) | CommandKind::Show(_) => Ok(()),
        }
    }

    fn field(&mut self, f: &mut Field) -> Result<(), SyntaxError> {
        if let Some(n) = &mut f.name {
            self.name(n)?;
        }
        self.expr(&mut f.expr)
    }

    fn expr(&mut self, e: &mut Expr) -> Result<(), SyntaxError> {
        if let ExprKind::Param(p) = &e.kind {
            let p = p.clone();
            e.kind = match self.value(&p, e.span)? {
                ParamValue::Value(lit) => ExprKind::Literal(lit),
                ParamValue::Identifier(name) => ExprKind::Field(name),
                ParamValue::Pattern(_) => {
                    return Err(error(e.span, format!("Query parameter [{p}] is a pattern, not a value")))
                }
            };
            return Ok(());
        }
        match &mut e.kind {
            ExprKind::Unary(_, a) | ExprKind::Cast(a, _) => self.expr(a),
            ExprKind::Binary(_, a, b) => {
                self.expr(a)?;
                self.expr(b)
            }
            ExprKind::In { expr, list, .. } => {
                self.expr(expr)?;
                list.iter_mut().try_for_each(|x| self.expr(x))
            }
            ExprKind::Like { expr, patterns, .. } => {
                self.expr(expr)?;
                patterns.iter_mut().try_for_each(|x| self.expr(x))
            }
            ExprKind::IsNull { expr, .. } => self.expr(expr),
            ExprKind::Match { field, query } => {
                self.expr(field)?;
                self.expr(query)
            }
            ExprKind::Call { args, .. } => args.iter_mut().try_for_each(|x| self.expr(x)),
            ExprKind::Map(entries) => entries.iter_mut().try_for_each(|(_, x)| self.expr(x)),
            ExprKind::Literal(_) | ExprKind::Field(_) | ExprKind::Param(_) => Ok(()),
        }
    }

    /// A name written as a parameter takes an identifier.
    fn name(&mut self, n: &mut Name) -> Result<(), SyntaxError> {
        let Some(p) = n.param.take() else { return Ok(()) };
        match self.value(&p, n.span)? {
            ParamValue::Identifier(name) => {
                n.name = name;
                Ok(())
            }
            _ => Err(error(n.span, format!("Query parameter [{p}] must be an identifier here"))),
        }
    }

    /// A pattern written as a parameter takes an identifier or a pattern.
    fn pattern(&mut self, pat: &mut NamePattern) -> Result<(), SyntaxError> {
        let [PatternPart::Param(p)] = pat.parts.as_slice() else { return Ok(()) };
        let p = p.clone();
        let text = match self.value(&p, pat.span)? {
            ParamValue::Identifier(name) => {
                pat.parts = vec![PatternPart::Text(name)];
                return Ok(());
            }
            ParamValue::Pattern(text) => text,
            ParamValue::Value(_) => {
                return Err(error(pat.span, format!("Query parameter [{p}] must be an identifier or a pattern here")))
            }
        };
        let mut parts = Vec::new();
        for (k, piece) in text.split('*').enumerate() {
            if k > 0 {
                parts.push(PatternPart::Star);
            }
            if !piece.is_empty() {
                parts.push(PatternPart::Text(piece.to_string()));
            }
        }
        pat.parts = parts;
        Ok(())
    }

    /// The value of `p`; a `??` parameter given a plain string is an identifier.
    fn value(&mut self, p: &Param, at: Span) -> Result<ParamValue, SyntaxError> {
        let positional = |n: usize, this: &Self| {
            this.params.positional.get(n.wrapping_sub(1)).cloned().ok_or_else(|| {
                let have = this.params.positional.len();
                let hint = if have == 0 {
                    "no positional parameters are given".to_string()
                } else {
                    format!("did you mean any position between 1 and {have}?")
                };
                error(at, format!("No parameter is defined for position {n}, {hint}"))
            })
        };
        let v = match p {
            Param::Anonymous => {
                self.next += 1;
                positional(self.next, self)?
            }
            Param::Positional(n) | Param::DoublePositional(n) => positional(*n as usize, self)?,
            Param::Named(name) | Param::DoubleNamed(name) => match self.params.named.iter().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone(),
                None => return Err(error(at, format!("Unknown query parameter [{name}]"))),
            },
        };
        Ok(match (p, v) {
            (Param::DoubleNamed(_) | Param::DoublePositional(_), ParamValue::Value(Literal::String(s))) => {
                ParamValue::Identifier(s)
            }
            (_, v) => v,
        })
    }
}

fn error(span: Span, message: String) -> SyntaxError {
    SyntaxError { span, message, hint: None }
}
