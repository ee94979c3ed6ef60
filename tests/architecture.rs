//! The layering rules of the architecture, checked on the source text:
//! `syntax` uses nothing else of the crate but the leaf `wildcard`; `exec` never uses
//! `syntax`; `io` knows no plan.

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
    let files = if root.is_dir() { rust_files(&root) } else { vec![root.with_extension("rs")] };
    assert!(!files.is_empty(), "no source under src/{module}");
    let mut found = Vec::new();
    for file in files {
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
    // Save its own paths and the leaf wildcard matcher, which imports nothing itself.
    let outside = |l: &String| l.replace("crate::syntax::", "").replace("crate::wildcard::", "").contains("crate::");
    let v: Vec<String> = violations("syntax", &["crate::"]).into_iter().filter(outside).collect();
    assert!(v.is_empty(), "syntax must stand alone:\n{}", v.join("\n"));
    let leaf = violations("wildcard", &["crate::"]);
    assert!(leaf.is_empty(), "the wildcard matcher must stay a leaf:\n{}", leaf.join("\n"));
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

/// The front ends: command line, REPL, HTTP server, rule-authoring tools, csv-spec runner.
const FRONT_ENDS: &[&str] = &["crate::cli", "crate::repl", "crate::server", "crate::authoring", "crate::conformance"];

#[test]
fn the_core_never_imports_a_front_end() {
    for core in ["syntax", "plan", "exec", "functions", "types", "io", "engine", "diagnostic", "output"] {
        let v = violations(core, FRONT_ENDS);
        assert!(v.is_empty(), "{core} must not depend on a front end:\n{}", v.join("\n"));
    }
}

/// The top-level modules (folders and files under `src/`) each one names with `crate::`.
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src").flatten() {
        let path = entry.path();
        let name = path.file_stem().expect("name").to_string_lossy().into_owned();
        if name == "lib" || name == "main" {
            continue;
        }
        let files = if path.is_dir() { rust_files(&path) } else { vec![path.clone()] };
        let deps: &mut std::collections::BTreeSet<String> = graph.entry(name.clone()).or_default();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read source");
            for (k, _) in text.match_indices("crate::") {
                let rest = &text[k + "crate::".len()..];
                let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                if end > 0 && rest[..end] != name {
                    deps.insert(rest[..end].to_string());
                }
            }
        }
    }
    graph
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let graph = module_graph();
    assert!(graph.len() >= 10, "the module graph looks empty: {graph:?}");
    // Depth-first search; a module met again while still on the path closes a cycle.
    fn visit<'a>(
        m: &'a str,
        graph: &'a std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut std::collections::BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn exec_chooses_kernels_from_the_function_table_not_by_name() {
    let v = violations("exec", &["func.name", "MERGE_EXACTLY"]);
    assert!(v.is_empty(), "exec must read a function's kernel or merge policy from its FunctionDef:\n{}", v.join("\n"));
}

/// Backquoted paths of ARCHITECTURE.md (`exec/mask.rs`, `io/catalog/`, `tests/threads.rs`).
fn mapped_paths(doc: &str) -> Vec<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| {
            let shaped = t.ends_with(".rs") || t.ends_with('/');
            shaped && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_/.".contains(c))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn architecture_md_matches_the_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    assert!(doc.lines().count() < 150, "ARCHITECTURE.md should stay under 150 lines");
    let paths = mapped_paths(&doc);
    assert!(paths.len() > 20, "too few paths found: {paths:?}");
    let missing: Vec<&String> =
        paths.iter().filter(|p| !root.join(p).exists() && !root.join("src").join(p).exists()).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist: {missing:?}");
    let src = root.join("src");
    for entry in std::fs::read_dir(&src).expect("src").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let shown = if entry.path().is_dir() { format!("{name}/") } else { name.clone() };
        if name != "lib.rs" && name != "main.rs" {
            assert!(paths.contains(&shown), "ARCHITECTURE.md's map lacks src/{shown}");
        }
    }
}
