/**
 * Turning validated orders into orders_raw rows and streaming them with
 * insertAll: insertId = event_id (raw mode, so the id is ours), chunks within
 * BigQuery's per-request limits, several chunks in flight at once.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { Config } from "./config";
import { eventIdFor } from "./event_id";
import type { ValidOrder } from "./order_schema";
import { RAW_TABLE } from "./warehouse";

/** One orders_raw row in insertAll's JSON form (timestamps as RFC 3339 strings, JSON column as text). */
export interface RawRow {
  event_id: string;
  order_id: string;
  order_date: string;
  order_details: string | null;
  order_status: string;
  updated_at: string | null;
  ingested_at: string;
  raw_payload: string;
  request_id: string;
  caller: string | null;
}

export interface IngestContext {
  requestId: string;
  ingestedAt: Date;
  caller: string | null;
}

/** The rows for one request; every row of a request shares its ingested_at and request id. */
export const toRawRows = (orders: readonly ValidOrder[], ctx: IngestContext): RawRow[] => {
  const ingestedAt = ctx.ingestedAt.toISOString();
  return orders.map(({ order, raw }) => ({
    event_id: eventIdFor(order),
    order_id: order.order_id,
    order_date: order.order_date,
    order_details: order.order_details ?? null,
    order_status: order.order_status,
    updated_at: order.updated_at ?? null,
    ingested_at: ingestedAt,
    // The body exactly as the client sent this element, unknown fields included.
    raw_payload: JSON.stringify(raw),
    request_id: ctx.requestId,
    caller: ctx.caller,
  }));
};

// BigQuery allows 10 MB per insertAll request; stay well below it, leaving room for the envelope.
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * An upper bound of `value`'s JSON size in UTF-8 bytes, without serialising it: a UTF-16 unit
 * takes at most 6 bytes (an escape such as \u001f; otherwise at most 3 in UTF-8).
 */
const jsonBytesAtMost = (value: unknown): number => {
  if (typeof value === "string") return 6 * value.length + 2;
  if (value === null || typeof value !== "object") return 24;
  let bytes = 2;
  // Object.keys, not Object.entries: no [key, value] pair allocated per property of every row.
  for (const key of Object.keys(value)) bytes += 6 * key.length + 2 + jsonBytesAtMost((value as Record<string, unknown>)[key]) + 2;
  return bytes;
};

// Rows whose bound is below this are counted by the bound (cheap; the overestimate of 500 small rows
// stays far below the chunk limit); larger ones are serialised to count them exactly.
const EXACT_SIZE_FROM_BYTES = 4096;

/**
 * Splits rows into insertAll requests of at most `maxRows` rows and `maxBytes` of JSON.
 * A single row larger than maxBytes still gets a chunk of its own (BigQuery judges it).
 */
export const chunkRows = <T>(rows: readonly T[], maxRows: number, maxBytes = MAX_CHUNK_BYTES): T[][] => {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const bound = jsonBytesAtMost(row);
    const size = (bound < EXACT_SIZE_FROM_BYTES ? bound : Buffer.byteLength(JSON.stringify(row))) + 64; // + insertId and envelope
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
};

/** Runs `task` over `items` with at most `limit` running at once; rejects with the first failure after all settle. */
export const forEachLimited = async <T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
};

/**
 * One insertAll row, handed to the client by reference. Before sending, @google-cloud/bigquery
 * deep-copies the request body four times (extend) and walks every string in it looking for
 * "{{projectId}}": for 500-row requests that was over a quarter of the function's CPU under load
 * (npm run bench:function, profiled). A class instance with no enumerable own properties is
 * neither copied nor walked, and JSON.stringify writes what toJSON returns.
 */
export class InsertRow {
  readonly #body: { insertId: string; json: RawRow };

  constructor(row: RawRow) {
    this.#body = { insertId: row.event_id, json: row };
  }

  toJSON(): { insertId: string; json: RawRow } {
    return this.#body;
  }
}

/**
 * Stores every row or throws. On a throw some chunks may be stored already;
 * that is safe because a resend carries the same event ids (insertId, and the
 * warehouse views de-duplicate on event_id).
 * @returns the number of insertAll requests made
 */
export const insertRows = async (client: BigQuery, config: Config, rows: readonly RawRow[]): Promise<number> => {
  const table = client.dataset(config.datasetId).table(RAW_TABLE);
  const chunks = chunkRows(rows, config.insertChunkRows);
  await forEachLimited(chunks, config.insertConcurrency, async (chunk) => {
    // The client re-sends rows BigQuery reported as failed (partialRetries), then throws PartialFailureError.
    await table.insert(
      chunk.map((row) => new InsertRow(row)),
      { raw: true },
    );
  });
  return chunks.length;
};
