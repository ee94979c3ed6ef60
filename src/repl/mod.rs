//! The interactive shell: multi-line input, history, completion, meta-commands, results as
//! a table that fits the terminal. A query runs when a line ends with `;` or on an empty
//! line (pasted blank lines excepted, see `input`); Ctrl-C cancels the line or the running
//! query; Ctrl-D leaves (piped input's last query runs without its `;`).

mod chart;
mod helper;
mod input;
mod layout;
mod meta;
mod table;

use crate::engine::Engine;
use helper::EsqlHelper;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::rc::Rc;

pub use table::{render_mode, Mode, View};

/// REPL settings changed by meta-commands.
pub struct Session {
    /// How results are shown.
    pub mode: Mode,
    /// Show row count and time after results.
    pub timer: bool,
    /// Where results go (`None`: the terminal).
    pub output: Option<std::fs::File>,
    /// Colour on the terminal.
    pub color: bool,
    /// A query failed: piped input then ends with exit code 1, as a script would.
    pub failed: bool,
    /// The table's width and columns (`.maxwidth`, `.columns`).
    pub view: View,
    /// The last result's columns and types, for `.columns` to list.
    pub last_columns: Vec<(String, String)>,
    /// The last query run, for `.hist`.
    pub last_query: Option<String>,
}

impl Session {
    /// Writes text to the current output.
    pub fn print(&mut self, text: &str) {
        match &mut self.output {
            Some(f) => {
                let _ = f.write_all(text.as_bytes());
            }
            None => {
                print!("{text}");
                let _ = std::io::stdout().flush();
            }
        }
    }
}

fn history_path() -> Option<std::path::PathBuf> {
    let dir = dirs::data_dir()?.join("esql");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}

/// Runs the REPL until Ctrl-D or `.quit`; returns the exit code.
pub fn run(engine: Engine) -> i32 {
    let color = std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    let engine = Rc::new(RefCell::new(engine));
    let pending = Rc::new(RefCell::new(String::new()));
    let cancel = engine.borrow().cancel.clone();
    // While a query runs the terminal is in normal mode and Ctrl-C is a signal: it cancels
    // the query. While editing, rustyline reads Ctrl-C as a key.
    let _ = ctrlc::set_handler(move || cancel.store(true, std::sync::atomic::Ordering::Relaxed));
    let config = Config::builder().completion_type(CompletionType::List).auto_add_history(false).build();
    let mut rl: Editor<EsqlHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            eprintln!("esql: cannot start the line editor: {e}");
            return 1;
        }
    };
    rl.set_helper(Some(EsqlHelper { engine: engine.clone(), pending: pending.clone(), color }));
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    let mut session = Session {
        mode: Mode::Table,
        timer: true,
        output: None,
        color,
        failed: false,
        view: View::default(),
        last_columns: Vec::new(),
        last_query: None,
    };
    println!("esql {} — ES|QL over local files. .help for help, Ctrl-D to leave.", env!("CARGO_PKG_VERSION"));
    let mut input = input::Input::new(pending.clone());
    loop {
        let prompt = if pending.borrow().is_empty() { "esql> " } else { "  ... " };
        let asked = std::time::Instant::now();
        let line = rl.readline(prompt);
        let fast = asked.elapsed() < input::PASTE_GAP;
        let eof = matches!(line, Err(ReadlineError::Eof));
        let complete = match line {
            Ok(line) => input.take(&line, fast),
            Err(ReadlineError::Interrupted) => {
                input.clear();
                continue;
            }
            // Piped input may end without a final `;`; Ctrl-D at a terminal just leaves.
            Err(ReadlineError::Eof) if !std::io::stdin().is_terminal() => Vec::from_iter(input.finish()),
            Err(ReadlineError::Eof) => Vec::new(),
            Err(e) => {
                eprintln!("esql: {e}");
                break;
            }
        };
        if complete.iter().any(|query| run_one(query, &engine, &mut session, &mut rl) == meta::Flow::Quit) || eof {
            break;
        }
    }
    if let Some(h) = &history {
        let _ = rl.save_history(h);
    }
    i32::from(session.failed && !std::io::stdin().is_terminal())
}

/// Runs one complete query or meta-command, adding it to the history.
fn run_one(
    query: &str,
    engine: &Rc<RefCell<Engine>>,
    session: &mut Session,
    rl: &mut Editor<EsqlHelper, DefaultHistory>,
) -> meta::Flow {
    let _ = rl.add_history_entry(query.trim());
    if query.trim_start().starts_with('.') {
        return meta::run(query.trim(), engine, session);
    }
    run_query(&engine.borrow(), query, session);
    meta::Flow::Continue
}

/// Runs a query and shows its result, warnings or errors.
pub fn run_query(engine: &Engine, text: &str, session: &mut Session) {
    session.last_query = Some(text.to_string());
    let started = std::time::Instant::now();
    match engine.query(text) {
        Ok(out) => {
            let rendered = table::render_mode(&out.result, session.mode, &session.view);
            session.last_columns = out.result.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())).collect();
            session.print(&rendered);
            let rows = out.result.num_rows();
            if session.timer {
                eprintln!("{rows} row{} ({:.3} s)", if rows == 1 { "" } else { "s" }, started.elapsed().as_secs_f64());
            }
            for w in out.load_warnings.iter() {
                eprintln!("esql: warning: {w}");
            }
            let capped = out.capped_at();
            for w in out.result.warnings.iter().filter(|w| capped.is_some() || *w != crate::plan::NO_LIMIT_WARNING) {
                eprintln!("{w}");
            }
            if let Some(n) = capped {
                eprintln!("esql: {}", crate::output::cap_note(n, engine.max_rows));
            }
            if let Some(hint) = engine.time_hint(text, &out.plan, &out) {
                eprintln!("esql: hint: {hint}");
            }
        }
        Err(e) => {
            eprint!("{}", e.render(text));
            session.failed = true;
        }
    }
}
