// The page: state in the URL (a link reproduces the query and its time range), history in
// localStorage, the time picker, and a run: the query (POST /_query, the time range as
// Kibana sends it: a `filter` on @timestamp and the `?_tstart`/`?_tend` parameters), the
// histogram beside it, the fields of its FROM.

import { Editor, post } from "./editor.js";
import { drawHistogram } from "./chart.js";
import { showTable, showWarnings, warningText } from "./results.js";
import { Fields, addWhere } from "./fields.js";

const $ = (id) => document.getElementById(id);
const HOUR = 3600e3;
let current = null; // the time range of the last run
const QUICK = { "15m": HOUR / 4, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR };

const language = await fetch("/_esql/ui/api/language").then((r) => r.json());
const editor = new Editor($("editor"), language, { onRun: run });
const fields = new Fields($("field-list"), $("field-filter"), { run: (q) => query(q).then((r) => r.body), edit: filterBy });
const url = new URLSearchParams(location.search);
editor.value = url.get("query") ?? JSON.parse(localStorage.getItem("esql.history") || "[]")[0] ?? "";
for (const k of ["start", "end", "now"]) $(k).value = url.get(k) ?? "";
$("quick").value = url.get("range") ?? ($("start").value ? "abs" : "span");
$("run").addEventListener("click", run);
$("quick").addEventListener("change", run);
for (const k of ["start", "end"]) $(k).addEventListener("change", () => { $("quick").value = "abs"; });
window.addEventListener("resize", () => $("histogram").redraw?.());
window.__esqlReady = performance.now();
if (editor.value.trim()) run();

function nowMs() {
  const pinned = Date.parse($("now").value);
  return Number.isNaN(pinned) ? Date.now() : pinned;
}

// The time range the picker says, the data's whole span looked up when asked for.
async function range() {
  const quick = $("quick").value;
  if (QUICK[quick]) {
    const end = nowMs();
    return { start: new Date(end - QUICK[quick]).toISOString(), end: new Date(end).toISOString() };
  }
  if (quick === "span" && fields.patterns.length && fields.hasTimestamp()) {
    const r = await query(`FROM ${fields.patterns.join(", ")} | STATS a = MIN(@timestamp), b = MAX(@timestamp) | LIMIT 1`, null);
    const [a, b] = r.body.values?.[0] ?? [];
    if (a && b) return { start: a, end: b };
  }
  return { start: $("start").value, end: $("end").value };
}

// POST /_query; the answer's body and warnings.
async function query(text, timeRange = current) {
  const body = { query: text };
  if (timeRange?.start && timeRange?.end && fields.hasTimestamp()) {
    body.filter = { range: { "@timestamp": { gte: timeRange.start, lte: timeRange.end } } };
    const params = {};
    if (text.includes("?_tstart")) params._tstart = timeRange.start;
    if (text.includes("?_tend")) params._tend = timeRange.end;
    if (Object.keys(params).length) body.params = [params];
  }
  const started = performance.now();
  const headers = { "content-type": "application/json", accept: "application/json" };
  // A pinned now is the query's now() too (old exports); the server's own header.
  if (!Number.isNaN(Date.parse($("now").value))) headers["x-esql-now"] = new Date(Date.parse($("now").value)).toISOString();
  const r = await fetch("/_query", { method: "POST", headers, body: JSON.stringify(body) });
  return { ok: r.ok, body: await r.json(), warnings: warningText(r.headers.get("warning")), ms: performance.now() - started };
}

async function run() {
  const text = editor.value;
  if (!text.trim()) return;
  $("status").textContent = "Running…";
  await fields.load(text);
  current = await range();
  $("start").value = current.start || "";
  $("end").value = current.end || "";
  remember(text);
  const [answer] = await Promise.all([query(text), histogram(text)]);
  if (!answer.ok) {
    $("table").innerHTML = "";
    showWarnings($("warnings"), []);
    $("status").textContent = answer.body.error?.reason ?? "failed";
    await editor.check();
    return;
  }
  editor.setProblems([], "");
  const { values, documents_found: docs, took } = answer.body;
  const capped = values.length >= 1000 && answer.warnings.some((w) => w.startsWith("No limit defined"));
  $("status").textContent = `${values.length} row${values.length === 1 ? "" : "s"}` +
    (capped ? ` (the default LIMIT 1000 stopped the rows; add a LIMIT for more)` : "") +
    ` · ${docs} documents · ${took} ms`;
  showWarnings($("warnings"), answer.warnings);
  showTable($("table"), answer.body, $("flyout"));
}

async function histogram(text) {
  const box = $("histogram");
  if (!current.start || !current.end || !fields.hasTimestamp()) { box.innerHTML = ""; return; }
  const now = Number.isNaN(Date.parse($("now").value)) ? undefined : $("now").value;
  const r = await post("/_esql/ui/api/histogram", { query: text, start: current.start, end: current.end, buckets: 60, now });
  drawHistogram(box, r.buckets || [], current, (a, b) => {
    $("quick").value = "abs";
    $("start").value = a.toISOString();
    $("end").value = b.toISOString();
    run();
  });
}

function filterBy(cond) {
  editor.value = addWhere(editor.value, cond);
  run();
}

function remember(text) {
  const history = [text, ...JSON.parse(localStorage.getItem("esql.history") || "[]").filter((q) => q !== text)].slice(0, 50);
  localStorage.setItem("esql.history", JSON.stringify(history));
  const params = new URLSearchParams({ query: text, range: $("quick").value });
  for (const k of ["start", "end", "now"]) if ($(k).value) params.set(k, $(k).value);
  history.length && window.history.replaceState(null, "", `/?${params}`);
}
