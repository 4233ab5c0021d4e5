/**
 * Micro-benchmark of the orders function's own per-row CPU for a POST of 500 orders,
 * without HTTP or BigQuery: validation (validateOrders: zod, timestamp normalisation,
 * status, future check), row building (toRawRows: event ids, raw payload), chunking
 * (chunkRows), and the insertAll request body the client serialises. Prints the best of
 * several rounds in µs per row (the machine is shared: the minimum is the least noisy).
 *
 *   npx tsx scripts/bench/function_rows_bench.ts [--rounds=7] [--batches=100]
 */
import { parseArgs } from "node:util";
import { chunkRows, InsertRow, toRawRows } from "../../function/ingest";
import { validateOrders, type ValidOrder } from "../../function/order_schema";
import { orderBody, ROWS_PER_BATCH } from "./order_bodies.cjs";
import { bestMicrosPerRow } from "../../local-bigquery/bench/micro";

const measure = (rounds: number, batches: number, work: (i: number) => unknown): number => bestMicrosPerRow(rounds, batches, ROWS_PER_BATCH, work);

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" }, batches: { type: "string", default: "100" } } });
  const rounds = Number(values.rounds);
  const batches = Number(values.batches);
  // What body-parser hands the handler: parsed arrays of distinct orders, as the end-to-end bench sends.
  const bodies = Array.from({ length: 8 }, (_, b) => JSON.parse(orderBody("bench-r-", b)) as unknown[]);
  const now = new Date("2025-08-09T00:00:00Z");
  const ctx = { requestId: "3f0c1f7e-2f1e-4a51-9a57-5a8c2c3d9e10", ingestedAt: now, caller: null };
  const validated = bodies.map((b) => {
    const v = validateOrders(b, now);
    if (!v.ok) throw new Error(`the bench orders do not validate: ${JSON.stringify(v.problems[0])}`);
    return v.orders;
  });
  const rows = validated.map((orders) => toRawRows(orders, ctx));
  const pick = <T>(list: T[], i: number): T => list[i % list.length];

  const validate = measure(rounds, batches, (i) => validateOrders(pick(bodies, i), now));
  const build = measure(rounds, batches, (i) => toRawRows(pick(validated, i) as ValidOrder[], ctx));
  const chunk = measure(rounds, batches, (i) => chunkRows(pick(rows, i), 500));
  // The client (raw mode) sends {rows: [{insertId, json}]} as JSON: insertRows hands it InsertRows, which serialise to that.
  const serialise = measure(rounds, batches, (i) => JSON.stringify({ rows: pick(rows, i).map((row) => new InsertRow(row)) }));
  const whole = measure(rounds, batches, (i) => {
    const v = validateOrders(pick(bodies, i), now);
    if (!v.ok) throw new Error("invalid");
    const chunks = chunkRows(toRawRows(v.orders, ctx), 500);
    return chunks.map((c) => JSON.stringify({ rows: c.map((row) => new InsertRow(row)) }));
  });
  const f = (n: number): string => n.toFixed(2).padStart(6);
  console.log(`orders function, ${ROWS_PER_BATCH}-order POST bodies, best of ${rounds} rounds x ${batches} batches (µs per row):`);
  console.log(`  validateOrders                ${f(validate)}`);
  console.log(`  toRawRows                     ${f(build)}`);
  console.log(`  chunkRows                     ${f(chunk)}`);
  console.log(`  insertAll body JSON           ${f(serialise)}`);
  console.log(`  all four                      ${f(whole)}`);
}

main();
