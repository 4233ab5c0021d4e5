/**
 * Benchmark of the orders function on this machine, loopback only:
 * - POST throughput (rows/s) and p50/p99 latency with 500-row batches of distinct orders,
 *   through the whole stack (functions-framework, validation, insertAll to the local BigQuery);
 * - the same bodies sent to a bare functions-framework handler that only parses them and
 *   answers 200: the ceiling the HTTP layer allows, and the function's share of it;
 * - GET / first-page p50/p99 over the 20,000 orders stored by the POST phase: uncached
 *   (each query distinct) and repeated (the same query, answered by the result cache).
 *
 *   npx tsx scripts/bench/function_bench.ts [--batches=40] [--gets=50] [--uncached-gets=10]
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { startStack } from "../start";

const ROWS_PER_BATCH = 500;

const percentile = (sortedMs: number[], p: number): number => sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];

interface Run {
  rowsPerSecond: number;
  p50: number;
  p99: number;
}

/** Sends the bodies one after another (bounded by their number) and times each. */
const postAll = async (url: string, bodies: string[]): Promise<Run> => {
  const latencies: number[] = [];
  const started = performance.now();
  for (const body of bodies) {
    const t0 = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}`);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rowsPerSecond: (bodies.length * ROWS_PER_BATCH) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
};

/** GETs each URL once, in order, and times each. */
const getAll = async (urls: string[]): Promise<{ p50: number; p99: number; rows: number }> => {
  const latencies: number[] = [];
  let rows = 0;
  for (const url of urls) {
    const t0 = performance.now();
    const res = await fetch(url);
    rows = ((await res.json()) as unknown[]).length;
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rows };
};

const listen = (server: Server): Promise<string> =>
  new Promise((ready) => server.listen(0, "127.0.0.1", () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: { batches: { type: "string", default: "40" }, gets: { type: "string", default: "50" }, "uncached-gets": { type: "string", default: "10" } },
  });
  const batches = Math.min(Math.max(Number(values.batches), 1), 1000);
  const gets = Math.min(Math.max(Number(values.gets), 1), 1000);
  const uncachedGets = Math.min(Math.max(Number(values["uncached-gets"]), 1), 100);

  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify(
      Array.from({ length: ROWS_PER_BATCH }, (_, i) => ({
        order_id: `bench-${String(b * ROWS_PER_BATCH + i).padStart(7, "0")}`,
        order_date: "2025-08-08T10:00:00Z",
        order_details: "Laptop, Mouse",
        order_status: "Processing",
        updated_at: "2025-08-08T10:05:00.123456Z",
      })),
    ),
  );

  // The ceiling: functions-framework parsing the same bodies, and nothing else.
  http("bare", (req, res) => {
    res.status(200).json({ accepted: Array.isArray(req.body) ? req.body.length : 1 });
  });
  const bare = getTestServer("bare");
  const bareUrl = await listen(bare);

  const dataDir = mkdtempSync(join(tmpdir(), "orders-bench-"));
  const stack = await startStack({ port: 0, bigqueryPort: 0, dataDir, env: { LOG_LEVEL: "silent" } });
  try {
    // Warm both paths (JIT, connections, first BigQuery calls) with throw-away bodies.
    await postAll(bareUrl, bodies.slice(0, 2));
    const warm = bodies.slice(0, 1).map((b) => b.replaceAll("bench-", "warm-"));
    await postAll(`${stack.url}/`, warm);

    const ceiling = await postAll(bareUrl, bodies);
    const fn = await postAll(`${stack.url}/`, bodies);
    // Distinct limits make distinct queries, which no result cache answers (BigQuery does not cache
    // results of tables with a streaming buffer either); then the same first page again and again.
    const uncached = await getAll(Array.from({ length: uncachedGets }, (_, i) => `${stack.url}/?limit=${1000 - i}`));
    const read = await getAll(Array.from({ length: gets }, () => `${stack.url}/`));
    const total = batches * ROWS_PER_BATCH + ROWS_PER_BATCH;

    const f = (n: number) => n.toFixed(1);
    console.log(`orders function benchmark (${batches} POSTs of ${ROWS_PER_BATCH} distinct orders, sequential, loopback; ${uncachedGets} + ${gets} GETs)`);
    console.log(`POST /  function : ${Math.round(fn.rowsPerSecond)} rows/s   p50 ${f(fn.p50)} ms   p99 ${f(fn.p99)} ms`);
    console.log(`POST /  bare ff  : ${Math.round(ceiling.rowsPerSecond)} rows/s   p50 ${f(ceiling.p50)} ms   p99 ${f(ceiling.p99)} ms   (parse + 200 only: the ceiling)`);
    console.log(`POST /  ratio    : ${(fn.rowsPerSecond / ceiling.rowsPerSecond).toFixed(3)} of the ceiling`);
    console.log(`GET /   first page (~${read.rows} of ${total} orders), uncached: p50 ${f(uncached.p50)} ms   p99 ${f(uncached.p99)} ms`);
    console.log(`GET /   first page (${read.rows} of ${total} orders), repeated: p50 ${f(read.p50)} ms   p99 ${f(read.p99)} ms   (query result cache)`);
  } finally {
    await stack.stop();
    await new Promise((closed) => {
      bare.close(closed);
      bare.closeAllConnections();
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`function benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
