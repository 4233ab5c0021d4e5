/**
 * The views on real rows: `dataform run` on a fresh local BigQuery, order versions inserted into
 * orders_raw with the real BigQuery client, then each view queried and compared with rows written by hand.
 * Covers every case of the Dataform unit tests (definitions/tests/order_cases.js) and more.
 */
import { BigQuery, type TableMetadata } from "@google-cloud/bigquery";
import { startLocalBigQuery, type LocalBigQuery } from "../../local-bigquery/src";
import { DATASET, GCP_PROJECT, runDataform, tableName } from "../support/warehouse";
import { describeRun } from "../support/warehouse_outcomes";

/** An instant on the fixture day, as the client returns TIMESTAMPs: at("10:00:00") = "2025-03-01T10:00:00.000Z". */
function at(time: string): string {
  return `2025-03-01T${time}.000Z`;
}
const ORDER_DATE = at("08:00:00");

type Cell = string | number | null;
type Row = Record<string, Cell>;

interface Version {
  order: string;
  event: string;
  status: string;
  ingested: string;
  updated?: string;
  details?: string;
  orderDate?: string;
}

function v(order: string, event: string, status: string, ingested: string, more: Partial<Version> = {}): Version {
  return { order, event, status, ingested: at(ingested), ...more };
}

const MANY = 40;
const manyVersions = Array.from({ length: MANY }, (_, i) =>
  v("o-many", `m${String(i).padStart(2, "0")}`, i % 2 === 0 ? "Pending" : "Processing", `10:${String(i).padStart(2, "0")}:30`, {
    updated: at(`10:${String(i).padStart(2, "0")}:00`),
  }),
);

const VERSIONS: Version[] = [
  // several versions; the last corrects order_date
  v("o-several", "e1", "Pending", "10:00:05", { updated: at("10:00:00"), details: "2 items" }),
  v("o-several", "e2", "Processing", "11:00:05", { updated: at("11:00:00"), details: "2 items" }),
  v("o-several", "e3", "Shipped", "12:00:05", { updated: at("12:00:00"), details: "2 items" }),
  v("o-several", "e4", "Delivered", "13:00:05", { updated: at("13:00:00"), details: "2 items", orderDate: at("08:30:00") }),
  // tie on event time: ingested_at decides
  v("o-tie", "e2", "Pending", "10:00:01", { updated: at("10:00:00") }),
  v("o-tie", "e1", "Processing", "10:00:02", { updated: at("10:00:00") }),
  // tie on event time and ingested_at: event_id decides
  v("o-full-tie", "e-b", "Pending", "10:00:01", { updated: at("10:00:00") }),
  v("o-full-tie", "e-a", "Processing", "10:00:01", { updated: at("10:00:00") }),
  // late arrival: older updated_at, ingested last
  v("o-late", "e1", "Pending", "09:00:01", { updated: at("09:00:00") }),
  v("o-late", "e3", "Shipped", "12:00:01", { updated: at("12:00:00") }),
  v("o-late", "e2", "Processing", "13:00:00", { updated: at("10:00:00") }),
  // the first event resent later, no updated_at anywhere
  v("o-dup", "e1", "Pending", "10:00:00", { details: "1 item" }),
  v("o-dup", "e2", "Shipped", "11:00:00", { details: "1 item" }),
  v("o-dup", "e1", "Pending", "12:00:00", { details: "1 item" }),
  // the last event resent (same updated_at, later ingested_at): the earliest ingest stands
  v("o-dup-last", "e1", "Pending", "09:00:01", { updated: at("09:00:00") }),
  v("o-dup-last", "e2", "Shipped", "10:00:01", { updated: at("10:00:00") }),
  v("o-dup-last", "e2", "Shipped", "10:45:00", { updated: at("10:00:00") }),
  // single version without updated_at
  v("o-single", "e1", "Pending", "10:00:00", { details: "gift wrap" }),
  // cancelled
  v("o-cancelled", "e1", "Pending", "10:00:01", { updated: at("10:00:00") }),
  v("o-cancelled", "e2", "Processing", "10:30:01", { updated: at("10:30:00") }),
  v("o-cancelled", "e3", "Cancelled", "11:00:01", { updated: at("11:00:00") }),
  // status goes back, then repeats
  v("o-back", "e1", "Pending", "10:00:01", { updated: at("10:00:00"), details: "v1" }),
  v("o-back", "e2", "Processing", "11:00:01", { updated: at("11:00:00"), details: "v1" }),
  v("o-back", "e3", "Pending", "12:00:01", { updated: at("12:00:00"), details: "v2" }),
  v("o-back", "e4", "Processing", "13:00:01", { updated: at("13:00:00"), details: "v2" }),
  v("o-back", "e5", "Processing", "14:00:01", { updated: at("14:00:00"), details: "v3" }),
  // no updated_at on any version: event time is ingested_at
  v("o-null-updated", "n1", "Pending", "10:00:00"),
  v("o-null-updated", "n2", "Shipped", "10:30:00"),
  v("o-null-updated", "n3", "Delivered", "11:00:00"),
  // delivered, then returned
  v("o-returned", "r1", "Delivered", "10:00:00", { updated: at("09:00:00") }),
  v("o-returned", "r2", "Returned", "12:00:00", { updated: at("11:00:00") }),
  // two orders that happen to share an event_id stay two orders
  v("o-shared-a", "shared", "Pending", "10:00:00"),
  v("o-shared-b", "shared", "Shipped", "10:05:00"),
  ...manyVersions,
];

function latest(order: string, event: string, status: string, ingested: string, versions: number, more: Row = {}): Row {
  return {
    order_id: order,
    order_date: ORDER_DATE,
    order_details: null,
    order_status: status,
    updated_at: null,
    ingested_at: ingested,
    event_id: event,
    version_count: versions,
    ...more,
  };
}

const EXPECTED_LATEST: Row[] = [
  latest("o-several", "e4", "Delivered", at("13:00:05"), 4, { updated_at: at("13:00:00"), order_details: "2 items", order_date: at("08:30:00") }),
  latest("o-tie", "e1", "Processing", at("10:00:02"), 2, { updated_at: at("10:00:00") }),
  latest("o-full-tie", "e-b", "Pending", at("10:00:01"), 2, { updated_at: at("10:00:00") }),
  latest("o-late", "e3", "Shipped", at("12:00:01"), 3, { updated_at: at("12:00:00") }),
  latest("o-dup", "e2", "Shipped", at("11:00:00"), 2, { order_details: "1 item" }),
  latest("o-dup-last", "e2", "Shipped", at("10:00:01"), 2, { updated_at: at("10:00:00") }),
  latest("o-single", "e1", "Pending", at("10:00:00"), 1, { order_details: "gift wrap" }),
  latest("o-cancelled", "e3", "Cancelled", at("11:00:01"), 3, { updated_at: at("11:00:00") }),
  latest("o-back", "e5", "Processing", at("14:00:01"), 5, { updated_at: at("14:00:00"), order_details: "v3" }),
  latest("o-null-updated", "n3", "Delivered", at("11:00:00"), 3),
  latest("o-returned", "r2", "Returned", at("12:00:00"), 2, { updated_at: at("11:00:00") }),
  latest("o-shared-a", "shared", "Pending", at("10:00:00"), 1),
  latest("o-shared-b", "shared", "Shipped", at("10:05:00"), 1),
  latest("o-many", "m39", "Processing", at("10:39:30"), 40, { updated_at: at("10:39:00") }),
];

function first(order: string, event: string, status: string, firstEventAt: string, details: string | null = null): Row {
  return { order_id: order, order_date: ORDER_DATE, order_details: details, order_status: status, first_event_at: firstEventAt, event_id: event };
}

const EXPECTED_FIRST: Row[] = [
  first("o-several", "e1", "Pending", at("10:00:00"), "2 items"),
  first("o-tie", "e2", "Pending", at("10:00:00")),
  first("o-full-tie", "e-a", "Processing", at("10:00:00")),
  first("o-late", "e1", "Pending", at("09:00:00")),
  first("o-dup", "e1", "Pending", at("10:00:00"), "1 item"),
  first("o-dup-last", "e1", "Pending", at("09:00:00")),
  first("o-single", "e1", "Pending", at("10:00:00"), "gift wrap"),
  first("o-cancelled", "e1", "Pending", at("10:00:00")),
  first("o-back", "e1", "Pending", at("10:00:00"), "v1"),
  first("o-null-updated", "n1", "Pending", at("10:00:00")),
  first("o-returned", "r1", "Delivered", at("09:00:00")),
  first("o-shared-a", "shared", "Pending", at("10:00:00")),
  first("o-shared-b", "shared", "Shipped", at("10:05:00")),
  first("o-many", "m00", "Pending", at("10:00:00")),
];

interface Lifecycle {
  first: string;
  current: string;
  from: string;
  to: string;
  versions: number;
  changes: number;
  seconds: number;
  reached: Partial<Record<"pending" | "processing" | "shipped" | "delivered" | "cancelled" | "returned", string>>;
  orderDate?: string;
  /** hours_to_shipped / hours_to_delivered, written by hand; NULL when absent. */
  hoursTo?: { shipped?: number; delivered?: number };
  cancelled?: 0 | 1;
}

function lifecycle(order: string, l: Lifecycle): Row {
  const statusAt = (status: keyof Lifecycle["reached"]) => l.reached[status] ?? null;
  return {
    order_id: order,
    order_date: l.orderDate ?? ORDER_DATE,
    first_status: l.first,
    current_status: l.current,
    first_event_at: l.from,
    latest_event_at: l.to,
    version_count: l.versions,
    status_change_count: l.changes,
    lifecycle_seconds: l.seconds,
    pending_at: statusAt("pending"),
    processing_at: statusAt("processing"),
    shipped_at: statusAt("shipped"),
    delivered_at: statusAt("delivered"),
    cancelled_at: statusAt("cancelled"),
    returned_at: statusAt("returned"),
    hours_to_shipped: l.hoursTo?.shipped ?? null,
    hours_to_delivered: l.hoursTo?.delivered ?? null,
    is_cancelled: l.cancelled ?? 0,
  };
}

const EXPECTED_LIFECYCLE: Row[] = [
  lifecycle("o-several", {
    first: "Pending", current: "Delivered", from: at("10:00:00"), to: at("13:00:00"), versions: 4, changes: 3, seconds: 10800, orderDate: at("08:30:00"),
    reached: { pending: at("10:00:00"), processing: at("11:00:00"), shipped: at("12:00:00"), delivered: at("13:00:00") },
    // From the latest version's order_date, 08:30.
    hoursTo: { shipped: 3.5, delivered: 4.5 },
  }),
  lifecycle("o-tie", {
    first: "Pending", current: "Processing", from: at("10:00:00"), to: at("10:00:00"), versions: 2, changes: 1, seconds: 0,
    reached: { pending: at("10:00:00"), processing: at("10:00:00") },
  }),
  lifecycle("o-full-tie", {
    first: "Processing", current: "Pending", from: at("10:00:00"), to: at("10:00:00"), versions: 2, changes: 1, seconds: 0,
    reached: { pending: at("10:00:00"), processing: at("10:00:00") },
  }),
  lifecycle("o-late", {
    first: "Pending", current: "Shipped", from: at("09:00:00"), to: at("12:00:00"), versions: 3, changes: 2, seconds: 10800,
    reached: { pending: at("09:00:00"), processing: at("10:00:00"), shipped: at("12:00:00") },
    hoursTo: { shipped: 4 },
  }),
  lifecycle("o-dup", {
    first: "Pending", current: "Shipped", from: at("10:00:00"), to: at("11:00:00"), versions: 2, changes: 1, seconds: 3600,
    reached: { pending: at("10:00:00"), shipped: at("11:00:00") },
    hoursTo: { shipped: 3 },
  }),
  lifecycle("o-dup-last", {
    first: "Pending", current: "Shipped", from: at("09:00:00"), to: at("10:00:00"), versions: 2, changes: 1, seconds: 3600,
    reached: { pending: at("09:00:00"), shipped: at("10:00:00") },
    hoursTo: { shipped: 2 },
  }),
  lifecycle("o-single", {
    first: "Pending", current: "Pending", from: at("10:00:00"), to: at("10:00:00"), versions: 1, changes: 0, seconds: 0,
    reached: { pending: at("10:00:00") },
  }),
  lifecycle("o-cancelled", {
    first: "Pending", current: "Cancelled", from: at("10:00:00"), to: at("11:00:00"), versions: 3, changes: 2, seconds: 3600,
    reached: { pending: at("10:00:00"), processing: at("10:30:00"), cancelled: at("11:00:00") },
    cancelled: 1,
  }),
  lifecycle("o-back", {
    first: "Pending", current: "Processing", from: at("10:00:00"), to: at("14:00:00"), versions: 5, changes: 3, seconds: 14400,
    reached: { pending: at("10:00:00"), processing: at("11:00:00") },
  }),
  lifecycle("o-null-updated", {
    first: "Pending", current: "Delivered", from: at("10:00:00"), to: at("11:00:00"), versions: 3, changes: 2, seconds: 3600,
    reached: { pending: at("10:00:00"), shipped: at("10:30:00"), delivered: at("11:00:00") },
    hoursTo: { shipped: 2.5, delivered: 3 },
  }),
  lifecycle("o-returned", {
    first: "Delivered", current: "Returned", from: at("09:00:00"), to: at("11:00:00"), versions: 2, changes: 1, seconds: 7200,
    reached: { delivered: at("09:00:00"), returned: at("11:00:00") },
    hoursTo: { delivered: 1 },
  }),
  lifecycle("o-shared-a", {
    first: "Pending", current: "Pending", from: at("10:00:00"), to: at("10:00:00"), versions: 1, changes: 0, seconds: 0,
    reached: { pending: at("10:00:00") },
  }),
  lifecycle("o-shared-b", {
    first: "Shipped", current: "Shipped", from: at("10:05:00"), to: at("10:05:00"), versions: 1, changes: 0, seconds: 0,
    reached: { shipped: at("10:05:00") },
    // 2 h 5 min: a fraction of an hour.
    hoursTo: { shipped: 125 / 60 },
  }),
  lifecycle("o-many", {
    first: "Pending", current: "Processing", from: at("10:00:00"), to: at("10:39:00"), versions: 40, changes: 39, seconds: 2340,
    reached: { pending: at("10:00:00"), processing: at("10:01:00") },
  }),
];

/** Query results as plain values: TIMESTAMPs as their ISO string. */
function plain(rows: Record<string, unknown>[]): Row[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, value !== null && typeof value === "object" && "value" in value ? String(value.value) : (value as Cell)]),
    ),
  );
}

const byOrder = (rows: Row[]): Row[] => [...rows].sort((a, b) => String(a.order_id).localeCompare(String(b.order_id)));

describe("the views on rows inserted with the client", () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ quiet: true });
    bigquery = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
    const result = await runDataform("run", [], { url: local.url });
    expect(describeRun(result)).toMatch(/^exit 0/);
    // Distinct insertIds: resends must land, as they do when streaming de-duplication misses them.
    await bigquery
      .dataset(DATASET)
      .table("orders_raw")
      .insert(
        VERSIONS.map((version, index) => ({
          insertId: `row-${index}`,
          json: {
            event_id: version.event,
            order_id: version.order,
            order_date: version.orderDate ?? ORDER_DATE,
            order_details: version.details ?? null,
            order_status: version.status,
            updated_at: version.updated ?? null,
            ingested_at: version.ingested,
            raw_payload: JSON.stringify({ order_id: version.order, order_status: version.status }),
            request_id: `req-${index}`,
            caller: "views-test",
          },
        })),
        { raw: true },
      );
  });
  afterAll(async () => {
    await local?.stop();
  });

  async function view(name: string): Promise<Row[]> {
    const [rows] = await bigquery.query(`SELECT * FROM ${tableName(name)} ORDER BY order_id`);
    return plain(rows);
  }

  it("stored every version, resends included", async () => {
    const [rows] = await bigquery.query(`SELECT COUNT(*) AS n FROM ${tableName("orders_raw")}`);
    expect(rows[0].n).toBe(VERSIONS.length);
  });

  it("latest_order_v: one row per order, its last version, events counted once", async () => {
    expect(await view("latest_order_v")).toEqual(byOrder(EXPECTED_LATEST));
  });

  it("first_order_events_v: one row per order, its first version", async () => {
    expect(await view("first_order_events_v")).toEqual(byOrder(EXPECTED_FIRST));
  });

  it("order_lifecycle_metrics_v: one row per order with its lifecycle", async () => {
    expect(await view("order_lifecycle_metrics_v")).toEqual(byOrder(EXPECTED_LIFECYCLE));
  });

  it("order_lifecycle_metrics_v: the dashboard's measures have the types Looker Studio aggregates", async () => {
    const [meta] = await bigquery.dataset(DATASET).table("order_lifecycle_metrics_v").getMetadata();
    const fields = (meta as TableMetadata).schema?.fields ?? [];
    const typeOf = (name: string) => fields.find((field) => field.name === name)?.type;
    expect(["hours_to_shipped", "hours_to_delivered", "is_cancelled"].map((name) => [name, typeOf(name)])).toEqual([
      ["hours_to_shipped", "FLOAT"],
      ["hours_to_delivered", "FLOAT"],
      ["is_cancelled", "INTEGER"],
    ]);
    // The cancellation rate and the mean hours, as the dashboard computes them.
    const [[totals]] = await bigquery.query(
      `SELECT AVG(is_cancelled) AS cancellation_rate, SUM(is_cancelled) AS cancelled, AVG(hours_to_delivered) AS mean_hours_to_delivered
       FROM ${tableName("order_lifecycle_metrics_v")}`,
    );
    expect(totals).toEqual({ cancellation_rate: 1 / EXPECTED_LIFECYCLE.length, cancelled: 1, mean_hours_to_delivered: (4.5 + 3 + 1) / 3 });
  });

  it("order_versions_v: one row per event in version order, the earliest ingest standing for a resent event", async () => {
    const [rows] = await bigquery.query(
      `SELECT order_id, event_id, ingested_at, event_time, version_seq, version_count, previous_status
       FROM ${tableName("order_versions_v")} WHERE order_id IN ('o-dup', 'o-late') ORDER BY order_id, version_seq`,
    );
    expect(plain(rows)).toEqual([
      { order_id: "o-dup", event_id: "e1", ingested_at: at("10:00:00"), event_time: at("10:00:00"), version_seq: 1, version_count: 2, previous_status: null },
      { order_id: "o-dup", event_id: "e2", ingested_at: at("11:00:00"), event_time: at("11:00:00"), version_seq: 2, version_count: 2, previous_status: "Pending" },
      { order_id: "o-late", event_id: "e1", ingested_at: at("09:00:01"), event_time: at("09:00:00"), version_seq: 1, version_count: 3, previous_status: null },
      { order_id: "o-late", event_id: "e2", ingested_at: at("13:00:00"), event_time: at("10:00:00"), version_seq: 2, version_count: 3, previous_status: "Pending" },
      { order_id: "o-late", event_id: "e3", ingested_at: at("12:00:01"), event_time: at("12:00:00"), version_seq: 3, version_count: 3, previous_status: "Processing" },
    ]);
  });
});
