/** orders_raw rows shaped like real traffic, shared by the warehouse benchmark and the cost model. */
import { createHash } from "node:crypto";

const STATUSES = ["Pending", "Processing", "Shipped", "Delivered"];
const VERSIONS_PER_ORDER = 4;

/** Row `index` of an orders-like history: 4 versions per order, one every 10 minutes, SHA-256 event ids. */
export function orderRow(index: number): Record<string, unknown> {
  const orderNumber = Math.floor(index / VERSIONS_PER_ORDER);
  const version = index % VERSIONS_PER_ORDER;
  const orderId = `order-${String(orderNumber).padStart(8, "0")}`;
  const base = Date.UTC(2025, 0, 1) + orderNumber * 1000;
  const eventTime = new Date(base + version * 600_000).toISOString();
  const status = STATUSES[version];
  const details = `${(orderNumber % 5) + 1} items, standard shipping`;
  const eventId = createHash("sha256").update(`${orderId}|${status}|${eventTime}`).digest("hex");
  return {
    event_id: eventId,
    order_id: orderId,
    order_date: new Date(base).toISOString(),
    order_details: details,
    order_status: status,
    updated_at: eventTime,
    ingested_at: new Date(base + version * 600_000 + 250).toISOString(),
    raw_payload: JSON.stringify({ order_id: orderId, order_status: status, order_details: details, updated_at: eventTime }),
    request_id: `req-${index}`,
    caller: "bench",
  };
}
