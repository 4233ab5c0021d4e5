/**
 * The SQL behind each chart, built from the chart list: the aggregation runs in
 * BigQuery (COUNT(*) / AVG(column), GROUP BY the dimension), filtered to a range
 * of order dates passed as DATE query parameters. Read through the real
 * @google-cloud/bigquery client, so BIGQUERY_EMULATOR_HOST picks the endpoint.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import { DATE_COLUMN, type Chart, type Measure } from "./charts";

/** Inclusive bounds on the UTC date of order_date, as YYYY-MM-DD; either may be absent. */
export interface DateRange {
  from?: string;
  to?: string;
}

export type Row = Record<string, string | number | null>;

const measureSql = (m: Measure): string => (m.aggregation === "count" ? "COUNT(*)" : `AVG(${m.column})`);

const dimensionSql = (d: NonNullable<Chart["dimension"]>): string =>
  d.granularity === "day" ? `CAST(DATE(${d.column}) AS STRING)` : d.column;

/** The chart's query and its parameters; the table is `project.dataset.view`. */
export const chartQuery = (chart: Chart, table: string, range: DateRange): { query: string; params: Record<string, string> } => {
  const params: Record<string, string> = {};
  const where: string[] = [];
  if (range.from) {
    params.date_from = range.from;
    where.push(`DATE(${DATE_COLUMN}) >= DATE(@date_from)`);
  }
  if (range.to) {
    params.date_to = range.to;
    where.push(`DATE(${DATE_COLUMN}) <= DATE(@date_to)`);
  }
  const dimension = chart.dimension ? dimensionSql(chart.dimension) : undefined;
  const select = [
    ...(dimension ? [`  ${dimension} AS ${chart.dimension?.column}`] : []),
    ...chart.measures.map((m) => `  ${measureSql(m)} AS ${m.name}`),
  ];
  const query = [
    "SELECT",
    select.join(",\n"),
    `FROM \`${table}\``,
    ...(where.length ? [`WHERE ${where.join("\n  AND ")}`] : []),
    ...(dimension ? [`GROUP BY 1`, `ORDER BY 1`] : []),
  ].join("\n");
  return { query, params };
};

/** Runs the chart's query; the rows carry the dimension's and the measures' names. */
export const readChart = async (bigquery: BigQuery, chart: Chart, dataset: string, range: DateRange): Promise<Row[]> => {
  const { query, params } = chartQuery(chart, `${bigquery.projectId}.${dataset}.${chart.view}`, range);
  const [rows] = await bigquery.query({ query, params });
  return rows as Row[];
};

/** True when the rows hold no value to draw (no row, or every measure NULL: an AVG over no order). */
export const isEmpty = (chart: Chart, rows: readonly Row[]): boolean =>
  !rows.some((row) => chart.measures.some((m) => row[m.name] !== null && row[m.name] !== undefined));
