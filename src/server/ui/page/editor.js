// The query editor: a textarea over a highlighted copy of its text. Keywords and function
// names come from the server's tables (/_esql/ui/api/language), completions from the same
// code the REPL uses (/_esql/ui/api/complete), problems from the planner (/_esql/ui/api/check).

const esc = (s) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);

export class Editor {
  constructor(root, language, { onRun, onChange }) {
    this.area = root.querySelector("textarea");
    this.hl = root.querySelector(".hl");
    this.list = root.querySelector(".completions");
    this.hint = document.getElementById("hint");
    this.words = new Set([...language.source_commands, ...language.processing_commands, ...language.clause_words,
      ...language.operator_words, ...language.boolean_words].map((w) => w.toLowerCase()));
    this.functions = new Map(language.functions.map((f) => [f.name, f]));
    this.problems = [];
    this.items = [];
    this.onRun = onRun;
    this.onChange = onChange;
    this.area.addEventListener("input", (e) => this.changed(e));
    this.area.addEventListener("keydown", (e) => this.key(e));
    this.area.addEventListener("scroll", () => { this.hl.scrollTop = this.area.scrollTop; });
    this.area.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    this.render();
  }

  get value() { return this.area.value; }
  set value(v) { this.area.value = v; this.render(); }

  changed(e) {
    this.render();
    this.signature();
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), 250);
    const typed = e.inputType === "insertText" && /[\w.@*-]/.test(e.data || "");
    if (typed || (e.inputType === "insertText" && e.data === " " && /\|\s$|^\s*FROM\s$/i.test(this.before()))) this.complete();
    else this.close();
    this.onChange?.();
  }

  before() { return this.area.value.slice(0, this.area.selectionStart); }

  // Highlights by the same word classes as the REPL: keywords, calls, strings, numbers, comments.
  render() {
    const text = this.area.value;
    const re = /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("""[\s\S]*?(?:"""|$)|"(?:\\.|[^"\\\n])*"?)|(\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_@][\w.@]*)(?=(\s*\())?|(\|)/gi;
    const spans = [];
    let m;
    while ((m = re.exec(text))) {
      const [all, com, str, num, word, call, pipe] = m;
      const cls = com ? "com" : str ? "str" : num ? "num" : pipe ? "pipe"
        : word && call !== undefined && this.functions.has(word.toLowerCase()) ? "fn"
        : word && this.words.has(word.toLowerCase()) ? "kw" : null;
      if (cls) spans.push([m.index, m.index + all.length, cls]);
    }
    for (const p of this.problems) spans.push([p.start, Math.max(p.end, p.start + 1), "bad"]);
    const marks = [];
    for (const [s, e, c] of spans) { marks.push([s, 1, c]); marks.push([e, 0, c]); }
    marks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let out = "", at = 0;
    for (const [pos, open, cls] of marks) {
      out += esc(text.slice(at, pos)) + (open ? `<span class="${cls}">` : "</span>");
      at = pos;
    }
    this.hl.innerHTML = out + esc(text.slice(at)) + "\n";
  }

  async check() {
    const query = this.area.value;
    if (!query.trim()) { this.setProblems([], ""); return; }
    const r = await post("/_esql/ui/api/check", { query });
    if (query === this.area.value) this.setProblems(r.problems, r.rendered);
  }

  setProblems(problems, rendered) {
    this.problems = problems;
    this.render();
    const box = document.getElementById("problems");
    box.hidden = !rendered;
    box.textContent = rendered;
  }

  // The signature of the function whose call the cursor is in.
  signature() {
    const before = this.before();
    let depth = 0;
    for (let i = before.length - 1; i >= 0; i--) {
      const c = before[i];
      if (c === ")") depth++;
      else if (c === "(" && depth-- === 0) {
        const name = (before.slice(0, i).match(/([A-Za-z_]\w*)\s*$/) || [])[1];
        const f = name && this.functions.get(name.toLowerCase());
        this.hint.textContent = f ? `${f.signature} — ${f.doc}` : "";
        return;
      }
    }
    this.hint.textContent = "";
  }

  async complete() {
    const query = this.area.value, pos = this.area.selectionStart;
    const r = await post("/_esql/ui/api/complete", { query, pos });
    if (query !== this.area.value || pos !== this.area.selectionStart) return;
    this.start = r.start;
    this.items = r.candidates.slice(0, 50);
    this.selected = 0;
    this.show();
  }

  show() {
    if (!this.items.length) { this.close(); return; }
    this.list.innerHTML = this.items.map((c, i) =>
      `<li role="option" id="c${i}" aria-selected="${i === this.selected}">${esc(c.label)}<span class="kind">${c.kind}</span></li>`).join("");
    this.list.hidden = false;
    this.area.setAttribute("aria-expanded", "true");
    this.area.setAttribute("aria-activedescendant", `c${this.selected}`);
    this.list.querySelectorAll("li").forEach((li, i) => li.addEventListener("mousedown", (e) => { e.preventDefault(); this.accept(i); }));
    this.list.children[this.selected]?.scrollIntoView({ block: "nearest" });
    const lines = this.before().split("\n").length;
    this.list.style.top = `${Math.min(lines, 6) * 19 + 10}px`;
  }

  close() {
    this.list.hidden = true;
    this.items = [];
    this.area.setAttribute("aria-expanded", "false");
    this.area.removeAttribute("aria-activedescendant");
  }

  accept(i) {
    const c = this.items[i];
    if (!c) return;
    const v = this.area.value, pos = this.area.selectionStart;
    this.area.value = v.slice(0, this.start) + c.insert + v.slice(pos);
    const at = this.start + c.insert.length;
    this.area.setSelectionRange(at, at);
    this.close();
    this.area.dispatchEvent(new InputEvent("input", { inputType: "insertReplacementText" }));
  }

  key(e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); this.close(); this.onRun(); return; }
    if (e.ctrlKey && e.key === " ") { e.preventDefault(); this.complete(); return; }
    if (this.list.hidden) return;
    const n = this.items.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      this.selected = (this.selected + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.show();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      this.accept(this.selected);
    } else if (e.key === "Escape") {
      e.preventDefault();
      this.close();
    }
  }
}

export async function post(path, body, headers = {}) {
  const r = await fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return r.json();
}
