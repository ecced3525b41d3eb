// counterclaim web UI: plain DOM, data only ever as text (never innerHTML).
"use strict";

const view = document.getElementById("view");
const statusLine = document.getElementById("status");

// h("div", {class: "x", onclick: fn}, "text", child...): strings become text nodes.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function show(...nodes) { view.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false)); }
function say(text) { statusLine.textContent = text || ""; }

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body.error ? body.error.message : response.statusText;
    throw new Error(message);
  }
  return body;
}

function q(params) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") s.set(k, v);
  return s.toString();
}

function range(f) {
  if (!f || (f.low === null && f.high === null)) return "no figure";
  if (f.low === f.high) return String(f.low);
  return `${f.low ?? "?"}–${f.high ?? "?"}` + (f.best !== null && f.best !== undefined ? ` (best ${f.best})` : "");
}

function numbers(list) {
  return (list || []).map((n) => (n.low === n.high ? `${n.low}` : `${n.low ?? "?"}–${n.high ?? "?"}`) +
    (n.what ? ` ${n.what}` : "")).join(", ");
}

function reviewBadge(review) {
  if (!review) return null;
  const fields = review.fields && review.fields.length ? ` (${review.fields.join(", ")})` : "";
  return h("span", {class: `badge review-${review.status}`, title: `by ${review.reviewer} at ${review.reviewed_at}`},
    review.status + fields);
}

function articleLink(id, label) {
  return h("a", {href: `#/article/${encodeURIComponent(id)}`}, label || id.slice(0, 8));
}

// ------------------------------------------------------------------ review

function reviewer() {
  return {
    name: document.getElementById("reviewer-name").value.trim(),
    token: document.getElementById("reviewer-token").value.trim(),
  };
}

let vocabularies = null;
async function vocab() {
  if (!vocabularies) vocabularies = await api("/api/vocabularies");
  return vocabularies;
}

async function sendReview(kind, id, action, field, value) {
  const who = reviewer();
  if (!who.name) { document.getElementById("reviewer-box").open = true; throw new Error("give your name as reviewer first"); }
  return api("/api/reviews", {
    method: "POST",
    headers: {"Content-Type": "application/json", "Authorization": `Bearer ${who.token}`},
    body: JSON.stringify({kind, id, action, field: field || null, value: value === undefined ? null : value,
      reviewer: who.name}),
  });
}

function reviewControls(kind, id, onDone) {
  const box = h("div", {class: "review", dataset: {kind, id}});
  const fieldSelect = h("select", {class: "review-field", "aria-label": "field"});
  const valueInput = h("input", {class: "review-value", "aria-label": "new value", placeholder: "new value"});
  vocab().then((v) => {
    for (const f of v.review_fields[kind]) fieldSelect.append(h("option", {value: f}, f));
  });
  const act = (action) => async () => {
    try {
      const field = action === "correct" ? fieldSelect.value : null;
      const value = action === "correct" ? valueInput.value : null;
      await sendReview(kind, id, action, field, value);
      say(`${kind} ${action}ed`);
      if (onDone) onDone();
    } catch (err) { say(`review refused: ${err.message}`); }
  };
  box.append(
    h("button", {type: "button", class: "review-confirm", onclick: act("confirm")}, "Confirm"),
    h("button", {type: "button", class: "review-reject", onclick: act("reject")}, "Reject"),
    fieldSelect, valueInput,
    h("button", {type: "button", class: "review-correct", onclick: act("correct")}, "Correct"),
  );
  return box;
}

// ------------------------------------------------------------------ board

function claimCard(c, onReviewed) {
  return h("article", {class: `claim act-${c.act}`, dataset: {id: c.id}},
    h("div", {class: "who"}, h("strong", {}, c.speaker || "?"), c.role ? ` (${c.role})` : "", " · ",
      h("span", {class: "party"}, c.party), " · ", h("span", {class: "act"}, c.act + (c.negated ? " (negated)" : "")),
      " ", reviewBadge(c.review)),
    h("blockquote", {class: "sentence"}, c.sentence),
    c.numbers && c.numbers.length ? h("div", {class: "numbers"}, "numbers: ", numbers(c.numbers)) : null,
    h("div", {class: "source"}, c.outlet || "unknown outlet", " · ", c.published || "undated", " · ",
      articleLink(c.article_id, c.title || "article"), " · ", h("code", {}, c.short_id)),
    reviewControls("claim", c.id, onReviewed));
}

function clusterBoard(item, onReviewed) {
  return h("section", {class: "cluster", dataset: {id: item.id}},
    h("h2", {}, `${item.sub_type} · ${item.place || "?"} · ${item.date || "?"}`),
    h("p", {class: "toll"}, "toll: ", range(item.fatalities), " · ", h("span", {class: `status status-${item.status}`}, item.status),
      ": ", item.status_reason || "", " · ", h("code", {}, item.short_id)),
    h("div", {class: "sides"}, item.sides.length ? item.sides.map((side) =>
      h("div", {class: "side", dataset: {party: side.party}}, h("h3", {}, side.party),
        side.claims.map((c) => claimCard(c, onReviewed)))) : h("p", {}, "no claims about this event")));
}

async function boardView(params) {
  say("loading disputes…");
  const status = params.get("status") || "disputed";
  const data = await api(`/api/disputes?${q({status, limit: 20, offset: params.get("offset") || 0})}`);
  const reload = () => boardView(params);
  const picker = h("select", {id: "board-status", onchange: (e) => { location.hash = `#/board?status=${e.target.value}`; }},
    ["disputed", "corroborated", "single-source"].map((s) => h("option", {value: s, selected: s === status}, s)));
  show(h("h1", {}, "Dispute board"), h("label", {}, "status ", picker),
    h("p", {}, `${data.total}${data.total_exact ? "" : "+"} event(s)`),
    data.items.length ? data.items.map((item) => clusterBoard(item, reload)) :
      h("p", {class: "empty"}, "No events with this status yet (ingest and link articles first)."));
  say("");
}

// ------------------------------------------------------------------ timeline

async function timelineView(params) {
  say("loading timeline…");
  const data = await api(`/api/timeline?${q({a: params.get("a"), b: params.get("b")})}`);
  const current = data.sides.join("|");
  const picker = h("select", {id: "timeline-pair", onchange: (e) => {
    const [a, b] = e.target.value.split("|"); location.hash = `#/timeline?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
  }}, data.pairs.map((p) => h("option", {value: `${p.a}|${p.b}`, selected: `${p.a}|${p.b}` === current},
    `${p.a} – ${p.b} (${p.events})`)));
  const most = Math.max(1, ...data.events.map((e) => (e.fatalities && (e.fatalities.high ?? e.fatalities.low)) || 0));
  const rows = data.events.map((e) => {
    const f = e.fatalities || {};
    const low = f.low || 0, high = f.high ?? f.low ?? 0;
    const bar = h("div", {class: "bar"}, h("div", {class: "bar-low"}), h("div", {class: "bar-range"}));
    bar.firstChild.style.width = `${(100 * low) / most}%`;
    bar.lastChild.style.width = `${(100 * Math.max(0, high - low)) / most}%`;
    return h("li", {class: "tl-event", dataset: {id: e.id}},
      h("span", {class: "tl-date"}, e.date || "undated"),
      h("span", {class: "tl-what"}, `${e.sub_type} · ${e.place || "?"} · ${e.actor1_party || "?"} vs ${e.actor2_party || "?"}`),
      h("span", {class: "tl-toll"}, range(e.fatalities)), bar, " ", articleLink(e.article_id, "source"), " ",
      reviewBadge(e.review));
  });
  show(h("h1", {}, "Timeline"), data.pairs.length ? h("label", {}, "sides ", picker) : null,
    rows.length ? h("ol", {class: "timeline"}, rows) : h("p", {class: "empty"}, "No events between two known sides yet."));
  say("");
}

// ------------------------------------------------------------------ map

const TYPE_COLOURS = {
  "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22", "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d",
};
let countries = null;

async function mapView() {
  say("loading map…");
  const box = h("div", {id: "map"});
  const legend = h("ul", {class: "legend"}, Object.entries(TYPE_COLOURS).map(([type, colour]) => {
    const dot = h("span", {class: "dot"}); dot.style.background = colour; return h("li", {}, dot, type);
  }));
  show(h("h1", {}, "Map"), legend, box);
  const map = L.map(box, {worldCopyJump: true, minZoom: 2, maxZoom: 12}).setView([25, 40], 3);
  if (!countries) {
    const topo = await api("/static/vendor/countries-50m.json");
    countries = topojson.feature(topo, topo.objects.countries);
  }
  L.geoJSON(countries, {style: {color: "#999", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(map);
  const data = await api("/api/map?limit=5000");
  const cluster = L.markerClusterGroup({showCoverageOnHover: false});
  for (const f of data.features) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    const marker = L.circleMarker([lat, lon], {radius: 6, color: TYPE_COLOURS[p.type] || "#333", weight: 2, fillOpacity: 0.7});
    marker.bindPopup(() => h("div", {class: "popup"}, h("strong", {}, p.sub_type), h("br"),
      `${p.place || "?"}, ${p.country || ""} · ${p.date || "undated"}`, h("br"), `toll ${range(p.fatalities)} · ${p.status}`,
      h("br"), articleLink(p.article_id, "source")));
    cluster.addLayer(marker);
  }
  map.addLayer(cluster);
  box.dataset.points = String(data.features.length);
  say(`${data.features.length} event(s) with coordinates`);
}

// ------------------------------------------------------------------ articles

async function articlesView(params) {
  say("loading articles…");
  const offset = Number(params.get("offset") || 0);
  const data = await api(`/api/articles?${q({limit: 50, offset, search: params.get("search")})}`);
  show(h("h1", {}, "Articles"), h("p", {}, `${data.total}${data.total_exact ? "" : "+"} article(s)`),
    h("table", {class: "list"}, h("thead", {}, h("tr", {}, ["id", "published", "outlet", "title"].map((c) => h("th", {}, c)))),
      h("tbody", {}, data.items.map((a) => h("tr", {}, h("td", {}, h("code", {}, a.short_id)), h("td", {}, a.published || ""),
        h("td", {}, a.source || ""), h("td", {}, articleLink(a.id, a.title || "(no title)")))))),
    data.next_offset !== null ? h("a", {href: `#/articles?offset=${data.next_offset}`}, "next page") : null);
  say("");
}

// Marks [start, end, kind, record] over the text -> segments, each with the marks covering it.
function segments(text, marks) {
  const cuts = new Set([0, text.length]);
  for (const m of marks) { cuts.add(Math.max(0, Math.min(text.length, m[0]))); cuts.add(Math.max(0, Math.min(text.length, m[1]))); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    out.push([s, e, marks.filter((m) => m[0] <= s && m[1] >= e)]);
  }
  return out;
}

function recordDetails(kind, record, reload) {
  const rows = kind === "claim" ? [
    ["speaker", record.speaker ? `${record.speaker.name} (${record.speaker.party})` : "?"],
    ["act", record.act], ["content", record.span.text],
    ["numbers", numbers((record.quantities || []).map((x) => ({low: x.low, high: x.high, what: x.what})))],
  ] : kind === "event" ? [
    ["type", `${record.type} / ${record.sub_type}`], ["place", record.place ? record.place.name : "?"],
    ["date", record.date || "?"], ["toll", range(record.fatalities)], ["status", record.status],
    ["actors", `${record.actor1 ? record.actor1.name : "?"} vs ${record.actor2 ? record.actor2.name : "?"}`],
  ] : kind === "place" ? [
    ["place", record.name], ["country", record.country || "?"], ["admin1", record.admin1 || "?"],
    ["gazetteer", record.gazetteer_id || "not resolved"],
  ] : [["time", record.span.text], ["value", record.value || "?"], ["precision", record.precision]];
  return h("div", {class: "details", dataset: {kind, id: record.id || ""}},
    h("h3", {}, kind, " ", record.short_id ? h("code", {}, record.short_id) : null, " ", reviewBadge(record.review)),
    h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    record.id && (kind === "claim" || kind === "event") ? reviewControls(kind, record.id, reload) : null);
}

async function articleView(id) {
  say("loading article…");
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  const reload = () => articleView(id);
  const marks = [];
  for (const c of a.claims) marks.push([c.span.start, c.span.end, "claim", c]);
  for (const e of a.events) marks.push([e.span.start, e.span.end, "event", e]);
  for (const p of a.places) marks.push([p.span.start, p.span.end, "place", p]);
  for (const t of a.times) marks.push([t.span.start, t.span.end, "time", t]);
  const side = h("aside", {class: "side-panel"}, h("p", {}, "Click a highlight to see its record."));
  const body = h("div", {class: "article-text"}, segments(a.text, marks).map(([s, e, covering]) => {
    const piece = a.text.slice(s, e);
    if (!covering.length) return piece;
    const kinds = [...new Set(covering.map((m) => m[2]))];
    const innermost = covering.reduce((x, y) => (y[1] - y[0] < x[1] - x[0] ? y : x));
    return h("span", {class: kinds.map((k) => `hl-${k}`).join(" "), dataset: {kind: innermost[2]}, tabindex: 0,
      onclick: () => side.replaceChildren(...covering.map((m) => recordDetails(m[2], m[3], reload)))}, piece);
  }));
  show(h("h1", {class: "article-title"}, a.title || "(no title)"),
    h("p", {class: "meta"}, a.source || "unknown outlet", " · ", a.published || "undated", " · ", h("code", {}, a.id),
      a.url ? [" · ", h("span", {class: "url"}, a.url)] : null),
    h("p", {class: "legend-inline"}, h("span", {class: "hl-claim"}, "claim"), " ", h("span", {class: "hl-event"}, "event"), " ",
      h("span", {class: "hl-place"}, "place"), " ", h("span", {class: "hl-time"}, "time")),
    h("div", {class: "article-layout"}, body, side),
    h("h2", {}, `Claims (${a.claims.length})`),
    h("ul", {class: "records"}, a.claims.map((c) => h("li", {dataset: {id: c.id}}, recordDetails("claim", c, reload)))),
    h("h2", {}, `Events (${a.events.length})`),
    h("ul", {class: "records"}, a.events.map((e) => h("li", {dataset: {id: e.id}}, recordDetails("event", e, reload)))));
  say("");
}

// ------------------------------------------------------------------ search

async function searchView(params) {
  const words = params.get("q") || "";
  say("searching…");
  const data = await api(`/api/search?${q({q: words, kind: "claims", limit: 50})}`);
  show(h("h1", {}, "Search: ", words), h("p", {}, `${data.total}${data.total_exact ? "" : "+"} claim(s)`),
    h("ul", {class: "records"}, data.items.map((c) => h("li", {dataset: {id: c.id}},
      h("strong", {}, c.speaker ? c.speaker.name : "?"), ` (${c.speaker ? c.speaker.party : "unknown"}, ${c.act}): `,
      c.span.text, " ", articleLink(c.article_id, "article"), " ", reviewBadge(c.review)))));
  say("");
}

// ------------------------------------------------------------------ routing

async function route() {
  const [path, query] = (location.hash.slice(1) || "/board").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean);
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("current", a.getAttribute("href") === `#/${parts[0]}`));
  try {
    if (parts[0] === "timeline") await timelineView(params);
    else if (parts[0] === "map") await mapView();
    else if (parts[0] === "articles") await articlesView(params);
    else if (parts[0] === "article" && parts[1]) await articleView(decodeURIComponent(parts[1]));
    else if (parts[0] === "search") await searchView(params);
    else await boardView(params);
  } catch (err) {
    console.error(err);
    show(h("p", {class: "error"}, err.message || String(err)));
    say("");
  }
}

document.getElementById("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  location.hash = `#/search?q=${encodeURIComponent(document.getElementById("search-input").value)}`;
});
const nameInput = document.getElementById("reviewer-name");
nameInput.value = localStorage.getItem("counterclaim.reviewer") || "";
nameInput.addEventListener("change", () => localStorage.setItem("counterclaim.reviewer", nameInput.value));
const tokenInput = document.getElementById("reviewer-token");
tokenInput.value = sessionStorage.getItem("counterclaim.token") || "";
tokenInput.addEventListener("change", () => sessionStorage.setItem("counterclaim.token", tokenInput.value));
window.addEventListener("hashchange", route);
route();
