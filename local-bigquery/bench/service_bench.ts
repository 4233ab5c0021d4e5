/**
 * Service benchmark: insertAll rows per second (500-row batches through the real
 * client) and a trivial query's round trip. Prints figures; asserts nothing.
 * Run: npx tsx local-bigquery/bench/service_bench.ts
 */
import { BigQuery } from "@google-cloud/bigquery";
import { startLocalBigQuery } from "../src/index";

process.env.METADATA_SERVER_DETECTION = "none";

const BATCH = 500;
const BATCHES = 40;

async function main(): Promise<void> {
  const server = await startLocalBigQuery({ port: 0, quiet: true });
  try {
    const bq = new BigQuery({ projectId: "bench-project", apiEndpoint: server.url });
    const [ds] = await bq.createDataset("bench");
    const [table] = await ds.createTable("events", {
      schema: {
        fields: [
          { name: "id", type: "STRING", mode: "REQUIRED" },
          { name: "status", type: "STRING" },
          { name: "amount", type: "NUMERIC" },
          { name: "at", type: "TIMESTAMP" },
        ],
      },
    });
    const batch = (b: number): object[] =>
      Array.from({ length: BATCH }, (_, i) => ({
        insertId: `${b}-${i}`,
        json: { id: `${b}-${i}`, status: "NEW", amount: "12.50", at: "2025-01-01T00:00:00Z" },
      }));
    await table.insert(batch(-1), { raw: true }); // warm-up
    const started = process.hrtime.bigint();
    for (let b = 0; b < BATCHES; b++) await table.insert(batch(b), { raw: true });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`insertAll: ${BATCH * BATCHES} rows in ${seconds.toFixed(2)} s = ${Math.round((BATCH * BATCHES) / seconds)} rows/s (${BATCH}-row batches, sequential)`);

    const parallelStart = process.hrtime.bigint();
    await Promise.all(Array.from({ length: BATCHES }, (_, b) => table.insert(batch(1000 + b), { raw: true })));
    const pSeconds = Number(process.hrtime.bigint() - parallelStart) / 1e9;
    console.log(`insertAll: ${BATCH * BATCHES} rows in ${pSeconds.toFixed(2)} s = ${Math.round((BATCH * BATCHES) / pSeconds)} rows/s (${BATCHES} batches at once)`);

    await bq.query("SELECT 1 AS x"); // warm-up
    const N = 20;
    const qStart = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await bq.query(`SELECT ${i} AS x`);
    const ms = Number(process.hrtime.bigint() - qStart) / 1e6 / N;
    console.log(`trivial query round trip (bigquery.query "SELECT n AS x", distinct each time): ${ms.toFixed(1)} ms mean over ${N}`);
    const cStart = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await bq.query("SELECT 1 AS x");
    const cms = Number(process.hrtime.bigint() - cStart) / 1e6 / N;
    console.log(`repeated query round trip (same SQL, cache eligible): ${cms.toFixed(1)} ms mean over ${N}`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
