//! Meta-commands: `.help`, `.indices`, `.fields`, `.now`, `.param`, `.range`, `.mode`, `.maxwidth`,
//! `.maxrows`, `.columns`, `.chart`, `.hist`, `.timer`, `.output`, `.read`, `.explain`, `.quit`.

use super::{run_query, Mode, Session};
use crate::engine::Engine;
use crate::functions;
use crate::types::{Cell, Value};
use crate::wildcard::glob;
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
  .range [FROM [TO]|off]    the time range, as --from/--to (now-24h, RFC 3339): ?_tstart, ?_tend
                            and a filter on @timestamp; no argument shows it
  .mode table|vertical|csv|tsv|json|ndjson|txt
                            table fits the terminal and turns vertical when it cannot
  .maxwidth [N|off]         the table's width (off: the terminal's)
  .maxrows [N|off]          a result's row cap (off: Elasticsearch's 10,000), as --max-rows
  .columns [PATTERN,...|*]  the columns the table shows (no argument: list the last result's)
  .chart on|off             a date (or bucket) and a count draw as bars (on), or as a table
  .hist [INTERVAL]          hits over time (@timestamp) of the last query's FROM and first
                            WHEREs, per INTERVAL (1h, 15m, 1d; default: about 40 bars)
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
        ".range" => range(&mut engine.borrow_mut(), arg),
        ".mode" => match Mode::parse(arg) {
            Some(m) => session.mode = m,
            None => eprintln!("esql: .mode takes table, vertical, csv, tsv, json, ndjson or txt"),
        },
        ".maxwidth" => max_width(session, arg),
        ".maxrows" => max_rows(&mut engine.borrow_mut(), arg),
        ".columns" => columns(session, arg),
        ".chart" => match arg {
            "on" => session.view.chart = true,
            "off" => session.view.chart = false,
            _ => eprintln!("esql: .chart takes on or off"),
        },
        ".hist" => hist(&engine.borrow(), session, arg),
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

/// `.range FROM [TO]` sets the time range, `.range off` clears it, `.range` shows it.
fn range(engine: &mut Engine, arg: &str) {
    let parts: Vec<&str> = arg.split_whitespace().collect();
    let set = match parts.as_slice() {
        [] => {
            let (from, to) = engine.range();
            let show = |b: Option<String>| b.unwrap_or_else(|| "-".into());
            return println!("time range: {} to {}", show(from), show(to));
        }
        ["off"] => engine.set_range(None, None),
        [from] => engine.set_range(Some(from), None),
        [from, to] => engine.set_range(Some(from), Some(to)),
        _ => Err("usage: .range FROM [TO] (now-24h, 2025-07-30T00:00:00Z) or .range off".into()),
    };
    if let Err(e) = set {
        eprintln!("esql: {}", e.replace("--from", ".range").replace("--to", ".range"));
    }
}

/// `N`, `off`, or nothing (show the setting).
fn number_or_off(arg: &str, name: &str) -> Option<Option<usize>> {
    match arg {
        "off" => Some(None),
        _ => match arg.parse::<usize>() {
            Ok(n) if n > 0 => Some(Some(n)),
            _ => {
                eprintln!("esql: {name} takes a positive number or off");
                None
            }
        },
    }
}

fn max_width(session: &mut Session, arg: &str) {
    if arg.is_empty() {
        return println!("the table is {} columns wide", session.view.width());
    }
    if let Some(w) = number_or_off(arg, ".maxwidth") {
        session.view.width = w.map(|w| w.max(20));
    }
}

fn max_rows(engine: &mut Engine, arg: &str) {
    if arg.is_empty() {
        return match engine.max_rows {
            Some(n) => println!("a result stops at {n} rows"),
            None => println!("a result stops at {} rows, as in Elasticsearch", crate::plan::MAX_LIMIT),
        };
    }
    if let Some(n) = number_or_off(arg, ".maxrows") {
        engine.max_rows = n;
    }
}

/// `.columns a,b*` picks the table's columns by name pattern; `*` or `off` shows all again;
/// no argument lists the last result's columns.
fn columns(session: &mut Session, arg: &str) {
    match arg {
        "" => {
            let shown = |n: &str| session.view.columns.as_ref().is_none_or(|ps| ps.iter().any(|p| glob(p, n)));
            for (name, ty) in &session.last_columns {
                println!("{} {name:<48} {ty}", if shown(name) { "*" } else { " " });
            }
        }
        "*" | "off" => session.view.columns = None,
        _ => {
            let patterns = arg.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()).map(String::from);
            session.view.columns = Some(patterns.collect());
        }
    }
}

/// `.hist [INTERVAL]`: the last query's hits over time, as bars.
fn hist(engine: &Engine, session: &mut Session, arg: &str) {
    use super::chart;
    let Some(last) = session.last_query.clone() else { return eprintln!("esql: .hist needs a query run first") };
    let interval = if arg.is_empty() {
        // About 40 bars over the span of the hits.
        let Some(span) = chart::hist_query(&last, "1 day") else { return eprintln!("esql: .hist needs a FROM query") };
        let span = span.replace(
            "STATS hits = COUNT(*) BY @timestamp = BUCKET(@timestamp, 1 day)",
            "STATS a = MIN(@timestamp), b = MAX(@timestamp)",
        );
        let ends = engine.query(&span).ok().and_then(|o| {
            let row = crate::output::rows(&o.result).into_iter().next()?;
            match row.as_slice() {
                [Cell::One(Value::Date(a)), Cell::One(Value::Date(b))] => Some(b - a),
                _ => None,
            }
        });
        match ends {
            Some(ms) => chart::auto_interval(ms),
            None => return eprintln!("esql: no @timestamp in the last query's rows"),
        }
    } else {
        match chart::interval(arg) {
            Some(i) => i,
            None => return eprintln!("esql: .hist takes an interval such as 1h, 15m, 30s, 1d or 1 hour"),
        }
    };
    let Some(query) = chart::hist_query(&last, &interval) else { return eprintln!("esql: .hist needs a FROM query") };
    match engine.query(&query) {
        Ok(out) => match chart::bars(&out.result) {
            Some((label, value, bars)) => {
                let bars = chart::fill_gaps(bars, chart::interval_ms(&interval).unwrap_or(0));
                let total: f64 = bars.iter().map(|b| b.2).sum();
                let text = chart::draw(&format!("{label} per {interval}"), value.as_str(), &bars, session.view.width());
                session.print(&text);
                eprintln!("{total} hits in {} bars", bars.len());
            }
            None => eprintln!("esql: no hits"),
        },
        Err(e) => eprint!("{}", e.render(&query)),
    }
}

fn help(arg: &str) {
    if arg.is_empty() {
        print!("{HELP}");
        return;
    }
    if let Some((signature, doc)) = crate::plan::time_functions::help(arg) {
        println!("{signature}\n  {doc}");
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
