// SQL shared by the warehouse's views and unit tests. Dataform exposes this file as the global `sql`.

/** The event time of a version: when the source says the status took effect, else when we accepted it. */
function eventTime(prefix = "") {
  return `COALESCE(${prefix}updated_at, ${prefix}ingested_at)`;
}

/** The version order of one order: event time, then ingest time, then event_id (total and deterministic). */
const VERSION_ORDER = "event_time, ingested_at, event_id";

/**
 * The de-duplicated versions of every order, read from `source` (orders_raw, or a fixture in unit tests):
 * one row per (order_id, event_id), the earliest ingest standing for the event, with its event time,
 * its place in the order's version sequence and the previous version's status.
 * No WITH clause, so that unit tests can put their fixture in a CTE in front of it.
 */
function orderVersions(source) {
  return `SELECT
  order_id,
  event_id,
  order_date,
  order_details,
  order_status,
  updated_at,
  ingested_at,
  event_time,
  ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ${VERSION_ORDER}) AS version_seq,
  COUNT(*) OVER (PARTITION BY order_id) AS version_count,
  LAG(order_status) OVER (PARTITION BY order_id ORDER BY ${VERSION_ORDER}) AS previous_status
FROM (
  -- Streaming de-duplication is best-effort: rows sharing an event_id are one event, the earliest ingest
  -- stands for it (the remaining columns only break ties between byte-identical resends).
  SELECT
    order_id,
    event_id,
    order_date,
    order_details,
    order_status,
    updated_at,
    ingested_at,
    ${eventTime()} AS event_time
  FROM ${source}
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY order_id, event_id
    ORDER BY ingested_at, updated_at, order_status, order_details, order_date
  ) = 1
)`;
}

module.exports = { eventTime, orderVersions, VERSION_ORDER };
