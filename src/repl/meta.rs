//! Meta-commands: `.help`, `.indices`, `.fields`, `.now`, `.param`, `.mode`, `.timer`, `.output`,
//! `.read`, `.explain`, `.quit`.

use super::{run_query, Mode, Session};
use crate::engine::Engine;
use crate::functions;
use std::cell::RefCell;
use std::rc::Rc;

/// Whether the REPL goes on.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    /// Read the next line.
    Continue,
    /// Leave.
    Quit,
}

const HELP: &str = "\
Type an ES|QL query; it runs when a line ends with ';' or on an empty line.
Tab completes commands, functions, index names (after FROM) and field names.

  .help [FUNCTION]          this text, or a function's signature and description
  .indices                  the indices of the data directory
  .fields INDEX [PATTERN]   fields with their type and share of documents
  .now [TIME|off]           pin now() to an RFC 3339 time (or show it; off unpins)
  .param [NAME=VALUE|off]   set a query parameter (?NAME; VALUE as JSON or text), list them, or clear
  .mode table|vertical|csv|tsv|json|ndjson|txt
  .timer on|off             show row count and time after each query
  .output [FILE]            write results to FILE (no FILE: back to the terminal)
  .read FILE.esql           run the query in a file
  .explain QUERY            show the plan: each command with its output columns
  .quit                     leave (Ctrl-D does too)
";

/// Runs one meta-command line.
pub fn run(line: &str, engine: &Rc<RefCell<Engine>>, session: &mut Session) -> Flow {
    let (cmd, arg) = line.split_once(char::is_whitespace).map_or((line, ""), |(c, a)| (c, a.trim()));
    match cmd {
        ".quit" | ".exit" | ".q" => return Flow::Quit,
        ".help" => help(arg),
        ".indices" => indices(&engine.borrow()),
        ".fields" => fields(&engine.borrow(), arg),
        ".now" => now(&mut engine.borrow_mut(), arg),
        ".param" => param(&mut engine.borrow_mut(), arg),
        ".mode" => match Mode::parse(arg) {
            Some(m) => session.mode = m,
            None => eprintln!("esql: .mode takes table, vertical, csv, tsv, json, ndjson or txt"),
        },
        ".timer" => match arg {
            "on" => session.timer = true,
            "off" => session.timer = false,
            _ => eprintln!("esql: .timer takes on or off"),
        },
        ".output" => output(session, arg),
        ".read" => match crate::authoring::query_file::load(Some(std::path::Path::new(arg))) {
            // A query typed for the REPL may end with ';', which ES|QL itself does not allow.
            Ok(queries) => queries
                .iter()
                .for_each(|q| run_query(&engine.borrow(), q.text.trim_end().trim_end_matches(';'), session)),
            Err(e) => eprintln!("esql: {e}"),
        },
        ".explain" => explain(&engine.borrow(), arg.trim_end_matches(';')),
        _ => eprintln!("esql: unknown command {cmd}; .help lists them"),
    }
    Flow::Continue
}

/// `.param NAME=VALUE` sets one, `.param off` clears them, `.param` lists them.
fn param(engine: &mut Engine, arg: &str) {
    match arg {
        "" => {
            let p = &engine.params;
            let show = |v: &crate::syntax::ParamValue| match v {
                crate::syntax::ParamValue::Value(l) => l.to_string(),
                crate::syntax::ParamValue::Identifier(s) => format!("{{\"identifier\": {s:?}}}"),
                crate::syntax::ParamValue::Pattern(s) => format!("{{\"pattern\": {s:?}}}"),
            };
            p.positional.iter().enumerate().for_each(|(k, v)| println!("?{} = {}", k + 1, show(v)));
            p.named.iter().for_each(|(n, v)| println!("?{n} = {}", show(v)));
        }
        "off" => engine.params = Default::default(),
        _ => {
            if let Err(e) = crate::params::add_flag(&mut engine.params, arg) {
                eprintln!("esql: {}", e.replace("--param", ".param"));
            }
        }
    }
}

fn help(arg: &str) {
    if arg.is_empty() {
        print!("{HELP}");
        return;
    }
    match functions::lookup(arg) {
        Some(f) => println!("{}\n  {}", f.signature(), f.doc),
        None => {
            let names: Vec<&str> =
                functions::all().map(|f| f.name).filter(|n| n.contains(&arg.to_ascii_lowercase())).collect();
            eprintln!(
                "esql: no function {arg}{}",
                if names.is_empty() { String::new() } else { format!("; similar: {}", names.join(", ")) }
            );
        }
    }
}

fn indices(engine: &Engine) {
    let Some(dir) = engine.data() else {
        eprintln!("esql: no data directory (start with --data DIR)");
        return;
    };
    for ix in &dir.indices {
        let size: u64 = ix.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
        let mapping = if ix.mapping.is_some() { ", mapping" } else { "" };
        println!(
            "{}  ({} file{}, {}{mapping})",
            ix.name,
            ix.files.len(),
            if ix.files.len() == 1 { "" } else { "s" },
            indicatif::HumanBytes(size)
        );
    }
}

fn fields(engine: &Engine, arg: &str) {
    let mut parts = arg.split_whitespace();
    let (Some(index), pattern) = (parts.next(), parts.next()) else {
        eprintln!("esql: usage: .fields INDEX [PATTERN]");
        return;
    };
    let Some(dir) = engine.data() else { return eprintln!("esql: no data directory") };
    let indices = match dir.resolve(&[index.to_string()]) {
        Ok(i) => i,
        Err(e) => return eprintln!("esql: {e}"),
    };
    for ix in indices {
        match ix.fields(dir.on_error, dir.threads) {
            Ok((fields, total)) => {
                println!("{} ({total} documents)", ix.name);
                for (name, f) in
                    fields.iter().filter(|(n, _)| pattern.is_none_or(|p| crate::io::catalog::pattern::glob(p, n)))
                {
                    let share = if total == 0 {
                        String::from("-")
                    } else {
                        format!("{:.0}%", 100.0 * f.docs as f64 / total as f64)
                    };
                    println!("  {name:<48} {:<12} {share:>5}", f.ty.name());
                }
            }
            Err(e) => eprintln!("esql: {e}"),
        }
    }
}

fn now(engine: &mut Engine, arg: &str) {
    match arg {
        "" => match engine.now_ms {
            Some(ms) => println!("now() is pinned to {}", crate::types::text_form::format_date(ms)),
            None => println!("now() is the current time"),
        },
        "off" => engine.now_ms = None,
        t => match crate::engine::parse_now(t) {
            Ok(ms) => engine.now_ms = Some(ms),
            Err(e) => eprintln!("esql: {e}"),
        },
    }
}

fn output(session: &mut Session, arg: &str) {
    if arg.is_empty() {
        session.output = None;
        return;
    }
    match std::fs::File::create(arg) {
        Ok(f) => session.output = Some(f),
        Err(e) => eprintln!("esql: {arg}: {e}"),
    }
}

fn explain(engine: &Engine, query: &str) {
    match crate::authoring::explain::plan_only(engine, query) {
        Ok(text) => print!("{text}"),
        Err(e) => eprint!("{}", e.render(query)),
    }
}
