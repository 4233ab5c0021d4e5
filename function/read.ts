/**
 * The read side: parameterised queries on the warehouse views, each capped with
 * maximumBytesBilled. SQL text is assembled only from constants; every value
 * from a request travels as a query parameter.
 */
import type { BigQuery, QueryRowsResponse } from "@google-cloud/bigquery";
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

/** What the queries of one request cost, from BigQuery's job statistics, for the request's log line. */
export interface QueryCost {
  bytesProcessed: number;
  /** Absent when BigQuery's answer did not carry it. */
  bytesBilled?: number;
  /** Every query of the request was answered from BigQuery's cache. */
  cacheHit: boolean;
}

const costOf = (response: { totalBytesProcessed?: unknown; totalBytesBilled?: unknown; cacheHit?: unknown } | undefined): QueryCost => ({
  bytesProcessed: Number(response?.totalBytesProcessed ?? 0),
  bytesBilled: response?.totalBytesBilled === undefined ? undefined : Number(response.totalBytesBilled),
  cacheHit: response?.cacheHit === true,
});

const toOrder = (r: Cells): OrderOut => ({
  order_id: String(r.order_id),
  order_date: formatTimestamp(r.order_date),
  order_details: (r.order_details as string | null) ?? null,
  order_status: String(r.order_status),
  updated_at: formatTimestamp(r.updated_at),
  ingested_at: formatTimestamp(r.ingested_at),
});

/** A query the read side runs: SQL from constants, values as parameters. */
export interface ReadQuery {
  query: string;
  params: Record<string, unknown>;
}

const run = async (client: BigQuery, config: Config, { query, params }: ReadQuery): Promise<{ rows: Cells[]; cost: QueryCost }> => {
  // The typings promise [rows, job]; the client resolves [rows, nextQuery, response] (jobs.query's answer with its statistics).
  const [rows, , response] = (await client.query({
    query,
    params,
    location: config.location,
    useLegacySql: false,
    maximumBytesBilled: String(config.maxBytesBilled),
  })) as unknown as QueryRowsResponse;
  return { rows: rows as Cells[], cost: costOf(response as Parameters<typeof costOf>[0]) };
};

const ORDER_COLUMNS = "order_id, order_date, order_details, order_status, updated_at, ingested_at";

/** GET /'s query: one row more than the page, to know whether another page follows. */
export const listLatestQuery = (config: Config, q: ListQuery): ReadQuery => {
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
  return { query: `SELECT ${ORDER_COLUMNS} FROM ${qualified(config, LATEST_VIEW)} ${where} ORDER BY order_id LIMIT @fetch`, params };
};

/** One page of latest versions ordered by order_id, starting after `after` (keyset). */
export const listLatest = async (client: BigQuery, config: Config, q: ListQuery): Promise<{ orders: OrderOut[]; more: boolean; cost: QueryCost }> => {
  const { rows, cost } = await run(client, config, listLatestQuery(config, q));
  return { orders: rows.slice(0, q.limit).map(toOrder), more: rows.length > q.limit, cost };
};

/**
 * GET /orders/{id}'s one query: every version in version order, version_count on each. The latest is
 * the last row (version_seq = version_count: latest_order_v's own definition), so one scan of
 * orders_raw answers both, and latest and history come from one snapshot.
 */
export const orderHistoryQuery = (config: Config, orderId: string): ReadQuery => ({
  query: `SELECT ${ORDER_COLUMNS}, event_id, version_seq, version_count FROM ${qualified(config, VERSIONS_VIEW)} WHERE order_id = @order_id ORDER BY version_seq`,
  params: { order_id: orderId },
});

/** The latest version and every version in version order (`found` absent if unknown), and what reading them cost. */
export const getOrderHistory = async (
  client: BigQuery,
  config: Config,
  orderId: string,
): Promise<{ found?: { order: OrderOut & { event_id: string; version_count: number }; history: VersionOut[] }; cost: QueryCost }> => {
  const { rows, cost } = await run(client, config, orderHistoryQuery(config, orderId));
  const latest = rows[rows.length - 1];
  if (!latest) return { cost };
  return {
    found: {
      order: { ...toOrder(latest), event_id: String(latest.event_id), version_count: Number(latest.version_count) },
      history: rows.map((r) => ({ ...toOrder(r), event_id: String(r.event_id), version: Number(r.version_seq) })),
    },
    cost,
  };
};
