/**
 * BigQuery going away: the function answers 503 with Retry-After (never a 500),
 * and resending the same batches once it is back stores each event once.
 */
import { makeOrders, startTestStack, type TestStack } from "./stack_fixture";

let t: TestStack;

beforeAll(async () => {
  // No client retries, so the 503 comes at once instead of after the backoff.
  // Small sequential chunks, so a batch is still being written when BigQuery stops.
  t = await startTestStack({ BIGQUERY_MAX_RETRIES: "0", RETRY_AFTER_SECONDS: "3", INSERT_CHUNK_ROWS: "100", INSERT_CONCURRENCY: "1" });
}, 180_000);

afterAll(async () => {
  await t?.close();
});

test("503 while BigQuery is down, and a resend afterwards stores each event once", async () => {
  const before = makeOrders("outage-before-", 600);
  const during = makeOrders("outage-during-", 1200);
  expect((await t.api.post(before)).status).toBe(200);

  await t.stack.stopBigQuery();
  const failed = await t.api.post(during);
  expect(failed.status).toBe(503);
  expect(failed.headers.get("retry-after")).toBe("3");
  expect(failed.body).toEqual({ error: "bigquery_unavailable", message: expect.stringMatching(/resend the same request/) });
  const read = await t.api.get("/");
  expect(read.status).toBe(503);
  expect((await t.api.get("/orders/outage-before-000001")).status).toBe(503);

  await t.stack.startBigQuery();
  // The client resends everything it is unsure of: both batches.
  expect((await t.api.post(during)).status).toBe(200);
  expect((await t.api.post(before)).status).toBe(200);

  const [[counts]] = await t.bigquery.query(
    "SELECT COUNT(*) AS orders, SUM(version_count) AS versions FROM `local-project.ecommerce_orders.latest_order_v` WHERE STARTS_WITH(order_id, 'outage-')",
  );
  expect(counts).toEqual({ orders: 1800, versions: 1800 });
  const listed = await t.api.get("/?limit=10000");
  expect((listed.body as unknown[]).length).toBe(1800);
});

test("BigQuery stopping in the middle of a batch: 503, and the resend completes it without duplicates", async () => {
  const batch = makeOrders("midway-", 3000);
  const sending = t.api.post(batch);
  // Stop as soon as the first chunks are stored.
  for (let i = 0; i < 600; i++) {
    const [[{ n }]] = await t.bigquery.query("SELECT COUNT(*) AS n FROM `local-project.ecommerce_orders.orders_raw` WHERE STARTS_WITH(order_id, 'midway-')");
    if (n > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await t.stack.stopBigQuery();
  const answer = await sending;
  await t.stack.startBigQuery();
  const [[{ partial }]] = await t.bigquery.query("SELECT COUNT(*) AS partial FROM `local-project.ecommerce_orders.orders_raw` WHERE STARTS_WITH(order_id, 'midway-')");
  if (answer.status === 503) expect(partial).toBeLessThan(3000);
  else expect(answer.status).toBe(200); // the batch won the race; the resend below must still change nothing

  expect((await t.api.post(batch)).status).toBe(200);
  const [[counts]] = await t.bigquery.query(
    "SELECT COUNT(*) AS orders, SUM(version_count) AS versions FROM `local-project.ecommerce_orders.latest_order_v` WHERE STARTS_WITH(order_id, 'midway-')",
  );
  expect(counts).toEqual({ orders: 3000, versions: 3000 });
});
