/** GET /orders/{order_id}: the latest version and the full history of one order. */
import { HttpError } from "../errors";
import { getOrderHistory } from "../read";
import type { HandlerContext, HandlerResult } from "./context";

export const getOrder = async ({ config, client }: HandlerContext, rawId: string): Promise<HandlerResult> => {
  let orderId: string;
  try {
    orderId = decodeURIComponent(rawId);
  } catch {
    throw new HttpError(400, "invalid_parameter", "order_id in the path is not valid percent-encoding");
  }
  if (orderId.length === 0 || orderId.length > 128 || /\p{Cc}/u.test(orderId)) {
    throw new HttpError(400, "invalid_parameter", "order_id must be 1 to 128 characters without control characters");
  }
  const { found, cost } = await getOrderHistory(client, config, orderId);
  if (!found) throw new HttpError(404, "not_found", `no order with order_id ${JSON.stringify(orderId)}`, undefined, {}, { bigquery: cost });
  return { status: 200, body: found, log: { versions: found.history.length, bigquery: cost } };
};
