//! Lucene's query string syntax (`QSTR(...)`, the DSL's `query_string`) into a [`Query`]:
//! terms and phrases with or without `field:`, wildcards, `AND`/`OR`/`NOT` (upper case) and
//! `&&`/`||`/`!`, `+`/`-`, parentheses and `field:(...)`, ranges `[a TO b]`, `{a TO b}`,
//! `>`/`>=`/`<`/`<=`, and `_exists_:field`. Clauses combine as Lucene's boolean query does:
//! every required one, none of the prohibited, and (when nothing is required) one of the
//! others; the default operator is OR (`default_operator` changes it). Fuzzy terms
//! (`roam~`, `roam~1`), sloppy phrases (`"a b"~2`) and regular expressions (`/jo.n/`) are
//! read; boosts (`^2`) are read and ignored (no scores here).

use super::{Cursor, Edits, Query, Test};

/// What a query string leaves to its options.
#[derive(Clone, Debug)]
pub struct Defaults {
    /// The field of a term without one (`*`: every field).
    pub field: String,
    /// `default_operator: AND`: clauses without an operator are all required.
    pub and: bool,
    /// The edits of a fuzzy term written `~` without a number (`fuzziness`).
    pub fuzziness: Edits,
    /// The slop of a phrase written without `~N` (`phrase_slop`).
    pub phrase_slop: u32,
}

impl Defaults {
    /// Elasticsearch's defaults, terms searching `field`.
    pub fn field(field: &str) -> Defaults {
        Defaults { field: field.to_string(), and: false, fuzziness: Edits::Auto(3, 6), phrase_slop: 0 }
    }
}

/// A query string syntax error at a byte offset.
pub type QstrError = super::TextError;

/// Parses a query string; `default_field` stands for terms without one (`*`: every field).
pub fn parse(text: &str, default_field: &str) -> Result<Query<String>, QstrError> {
    parse_with(text, &Defaults::field(default_field))
}

/// Parses a query string with the defaults its options give.
pub fn parse_with(text: &str, defaults: &Defaults) -> Result<Query<String>, QstrError> {
    let mut p = Parser::new(text, defaults);
    let q = p.clauses(&defaults.field, None)?;
    p.skip_ws();
    if p.at < text.len() {
        return Err(p.error("unexpected )"));
    }
    Ok(q)
}

#[derive(Clone, Copy, PartialEq)]
enum Occur {
    Must,
    Should,
    MustNot,
}

/// The query string parser: a cursor read with the query's defaults.
type Parser<'s> = Cursor<'s, &'s Defaults>;

const SPECIAL: &[char] = &['\\', '(', ')', ':', '"', '[', ']', '{', '}', '^', '~', '/'];

impl Parser<'_> {
    fn eat(&mut self, word: &str) -> bool {
        self.skip_ws();
        let t = self.rest();
        let whole = t.starts_with(word)
            && (!word.chars().all(char::is_alphabetic)
                || t[word.len()..].chars().next().is_none_or(|c| c.is_whitespace() || c == '('));
        if whole {
            self.at += word.len();
        }
        whole
    }

    /// Clauses up to `)` or the end, combined as a boolean query.
    fn clauses(&mut self, field: &str, close: Option<char>) -> Result<Query<String>, QstrError> {
        let mut list: Vec<(Occur, Query<String>)> = Vec::new();
        let mut next: Option<Occur> = None;
        loop {
            self.skip_ws();
            match self.rest().chars().next() {
                None => break,
                Some(c) if Some(c) == close => break,
                Some(')') => break,
                _ => {}
            }
            if self.eat("AND") || self.eat("&&") {
                // `a AND b`: both required.
                if let Some(last) = list.last_mut() {
                    if last.0 == Occur::Should {
                        last.0 = Occur::Must;
                    }
                }
                next = Some(Occur::Must);
                continue;
            }
            if self.eat("OR") || self.eat("||") {
                next = Some(Occur::Should);
                continue;
            }
            let plain = if self.ctx.and { Occur::Must } else { Occur::Should };
            if next.is_none() {
                if let Some(text) = self.multi_term() {
                    let all = self.ctx.and;
                    list.push((plain, Query::Leaf(vec![field.to_string()], Test::Match { text, all })));
                    continue;
                }
            }
            let mut occur = next.take().unwrap_or(plain);
            if self.eat("NOT") || self.eat("!") || self.eat("-") {
                occur = Occur::MustNot;
            } else if self.eat("+") {
                occur = Occur::Must;
            }
            list.push((occur, self.clause(field)?));
        }
        let (mut must, mut should, mut not) = (Vec::new(), Vec::new(), Vec::new());
        for (occur, q) in list {
            match occur {
                Occur::Must => must.push(q),
                Occur::Should => should.push(q),
                Occur::MustNot => not.push(Query::Not(Box::new(q))),
            }
        }
        if must.is_empty() && !should.is_empty() {
            must.push(if should.len() == 1 { should.remove(0) } else { Query::Or(should) });
        }
        must.extend(not);
        Ok(match must.len() {
            0 => Query::All,
            1 => must.remove(0),
            _ => Query::And(must),
        })
    }

    /// One clause: a group, `field:` something, or a term for the default field.
    fn clause(&mut self, field: &str) -> Result<Query<String>, QstrError> {
        self.skip_ws();
        if self.eat("(") {
            let q = self.clauses(field, Some(')'))?;
            if !self.eat(")") {
                return Err(self.error("expected )"));
            }
            self.boost();
            return Ok(q);
        }
        let start = self.at;
        let name = self.term_text();
        if !name.is_empty() && self.rest().starts_with(':') {
            self.at += 1;
            let name = name.replace('\u{0}', "*");
            if name == "_exists_" {
                let f = self.term_text().replace('\u{0}', "*");
                return Ok(Query::Leaf(vec![f], Test::Exists));
            }
            self.skip_ws();
            if self.eat("(") {
                let q = self.clauses(&name, Some(')'))?;
                if !self.eat(")") {
                    return Err(self.error("expected )"));
                }
                return Ok(q);
            }
            return self.value(&name);
        }
        self.at = start;
        self.value(field)
    }

    /// A value for `field`: a phrase, a range, a comparison, a wildcard or a term.
    fn value(&mut self, field: &str) -> Result<Query<String>, QstrError> {
        self.skip_ws();
        let leaf = |t| Query::Leaf(vec![field.to_string()], t);
        if self.rest().starts_with('"') {
            let out = self.quoted()?;
            let slop = match self.tilde() {
                Some(n) => n.map_or(Ok(0), |n| n.parse::<u32>().map_err(|_| self.error("expected a slop")))?,
                None => self.ctx.phrase_slop,
            };
            self.boost();
            return Ok(leaf(if slop == 0 { Test::Phrase(out) } else { Test::Near { text: out, slop } }));
        }
        if self.rest().starts_with('/') {
            return self.regexp().map(leaf);
        }
        if let Some(open) = self.rest().chars().next().filter(|c| *c == '[' || *c == '{') {
            return self.range(field, open == '[').map(leaf);
        }
        for (op, lower, inclusive) in [(">=", true, true), ("<=", false, true), (">", true, false), ("<", false, false)]
        {
            if self.rest().starts_with(op) {
                self.at += op.len();
                let v = self.term_text().replace('\u{0}', "*");
                let bound = Some((v, inclusive));
                return Ok(leaf(if lower {
                    Test::Range { lower: bound, upper: None }
                } else {
                    Test::Range { lower: None, upper: bound }
                }));
            }
        }
        let text = self.term_text();
        if text.is_empty() {
            return Err(self.error("expected a term"));
        }
        if let Some(n) = self.tilde() {
            let edits = match n {
                None => self.ctx.fuzziness,
                Some(n) => Edits::parse(&n).ok_or_else(|| self.error("expected an edit distance"))?,
            };
            self.boost();
            let text = text.replace(['\u{0}', '\u{1}'], "");
            return Ok(leaf(Test::Words { text, min: None, edits }));
        }
        self.boost();
        Ok(match text.as_str() {
            "\u{0}" => leaf(Test::Exists),
            t if t.contains(['\u{0}', '\u{1}']) => leaf(Test::Wildcard(t.replace('\u{0}', "*").replace('\u{1}', "?"))),
            _ => leaf(Test::Match { text, all: false }),
        })
    }

    /// `[a TO b]` (inclusive) or `{a TO b}` (exclusive), each end by its own bracket; `*` is
    /// open.
    fn range(&mut self, _field: &str, low_inclusive: bool) -> Result<Test, QstrError> {
        self.at += 1;
        self.skip_ws();
        let low = self.range_term()?;
        if !self.eat("TO") {
            return Err(self.error("expected TO"));
        }
        self.skip_ws();
        let high = self.range_term()?;
        self.skip_ws();
        let high_inclusive = match self.rest().chars().next() {
            Some(']') => true,
            Some('}') => false,
            _ => return Err(self.error("expected ] or }")),
        };
        self.at += 1;
        let bound = |v: String, inclusive: bool| (v != "*").then_some((v, inclusive));
        Ok(Test::Range { lower: bound(low, low_inclusive), upper: bound(high, high_inclusive) })
    }

    /// A quoted string at the cursor (a phrase, or a range end), its escapes read.
    fn quoted(&mut self) -> Result<String, QstrError> {
        self.at += 1;
        let Some((out, used)) = super::quoted_text(self.rest()) else {
            return Err(self.error("unterminated phrase"));
        };
        self.at += used;
        Ok(out)
    }

    /// One end of a range, as Lucene's range mode reads it: a quoted string, or anything up
    /// to a space or a closing bracket (`2023-10-23T09:56:01` keeps its colons).
    fn range_term(&mut self) -> Result<String, QstrError> {
        if self.rest().starts_with('"') {
            return self.quoted();
        }
        let rest = self.rest();
        let n = rest.find(|c: char| c.is_whitespace() || c == ']' || c == '}').unwrap_or(rest.len());
        self.at += n;
        Ok(rest[..n].to_string())
    }

    /// `~` and the number after it, if any (`None` when there is no `~`).
    fn tilde(&mut self) -> Option<Option<String>> {
        self.rest().strip_prefix('~')?;
        self.at += 1;
        let n = self.rest().chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
        let digits = self.rest()[..n].to_string();
        self.at += n;
        Some((n > 0).then_some(digits))
    }

    /// `/regex/`, `\/` inside it a slash.
    fn regexp(&mut self) -> Result<Test, QstrError> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '/' => {
                    self.at += i + 1;
                    self.boost();
                    return Ok(Test::Regexp(out));
                }
                '\\' => match chars.next() {
                    Some((_, '/')) => out.push('/'),
                    Some((_, e)) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => break,
                },
                c => out.push(c),
            }
        }
        self.at = start;
        Err(self.error("unterminated regular expression"))
    }

    /// `^2` after a clause: read and ignored (no scores here).
    fn boost(&mut self) {
        if self.rest().starts_with('^') {
            self.at += 1;
            let n = self.rest().chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
            self.at += n;
        }
    }

    /// Two or more plain terms in a row with nothing but spaces between (`Tech Lead`):
    /// Elasticsearch's query parser does not split on whitespace, so the field's analyzer
    /// reads them together (a keyword field matches "Tech Lead" whole; a text field any of
    /// its words). `None`, the position unchanged, for anything else.
    fn multi_term(&mut self) -> Option<String> {
        let start = self.at;
        let mut words = Vec::new();
        loop {
            let before = self.at;
            let operator = ["AND", "&&", "OR", "||", "NOT", "!", "-", "+"].iter().any(|w| self.eat(w));
            self.at = before;
            self.skip_ws();
            let word_at = self.at;
            let word = self.term_text();
            let plain = !word.is_empty() && !word.contains(['\u{0}', '\u{1}']);
            // Lucene's `disallowedPostMultiTerm`: a word followed by `:`, `~`, `^`, AND or OR
            // starts a clause of its own.
            let after = self.at;
            let joined = ["AND", "&&", "OR", "||"].iter().any(|w| self.eat(w));
            self.at = after;
            if operator || !plain || joined || self.rest().starts_with([':', '~', '^']) {
                self.at = word_at;
                break;
            }
            words.push(word);
        }
        if words.len() < 2 {
            self.at = start;
            return None;
        }
        Some(words.join(" "))
    }

    /// A bare term; an unescaped `*` comes back as NUL and `?` as U+0001 (wildcards).
    fn term_text(&mut self) -> String {
        let (out, used) = super::bare_term(self.rest(), SPECIAL, true);
        self.at += used;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(f: &str, t: &str) -> Query<String> {
        Query::Leaf(vec![f.into()], Test::Match { text: t.into(), all: false })
    }

    #[test]
    fn lucene_syntax_as_boolean_clauses() {
        assert_eq!(parse("title:lord", "*"), Ok(m("title", "lord")));
        // Not split on whitespace: the field's analyzer reads both words.
        assert_eq!(parse("lord rings", "*"), Ok(m("*", "lord rings")));
        assert_eq!(parse("lord AND rings", "*"), Ok(Query::And(vec![m("*", "lord"), m("*", "rings")])));
        assert_eq!(
            parse("+lord -rings king", "t"),
            Ok(Query::And(vec![m("t", "lord"), Query::Not(Box::new(m("t", "rings")))]))
        );
        assert_eq!(
            parse("author:(tolkien OR lewis) AND NOT title:\"the hobbit\"", "*"),
            Ok(Query::And(vec![
                Query::Or(vec![m("author", "tolkien"), m("author", "lewis")]),
                Query::Not(Box::new(Query::Leaf(vec!["title".into()], Test::Phrase("the hobbit".into())))),
            ]))
        );
        assert_eq!(
            parse("year:[1950 TO *]", "*"),
            Ok(Query::Leaf(vec!["year".into()], Test::Range { lower: Some(("1950".into(), true)), upper: None }))
        );
        assert_eq!(parse("name:jo?n*", "*"), Ok(Query::Leaf(vec!["name".into()], Test::Wildcard("jo?n*".into()))));
        assert_eq!(parse("_exists_:user.name", "*"), Ok(Query::Leaf(vec!["user.name".into()], Test::Exists)));
        assert_eq!(parse("lord^2", "*"), Ok(m("*", "lord")));
        assert!(parse("a:(b", "*").is_err());
        let fuzzy =
            |t: &str, edits| Ok(Query::Leaf(vec!["*".into()], Test::Words { text: t.into(), min: None, edits }));
        assert_eq!(parse("roam~", "*"), fuzzy("roam", Edits::Auto(3, 6)));
        assert_eq!(parse("roam~1", "*"), fuzzy("roam", Edits::Max(1)));
        let near = Test::Near { text: "a b".into(), slop: 2 };
        assert_eq!(parse("\"a b\"~2", "*"), Ok(Query::Leaf(vec!["*".into()], near)));
        assert_eq!(parse("/jo.n\\/x/", "*"), Ok(Query::Leaf(vec!["*".into()], Test::Regexp("jo.n/x".into()))));
        assert!(parse("/open", "*").is_err());
        let and = Defaults { and: true, ..Defaults::field("*") };
        let all = Test::Match { text: "lord rings".into(), all: true };
        assert_eq!(parse_with("lord rings", &and), Ok(Query::Leaf(vec!["*".into()], all)));
        // Operators, fields, wildcards and modifiers end a run of words.
        assert_eq!(parse("a b AND c", "*"), Ok(Query::And(vec![m("*", "b"), m("*", "c")])));
        assert_eq!(parse("a b c OR d", "*"), Ok(Query::Or(vec![m("*", "a b"), m("*", "c"), m("*", "d")])));
        assert_eq!(parse("a b:c", "*"), Ok(Query::Or(vec![m("*", "a"), m("b", "c")])));
        assert_eq!(parse("a b* c", "*").map(|q| matches!(q, Query::Or(v) if v.len() == 3)), Ok(true));
    }
}
