// The fields of the query's FROM with type badges; a field opens its top five values and
// their share of documents, each with + / − to filter the query for or against it.

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const BADGE = { keyword: "k", text: "t", long: "#", integer: "#", double: "#", unsigned_long: "#", date: "d",
  date_nanos: "d", ip: "ip", boolean: "b", geo_point: "geo", geo_shape: "geo", version: "v" };
const quoteName = (n) => "`" + n.replace(/`/g, "``") + "`";

// The ES|QL literal of a value of type `type`.
function literal(v, type) {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(String(v));
}

// `query` with `| WHERE cond` right after its source command.
export function addWhere(query, cond) {
  let inString = false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '"' && query[i - 1] !== "\\") inString = !inString;
    if (!inString && c === "/" && query[i + 1] === "/") { const nl = query.indexOf("\n", i); if (nl < 0) break; i = nl; continue; }
    if (!inString && c === "|") return `${query.slice(0, i)}| WHERE ${cond}\n${query.slice(i)}`;
  }
  return `${query.trimEnd()}\n| WHERE ${cond}`;
}

export class Fields {
  constructor(list, filter, { run, edit }) {
    this.list = list;
    this.filter = filter;
    this.run = run;
    this.edit = edit;
    this.fields = [];
    this.patterns = [];
    filter.addEventListener("input", () => this.render());
  }

  hasTimestamp() { return this.fields.some((f) => f.name === "@timestamp"); }

  async load(query) {
    const r = await fetch("/_esql/ui/api/fields", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) }).then((x) => x.json());
    this.fields = r.fields;
    this.patterns = r.patterns;
    this.render();
  }

  render() {
    const needle = this.filter.value.toLowerCase();
    this.list.innerHTML = this.fields.filter((f) => f.name.toLowerCase().includes(needle)).slice(0, 400).map((f) =>
      `<li><button type="button" aria-expanded="false" data-name="${esc(f.name)}" data-type="${esc(f.type)}" title="${esc(f.name)} (${esc(f.type)})"><span class="type" aria-label="${esc(f.type)}">${BADGE[f.type] || esc(f.type.slice(0, 2))}</span>${esc(f.name)}</button></li>`).join("");
    this.list.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => this.toggle(b)));
  }

  async toggle(button) {
    const li = button.parentElement;
    const open = li.querySelector(".top-values");
    if (open) { open.remove(); button.setAttribute("aria-expanded", "false"); return; }
    button.setAttribute("aria-expanded", "true");
    const { name, type } = button.dataset;
    const from = `FROM ${this.patterns.join(", ")}`;
    const [top, total] = await Promise.all([
      this.run(`${from} | STATS count = COUNT(*) BY ${quoteName(name)} | SORT count DESC | LIMIT 5`),
      this.run(`${from} | STATS total = COUNT(*) | LIMIT 1`),
    ]);
    const docs = total.values?.[0]?.[0] || 0;
    const ul = document.createElement("ul");
    ul.className = "top-values";
    ul.setAttribute("aria-label", `Top values of ${name}`);
    for (const [count, value] of top.values || []) {
      const share = docs ? (100 * count) / docs : 0;
      const cond = value === null ? `${quoteName(name)} IS NULL` : `${quoteName(name)} == ${literal(value, type)}`;
      const not = value === null ? `${quoteName(name)} IS NOT NULL` : `${quoteName(name)} != ${literal(value, type)}`;
      const li2 = document.createElement("li");
      li2.innerHTML = `<span class="val">${value === null ? "<i>null</i>" : esc(value)}</span><span>${share.toFixed(1)}%</span>` +
        `<button class="plain" type="button" aria-label="Filter for ${esc(value)}">+</button><button class="plain" type="button" aria-label="Filter out ${esc(value)}">−</button>` +
        `<span class="share" style="width:${share}%"></span>`;
      const [plus, minus] = li2.querySelectorAll("button");
      plus.addEventListener("click", () => this.edit(cond));
      minus.addEventListener("click", () => this.edit(not));
      ul.append(li2);
    }
    li.append(ul);
  }
}
