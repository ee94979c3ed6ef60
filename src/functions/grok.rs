//! GROK and DISSECT: named fields extracted from text.
//!
//! GROK patterns expand `%{NAME[:field[:type]]}` from a built-in library (regexes written
//! here after the standard grok definitions; no look-around, which the regex engine lacks)
//! and match anywhere in the text. DISSECT splits on the literal text between `%{key}`s.

use crate::types::{EsType, Value};
use std::borrow::Cow;

/// The built-in grok patterns.
const LIBRARY: &[(&str, &str)] = &[
    ("USERNAME", r"[a-zA-Z0-9._-]+"),
    ("USER", r"%{USERNAME}"),
    ("INT", r"(?:[+-]?(?:[0-9]+))"),
    ("BASE10NUM", r"(?:[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+))"),
    ("NUMBER", r"(?:%{BASE10NUM})"),
    ("BASE16NUM", r"(?:0[xX]?[0-9a-fA-F]+)"),
    ("POSINT", r"\b(?:[1-9][0-9]*)\b"),
    ("NONNEGINT", r"\b(?:[0-9]+)\b"),
    ("WORD", r"\b\w+\b"),
    ("NOTSPACE", r"\S+"),
    ("SPACE", r"\s*"),
    ("DATA", r".*?"),
    ("GREEDYDATA", r".*"),
    ("QUOTEDSTRING", r#"(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"#),
    ("UUID", r"[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}"),
    ("IPV4", r"(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])"),
    (
        "IPV6",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|(?:[0-9A-Fa-f]{1,4}:){0,6}(?::[0-9A-Fa-f]{1,4}){1,6}|::)",
    ),
    ("IP", r"(?:%{IPV4}|%{IPV6})"),
    ("HOSTNAME", r"\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*\.?"),
    ("IPORHOST", r"(?:%{IP}|%{HOSTNAME})"),
    ("HOSTPORT", r"%{IPORHOST}:%{POSINT}"),
    ("EMAILLOCALPART", r"[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~]{1,64}(?:\.[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~]{1,62}){0,63}"),
    ("EMAILADDRESS", r"%{EMAILLOCALPART}@%{HOSTNAME}"),
    ("YEAR", r"(?:\d\d){1,2}"),
    ("MONTHNUM", r"(?:0?[1-9]|1[0-2])"),
    ("MONTHDAY", r"(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])"),
    ("HOUR", r"(?:2[0123]|[01]?[0-9])"),
    ("MINUTE", r"(?:[0-5][0-9])"),
    ("SECOND", r"(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)"),
    ("ISO8601_TIMEZONE", r"(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))"),
    ("TIMESTAMP_ISO8601", r"%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?"),
    (
        "LOGLEVEL",
        r"(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo|INFO|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)",
    ),
];

/// A compiled GROK pattern.
#[derive(Clone, Debug)]
pub struct Grok {
    regex: regex::Regex,
    /// Output fields in order, with their types.
    pub fields: Vec<(String, EsType)>,
    /// Capture group name → field index.
    groups: Vec<(String, usize)>,
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

fn capture_type(t: Option<&str>) -> Result<EsType, String> {
    Ok(match t {
        None => EsType::Keyword,
        Some("int") => EsType::Integer,
        Some("long") => EsType::Long,
        Some("float" | "double") => EsType::Double,
        Some("boolean") => EsType::Boolean,
        Some(other) => return Err(format!("Unsupported type [{other}] in grok pattern")),
    })
}

impl Grok {
    /// Compiles a grok expression.
    pub fn compile(pattern: &str) -> Result<Grok, String> {
        let mut g = Grok { regex: regex::Regex::new("").map_err(|e| e.to_string())?, fields: vec![], groups: vec![] };
        let body = g.expand(pattern, 0)?;
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
        g.regex = regex::Regex::new(&body).map_err(|e| format!("Invalid GROK pattern [{}]: {e}", shorten(pattern)))?;
        Ok(g)
    }

    fn field(&mut self, name: &str, ty: EsType) -> String {
        let idx = match self.fields.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.fields.push((name.to_string(), ty));
                self.fields.len() - 1
            }
        };
        let group = format!("g{}", self.groups.len());
        self.groups.push((group.clone(), idx));
        group
    }

    fn expand(&mut self, pattern: &str, depth: usize) -> Result<String, String> {
        if depth > 20 {
            return Err("grok patterns nest too deeply".into());
        }
        let mut out = String::new();
        let mut rest = pattern;
        while let Some(start) = rest.find("%{").or_else(|| rest.find("(?<")) {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            if let Some(named) = tail.strip_prefix("(?<").filter(|t| !t.starts_with(['=', '!'])) {
                let end = named.find('>').ok_or("unclosed (?<name> group")?;
                let group = self.field(&named[..end], EsType::Keyword);
                out.push_str(&format!("(?P<{group}>"));
                rest = &named[end + 1..];
                continue;
            }
            let end = tail.find('}').ok_or_else(|| format!("unclosed %{{ in grok pattern [{pattern}]"))?;
            let mut parts = tail[2..end].splitn(3, ':');
            let name = parts.next().unwrap_or("");
            let def = LIBRARY
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| format!("Unable to find pattern [{name}] in Grok's pattern dictionary"))?
                .1;
            let inner = self.expand(def, depth + 1)?;
            match parts.next() {
                Some(field) => {
                    let ty = capture_type(parts.next())?;
                    let group = self.field(field, ty);
                    out.push_str(&format!("(?P<{group}>{inner})"));
                }
                None => out.push_str(&format!("(?:{inner})")),
            }
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The values of each field (in `fields` order) when the text matches.
    pub fn extract(&self, text: &str) -> Option<Vec<Vec<Value<'static>>>> {
        let caps = self.regex.captures(text)?;
        let mut out = vec![Vec::new(); self.fields.len()];
        for (group, field) in &self.groups {
            if let Some(m) = caps.name(group) {
                if let Some(v) = typed(m.as_str(), self.fields[*field].1) {
                    out[*field].push(v);
                }
            }
        }
        Some(out)
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

/// One piece of a DISSECT pattern.
#[derive(Clone, Debug)]
enum Piece {
    Literal(String),
    /// A key: output field (None = skipped), append, right padding.
    Key {
        field: Option<usize>,
        append: bool,
        pad: bool,
    },
}

/// A compiled DISSECT pattern.
#[derive(Clone, Debug)]
pub struct Dissect {
    pieces: Vec<Piece>,
    /// Output fields in order (all keyword).
    pub fields: Vec<(String, EsType)>,
    separator: String,
}

impl Dissect {
    /// Compiles a dissect pattern with its append separator.
    pub fn compile(pattern: &str, separator: &str) -> Result<Dissect, String> {
        let mut d = Dissect { pieces: vec![], fields: vec![], separator: separator.to_string() };
        let mut rest = pattern;
        while let Some(start) = rest.find("%{") {
            if start > 0 {
                d.pieces.push(Piece::Literal(rest[..start].to_string()));
            }
            let end = rest[start..].find('}').ok_or_else(|| format!("Unable to parse pattern [{pattern}]"))? + start;
            let mut key = &rest[start + 2..end];
            let pad = key.ends_with("->");
            key = key.trim_end_matches("->");
            let append = key.starts_with('+');
            let skip = key.is_empty() || key.starts_with('?');
            if key.starts_with(['*', '&']) {
                return Err(format!("Reference keys not supported in dissect patterns: [{key}]"));
            }
            let name = key.trim_start_matches(['+', '?']).split('/').next().unwrap_or("");
            let field = if skip {
                None
            } else {
                Some(d.fields.iter().position(|(n, _)| n == name).unwrap_or_else(|| {
                    d.fields.push((name.to_string(), EsType::Keyword));
                    d.fields.len() - 1
                }))
            };
            d.pieces.push(Piece::Key { field, append, pad });
            rest = &rest[end + 1..];
        }
        if !rest.is_empty() {
            d.pieces.push(Piece::Literal(rest.to_string()));
        }
        Ok(d)
    }

    /// The values of each field when the text fits the pattern.
    pub fn extract(&self, text: &str) -> Option<Vec<Vec<Value<'static>>>> {
        let mut values: Vec<Option<String>> = vec![None; self.fields.len()];
        let mut pos = 0;
        let mut k = 0;
        while k < self.pieces.len() {
            match &self.pieces[k] {
                Piece::Literal(l) => {
                    pos += text[pos..].strip_prefix(l.as_str()).map(|_| l.len())?;
                }
                Piece::Key { field, append, pad } => {
                    let (value, next) = match self.pieces.get(k + 1) {
                        Some(Piece::Literal(l)) => {
                            let at = text[pos..].find(l.as_str())? + pos;
                            let mut after = at + l.len();
                            if *pad {
                                while text[after..].starts_with(l.as_str()) {
                                    after += l.len();
                                }
                            }
                            (&text[pos..at], after)
                        }
                        _ => (&text[pos..], text.len()),
                    };
                    if let Some(f) = field {
                        let slot = &mut values[*f];
                        match (slot.as_mut(), *append) {
                            (Some(prev), true) => {
                                prev.push_str(&self.separator);
                                prev.push_str(value);
                            }
                            _ => *slot = Some(value.to_string()),
                        }
                    }
                    pos = next;
                    if matches!(self.pieces.get(k + 1), Some(Piece::Literal(_))) {
                        k += 1;
                    }
                }
            }
            k += 1;
        }
        Some(values.into_iter().map(|v| v.map(|s| vec![Value::Str(Cow::Owned(s))]).unwrap_or_default()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grok_extracts_typed_fields_anywhere() {
        let g = Grok::compile("%{WORD:a} %{NUMBER:n:int}").expect("compile");
        let v = g.extract("xx foo 42 yy").expect("match");
        assert_eq!(v, vec![vec![Value::Str("foo".into())], vec![Value::Int(42)]]);
        assert!(g.extract("nothing").is_none());
    }

    #[test]
    fn dissect_splits_on_delimiters() {
        let d = Dissect::compile("%{a} %{b->} %{+a}", "-").expect("compile");
        assert_eq!(d.fields.len(), 2);
        let v = d.extract("x y  z").expect("match");
        assert_eq!(v, vec![vec![Value::Str("x-z".into())], vec![Value::Str("y".into())]]);
    }
}

/// A GROK or DISSECT pattern, as a plan step holds it.
#[derive(Clone, Debug)]
pub enum Extractor {
    /// `GROK input "pattern"`.
    Grok(Grok),
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

    /// Each field's values for `text`, or `None` when the pattern does not match.
    pub fn extract(&self, text: &str) -> Option<Vec<Vec<Value<'static>>>> {
        match self {
            Extractor::Grok(g) => g.extract(text),
            Extractor::Dissect(d) => d.extract(text),
        }
    }
}
