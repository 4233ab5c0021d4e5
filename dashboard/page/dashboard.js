// The page: asks /api/charts for every chart (its Vega-Lite spec with the rows the
// server read), draws each with vega-embed as SVG, or says why it cannot: an empty
// range, or the query's error. "Refresh" (or changing the range) reads again.
"use strict";

const charts = document.getElementById("charts");
const status = document.getElementById("status");
const form = document.getElementById("range");

const card = (chart) => {
  const section = document.createElement("section");
  section.dataset.chart = chart.id;
  const title = document.createElement("h2");
  title.textContent = chart.title;
  const body = document.createElement("div");
  section.append(title, body);
  return { section, body };
};

const message = (body, className, text) => {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  body.append(p);
};

const draw = async (chart) => {
  const { section, body } = card(chart);
  charts.append(section);
  if (chart.error) {
    section.dataset.state = "error";
    message(body, "error", `Query failed: ${chart.error}`);
  } else if (chart.empty) {
    section.dataset.state = "empty";
    message(body, "empty", "No orders in this date range yet.");
  } else {
    await vegaEmbed(body, chart.spec, { renderer: "svg", actions: false });
    section.dataset.state = "drawn";
  }
};

// Each read is numbered so a slower, older answer never overwrites a newer one.
let latest = 0;

const load = async () => {
  const mine = ++latest;
  const params = new URLSearchParams();
  for (const name of ["from", "to"]) {
    const value = form.elements[name].value;
    if (value) params.set(name, value);
  }
  status.className = "";
  status.textContent = "Reading...";
  document.body.dataset.state = "loading";
  try {
    const res = await fetch(`/api/charts?${params}`);
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
    if (mine !== latest) return;
    charts.replaceChildren();
    for (const chart of data.charts) await draw(chart);
    const failed = data.charts.filter((c) => c.error).length;
    status.className = failed ? "failed" : "";
    status.textContent = `Data read at ${new Date(data.readAt).toLocaleString()}${failed ? ` (${failed} of ${data.charts.length} queries failed)` : ""}`;
  } catch (error) {
    if (mine !== latest) return;
    status.className = "failed";
    status.textContent = `Could not read the data: ${error.message}`;
  }
  document.body.dataset.state = "ready";
};

form.addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
for (const input of form.querySelectorAll("input")) input.addEventListener("change", load);
load();
