/**
 * The local BigQuery at scale (figures printed, never asserted), each beside raw DuckDB running a
 * hand-written equivalent over the same rows (the ratio is the figure). Raw DuckDB is its own database
 * file with DuckDB's default settings (the engine's sessions turn some optimizers off, a setting
 * DuckDB keeps per instance), holding copies of the tables made through Parquet:
 * the warehouse's views over orders_raw at 1M and 10M rows (generated inside DuckDB, not through
 * HTTP), a 1M-row GROUP BY, a 1M-row window partition, a 100k x 100k hash join; then insertAll
 * from 10 concurrent clients, a trivial query's round trip, and the whole `dataform run`.
 *
 *   npx tsx scripts/bench/scale_bench.ts [--sizes=1000000,10000000]
 */
import { BigQuery } from "@google-cloud/bigquery";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { STORE_FILE, startLocalBigQuery, type LocalBigQuery } from "../../local-bigquery/src/index";
import type { QueryParameter, TableRef } from "../../local-bigquery/src/model";
import { DATASET, GCP_PROJECT, runDataform } from "../../test/support/warehouse";
import { ORDERS_RAW, fillOrdersRaw } from "./orders_raw_fill";

process.env.METADATA_SERVER_DETECTION = "none";

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const SIZES = (arg("sizes") ?? "1000000,10000000").split(",").filter(Boolean).map(Number);
const REPEAT = 5;

const raw = ORDERS_RAW;
const view = (name: string): string => `\`${GCP_PROJECT}.${DATASET}.${name}\``;
const fmt = (n: number): string => n.toLocaleString("en-US");

/** The best of REPEAT runs (the machine is shared; the minimum is the least disturbed), in ms. */
async function best(work: () => Promise<unknown>, repeat = REPEAT): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await work();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

function report(label: string, engineMs: number, rawMs: number): void {
  console.log(`${label.padEnd(58)} ${engineMs.toFixed(1).padStart(9)} ms   raw DuckDB ${rawMs.toFixed(1).padStart(8)} ms   ratio ${(engineMs / rawMs).toFixed(2)}`);
}

/** The latest-version rule of latest_order_v, by hand in DuckDB, over the same physical table. */
const handVersions = (t: string, where = ""): string => `
  WITH dedup AS (
    SELECT order_id, event_id, order_date, order_details, order_status, updated_at, ingested_at, coalesce(updated_at, ingested_at) AS event_time
    FROM ${t} ${where}
    QUALIFY row_number() OVER (PARTITION BY order_id, event_id ORDER BY ingested_at, updated_at, order_status, order_details, order_date) = 1)
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY event_time, ingested_at, event_id) AS version_seq,
    count(*) OVER (PARTITION BY order_id) AS version_count,
    lag(order_status) OVER (PARTITION BY order_id ORDER BY event_time, ingested_at, event_id) AS previous_status
  FROM dedup`;

async function main(): Promise<void> {
  const local = await startLocalBigQuery({ quiet: true });
  const bq = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
  // The result cache must not answer: each query runs.
  const sql = (query: string, params: QueryParameter[] = []) => local.executor.execute({ projectId: GCP_PROJECT, sql: query, params, useQueryCache: false });
  const rawDir = mkdtempSync(join(tmpdir(), "raw-duckdb-"));
  const rawInstance = await DuckDBInstance.create(join(rawDir, "raw.duckdb"));
  const rawConnection = await rawInstance.connect();
  const rawSql = (query: string) => rawConnection.runAndReadAll(query);
  /** Copies a stored table into the raw database as `name`, through a Parquet file. */
  const copyToRaw = async (relation: string, name: string): Promise<string> => {
    const file = join(rawDir, `${name}.parquet`);
    await local.store.read((c: DuckDBConnection) => c.run(`COPY (SELECT * FROM ${relation}) TO '${file}' (FORMAT parquet)`));
    await rawConnection.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${file}')`);
    rmSync(file);
    return name;
  };
  try {
    const dataformMs = await best(async () => {
      const result = await runDataform("run", [], { url: local.url });
      if (result.code !== 0) throw new Error(`dataform run failed:\n${result.stdout}\n${result.stderr}`);
    }, 3);
    console.log(`whole dataform run (5 actions, 13 assertions), warehouse exists: ${dataformMs.toFixed(0)} ms (best of 3)`);

    let filled = 0;
    for (const size of SIZES) {
      const start = performance.now();
      await fillOrdersRaw(local, filled, size);
      filled = size;
      const generated = ((performance.now() - start) / 1000).toFixed(1);
      // Checkpointed, so the database file holds every row (not the write-ahead log).
      await local.store.read((c: DuckDBConnection) => c.run("CHECKPOINT"));
      const bytes = statSync(join(local.dataDir, STORE_FILE)).size;
      console.log(`\norders_raw: ${fmt(size)} rows (generated in ${generated} s); database file ${fmt(Math.round(bytes / 1e6))} MB, ${(bytes / size).toFixed(0)} bytes per row`);
      const t = await copyToRaw(local.store.relation(raw), "orders_raw");
      // The same index the store keeps for orders_raw's first clustering column.
      await rawSql(`CREATE INDEX orders_raw_order_id ON ${t} (order_id)`);
      // Point lookups as GET /orders/{id} sends them: the same SQL, a new id each time (ZetaSQL's
      // analysis of the SQL is reused; DuckDB runs each), over ids spread through the table.
      const ids = (await rawSql(`SELECT order_id FROM ${t} USING SAMPLE 50 ROWS`)).getRows().map(([v]) => String(v));
      let next = 0;
      const lookup = async (query: (id: string) => Promise<unknown>): Promise<number> => best(() => query(ids[next++ % ids.length]), 20);
      const param = (id: string): QueryParameter[] => [{ name: "id", type: { type: "STRING" }, value: id }];
      // DuckDB caches no results; a distinct comment keeps any cache honest anyway.
      let n = 0;
      const fresh = () => `/* ${n++} */ `;
      report(
        "latest_order_v first page (ORDER BY order_id LIMIT 1000)",
        await best(() => sql(`${fresh()}SELECT * FROM ${view("latest_order_v")} ORDER BY order_id LIMIT 1000`)),
        await best(() => rawSql(`${fresh()}SELECT * EXCLUDE (event_time, version_seq, previous_status) FROM (${handVersions(t)}) WHERE version_seq = version_count ORDER BY order_id LIMIT 1000`)),
      );
      report(
        "point lookup by order_id through latest_order_v",
        await lookup((id) => sql(`SELECT * FROM ${view("latest_order_v")} WHERE order_id = @id`, param(id))),
        await lookup((id) => rawSql(`SELECT * FROM (${handVersions(t, `WHERE order_id = '${id}'`)}) WHERE version_seq = version_count`)),
      );
      report(
        "point lookup by order_id through order_versions_v",
        await lookup((id) => sql(`SELECT * FROM ${view("order_versions_v")} WHERE order_id = @id ORDER BY version_seq`, param(id))),
        await lookup((id) => rawSql(`SELECT * FROM (${handVersions(t, `WHERE order_id = '${id}'`)}) ORDER BY version_seq`)),
      );
      report(
        "the same, new SQL text each time (analysed afresh)",
        await lookup((id) => sql(`${fresh()}SELECT * FROM ${view("order_versions_v")} WHERE order_id = @id ORDER BY version_seq`, param(id))),
        await lookup((id) => rawSql(`${fresh()}SELECT * FROM (${handVersions(t, `WHERE order_id = '${id}'`)}) ORDER BY version_seq`)),
      );
      report(
        "order_lifecycle_metrics_v full aggregate",
        await best(() => sql(`${fresh()}SELECT COUNT(*), AVG(hours_to_shipped), AVG(is_cancelled), MAX(lifecycle_seconds) FROM ${view("order_lifecycle_metrics_v")}`)),
        await best(() =>
          rawSql(`${fresh()}SELECT count(*), avg(hours_to_shipped), avg(is_cancelled), max(lifecycle_seconds) FROM (
            SELECT order_id, (epoch_us(min(event_time) FILTER (WHERE order_status = 'Shipped')) - epoch_us(arg_max(order_date, version_seq))) // 1000000 / 3600 AS hours_to_shipped,
              CASE WHEN arg_max(order_status, version_seq) = 'Cancelled' THEN 1 ELSE 0 END AS is_cancelled,
              (epoch_us(max(event_time)) - epoch_us(min(event_time))) // 1000000 AS lifecycle_seconds
            FROM (${handVersions(t)}) GROUP BY order_id)`),
        ),
      );
    }
    await generic(local, sql, rawSql, copyToRaw);
    await ingest(bq);
    await roundTrips(bq, sql);
  } finally {
    rawConnection.closeSync();
    rawInstance.closeSync();
    rmSync(rawDir, { recursive: true, force: true });
    await local.stop();
  }
}

type Run = (query: string, params?: QueryParameter[]) => Promise<unknown>;

/** A 1M-row GROUP BY, a 1M-row window partition and a 100k x 100k hash join, each over tables generated in DuckDB. */
async function generic(local: LocalBigQuery, sql: Run, rawSql: Run, copyToRaw: (relation: string, name: string) => Promise<string>): Promise<void> {
  console.log("");
  await sql("CREATE SCHEMA IF NOT EXISTS bench");
  await sql("CREATE OR REPLACE TABLE bench.facts (id INT64, k INT64, v FLOAT64, s STRING)");
  await sql("CREATE OR REPLACE TABLE bench.left_side (k INT64, v INT64)");
  await sql("CREATE OR REPLACE TABLE bench.right_side (k INT64, w INT64)");
  const ref = (tableId: string): TableRef => ({ projectId: GCP_PROJECT, datasetId: "bench", tableId });
  const fill = (tableId: string, select: string) =>
    local.store.write([ref(tableId)], (tx) => tx.connection.run(`INSERT INTO ${tx.relation(ref(tableId))} ${select}`).then(() => undefined));
  await fill("facts", "SELECT i, hash(i) % 1000, (hash(i) % 100000) / 7.0, 'customer-' || (hash(i) % 5000) FROM range(1000000) r(i)");
  await fill("left_side", "SELECT i, i * 3 FROM range(100000) r(i) ORDER BY hash(i)");
  await fill("right_side", "SELECT i, i * 5 FROM range(100000) r(i) ORDER BY hash(i + 1)");
  const facts = await copyToRaw(local.store.relation(ref("facts")), "facts");
  const left = await copyToRaw(local.store.relation(ref("left_side")), "left_side");
  const right = await copyToRaw(local.store.relation(ref("right_side")), "right_side");
  report(
    "1M-row GROUP BY (1,000 groups: COUNT, SUM, MIN, MAX)",
    await best(() => sql("SELECT k, COUNT(*), SUM(v), MIN(s), MAX(s) FROM bench.facts GROUP BY k")),
    await best(() => rawSql(`SELECT k, count(*), fsum(v), min(s), max(s) FROM ${facts} GROUP BY k`)),
  );
  report(
    "1M-row window partition (ROW_NUMBER by 1,000 groups)",
    await best(() => sql("SELECT COUNT(*), SUM(rn) FROM (SELECT ROW_NUMBER() OVER (PARTITION BY k ORDER BY v, id) AS rn FROM bench.facts)")),
    await best(() => rawSql(`SELECT count(*), sum(rn) FROM (SELECT row_number() OVER (PARTITION BY k ORDER BY v, id) AS rn FROM ${facts})`)),
  );
  report(
    "100k x 100k hash join",
    await best(() => sql("SELECT COUNT(*), SUM(l.v + r.w) FROM bench.left_side l JOIN bench.right_side r ON l.k = r.k")),
    await best(() => rawSql(`SELECT count(*), sum(l.v + r.w) FROM ${left} l JOIN ${right} r ON l.k = r.k`)),
  );
}

/** insertAll through the real client: 10 clients, each sending 500-row batches one after another. */
async function ingest(bq: BigQuery): Promise<void> {
  const [dataset] = await bq.dataset("bench").get({ autoCreate: true });
  const [table] = await dataset.createTable(`events_${Date.now()}`, {
    schema: {
      fields: [
        { name: "id", type: "STRING", mode: "REQUIRED" },
        { name: "status", type: "STRING" },
        { name: "amount", type: "NUMERIC" },
        { name: "at", type: "TIMESTAMP" },
      ],
    },
  });
  const CLIENTS = 10;
  const BATCHES = 40;
  const BATCH = 500;
  const batch = (c: number, b: number): object[] =>
    Array.from({ length: BATCH }, (_, i) => ({
      insertId: `${c}-${b}-${i}`,
      json: { id: `${c}-${b}-${i}`, status: "NEW", amount: "12.50", at: "2025-01-01T00:00:00.123456Z" },
    }));
  await table.insert(batch(-1, 0), { raw: true }); // warm-up
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let b = 0; b < BATCHES; b++) await table.insert(batch(c, b), { raw: true });
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(`\ninsertAll, ${CLIENTS} concurrent clients, ${BATCH}-row batches: ${fmt(Math.round((CLIENTS * BATCHES * BATCH) / seconds))} rows/s`);
}

/** A trivial query's round trip: in the engine (the executor), and through the client over HTTP (jobs.query). */
async function roundTrips(bq: BigQuery, sql: Run): Promise<void> {
  let i = 0;
  const engine = await best(() => sql(`SELECT ${i++} AS x`), 50);
  const repeated = await best(() => sql("SELECT @x AS x", [{ name: "x", type: { type: "INT64" }, value: String(i++) }]), 50);
  const client = await best(() => bq.query({ query: `SELECT ${i++} AS x`, useQueryCache: false }), 50);
  console.log(
    `trivial query round trip: engine ${engine.toFixed(2)} ms (new SQL each time), ${repeated.toFixed(2)} ms (same SQL, new parameter), client over HTTP ${client.toFixed(2)} ms (best of 50)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
