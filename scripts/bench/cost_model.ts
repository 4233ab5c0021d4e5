/**
 * Cost model of the read path (figures printed, nothing asserted): dry runs of the exact queries
 * GET / and GET /orders/{id} send (function/read.ts), on a fresh local BigQuery whose estimate uses
 * BigQuery's logical column sizes, with orders_raw generated in the engine at 1M and 10M versions.
 * The bytes are a sum over rows of per-column sizes, so they grow linearly; the script shows that
 * (bytes per row at each size) and extrapolates to 100M versions, with on-demand billing (whole MB,
 * 10 MB minimum per table) and price, and the size at which the default MAX_BYTES_BILLED refuses GET /.
 *
 *   npm run cost [-- size1,size2,...]
 */
import { BigQuery } from "@google-cloud/bigquery";
import { startLocalBigQuery } from "../../local-bigquery/src";
import { loadConfig } from "../../function/config";
import { listLatestQuery, orderHistoryQuery, type ReadQuery } from "../../function/read";
import { LATEST_VIEW, qualified } from "../../function/warehouse";
import { DATASET, GCP_PROJECT, runDataform } from "../../test/support/warehouse";
import { fillOrdersRaw } from "./orders_raw_fill";

// Offline: no GCE metadata probe from the client.
process.env.METADATA_SERVER_DETECTION = "none";

/** On-demand price per TiB in US multi-region (cloud.google.com/bigquery/pricing, as of 2026-12). */
const USD_PER_TIB = 6.25;
const MB = 1024 * 1024;
const TIB = 1024 ** 4;
const SIZES = (process.argv[2] ?? "1000000,10000000").split(",").map(Number);
const TARGETS = [1_000_000, 10_000_000, 100_000_000];

/** BigQuery's on-demand billing of one query: whole MB, at least 10 MB for each table it reads. */
const billed = (bytes: number, tables = 1): number => Math.max(10 * MB * tables, Math.ceil(bytes / MB) * MB);
const usd = (bytes: number): string => `$${((bytes / TIB) * USD_PER_TIB).toFixed(6)}`;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const count = (n: number): string => n.toLocaleString("en-US");

async function dryRunBytes(bigquery: BigQuery, q: ReadQuery): Promise<number> {
  const [job] = await bigquery.createQueryJob({ query: q.query, params: q.params, dryRun: true, useLegacySql: false });
  return Number(job.metadata.statistics.totalBytesProcessed);
}

async function main(): Promise<void> {
  const local = await startLocalBigQuery({ quiet: true });
  try {
    const result = await runDataform("run", [], { url: local.url });
    if (result.code !== 0) throw new Error(`dataform run failed:\n${result.stdout}\n${result.stderr}`);
    const bigquery = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
    const config = loadConfig({ BIGQUERY_PROJECT: GCP_PROJECT, BIGQUERY_DATASET: DATASET });
    const page = listLatestQuery(config, { limit: config.pageSizeDefault });
    const history = orderHistoryQuery(config, "order-00000001");
    // GET /orders/{id} before it read everything from one query: latest_order_v, then the history again.
    const before: ReadQuery = {
      query: `SELECT order_id, order_date, order_details, order_status, updated_at, ingested_at, event_id, version_count FROM ${qualified(config, LATEST_VIEW)} WHERE order_id = @order_id`,
      params: history.params,
    };

    console.log(`dry runs on the local BigQuery (${local.url}); GET / = one page of ${config.pageSizeDefault}, GET /orders/{id} = its one query (before: two)`);
    console.log("| orders_raw rows | GET / bytes | per row | GET /orders/{id} bytes | per row | before: 2 queries | per row |");
    console.log("|---|---|---|---|---|---|---|");
    let stored = 0;
    const perRow = { list: 0, order: 0, before: 0 };
    for (const size of SIZES) {
      await fillOrdersRaw(local, stored, size);
      stored = size;
      const list = await dryRunBytes(bigquery, page);
      const order = await dryRunBytes(bigquery, history);
      const previous = order + (await dryRunBytes(bigquery, before));
      perRow.list = list / size;
      perRow.order = order / size;
      perRow.before = previous / size;
      console.log(
        `| ${count(size)} | ${count(list)} | ${perRow.list.toFixed(2)} | ${count(order)} | ${perRow.order.toFixed(2)} | ${count(previous)} | ${perRow.before.toFixed(2)} |`,
      );
    }

    console.log(`\nat the last size's bytes per row (100M extrapolated); billed on demand, $${USD_PER_TIB}/TiB:`);
    console.log("| orders_raw rows | GET / processed | GET / billed | GET / cost | GET /orders/{id} billed | its cost | before: billed | before: cost |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const rows of TARGETS) {
      const list = billed(perRow.list * rows);
      const order = billed(perRow.order * rows);
      const previous = billed((perRow.before / 2) * rows) * 2;
      console.log(`| ${count(rows)} | ${mb(perRow.list * rows)} | ${mb(list)} | ${usd(list)} | ${mb(order)} | ${usd(order)} | ${mb(previous)} | ${usd(previous)} |`);
    }
    const stop = Math.floor(config.maxBytesBilled / perRow.list);
    console.log(`\nthe default MAX_BYTES_BILLED (${count(config.maxBytesBilled)} bytes) refuses GET / from about ${count(stop)} rows in orders_raw`);
  } finally {
    await local.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
