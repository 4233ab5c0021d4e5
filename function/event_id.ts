/**
 * The id of one order version: the client's `event_id`, else a SHA-256 of the
 * version's canonical form, so a resent version gets the same id and BigQuery's
 * insertId plus the warehouse's de-duplication store it once.
 */
import { hash } from "node:crypto";
import type { Order } from "./order_schema";

/**
 * The canonical form: the known fields after normalisation (UTC timestamps with
 * six fraction digits, canonical status, absent = null), in a fixed order.
 * Unknown fields are left out: they travel in the raw payload, not in the identity.
 */
export const canonicalForm = (o: Order): string =>
  JSON.stringify([
    "order-version/v1",
    o.order_id,
    o.order_date,
    o.order_status,
    o.order_details ?? null,
    o.updated_at ?? null,
  ]);

/** Hex SHA-256 of the canonical form. */
// crypto.hash: the one-shot form, without a Hash object per row.
export const derivedEventId = (o: Order): string => hash("sha256", canonicalForm(o), "hex");

/** The client's idempotency key when given, else the derived one. */
export const eventIdFor = (o: Order): string => o.event_id ?? derivedEventId(o);
