import { api, bindFilters, docLink, el, fillFacets, status } from "./common.js";

const form = document.getElementById("filters");
const results = document.getElementById("results");

/** The snippet with query words wrapped in <mark>, built from text pieces (no HTML parsing). */
function marked(text, query) {
  const words = (query || "").toLowerCase().split(/\s+/).filter((w) => w.length > 1);
  if (!words.length) return [text];
  const out = [];
  const lower = text.toLowerCase();
  let i = 0;
  while (i < text.length) {
    let best = -1, len = 0;
    for (const w of words) {
      const at = lower.indexOf(w, i);
      if (at !== -1 && (best === -1 || at < best)) { best = at; len = w.length; }
    }
    if (best === -1) { out.push(text.slice(i)); break; }
    out.push(text.slice(i, best), el("mark", {}, text.slice(best, best + len)));
    i = best + len;
  }
  return out;
}

async function load(filters) {
  status("Searching…");
  try {
    const data = await api("/api/search", { ...filters, limit: 50 });
    results.replaceChildren(el("p", {}, `${data.total} document(s)`));
    const list = el("ol", { class: "plain" });
    for (const hit of data.results) {
      list.append(el("li", {}, el("strong", {}, docLink(hit)),
        el("span", { class: "muted" }, ` — ${[hit.source, hit.published].filter(Boolean).join(", ")}`),
        el("div", {}, marked(hit.snippet || "", filters.q))));
    }
    results.append(list);
    status(`${data.total} document(s)`);
  } catch (error) {
    status(error.message, true);
  }
}

fillFacets(form).catch((error) => status(error.message, true));
load(bindFilters(form, load));
