/**
 * The Vega-Lite spec of each chart (dashboard/specs/<id>.vl.json, data named "rows")
 * with the rows a query returned put in as inline values: what the page draws and
 * what the tests render.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Chart } from "./charts";
import type { Row } from "./queries";

export type VegaLiteSpec = Record<string, unknown> & { data?: unknown };

export const specFile = (chart: Chart): string => join(__dirname, "specs", `${chart.id}.vl.json`);

/** The chart's spec with `rows` as its data; the file on disk is read each time, so edits show on refresh. */
export const chartSpec = (chart: Chart, rows: readonly Row[]): VegaLiteSpec => {
  const spec = JSON.parse(readFileSync(specFile(chart), "utf8")) as VegaLiteSpec;
  return { ...spec, data: { values: rows } };
};
