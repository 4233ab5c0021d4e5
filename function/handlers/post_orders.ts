/** POST /: validate the whole batch, then store every version or nothing is acknowledged. */
import { readOrdersBody } from "../body";
import { callerOf } from "../caller";
import { HttpError } from "../errors";
import { insertRows, toRawRows } from "../ingest";
import { validateOrders } from "../order_schema";
import type { HandlerContext, HandlerResult } from "./context";

export const postOrders = async ({ req, config, client, requestId }: HandlerContext): Promise<HandlerResult> => {
  const candidates = readOrdersBody(req, config);
  const checked = validateOrders(candidates);
  if (!checked.ok) {
    const rows = new Set(checked.problems.map((p) => p.index)).size;
    throw new HttpError(
      400,
      "invalid_orders",
      `${rows} of ${candidates.length} orders are invalid; nothing was stored. Fix every listed field and resend the batch.`,
      checked.problems,
    );
  }
  const rows = toRawRows(checked.orders, { requestId, ingestedAt: new Date(), caller: callerOf(req) });
  const requests = await insertRows(client, config, rows);
  return {
    status: 200,
    body: { accepted: rows.length, event_ids: rows.map((r) => r.event_id) },
    log: { accepted: rows.length, insertRequests: requests },
  };
};
