//! The built-in grok patterns as ES|QL has them: Elasticsearch's ECS v1 bank, rebuilt from the
//! Apache-2.0 Logstash files in `patterns/` (see its README): files read in Elasticsearch's
//! order, Logstash field paths turned into dotted names (rule R), then Elasticsearch's own
//! edits (`patterns/es-edits.tsv`). Built once.

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The pattern files, in the order `GrokBuiltinPatterns.loadEcsPatterns` reads them.
const FILES: &[(&str, &str)] = &[
    ("aws", include_str!("patterns/aws")),
    ("bacula", include_str!("patterns/bacula")),
    ("bind", include_str!("patterns/bind")),
    ("bro", include_str!("patterns/bro")),
    ("exim", include_str!("patterns/exim")),
    ("firewalls", include_str!("patterns/firewalls")),
    ("grok-patterns", include_str!("patterns/grok-patterns")),
    ("haproxy", include_str!("patterns/haproxy")),
    ("httpd", include_str!("patterns/httpd")),
    ("java", include_str!("patterns/java")),
    ("junos", include_str!("patterns/junos")),
    ("linux-syslog", include_str!("patterns/linux-syslog")),
    ("maven", include_str!("patterns/maven")),
    ("mcollective", include_str!("patterns/mcollective")),
    ("mongodb", include_str!("patterns/mongodb")),
    ("nagios", include_str!("patterns/nagios")),
    ("postgresql", include_str!("patterns/postgresql")),
    ("rails", include_str!("patterns/rails")),
    ("redis", include_str!("patterns/redis")),
    ("ruby", include_str!("patterns/ruby")),
    ("squid", include_str!("patterns/squid")),
    ("zeek", include_str!("patterns/zeek")),
];

const EDITS: &str = include_str!("patterns/es-edits.tsv");

/// Name → definition, in load order.
pub struct Bank {
    order: Vec<(String, String)>,
    index: HashMap<String, usize>,
}

impl Bank {
    /// The definition of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.index.get(name).map(|&k| self.order[k].1.as_str())
    }

    /// Every pattern, in load order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.order.iter().map(|(n, d)| (n.as_str(), d.as_str()))
    }
}

/// The bank, built on first use.
pub fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(build)
}

fn build() -> Bank {
    let edits: Vec<[&str; 4]> = EDITS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let mut f = l.splitn(4, '\t');
            Some([f.next()?, f.next()?, f.next()?, f.next()?])
        })
        .collect();
    let mut bank = Bank { order: Vec::new(), index: HashMap::new() };
    for (file, text) in FILES {
        for (name, definition) in text.lines().filter_map(definition) {
            let mut def = dotted(definition);
            for [_, _, from, to] in edits.iter().filter(|e| e[0] == *file && e[1] == name) {
                def = def.replacen(from, to, 1);
            }
            // A later duplicate replaces the definition and keeps the first position.
            match bank.index.get(name) {
                Some(&k) => bank.order[k].1 = def,
                None => {
                    bank.index.insert(name.to_string(), bank.order.len());
                    bank.order.push((name.to_string(), def));
                }
            }
        }
    }
    bank
}

/// `NAME definition` as Elasticsearch reads a line: leading white space dropped, blank and
/// `#` lines skipped, split at the first run of white space, the definition not trimmed.
fn definition(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let split = line.find(char::is_whitespace)?;
    let rest = &line[split..];
    let def = rest.trim_start();
    (!def.is_empty()).then_some((&line[..split], def))
}

/// Rule R: `%{P:[a][b]...}` → `%{P:a.b...}` and `(?<[a][b]>` → `(?<a.b>`.
fn dotted(def: &str) -> String {
    static RULES: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let Some((reference, group)) = RULES.get_or_init(|| {
        Some((Regex::new(r"(%\{\w+:)((?:\[[^\]\[]+\])+)").ok()?, Regex::new(r"\(\?<((?:\[[^\]\[]+\])+)>").ok()?))
    }) else {
        return def.to_string();
    };
    let join =
        |path: &str| path.trim_start_matches('[').trim_end_matches(']').split("][").collect::<Vec<_>>().join(".");
    let def = reference.replace_all(def, |c: &regex::Captures<'_>| format!("{}{}", &c[1], join(&c[2])));
    group.replace_all(&def, |c: &regex::Captures<'_>| format!("(?<{}>", join(&c[1]))).into_owned()
}
