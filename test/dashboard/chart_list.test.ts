/**
 * One chart list feeds the README's table, the page's specs and the Looker link's data
 * sources: each of them is checked against it here (the views and columns against Dataform
 * in test/pipeline/looker_link.test.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CHARTS, DATE_COLUMN, dashboardViews, readmeChartTable } from "../../dashboard/charts";
import { DASHBOARD_VIEWS } from "../../scripts/looker_link";

const ROOT = resolve(__dirname, "../..");

test("the README's Looker Studio chart table is the one the chart list produces", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Looker Studio dashboard"));
  const table = /^\| chart \|.*?(?=\n\n)/ms.exec(section)?.[0];
  expect(table).toBe(readmeChartTable());
});

test("one Vega-Lite spec file per chart, and no spec without a chart", () => {
  const files = readdirSync(join(ROOT, "dashboard", "specs")).sort();
  expect(files).toEqual(CHARTS.map((c) => `${c.id}.vl.json`).sort());
});

test("each spec draws its chart's dimension and measures, with a value label layer", () => {
  for (const chart of CHARTS) {
    const text = readFileSync(join(ROOT, "dashboard", "specs", `${chart.id}.vl.json`), "utf8");
    const spec = JSON.parse(text) as { data: unknown; layer: Array<{ name?: string }> };
    expect({ id: chart.id, data: spec.data }).toEqual({ id: chart.id, data: { name: "rows" } });
    expect(spec.layer.some((l) => l.name === "values")).toBe(true);
    for (const field of [chart.dimension?.column, ...chart.measures.map((m) => m.name)].filter(Boolean)) expect(text).toContain(`"${field}"`);
  }
});

test("the Looker link's data sources are the chart list's views, each with the columns its charts use", () => {
  expect(DASHBOARD_VIEWS).toEqual(dashboardViews());
  expect(DASHBOARD_VIEWS.map((v) => v.view)).toEqual([...new Set(CHARTS.map((c) => c.view))]);
  for (const chart of CHARTS) {
    const source = DASHBOARD_VIEWS.find((v) => v.view === chart.view);
    const used = [DATE_COLUMN, ...(chart.dimension ? [chart.dimension.column] : []), ...chart.measures.flatMap((m) => (m.column ? [m.column] : []))];
    expect(source?.fields).toEqual(expect.arrayContaining(used));
  }
});
