/**
 * Benchmark of the orders function on this machine, loopback only:
 * - POST throughput (rows/s) and p50/p99 latency with 500-row batches of distinct orders,
 *   through the whole stack (functions-framework, validation, insertAll to the local BigQuery);
 * - the same bodies sent to a bare functions-framework handler that only parses them and
 *   answers 200: the ceiling the HTTP layer allows, and the function's share of it;
 * - the same two, concurrent: autocannon with 10 connections (its own worker thread), each
 *   request a new batch of distinct orders; afterwards the stored rows are counted, and the
 *   run fails unless every acknowledged order is stored exactly once; with the CPU time each
 *   process spent per stored row (the local BigQuery's read from /proc, so on Linux only);
 * - GET / first-page p50/p99 over the orders stored by the sequential phase: uncached
 *   (each query distinct) and repeated (the same query, answered by the result cache).
 *
 *   npx tsx scripts/bench/function_bench.ts [--batches=40] [--concurrent-batches=400] [--connections=10] [--gets=50] [--uncached-gets=10]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BigQuery } from "@google-cloud/bigquery";
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import autocannon from "autocannon";
import { LOCAL_PROJECT, startStack } from "../start";
import { orderBody, ROWS_PER_BATCH } from "./order_bodies.cjs";

const BODIES_MODULE = join(__dirname, "order_bodies.cjs");

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

interface ConcurrentRun extends Run {
  /** Requests answered 200. */
  acknowledged: number;
}

/**
 * `requests` POSTs over `connections` keep-alive connections, from one autocannon worker
 * thread (so the load does not share this process's event loop with the function).
 * Each request is a new batch of orders under `prefix` (order_bodies.cjs).
 */
const postConcurrently = async (url: string, requests: number, connections: number, prefix: string): Promise<ConcurrentRun> => {
  process.env.ORDER_BENCH_PREFIX = prefix; // read by the worker, which copies this environment when it starts
  const result = await autocannon({
    url,
    connections,
    amount: requests,
    workers: 1,
    timeout: 120,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: BODIES_MODULE }],
  });
  if (result.errors > 0 || result.non2xx > 0 || result["2xx"] !== requests) {
    throw new Error(`POST ${url} under load: ${result["2xx"]} of ${requests} answered 200 (${result.non2xx} other statuses, ${result.errors} errors)`);
  }
  return {
    rowsPerSecond: (result["2xx"] * ROWS_PER_BATCH) / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    acknowledged: result["2xx"],
  };
};

/** CPU ms (user + system, all threads) another process has used so far, from /proc; undefined where there is none. */
const processCpuMs = (pid: number | undefined): number | undefined => {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
};

/** CPU ms this process (all its threads) has used so far. */
const ownCpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/**
 * Fails unless orders_raw holds each of the `expected` orders under `prefix` exactly once.
 * Read with tabledata.list: a query over this many rows exceeds what the local SQL engine takes in one request.
 */
const checkStoredOnce = async (bigquery: BigQuery, prefix: string, expected: number): Promise<void> => {
  const [rows] = await bigquery.dataset("ecommerce_orders").table("orders_raw").getRows({ selectedFields: "order_id" });
  const ids = (rows as Array<{ order_id: string }>).map((r) => r.order_id).filter((id) => id.startsWith(prefix));
  const orders = new Set(ids).size;
  if (ids.length !== expected || orders !== expected) {
    throw new Error(`expected ${expected} orders under ${prefix} stored once, found ${ids.length} rows of ${orders} orders`);
  }
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
    options: {
      batches: { type: "string", default: "40" },
      "concurrent-batches": { type: "string", default: "400" },
      connections: { type: "string", default: "10" },
      gets: { type: "string", default: "50" },
      "uncached-gets": { type: "string", default: "10" },
    },
  });
  const batches = Math.min(Math.max(Number(values.batches), 1), 1000);
  const concurrentBatches = Math.min(Math.max(Number(values["concurrent-batches"]), 1), 10_000);
  const connections = Math.min(Math.max(Number(values.connections), 1), 100);
  const gets = Math.min(Math.max(Number(values.gets), 1), 1000);
  const uncachedGets = Math.min(Math.max(Number(values["uncached-gets"]), 1), 100);

  const bodies = Array.from({ length: batches }, (_, b) => orderBody("bench-", b));

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

    // Then the concurrent load; its rows come after the GETs, which read every stored version.
    const warmRequests = Math.min(concurrentBatches, 2 * connections);
    await postConcurrently(bareUrl, warmRequests, connections, "warm-c-");
    await postConcurrently(`${stack.url}/`, warmRequests, connections, "warm-c-");
    const ceilingConcurrent = await postConcurrently(bareUrl, concurrentBatches, connections, "bench-c-");
    const cpuBefore = { own: ownCpuMs(), bigquery: processCpuMs(stack.bigqueryPid()) };
    const fnConcurrent = await postConcurrently(`${stack.url}/`, concurrentBatches, connections, "bench-c-");
    const bigqueryCpu = processCpuMs(stack.bigqueryPid());
    const perRow = (ms: number): string => `${((ms * 1000) / (fnConcurrent.acknowledged * ROWS_PER_BATCH)).toFixed(1)} µs`;
    const cpu = {
      own: perRow(ownCpuMs() - cpuBefore.own),
      bigquery: bigqueryCpu === undefined || cpuBefore.bigquery === undefined ? "n/a" : perRow(bigqueryCpu - cpuBefore.bigquery),
    };
    const bigquery = new BigQuery({ projectId: LOCAL_PROJECT, apiEndpoint: stack.bigqueryUrl });
    await checkStoredOnce(bigquery, "bench-c-", fnConcurrent.acknowledged * ROWS_PER_BATCH);
    await checkStoredOnce(bigquery, "bench-0", batches * ROWS_PER_BATCH);
    const total = (batches + 1) * ROWS_PER_BATCH;

    const f = (n: number) => n.toFixed(1);
    console.log(`orders function benchmark (${batches} POSTs of ${ROWS_PER_BATCH} distinct orders, sequential, loopback; ${uncachedGets} + ${gets} GETs)`);
    console.log(`POST /  function : ${Math.round(fn.rowsPerSecond)} rows/s   p50 ${f(fn.p50)} ms   p99 ${f(fn.p99)} ms`);
    console.log(`POST /  bare ff  : ${Math.round(ceiling.rowsPerSecond)} rows/s   p50 ${f(ceiling.p50)} ms   p99 ${f(ceiling.p99)} ms   (parse + 200 only: the ceiling)`);
    console.log(`POST /  ratio    : ${(fn.rowsPerSecond / ceiling.rowsPerSecond).toFixed(3)} of the ceiling`);
    console.log(`GET /   first page (~${read.rows} of ${total} orders), uncached: p50 ${f(uncached.p50)} ms   p99 ${f(uncached.p99)} ms`);
    console.log(`GET /   first page (${read.rows} of ${total} orders), repeated: p50 ${f(read.p50)} ms   p99 ${f(read.p99)} ms   (query result cache)`);
    console.log(`orders function under load (${concurrentBatches} POSTs of ${ROWS_PER_BATCH} distinct orders, ${connections} connections, autocannon)`);
    console.log(
      `POST /  function : ${Math.round(fnConcurrent.rowsPerSecond)} rows/s   p50 ${f(fnConcurrent.p50)} ms   p99 ${f(fnConcurrent.p99)} ms   (every row stored once: checked)`,
    );
    console.log(`POST /  CPU per stored row: function ${cpu.own} (this process: with autocannon's worker), local BigQuery ${cpu.bigquery} (all threads)`);
    console.log(`POST /  bare ff  : ${Math.round(ceilingConcurrent.rowsPerSecond)} rows/s   p50 ${f(ceilingConcurrent.p50)} ms   p99 ${f(ceilingConcurrent.p99)} ms`);
    console.log(`POST /  ratio    : ${(fnConcurrent.rowsPerSecond / ceilingConcurrent.rowsPerSecond).toFixed(3)} of the ceiling`);
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
