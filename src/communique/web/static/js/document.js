import { api, docLink, el, externalLink, fmt, status, QUAD_LABELS } from "./common.js";

const pageData = JSON.parse(document.getElementById("page-data").textContent);
const textNode = document.getElementById("doctext");
const detail = document.getElementById("event-detail");

function actorLabel(actor) {
  return actor ? `${actor.code} (“${actor.text}”)` : "–";
}

function eventSummary(ev) {
  const plover = ev.plover && ev.plover.type ? ev.plover.type : "–";
  return `CAMEO ${ev.cameo.code} ${ev.cameo.name} · PLOVER ${plover} · Goldstein ${fmt(ev.goldstein, 1)} · ` +
    `${ev.source ? ev.source.code : "?"} → ${ev.target ? ev.target.code : "?"} · rule ${ev.rule}`;
}

function showEvents(analysis, indexes, trigger) {
  for (const node of textNode.querySelectorAll(".ann-trigger.active")) node.classList.remove("active");
  for (const node of textNode.querySelectorAll(".ann-trigger")) {
    if (node.dataset.events.split(",").some((i) => indexes.includes(Number(i)))) node.classList.add("active");
  }
  detail.replaceChildren();
  for (const i of indexes) {
    const ev = analysis.events[i];
    const rows = [
      ["Trigger", `“${ev.trigger.text}” (characters ${ev.trigger.start}–${ev.trigger.end})`],
      ["CAMEO", `${ev.cameo.code} ${ev.cameo.name} (root ${ev.cameo.root})`],
      ["PLOVER", [ev.plover.type || "– (no PLOVER type for this root)", ev.plover.mode ? ` mode ${ev.plover.mode}` : "", ev.plover.context ? ` context ${ev.plover.context}` : ""].join("")],
      ["QuadClass", `Q${ev.quad_class} ${QUAD_LABELS[ev.quad_class] || ""}`],
      ["Goldstein", fmt(ev.goldstein, 1)],
      ["Source", actorLabel(ev.source)],
      ["Target", actorLabel(ev.target)],
      ["Attributed to", ev.attributed_to ? actorLabel(ev.attributed_to) : null],
      ["Negated", ev.negated ? "yes" : null],
      ["Modality", ev.modality],
      ["Date", ev.date],
      ["Rule", ev.rule],
      ["Confidence", fmt(ev.confidence)],
      ["Sentence", (analysis.sentences[ev.sentence] || {}).text],
    ].filter(([, v]) => v !== null && v !== undefined && v !== "");
    detail.append(el("h3", {}, `Event ${i + 1}`),
      el("dl", { class: "kv", "data-event": i }, rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
  }
  if (trigger) history.replaceState(null, "", `#ev-${indexes[0]}`);
}

function highlightRange(start, end) {
  for (const node of textNode.querySelectorAll(".evidence-hl")) node.classList.remove("evidence-hl");
  let first = null;
  for (const node of textNode.querySelectorAll("span[data-start]")) {
    const s = Number(node.dataset.start), e = Number(node.dataset.end);
    if (s < end && e > start) { node.classList.add("evidence-hl"); first = first || node; }
  }
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
}

/** Split the text at every annotation boundary; each piece knows which annotations cover it. */
function renderText(analysis) {
  const text = analysis.document.text;
  const anns = [];
  analysis.mentions.forEach((m, i) => anns.push({ kind: "actor", start: m.start, end: m.end, i, code: m.code }));
  analysis.events.forEach((ev, i) => anns.push({ kind: "trigger", start: ev.trigger.start, end: ev.trigger.end, i, q: ev.quad_class }));
  analysis.claims.forEach((c, i) => anns.push({ kind: "claim", start: c.start, end: c.end, i }));
  analysis.quotes.forEach((q, i) => anns.push({ kind: "quote", start: q.start, end: q.end, i }));
  const cuts = new Set([0, text.length]);
  for (const a of anns) {
    a.start = Math.max(0, Math.min(text.length, a.start));
    a.end = Math.max(a.start, Math.min(text.length, a.end));
    cuts.add(a.start); cuts.add(a.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const seenTrigger = new Set();
  textNode.replaceChildren();
  for (let k = 0; k + 1 < points.length; k++) {
    const start = points[k], end = points[k + 1];
    const covering = anns.filter((a) => a.start <= start && a.end >= end && a.end > a.start);
    const span = el("span", { "data-start": start, "data-end": end }, text.slice(start, end));
    const classes = new Set();
    const events = [];
    for (const a of covering) {
      if (a.kind === "trigger") { classes.add("ann-trigger"); classes.add(`q${a.q}`); events.push(a.i); }
      else classes.add(`ann-${a.kind}`);
    }
    if (classes.size) span.className = [...classes].join(" ");
    if (events.length) {
      const ids = events.sort((a, b) => a - b);
      span.dataset.events = ids.join(",");
      span.title = ids.map((i) => eventSummary(analysis.events[i])).join("\n");
      const key = ids.join(",");
      if (!seenTrigger.has(key)) {
        seenTrigger.add(key);
        span.id = `ev-${ids[0]}`;
        span.tabIndex = 0;
        span.setAttribute("role", "button");
        span.setAttribute("aria-label", `Event: ${span.title}`);
      }
      const activate = () => showEvents(analysis, ids, true);
      span.addEventListener("click", activate);
      span.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); } });
      if (covering.some((a) => a.kind === "trigger" && a.end === end)) {
        const q = Math.max(...covering.filter((a) => a.kind === "trigger").map((a) => a.q));
        span.append(el("span", { class: "qtag", "aria-hidden": "true" }, `Q${q}`));
      }
    }
    for (const a of covering) {
      if (a.kind === "actor" && a.end === end) span.append(el("sup", { class: "code", title: `actor code ${a.code}` }, a.code));
    }
    textNode.append(span);
  }
}

function evidenceList(evidence) {
  const list = el("ul", { class: "plain" });
  for (const ev of evidence) {
    list.append(el("li", {},
      el("button", { type: "button", class: "link", onclick: () => highlightRange(ev.start, ev.end) }, `“${ev.text}”`),
      ev.cues && ev.cues.length ? el("span", { class: "muted" }, ` cues: ${ev.cues.join(", ")}`) : null,
      ev.score !== null && ev.score !== undefined ? el("span", { class: "muted" }, ` (${fmt(ev.score)})`) : null));
  }
  return list;
}

function renderSide(analysis) {
  const dups = document.getElementById("duplicates");
  dups.replaceChildren((analysis.duplicates || []).length
    ? el("ul", { class: "plain" }, analysis.duplicates.map((d) => el("li", {}, docLink(d),
      el("span", { class: "muted" }, ` — ${[d.source, d.published].filter(Boolean).join(", ")}`))))
    : el("p", { class: "muted" }, "no near-duplicate copies stored"));
  const stance = document.getElementById("stance");
  stance.replaceChildren(analysis.stance.length ? el("ul", { class: "plain" }, analysis.stance.map((s) =>
    el("li", {}, el("strong", {}, s.actor), " ", el("span", { class: `stance-${s.label}` }, `${s.label} (${fmt(s.score)})`), evidenceList(s.evidence))))
    : el("p", { class: "muted" }, "no stance coded"));
  const events = document.getElementById("events");
  events.replaceChildren(analysis.events.length ? el("ul", { class: "plain" }, analysis.events.map((ev, i) =>
    el("li", {}, el("button", { type: "button", class: "link", onclick: () => { showEvents(analysis, [i], true); document.getElementById(`ev-${i}`)?.focus(); } },
      `${ev.source ? ev.source.code : "?"} → ${ev.target ? ev.target.code : "?"}: ${ev.cameo.code} ${ev.cameo.name}`),
      el("span", { class: `tag q${ev.quad_class}` }, `Q${ev.quad_class}`))))
    : el("p", { class: "muted" }, "no events coded"));
  const themes = document.getElementById("themes");
  themes.replaceChildren(analysis.themes.length ? el("ul", { class: "plain" }, analysis.themes.map((t) =>
    el("li", {}, el("strong", {}, t.label || t.theme), ` ${fmt(t.score)}`, evidenceList(t.evidence))))
    : el("p", { class: "muted" }, "no themes coded"));
  const tone = analysis.tone;
  document.getElementById("tone").replaceChildren(tone ? el("dl", { class: "kv" },
    el("dt", {}, "Tone"), el("dd", {}, fmt(tone.tone)), el("dt", {}, "Positive %"), el("dd", {}, fmt(tone.positive)),
    el("dt", {}, "Negative %"), el("dd", {}, fmt(tone.negative)), el("dt", {}, "Polarity"), el("dd", {}, fmt(tone.polarity)),
    el("dt", {}, "Words"), el("dd", {}, String(tone.word_count))) : el("p", { class: "muted" }, "no tone"));
  const claims = document.getElementById("claims");
  claims.replaceChildren(analysis.claims.length ? el("ul", { class: "plain" }, analysis.claims.map((c) =>
    el("li", {}, el("button", { type: "button", class: "link", onclick: () => highlightRange(c.start, c.end) }, `“${c.text}”`),
      el("span", { class: "muted" }, ` ${c.type}, check-worthiness ${fmt(c.score)}`))))
    : el("p", { class: "muted" }, "no claims"));
  const quotes = document.getElementById("quotes");
  quotes.replaceChildren(analysis.quotes.length ? el("ul", { class: "plain" }, analysis.quotes.map((q) =>
    el("li", {}, el("button", { type: "button", class: "link", onclick: () => highlightRange(q.start, q.end) }, `“${q.text}”`),
      el("span", { class: "muted" }, ` ${q.kind}${q.speaker ? `, ${q.speaker.text}` : ""}${q.speaker_code ? ` (${q.speaker_code})` : ""}`))))
    : el("p", { class: "muted" }, "no quotes"));
}

async function load() {
  status("Loading…");
  try {
    const analysis = await api(`/api/documents/${encodeURIComponent(pageData.id)}`);
    const doc = analysis.document;
    const name = doc.title || (doc.path ? doc.path.split("/").pop() : "") || doc.id;
    document.querySelector("h1").textContent = name;
    document.title = `${name} · communique`;
    document.getElementById("docmeta").replaceChildren(
      [doc.source, doc.published, doc.byline].filter(Boolean).join(" · "), doc.url ? " · " : "",
      doc.url ? externalLink(doc.url, "original article") : "");
    renderText(analysis);
    renderSide(analysis);
    for (const box of document.querySelectorAll("input[data-layer]")) {
      const apply = () => textNode.classList.toggle(`hide-${box.dataset.layer}`, !box.checked);
      box.addEventListener("change", apply);
      apply();
    }
    const match = /^#ev-(\d+)$/.exec(location.hash);
    if (match && analysis.events[Number(match[1])]) {
      showEvents(analysis, [Number(match[1])], false);
      document.getElementById(`ev-${match[1]}`)?.scrollIntoView({ block: "center" });
    }
    status(`${analysis.events.length} events, ${analysis.mentions.length} actor mentions, ${analysis.claims.length} claims, ${analysis.quotes.length} quotes`);
  } catch (error) {
    status(error.message, true);
  }
}

load();
