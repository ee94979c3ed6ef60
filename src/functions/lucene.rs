//! RLIKE and LIKE patterns as Elasticsearch reads them: Lucene's `RegExp` (with all its
//! operators and the deprecated complement, as ES|QL's `RLikePattern` builds it) and
//! Lucene's wildcards. Both match the whole string.
//!
//! A Lucene regex is parsed as Lucene parses it, then written as a Rust regex: `.` is any
//! character (newlines too), `@` any string, `#` nothing, `"..."` a literal, `<1-5>` a
//! number in a range, and a `*`, `+`, `?` or `{` with nothing to repeat is a plain
//! character. Complement (`~`) and intersection (`&`) have no Rust regex form; they are
//! run as a boolean combination of regexes where they stand at the top of the pattern (or
//! of its `|` branches and their complements), and refused deeper inside.

use regex::Regex;

/// A compiled pattern: regexes combined by the top-level `|`, `&` and `~`.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// A regex that must match the whole string.
    Regex(Regex),
    /// A LIKE pattern of text and `*` only, and its regex (for the SQL translation).
    Glob(super::glob::Glob, Regex),
    /// Complement.
    Not(Box<Matcher>),
    /// Intersection.
    All(Vec<Matcher>),
    /// Union.
    Any(Vec<Matcher>),
}

/// Two matchers are equal when they are built of the same regexes (by their text).
impl PartialEq for Matcher {
    fn eq(&self, other: &Matcher) -> bool {
        match (self, other) {
            (Matcher::Regex(a), Matcher::Regex(b)) | (Matcher::Glob(_, a), Matcher::Glob(_, b)) => {
                a.as_str() == b.as_str()
            }
            (Matcher::Not(a), Matcher::Not(b)) => a == b,
            (Matcher::All(a), Matcher::All(b)) | (Matcher::Any(a), Matcher::Any(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Matcher {}

impl Matcher {
    /// Whether the whole of `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Matcher::Regex(r) => r.is_match(s),
            Matcher::Glob(g, _) => g.is_match(s),
            Matcher::Not(m) => !m.is_match(s),
            Matcher::All(ms) => ms.iter().all(|m| m.is_match(s)),
            Matcher::Any(ms) => ms.iter().any(|m| m.is_match(s)),
        }
    }

    /// Any of several patterns (the `RLIKE (...)` and `LIKE (...)` lists).
    pub fn any(mut matchers: Vec<Matcher>) -> Matcher {
        if matchers.len() == 1 {
            matchers.remove(0)
        } else {
            Matcher::Any(matchers)
        }
    }
}

/// A LIKE pattern: `*` any string, `?` one character, `\` escapes the next character.
/// Without `?`, also the text between the `*`s, for a substring search (see `glob`).
pub fn wildcard(pattern: &str) -> Result<Matcher, String> {
    let mut out = String::new();
    let mut pieces = Some(vec![String::new()]);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let literal = match c {
            '*' => {
                out.push_str("(?s:.*)");
                if let Some(p) = pieces.as_mut() {
                    p.push(String::new());
                }
                continue;
            }
            '?' => {
                out.push_str("(?s:.)");
                pieces = None;
                continue;
            }
            '\\' => chars.next().unwrap_or('\\'),
            c => c,
        };
        out.push_str(&regex::escape(literal.encode_utf8(&mut [0; 4])));
        if let Some(piece) = pieces.as_mut().and_then(|p| p.last_mut()) {
            piece.push(literal);
        }
    }
    let regex = whole(&out)?;
    Ok(match pieces {
        Some(pieces) => Matcher::Glob(super::glob::Glob::new(pieces), regex),
        None => Matcher::Regex(regex),
    })
}

/// An RLIKE pattern, in Lucene's regular-expression syntax.
pub fn regexp(pattern: &str) -> Result<Matcher, String> {
    // Lucene's RegExp reads an empty pattern as the empty string (a parse would fail).
    if pattern.is_empty() {
        return whole("").map(Matcher::Regex);
    }
    let mut p = Parser { chars: pattern.chars().collect(), at: 0 };
    let node = p.union()?;
    if p.at < p.chars.len() {
        return Err(format!("end-of-string expected at position {}", p.at));
    }
    matcher(&node)
}

/// Whether a LIKE pattern matches every string (only `*`s), or an RLIKE pattern does (`.*`,
/// `@`, `(.*)+`, a union with one): Elasticsearch's `StringPattern.matchesAll`, for which it
/// plans `x IS NOT NULL` instead of the match (`ReplaceRegexMatch`).
pub fn matches_all(pattern: &str, regex: bool) -> bool {
    if !regex {
        return !pattern.is_empty() && pattern.chars().all(|c| c == '*');
    }
    let mut p = Parser { chars: pattern.chars().collect(), at: 0 };
    matches!(p.union(), Ok(n) if p.at == p.chars.len() && total(&n))
}

fn total(n: &Node) -> bool {
    match n {
        Node::Atom(a) => a == "(?s:.*)",
        Node::Repeat(x, 0, None) => total(x) || matches!(&**x, Node::Atom(a) if a == "(?s:.)"),
        Node::Repeat(x, ..) => total(x),
        Node::Concat(xs) => !xs.is_empty() && xs.iter().all(total),
        Node::Union(a, b) => total(a) || total(b),
        Node::Inter(..) | Node::Compl(_) => false,
    }
}

fn whole(body: &str) -> Result<Regex, String> {
    Regex::new(&format!(r"\A(?:{body})\z")).map_err(|e| e.to_string())
}

/// The parse tree of a Lucene regex.
#[derive(Debug)]
enum Node {
    /// A piece of Rust regex that stands alone (a character, a class, a literal, `.`).
    Atom(String),
    Concat(Vec<Node>),
    Union(Box<Node>, Box<Node>),
    Inter(Box<Node>, Box<Node>),
    Compl(Box<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

fn matcher(n: &Node) -> Result<Matcher, String> {
    match n {
        Node::Union(a, b) if has_bool(n) => Ok(Matcher::Any(vec![matcher(a)?, matcher(b)?])),
        Node::Inter(a, b) => Ok(Matcher::All(vec![matcher(a)?, matcher(b)?])),
        Node::Compl(x) => Ok(Matcher::Not(Box::new(matcher(x)?))),
        _ if has_bool(n) => {
            Err("complement (~) and intersection (&) are supported only at the top of a pattern".to_string())
        }
        _ => whole(&render(n)).map(Matcher::Regex),
    }
}

fn has_bool(n: &Node) -> bool {
    match n {
        Node::Inter(..) | Node::Compl(_) => true,
        Node::Atom(_) => false,
        Node::Concat(xs) => xs.iter().any(has_bool),
        Node::Union(a, b) => has_bool(a) || has_bool(b),
        Node::Repeat(x, ..) => has_bool(x),
    }
}

fn render(n: &Node) -> String {
    match n {
        Node::Atom(s) => s.clone(),
        Node::Concat(xs) => xs.iter().map(render).collect(),
        Node::Union(a, b) => format!("(?:{}|{})", render(a), render(b)),
        Node::Repeat(x, min, max) => {
            let q = match (min, max) {
                (0, None) => "*".to_string(),
                (1, None) => "+".to_string(),
                (0, Some(1)) => "?".to_string(),
                (n, None) => format!("{{{n},}}"),
                (n, Some(m)) if n == m => format!("{{{n}}}"),
                (n, Some(m)) => format!("{{{n},{m}}}"),
            };
            format!("(?:{}){q}", render(x))
        }
        // Only reached inside a piece `matcher` refused.
        Node::Inter(..) | Node::Compl(_) => String::new(),
    }
}

/// A character as a Rust regex (inside or outside a class).
fn lit(c: char) -> String {
    format!("\\x{{{:X}}}", c as u32)
}

/// Lucene's shorthand classes (`\d`, `\s`, `\w` and their negations).
fn shorthand(c: char) -> Option<&'static str> {
    Some(match c {
        'd' => "[0-9]",
        'D' => "[^0-9]",
        's' => r"[ \t\n\r\x0B\x0C]",
        'S' => r"[^ \t\n\r\x0B\x0C]",
        'w' => "[a-zA-Z0-9_]",
        'W' => "[^a-zA-Z0-9_]",
        _ => return None,
    })
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self, set: &str) -> bool {
        self.chars.get(self.at).is_some_and(|c| set.contains(*c))
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.chars.get(self.at) == Some(&c);
        self.at += usize::from(found);
        found
    }

    fn next(&mut self) -> Result<char, String> {
        let c = *self.chars.get(self.at).ok_or("unexpected end-of-string")?;
        self.at += 1;
        Ok(c)
    }

    fn union(&mut self) -> Result<Node, String> {
        let e = self.inter()?;
        if self.eat('|') {
            return Ok(Node::Union(Box::new(e), Box::new(self.union()?)));
        }
        Ok(e)
    }

    fn inter(&mut self) -> Result<Node, String> {
        let e = self.concat()?;
        if self.eat('&') {
            return Ok(Node::Inter(Box::new(e), Box::new(self.inter()?)));
        }
        Ok(e)
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = vec![self.repeat()?];
        while self.at < self.chars.len() && !self.peek(")|&") {
            items.push(self.repeat()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Node::Concat(items) })
    }

    fn repeat(&mut self) -> Result<Node, String> {
        let mut e = self.complement()?;
        while self.peek("?*+{") {
            let (min, max) = match self.next()? {
                '?' => (0, Some(1)),
                '*' => (0, None),
                '+' => (1, None),
                _ => self.bounds()?,
            };
            e = Node::Repeat(Box::new(e), min, max);
        }
        Ok(e)
    }

    /// `{n}`, `{n,}`, `{n,m}` after the `{`.
    fn bounds(&mut self) -> Result<(u32, Option<u32>), String> {
        let n = self.number()?;
        let max = if self.eat(',') {
            if self.peek("}") {
                None
            } else {
                Some(self.number()?)
            }
        } else {
            Some(n)
        };
        if !self.eat('}') {
            return Err(format!("expected '}}' at position {}", self.at));
        }
        if max.is_some_and(|m| m < n) {
            return Err(format!("invalid repetition {{{n},{}}}", max.unwrap_or(n)));
        }
        Ok((n, max))
    }

    fn number(&mut self) -> Result<u32, String> {
        let start = self.at;
        while self.peek("0123456789") {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        digits.parse().map_err(|_| format!("integer expected at position {start}"))
    }

    fn complement(&mut self) -> Result<Node, String> {
        if self.eat('~') {
            return Ok(Node::Compl(Box::new(self.complement()?)));
        }
        self.class_or_simple()
    }

    fn class_or_simple(&mut self) -> Result<Node, String> {
        if !self.eat('[') {
            return self.simple();
        }
        let negate = self.eat('^');
        let mut body = String::new();
        loop {
            body.push_str(&self.class_item()?);
            if self.at >= self.chars.len() || self.peek("]") {
                break;
            }
        }
        if !self.eat(']') {
            return Err(format!("expected ']' at position {}", self.at));
        }
        Ok(Node::Atom(format!("[{}{body}]", if negate { "^" } else { "" })))
    }

    /// `c`, `c-d` or a shorthand class, inside `[...]`: `[` is a plain character there.
    fn class_item(&mut self) -> Result<String, String> {
        if let Some(class) = self.shorthand() {
            return Ok(class.to_string());
        }
        let c = self.char_exp()?;
        if self.peek("-") && self.chars.get(self.at + 1).is_some_and(|n| *n != ']') {
            self.at += 1;
            let d = self.char_exp()?;
            if d < c {
                return Err(format!("invalid range: from ({c}) cannot be > to ({d})"));
            }
            return Ok(format!("{}-{}", lit(c), lit(d)));
        }
        Ok(lit(c))
    }

    fn shorthand(&mut self) -> Option<&'static str> {
        let class = shorthand(*self.chars.get(self.at + 1)?).filter(|_| self.peek("\\"))?;
        self.at += 2;
        Some(class)
    }

    fn char_exp(&mut self) -> Result<char, String> {
        if self.eat('\\') {
            return self.next();
        }
        self.next()
    }

    fn simple(&mut self) -> Result<Node, String> {
        if let Some(class) = self.shorthand() {
            return Ok(Node::Atom(class.to_string()));
        }
        let atom = match self.chars.get(self.at) {
            Some('.') => "(?s:.)".to_string(),
            Some('#') => "[a&&b]".to_string(),
            Some('@') => "(?s:.*)".to_string(),
            Some('"') => return self.quoted(),
            Some('(') => return self.group(),
            Some('<') => return self.interval(),
            _ => return Ok(Node::Atom(lit(self.char_exp()?))),
        };
        self.at += 1;
        Ok(Node::Atom(atom))
    }

    fn quoted(&mut self) -> Result<Node, String> {
        self.at += 1;
        let start = self.at;
        while self.at < self.chars.len() && !self.peek("\"") {
            self.at += 1;
        }
        if !self.eat('"') {
            return Err("expected '\"'".to_string());
        }
        Ok(Node::Atom(self.chars[start..self.at - 1].iter().map(|c| lit(*c)).collect()))
    }

    fn group(&mut self) -> Result<Node, String> {
        self.at += 1;
        if self.eat(')') {
            return Ok(Node::Atom("(?:)".to_string()));
        }
        let e = self.union()?;
        if !self.eat(')') {
            return Err(format!("expected ')' at position {}", self.at));
        }
        Ok(e)
    }

    /// `<n-m>`: a decimal number in the range (named automata `<name>` do not exist here).
    fn interval(&mut self) -> Result<Node, String> {
        self.at += 1;
        let start = self.at;
        while self.at < self.chars.len() && !self.peek(">") {
            self.at += 1;
        }
        let inside: String = self.chars[start..self.at].iter().collect();
        if !self.eat('>') {
            return Err("expected '>'".to_string());
        }
        let Some((lo, hi)) = inside.split_once('-') else {
            return Err(format!("interval syntax error at position {}", start - 1));
        };
        let (a, b): (u64, u64) = match (lo.parse(), hi.parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => return Err(format!("interval syntax error at position {}", start - 1)),
        };
        let (a, b) = (a.min(b), a.max(b));
        // Equal widths fix the width (zero padded); otherwise any leading zeros.
        let width = (lo.len() == hi.len()).then_some(lo.len());
        Ok(Node::Atom(decimal_range(a, b, width)))
    }
}

/// Decimal numbers from `a` to `b` as a regex: exactly `width` digits (zero padded), or
/// with any number of leading zeros.
fn decimal_range(a: u64, b: u64, width: Option<usize>) -> String {
    if let Some(w) = width {
        return format!("(?:{})", padded(&format!("{a:0w$}"), &format!("{b:0w$}")));
    }
    let digits = |n: u64| n.to_string().len();
    let mut parts = Vec::new();
    for len in digits(a)..=digits(b) {
        let floor = if len == 1 { 0 } else { 10u64.pow(len as u32 - 1) };
        let ceil = 10u64.checked_pow(len as u32).map_or(u64::MAX, |p| p - 1);
        let (lo, hi) = (a.max(floor), b.min(ceil));
        if lo <= hi {
            parts.push(padded(&format!("{lo:0len$}"), &format!("{hi:0len$}")));
        }
    }
    format!("0*(?:{})", parts.join("|"))
}

/// Strings of `lo`'s length from `lo` to `hi` (same length), digit by digit.
fn padded(lo: &str, hi: &str) -> String {
    let (Some(l), Some(h)) = (lo.chars().next(), hi.chars().next()) else { return String::new() };
    let rest = lo.len() - 1;
    if l == h {
        return format!("{l}{}", padded(&lo[1..], &hi[1..]));
    }
    let any = format!("[0-9]{{{rest}}}");
    let mut alts = vec![format!("{l}{}", padded(&lo[1..], &"9".repeat(rest)))];
    let (l1, h1) = ((l as u8 + 1) as char, (h as u8 - 1) as char);
    if l1 <= h1 {
        alts.push(format!("[{l1}-{h1}]{any}"));
    }
    alts.push(format!("{h}{}", padded(&"0".repeat(rest), &hi[1..])));
    format!("(?:{})", alts.join("|"))
}
