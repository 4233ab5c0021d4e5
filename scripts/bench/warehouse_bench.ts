/**
 * Warehouse benchmark (figures printed, nothing asserted): on a fresh local BigQuery, the wall time of
 * the whole `dataform run` (first and second run), then `SELECT * FROM latest_order_v` over growing
 * orders_raw sizes (1,000, 10,000, ... rows), up to the largest size the local BigQuery can read.
 *
 *   npx tsx scripts/bench/warehouse_bench.ts [maxRows]
 */
import { BigQuery } from "@google-cloud/bigquery";
import { startLocalBigQuery } from "../../local-bigquery/src";
import { DATASET, GCP_PROJECT, runDataform, tableName } from "../../test/support/warehouse";
import { orderRow } from "./order_rows";

// Offline: no GCE metadata probe from the client (it would only warn, but says nothing useful here).
process.env.METADATA_SERVER_DETECTION = "none";

const SIZES = [1_000, 10_000, 20_000, 21_000, 22_000, 23_000, 24_000, 25_000, 30_000, 50_000, 100_000, 200_000];
const INSERT_CHUNK = 2_000;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const maxRows = Number(process.argv[2] ?? SIZES[SIZES.length - 1]);
  const local = await startLocalBigQuery({ quiet: true });
  try {
    const bigquery = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
    console.log(`local BigQuery at ${local.url}`);

    for (const label of ["first (fresh warehouse)", "second (warehouse exists)"]) {
      const [result, wall] = await timed(() => runDataform("run", [], { url: local.url }));
      if (result.code !== 0) throw new Error(`dataform run failed:\n${result.stdout}\n${result.stderr}`);
      console.log(`dataform run, ${label}: ${ms(wall)} wall`);
    }

    const table = bigquery.dataset(DATASET).table("orders_raw");
    let stored = 0;
    let largestWorking = 0;
    for (const size of SIZES.filter((candidate) => candidate <= maxRows)) {
      let insertMs = 0;
      while (stored < size) {
        const chunk = Array.from({ length: Math.min(INSERT_CHUNK, size - stored) }, (_, i) => ({ insertId: `bench-${stored + i}`, json: orderRow(stored + i) }));
        const [, took] = await timed(() => table.insert(chunk, { raw: true }));
        insertMs += took;
        stored += chunk.length;
      }
      try {
        const query = `SELECT * FROM ${tableName("latest_order_v")}`;
        const [[rows], cold] = await timed(() => bigquery.query(query));
        const [, warm] = await timed(() => bigquery.query(query));
        largestWorking = size;
        console.log(
          `orders_raw ${size.toLocaleString("en-US")} rows (inserted in ${ms(insertMs)}): SELECT * FROM latest_order_v -> ${rows.length.toLocaleString("en-US")} rows, ${ms(cold)} first, ${ms(warm)} repeated`,
        );
      } catch (error) {
        console.log(`orders_raw ${size.toLocaleString("en-US")} rows: SELECT * FROM latest_order_v failed: ${(error as Error).message}`);
        break;
      }
    }
    console.log(`largest orders_raw that latest_order_v could read: ${largestWorking.toLocaleString("en-US")} rows (sizes tried up to ${maxRows.toLocaleString("en-US")})`);
  } finally {
    await local.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
