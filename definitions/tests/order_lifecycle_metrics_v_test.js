// Unit tests of order_lifecycle_metrics_v: every case of order_cases.js, run through the real versions
// layer. The <status>_at columns follow includes/order_statuses.json; a status a case does not name is NULL.
// hours_to_<status> (the dashboard's milestones) is NULL unless the case gives it; is_cancelled is 0 unless given.
const { at, ORDER_DATE, testEveryCase } = require("./order_cases");

const COLUMNS = [
  ["order_id", "STRING"],
  ["order_date", "TIMESTAMP"],
  ["first_status", "STRING"],
  ["current_status", "STRING"],
  ["first_event_at", "TIMESTAMP"],
  ["latest_event_at", "TIMESTAMP"],
  ["version_count", "INT64"],
  ["status_change_count", "INT64"],
  ["lifecycle_seconds", "INT64"],
  ...statuses.list.map((status) => [statuses.atColumn(status), "TIMESTAMP"]),
  ...statuses.milestones.map((status) => [statuses.hoursToColumn(status), "FLOAT64"]),
  ["is_cancelled", "INT64"],
];

function lifecycle(orderId, { orderDate = ORDER_DATE, first, current, from, to, versions, changes, seconds, reached, hours = {}, cancelled = 0 }) {
  const statusTimes = Object.fromEntries(statuses.list.map((status) => [statuses.atColumn(status), reached[status] || null]));
  const unknown = Object.keys(reached).filter((status) => !statuses.list.includes(status));
  if (unknown.length) {
    throw new Error(`order_lifecycle_metrics_v tests: statuses [${unknown}] are not in includes/order_statuses.json`);
  }
  const unmeasured = Object.keys(hours).filter((status) => !statuses.milestones.includes(status));
  if (unmeasured.length) {
    throw new Error(`order_lifecycle_metrics_v tests: no hours_to_ column for statuses [${unmeasured}] (includes/statuses.js milestones)`);
  }
  const hoursTo = Object.fromEntries(statuses.milestones.map((status) => [statuses.hoursToColumn(status), hours[status] ?? null]));
  return {
    order_id: orderId,
    order_date: orderDate,
    first_status: first,
    current_status: current,
    first_event_at: from,
    latest_event_at: to,
    version_count: versions,
    status_change_count: changes,
    lifecycle_seconds: seconds,
    ...statusTimes,
    ...hoursTo,
    is_cancelled: cancelled,
  };
}

testEveryCase("order_lifecycle_metrics_v", COLUMNS, {
  several_versions: lifecycle("o-several", {
    orderDate: at("08:30:00"), first: "Pending", current: "Delivered", from: at("10:00:00"), to: at("13:00:00"),
    versions: 4, changes: 3, seconds: 10800,
    reached: { Pending: at("10:00:00"), Processing: at("11:00:00"), Shipped: at("12:00:00"), Delivered: at("13:00:00") },
    // From the latest version's order_date (08:30), not the first's (08:00).
    hours: { Shipped: 3.5, Delivered: 4.5 },
  }),
  event_time_tie: lifecycle("o-tie", {
    first: "Pending", current: "Processing", from: at("10:00:00"), to: at("10:00:00"),
    versions: 2, changes: 1, seconds: 0,
    reached: { Pending: at("10:00:00"), Processing: at("10:00:00") },
  }),
  event_time_and_ingest_tie: lifecycle("o-full-tie", {
    first: "Processing", current: "Pending", from: at("10:00:00"), to: at("10:00:00"),
    versions: 2, changes: 1, seconds: 0,
    reached: { Pending: at("10:00:00"), Processing: at("10:00:00") },
  }),
  late_arrival: lifecycle("o-late", {
    first: "Pending", current: "Shipped", from: at("09:00:00"), to: at("12:00:00"),
    versions: 3, changes: 2, seconds: 10800,
    reached: { Pending: at("09:00:00"), Processing: at("10:00:00"), Shipped: at("12:00:00") },
    hours: { Shipped: 4 },
  }),
  duplicated_event_id: lifecycle("o-dup", {
    first: "Pending", current: "Shipped", from: at("10:00:00"), to: at("11:00:00"),
    versions: 2, changes: 1, seconds: 3600,
    reached: { Pending: at("10:00:00"), Shipped: at("11:00:00") },
    hours: { Shipped: 3 },
  }),
  single_version: lifecycle("o-single", {
    first: "Pending", current: "Pending", from: at("10:00:00"), to: at("10:00:00"),
    versions: 1, changes: 0, seconds: 0,
    reached: { Pending: at("10:00:00") },
  }),
  cancelled: lifecycle("o-cancelled", {
    first: "Pending", current: "Cancelled", from: at("10:00:00"), to: at("11:00:00"),
    versions: 3, changes: 2, seconds: 3600,
    reached: { Pending: at("10:00:00"), Processing: at("10:30:00"), Cancelled: at("11:00:00") },
    cancelled: 1,
  }),
  status_goes_back: lifecycle("o-back", {
    first: "Pending", current: "Processing", from: at("10:00:00"), to: at("14:00:00"),
    versions: 5, changes: 3, seconds: 14400,
    reached: { Pending: at("10:00:00"), Processing: at("11:00:00") },
  }),
});
