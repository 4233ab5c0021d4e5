/**
 * The BigQuery side of the contract with the Dataform warehouse (definitions/):
 * one client per instance and the names of the objects the function reads and writes.
 */
import { BigQuery, type BigQueryOptions } from "@google-cloud/bigquery";
import type { Config } from "./config";

export const RAW_TABLE = "orders_raw";
export const LATEST_VIEW = "latest_order_v";
export const VERSIONS_VIEW = "order_versions_v";

let client: BigQuery | undefined;

/**
 * The instance's BigQuery client, created on first use and reused by every
 * request (connections and auth are pooled inside it). Configured only by the
 * environment: BIGQUERY_EMULATOR_HOST, when set, points it at a local BigQuery.
 */
export const bigQuery = (config: Config): BigQuery => {
  // `timeout` (per HTTP request) is read by @google-cloud/common's Service, though the typings omit it.
  const options: BigQueryOptions & { timeout: number } = {
    projectId: config.projectId,
    location: config.location,
    // retryOptions, not maxRetries: the client reads `maxRetries: 0` as "unset" and retries 3 times.
    retryOptions: { autoRetry: config.bigqueryMaxRetries > 0, maxRetries: config.bigqueryMaxRetries },
    timeout: config.bigqueryTimeoutMs,
  };
  client ??= new BigQuery(options);
  return client;
};

/** A fully qualified name for SQL; every part comes from validated configuration, never from a request. */
export const qualified = (config: Config, object: string): string => `\`${config.projectId}.${config.datasetId}.${object}\``;
