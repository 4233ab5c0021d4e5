/**
 * The read side: parameterised queries on the warehouse views, each capped with
 * maximumBytesBilled. SQL text is assembled only from constants; every value
 * from a request travels as a query parameter.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { Config } from "./config";
import { formatTimestamp } from "./timestamps";
import { LATEST_VIEW, VERSIONS_VIEW, qualified } from "./warehouse";

/** The latest state of an order, the seed's shape. */
export interface OrderOut {
  order_id: string;
  order_date: string | null;
  order_details: string | null;
  order_status: string;
  updated_at: string | null;
  ingested_at: string | null;
}

/** One stored version of an order. */
export interface VersionOut extends OrderOut {
  event_id: string;
  version: number;
}

export interface ListQuery {
  limit: number;
  after?: string;
  status?: string;
  orderId?: string;
}

type Cells = Record<string, unknown>;

const toOrder = (r: Cells): OrderOut => ({
  order_id: String(r.order_id),
  order_date: formatTimestamp(r.order_date),
  order_details: (r.order_details as string | null) ?? null,
  order_status: String(r.order_status),
  updated_at: formatTimestamp(r.updated_at),
  ingested_at: formatTimestamp(r.ingested_at),
});

const run = async (client: BigQuery, config: Config, query: string, params: Record<string, unknown>): Promise<Cells[]> => {
  const [rows] = await client.query({
    query,
    params,
    location: config.location,
    useLegacySql: false,
    maximumBytesBilled: String(config.maxBytesBilled),
  });
  return rows as Cells[];
};

const ORDER_COLUMNS = "order_id, order_date, order_details, order_status, updated_at, ingested_at";

/**
 * One page of latest versions ordered by order_id, starting after `after` (keyset).
 * Reads one row more than the page to know whether another page follows.
 */
export const listLatest = async (client: BigQuery, config: Config, q: ListQuery): Promise<{ orders: OrderOut[]; more: boolean }> => {
  const conditions: string[] = [];
  const params: Record<string, unknown> = { fetch: q.limit + 1 };
  if (q.after !== undefined) {
    conditions.push("order_id > @after");
    params.after = q.after;
  }
  if (q.status !== undefined) {
    conditions.push("order_status = @status");
    params.status = q.status;
  }
  if (q.orderId !== undefined) {
    conditions.push("order_id = @order_id");
    params.order_id = q.orderId;
  }
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const rows = await run(
    client,
    config,
    `SELECT ${ORDER_COLUMNS} FROM ${qualified(config, LATEST_VIEW)} ${where} ORDER BY order_id LIMIT @fetch`,
    params,
  );
  return { orders: rows.slice(0, q.limit).map(toOrder), more: rows.length > q.limit };
};

/** The latest version (from latest_order_v) and every version in version order, or undefined if unknown. */
export const getOrderHistory = async (
  client: BigQuery,
  config: Config,
  orderId: string,
): Promise<{ order: OrderOut & { event_id: string; version_count: number }; history: VersionOut[] } | undefined> => {
  const [latest, versions] = await Promise.all([
    run(client, config, `SELECT ${ORDER_COLUMNS}, event_id, version_count FROM ${qualified(config, LATEST_VIEW)} WHERE order_id = @order_id`, { order_id: orderId }),
    run(
      client,
      config,
      `SELECT ${ORDER_COLUMNS}, event_id, version_seq FROM ${qualified(config, VERSIONS_VIEW)} WHERE order_id = @order_id ORDER BY version_seq`,
      { order_id: orderId },
    ),
  ]);
  if (latest.length === 0) return undefined;
  return {
    order: { ...toOrder(latest[0]), event_id: String(latest[0].event_id), version_count: Number(latest[0].version_count) },
    history: versions.map((r) => ({ ...toOrder(r), event_id: String(r.event_id), version: Number(r.version_seq) })),
  };
};
