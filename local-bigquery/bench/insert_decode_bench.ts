/**
 * Micro-benchmark of the local BigQuery's insertAll CPU work, per row, on 500-row batches
 * shaped like the orders function's (orders_raw schema):
 * - the body's JSON.parse (what the HTTP adapter does), the envelope check
 *   (parseInsertAllBody) and the schema decode (decodeInsertRows): best of several rounds
 *   (the machine is shared: the minimum is the least noisy);
 * - storing the decoded rows through the store as group commit does (two requests per
 *   transaction: appender, insertId window, write log, fsynced commit, final checkpoint),
 *   beside DuckDB's appender alone on the same rows (the floor any store on DuckDB pays):
 *   CPU time of this process, all threads (DuckDB compresses on its own threads).
 *
 *   npx tsx local-bigquery/bench/insert_decode_bench.ts [--rounds=7] [--batches=200] [--store-rows=200000]
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
// The executor first: it loads the engine's modules in the order their import cycle needs.
import "../src/execution";
import { openStore } from "../src/storage/duckdb_store";
import { cellAppender } from "../src/engine/duckdb/cells";
import { decodeInsertRows } from "../src/encoding/insert_rows";
import type { Field, Row, TableRef } from "../src/model";
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

/** CPU µs (all threads of this process) per row of `work`, which handles `rows` rows. */
async function cpuMicrosPerRow(rows: number, work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / rows;
}

/** Decoded 500-row batches with distinct orders and insertIds. */
function decodedBatches(count: number): { rows: Row[]; insertIds: (string | undefined)[] }[] {
  return Array.from({ length: count }, (_, b) => {
    const body = parseInsertAllBody(JSON.parse(bodyText(1000 + b)));
    return decodeInsertRows(body.rows ?? [], ORDERS_RAW, body);
  });
}

/** Stores the batches two per transaction through the store (what group commit does under load); closes it (checkpoint). */
async function storeThroughStore(dir: string, batches: { rows: Row[]; insertIds: (string | undefined)[] }[]): Promise<number> {
  const store = await openStore(join(dir, "store.duckdb"));
  const ref: TableRef = { projectId: "p", datasetId: "d", tableId: "orders_raw" };
  await store.createDataset({ ref: { projectId: "p", datasetId: "d" }, location: "US", creationTime: 1, lastModifiedTime: 1 });
  await store.createTable({ ref, type: "TABLE", schema: ORDERS_RAW, creationTime: 1, lastModifiedTime: 1 });
  return cpuMicrosPerRow(batches.length * ROWS, async () => {
    for (let b = 0; b < batches.length; b += 2) await store.appendGroup(batches.slice(b, b + 2).map((batch) => ({ ref, ...batch })));
    await store.close();
  });
}

/** The same rows with DuckDB's appender alone, 1000 per committed transaction, then a checkpoint. */
async function storeWithAppenderAlone(dir: string, batches: { rows: Row[] }[]): Promise<number> {
  const instance = await DuckDBInstance.create(join(dir, "alone.duckdb"));
  const c = await instance.connect();
  await c.run("CREATE TABLE orders_raw (event_id VARCHAR NOT NULL, order_id VARCHAR NOT NULL, order_date TIMESTAMPTZ NOT NULL, order_details VARCHAR, order_status VARCHAR NOT NULL, updated_at TIMESTAMPTZ, ingested_at TIMESTAMPTZ NOT NULL, raw_payload VARCHAR, request_id VARCHAR, caller VARCHAR)");
  const cells = ORDERS_RAW.map((field, i) => cellAppender(field, i));
  return cpuMicrosPerRow(batches.length * ROWS, async () => {
    for (let b = 0; b < batches.length; b += 2) {
      await c.run("BEGIN");
      const appender = await c.createAppender("orders_raw");
      for (const batch of batches.slice(b, b + 2)) {
        for (const row of batch.rows) {
          for (let i = 0; i < cells.length; i++) cells[i](appender, row[i] ?? null);
          appender.endRow();
        }
      }
      appender.closeSync();
      await c.run("COMMIT");
    }
    await c.run("CHECKPOINT");
    c.closeSync();
    instance.closeSync();
  });
}

const measure = (rounds: number, batches: number, work: (i: number) => unknown): number => bestMicrosPerRow(rounds, batches, ROWS, work);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" }, batches: { type: "string", default: "200" }, "store-rows": { type: "string", default: "200000" } } });
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

  const stored = decodedBatches(Math.max(2, Math.ceil(Number(values["store-rows"]) / ROWS)));
  const dir = mkdtempSync(join(tmpdir(), "insert-bench-"));
  try {
    const alone = await storeWithAppenderAlone(dir, stored);
    const store = await storeThroughStore(dir, stored);
    console.log(`storing ${stored.length * ROWS} decoded rows, 1000 per fsynced transaction (CPU µs per row, all threads):`);
    console.log(`  the store (appendGroup)       ${f(store)}`);
    console.log(`  DuckDB's appender alone       ${f(alone)}   (the floor of any store on DuckDB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
