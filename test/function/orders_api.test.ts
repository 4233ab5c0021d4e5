/**
 * The API end to end: real HTTP to the function served by functions-framework,
 * the real BigQuery client, the local BigQuery, and the warehouse created by the
 * real `dataform run`. Every answer is also checked against function/openapi.yaml.
 */
import { makeOrders, startTestStack, uniquePrefix, type TestStack } from "./stack_fixture";

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe("the seed's curl examples", () => {
  test("POST the example array, then GET / shows it", async () => {
    const example = [{ order_id: "A1001", order_date: "2025-08-08T10:00:00Z", order_details: "Laptop, Mouse", order_status: "Processing" }];
    const posted = await t.api.post(example);
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual({ accepted: 1, event_ids: [expect.stringMatching(/^[0-9a-f]{64}$/)] });

    const listed = await t.api.get("/?order_id=A1001");
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { order_id: "A1001", order_date: "2025-08-08T10:00:00Z", order_details: "Laptop, Mouse", order_status: "Processing", updated_at: null, ingested_at: expect.stringMatching(/Z$/) },
    ]);
    const all = await t.api.get("/");
    expect(all.status).toBe(200);
    expect(all.body).toEqual(expect.arrayContaining([expect.objectContaining({ order_id: "A1001" })]));
  });
});

describe("bad input: the documented answer and nothing stored", () => {
  const cases: Array<{ name: string; body: (p: string) => string; headers?: Record<string, string>; status: number; error: string }> = [
    { name: "one invalid row among valid ones", body: (p) => JSON.stringify([...makeOrders(p, 3), { ...makeOrders(p, 1)[0], order_id: `${p}x`, order_status: "Lost" }]), status: 400, error: "invalid_orders" },
    { name: "a date without a zone", body: (p) => JSON.stringify(makeOrders(p, 2, { order_date: "2025-08-08T10:00:00" })), status: 400, error: "invalid_orders" },
    { name: "malformed JSON", body: (p) => JSON.stringify(makeOrders(p, 2)).slice(0, -5), status: 400, error: "invalid_json" },
    { name: "a JSON string", body: (p) => JSON.stringify(p), status: 400, error: "invalid_body" },
    { name: "an empty array", body: () => "[]", status: 400, error: "empty_body" },
    { name: "an empty body", body: () => "", status: 400, error: "empty_body" },
    { name: "text/plain", body: (p) => JSON.stringify(makeOrders(p, 2)), headers: { "content-type": "text/plain" }, status: 415, error: "unsupported_media_type" },
    { name: "10,001 orders", body: (p) => JSON.stringify(makeOrders(p, 10_001)), status: 413, error: "payload_too_large" },
    { name: "more than 10 MiB", body: (p) => JSON.stringify(makeOrders(p, 200, { order_details: "x".repeat(60 * 1024) })), status: 413, error: "payload_too_large" },
  ];

  test.each(cases)("$name -> $status $error", async ({ body, headers, status, error }) => {
    const prefix = uniquePrefix("bad");
    const answer = await t.api.call("POST", "/", { body: body(prefix), headers: { "content-type": "application/json", ...headers } });
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error, message: expect.any(String) });
    expect(await t.rawRows(prefix)).toEqual([]);
  });

  test("the 400 lists every bad row and field", async () => {
    const prefix = uniquePrefix("bad-all");
    const orders = makeOrders(prefix, 4);
    orders[1].order_status = "unknown";
    orders[3].order_date = "08/08/2025";
    delete orders[3].order_id;
    const answer = await t.api.post(orders);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: "invalid_orders",
      details: [
        { index: 1, field: "order_status", message: expect.stringMatching(/must be one of/) },
        { index: 3, field: "order_id", message: "is required" },
        { index: 3, field: "order_date", message: expect.any(String) },
      ],
    });
    expect(await t.rawRows(prefix)).toEqual([]);
  });
});

describe("what is stored", () => {
  test("status in any case is stored canonical, and filters in any case", async () => {
    const prefix = uniquePrefix("case");
    const answer = await t.api.post([
      { ...makeOrders(prefix, 1)[0], order_status: "shipped" },
      { ...makeOrders(prefix, 2)[1], order_status: "DELIVERED" },
    ]);
    expect(answer.status).toBe(200);
    expect((await t.rawRows(prefix)).map((r) => r.order_status)).toEqual(["Shipped", "Delivered"]);
    const shipped = await t.api.get(`/?status=sHiPpEd&order_id=${encodeURIComponent(`${prefix}000000`)}`);
    expect(shipped.body).toEqual([expect.objectContaining({ order_id: `${prefix}000000`, order_status: "Shipped" })]);
    const none = await t.api.get(`/?status=pending&order_id=${encodeURIComponent(`${prefix}000000`)}`);
    expect(none.body).toEqual([]);
  });

  test("unknown fields are kept in raw_payload, with the request id and caller", async () => {
    const prefix = uniquePrefix("raw");
    const sent = { ...makeOrders(prefix, 1)[0], coupon: "SUMMER25", lines: [{ sku: "L-1", qty: 2 }] };
    const answer = await t.api.post(sent, { "x-app-name": "checkout-web" });
    expect(answer.status).toBe(200);
    const [row] = await t.rawRows(prefix);
    expect(JSON.parse(row.raw_payload as string)).toEqual(sent);
    expect(row.request_id).toBe(answer.headers.get("x-request-id"));
    expect(row.caller).toBe("checkout-web");
  });

  test("a resent batch stores each event once; a client event_id is the idempotency key", async () => {
    const prefix = uniquePrefix("resend");
    const batch = [...makeOrders(prefix, 3), { ...makeOrders(prefix, 4)[3], event_id: `${prefix}client-key` }];
    const first = await t.api.post(batch);
    const second = await t.api.post(batch);
    const partOfIt = await t.api.post(batch.slice(1, 3));
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((partOfIt.body as { event_ids: string[] }).event_ids).toEqual((first.body as { event_ids: string[] }).event_ids.slice(1, 3));
    expect((first.body as { event_ids: string[] }).event_ids[3]).toBe(`${prefix}client-key`);

    const stored = await t.rawRows(prefix);
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(4);
    for (const id of batch.map((o) => o.order_id as string)) {
      const order = await t.api.get(`/orders/${encodeURIComponent(id)}`);
      expect(order.status).toBe(200);
      expect((order.body as { history: unknown[] }).history).toHaveLength(1);
    }
  });
});

describe("versions of one order", () => {
  test("a late arrival takes its place by updated_at; latest and history are right", async () => {
    const id = `${uniquePrefix("late")}order`;
    const base = { order_id: id, order_date: "2025-08-08T08:00:00Z", order_details: "Laptop" };
    expect((await t.api.post([
      { ...base, order_status: "Pending", updated_at: "2025-08-08T09:00:00Z" },
      { ...base, order_status: "Shipped", updated_at: "2025-08-08T12:00:00+00:00" },
    ])).status).toBe(200);
    // Arrives last, happened in between.
    expect((await t.api.post({ ...base, order_status: "processing", updated_at: "2025-08-08T12:00:00+02:00" })).status).toBe(200);

    const answer = await t.api.get(`/orders/${encodeURIComponent(id)}`);
    expect(answer.status).toBe(200);
    const body = answer.body as { order: Record<string, unknown>; history: Array<Record<string, unknown>> };
    expect(body.order).toMatchObject({ order_id: id, order_status: "Shipped", updated_at: "2025-08-08T12:00:00Z", version_count: 3 });
    expect(body.history.map((v) => [v.version, v.order_status, v.updated_at])).toEqual([
      [1, "Pending", "2025-08-08T09:00:00Z"],
      [2, "Processing", "2025-08-08T10:00:00Z"],
      [3, "Shipped", "2025-08-08T12:00:00Z"],
    ]);
    const listed = await t.api.get(`/?order_id=${encodeURIComponent(id)}`);
    expect(listed.body).toEqual([expect.objectContaining({ order_id: id, order_status: "Shipped" })]);
  });

  test("a version without updated_at counts from its ingest time", async () => {
    const id = `${uniquePrefix("no-updated")}order`;
    const base = { order_id: id, order_date: "2025-08-08T08:00:00Z" };
    await t.api.post({ ...base, order_status: "Pending", updated_at: "2025-08-08T09:00:00Z" });
    await t.api.post({ ...base, order_status: "Cancelled" });
    const answer = await t.api.get(`/orders/${encodeURIComponent(id)}`);
    expect((answer.body as { order: { order_status: string } }).order.order_status).toBe("Cancelled");
  });

  test("an unknown order is a JSON 404", async () => {
    const answer = await t.api.get(`/orders/${encodeURIComponent(uniquePrefix("missing"))}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: "not_found", message: expect.stringMatching(/no order with order_id/) });
  });

  test("an order_id with reserved URL characters round-trips", async () => {
    const id = `${uniquePrefix("odd")}a/b?c#d é`;
    expect((await t.api.post({ order_id: id, order_date: "2025-08-08T08:00:00Z", order_status: "Pending" })).status).toBe(200);
    const answer = await t.api.get(`/orders/${encodeURIComponent(id)}`);
    expect(answer.status).toBe(200);
    expect((answer.body as { order: { order_id: string } }).order.order_id).toBe(id);
  });
});

describe("pages", () => {
  test("Link rel=next walks a filtered list in order_id order", async () => {
    const prefix = uniquePrefix("page");
    const orders = makeOrders(prefix, 7, { order_status: "Returned" });
    expect((await t.api.post(orders)).status).toBe(200);
    const seen: string[] = [];
    let url: string | undefined = `${t.stack.url}/?status=returned&limit=3`;
    let pages = 0;
    while (url && pages < 10) {
      pages++;
      const answer = await t.api.get(url.slice(t.stack.url.length));
      expect(answer.status).toBe(200);
      seen.push(...(answer.body as Array<{ order_id: string }>).map((o) => o.order_id));
      const link = answer.headers.get("link");
      url = link ? new URL(/^<([^>]*)>; rel="next"$/.exec(link)?.[1] ?? "", url).href : undefined;
    }
    expect(seen.filter((id) => id.startsWith(prefix))).toEqual(orders.map((o) => o.order_id));
    expect(pages).toBe(3);
  });
});
