// Shared helpers. Every piece of corpus data reaches the page through textContent or a checked
// attribute, never through innerHTML, so article text cannot become markup or script.

export const QUAD_LABELS = {
  1: "verbal cooperation",
  2: "material cooperation",
  3: "verbal conflict",
  4: "material conflict",
};

/** Only http(s) and same-site paths become links; javascript:, data: and the rest stay text. */
export function safeUrl(value) {
  if (typeof value !== "string" || value === "") return null;
  if (value.startsWith("/") && !value.startsWith("//")) return value;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const SAFE_ATTRS = new Set([
  "class", "id", "title", "role", "tabindex", "type", "name", "value", "for", "colspan", "scope",
  "aria-label", "aria-live", "aria-pressed", "aria-describedby", "aria-expanded", "data-layer", "data-id",
  "width", "height", "lang", "datetime", "list", "disabled", "selected", "style", "rel", "target",
]);

/** el("a", {href: url, class: "x"}, "text", child): build DOM without parsing HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "href") {
      const url = safeUrl(String(value));
      if (url) node.setAttribute("href", url);
    } else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    } else if (SAFE_ATTRS.has(key) || key.startsWith("data-") || key.startsWith("aria-")) {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An external link to an original article: opens in a new tab, never sends our URL along. */
export function externalLink(url, text) {
  const href = safeUrl(url);
  if (!href || href.startsWith("/")) return el("span", { class: "muted" }, text || url || "");
  return el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, text || href);
}

export function docLink(doc) {
  const href = "/documents/" + encodeURIComponent(doc.id);
  return el("a", { href }, doc.title || doc.id);
}

export function status(message, isError = false) {
  const node = document.getElementById("status");
  if (!node) return;
  node.textContent = message || "";
  node.className = isError ? "error" : "muted";
}

/** GET a JSON API path; errors surface in the status line with the server's message. */
export async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.append(key, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body && body.message ? body.message : `request failed (${response.status})`;
    throw new Error(message);
  }
  return body;
}

/** The filter form's values as an object, and kept in the address bar so views can be shared. */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (value !== "") values[key] = value;
  }
  return values;
}

export function fillForm(form, params) {
  for (const [key, value] of params.entries()) {
    const field = form.elements.namedItem(key);
    if (field && "value" in field) field.value = value;
  }
}

export function bindFilters(form, onChange) {
  const params = new URLSearchParams(location.search);
  fillForm(form, params);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const values = formValues(form);
    history.replaceState(null, "", "?" + new URLSearchParams(values).toString());
    onChange(values);
  });
  return Object.fromEntries(params.entries());
}

export async function fillFacets(form) {
  const facets = await api("/api/facets");
  const params = new URLSearchParams(location.search);
  const fill = (name, items) => {
    const select = form.elements.namedItem(name);
    if (!select || select.tagName !== "SELECT") return;
    for (const item of items) select.append(el("option", { value: item.value }, item.label));
    if (params.has(name)) select.value = params.get(name);
  };
  fill("source", facets.sources.map((s) => ({ value: s, label: s })));
  fill("theme", facets.themes.map((t) => ({ value: t, label: t })));
  fill("plover", facets.plover_types.map((p) => ({ value: p, label: p })));
  const list = document.getElementById("actor-codes");
  if (list) for (const actor of facets.actors) list.append(el("option", { value: actor.code }, actor.name || actor.code));
  return facets;
}

export function fmt(value, digits = 2) {
  return value === null || value === undefined || Number.isNaN(value) ? "–" : Number(value).toFixed(digits);
}

export function table(node, headers, rows) {
  node.replaceChildren();
  const head = el("tr", {}, headers.map((h) => el("th", { scope: "col", class: h.num ? "num" : null }, h.label || h)));
  node.append(el("thead", {}, head));
  const body = el("tbody");
  if (!rows.length) body.append(el("tr", {}, el("td", { colspan: headers.length, class: "muted" }, "nothing to show")));
  for (const row of rows) {
    body.append(el("tr", {}, row.map((cell, i) => el("td", { class: headers[i].num ? "num" : null }, cell))));
  }
  node.append(body);
}

/** Stacked bar of QuadClass counts, with the counts in text so colour is not the only signal. */
export function quadBar(counts) {
  const total = [1, 2, 3, 4].reduce((sum, q) => sum + (counts[q] || 0), 0);
  const bar = el("div", { class: "bar", role: "img",
    "aria-label": [1, 2, 3, 4].map((q) => `Q${q} ${QUAD_LABELS[q]}: ${counts[q] || 0}`).join(", ") });
  for (const q of [1, 2, 3, 4]) {
    const n = counts[q] || 0;
    if (n && total) bar.append(el("span", { class: `q${q}`, style: `width:${(100 * n) / total}%`, title: `Q${q} ${QUAD_LABELS[q]}: ${n}` }));
  }
  const text = el("span", { class: "muted" }, [1, 2, 3, 4].map((q) => `Q${q}: ${counts[q] || 0}`).join(" · "));
  return el("div", {}, bar, text);
}

/** One event as a list item: codes, actors, the sentence and a link to its document. */
export function eventItem(ev) {
  const who = `${ev.source_code || "?"} → ${ev.target_code || "?"}`;
  const head = el("div", {},
    el("strong", {}, who), " ",
    el("span", { class: `tag q${ev.quad_class}` }, `Q${ev.quad_class} ${QUAD_LABELS[ev.quad_class] || ""}`), " ",
    el("span", {}, `CAMEO ${ev.cameo_code} ${ev.cameo_name || ""}`), " · ",
    el("span", {}, `PLOVER ${ev.plover_type || "–"}`), " · ",
    el("span", {}, `Goldstein ${fmt(ev.goldstein, 1)}`),
    ev.published ? el("span", { class: "muted" }, ` · ${ev.published}`) : null,
  );
  const sentence = el("q", { class: "sentence" }, ev.sentence_text || "");
  const name = ev.title || (ev.path ? ev.path.split("/").pop() : "") || ev.document_id;
  const link = el("a", { href: `/documents/${encodeURIComponent(ev.document_id)}#ev-${ev.event_index}` }, name);
  return el("li", {}, head, sentence, link, ev.source ? el("span", { class: "muted" }, ` — ${ev.source}`) : null);
}

export function eventsList(node, payload, heading) {
  node.replaceChildren();
  // Copies of one story are one event: say both numbers, so counts match the graph and the timeline.
  if (heading) node.append(el("p", {}, el("strong", {}, heading),
    ` — ${payload.distinct_events} event(s) in ${payload.total} article mention(s)`));
  const list = el("ul", { class: "plain events-list" });
  for (const ev of payload.events) list.append(eventItem(ev));
  if (!payload.events.length) list.append(el("li", { class: "muted" }, "no events"));
  node.append(list);
  if (payload.total > payload.events.length) node.append(el("p", { class: "muted" }, `showing the first ${payload.events.length}`));
}
