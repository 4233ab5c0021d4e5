/**
 * Configuration from environment variables, validated once at start.
 * The BigQuery client reads BIGQUERY_EMULATOR_HOST itself; nothing here knows
 * whether it talks to the local BigQuery or the cloud.
 */
import { z } from "zod";

/** A setting that is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
// BigQuery identifiers: project ids may contain dashes (and a domain prefix), datasets may not.
const projectId = z.string().regex(/^[a-z][a-z0-9.:-]{0,127}$/, "must be a Google Cloud project id");
const datasetId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,1023}$/, "must be a BigQuery dataset id");

const EnvSchema = z.object({
  BIGQUERY_PROJECT: projectId.optional(),
  GOOGLE_CLOUD_PROJECT: projectId.optional(),
  BIGQUERY_DATASET: datasetId.default("ecommerce_orders"),
  BIGQUERY_LOCATION: z.string().min(1).default("US"),
  MAX_BYTES_BILLED: z.coerce.number().int().min(1).default(10 * 1024 ** 3),
  MAX_BODY_BYTES: positiveInt(32 * 1024 ** 2).default(10 * 1024 ** 2),
  MAX_ORDERS_PER_REQUEST: positiveInt(100_000).default(10_000),
  INSERT_CHUNK_ROWS: positiveInt(50_000).default(500),
  INSERT_CONCURRENCY: positiveInt(64).default(4),
  PAGE_SIZE_DEFAULT: positiveInt(100_000).default(1000),
  PAGE_SIZE_MAX: positiveInt(100_000).default(10_000),
  BIGQUERY_TIMEOUT_MS: positiveInt(600_000).default(60_000),
  BIGQUERY_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  RETRY_AFTER_SECONDS: positiveInt(3600).default(5),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export interface Config {
  projectId: string;
  datasetId: string;
  location: string;
  maxBytesBilled: number;
  maxBodyBytes: number;
  maxOrdersPerRequest: number;
  insertChunkRows: number;
  insertConcurrency: number;
  pageSizeDefault: number;
  pageSizeMax: number;
  bigqueryTimeoutMs: number;
  bigqueryMaxRetries: number;
  retryAfterSeconds: number;
  logLevel: string;
}

/**
 * Reads and checks every setting.
 * @param env - the environment (process.env by default, injectable for tests)
 * @throws ConfigError naming each bad variable
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  // Empty strings count as unset, as a shell `VAR=` would suggest.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const project = e.BIGQUERY_PROJECT ?? e.GOOGLE_CLOUD_PROJECT;
  if (!project) {
    throw new ConfigError("Invalid configuration: set BIGQUERY_PROJECT (or GOOGLE_CLOUD_PROJECT) to the project that holds the dataset");
  }
  if (e.PAGE_SIZE_DEFAULT > e.PAGE_SIZE_MAX) {
    throw new ConfigError("Invalid configuration: PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX");
  }
  return {
    projectId: project,
    datasetId: e.BIGQUERY_DATASET,
    location: e.BIGQUERY_LOCATION,
    maxBytesBilled: e.MAX_BYTES_BILLED,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxOrdersPerRequest: e.MAX_ORDERS_PER_REQUEST,
    insertChunkRows: e.INSERT_CHUNK_ROWS,
    insertConcurrency: e.INSERT_CONCURRENCY,
    pageSizeDefault: e.PAGE_SIZE_DEFAULT,
    pageSizeMax: e.PAGE_SIZE_MAX,
    bigqueryTimeoutMs: e.BIGQUERY_TIMEOUT_MS,
    bigqueryMaxRetries: e.BIGQUERY_MAX_RETRIES,
    retryAfterSeconds: e.RETRY_AFTER_SECONDS,
    logLevel: e.LOG_LEVEL,
  };
};
