/**
 * Micro-benchmark of the local BigQuery's insertAll CPU work around storage, per row:
 * the body's JSON.parse (what the HTTP adapter does), the envelope check
 * (parseInsertAllBody) and the schema decode (decodeInsertRows), on 500-row batches
 * shaped like the orders function's (orders_raw schema). Storage is not included.
 * Prints the best of several rounds (the machine is shared: the minimum is the least noisy).
 *
 *   npx tsx local-bigquery/bench/insert_decode_bench.ts [--rounds=7] [--batches=200]
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { decodeInsertRows } from "../src/encoding/insert_rows";
import type { Field } from "../src/model";
import { parseInsertAllBody } from "../src/rest/tabledata";
import { bestMicrosPerRow } from "./micro";

const ROWS = 500;

const ORDERS_RAW: Field[] = [
  { name: "event_id", type: "STRING", mode: "REQUIRED" },
  { name: "order_id", type: "STRING", mode: "REQUIRED" },
  { name: "order_date", type: "TIMESTAMP", mode: "REQUIRED" },
  { name: "order_details", type: "STRING", mode: "NULLABLE" },
  { name: "order_status", type: "STRING", mode: "REQUIRED" },
  { name: "updated_at", type: "TIMESTAMP", mode: "NULLABLE" },
  { name: "ingested_at", type: "TIMESTAMP", mode: "REQUIRED" },
  { name: "raw_payload", type: "JSON", mode: "NULLABLE" },
  { name: "request_id", type: "STRING", mode: "NULLABLE" },
  { name: "caller", type: "STRING", mode: "NULLABLE" },
];

/** One insertAll body as the orders function sends it (function/ingest.ts toRawRows, raw mode). */
function bodyText(batch: number): string {
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const order = {
      order_id: `bench-${String(batch * ROWS + i).padStart(7, "0")}`,
      order_date: "2025-08-08T10:00:00Z",
      order_details: "Laptop, Mouse",
      order_status: "Processing",
      updated_at: "2025-08-08T10:05:00.123456Z",
    };
    const eventId = createHash("sha256").update(JSON.stringify(order)).digest("hex");
    return {
      insertId: eventId,
      json: {
        event_id: eventId,
        order_id: order.order_id,
        order_date: "2025-08-08T10:00:00.000000Z",
        order_details: order.order_details,
        order_status: order.order_status,
        updated_at: "2025-08-08T10:05:00.123456Z",
        ingested_at: "2025-08-08T10:06:01.234Z",
        raw_payload: JSON.stringify(order),
        request_id: "3f0c1f7e-2f1e-4a51-9a57-5a8c2c3d9e10",
        caller: null,
      },
    };
  });
  return JSON.stringify({ rows });
}

const measure = (rounds: number, batches: number, work: (i: number) => unknown): number => bestMicrosPerRow(rounds, batches, ROWS, work);

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" }, batches: { type: "string", default: "200" } } });
  const rounds = Number(values.rounds);
  const batches = Number(values.batches);
  const texts = Array.from({ length: 8 }, (_, b) => bodyText(b));
  const parsed = texts.map((t) => JSON.parse(t) as unknown);
  const bodies = parsed.map((p) => parseInsertAllBody(p));
  const check = decodeInsertRows(bodies[0].rows ?? [], ORDERS_RAW, bodies[0]);
  if (check.insertErrors.length > 0 || check.rows.length !== ROWS) throw new Error(`the bench rows do not decode: ${JSON.stringify(check.insertErrors[0])}`);

  const pick = <T>(list: T[], i: number): T => list[i % list.length];
  const parse = measure(rounds, batches, (i) => JSON.parse(pick(texts, i)));
  const envelope = measure(rounds, batches, (i) => parseInsertAllBody(pick(parsed, i)));
  const decode = measure(rounds, batches, (i) => {
    const body = pick(bodies, i);
    return decodeInsertRows(body.rows ?? [], ORDERS_RAW, body);
  });
  const whole = measure(rounds, batches, (i) => {
    const body = parseInsertAllBody(JSON.parse(pick(texts, i)));
    return decodeInsertRows(body.rows ?? [], ORDERS_RAW, body);
  });
  const f = (n: number): string => n.toFixed(2).padStart(6);
  console.log(`insertAll decode, orders_raw schema, ${ROWS}-row batches, best of ${rounds} rounds x ${batches} batches (µs per row):`);
  console.log(`  JSON.parse of the body        ${f(parse)}`);
  console.log(`  envelope (parseInsertAllBody) ${f(envelope)}`);
  console.log(`  decode (decodeInsertRows)     ${f(decode)}`);
  console.log(`  all three                     ${f(whole)}`);
}

main();
