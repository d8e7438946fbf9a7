// The dashboard: charts from /api/stats, the events table from /api/events, document search.
"use strict";

const PAGE = 50;
const CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};
const LAYOUT = {margin: {l: 40, r: 10, t: 10, b: 40}, height: 260, legend: {orientation: "h"}, font: {size: 11}};
let offset = 0;

function columns(rows) {
  return rows.length ? Object.keys(rows[0]) : [];
}

function numeric(rows, key) {
  return rows.every(r => r[key] === null || typeof r[key] === "number");
}

// Stats tables come as row lists; the label column is the first non-numeric one, and every
// numeric column becomes a series. This keeps the page independent of column order.
function series(rows, preferred) {
  const cols = columns(rows);
  const label = cols.find(c => !numeric(rows, c)) || cols[0];
  const values = cols.filter(c => c !== label && numeric(rows, c) && (!preferred || preferred.includes(c)));
  return {label, values: values.length ? values : cols.filter(c => c !== label && numeric(rows, c))};
}

function drawBars(id, rows, opts) {
  const target = document.getElementById(id);
  if (!rows || !rows.length) {
    target.appendChild(el("p", "No data yet.", {class: "empty"}));
    target.dataset.rendered = "empty";
    return;
  }
  const {label, values} = series(rows, opts.preferred);
  const traces = values.map(v => ({
    type: opts.type || "bar", name: v, x: rows.map(r => String(r[label])), y: rows.map(r => r[v] || 0),
    mode: opts.type === "scatter" ? "lines+markers" : undefined,
  }));
  Plotly.newPlot(target, traces, Object.assign({}, LAYOUT, {barmode: opts.barmode || "group"}), CONFIG);
  target.dataset.rendered = "chart";
}

function drawAbroad() {
  const target = document.getElementById("chart-abroad");
  const rows = JSON.parse(document.getElementById("abroad-data").textContent).filter(r => r.lat !== null && r.lon !== null);
  if (!rows.length) {
    target.appendChild(el("p", "No located incidents abroad.", {class: "empty"}));
    target.dataset.rendered = "empty";
    return;
  }
  const trace = {
    type: "scatter", mode: "markers+text", x: rows.map(r => r.lon), y: rows.map(r => r.lat),
    text: rows.map(r => r.country), textposition: "top center",
    hovertext: rows.map(r => [r.date, r.type, r.place || r.admin1 || r.country].filter(Boolean).join(" · ")),
    hoverinfo: "text", marker: {size: rows.map(r => 8 + Math.sqrt(r.killed || 0)), color: "#d63f3a", opacity: 0.7},
  };
  const layout = Object.assign({}, LAYOUT, {
    xaxis: {title: {text: "longitude"}, zeroline: false}, yaxis: {title: {text: "latitude"}, zeroline: false, scaleanchor: "x"},
  });
  Plotly.newPlot(target, [trace], layout, CONFIG);
  target.dataset.rendered = "chart";
}

async function loadStats() {
  const body = await getJSON("/api/stats");
  const stats = body.stats;
  drawBars("chart-monthly", stats.monthly, {type: "scatter", preferred: ["iskp_attacks", "raids"]});
  drawBars("chart-propaganda", stats.propaganda_by_language, {barmode: "stack"});
  drawBars("chart-casualties", stats.casualties, {barmode: "group"});
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
    const where = [r.place, r.admin2, r.admin1, r.country].filter(Boolean).join(", ");
    const claimed = r.claimed === null || r.claimed === undefined ? "" : (r.claimed ? "yes" : "no");
    const tr = row([link, r.type, where, r.actor, r.killed, r.injured, claimed, r.sources.length, (r.review && r.review.status) || ""]);
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
    const form = document.getElementById("filters");
    form.elements.province.value = link.dataset.province;
    offset = 0;
    loadEvents();
  });
}

loadStats().catch(error => { document.getElementById("chart-monthly").textContent = error.message; });
drawAbroad();
loadEvents();
searchDocuments("");
