//! Lines into queries. A query runs when a line ends with `;` or on an empty line, and a
//! meta-command (`.help`) at once. Pasted text keeps its blank lines: a blank line that
//! arrives as fast as the text around it (a paste without bracketed paste, or piped input)
//! runs nothing yet; the next line decides: `|` or a comment goes on with the query, anything
//! else runs it first.

use std::cell::RefCell;
use std::rc::Rc;

/// Lines that came faster than this after the line editor asked were not typed.
pub const PASTE_GAP: std::time::Duration = std::time::Duration::from_millis(15);

/// The query being typed.
pub struct Input {
    /// The lines so far (shared with completion, which reads them for context).
    pub pending: Rc<RefCell<String>>,
    /// A fast blank line was held back: the next line says whether the query goes on.
    held: bool,
}

/// Whether `text` holds more than blank lines and `//` comments.
fn has_code(text: &str) -> bool {
    text.lines().map(str::trim).any(|l| !l.is_empty() && !l.starts_with("//"))
}

impl Input {
    /// An empty input sharing `pending` with completion.
    pub fn new(pending: Rc<RefCell<String>>) -> Input {
        Input { pending, held: false }
    }

    fn push(&self, line: &str) {
        let mut p = self.pending.borrow_mut();
        p.push_str(line);
        p.push('\n');
    }

    /// The pending query, if it has code, emptying the input.
    pub fn finish(&mut self) -> Option<String> {
        self.held = false;
        let text = std::mem::take(&mut *self.pending.borrow_mut());
        has_code(&text).then(|| text.trim_end().to_string())
    }

    /// Forgets the pending lines (Ctrl-C).
    pub fn clear(&mut self) {
        self.held = false;
        self.pending.borrow_mut().clear();
    }

    /// Takes one line; `fast` says it came within [`PASTE_GAP`]. Returns what is now
    /// complete, in order: queries and meta-commands.
    pub fn take(&mut self, line: &str, fast: bool) -> Vec<String> {
        let mut out = Vec::new();
        let t = line.trim();
        if std::mem::take(&mut self.held) {
            let goes_on = fast && (t.is_empty() || t.starts_with('|') || t.starts_with("//") || t.starts_with("/*"));
            if !goes_on {
                out.extend(self.finish());
            } else if t.is_empty() || t.starts_with("//") {
                self.push(line);
                self.held = true;
                return out;
            }
        }
        let code = has_code(&self.pending.borrow());
        if !code && t.starts_with('.') {
            self.pending.borrow_mut().clear();
            out.push(t.to_string());
        } else if t.is_empty() && code && fast {
            self.push("");
            self.held = true;
        } else if t.is_empty() {
            out.extend(self.finish());
        } else if let Some(done) = line.trim_end().strip_suffix(';') {
            self.push(done);
            out.extend(self.finish());
        } else {
            self.push(line.trim_end());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Input;

    /// Feeds lines (`fast` all alike) and collects what runs, then what EOF runs.
    fn feed(lines: &[&str], fast: bool) -> Vec<String> {
        let mut input = Input::new(Default::default());
        let mut out: Vec<String> = lines.iter().flat_map(|l| input.take(l, fast)).collect();
        out.extend(input.finish());
        out
    }

    #[test]
    fn typed_lines_run_on_a_blank_line_or_a_semicolon() {
        assert_eq!(feed(&["FROM a", "| LIMIT 1", ""], false), ["FROM a\n| LIMIT 1"]);
        assert_eq!(feed(&["ROW a = 1;", "ROW b = 2;"], false), ["ROW a = 1", "ROW b = 2"]);
        assert_eq!(feed(&[".help", "ROW a = 1", ""], false), [".help", "ROW a = 1"]);
    }

    #[test]
    fn a_paste_keeps_its_blank_lines_and_comments() {
        let rule = ["// a rule", "FROM a", "", "// step two", "| WHERE x > 1", "", "| LIMIT 1"];
        assert_eq!(feed(&rule, true), ["// a rule\nFROM a\n\n// step two\n| WHERE x > 1\n\n| LIMIT 1"]);
    }

    #[test]
    fn a_pasted_blank_line_before_a_new_query_runs_the_first() {
        assert_eq!(feed(&["ROW a = 1", "", "ROW b = 2", ""], true), ["ROW a = 1", "ROW b = 2"]);
        assert_eq!(feed(&["ROW a = 1", "", ".quit"], true), ["ROW a = 1", ".quit"]);
    }

    #[test]
    fn a_typed_blank_line_after_a_paste_runs_it() {
        let mut input = Input::new(Default::default());
        assert!(input.take("ROW a = 1", true).is_empty());
        assert!(input.take("", true).is_empty());
        assert_eq!(input.take("", false), ["ROW a = 1"]);
    }

    #[test]
    fn comments_alone_do_not_run() {
        assert!(feed(&["// nothing", ""], false).is_empty());
    }
}
