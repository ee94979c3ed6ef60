//! GROK and DISSECT: named fields extracted from text.
//!
//! A GROK pattern is expanded as Elasticsearch's `Grok.toRegex` does: each `%{NAME}` or
//! `%{NAME:field[:type]}` is replaced, leftmost first, by its definition from the built-in
//! bank (`library.rs`: the ECS v1 patterns ES|QL uses), as a capture when it names a field.
//! The result is an Oniguruma (joni) regex; `fancy-regex` runs it, after the few spellings
//! that differ are translated (see [`joni_to_rust`]). It matches anywhere in the text.

mod dissect;
mod java;
pub mod library;
mod memo;
mod relaxed;
mod taking;
pub use memo::Memo;

pub use dissect::Dissect;
pub use java::JavaCapture;

use crate::types::{EsType, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A compiled GROK pattern.
#[derive(Clone, Debug)]
pub struct Grok {
    regex: fancy_regex::Regex,
    /// The same regex without lookarounds, which decides most texts faster (see
    /// [`relaxed`]); none when the pattern needs the backtracker.
    relaxed: Option<Box<relaxed::Relaxed>>,
    /// The text every match starts with, when the pattern has one (see [`literal_prefix`]):
    /// the regex then starts at its first occurrence, not at every position before it.
    prefix: Option<Box<memchr::memmem::Finder<'static>>>,
    /// Output fields in order, with their types.
    pub fields: Vec<(String, EsType)>,
    /// Capture group name → field index.
    groups: Vec<(String, usize)>,
    /// The expanded pattern in joni's syntax, its groups named as in `groups`.
    joni: String,
}

/// The match memory a GROK pattern may need per thread (an estimate: see `compile`).
const MAX_CAPTURE_BYTES: u64 = 96 << 20;

/// A pattern as an error message quotes it: machine-written ones run to many kilobytes.
fn shorten(pattern: &str) -> String {
    match pattern.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &pattern[..at]),
        None => pattern.to_string(),
    }
}

/// A capture's type as Elasticsearch reads it (`GrokCaptureType.fromString`): unknown names
/// are strings.
fn capture_type(t: Option<&str>) -> EsType {
    match t {
        Some("int") => EsType::Integer,
        Some("long") => EsType::Long,
        Some("float" | "double") => EsType::Double,
        Some("boolean") => EsType::Boolean,
        _ => EsType::Keyword,
    }
}

/// `%{NAME}`, `%{NAME:sub}`, `%{NAME=definition}` as Elasticsearch's grok finds them.
fn reference() -> Option<&'static regex::Regex> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"%\{(?P<name>(?P<pattern>[A-z0-9]+)(?::(?P<subname>[[:alnum:]@\[\]_:.-]+))?)(?:=(?P<definition>(?:[^{}]+|\.+)+)+)?\}",
        )
        .ok()
    })
    .as_ref()
}

impl Grok {
    /// Compiles GROK's patterns; several are tried in order (`(?:p1)|(?:p2)`), as
    /// Elasticsearch's `Grok.combinePatterns` joins them.
    pub fn compile_all(patterns: &[String]) -> Result<Grok, String> {
        for p in patterns {
            Grok::compile(p)?;
        }
        match patterns {
            [one] => Grok::compile(one),
            _ => Grok::compile(&patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|")),
        }
    }

    /// Compiles a grok expression.
    pub fn compile(pattern: &str) -> Result<Grok, String> {
        let invalid = |e: &dyn std::fmt::Display| format!("Invalid GROK pattern [{}]: [{e}]", shorten(pattern));
        let expanded = expand(pattern).map_err(|e| invalid(&e))?;
        let prefix = literal_prefix(pattern).map(|p| Box::new(memchr::memmem::Finder::new(p.as_bytes()).into_owned()));
        let regex = fancy_regex::Regex::new("").map_err(|e| e.to_string())?;
        let mut g = Grok { regex, relaxed: None, prefix, fields: vec![], groups: vec![], joni: String::new() };
        let body = g.name_groups(&expanded).map_err(|e| match e {
            GroupError::Types(name) => format!(
                "Invalid GROK pattern [{}]: the attribute [{name}] is defined multiple times with different types",
                shorten(pattern)
            ),
            GroupError::Syntax(m) => invalid(&m),
        })?;
        // The regex engine keeps, per thread, a slot per capture for every state of the
        // pattern: memory grows with captures times pattern size (20,000 captures asked
        // for 44 GB). Refuse what would need more than the budget, before compiling.
        let slots = 16 * (g.groups.len() as u64 + 1) * body.len() as u64;
        if slots > MAX_CAPTURE_BYTES {
            return Err(format!(
                "Invalid GROK pattern [{}]: {} captures over a {}-byte expression would take about {} MB per thread to \
                 match (at most {} MB); split it into several GROK or DISSECT commands",
                shorten(pattern),
                g.groups.len(),
                body.len(),
                slots >> 20,
                MAX_CAPTURE_BYTES >> 20
            ));
        }
        let rust = joni_to_rust(&body);
        g.joni = body;
        g.regex = fancy_regex::Regex::new(&rust).map_err(|e| invalid(&e))?;
        g.relaxed = relaxed::Relaxed::new(&rust, g.groups.iter().map(|(name, _)| name.as_str())).map(Box::new);
        if let (Some(r), Some(_)) = (&mut g.relaxed, &g.prefix) {
            r.anchor();
        }
        Ok(g)
    }

    /// Replaces every named group `(?<NAME:field:type>` or `(?<field>` by a numbered one,
    /// recording the field (`GrokCaptureConfig`: the second `:` part names it, a third
    /// types it).
    fn name_groups(&mut self, regex: &str) -> Result<String, GroupError> {
        let mut out = String::with_capacity(regex.len());
        let mut rest = regex;
        while let Some(at) = rest.find("(?") {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            if tail.starts_with("(?P") {
                return Err(GroupError::Syntax("undefined group option".into()));
            }
            let Some(named) = tail.strip_prefix("(?<").filter(|t| !t.starts_with(['=', '!'])) else {
                out.push_str("(?");
                rest = &tail[2..];
                continue;
            };
            let end = named.find('>').ok_or_else(|| GroupError::Syntax("invalid group name <>".into()))?;
            let parts: Vec<&str> = named[..end].split(':').collect();
            let name = if parts.len() >= 2 { parts[1] } else { parts[0] };
            let ty = if parts.len() == 3 { capture_type(Some(parts[2])) } else { EsType::Keyword };
            let group = self.field(name, ty)?;
            out.push_str(&format!("(?P<{group}>"));
            rest = &named[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn field(&mut self, name: &str, ty: EsType) -> Result<String, GroupError> {
        let idx = match self.fields.iter().position(|(n, _)| n == name) {
            Some(i) if self.fields[i].1 != ty => return Err(GroupError::Types(name.to_string())),
            Some(i) => i,
            None => {
                self.fields.push((name.to_string(), ty));
                self.fields.len() - 1
            }
        };
        let group = format!("g{}", self.groups.len());
        self.groups.push((group.clone(), idx));
        Ok(group)
    }

    /// The values of each field (in `fields` order) when the text matches.
    pub fn extract(&self, text: &str) -> Option<Vec<Vec<Value<'static>>>> {
        self.extract_with(text, &mut Memo::default())
    }

    /// [`Self::extract`], remembering captures in `memo` for the texts that follow.
    pub fn extract_with(&self, text: &str, memo: &mut Memo) -> Option<Vec<Vec<Value<'static>>>> {
        // No match can start before the prefix's first occurrence, nor exist without one.
        let start = match &self.prefix {
            Some(p) => p.find(text.as_bytes())?,
            None => 0,
        };
        if let Some(r) = &self.relaxed {
            // No match without the lookarounds is no match with them.
            let groups = r.captures(text, start, self.prefix.as_deref(), memo)?;
            if r.holds(text, &groups) {
                return Some(self.values(|k, _| r.reported(k).and_then(|g| groups[g].clone()).map(|m| &text[m])));
            }
        }
        let caps = self.regex.captures_from_pos(text, start).ok()??;
        Some(self.values(|_, name| caps.name(name).map(|m| m.as_str())))
    }

    /// Each field's values from the text of the capture groups.
    /// `group` gets each group's position in `groups` and its name.
    fn values<'t>(&self, group: impl Fn(usize, &str) -> Option<&'t str>) -> Vec<Vec<Value<'static>>> {
        let mut out = vec![Vec::new(); self.fields.len()];
        for (k, (name, field)) in self.groups.iter().enumerate() {
            if let Some(v) = group(k, name).and_then(|s| typed(s, self.fields[*field].1)) {
                out[*field].push(v);
            }
        }
        out
    }
}

/// The literal text a GROK pattern starts with: its characters up to the first regex syntax
/// or `%{` (without the last one when a quantifier follows it). None when the pattern holds
/// an alternation, which could start a match with something else.
fn literal_prefix(pattern: &str) -> Option<String> {
    if pattern.contains('|') {
        return None;
    }
    let end = pattern.find(|c: char| "\\.()[]{}*+?|^$%".contains(c)).unwrap_or(pattern.len());
    let mut prefix = &pattern[..end];
    if pattern[end..].starts_with(['?', '*', '+', '{']) {
        prefix = prefix.char_indices().last().map_or("", |(i, _)| &prefix[..i]);
    }
    (!prefix.is_empty()).then(|| prefix.to_string())
}

enum GroupError {
    /// One attribute with two types.
    Types(String),
    /// The regex is malformed.
    Syntax(String),
}

/// `Grok.toRegex`: the leftmost reference is replaced by its definition (a named group when
/// it names a field), and the search starts again at that point, so definitions expand in
/// turn.
fn expand(pattern: &str) -> Result<String, String> {
    let re = reference().ok_or("the grok reference pattern does not compile")?;
    let bank = library::bank();
    let mut done = String::new();
    let mut todo = pattern.to_string();
    // A definition refers to others at most a few levels deep; the bank has no cycles.
    for _ in 0..100_000 {
        let Some(c) = re.captures(&todo) else {
            done.push_str(&todo);
            return Ok(done);
        };
        let (whole, name) = (c.get(0).map_or(0..0, |m| m.range()), &c["pattern"]);
        let def =
            bank.get(name).ok_or_else(|| format!("Unable to find pattern [{name}] in Grok's pattern dictionary"))?;
        if def.contains(&format!("%{{{name}}}")) || def.contains(&format!("%{{{name}:")) {
            return Err(format!("circular reference in pattern back [{name}]"));
        }
        let part = match c.name("subname") {
            Some(_) => format!("(?<{}>{def})", &c["name"]),
            None => format!("(?:{def})"),
        };
        done.push_str(&todo[..whole.start]);
        todo = format!("{part}{}", &todo[whole.end..]);
    }
    Err("grok patterns nest too deeply".into())
}

/// The spellings where Oniguruma's Ruby syntax (joni, as Elasticsearch runs grok) and Rust's
/// differ: `^`/`$` are line anchors, `(?m)` lets `.` match a newline (Rust's `(?s)`), `\h` is
/// a hex digit, and `\d`, `\w`, `\s` and their negations are ASCII classes (joni's Ruby
/// syntax carries `Option.ASCII_RANGE`; Rust's are Unicode, and their automata many times
/// larger). Written as nested classes, they also hold inside brackets.
fn joni_to_rust(regex: &str) -> String {
    let mut out = String::with_capacity(regex.len() + 8);
    out.push_str("(?m)");
    let mut chars = regex.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'h')) => out.push_str("[0-9A-Fa-f]"),
                Some((_, c @ ('d' | 'D' | 'w' | 'W' | 's' | 'S'))) => out.push_str(ascii_class(c)),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '(' if regex[at..].starts_with("(?m)") => {
                out.push_str("(?s)");
                for _ in 0..3 {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Joni's ASCII-range `\d`, `\w`, `\s` (and `\D`, `\W`, `\S`) as classes.
fn ascii_class(c: char) -> &'static str {
    match c {
        'd' => "[0-9]",
        'D' => "[^0-9]",
        'w' => "[0-9A-Za-z_]",
        'W' => "[^0-9A-Za-z_]",
        's' => "[\\t\\n\\x0B\\x0C\\r\\x20]",
        _ => "[^\\t\\n\\x0B\\x0C\\r\\x20]",
    }
}

fn typed(s: &str, ty: EsType) -> Option<Value<'static>> {
    Some(match ty {
        EsType::Integer => Value::Int(s.parse().ok()?),
        EsType::Long => Value::Long(s.parse().ok()?),
        EsType::Double => Value::Double(s.parse().ok()?),
        EsType::Boolean => Value::Bool(s.eq_ignore_ascii_case("true")),
        _ => Value::Str(Cow::Owned(s.to_string())),
    })
}

#[cfg(test)]
mod tests;

/// A GROK or DISSECT pattern, as a plan step holds it.
#[derive(Clone, Debug)]
pub enum Extractor {
    /// `GROK input "pattern"` (boxed: a compiled pattern is large beside the other steps).
    Grok(Box<Grok>),
    /// `DISSECT input "pattern"`.
    Dissect(Dissect),
}

impl Extractor {
    /// The fields it produces, in order.
    pub fn fields(&self) -> &[(String, EsType)] {
        match self {
            Extractor::Grok(g) => &g.fields,
            Extractor::Dissect(d) => &d.fields,
        }
    }

    /// Each field's values for `text`, or `None` when the pattern does not match; `memo`
    /// serves the texts of one batch (see [`Memo`]).
    pub fn extract(&self, text: &str, memo: &mut Memo) -> Option<Vec<Vec<Value<'static>>>> {
        match self {
            Extractor::Grok(g) => g.extract_with(text, memo),
            Extractor::Dissect(d) => d.extract(text),
        }
    }
}
