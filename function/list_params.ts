/**
 * The query string of GET /: limit, after (the keyset cursor), status, order_id.
 * Read from the raw URL with URLSearchParams so a repeated or unknown parameter
 * is seen and refused rather than silently dropped.
 */
import type { Config } from "./config";
import { HttpError } from "./errors";
import type { ListQuery } from "./read";
import { ORDER_STATUSES, canonicalStatus } from "./order_schema";

export const LIST_PARAMS = ["limit", "after", "status", "order_id"] as const;

const bad = (message: string) => new HttpError(400, "invalid_parameter", message);

const checkId = (name: string, value: string): string => {
  if (value.length === 0 || value.length > 128 || /\p{Cc}/u.test(value)) {
    throw bad(`${name} must be 1 to 128 characters without control characters`);
  }
  return value;
};

/**
 * @param search - the query string, with or without the leading `?`
 * @throws HttpError 400 naming the parameter and what it accepts
 */
export const parseListParams = (search: string, config: Config): ListQuery => {
  const params = new URLSearchParams(search);
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!(LIST_PARAMS as readonly string[]).includes(name)) {
      throw bad(`unknown parameter ${JSON.stringify(name)}; accepted: ${LIST_PARAMS.join(", ")}`);
    }
    if (seen.has(name)) throw bad(`parameter ${name} is given more than once`);
    seen.add(name);
  }
  const query: ListQuery = { limit: config.pageSizeDefault };
  const limit = params.get("limit");
  if (limit !== null) {
    if (!/^\d{1,6}$/.test(limit) || Number(limit) < 1 || Number(limit) > config.pageSizeMax) {
      throw bad(`limit must be an integer from 1 to ${config.pageSizeMax}, got ${JSON.stringify(limit.slice(0, 40))}`);
    }
    query.limit = Number(limit);
  }
  const after = params.get("after");
  if (after !== null) query.after = checkId("after", after);
  const orderId = params.get("order_id");
  if (orderId !== null) query.orderId = checkId("order_id", orderId);
  const status = params.get("status");
  if (status !== null) {
    const canonical = canonicalStatus(status);
    if (canonical === undefined) throw bad(`status must be one of ${ORDER_STATUSES.join(", ")} (any case), got ${JSON.stringify(status.slice(0, 40))}`);
    query.status = canonical;
  }
  return query;
};

/**
 * The `Link` header for the page after `lastOrderId`: a relative reference
 * (query only), so it resolves against whatever URL the client called, also
 * behind the Cloud Functions URL prefix.
 */
export const nextLink = (q: ListQuery, lastOrderId: string): string => {
  const next = new URLSearchParams({ limit: String(q.limit), after: lastOrderId });
  if (q.status !== undefined) next.set("status", q.status);
  if (q.orderId !== undefined) next.set("order_id", q.orderId);
  return `<?${next.toString()}>; rel="next"`;
};
