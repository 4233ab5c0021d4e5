/**
 * Each chart's Vega-Lite spec, rendered to SVG in Node with the rows its query reads from
 * the local BigQuery (the warehouse built by the real `dataform run`, orders POSTed to the
 * function): the numbers printed on the charts are the ones the fixture implies.
 */
import { CHARTS } from "../../dashboard/charts";
import { chartQuery, isEmpty, readChart } from "../../dashboard/queries";
import { chartSpec } from "../../dashboard/specs";
import { startTestStack, type TestStack } from "../function/stack_fixture";
import { ALL_LABELS, AUG_9, AUG_9_LABELS, FIXTURE_ORDERS, valueLabels } from "./orders_fixture";
import { renderSvg } from "./render";

const DATASET = "ecommerce_orders";
let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
}, 180_000);
afterAll(async () => t?.close());

const labelsById = async (range = {}): Promise<Record<string, Record<string, string>>> => {
  const out: Record<string, Record<string, string>> = {};
  for (const chart of CHARTS) out[chart.id] = valueLabels(await renderSvg(chartSpec(chart, await readChart(t.bigquery, chart, DATASET, range))));
  return out;
};

test("an empty warehouse: every query succeeds and every chart is empty", async () => {
  for (const chart of CHARTS) {
    const rows = await readChart(t.bigquery, chart, DATASET, {});
    expect({ id: chart.id, empty: isEmpty(chart, rows) }).toEqual({ id: chart.id, empty: true });
    expect(valueLabels(await renderSvg(chartSpec(chart, rows)))).toEqual({});
  }
});

test("after orders are POSTed, each chart prints the counts, mean hours and rate the orders imply", async () => {
  expect((await t.api.post(FIXTURE_ORDERS)).status).toBe(200);
  expect(await labelsById()).toEqual(ALL_LABELS);
  for (const chart of CHARTS) expect(isEmpty(chart, await readChart(t.bigquery, chart, DATASET, {}))).toBe(false);
});

test("a date range keeps only the orders placed in it, bounds included", async () => {
  expect(await labelsById(AUG_9)).toEqual(AUG_9_LABELS);
  const hours = CHARTS.find((c) => c.id === "hours_to_milestones")!;
  expect(isEmpty(hours, await readChart(t.bigquery, hours, DATASET, AUG_9))).toBe(true);
  expect(await labelsById({ from: "2025-08-10" })).toMatchObject({ orders_by_status: { Processing: "2" }, cancellation_rate: { "cancellation rate": "0.0%" } });
});

test("the dates reach BigQuery as query parameters, never inside the SQL", () => {
  for (const chart of CHARTS) {
    const { query, params } = chartQuery(chart, "p.d.v", { from: "2025-08-09", to: "2025-08-10" });
    expect(query).not.toContain("2025-08");
    expect(params).toEqual({ date_from: "2025-08-09", date_to: "2025-08-10" });
  }
});
