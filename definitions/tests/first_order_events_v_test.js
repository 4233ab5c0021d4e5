// Unit tests of first_order_events_v: every case of order_cases.js, run through the real versions layer.
const { at, ORDER_DATE, testEveryCase } = require("./order_cases");

const COLUMNS = [
  ["order_id", "STRING"],
  ["order_date", "TIMESTAMP"],
  ["order_details", "STRING"],
  ["order_status", "STRING"],
  ["first_event_at", "TIMESTAMP"],
  ["event_id", "STRING"],
];

function first(orderId, eventId, status, firstEventAt, details = null) {
  return {
    order_id: orderId,
    order_date: ORDER_DATE,
    order_details: details,
    order_status: status,
    first_event_at: firstEventAt,
    event_id: eventId,
  };
}

testEveryCase("first_order_events_v", COLUMNS, {
  several_versions: first("o-several", "e1", "Pending", at("10:00:00"), "2 items"),
  event_time_tie: first("o-tie", "e2", "Pending", at("10:00:00")),
  event_time_and_ingest_tie: first("o-full-tie", "e-a", "Processing", at("10:00:00")),
  late_arrival: first("o-late", "e1", "Pending", at("09:00:00")),
  duplicated_event_id: first("o-dup", "e1", "Pending", at("10:00:00"), "1 item"),
  single_version: first("o-single", "e1", "Pending", at("10:00:00"), "gift wrap"),
  cancelled: first("o-cancelled", "e1", "Pending", at("10:00:00")),
  status_goes_back: first("o-back", "e1", "Pending", at("10:00:00"), "v1"),
});
