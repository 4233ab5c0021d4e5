/**
 * THE list of the dashboard's charts: the Looker Studio report's data sources
 * (`npm run looker:link`), the README's chart table and the local dashboard page
 * all derive from it, so they cannot drift apart. Every measure is a column of a
 * view aggregated one way (COUNT or AVG), never a calculated field.
 */

/** How a measure is aggregated: "count" is Looker's Record Count (COUNT(*)), "avg" its Average. */
export type Aggregation = "count" | "avg";

export interface Measure {
  /** The view's column; undefined for a record count. */
  column?: string;
  aggregation: Aggregation;
  /** Label on the page (and the result column's name is `name`). */
  label: string;
  name: string;
}

export interface Chart {
  /** Names the Vega-Lite spec, dashboard/specs/<id>.vl.json. */
  id: string;
  title: string;
  view: string;
  /** Grouping column; `day` groups a TIMESTAMP by its UTC date. */
  dimension?: { column: string; granularity?: "day" };
  measures: readonly Measure[];
  /** How numbers are printed: d3-format on the page; "percent" also says so in Looker. */
  format: "count" | "hours" | "percent";
  /** The Looker Studio chart type (README). */
  lookerType: string;
  /** Said after the metric in the README (why NULLs do not count, what the flag means). */
  note?: string;
}

/** The column every view's date-range filter applies to (when the order was placed, UTC). */
export const DATE_COLUMN = "order_date";

export const CHARTS: readonly Chart[] = [
  {
    id: "orders_by_status",
    title: "Orders by current status",
    view: "latest_order_v",
    dimension: { column: "order_status" },
    measures: [{ aggregation: "count", label: "Orders", name: "orders" }],
    format: "count",
    lookerType: "pie or bar chart",
  },
  {
    id: "new_orders_per_day",
    title: "New orders per day",
    view: "first_order_events_v",
    dimension: { column: "order_date", granularity: "day" },
    measures: [{ aggregation: "count", label: "New orders", name: "orders" }],
    format: "count",
    lookerType: "time series",
  },
  {
    id: "hours_to_milestones",
    title: "Time from order to shipped / to delivered",
    view: "order_lifecycle_metrics_v",
    measures: [
      { column: "hours_to_shipped", aggregation: "avg", label: "to shipped", name: "avg_hours_to_shipped" },
      { column: "hours_to_delivered", aggregation: "avg", label: "to delivered", name: "avg_hours_to_delivered" },
    ],
    format: "hours",
    lookerType: "scorecards, or a time series by `order_date` (week)",
    note: "orders not yet shipped or delivered are NULL and do not count",
  },
  {
    id: "cancellation_rate",
    title: "Cancellation rate",
    view: "order_lifecycle_metrics_v",
    measures: [{ column: "is_cancelled", aggregation: "avg", label: "Cancelled", name: "cancellation_rate" }],
    format: "percent",
    lookerType: "scorecard (and time series by `order_date`)",
    note: "1 when the current status is Cancelled, else 0",
  },
];

export interface DashboardView {
  /** The data source's alias in the Looker Studio report (ds0, ds1, ...). */
  alias: string;
  view: string;
  /** Columns the charts use: dimensions, measures and the date-range column. */
  fields: readonly string[];
}

/** One data source per view, in the order the charts first use them. */
export const dashboardViews = (charts: readonly Chart[] = CHARTS): DashboardView[] => {
  const views: Array<{ alias: string; view: string; fields: Set<string> }> = [];
  for (const chart of charts) {
    let entry = views.find((v) => v.view === chart.view);
    if (!entry) views.push((entry = { alias: `ds${views.length}`, view: chart.view, fields: new Set() }));
    if (chart.dimension) entry.fields.add(chart.dimension.column);
    for (const m of chart.measures) if (m.column) entry.fields.add(m.column);
    entry.fields.add(DATE_COLUMN);
  }
  return views.map(({ alias, view, fields }) => ({ alias, view, fields: [...fields] }));
};

const AGGREGATION_NAME: Record<Aggregation, string> = { count: "Record Count", avg: "Average" };

/** The README's chart table (section "Looker Studio dashboard"), as Markdown. */
export const readmeChartTable = (charts: readonly Chart[] = CHARTS): string => {
  const row = (cells: string[]): string => `|${cells.map((c) => (c ? ` ${c} ` : " ")).join("|")}|`;
  const metric = (chart: Chart): string => {
    const counted = chart.measures.filter((m) => m.column).map((m) => `\`${m.column}\``);
    if (counted.length === 0) return AGGREGATION_NAME.count;
    const aggregation = AGGREGATION_NAME[chart.measures[0].aggregation];
    const note = chart.note ? ` (${chart.note})` : "";
    const percent = chart.format === "percent" ? ", shown as percent" : "";
    return `${counted.join(" and ")}${note}, aggregation ${aggregation}${percent}`;
  };
  const dimension = (chart: Chart): string =>
    chart.dimension ? `\`${chart.dimension.column}\`${chart.dimension.granularity === "day" ? " (granularity: Date)" : ""}` : "";
  return [
    row(["chart", "data source", "type", "dimension", "metric"]),
    "|---|---|---|---|---|",
    ...charts.map((c) => row([c.title, `\`${c.view}\``, c.lookerType, dimension(c), metric(c)])),
  ].join("\n");
};

/** `tsx dashboard/charts.ts`: prints the README table, to paste after changing the list. */
if (require.main === module) console.log(readmeChartTable());
