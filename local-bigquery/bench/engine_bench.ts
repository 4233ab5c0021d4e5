/**
 * SQL-core figures (printed, never asserted): a trivial query's round trip, and the
 * latest-version query (QUALIFY ROW_NUMBER()) over an orders-like table of 1,000 and
 * 10,000 rows and of the largest size one ZetaSQL request can carry; then the same through a
 * view over a view (the warehouse's latest_order_v over order_versions_v over orders_raw).
 * Run: npx tsx local-bigquery/bench/engine_bench.ts
 */
import { createHash } from "node:crypto";
import { startEngine } from "../src/engine";
import { createExecutor } from "../src/execution";
import type { Row } from "../src/model";
import { openStore } from "../src/storage/sqlite_store";

const PROJECT = "bench";
const ref = (tableId: string) => ({ projectId: PROJECT, datasetId: "shop", tableId });

function ordersRows(count: number): Row[] {
  const base = Date.UTC(2025, 0, 1) * 1000;
  return Array.from({ length: count }, (_, i) => {
    const order = Math.floor(i / 4); // four versions per order
    const micros = base + i * 60_000_000;
    return [
      createHash("sha256").update(String(i)).digest("hex"),
      `ORD-${String(order).padStart(7, "0")}`,
      "2025-01-01",
      `{"items":${(i % 5) + 1},"total":"${(i % 997) + 0.5}"}`,
      ["PLACED", "PAID", "SHIPPED", "DELIVERED"][i % 4],
      String(micros),
      String(micros + 1_000_000),
    ];
  });
}

async function main(): Promise<void> {
  const engine = await startEngine({ deadlineMs: 120_000 });
  const store = openStore(":memory:");
  const executor = createExecutor({ store, engine });
  const run = (sql: string, params: { name: string; type: { type: string }; value: string }[] = []) =>
    executor.execute({ projectId: PROJECT, sql, params });
  try {
    const time = async (fn: () => Promise<unknown>): Promise<number> => {
      const started = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    for (let i = 0; i < 10; i++) await engine.evaluateQuery("SELECT 1", {}); // warm up
    const n = 100;
    let engineMs = 0;
    for (let i = 0; i < n; i++) engineMs += await time(() => engine.evaluateQuery(`SELECT ${i} AS x`, {}));
    let executorMs = 0;
    for (let i = 0; i < n; i++) {
      executorMs += await time(() => run("SELECT @i AS x", [{ name: "i", type: { type: "INT64" }, value: String(i) }]));
    }
    console.log(`trivial query round trip: engine ${(engineMs / n).toFixed(1)} ms, executor (parse + evaluate) ${(executorMs / n).toFixed(1)} ms`);

    await run("CREATE SCHEMA shop");
    const createOrders = (name: string) =>
      run(`CREATE OR REPLACE TABLE shop.${name} (event_id STRING NOT NULL, order_id STRING NOT NULL, order_date DATE,
        order_details STRING, order_status STRING, updated_at TIMESTAMP, ingested_at TIMESTAMP NOT NULL)`);
    const latest = (name: string) =>
      `SELECT * FROM shop.${name} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, ingested_at DESC) = 1`;
    const measure = async (count: number): Promise<{ ms: number; rows: number } | Error> => {
      const name = `orders_${count}`;
      await createOrders(name);
      store.appendRows(ref(name), ordersRows(count));
      try {
        let rows = 0;
        const ms = await time(async () => {
          rows = (await run(latest(name))).rows?.length ?? 0;
        });
        return { ms, rows };
      } catch (error) {
        return error as Error;
      } finally {
        store.deleteTable(ref(name));
      }
    };
    await measure(1_000); // warm up (JIT, ZetaSQL's caches)
    for (const count of [1_000, 10_000]) {
      const result = await measure(count);
      if (result instanceof Error) console.log(`latest-version query over ${count} rows: failed: ${result.message}`);
      else console.log(`latest-version query over ${count} rows: ${result.ms.toFixed(0)} ms (${result.rows} latest rows)`);
    }
    // The largest table the query can read: ZetaSQL takes at most 4 MiB per request.
    let low = 10_000;
    let high = 80_000;
    let best: { count: number; ms: number } | undefined;
    while (high - low > 1_000) {
      const mid = Math.round((low + high) / 2 / 1000) * 1000;
      const result = await measure(mid);
      if (result instanceof Error) high = mid;
      else {
        low = mid;
        best = { count: mid, ms: result.ms };
      }
    }
    if (best) console.log(`largest orders table the query can read: ~${best.count} rows (7 columns, SELECT *), query ${best.ms.toFixed(0)} ms`);
    const beyond = await measure(high);
    if (beyond instanceof Error) console.log(`at ${high} rows: ${beyond.message}`);

    // A view over a view: versions_v (de-duplicated versions with window columns) under latest_v.
    const measureViews = async (count: number): Promise<{ ms: number; rows: number } | Error> => {
      const name = `orders_${count}`;
      await createOrders(name);
      store.appendRows(ref(name), ordersRows(count));
      await run(`CREATE OR REPLACE VIEW shop.versions_v AS SELECT order_id, event_id, order_date, order_details, order_status,
        updated_at, ingested_at, COALESCE(updated_at, ingested_at) AS event_time,
        ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY COALESCE(updated_at, ingested_at), ingested_at, event_id) AS version_seq,
        COUNT(*) OVER (PARTITION BY order_id) AS version_count
        FROM shop.${name} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id, event_id ORDER BY ingested_at) = 1`);
      await run(`CREATE OR REPLACE VIEW shop.latest_v AS SELECT order_id, order_date, order_details, order_status, updated_at,
        ingested_at, event_id, version_count FROM shop.versions_v WHERE version_seq = version_count`);
      try {
        let rows = 0;
        const ms = await time(async () => {
          rows = (await run("SELECT * FROM shop.latest_v")).rows?.length ?? 0;
        });
        return { ms, rows };
      } catch (error) {
        return error as Error;
      } finally {
        store.deleteTable(ref(name));
      }
    };
    for (const count of [1_000, 10_000]) {
      const result = await measureViews(count);
      if (result instanceof Error) console.log(`view over view over ${count} rows: failed: ${result.message}`);
      else console.log(`SELECT * FROM view over view over ${count} rows: ${result.ms.toFixed(0)} ms (${result.rows} latest rows)`);
    }
    low = 5_000;
    high = 80_000;
    let bestViews: { count: number; ms: number } | undefined;
    while (high - low > 1_000) {
      const mid = Math.round((low + high) / 2 / 1000) * 1000;
      const result = await measureViews(mid);
      if (result instanceof Error) high = mid;
      else {
        low = mid;
        bestViews = { count: mid, ms: result.ms };
      }
    }
    if (bestViews) console.log(`largest orders table a view over a view can read: ~${bestViews.count} rows, query ${bestViews.ms.toFixed(0)} ms`);
    const beyondViews = await measureViews(high);
    if (beyondViews instanceof Error) console.log(`view over view at ${high} rows: ${beyondViews.message}`);
  } finally {
    await engine.stop();
    store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
