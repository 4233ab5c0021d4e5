// Column descriptions shared by orders_raw's consumers, so every view documents a column the same way.
// Dataform exposes this file as the global `descriptions`.
const columns = {
  event_id: "Idempotency key of the version (the client's, else a SHA-256 of its canonical fields); rows sharing it are one event.",
  order_id: "Order identifier, as sent by the app.",
  order_date: "When the order was placed (UTC).",
  order_details: "Free-text order details, as sent; NULL when not sent.",
  order_status: "Canonical status name (includes/order_statuses.json).",
  updated_at: "When the source says this status took effect; NULL when the app did not send it.",
  ingested_at: "When the ingest function accepted the version (earliest ingest when the event was resent).",
  event_time: "Event time of the version: COALESCE(updated_at, ingested_at).",
  version_count: "Number of distinct events (event_id) of the order.",
};

/** The descriptions of the named shared columns, for a `columns` config block. */
function pick(...names) {
  return Object.fromEntries(
    names.map((name) => {
      if (!columns[name]) {
        throw new Error(`includes/descriptions.js has no description for column ${name}`);
      }
      return [name, columns[name]];
    }),
  );
}

module.exports = { columns, pick };
