//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod server;

/// `../shared` beside the project, if present. In CI (`CI=true`) its absence is a failure,
/// not a skip; elsewhere the caller skips with a message.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but {} is missing: the shared test data must be there", dir.display());
    }
    eprintln!("skipping: {} not found (tests over shared data run in CI)", dir.display());
    None
}

/// One query of `rules/esql-rules.jsonl`.
pub struct RuleQuery {
    pub path: String,
    pub query: String,
    pub note: Option<String>,
}

/// Every query of the rule corpus.
pub fn rule_corpus(shared: &std::path::Path) -> Vec<RuleQuery> {
    let text = std::fs::read_to_string(shared.join("rules/esql-rules.jsonl")).expect("read esql-rules.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("valid JSON line");
            RuleQuery {
                path: format!("{}#{}", v["path"].as_str().unwrap_or("?"), v["query_index"].as_u64().unwrap_or(0)),
                query: v["query"].as_str().expect("query string").to_string(),
                note: v.get("note").and_then(|n| n.as_str()).map(str::to_string),
            }
        })
        .collect()
}

/// Parses, prints, re-parses; returns an error text when the round trip breaks.
pub fn round_trip(src: &str) -> Result<(), String> {
    let ast = esql::syntax::parse(src).map_err(|e| format!("parse failed: {e:?}"))?;
    for printed in [format!("{ast}"), format!("{ast:#}")] {
        let again = esql::syntax::parse(&printed).map_err(|e| format!("re-parse of\n{printed}\nfailed: {e:?}"))?;
        if again != ast {
            return Err(format!("round trip changed the tree:\n{printed}\n{ast:#?}\n{again:#?}"));
        }
    }
    Ok(())
}

/// A fully parenthesised rendering of an expression, to test grouping and literal typing.
pub fn sexpr(e: &esql::syntax::Expr) -> String {
    use esql::syntax::{ExprKind as K, Literal as L, UnaryOp};
    let list = |v: &[esql::syntax::Expr]| v.iter().map(sexpr).collect::<Vec<_>>().join(" ");
    match &e.kind {
        K::Literal(l) => match l {
            L::Null => "null".into(),
            L::Boolean(b) => format!("{b}"),
            L::Integer(v) => format!("int:{v}"),
            L::UnsignedLong(v) => format!("ul:{v}"),
            L::Double(d) => format!("dbl:{d:?}"),
            L::String(s) => format!("str:{s:?}"),
            L::TimeSpan(v, u) => format!("span:{v}:{u}"),
            L::Array(items) => format!("[{}]", items.iter().map(|i| format!("{i}")).collect::<Vec<_>>().join(" ")),
        },
        K::Field(n) => format!("`{n}`"),
        K::Param(p) => format!("param:{p}"),
        K::Unary(op, x) => {
            let op = match op {
                UnaryOp::Neg => "neg",
                UnaryOp::Plus => "pos",
                UnaryOp::Not => "not",
            };
            format!("({op} {})", sexpr(x))
        }
        K::Binary(op, l, r) => format!("({} {} {})", op.symbol().to_lowercase(), sexpr(l), sexpr(r)),
        K::In { expr, list: l, negated } => {
            format!("({}in {} {})", if *negated { "not-" } else { "" }, sexpr(expr), list(l))
        }
        K::Like { expr, patterns, negated, regex, list: is_list } => format!(
            "({}{}{} {} {})",
            if *negated { "not-" } else { "" },
            if *regex { "rlike" } else { "like" },
            if *is_list { "-list" } else { "" },
            sexpr(expr),
            list(patterns)
        ),
        K::IsNull { expr, negated } => {
            format!("({} {})", if *negated { "is-not-null" } else { "is-null" }, sexpr(expr))
        }
        K::Match { field, query } => format!("(match {} {})", sexpr(field), sexpr(query)),
        K::Cast(x, ty) => format!("(cast {} {ty})", sexpr(x)),
        K::Call { name, args, star } => format!(
            "(call {name}{}{}{})",
            if *star { " *" } else { "" },
            if args.is_empty() { "" } else { " " },
            list(args)
        ),
        K::Map(entries) => {
            let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k:?}:{}", sexpr(v))).collect();
            format!("{{{}}}", inner.join(" "))
        }
    }
}

/// `esql ARGS` run from the project's root, its output captured.
pub fn esql(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_esql"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run esql")
}

/// An engine over `files` (name, text) in a directory of its own (tests run in parallel).
pub fn engine_over(tag: &str, files: &[(&str, &str)]) -> esql::engine::Engine {
    let dir = std::env::temp_dir().join(format!("esql-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write data");
    }
    esql::engine::Engine::open(&dir, esql::io::OnError::Fail)
}

/// A result's rows: cells by `, `, rows by ` | `.
pub fn rendered_rows(result: &esql::exec::QueryResult) -> String {
    esql::output::rows(result)
        .iter()
        .map(|r| r.iter().map(|c| c.render().to_string()).collect::<Vec<_>>().join(", "))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Each (query, first line of its error) that does not fail so, described.
pub fn error_mismatches(engine: &esql::engine::Engine, cases: &[(&str, &str)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (query, expected) in cases {
        let got = match engine.query(query) {
            Ok(_) => "(no error)".to_string(),
            Err(e) => e.render(query).lines().next().unwrap_or("").to_string(),
        };
        if got != *expected {
            failures.push(format!("{query}\n  got  {got}\n  want {expected}"));
        }
    }
    failures
}

/// Each (query, rows as [`rendered_rows`] gives them) that answers otherwise, described.
pub fn answer_mismatches(engine: &esql::engine::Engine, cases: &[(&str, &str)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (query, want) in cases {
        match engine.query(query) {
            Ok(out) => {
                let got = rendered_rows(&out.result);
                if got != *want {
                    failures.push(format!("{query}\n  got  {got}\n  want {want}"));
                }
            }
            Err(e) => failures.push(format!("{query}\n  failed: {}", e.render(query))),
        }
    }
    failures
}

/// xorshift64*: repeatable random inputs for the fuzzing tests, without a dependency.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
