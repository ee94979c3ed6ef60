//! A document to lay out within a width, in the manner of Wadler's "prettier printer": text,
//! line breaks that are spaces when their group fits on the line, nesting, groups, fill, and
//! the two places a comment can stand (after code on its line, or on a line of its own).

/// A layout document.
#[derive(Clone, Debug)]
pub(super) enum Doc {
    /// Text as is (a verbatim piece of the query may hold newlines).
    Text(String),
    /// A space when the enclosing group is flat, a new line when it is broken.
    Line,
    /// Nothing when flat, a new line when broken.
    SoftLine,
    /// Always a new line.
    Hard,
    /// An empty line, kept from the source between commands.
    Blank,
    /// In order.
    Concat(Vec<Doc>),
    /// Lines inside start this many columns further in.
    Nest(usize, Box<Doc>),
    /// Flat if it all fits on the rest of the line, else every line of its own level breaks.
    Group(Box<Doc>),
    /// Items with a line between each: the line breaks only before an item that no longer
    /// fits (constants in a long list).
    Fill(Vec<Doc>),
    /// A comment after code on the same line.
    Trailing(String),
    /// A comment on a line of its own.
    OwnLine(String),
    /// `gap` then `rest` when `need` columns are left on the line, else `rest` on a new line
    /// `indent` further in: where a break is wanted only when what follows cannot start on
    /// this line (after a long name's `=`). One `rest` serves both, so nesting costs nothing.
    Choose {
        /// Columns `gap` and the start of `rest` take, up to its first possible break.
        need: usize,
        /// What separates the two on one line.
        gap: Box<Doc>,
        /// What follows.
        rest: Box<Doc>,
        /// How much further in `rest` starts when it goes to the next line.
        indent: usize,
    },
}

/// The break a [`Doc::Choose`] takes (a static, so that no document is copied for it).
static HARD: Doc = Doc::Hard;

impl Doc {
    pub(super) fn text(s: impl Into<String>) -> Doc {
        Doc::Text(s.into())
    }

    pub(super) fn group(d: Doc) -> Doc {
        Doc::Group(Box::new(d))
    }

    pub(super) fn nest(n: usize, d: Doc) -> Doc {
        Doc::Nest(n, Box::new(d))
    }

    /// `gap` then `rest` on this line when `rest` can start on it, else `rest` on the next
    /// line, `INDENT` further in.
    pub(super) fn hang(gap: &str, rest: Doc, indent: usize) -> Doc {
        // One more column for the comma or parenthesis that may follow.
        let need = width_of(gap) + rest.head_width() + 1;
        Doc::Choose { need, gap: Box::new(Doc::text(gap)), rest: Box::new(rest), indent }
    }

    /// Columns up to the first place this document may break.
    pub(super) fn head_width(&self) -> usize {
        let mut todo = vec![self];
        let mut width = 0;
        while let Some(d) = todo.pop() {
            match d {
                Doc::Text(s) => match s.split_once('\n') {
                    Some((first, _)) => return width + width_of(first),
                    None => width += width_of(s),
                },
                Doc::Concat(items) => todo.extend(items.iter().rev()),
                Doc::Nest(_, inner) | Doc::Group(inner) => todo.push(inner),
                Doc::Fill(items) => todo.extend(items.first()),
                Doc::Choose { gap, rest, .. } => todo.extend([&**rest, &**gap]),
                _ => return width,
            }
        }
        width
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Flat,
    Break,
}

/// What is still to print: a document, or the rest of a fill from its `k`th item.
#[derive(Clone, Copy)]
enum Job<'a> {
    Doc(&'a Doc),
    FillFrom(&'a [Doc], usize),
}

type Frame<'a> = (usize, Mode, Job<'a>);

/// Lays `doc` out within `width` columns.
pub(super) fn render(doc: &Doc, width: usize) -> String {
    let mut r = Renderer { out: String::new(), col: 0, pending: None, width };
    let mut stack: Vec<Frame<'_>> = vec![(0, Mode::Break, Job::Doc(doc))];
    while let Some((indent, mode, job)) = stack.pop() {
        match job {
            Job::FillFrom(items, k) => r.fill_step(&mut stack, indent, mode, items, k),
            Job::Doc(d) => r.step(&mut stack, indent, mode, d),
        }
    }
    r.out
}

/// A new line waiting for the next text: so that a comment's forced break and a broken
/// line fall together, and no line ends in spaces.
#[derive(Clone, Copy)]
struct Pending {
    indent: usize,
    blank: bool,
}

struct Renderer {
    out: String,
    col: usize,
    pending: Option<Pending>,
    width: usize,
}

impl Renderer {
    fn step<'a>(&mut self, stack: &mut Vec<Frame<'a>>, indent: usize, mode: Mode, d: &'a Doc) {
        match d {
            Doc::Text(s) => self.write(s),
            Doc::Line | Doc::SoftLine if mode == Mode::Break => self.newline(indent, false),
            Doc::Line if self.pending.is_none() => self.write(" "),
            Doc::Line | Doc::SoftLine => {}
            Doc::Hard => self.newline(indent, false),
            Doc::Blank => self.newline(indent, true),
            Doc::Concat(items) => stack.extend(items.iter().rev().map(|i| (indent, mode, Job::Doc(i)))),
            Doc::Nest(n, inner) => stack.push((indent + n, mode, Job::Doc(inner))),
            Doc::Group(inner) => {
                let flat = mode == Mode::Flat || self.fits(0, &[(indent, Mode::Flat, Job::Doc(inner))], Some(stack));
                stack.push((indent, if flat { Mode::Flat } else { Mode::Break }, Job::Doc(inner)));
            }
            Doc::Fill(items) => stack.push((indent, mode, Job::FillFrom(items, 0))),
            Doc::Trailing(c) => self.trailing(indent, c),
            Doc::Choose { need, gap, rest, indent: n } => {
                if *need <= usize::try_from(self.room()).unwrap_or(0) {
                    stack.extend([(indent, mode, Job::Doc(rest)), (indent, mode, Job::Doc(gap))]);
                } else {
                    stack.extend([(indent + n, mode, Job::Doc(rest)), (indent + n, mode, Job::Doc(&HARD))]);
                }
            }
            Doc::OwnLine(c) => {
                if self.col > indent || !self.out.is_empty() {
                    self.newline(indent, false);
                }
                self.write(c);
                self.newline(indent, false);
            }
        }
    }

    /// A comment after code. One that would pass the width goes on a line of its own above
    /// the code it follows (below, it would read as the next line's).
    fn trailing(&mut self, indent: usize, c: &str) {
        if self.pending.is_none() && self.col + 1 + width_of(c) > self.width && self.col > indent {
            let start = self.out.rfind('\n').map_or(0, |n| n + 1);
            let lead = self.out[start..].len() - self.out[start..].trim_start_matches(' ').len();
            self.out.insert_str(start, &format!("{}{c}\n", " ".repeat(lead)));
            return;
        }
        if self.pending.is_none() {
            self.write(" ");
        }
        self.write(c);
        if c.starts_with("//") || c.contains('\n') {
            self.newline(indent, false);
        }
    }

    /// Prints item `k` of a fill, after a line that breaks only if the item does not fit.
    fn fill_step<'a>(&mut self, stack: &mut Vec<Frame<'a>>, indent: usize, mode: Mode, items: &'a [Doc], k: usize) {
        let Some(item) = items.get(k) else { return };
        if k + 1 < items.len() {
            stack.push((indent, mode, Job::FillFrom(items, k + 1)));
        }
        let item_flat = [(indent, Mode::Flat, Job::Doc(item))];
        // The last item also needs room for what closes the list.
        let last = k + 1 == items.len();
        if k > 0 {
            let fits = mode == Mode::Flat || self.fits(1, &item_flat, last.then_some(&stack[..]));
            self.step(stack, indent, if fits { Mode::Flat } else { Mode::Break }, &Doc::Line);
        }
        let fits = mode == Mode::Flat || self.fits(0, &item_flat, last.then_some(&stack[..]));
        let item_mode = if fits { Mode::Flat } else { Mode::Break };
        stack.push((indent, item_mode, Job::Doc(item)));
    }

    fn write(&mut self, s: &str) {
        if let Some(p) = self.pending.take().filter(|_| !self.out.is_empty()) {
            self.out.truncate(self.out.trim_end_matches(' ').len());
            self.out.push('\n');
            if p.blank {
                self.out.push('\n');
            }
            self.out.extend(std::iter::repeat_n(' ', p.indent));
            self.col = p.indent;
        }
        self.out.push_str(s);
        match s.rfind('\n') {
            Some(n) => self.col = width_of(&s[n + 1..]),
            None => self.col += width_of(s),
        }
    }

    fn newline(&mut self, indent: usize, blank: bool) {
        let blank = blank || self.pending.is_some_and(|p| p.blank);
        self.pending = Some(Pending { indent, blank });
    }

    /// Whether `next`, flat, fits on the rest of the line after `extra` more columns; with
    /// `rest`, also whatever follows it up to the next possible line break.
    fn fits(&self, extra: usize, next: &[Frame<'_>], rest: Option<&[Frame<'_>]>) -> bool {
        let mut left = self.room() - extra as isize;
        let mut todo: Vec<(Mode, Job<'_>)> = next.iter().map(|&(_, m, j)| (m, j)).collect();
        let mut rest = rest.unwrap_or(&[]).iter().rev();
        let mut in_rest = false;
        loop {
            let Some((mode, job)) = todo.pop().or_else(|| {
                in_rest = true;
                rest.next().map(|&(_, m, j)| (m, j))
            }) else {
                return true;
            };
            match measure(mode, job, &mut todo, &mut left) {
                Measure::Goes => {}
                Measure::Ends | Measure::Refuses => return in_rest,
                Measure::Over => return false,
            }
        }
    }

    fn room(&self) -> isize {
        let col = if let Some(p) = self.pending { p.indent } else { self.col };
        self.width as isize - col as isize
    }
}

enum Measure {
    /// Measured; go on.
    Goes,
    /// A line break in break mode: the line ends here.
    Ends,
    /// Wider than the room.
    Over,
    /// Cannot be flat (a comment that ends its line, a forced break).
    Refuses,
}

/// One step of measuring: counts text, queues the parts of compound documents.
fn measure<'a>(mode: Mode, job: Job<'a>, todo: &mut Vec<(Mode, Job<'a>)>, left: &mut isize) -> Measure {
    let d = match job {
        Job::Doc(d) => d,
        Job::FillFrom(items, k) => {
            for (n, item) in items.iter().enumerate().skip(k).rev() {
                todo.push((mode, Job::Doc(item)));
                if n > 0 {
                    todo.push((mode, Job::Doc(&Doc::Line)));
                }
            }
            return Measure::Goes;
        }
    };
    match d {
        Doc::Text(s) => {
            *left -= width_of(s.split('\n').next().unwrap_or("")) as isize;
            if s.contains('\n') {
                return Measure::Ends;
            }
        }
        Doc::Line | Doc::SoftLine if mode == Mode::Break => return Measure::Ends,
        Doc::Line => *left -= 1,
        Doc::SoftLine => {}
        Doc::Hard | Doc::Blank | Doc::OwnLine(_) => return Measure::Refuses,
        Doc::Trailing(c) if c.starts_with("//") => return Measure::Refuses,
        Doc::Trailing(c) => *left -= 1 + width_of(c) as isize,
        Doc::Concat(items) => todo.extend(items.iter().rev().map(|i| (mode, Job::Doc(i)))),
        Doc::Nest(_, inner) => todo.push((mode, Job::Doc(inner))),
        // Groups still to come are measured flat: what follows must fit beside them.
        Doc::Group(inner) => todo.push((Mode::Flat, Job::Doc(inner))),
        Doc::Fill(items) => todo.push((mode, Job::FillFrom(items, 0))),
        Doc::Choose { gap, rest, .. } => todo.extend([(mode, Job::Doc(rest)), (mode, Job::Doc(gap))]),
    }
    if *left < 0 {
        Measure::Over
    } else {
        Measure::Goes
    }
}

/// Columns a text takes (characters, not bytes).
pub(super) fn width_of(s: &str) -> usize {
    s.chars().count()
}
