/** GET /: one page of latest versions, with a keyset `Link: rel="next"` while more remain. */
import { nextLink, parseListParams } from "../list_params";
import { listLatest } from "../read";
import type { HandlerContext, HandlerResult } from "./context";

export const getOrders = async ({ req, config, client }: HandlerContext): Promise<HandlerResult> => {
  const search = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
  const query = parseListParams(search, config);
  const { orders, more, cost } = await listLatest(client, config, query);
  const headers: Record<string, string> = {};
  if (more && orders.length > 0) headers.Link = nextLink(query, orders[orders.length - 1].order_id);
  return { status: 200, body: orders, headers, log: { returned: orders.length, more, bigquery: cost } };
};
