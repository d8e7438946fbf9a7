// The dashboard: charts from /api/stats, the events table from /api/events, document search.
"use strict";

const PAGE = 50;
// One colour scheme for every chart (and the maps' red, in style.css): the first two are the
// group's attacks and the raids against it; the rest follow in order.
const COLOURS = ["#b5322c", "#2f6b9a", "#e0a030", "#4f8a4c", "#7b5ea7", "#3aa3a0", "#a0522d", "#7d8a93"];
const CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"]};
const FONT = {family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 11, color: "#1d2a33"};
let offset = 0;

function layout(extra) {
  return Object.assign({
    margin: {l: 50, r: 10, t: 30, b: 50}, height: 280, font: FONT, colorway: COLOURS,
    legend: {orientation: "h", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom"},
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  }, extra);
}

// The smallest of 1, 2, 5, 10, 20, 50, … that cuts 0..top into at most six steps.
function niceStep(top) {
  for (let power = 1; ; power *= 10) {
    for (const m of [1, 2, 5]) if (top / (m * power) <= 6) return m * power;
  }
}

// A count axis: whole numbers only (a step of at least 1, and 1, 2 or 5 times a power of ten).
function countAxis(title, values) {
  const top = Math.max(1, ...values);
  const step = niceStep(top);
  return {title: {text: title}, tickmode: "linear", tick0: 0, dtick: step, tickformat: "d", rangemode: "tozero", range: [0, Math.ceil(top * 1.08 / step) * step], automargin: true, fixedrange: true};
}

// A month axis over the months that have data (a stats table runs every month from its first):
// "2024-03" becomes a date, and the range is the first to the last month with a value.
function monthAxis(rows, keys) {
  const used = rows.filter(r => keys.some(k => r[k]));
  const first = (used[0] || rows[0]).month, last = (used[used.length - 1] || rows[rows.length - 1]).month;
  const shift = (month, days) => new Date(Date.parse(month + "-01T00:00:00Z") + days * 86400000).toISOString().slice(0, 10);
  return {title: {text: "month"}, type: "date", range: [shift(first, -20), shift(last, 40)], tickformat: "%b %Y", automargin: true, fixedrange: true};
}

function placeholder(target, text) {
  target.replaceChildren(el("p", text, {class: "empty"}));
  target.dataset.rendered = "empty";
}

function plot(target, traces, extra) {
  target.replaceChildren();
  return Plotly.newPlot(target, traces, layout(extra), CONFIG).then(() => { target.dataset.rendered = "chart"; });
}

const day = month => month + "-01";

function drawMonthly(target, rows) {
  if (!rows.length || !rows.some(r => r.iskp_attacks || r.raids)) return placeholder(target, "No attacks or raids in the selection.");
  const series = [["iskp_attacks", "ISKP attacks"], ["raids", "raids against ISKP"]];
  const traces = series.map(([key, name]) => ({type: "bar", name, x: rows.map(r => day(r.month)), y: rows.map(r => r[key] || 0), hovertemplate: "%{x|%b %Y}: %{y} " + name + "<extra></extra>"}));
  return plot(target, traces, {barmode: "group", bargap: 0.15, xaxis: monthAxis(rows, ["iskp_attacks", "raids"]), yaxis: countAxis("events", rows.flatMap(r => [r.iskp_attacks || 0, r.raids || 0]))});
}

function drawPropaganda(target, rows) {
  const total = lang => rows.reduce((sum, r) => sum + (r[lang] || 0), 0);
  const languages = (rows.length ? Object.keys(rows[0]).filter(k => k !== "month" && total(k)) : []).sort((a, b) => total(b) - total(a) || a.localeCompare(b));
  if (!languages.length) return placeholder(target, "No dated propaganda release in the selection.");
  const traces = languages.map(lang => ({type: "bar", name: lang, x: rows.map(r => day(r.month)), y: rows.map(r => r[lang] || 0), hovertemplate: "%{x|%b %Y}: %{y} in " + lang + "<extra></extra>"}));
  const totals = rows.map(r => languages.reduce((sum, lang) => sum + (r[lang] || 0), 0));
  return plot(target, traces, {barmode: "stack", xaxis: monthAxis(rows, languages), yaxis: countAxis("releases", totals), legend: Object.assign(layout().legend, {title: {text: "language "}, traceorder: "normal"})});
}

function drawCasualties(target, rows) {
  const parts = rows.filter(r => r.category !== "total" && (r.killed || r.injured));
  if (!parts.length) return placeholder(target, "No casualties reported in the selection.");
  const label = r => r.category.replace(/_/g, " ");
  const traces = [["killed", COLOURS[0]], ["injured", COLOURS[2]]].map(([key, colour]) => ({
    type: "bar", orientation: "h", name: key, marker: {color: colour}, y: parts.map(label), x: parts.map(r => r[key] || 0),
    text: parts.map(r => (r[key] ? String(r[key]) : "")), textposition: "outside", cliponaxis: false,
    hovertemplate: "%{y}: %{x} " + key + "<extra></extra>",
  }));
  const axis = countAxis("people", parts.flatMap(r => [r.killed || 0, r.injured || 0]));
  axis.range[1] *= 1.12;  // room for the numbers at the bars' ends
  return plot(target, traces, {barmode: "group", xaxis: axis, yaxis: {automargin: true, autorange: "reversed", fixedrange: true, title: {text: ""}}, margin: {l: 10, r: 20, t: 30, b: 50}});
}

const CHARTS = {"chart-monthly": ["monthly", drawMonthly], "chart-propaganda": ["propaganda_by_language", drawPropaganda], "chart-casualties": ["casualties", drawCasualties]};

// The chart data is in the page (#chart-data), so drawing waits on nothing but plotly.js, which
// loads before this script (both deferred, in order). A chart that fails says so in its place.
function drawCharts() {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  for (const [id, [table, draw]] of Object.entries(CHARTS)) {
    const target = document.getElementById(id);
    if (typeof Plotly === "undefined") { placeholder(target, "The chart library did not load."); continue; }
    try {
      Promise.resolve(draw(target, data[table] || [])).catch(error => placeholder(target, "The chart could not be drawn: " + error.message));
    } catch (error) {
      placeholder(target, "The chart could not be drawn: " + error.message);
    }
  }
}

// Map tooltips: the name and count of what is under the pointer (or finger), as text.
function mapTips() {
  const tip = document.getElementById("map-tip");
  const show = (event, text) => {
    tip.textContent = text;
    tip.hidden = false;
    const x = Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 4);
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = (event.clientY + 14) + "px";
  };
  for (const node of document.querySelectorAll("svg.map [data-tip]")) {
    node.addEventListener("pointermove", event => show(event, node.dataset.tip));
    node.addEventListener("pointerleave", () => { tip.hidden = true; });
  }
  document.addEventListener("scroll", () => { tip.hidden = true; }, {passive: true});
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters"))) {
    if (String(value).trim() && !(key === "review" && value === "any")) params.set(key, String(value).trim());
  }
  params.set("limit", PAGE);
  params.set("offset", offset);
  return params;
}

async function loadEvents() {
  const status = document.getElementById("events-status");
  const tbody = document.querySelector("#events-table tbody");
  let body;
  try {
    body = await getJSON("/api/events?" + filterParams());
  } catch (error) {
    status.textContent = error.message;
    return;
  }
  tbody.replaceChildren();
  for (const r of body.items) {
    const link = el("a", r.date || "undated", {href: "/events/" + encodeURIComponent(r.id)});
    const date = r.date ? link : cell(link, undatedWhy(r));
    const where = r.type === "propaganda" ? release(r) : [r.place, r.admin2, r.admin1, r.country].filter(Boolean).join(", ");
    const claimed = r.claimed === null || r.claimed === undefined ? "" : (r.claimed ? "yes" : "no");
    const tr = row([date, r.type, where, r.actor, r.killed, r.injured, claimed, r.sources.length, (r.review && r.review.status) || ""]);
    tr.dataset.eventId = r.id;
    tr.classList.add("event-row");
    tr.addEventListener("click", event => { if (event.target.tagName !== "A") window.location = link.href; });
    tbody.appendChild(tr);
  }
  const last = Math.min(body.offset + body.items.length, body.total);
  status.textContent = body.total ? `${body.offset + 1}–${last} of ${body.total} events` : "No event matches.";
  document.getElementById("prev").disabled = body.offset === 0;
  document.getElementById("next").disabled = last >= body.total;
}

// A propaganda release: its outlet and languages (or that its report names neither).
function release(r) {
  const outlet = r.outlet || "outlet not named";
  const languages = (r.languages || []).length ? "in " + r.languages.join(", ") : "language not stated";
  return outlet + " · " + languages;
}

// Why an event has no date: no source states one; when it was first reported.
function undatedWhy(r) {
  const published = ((r.detail && r.detail.figures) || []).map(f => f.published).filter(Boolean).sort();
  return "no source dates it" + (published.length ? "; first reported " + published[0] : "");
}

function cell(node, note) {
  const span = el("span");
  span.appendChild(node);
  span.appendChild(el("small", note, {class: "why-undated"}));
  return span;
}

async function searchDocuments(q) {
  const tbody = document.querySelector("#documents-table tbody");
  const body = await getJSON("/api/documents?" + new URLSearchParams(q ? {q, limit: 50} : {limit: 50}));
  tbody.replaceChildren();
  for (const d of body.items) {
    const link = el("a", d.title || d.id, {href: "/documents/" + encodeURIComponent(d.id)});
    tbody.appendChild(row([d.published, link, d.source, d.language, d.snippet || ""]));
  }
}

document.getElementById("filters").addEventListener("submit", event => {
  event.preventDefault();
  offset = 0;
  loadEvents();
});
document.getElementById("filters").addEventListener("reset", () => { offset = 0; setTimeout(loadEvents, 0); });
document.getElementById("prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); loadEvents(); });
document.getElementById("next").addEventListener("click", () => { offset += PAGE; loadEvents(); });
document.getElementById("doc-search").addEventListener("submit", event => {
  event.preventDefault();
  searchDocuments(new FormData(event.target).get("q"));
});
for (const link of document.querySelectorAll(".province-link")) {
  link.addEventListener("click", () => {
    document.getElementById("map-tip").hidden = true;
    const form = document.getElementById("filters");
    form.elements.province.value = link.dataset.province;
    offset = 0;
    loadEvents();
  });
}

drawCharts();
mapTips();
loadEvents();
searchDocuments("");
