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

const sumCosts = (costs: QueryCost[]): QueryCost => ({
  bytesProcessed: costs.reduce((n, c) => n + c.bytesProcessed, 0),
  bytesBilled: costs.every((c) => c.bytesBilled !== undefined) ? costs.reduce((n, c) => n + (c.bytesBilled ?? 0), 0) : undefined,
  cacheHit: costs.every((c) => c.cacheHit),
});

const toOrder = (r: Cells): OrderOut => ({
  order_id: String(r.order_id),
  order_date: formatTimestamp(r.order_date),
  order_details: (r.order_details as string | null) ?? null,
  order_status: String(r.order_status),
  updated_at: formatTimestamp(r.updated_at),
  ingested_at: formatTimestamp(r.ingested_at),
});

const run = async (client: BigQuery, config: Config, query: string, params: Record<string, unknown>): Promise<{ rows: Cells[]; cost: QueryCost }> => {
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

/**
 * One page of latest versions ordered by order_id, starting after `after` (keyset).
 * Reads one row more than the page to know whether another page follows.
 */
export const listLatest = async (client: BigQuery, config: Config, q: ListQuery): Promise<{ orders: OrderOut[]; more: boolean; cost: QueryCost }> => {
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
  const { rows, cost } = await run(
    client,
    config,
    `SELECT ${ORDER_COLUMNS} FROM ${qualified(config, LATEST_VIEW)} ${where} ORDER BY order_id LIMIT @fetch`,
    params,
  );
  return { orders: rows.slice(0, q.limit).map(toOrder), more: rows.length > q.limit, cost };
};

/** The latest version (from latest_order_v) and every version in version order (`found` absent if unknown), and what reading them cost. */
export const getOrderHistory = async (
  client: BigQuery,
  config: Config,
  orderId: string,
): Promise<{ found?: { order: OrderOut & { event_id: string; version_count: number }; history: VersionOut[] }; cost: QueryCost }> => {
  const [latestRun, versionsRun] = await Promise.all([
    run(client, config, `SELECT ${ORDER_COLUMNS}, event_id, version_count FROM ${qualified(config, LATEST_VIEW)} WHERE order_id = @order_id`, { order_id: orderId }),
    run(
      client,
      config,
      `SELECT ${ORDER_COLUMNS}, event_id, version_seq FROM ${qualified(config, VERSIONS_VIEW)} WHERE order_id = @order_id ORDER BY version_seq`,
      { order_id: orderId },
    ),
  ]);
  const cost = sumCosts([latestRun.cost, versionsRun.cost]);
  const [latest, versions] = [latestRun.rows, versionsRun.rows];
  if (latest.length === 0) return { cost };
  return {
    found: {
      order: { ...toOrder(latest[0]), event_id: String(latest[0].event_id), version_count: Number(latest[0].version_count) },
      history: versions.map((r) => ({ ...toOrder(r), event_id: String(r.event_id), version: Number(r.version_seq) })),
    },
    cost,
  };
};
