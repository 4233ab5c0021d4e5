/** Configuration from the environment: defaults, overrides and clear refusals. */
import { ConfigError, loadConfig, type Config } from "../../function/config";

interface TestData {
  name: string;
  env: NodeJS.ProcessEnv;
  expected: Partial<Config>;
}

const cases: TestData[] = [
  {
    name: "defaults",
    env: { BIGQUERY_PROJECT: "local-project" },
    expected: {
      projectId: "local-project",
      datasetId: "ecommerce_orders",
      location: "US",
      maxBytesBilled: 10 * 1024 ** 3,
      maxBodyBytes: 10 * 1024 ** 2,
      maxOrdersPerRequest: 10_000,
      insertChunkRows: 500,
      pageSizeDefault: 1000,
      pageSizeMax: 10_000,
      bigqueryMaxRetries: 3,
    },
  },
  { name: "GOOGLE_CLOUD_PROJECT as fallback", env: { GOOGLE_CLOUD_PROJECT: "prod-1" }, expected: { projectId: "prod-1" } },
  { name: "BIGQUERY_PROJECT wins", env: { GOOGLE_CLOUD_PROJECT: "prod-1", BIGQUERY_PROJECT: "data-2" }, expected: { projectId: "data-2" } },
  {
    name: "overrides",
    env: { BIGQUERY_PROJECT: "p", BIGQUERY_DATASET: "orders_dev", BIGQUERY_LOCATION: "EU", MAX_BYTES_BILLED: "1000000", INSERT_CHUNK_ROWS: "50", BIGQUERY_MAX_RETRIES: "0" },
    expected: { datasetId: "orders_dev", location: "EU", maxBytesBilled: 1_000_000, insertChunkRows: 50, bigqueryMaxRetries: 0 },
  },
  { name: "empty strings count as unset", env: { BIGQUERY_PROJECT: "p", BIGQUERY_DATASET: "" }, expected: { datasetId: "ecommerce_orders" } },
];

const refusals: Array<{ name: string; env: NodeJS.ProcessEnv; message: RegExp }> = [
  { name: "no project", env: {}, message: /BIGQUERY_PROJECT/ },
  { name: "dataset with a dash", env: { BIGQUERY_PROJECT: "p", BIGQUERY_DATASET: "orders-dev" }, message: /BIGQUERY_DATASET: must be a BigQuery dataset id/ },
  { name: "project with a backtick", env: { BIGQUERY_PROJECT: "p`x" }, message: /BIGQUERY_PROJECT/ },
  { name: "non-numeric MAX_BYTES_BILLED", env: { BIGQUERY_PROJECT: "p", MAX_BYTES_BILLED: "lots" }, message: /MAX_BYTES_BILLED/ },
  { name: "chunk above insertAll's 50,000 rows", env: { BIGQUERY_PROJECT: "p", INSERT_CHUNK_ROWS: "50001" }, message: /INSERT_CHUNK_ROWS/ },
  { name: "unknown log level", env: { BIGQUERY_PROJECT: "p", LOG_LEVEL: "loud" }, message: /LOG_LEVEL/ },
  { name: "default page above the maximum", env: { BIGQUERY_PROJECT: "p", PAGE_SIZE_DEFAULT: "20", PAGE_SIZE_MAX: "10" }, message: /PAGE_SIZE_DEFAULT/ },
];

describe("loadConfig", () => {
  test.each(cases)("$name", ({ env, expected }) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  test.each(refusals)("refuses $name with a message naming the variable", ({ env, message }) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
