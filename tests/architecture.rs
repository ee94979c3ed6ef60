//! The layering rules of the architecture, checked on the source text:
//! `syntax` uses nothing else of the crate; `exec` never uses `syntax`; `io` knows no plan.

use std::path::Path;

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// Lines of files under `src/<module>` that mention any of `forbidden`.
fn violations(module: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(module);
    let mut found = Vec::new();
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            if forbidden.iter().any(|f| line.contains(f)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn syntax_imports_nothing_else_of_the_crate() {
    let v = violations("syntax", &["crate::"]);
    assert!(v.is_empty(), "syntax must stand alone:\n{}", v.join("\n"));
}

#[test]
fn exec_never_imports_syntax() {
    let v = violations("exec", &["crate::syntax", "syntax::"]);
    assert!(v.is_empty(), "exec must not see the syntax tree:\n{}", v.join("\n"));
}

#[test]
fn io_knows_no_plan_and_no_syntax() {
    let v = violations("io", &["crate::plan", "crate::syntax", "crate::exec"]);
    assert!(v.is_empty(), "io must not depend on planning:\n{}", v.join("\n"));
}

#[test]
fn no_unwrap_or_panic_in_the_parser() {
    let v = violations("syntax", &[".unwrap()", "panic!(", ".expect(", "todo!(", "unimplemented!("]);
    assert!(v.is_empty(), "the parser must not panic on any input:\n{}", v.join("\n"));
}

/// The front ends and the rule-authoring tools: command line, REPL, csv-spec runner, lint,
/// fmt, rule tests, traces, file conversion and generation.
const FRONT_ENDS: &[&str] = &[
    "crate::cli",
    "crate::repl",
    "crate::spec",
    "crate::lint",
    "crate::fmt",
    "crate::rule_test",
    "crate::trace",
    "crate::explain_cmd",
    "crate::query_file",
    "crate::convert",
    "crate::gen",
    "crate::progress",
];

#[test]
fn the_core_never_imports_a_front_end() {
    for core in ["syntax", "plan", "exec", "functions", "types", "io"] {
        let v = violations(core, FRONT_ENDS);
        assert!(v.is_empty(), "{core} must not depend on a front end:\n{}", v.join("\n"));
    }
}
