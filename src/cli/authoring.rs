//! The rule-authoring subcommands `explain` and `test` (`lint` and `fmt` have files of their own).

use crate::authoring::query_file::{self, QueryText};
use crate::io::OnError;
use std::path::{Path, PathBuf};

pub(super) fn explain_cmd(
    file: Option<PathBuf>,
    query: Option<String>,
    mut at: super::args::DataArgs,
    event: Option<&str>,
) -> i32 {
    let is_test = file.as_ref().is_some_and(|f| f.to_string_lossy().ends_with(".test.toml"));
    // A test's inline documents live as long as its fixture.
    let mut _fixture = None;
    let (queries, fixture_now) = if is_test {
        match crate::authoring::rule_test::load(file.as_deref().unwrap_or(std::path::Path::new(""))) {
            Ok(fx) => {
                at.data = at.data.or(Some(fx.data.clone()));
                let found = (vec![fx.query.clone()], fx.now_ms);
                _fixture = Some(fx);
                found
            }
            Err(e) => {
                eprintln!("esql: {e}");
                return 1;
            }
        }
    } else {
        let queries = match query {
            Some(q) => vec![QueryText { label: None, text: q }],
            None => match query_file::load(file.as_deref()) {
                Ok(q) => q,
                Err(e) => {
                    eprintln!("esql: {e}");
                    return 1;
                }
            },
        };
        (queries, None)
    };
    let mut engine = match at.engine(OnError::Fail, None) {
        Ok(e) => e,
        Err(code) => return code,
    };
    // A test's pinned now and parameters, unless the command line says otherwise.
    engine.now_ms = engine.now_ms.or(fixture_now);
    if let Some(fx) = &_fixture {
        engine.params = fx.params.overlay(&engine.params);
        // As `esql test` plans it: the fixture knows the ECS fields the query names.
        engine.ecs_mapped = true;
    }
    let mut code = 0;
    for q in &queries {
        if let Some(ev) = event {
            match crate::authoring::trace::trace(&engine, &q.text, ev) {
                Ok(t) => print!("{t}"),
                Err(e) => {
                    eprintln!("esql: {e}");
                    code = 1;
                }
            }
            continue;
        }
        match crate::authoring::explain::explain(&engine, &q.text) {
            Ok(text) => print!("{text}"),
            Err(e) => {
                eprint!("{}", e.render(&q.text));
                code = e.exit_code();
            }
        }
    }
    code
}

pub(super) fn test_cmd(paths: Vec<PathBuf>, format: &str, flags: &[String]) -> i32 {
    let mut params = crate::syntax::Params::default();
    for f in flags {
        if let Err(e) = crate::params::add_flag(&mut params, f) {
            eprintln!("esql: {e}");
            return 2;
        }
    }
    let default = if !Path::new("queries").is_dir() && Path::new("rules").is_dir() { "rules" } else { "queries" };
    let paths = if paths.is_empty() { vec![PathBuf::from(default)] } else { paths };
    let files = crate::authoring::rule_test::find(&paths);
    if files.is_empty() {
        eprintln!(
            "esql: no *.test.toml found in {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        return 1;
    }
    let results: Vec<_> = files.iter().map(|f| crate::authoring::rule_test::run(f, &params)).collect();
    let failed = results.iter().filter(|r| r.failure.is_some()).count();
    if format == "junit" {
        print!("{}", crate::authoring::rule_test::junit(&results));
    } else {
        for r in &results {
            match &r.failure {
                None => println!("ok    {}", r.file.display()),
                Some(f) => println!("FAIL  {}\n      {}", r.file.display(), f.replace('\n', "\n      ")),
            }
        }
        println!("{} passed, {failed} failed", results.len() - failed);
    }
    i32::from(failed > 0)
}

/// `esql test --init RULE`: the skeleton beside the rule, then what it gives as it stands.
pub(super) fn test_init_cmd(rule: &Path) -> i32 {
    let name = rule.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some(stem) = name.strip_suffix(".esql").or_else(|| name.strip_suffix(".toml")) else {
        eprintln!("esql: --init takes a rule: a .esql or .toml file");
        return 2;
    };
    let target = rule.with_file_name(format!("{stem}.test.toml"));
    if target.exists() {
        eprintln!("esql: {} exists; not overwritten", target.display());
        return 1;
    }
    let query = match query_file::load(Some(rule)) {
        Ok(q) if !q.is_empty() => q[0].text.clone(),
        Ok(_) => {
            eprintln!("esql: {} holds no query", rule.display());
            return 1;
        }
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let ast = match crate::syntax::parse(&query) {
        Ok(a) => a,
        Err(errors) => {
            let diags: Vec<_> = errors.into_iter().map(crate::diagnostic::Diagnostic::from).collect();
            eprint!("{}:\n{}", rule.display(), crate::diagnostic::render_all(&diags, &query));
            return 2;
        }
    };
    let now = chrono::Utc::now().timestamp_millis() / 60_000 * 60_000;
    let text = crate::authoring::test_init::skeleton(&ast, &name, now);
    if let Err(e) = crate::io::files::write(&target, text.as_bytes()) {
        eprintln!("esql: {e}");
        return 1;
    }
    let docs = text.lines().filter(|l| l.starts_with("# document ")).count();
    println!("wrote {} ({docs} document(s), one per branch): fill them in and set [expect]", target.display());
    let r = crate::authoring::rule_test::run(&target, &Default::default());
    match r.failure {
        None => println!("as written, the test passes"),
        Some(f) => println!("as written, the test fails:\n  {}", f.replace('\n', "\n  ")),
    }
    0
}
