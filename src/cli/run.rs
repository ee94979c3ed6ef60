//! `esql parse` and `esql run`: queries from files or `-e`, results on stdout, warnings on
//! stderr after them; and the REPL's start.

use super::args::{DataArgs, RunArgs};
use crate::authoring::query_file::{self, QueryText};
use crate::diagnostic::{render_all, Diagnostic};
use crate::engine::Engine;
use crate::exec::ExecError;
use crate::io::OnError;
use crate::output::Format;
use std::path::PathBuf;

pub(super) fn parse_cmd(file: Option<PathBuf>) -> i32 {
    let queries = match query_file::load(file.as_deref()) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("esql: {e}");
            return 1;
        }
    };
    let mut code = 0;
    for (k, q) in queries.iter().enumerate() {
        if k > 0 {
            println!();
        }
        if let Some(label) = &q.label {
            println!("// {label}");
        }
        match crate::syntax::parse(&q.text) {
            Ok(ast) => println!("{ast:#}"),
            Err(errors) => {
                let diags: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
                if let Some(label) = &q.label {
                    eprintln!("in {label}:");
                }
                eprint!("{}", render_all(&diags, &q.text));
                code = 2;
            }
        }
    }
    code
}

pub(super) fn run_cmd(args: RunArgs) -> i32 {
    let queries = match (&args.input.query, &args.input.file) {
        (Some(q), _) => vec![QueryText { label: None, text: q.clone() }],
        (None, file) => match query_file::load(file.as_deref()) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("esql: {e}");
                return 1;
            }
        },
    };
    match super::remote::Remote::new(&args.remote) {
        Ok(Some(remote)) if !args.window => {
            return queries.iter().map(|q| super::remote::run(&remote, &q.text, args.format)).max().unwrap_or(0)
        }
        Ok(Some(_)) => {
            eprintln!("esql: --window runs a rule here; with --remote, send the windowed query yourself");
            return 2;
        }
        Ok(None) => {}
        Err(e) => {
            eprintln!("esql: {e}");
            return 2;
        }
    }
    let mut engine = match args.at.engine(args.on_error.into(), args.threads.map(usize::from)) {
        Ok(e) => e,
        Err(code) => return code,
    };
    if args.engine == super::args::EngineArg::Spark {
        let texts: Vec<String> = queries.iter().map(|q| q.text.clone()).collect();
        return super::sql::spark_cmd(&engine, &texts, &args);
    }
    engine.watch = super::progress::on_terminal();
    let schedule = match (&args.input.file, args.window) {
        (Some(f), _) if query_file::is_toml(f) => {
            query_file::read_text(f).ok().and_then(|t| query_file::schedule(&t).ok().flatten())
        }
        _ => None,
    };
    if args.window && schedule.is_none() {
        eprintln!("esql: --window needs a detection rule .toml (with [rule] from = \"now-...\")");
        return 2;
    }
    let mut code = 0;
    for q in &queries {
        if let Some(label) = &q.label {
            println!("// {label}");
        }
        let text = match (&schedule, args.window) {
            (Some(s), true) => {
                let known = |f: &str| engine.has_field(f);
                match query_file::windowed(&q.text, s, &known) {
                    Ok((text, note)) => {
                        eprintln!("esql: {note}");
                        text
                    }
                    Err(e) => {
                        eprintln!("esql: {e}");
                        return 2;
                    }
                }
            }
            (Some(_), false) => {
                eprintln!("esql: running the rule's query text verbatim (no look-back window; --window emulates the rule schedule)");
                q.text.clone()
            }
            _ => q.text.clone(),
        };
        code = code.max(run_one(&engine, &text, args.format));
    }
    code
}

fn run_one(engine: &Engine, text: &str, format: Format) -> i32 {
    let started = std::time::Instant::now();
    let plan = match engine.plan(text) {
        Ok(plan) => plan,
        Err(e) => {
            eprint!("{}", e.render(text));
            return e.exit_code();
        }
    };
    // A plan made from samples may change once the scan has read the documents (see
    // `engine::speculate`): its rows, at most the row cap, are written when it is settled.
    let (out, writer) = if plan.speculation.is_some() {
        let out = match engine.run(plan) {
            Ok(out) => out,
            Err(e) => {
                eprint!("{}", e.render(text));
                return e.exit_code();
            }
        };
        let mut writer = match writer_for(&out.plan, format) {
            Ok(w) => w,
            Err(e) => return write_failed(&e),
        };
        if let Err(e) = out.result.batches.iter().try_for_each(|b| writer.write(b)) {
            return write_failed(&e.to_string());
        }
        (out, writer)
    } else {
        // The rows stream to stdout as the engine releases them: an export is never held whole.
        let mut writer = match writer_for(&plan, format) {
            Ok(w) => w,
            Err(e) => return write_failed(&e),
        };
        let mut sink = |b: arrow::array::RecordBatch| writer.write(&b).map_err(|e| ExecError::Output(e.to_string()));
        match engine.run_into(plan, Some(&mut sink)) {
            Ok(out) => (out, writer),
            Err(crate::engine::QueryError::Runtime(ExecError::Output(e))) => return write_failed(&e),
            Err(e) => {
                // Rows already written stay written; the error follows them.
                let _ = writer.finish(0);
                eprint!("{}", e.render(text));
                return e.exit_code();
            }
        }
    };
    if let Err(e) = writer.finish(started.elapsed().as_millis() as u64) {
        return write_failed(&e);
    }
    for w in &out.load_warnings {
        eprintln!("esql: warning: {}", crate::output::terminal_safe(w));
    }
    // Elasticsearch warns of its implicit LIMIT on every query without one; here only when it
    // cut the result, with how to get more.
    let capped = out.capped_at();
    for w in out.result.warnings.iter().filter(|w| capped.is_some() || *w != crate::plan::NO_LIMIT_WARNING) {
        eprintln!("{}", crate::output::terminal_safe(w));
    }
    if let Some(n) = capped {
        eprintln!("esql: {}", crate::output::cap_note(n, engine.max_rows));
    }
    if let Some(hint) = engine.time_hint(text, &out.plan, &out) {
        eprintln!("esql: hint: {hint}");
    }
    0
}

/// The writer of a plan's result on stdout.
fn writer_for(
    plan: &crate::plan::LogicalPlan,
    format: Format,
) -> Result<crate::output::Writer<std::io::BufWriter<std::io::StdoutLock<'static>>>, String> {
    let stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let lists = crate::plan::multi::multi_columns(plan);
    crate::output::Writer::with_lists(format, plan.schema(), Some(lists), stdout).map_err(|e| e.to_string())
}

/// A result that could not be written: a closed pipe (`esql run ... | head`) ends quietly.
pub(super) fn write_failed(e: &str) -> i32 {
    if e.contains("Broken pipe") {
        return 0;
    }
    eprintln!("esql: cannot write the result: {e}");
    1
}

pub(super) fn repl_cmd(at: &DataArgs) -> i32 {
    let mut engine = match at.engine(OnError::Fail, None) {
        Ok(e) => e,
        Err(code) => return code,
    };
    engine.watch = super::progress::on_terminal();
    crate::repl::run(engine)
}
