//! Kibana's KQL, parsed into a [`Query`]: `field: value`, quoted phrases, wildcards, `*`
//! (exists), `field: (a or b)`, ranges (`<`, `<=`, `>`, `>=`), `and`/`or`/`not` in any case,
//! parentheses, and values with no field (every field). As Elasticsearch compiles KQL: an
//! unquoted value is a `match`, a quoted one a `match_phrase`, one with `*` a `wildcard`.

use super::{Cursor, Query, Test};

/// A KQL syntax error at a byte offset of the KQL text.
pub type KqlError = super::TextError;

/// Parses KQL; field names stay as written (`*` stands for every field).
pub fn parse(text: &str) -> Result<Query<String>, KqlError> {
    let mut p = Parser::new(text, ());
    p.skip_ws();
    if p.at == text.len() {
        return Ok(Query::All);
    }
    let q = p.or(None)?;
    p.skip_ws();
    if p.at < text.len() {
        return Err(p.error("expected AND, OR, NOT or the end of the query"));
    }
    Ok(q)
}

type Parser<'s> = Cursor<'s>;

const SPECIAL: &[char] = &['\\', '(', ')', ':', '<', '>', '"', '{', '}'];

impl Parser<'_> {
    /// The keyword `kw` (any case) as a whole word next.
    fn keyword(&mut self, kw: &str) -> bool {
        self.skip_ws();
        let t = self.rest();
        // Bytes first: `kw` is ASCII, so a match ends on a character boundary (slicing the
        // text at `kw.len()` before knowing that panicked on `ü`).
        let ok = t.len() >= kw.len()
            && t.as_bytes()[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
            && t[kw.len()..].chars().next().is_none_or(|c| c.is_whitespace() || c == '(' || c == '"');
        if ok {
            self.at += kw.len();
        }
        ok
    }

    fn symbol(&mut self, sym: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(sym) {
            self.at += sym.len();
            true
        } else {
            false
        }
    }

    /// `a or b ...`; `field` set inside `field: (...)`, where operands are values.
    fn or(&mut self, field: Option<&str>) -> Result<Query<String>, KqlError> {
        let mut parts = vec![self.and(field)?];
        while self.keyword("or") {
            parts.push(self.and(field)?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Query::Or(parts) })
    }

    fn and(&mut self, field: Option<&str>) -> Result<Query<String>, KqlError> {
        let mut parts = vec![self.not(field)?];
        while self.keyword("and") {
            parts.push(self.not(field)?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Query::And(parts) })
    }

    fn not(&mut self, field: Option<&str>) -> Result<Query<String>, KqlError> {
        if self.keyword("not") {
            return Ok(Query::Not(Box::new(self.not(field)?)));
        }
        if self.symbol("(") {
            let q = self.or(field)?;
            if !self.symbol(")") {
                return Err(self.error("expected )"));
            }
            return Ok(q);
        }
        match field {
            Some(f) => self.value(f),
            None => self.expression(),
        }
    }

    /// `field: values`, `field < value`, or a value for every field.
    fn expression(&mut self) -> Result<Query<String>, KqlError> {
        self.skip_ws();
        let start = self.at;
        let name = self.field_name();
        if !name.is_empty() {
            for (op, lower, inclusive) in
                [("<=", false, true), (">=", true, true), ("<", false, false), (">", true, false)]
            {
                if self.symbol(op) {
                    let (v, _) = self.literal()?;
                    let bound = Some((v, inclusive));
                    let test = if lower {
                        Test::Range { lower: bound, upper: None }
                    } else {
                        Test::Range { lower: None, upper: bound }
                    };
                    return Ok(Query::Leaf(vec![name], test));
                }
            }
            if self.symbol(":") {
                self.skip_ws();
                if self.symbol("{") {
                    // `user: { name: a and id: 1 }`: the inner fields are under `user`, read
                    // from the flattened values (not tied to one object of an array).
                    let inner = self.or(None)?;
                    if !self.symbol("}") {
                        return Err(self.error("expected }"));
                    }
                    return Ok(inner.map_fields(&mut |f: String| vec![format!("{name}.{f}")]));
                }
                if self.symbol("(") {
                    let q = self.or(Some(&name))?;
                    if !self.symbol(")") {
                        return Err(self.error("expected )"));
                    }
                    return Ok(q);
                }
                return self.value(&name);
            }
        }
        self.at = start;
        self.value("*")
    }

    /// A field name: the text before `:`, `<` or `>`, when one follows.
    fn field_name(&mut self) -> String {
        let t = self.rest();
        let end = t.find(|c: char| c.is_whitespace() || SPECIAL.contains(&c)).unwrap_or(t.len());
        let after = t[end..].trim_start();
        if end > 0 && after.starts_with([':', '<', '>']) {
            let name = t[..end].to_string();
            self.at += end;
            name
        } else {
            String::new()
        }
    }

    /// One value for `field`: a phrase, a wildcard, `*`, or words.
    fn value(&mut self, field: &str) -> Result<Query<String>, KqlError> {
        let (text, quoted) = self.literal()?;
        let leaf = |t| Query::Leaf(vec![field.to_string()], t);
        Ok(match (quoted, text.as_str()) {
            (true, _) => leaf(Test::Phrase(text)),
            (false, "\u{0}") => leaf(Test::Exists),
            (false, t) if t.contains('\u{0}') => leaf(Test::Wildcard(t.replace('\u{0}', "*"))),
            (false, _) => leaf(Test::Match { text, all: false }),
        })
    }

    /// A quoted string, or unquoted words up to a keyword, `)` or the end. An unescaped `*`
    /// of an unquoted value comes back as NUL (a wildcard); `\*` is a plain star.
    fn literal(&mut self) -> Result<(String, bool), KqlError> {
        self.skip_ws();
        if self.symbol("\"") {
            let Some((out, used)) = super::quoted_text(self.rest()) else {
                return Err(self.error("unterminated quoted string"));
            };
            self.at += used;
            return Ok((out, true));
        }
        let mut words: Vec<String> = Vec::new();
        loop {
            self.skip_ws();
            let save = self.at;
            if ["and", "or", "not"].iter().any(|k| self.keyword(k)) {
                self.at = save;
                break;
            }
            let word = self.word();
            if word.is_empty() {
                break;
            }
            words.push(word);
        }
        if words.is_empty() {
            return Err(self.error("expected a value"));
        }
        Ok((words.join(" "), false))
    }

    fn word(&mut self) -> String {
        let (out, used) = super::bare_term(self.rest(), SPECIAL, false);
        self.at += used;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(f: &str, t: Test) -> Query<String> {
        Query::Leaf(vec![f.to_string()], t)
    }

    fn m(f: &str, text: &str) -> Query<String> {
        leaf(f, Test::Match { text: text.into(), all: false })
    }

    #[test]
    fn kql_parses_as_kibana_writes_it() {
        assert_eq!(parse("author: Faulkner"), Ok(m("author", "Faulkner")));
        assert_eq!(
            parse("title:Return* AND author:*Tolkien"),
            Ok(Query::And(vec![
                leaf("title", Test::Wildcard("Return*".into())),
                leaf("author", Test::Wildcard("*Tolkien".into()))
            ]))
        );
        assert_eq!(
            parse(r#"process.name:(curl or "curl.exe") and not event.action:fork"#),
            Ok(Query::And(vec![
                Query::Or(vec![m("process.name", "curl"), leaf("process.name", Test::Phrase("curl.exe".into()))]),
                Query::Not(Box::new(m("event.action", "fork"))),
            ]))
        );
        assert_eq!(parse("job_positions: Tech Lead"), Ok(m("job_positions", "Tech Lead")));
        assert_eq!(parse("user.name: *"), Ok(leaf("user.name", Test::Exists)));
        assert_eq!(
            parse(r#"verbs:("*" or get)"#),
            Ok(Query::Or(vec![leaf("verbs", Test::Phrase("*".into())), m("verbs", "get")]))
        );
        assert_eq!(
            parse("year > 1 AND year <= 2005"),
            Ok(Query::And(vec![
                leaf("year", Test::Range { lower: Some(("1".into(), false)), upper: None }),
                leaf("year", Test::Range { lower: None, upper: Some(("2005".into(), true)) }),
            ]))
        );
        assert_eq!(parse("Faulkner"), Ok(m("*", "Faulkner")));
        assert_eq!(parse(r#"path: C\:\\Windows"#), Ok(m("path", r"C:\Windows")));
        assert_eq!(parse(""), Ok(Query::All));
        assert_eq!(parse("a:(b").map_err(|e| e.message), Err("expected )".to_string()));
        assert_eq!(
            parse("user: { name: alice and id: 1 }"),
            Ok(Query::And(vec![m("user.name", "alice"), m("user.id", "1")]))
        );
        assert_eq!(parse("a: \"b").map_err(|e| e.at), Err(4));
    }
}
