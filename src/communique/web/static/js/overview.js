import { api, bindFilters, el, fillFacets, fmt, quadBar, status, table, svg, QUAD_LABELS } from "./common.js";

const form = document.getElementById("filters");
const MAX_THEMES = 12;

function card(label, value) {
  return el("div", { class: "card" }, el("div", { class: "muted" }, label), el("div", { class: "value" }, value));
}

function themeChart(trends) {
  const node = document.getElementById("themes");
  node.replaceChildren();
  const periods = [...new Set(trends.map((t) => t.period))].sort();
  const totals = new Map();
  for (const t of trends) totals.set(t.theme, (totals.get(t.theme) || 0) + t.documents);
  // The busiest themes; the rest are one filter away.
  const ranked = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const themes = ranked.slice(0, MAX_THEMES);
  if (!periods.length) { node.append(el("p", { class: "muted" }, "no themes coded")); return; }
  // A table is the accessible form; a small line chart per theme gives the shape.
  const counts = new Map(trends.map((t) => [`${t.theme}|${t.period}`, t.documents]));
  const max = Math.max(1, ...trends.map((t) => t.documents));
  const rows = themes.map((theme) => {
    const values = periods.map((p) => counts.get(`${theme}|${p}`) || 0);
    const w = 160, h = 28;
    const step = periods.length > 1 ? w / (periods.length - 1) : 0;
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(" ");
    const spark = svg("svg", { width: w + 8, height: h, viewBox: `-4 0 ${w + 8} ${h}`, role: "img", "aria-label": `${theme}: ${values.join(", ")}` },
      svg("polyline", { points, fill: "none", stroke: "#1a56db", "stroke-width": 2 }),
      ...values.map((v, i) => svg("circle", { cx: i * step, cy: h - 2 - (v / max) * (h - 4), r: 2.5, fill: "#1a56db" })));
    return [theme, spark, String(values.reduce((a, b) => a + b, 0))];
  });
  const t = el("table");
  table(t, ["Theme", `Trend ${periods[0]} … ${periods[periods.length - 1]}`, { label: "Documents", num: true }], rows);
  node.append(t);
  if (ranked.length > themes.length) {
    node.append(el("p", { class: "muted" }, `${ranked.length - themes.length} more theme(s); choose one in the Theme filter.`));
  }
}

async function load(filters) {
  status("Loading…");
  try {
    const data = await api("/api/overview", filters);
    const range = data.date_range.start ? `${data.date_range.start} … ${data.date_range.end}` : "–";
    document.getElementById("cards").replaceChildren(
      card("Documents", data.documents), card("Events", data.events), card("Sources", data.sources.length), card("Date range", range));
    table(document.getElementById("sources"), ["Source", { label: "Documents", num: true }],
      data.sources.map((s) => [el("a", { href: `/search?source=${encodeURIComponent(s.source)}` }, s.source), String(s.documents)]));
    table(document.getElementById("actors"), ["Code", "Name", { label: "Mentions", num: true }, { label: "Documents", num: true }, { label: "Mean stance", num: true }],
      data.top_actors.map((a) => [el("a", { href: `/compare?actor=${encodeURIComponent(a.code)}` }, a.code), a.name || "", String(a.mentions), String(a.documents), fmt(a.mean_stance)]));
    table(document.getElementById("dyads"), ["Source → target", { label: "Events", num: true }, { label: "Mean Goldstein", num: true }],
      data.top_dyads.map((d) => [el("a", { href: `/timeline?a=${encodeURIComponent(d.source)}&b=${encodeURIComponent(d.target)}` }, `${d.source} → ${d.target}`), String(d.events), fmt(d.mean_goldstein)]));
    const counts = Object.fromEntries(data.quad_classes.map((q) => [q.quad_class, q.events]));
    const quad = document.getElementById("quad");
    quad.replaceChildren(quadBar(counts));
    const t = el("table");
    table(t, ["QuadClass", { label: "Events", num: true }], [1, 2, 3, 4].map((q) => [`Q${q} ${QUAD_LABELS[q]}`, String(counts[q] || 0)]));
    quad.append(t);
    themeChart(data.theme_trends);
    status(`${data.documents} documents`);
  } catch (error) {
    status(error.message, true);
  }
}

fillFacets(form).catch((error) => status(error.message, true));
load(bindFilters(form, load));
