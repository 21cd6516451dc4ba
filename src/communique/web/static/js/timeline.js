import { api, bindFilters, el, eventsList, fillFacets, fmt, status, svg, table, QUAD_LABELS } from "./common.js";

const form = document.getElementById("filters");
const charts = document.getElementById("charts");
const eventsNode = document.getElementById("period-events");
let current = {};

function patterns() {
  // Fills for the four QuadClasses: colour plus a texture, so print and colour-blind readers can tell them apart.
  const defs = svg("defs");
  const colours = { 1: "#56b4e9", 2: "#009e73", 3: "#e69f00", 4: "#d55e00" };
  for (const q of [1, 2, 3, 4]) {
    const p = svg("pattern", { id: `pat-q${q}`, width: 6, height: 6, patternUnits: "userSpaceOnUse" },
      svg("rect", { width: 6, height: 6, fill: colours[q] }));
    if (q === 2) p.append(svg("path", { d: "M0,6 L6,0", stroke: "#fff", "stroke-width": 1.5 }));
    if (q === 3) p.append(svg("circle", { cx: 3, cy: 3, r: 1.3, fill: "#fff" }));
    if (q === 4) p.append(svg("path", { d: "M0,6 L6,0 M0,0 L6,6", stroke: "#000", "stroke-width": 1 }));
    defs.append(p);
  }
  return defs;
}

async function drill(source, target, period) {
  status(`Loading events ${source} → ${target}, ${period.period}…`);
  try {
    const payload = await api("/api/events", { ...current, a: undefined, b: undefined, by: undefined,
      source_actor: source, target_actor: target, start: period.start, end: period.end, limit: 100 });
    eventsList(eventsNode, payload, `${source} → ${target}, ${period.period}`);
    eventsNode.focus();
    status(`${payload.total} event(s)`);
  } catch (error) {
    status(error.message, true);
  }
}

function chart(title, source, target, series, periods) {
  const W = 900, H = 230, left = 44, right = 44, top = 24, bottom = 40;
  const byPeriod = new Map(series.map((p) => [p.period, p]));
  const maxCount = Math.max(1, ...series.map((p) => p.events));
  const slot = (W - left - right) / Math.max(1, periods.length);
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const y = (n) => top + (H - top - bottom) * (1 - n / maxCount);
  const gy = (g) => top + (H - top - bottom) * (1 - (g + 10) / 20);
  const root = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": title }, patterns());
  root.append(svg("text", { x: left, y: 15, "font-weight": "bold" }, title));
  root.append(svg("line", { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, stroke: "#333" }));
  root.append(svg("line", { x1: left, x2: W - right, y1: gy(0), y2: gy(0), stroke: "#999", "stroke-dasharray": "3,3" }));
  for (const n of [0, maxCount]) root.append(svg("text", { x: left - 6, y: y(n) + 4, "text-anchor": "end" }, String(n)));
  for (const g of [-10, 0, 10]) root.append(svg("text", { x: W - right + 6, y: gy(g) + 4 }, String(g)));
  const lines = [[]];  // the Goldstein line breaks where a period has no events
  const labelEvery = Math.ceil(periods.length / 12);
  periods.forEach((period, i) => {
    const cx = left + slot * (i + 0.5);
    const p = byPeriod.get(period.period);
    const group = svg("g", { class: "period", tabindex: p ? 0 : -1, role: p ? "button" : null,
      "aria-label": p ? `${period.period}: ${p.events} events, ` + [1, 2, 3, 4].map((q) => `Q${q} ${p.counts[q] || 0}`).join(", ") + `, mean Goldstein ${fmt(p.mean_goldstein, 1)}` : null });
    group.append(svg("rect", { class: "hit", x: cx - slot / 2, y: top, width: slot, height: H - top - bottom, fill: "transparent" }));
    if (p) {
      let base = 0;
      for (const q of [1, 2, 3, 4]) {
        const n = p.counts[q] || 0;
        if (!n) continue;
        group.append(svg("rect", { class: `tbar q${q}`, x: cx - barW / 2, y: y(base + n), width: barW, height: y(base) - y(base + n),
          fill: `url(#pat-q${q})`, stroke: "#222", "stroke-width": 0.5 }, svg("title", {}, `${period.period} Q${q} ${QUAD_LABELS[q]}: ${n}`)));
        base += n;
      }
      lines[lines.length - 1].push([cx, gy(p.mean_goldstein)]);
      const activate = () => drill(source, target, period);
      group.addEventListener("click", activate);
      group.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); } });
    }
    else if (lines[lines.length - 1].length) lines.push([]);
    if (i % labelEvery === 0) group.append(svg("text", { x: cx, y: H - bottom + 14, "text-anchor": "middle" }, period.period));
    root.append(group);
  });
  for (const line of lines) {
    if (line.length > 1) root.append(svg("polyline", { points: line.map(([a, b]) => `${a},${b}`).join(" "), fill: "none", stroke: "#000", "stroke-width": 1.5 }));
    for (const [a, b] of line) root.append(svg("circle", { class: "point", cx: a, cy: b, r: 3.5, fill: "#000" }));
  }
  return root;
}

async function load(filters) {
  current = filters;
  if (!filters.a || !filters.b) { status("Choose two actors (for example from the overview's top dyads)."); return; }
  status("Loading…");
  try {
    const data = await api("/api/dyad", filters);
    charts.replaceChildren(
      chart(`${data.a} → ${data.b}`, data.a, data.b, data.forward, data.periods),
      chart(`${data.b} → ${data.a}`, data.b, data.a, data.backward, data.periods));
    const rows = [];
    for (const [dir, series] of [[`${data.a} → ${data.b}`, data.forward], [`${data.b} → ${data.a}`, data.backward]]) {
      for (const p of series) rows.push([dir, p.period, String(p.events), ...[1, 2, 3, 4].map((q) => String(p.counts[q] || 0)), fmt(p.mean_goldstein), (p.top_event_types || []).join(", ")]);
    }
    const t = el("table");
    table(t, ["Direction", "Period", { label: "Events", num: true }, { label: "Q1", num: true }, { label: "Q2", num: true },
      { label: "Q3", num: true }, { label: "Q4", num: true }, { label: "Mean Goldstein", num: true }, "Top CAMEO codes"], rows);
    document.getElementById("table").replaceChildren(t);
    status(`${data.forward.length + data.backward.length} period(s) with events`);
    document.body.dataset.loaded = "timeline";
  } catch (error) {
    status(error.message, true);
  }
}

fillFacets(form).catch((error) => status(error.message, true));
const initial = bindFilters(form, load);
if (!initial.a || !initial.b) {
  // No dyad chosen yet: start from the corpus's busiest one.
  api("/api/overview", { limit: 1 }).then((data) => {
    const top = data.top_dyads[0];
    if (!top) { status("No dyads in this corpus yet."); return; }
    form.elements.namedItem("a").value = top.source;
    form.elements.namedItem("b").value = top.target;
    load({ ...initial, a: top.source, b: top.target, by: initial.by || "month" });
  }).catch((error) => status(error.message, true));
} else {
  load(initial);
}
