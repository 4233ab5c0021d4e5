// Unit tests of latest_order_v: every case of order_cases.js, run through the real versions layer.
const { at, ORDER_DATE, testEveryCase } = require("./order_cases");

const COLUMNS = [
  ["order_id", "STRING"],
  ["order_date", "TIMESTAMP"],
  ["order_details", "STRING"],
  ["order_status", "STRING"],
  ["updated_at", "TIMESTAMP"],
  ["ingested_at", "TIMESTAMP"],
  ["event_id", "STRING"],
  ["version_count", "INT64"],
];

function latest(orderId, eventId, status, { updated = null, ingested, details = null, orderDate = ORDER_DATE, versions }) {
  return {
    order_id: orderId,
    order_date: orderDate,
    order_details: details,
    order_status: status,
    updated_at: updated,
    ingested_at: ingested,
    event_id: eventId,
    version_count: versions,
  };
}

testEveryCase("latest_order_v", COLUMNS, {
  several_versions: latest("o-several", "e4", "Delivered", { updated: at("13:00:00"), ingested: at("13:00:05"), details: "2 items", orderDate: at("08:30:00"), versions: 4 }),
  event_time_tie: latest("o-tie", "e1", "Processing", { updated: at("10:00:00"), ingested: at("10:00:02"), versions: 2 }),
  event_time_and_ingest_tie: latest("o-full-tie", "e-b", "Pending", { updated: at("10:00:00"), ingested: at("10:00:01"), versions: 2 }),
  late_arrival: latest("o-late", "e3", "Shipped", { updated: at("12:00:00"), ingested: at("12:00:01"), versions: 3 }),
  duplicated_event_id: latest("o-dup", "e2", "Shipped", { ingested: at("11:00:00"), details: "1 item", versions: 2 }),
  single_version: latest("o-single", "e1", "Pending", { ingested: at("10:00:00"), details: "gift wrap", versions: 1 }),
  cancelled: latest("o-cancelled", "e3", "Cancelled", { updated: at("11:00:00"), ingested: at("11:00:01"), versions: 3 }),
  status_goes_back: latest("o-back", "e5", "Processing", { updated: at("14:00:00"), ingested: at("14:00:01"), details: "v3", versions: 5 }),
});
