/**
 * Volume through the real stack: a batch of 10,000 orders, 20 concurrent POSTs,
 * and a client following Link rel="next" through 25,000 orders, each exactly once.
 * The stack is this file's own, so the 25,000 are every order in the dataset.
 */
import { makeOrders, startTestStack, type TestStack } from "./stack_fixture";

let t: TestStack;
const posted = new Set<string>();

beforeAll(async () => {
  t = await startTestStack();
}, 180_000);

afterAll(async () => {
  await t?.close();
});

test("a batch of 10,000 orders is stored in one request", async () => {
  const orders = makeOrders("bulk-a-", 10_000);
  const answer = await t.api.post(orders);
  expect(answer.status).toBe(200);
  expect((answer.body as { accepted: number }).accepted).toBe(10_000);
  expect(new Set((answer.body as { event_ids: string[] }).event_ids).size).toBe(10_000);
  orders.forEach((o) => posted.add(o.order_id as string));
  const [[{ n }]] = await t.bigquery.query("SELECT COUNT(DISTINCT event_id) AS n FROM `local-project.ecommerce_orders.orders_raw` WHERE STARTS_WITH(order_id, 'bulk-a-')");
  expect(n).toBe(10_000);
});

test("20 concurrent POSTs all succeed and store every order once", async () => {
  const batches = Array.from({ length: 20 }, (_, i) => makeOrders(`conc-${String(i).padStart(2, "0")}-`, 250));
  const answers = await Promise.all(batches.map((b) => t.api.post(b)));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  batches.flat().forEach((o) => posted.add(o.order_id as string));
  const [[{ n, events }]] = await t.bigquery.query(
    "SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS events FROM `local-project.ecommerce_orders.orders_raw` WHERE STARTS_WITH(order_id, 'conc-')",
  );
  expect([n, events]).toEqual([5000, 5000]);
});

test("following Link rel=next visits each of 25,000 orders exactly once, in order", async () => {
  // These carry short client event_ids (an idempotency key the API accepts) instead of 64-hex derived ones:
  // the local BigQuery hands a statement's input rows to ZetaSQL in one request of at most 4 MiB, and
  // 25,000 versions with derived ids come to 4.27 MB once encoded (see local-bigquery's engine limit).
  const more = makeOrders("bulk-b-", 10_000).map((o, i): Record<string, unknown> => ({ ...o, event_id: `b${i}` }));
  expect((await t.api.post(more)).status).toBe(200);
  more.forEach((o) => posted.add(o.order_id as string));
  expect(posted.size).toBe(25_000);

  const seen: string[] = [];
  let path: string | undefined = "/";
  let pages = 0;
  while (path !== undefined && pages < 100) {
    pages++;
    const answer = await t.api.get(path);
    expect(answer.status).toBe(200);
    seen.push(...(answer.body as Array<{ order_id: string }>).map((o) => o.order_id));
    const link = answer.headers.get("link");
    path = link ? new URL(/^<([^>]*)>; rel="next"$/.exec(link)?.[1] ?? "", `http://x${path}`).href.slice("http://x".length) : undefined;
  }
  expect(pages).toBe(25);
  expect(seen).toHaveLength(25_000);
  expect(new Set(seen)).toEqual(posted);
  expect([...seen].sort()).toEqual(seen); // order_id order, across pages too
}, 600_000);
