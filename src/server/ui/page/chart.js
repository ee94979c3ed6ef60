// The histogram of matches over time, as SVG bars; dragging across it (brushing) narrows the
// time range to the dragged span.

const NS = "http://www.w3.org/2000/svg";

function el(name, attrs) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export function drawHistogram(root, buckets, range, onBrush) {
  // Drawn again at the new width when the window changes size.
  root.redraw = () => drawHistogram(root, buckets, range, onBrush);
  root.innerHTML = "";
  const W = root.clientWidth - 24 || 800, H = root.clientHeight - 8 || 110, pad = 18;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "presentation" });
  const t0 = Date.parse(range.start), t1 = Date.parse(range.end);
  if (!(t1 > t0)) { root.append(svg); return; }
  const x = (t) => ((t - t0) / (t1 - t0)) * W;
  const max = Math.max(1, ...buckets.map((b) => b[1]));
  const times = buckets.map((b) => Date.parse(b[0]));
  const step = times.length > 1 ? Math.min(...times.slice(1).map((t, i) => t - times[i])) : (t1 - t0) / 60;
  let total = 0;
  buckets.forEach(([t, n], i) => {
    total += n;
    const left = x(times[i]), width = Math.max(1, x(times[i] + step) - left - 1), h = ((H - pad) * n) / max;
    const bar = el("rect", { class: "b", x: left, y: H - pad - h, width, height: h });
    const tip = el("title", {});
    tip.textContent = `${t}: ${n}`;
    bar.append(tip);
    svg.append(bar);
  });
  for (const [t, anchor] of [[t0, "start"], [t1, "end"]]) {
    const label = el("text", { x: x(t), y: H - 4, "text-anchor": anchor });
    label.textContent = new Date(t).toISOString().replace(".000Z", "Z");
    svg.append(label);
  }
  root.setAttribute("aria-label", `${total} documents from ${range.start} to ${range.end}; drag to narrow the range`);
  root.setAttribute("role", "img");
  root.append(svg);
  brushing(root, svg, W, H, (a, b) => onBrush(new Date(t0 + (a / W) * (t1 - t0)), new Date(t0 + (b / W) * (t1 - t0))));
}

function brushing(root, svg, W, H, done) {
  let from = null, rect = null;
  const at = (e) => {
    const box = svg.getBoundingClientRect();
    return Math.max(0, Math.min(W, ((e.clientX - box.left) / box.width) * W));
  };
  svg.addEventListener("pointerdown", (e) => {
    from = at(e);
    rect = el("rect", { class: "brush", x: from, y: 0, width: 0, height: H });
    svg.append(rect);
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (from === null) return;
    const to = at(e);
    rect.setAttribute("x", Math.min(from, to));
    rect.setAttribute("width", Math.abs(to - from));
  });
  svg.addEventListener("pointerup", (e) => {
    if (from === null) return;
    const to = at(e), a = Math.min(from, to), b = Math.max(from, to);
    from = null;
    if (b - a > 3) done(a, b);
    else rect.remove();
  });
}
