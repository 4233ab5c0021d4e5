/**
 * Answers that tell the truth: only what a resend can fix is 503 with Retry-After;
 * a query refused for its size or a broken warehouse is 500 with its own code and
 * no Retry-After. Every request's log line names BigQuery's reason, and every
 * GET's line carries the bytes its queries processed and billed and the cache hit.
 */
import { serveLogged, type LoggedFunction } from "./logged_function";
import { makeOrders, startTestStack, uniquePrefix, type TestStack } from "./stack_fixture";

const MB = 1024 * 1024;
let t: TestStack;
let normal: LoggedFunction;
let capped: LoggedFunction;
const table = (name: string) => `\`local-project.ecommerce_orders.${name}\``;

beforeAll(async () => {
  // No client retries, so the 503 at the end comes at once.
  t = await startTestStack({ BIGQUERY_MAX_RETRIES: "0" });
  normal = await serveLogged();
  capped = await serveLogged({ MAX_BYTES_BILLED: "1" });
}, 180_000);

afterAll(async () => {
  await normal?.close();
  await capped?.close();
  await t?.close();
});

const prefix = uniquePrefix("refusals");

test("every GET logs the bytes its queries processed and billed, and whether BigQuery's cache answered", async () => {
  expect((await normal.api.post(makeOrders(prefix, 3))).status).toBe(200);
  expect((await normal.api.get("/?limit=2")).status).toBe(200);
  const first = normal.last().bigquery as Record<string, unknown>;
  expect(first).toEqual({ bytesProcessed: expect.any(Number), bytesBilled: 10 * MB, cacheHit: false });
  expect(first.bytesProcessed).toBeGreaterThan(0);

  expect((await normal.api.get("/?limit=2")).status).toBe(200);
  expect(normal.last().bigquery).toEqual({ bytesProcessed: 0, bytesBilled: 0, cacheHit: true });

  // One query (history and latest together), billed its 10 MB minimum; a 404 has cost too.
  expect((await normal.api.get(`/orders/${prefix}000001`)).status).toBe(200);
  expect(normal.last().bigquery).toMatchObject({ bytesBilled: 10 * MB, cacheHit: false });
  expect((await normal.api.get(`/orders/${prefix}unknown`)).status).toBe(404);
  expect(normal.last()).toMatchObject({ error: "not_found", bigquery: { bytesBilled: 10 * MB } });
});

test("a query above MAX_BYTES_BILLED is 500 query_limit_exceeded without Retry-After, and the log names bytesBilledLimitExceeded", async () => {
  // Queries not run before: BigQuery answers a cached result free, within any cap.
  for (const path of ["/?limit=7", `/orders/${prefix}000002`]) {
    const answer = await capped.api.get(path);
    expect(answer.status).toBe(500);
    expect(answer.headers.get("retry-after")).toBeNull();
    expect(answer.body).toEqual({ error: "query_limit_exceeded", message: expect.stringContaining("MAX_BYTES_BILLED (1)") });
    expect((answer.body as { message: string }).message).not.toMatch(/resend the same request after/);
    expect(capped.last()).toMatchObject({ severity: "ERROR", error: "query_limit_exceeded", bigqueryReason: "bytesBilledLimitExceeded", bigqueryStatus: 400 });
    expect(capped.last().stack).toBeUndefined();
  }
  // Writing is not a query: the cap does not stop orders coming in.
  expect((await capped.api.post(makeOrders(`${prefix}capped-`, 1))).status).toBe(200);
});

/** The SQL of a view, to put it back after a test broke it. */
const viewSql = async (name: string): Promise<string> => {
  const [meta] = await t.bigquery.dataset("ecommerce_orders").table(name).getMetadata();
  return (meta as { view: { query: string } }).view.query;
};

test("a broken or missing view is 500 warehouse_error without Retry-After, the log naming BigQuery's reason", async () => {
  const latest = await viewSql("latest_order_v");
  await t.bigquery.query(`CREATE OR REPLACE VIEW ${table("latest_order_v")} AS SELECT 1 AS unrelated`);
  const broken = await normal.api.get("/");
  expect(broken.status).toBe(500);
  expect(broken.headers.get("retry-after")).toBeNull();
  expect(broken.body).toEqual({ error: "warehouse_error", message: expect.stringMatching(/invalidQuery.*dataform run/) });
  expect(normal.last()).toMatchObject({ error: "warehouse_error", bigqueryReason: "invalidQuery" });

  await t.bigquery.query(`DROP VIEW ${table("latest_order_v")}`);
  expect((await normal.api.get("/")).body).toMatchObject({ error: "warehouse_error" });
  expect(normal.last()).toMatchObject({ error: "warehouse_error", bigqueryReason: "notFound", bigqueryStatus: 404 });
  await t.bigquery.query(`CREATE VIEW ${table("latest_order_v")} AS ${latest}`);
  expect((await normal.api.get("/")).status).toBe(200);

  const versions = await viewSql("order_versions_v");
  await t.bigquery.query(`DROP VIEW ${table("order_versions_v")}`);
  const missing = await normal.api.get(`/orders/${prefix}000001`);
  expect(missing.status).toBe(500);
  expect(missing.headers.get("retry-after")).toBeNull();
  expect(missing.body).toMatchObject({ error: "warehouse_error" });
  expect(normal.last()).toMatchObject({ error: "warehouse_error", bigqueryReason: "notFound", bigqueryStatus: 404 });
  await t.bigquery.query(`CREATE VIEW ${table("order_versions_v")} AS ${versions}`);
  expect((await normal.api.get(`/orders/${prefix}000001`)).status).toBe(200);
});

test("rows BigQuery refuses as invalid, or a missing orders_raw, are 500 warehouse_error: resending cannot store them", async () => {
  // orders_raw without the caller column: insertAll refuses every row with reason "invalid" ("no such field").
  await t.bigquery.query(`CREATE OR REPLACE TABLE ${table("orders_raw_narrow")} AS SELECT * EXCEPT (caller) FROM ${table("orders_raw")} WHERE FALSE`);
  await t.bigquery.query(`DROP TABLE ${table("orders_raw")}`);
  const missing = await normal.api.post(makeOrders(`${prefix}post-`, 2));
  expect(missing.status).toBe(500);
  expect(missing.headers.get("retry-after")).toBeNull();
  expect(missing.body).toMatchObject({ error: "warehouse_error" });
  expect(normal.last()).toMatchObject({ error: "warehouse_error", bigqueryReason: "notFound" });

  await t.bigquery.query(`CREATE TABLE ${table("orders_raw")} AS SELECT * FROM ${table("orders_raw_narrow")}`);
  const invalid = await normal.api.post(makeOrders(`${prefix}post-`, 2));
  expect(invalid.status).toBe(500);
  expect(invalid.headers.get("retry-after")).toBeNull();
  expect(invalid.body).toMatchObject({ error: "warehouse_error", message: expect.stringContaining("(invalid)") });
  expect(normal.last()).toMatchObject({ error: "warehouse_error", bigqueryReason: "invalid" });
});

test("BigQuery out of reach is still 503 with Retry-After, the log naming the network error", async () => {
  await t.stack.stopBigQuery();
  const answer = await normal.api.get("/");
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe("5");
  expect(answer.body).toMatchObject({ error: "bigquery_unavailable" });
  expect(normal.last()).toMatchObject({ error: "bigquery_unavailable", bigqueryReason: "ECONNREFUSED" });
  await t.stack.startBigQuery();
});
