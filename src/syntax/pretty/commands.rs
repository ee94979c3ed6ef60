//! Each command as a layout document.

use super::doc::Doc;
use super::{Printer, INDENT};
use crate::syntax::ast::*;
use crate::syntax::Precedence as P;

impl Printer<'_> {
    /// A command without its `| `.
    pub(super) fn command(&mut self, c: &Command) -> Doc {
        use CommandKind::*;
        let doc = match &c.kind {
            From(a) => self.from("FROM", a),
            Ts(a) => self.from("TS", a),
            Row(fields) => self.fields("ROW", fields),
            Eval(fields) => self.fields("EVAL", fields),
            Show(n) => Doc::Concat(vec![self.kw("SHOW"), Doc::text(" "), self.kw(&n.name)]),
            Where(e) => self.word_then("WHERE", e),
            Limit(e) => self.word_then("LIMIT", e),
            Sample(e) => self.word_then("SAMPLE", e),
            Keep(ps) | Drop(ps) => {
                let word = if matches!(c.kind, Keep(_)) { "KEEP" } else { "DROP" };
                let parts =
                    ps.iter().map(|p| (self.lead(p.span.start as usize, false), self.verbatim(p.span, p))).collect();
                self.listed(word, parts)
            }
            Rename(rs) => {
                let parts = rs.iter().map(|r| (self.lead(r.span.start as usize, false), self.rename(r))).collect();
                self.listed("RENAME", parts)
            }
            Sort(items) => {
                let parts =
                    items.iter().map(|i| (self.lead(i.span.start as usize, false), self.sort_item(i))).collect();
                self.listed("SORT", parts)
            }
            Stats(s) => self.stats("STATS", s),
            InlineStats(s) => self.stats("INLINE STATS", s),
            Dissect(d) => self.dissect(d),
            Grok(g) => {
                let input = self.expr(&g.input, P::Primary);
                let patterns = Doc::nest(INDENT, Doc::Concat(vec![Doc::Line, self.args(&g.patterns)]));
                Doc::group(Doc::Concat(vec![self.kw("GROK"), Doc::text(" "), input, patterns]))
            }
            MvExpand(n) => Doc::Concat(vec![self.kw("MV_EXPAND"), Doc::text(" "), self.verbatim(n.span, n)]),
            Enrich(e) => self.enrich(e),
            Join(j) => self.join(j),
            Completion(c) => self.completion(c),
            Fork(branches) => self.fork(branches),
            ChangePoint(cp) => self.change_point(cp),
        };
        // Comments inside the command stay inside it.
        let inner = self.lead(c.span.end as usize, false);
        if inner.is_empty() {
            doc
        } else {
            Doc::Concat(vec![doc, Doc::nest(INDENT, Doc::Concat(inner))])
        }
    }

    /// `WORD expr`, the expression's breaks indented under the word.
    fn word_then(&mut self, word: &str, e: &Expr) -> Doc {
        let body = self.expr(e, P::Or);
        let body = if Self::hangs(e) { Doc::nest(INDENT, body) } else { body };
        Doc::group(Doc::Concat(vec![self.kw(word), Doc::text(" "), body]))
    }

    /// `WORD a, b, c` flat, or the items one per line under the word.
    fn listed(&mut self, word: &str, parts: Vec<(Vec<Doc>, Doc)>) -> Doc {
        Doc::group(Doc::Concat(vec![self.kw(word), Self::block(parts, Doc::Line, INDENT)]))
    }

    fn from(&mut self, word: &str, a: &FromArgs) -> Doc {
        let mut parts: Vec<(Vec<Doc>, Doc)> =
            a.indices.iter().map(|i| (self.lead(i.span.start as usize, false), self.verbatim(i.span, i))).collect();
        if !a.metadata.is_empty() {
            let names: Vec<Doc> = a.metadata.iter().map(|m| self.verbatim(m.span, m)).collect();
            let mut meta = vec![self.kw("METADATA"), Doc::text(" ")];
            for (k, n) in names.into_iter().enumerate() {
                if k > 0 {
                    meta.push(Doc::text(", "));
                }
                meta.push(n);
            }
            if let Some((_, last)) = parts.last_mut() {
                *last = Doc::Concat(vec![last.clone(), Doc::Line, Doc::Concat(meta)]);
            }
        }
        self.listed(word, parts)
    }

    /// EVAL and ROW: `[name =] expr, ...`.
    fn fields(&mut self, word: &str, fields: &[Field]) -> Doc {
        let parts = fields.iter().map(|f| (self.lead(f.span.start as usize, false), self.field(f))).collect();
        self.listed(word, parts)
    }

    /// `name = expr`, or an unnamed expression as written (its text names the column).
    pub(super) fn field(&mut self, f: &Field) -> Doc {
        match &f.name {
            None => self.verbatim(f.expr.span, &f.expr),
            Some(n) => {
                let name = self.verbatim(n.span, n);
                let value = self.expr(&f.expr, P::Or);
                let value = if Self::hangs(&f.expr) { Doc::nest(INDENT, value) } else { value };
                // After a long name, the value starts on the next line.
                Doc::group(Doc::Concat(vec![name, Doc::text(" ="), Doc::hang(" ", value, INDENT)]))
            }
        }
    }

    fn stats(&mut self, word: &str, s: &Stats) -> Doc {
        let aggs: Vec<(Vec<Doc>, Doc)> =
            s.aggs.iter().map(|a| (self.lead(a.span.start as usize, false), self.agg(a))).collect();
        let mut docs = vec![self.kw(word)];
        if !aggs.is_empty() {
            docs.push(Self::block(aggs, Doc::Line, INDENT));
        }
        if !s.by.is_empty() {
            let by: Vec<(Vec<Doc>, Doc)> =
                s.by.iter().map(|f| (self.lead(f.span.start as usize, false), self.field(f))).collect();
            // BY stands two columns in on a line of its own; its keys line up after it.
            let keys = Doc::group(Self::block(by, Doc::text(" "), 3));
            let line = if s.aggs.is_empty() { Doc::text(" ") } else { Doc::Line };
            docs.push(Doc::nest(2, Doc::Concat(vec![line, self.kw("BY"), keys])));
        }
        Doc::group(Doc::Concat(docs))
    }

    fn agg(&mut self, a: &AggField) -> Doc {
        let field = self.field(&a.field);
        match &a.filter {
            None => field,
            Some(w) => {
                let cond = self.expr(w, P::Or);
                Doc::group(Doc::Concat(vec![
                    field,
                    Doc::nest(INDENT, Doc::Concat(vec![Doc::Line, self.kw("WHERE"), Doc::text(" "), cond])),
                ]))
            }
        }
    }

    fn rename(&mut self, r: &Rename) -> Doc {
        let (old, new) = (self.verbatim(r.old.span, &r.old), self.verbatim(r.new.span, &r.new));
        if r.assign_form.0 {
            Doc::Concat(vec![new, Doc::text(" = "), old])
        } else {
            Doc::Concat(vec![old, Doc::text(" "), self.kw("AS"), Doc::text(" "), new])
        }
    }

    fn sort_item(&mut self, i: &SortItem) -> Doc {
        let mut docs = vec![self.expr(&i.expr, P::Or)];
        if let Some(d) = i.descending {
            docs.extend([Doc::text(" "), self.kw(if d { "DESC" } else { "ASC" })]);
        }
        if let Some(first) = i.nulls_first {
            docs.extend([Doc::text(" "), self.kw(if first { "NULLS FIRST" } else { "NULLS LAST" })]);
        }
        Doc::Concat(docs)
    }

    fn dissect(&mut self, d: &Dissect) -> Doc {
        let mut docs = vec![self.kw("DISSECT"), Doc::text(" "), self.expr(&d.input, P::Primary)];
        docs.extend([Doc::Line, self.expr(&d.pattern, P::Primary)]);
        for (k, (name, value)) in d.options.iter().enumerate() {
            docs.push(if k == 0 { Doc::Line } else { Doc::text(", ") });
            docs.extend([self.verbatim(name.span, name), Doc::text(" = "), self.expr(value, P::Primary)]);
        }
        Doc::group(Doc::nest(INDENT, Doc::Concat(docs)))
    }

    fn enrich(&mut self, e: &Enrich) -> Doc {
        let mut docs = vec![self.kw("ENRICH"), Doc::text(" "), Doc::text(crate::syntax::display::policy_text(e))];
        if let Some(on) = &e.on {
            docs.extend([Doc::Line, self.kw("ON"), Doc::text(" "), self.verbatim(on.span, on)]);
        }
        for (k, w) in e.with.iter().enumerate() {
            if k == 0 {
                docs.extend([Doc::Line, self.kw("WITH"), Doc::text(" ")]);
            } else {
                docs.extend([Doc::text(","), Doc::Line]);
            }
            if let Some(n) = &w.new_name {
                docs.extend([self.verbatim(n.span, n), Doc::text(" = ")]);
            }
            docs.push(self.verbatim(w.field.span, &w.field));
        }
        Doc::group(Doc::nest(INDENT, Doc::Concat(docs)))
    }

    fn join(&mut self, j: &Join) -> Doc {
        let index = self.verbatim(j.index.span, &j.index);
        let on = self.args(&j.on);
        Doc::group(Doc::Concat(vec![
            self.kw(&j.kind),
            Doc::text(" "),
            self.kw("JOIN"),
            Doc::text(" "),
            index,
            Doc::nest(INDENT, Doc::Concat(vec![Doc::Line, self.kw("ON"), Doc::text(" "), on])),
        ]))
    }

    fn completion(&mut self, c: &Completion) -> Doc {
        let mut docs = vec![self.kw("COMPLETION"), Doc::text(" ")];
        if let Some(t) = &c.target {
            docs.extend([self.verbatim(t.span, t), Doc::text(" = ")]);
        }
        docs.push(self.expr(&c.prompt, P::Primary));
        if let Some(w) = &c.with {
            docs.extend([Doc::Line, self.kw("WITH"), Doc::text(" "), self.expr(w, P::Unary)]);
        }
        Doc::group(Doc::nest(INDENT, Doc::Concat(docs)))
    }

    /// `FORK (a | b) (c)`, or each branch on a line of its own, its commands one per line.
    fn fork(&mut self, branches: &[Vec<Command>]) -> Doc {
        let mut docs = vec![self.kw("FORK")];
        for b in branches {
            let mut inner = Vec::new();
            for (k, c) in b.iter().enumerate() {
                inner.extend(self.lead(c.span.start as usize, false));
                if k > 0 {
                    inner.extend([Doc::Line, Doc::text("| ")]);
                }
                inner.push(self.command(c));
            }
            let branch = Doc::Concat(vec![Doc::text("("), Doc::nest(1, Doc::Concat(inner)), Doc::text(")")]);
            docs.extend([Doc::Line, Doc::group(branch)]);
        }
        Doc::group(Doc::nest(INDENT, Doc::Concat(docs)))
    }

    fn change_point(&mut self, c: &ChangePoint) -> Doc {
        let mut docs = vec![self.kw("CHANGE_POINT"), Doc::text(" "), self.verbatim(c.value.span, &c.value)];
        if let Some(k) = &c.key {
            docs.extend([Doc::Line, self.kw("ON"), Doc::text(" "), self.verbatim(k.span, k)]);
        }
        if let Some((a, b)) = &c.output {
            let (a, b) = (self.verbatim(a.span, a), self.verbatim(b.span, b));
            docs.extend([Doc::Line, self.kw("AS"), Doc::text(" "), a, Doc::text(", "), b]);
        }
        Doc::group(Doc::nest(INDENT, Doc::Concat(docs)))
    }
}
