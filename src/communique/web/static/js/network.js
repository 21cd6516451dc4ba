import { api, bindFilters, el, eventsList, fillFacets, fmt, status, table } from "./common.js";

const form = document.getElementById("filters");
const eventsNode = document.getElementById("edge-events");
let current = {};
let graph = null;

/** Diverging red–grey–blue for mean Goldstein in [-10, 10]; edges also carry a text label and a dash style. */
function goldsteinColour(value) {
  const t = Math.max(-1, Math.min(1, (value || 0) / 10));
  const mix = (a, b, f) => Math.round(a + (b - a) * f);
  const [from, to, f] = t < 0 ? [[187, 187, 187], [178, 24, 43], -t] : [[187, 187, 187], [33, 102, 172], t];
  return `rgb(${mix(from[0], to[0], f)},${mix(from[1], to[1], f)},${mix(from[2], to[2], f)})`;
}

async function showEdge(source, target) {
  status(`Loading events ${source} → ${target}…`);
  try {
    const { level, ...filters } = current;
    const payload = await api("/api/events", { ...filters, source_actor: source, target_actor: target,
      exact: level === "full" ? "true" : undefined, limit: 100 });
    eventsList(eventsNode, payload, `${source} → ${target}`);
    eventsNode.focus();
    status(`${payload.total} event(s) ${source} → ${target}`);
  } catch (error) {
    status(error.message, true);
  }
}

function drawGraph(data) {
  const container = document.getElementById("graph");
  if (typeof window.cytoscape !== "function") {
    container.replaceChildren(el("p", { class: "error" },
      "The graph library is not built (run scripts/build_web.sh); the edge table below has the same data."));
    return;
  }
  const maxMentions = Math.max(1, ...data.nodes.map((n) => n.mentions));
  const maxEvents = Math.max(1, ...data.edges.map((e) => e.events));
  const elements = [
    ...data.nodes.map((n) => ({ data: { id: n.id, label: n.id, name: n.label || n.id, mentions: n.mentions,
      size: 24 + 46 * Math.sqrt(n.mentions / maxMentions) } })),
    ...data.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, events: e.events,
      goldstein: e.mean_goldstein, colour: goldsteinColour(e.mean_goldstein),
      width: 1.5 + 8 * Math.sqrt(e.events / maxEvents), dash: e.mean_goldstein < 0 ? "dashed" : "solid",
      label: `${e.events} · ${fmt(e.mean_goldstein, 1)}` } })),
  ];
  if (graph) graph.destroy();
  graph = window.cytoscape({
    container,
    elements,
    style: [
      { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)", "background-color": "#e8edf7",
        "border-color": "#16213e", "border-width": 2, "text-valign": "center", "font-size": 12, "font-weight": "bold", color: "#111" } },
      { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", "line-style": "data(dash)", label: "data(label)",
        "font-size": 10, "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 2 } },
      { selector: ":selected", style: { "border-width": 4, "overlay-opacity": 0.15 } },
    ],
    layout: { name: data.nodes.length > 60 ? "concentric" : "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 120, padding: 20 },
  });
  graph.on("tap", "edge", (event) => showEdge(event.target.data("source"), event.target.data("target")));
  graph.on("tap", "node", (event) => { location.href = `/search?actor=${encodeURIComponent(event.target.id())}`; });
  window.communiqueGraph = graph;  // for tests and for analysts poking at the console
}

async function load(filters) {
  current = filters;
  status("Loading…");
  try {
    const data = await api("/api/network", filters);
    drawGraph(data);
    table(document.getElementById("edges"), ["Source → target", { label: "Events", num: true }, { label: "Mean Goldstein", num: true }, ""],
      data.edges.map((e) => [`${e.source} → ${e.target}`, String(e.events), fmt(e.mean_goldstein),
        el("button", { type: "button", class: "link", onclick: () => showEdge(e.source, e.target), "aria-label": `List events ${e.source} to ${e.target}` }, "events")]));
    status(`${data.nodes.length} actors, ${data.edges.length} edges`);
    document.body.dataset.loaded = "network";
  } catch (error) {
    status(error.message, true);
  }
}

fillFacets(form).catch((error) => status(error.message, true));
load(bindFilters(form, load));
