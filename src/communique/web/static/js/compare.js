import { api, bindFilters, el, fillFacets, fmt, quadBar, status, table } from "./common.js";

const form = document.getElementById("filters");

function stanceBar(score) {
  // Position of the mean stance on a −1…+1 scale, with the number beside it.
  const pct = ((Math.max(-1, Math.min(1, score || 0)) + 1) / 2) * 100;
  return el("span", {},
    el("span", { class: "bar", style: "display:inline-flex;width:10em;position:relative;background:linear-gradient(90deg,#f4c7c3,#eee,#c6dbef)", role: "img", "aria-label": `mean stance ${fmt(score)}` },
      el("span", { style: `position:absolute;left:calc(${pct}% - 2px);width:4px;background:#000` })),
    " ", fmt(score));
}

async function load(filters) {
  if (!filters.actor) { status("Choose an actor code, e.g. USA."); return; }
  status("Loading…");
  try {
    const data = await api("/api/compare", filters);
    table(document.getElementById("stance"), ["Outlet", { label: "Documents", num: true }, "Mean stance (−1…+1)", { label: "Negative", num: true },
      { label: "Neutral", num: true }, { label: "Positive", num: true }],
      data.outlets.map((o) => [el("a", { href: `/search?source=${encodeURIComponent(o.source)}&actor=${encodeURIComponent(data.actor)}` }, o.source),
        String(o.documents), o.stance_documents ? stanceBar(o.mean_stance) : "no stance coded", String(o.negative), String(o.neutral), String(o.positive)]));
    table(document.getElementById("mix"), ["Outlet", { label: "Events", num: true }, "QuadClass mix", { label: "Mean Goldstein", num: true }],
      data.outlets.map((o) => [o.source, String(o.events), quadBar(o.quad_classes), fmt(o.mean_goldstein)]));
    status(`${data.outlets.length} outlet(s) mention ${data.actor}`);
  } catch (error) {
    status(error.message, true);
  }
}

fillFacets(form).catch((error) => status(error.message, true));
const initial = bindFilters(form, load);
if (!initial.actor) {
  // Nothing chosen yet: start with the most mentioned actor.
  api("/api/overview", { limit: 1 }).then((data) => {
    const top = data.top_actors[0];
    if (!top) { status("No actors in this corpus yet."); return; }
    form.elements.namedItem("actor").value = top.code;
    load({ ...initial, actor: top.code });
  }).catch((error) => status(error.message, true));
} else {
  load(initial);
}
