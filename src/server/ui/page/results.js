// The result table (sticky header, resizable columns, multi-values as lists, long values cut
// with the whole on click), the document flyout, the warnings and the status line.

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function cell(v) {
  if (v === null || v === undefined) return `<span class="null">null</span>`;
  if (Array.isArray(v)) return `<ul class="mv">${v.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>`;
  return `<span class="v">${esc(v)}</span>`;
}

export function showTable(table, answer, flyout) {
  const { columns, values } = answer;
  table.innerHTML = `<thead><tr>${columns.map((c) =>
    `<th scope="col"><div class="col" title="${esc(c.name)} (${esc(c.type)})">${esc(c.name)}<span class="ty">${esc(c.type)}</span></div></th>`).join("")}</tr></thead>` +
    `<tbody>${values.map((row, r) => `<tr tabindex="0" data-row="${r}" aria-label="Row ${r + 1}">${row.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`).join("")}</tbody>`;
  table.querySelectorAll("tbody tr").forEach((tr) => {
    const open = () => showDocument(flyout, columns, values[Number(tr.dataset.row)], Number(tr.dataset.row));
    tr.addEventListener("dblclick", open);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
  });
  table.querySelectorAll("td").forEach((td) => td.addEventListener("click", () => td.classList.toggle("open")));
}

export function showDocument(flyout, columns, row, r) {
  flyout.hidden = false;
  flyout.innerHTML = `<h2>Row ${r + 1}<button class="plain" type="button" aria-label="Close">✕</button></h2><dl>${columns
    .map((c, k) => [c, row[k]])
    .filter(([, v]) => v !== null)
    .map(([c, v]) => `<dt>${esc(c.name)}</dt><dd>${Array.isArray(v) ? v.map(esc).join("<br>") : esc(v)}</dd>`)
    .join("")}</dl>`;
  const close = () => { flyout.hidden = true; };
  flyout.querySelector("button").addEventListener("click", close);
  flyout.onkeydown = (e) => { if (e.key === "Escape") close(); };
  flyout.focus();
}

export function showWarnings(list, warnings) {
  list.innerHTML = warnings.map((w) => `<li>${esc(w)}</li>`).join("");
}

// A Warning header's text (`299 Elasticsearch-9.1.0-0000000 "text"`).
export function warningText(header) {
  const out = [];
  const re = /299 \S+ "((?:\\.|[^"\\])*)"/g;
  let m;
  while ((m = re.exec(header || ""))) out.push(m[1].replace(/\\(.)/g, "$1"));
  return out;
}
