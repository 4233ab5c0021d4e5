/**
 * orders_raw at benchmark sizes, generated inside the local BigQuery's DuckDB (millions of rows in
 * seconds, not through HTTP): rows like the function's, 4 versions per order on average, 64-hex
 * event ids, a resend now and then (same event_id), updated_at on two versions in three; shuffled,
 * as versions of many orders arrive interleaved. raw_payload holds the order as POSTed, in the
 * canonical JSON text a JSON column keeps (keys in order), so the table's size on disk is a real one's.
 */
import type { LocalBigQuery } from "../../local-bigquery/src/index";
import type { TableRef } from "../../local-bigquery/src/model";
import { DATASET, GCP_PROJECT } from "../../test/support/warehouse";

export const ORDERS_RAW: TableRef = { projectId: GCP_PROJECT, datasetId: DATASET, tableId: "orders_raw" };

const rawPayload = (orders: number): string => `'{"order_date":"2025-01-01T00:00:00Z","order_details":"items ' || (i % 9) || '","order_id":"ORD-'
  || lpad(CAST(hash(i // 4) % ${orders} AS VARCHAR), 9, '0') || '","order_status":"' || ['pending', 'processing', 'shipped', 'delivered'][1 + (i % 4)] || '"}'`;

/** Appends rows number `from` to `to` (exclusive), a million per transaction. */
export async function fillOrdersRaw(local: LocalBigQuery, from: number, to: number): Promise<void> {
  const orders = Math.max(1, Math.floor(to / 4));
  for (let start = from; start < to; start += 1_000_000) {
    const end = Math.min(to, start + 1_000_000);
    await local.store.write([ORDERS_RAW], async (tx) => {
      await tx.connection.run(`INSERT INTO ${tx.relation(ORDERS_RAW)} (event_id, order_id, order_date, order_details, order_status, updated_at, ingested_at, raw_payload, request_id, caller)
        SELECT sha256(CAST(CASE WHEN i % 97 = 0 THEN i - 1 ELSE i END AS VARCHAR)),
          'ORD-' || lpad(CAST(hash(i // 4) % ${orders} AS VARCHAR), 9, '0'),
          TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((hash(i // 4) % ${orders}) * 60),
          CASE WHEN i % 5 = 0 THEN NULL ELSE 'items ' || (i % 9) END,
          ['Pending', 'Processing', 'Shipped', 'Delivered', 'Cancelled', 'Returned'][1 + (i % 4)],
          CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((hash(i // 4) % ${orders}) * 60 + (i % 4) * 3600) END,
          TIMESTAMPTZ '2025-06-01 00:00:00+00' + to_microseconds(i * 1000),
          raw_payload, 'bench', 'bench'
        FROM (SELECT i, ${rawPayload(orders)} AS raw_payload FROM range(${start}, ${end}) AS r(i)) ORDER BY hash(i)`);
    });
  }
}
