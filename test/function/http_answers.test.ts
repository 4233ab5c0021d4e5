/**
 * Answers given before BigQuery is involved, through the real functions-framework
 * server on a real port: body handling (what body-parser leaves), media types,
 * methods, paths and parameters. BIGQUERY_EMULATOR_HOST points at a closed port,
 * so a request that reached BigQuery would answer 503, not the status expected here.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiClient } from "./api_client";
import { requireVmModules } from "./vm_modules";

let server: Server;
let api: ApiClient;

beforeAll(async () => {
  process.env.BIGQUERY_PROJECT = "local-project";
  process.env.BIGQUERY_EMULATOR_HOST = "http://127.0.0.1:9";
  process.env.BIGQUERY_MAX_RETRIES = "0";
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "silent";
  process.env.MAX_BODY_BYTES = String(64 * 1024);
  process.env.MAX_ORDERS_PER_REQUEST = "100";
  // Loaded after the environment is set: the module reads its configuration at load, as in production.
  const { createServer } = await import("../../function/server");
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const order = { order_id: "A1001", order_date: "2025-08-08T10:00:00Z", order_details: "Laptop, Mouse", order_status: "Processing" };

interface TestData {
  name: string;
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  error: string;
  message: RegExp;
  header?: [string, string];
}

const cases: TestData[] = [
  { name: "malformed JSON", body: '[{"order_id": "A1"', status: 400, error: "invalid_json", message: /not valid JSON/ },
  { name: "a JSON string", body: '"A1001"', status: 400, error: "invalid_body", message: /array of orders or one order object/ },
  { name: "a JSON number", body: "42", status: 400, error: "invalid_body", message: /array of orders or one order object/ },
  { name: "JSON null", body: "null", status: 400, error: "invalid_body", message: /array of orders or one order object/ },
  { name: "an empty body", body: "", status: 400, error: "empty_body", message: /body is empty/ },
  { name: "a blank body", body: "  \n", status: 400, error: "empty_body", message: /body is empty/ },
  { name: "an empty array", body: "[]", status: 400, error: "empty_body", message: /array is empty/ },
  { name: "text/plain", body: JSON.stringify([order]), headers: { "content-type": "text/plain" }, status: 415, error: "unsupported_media_type", message: /application\/json/ },
  { name: "form data", body: "order_id=A1", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, error: "unsupported_media_type", message: /application\/json/ },
  { name: "cloudevents JSON", body: JSON.stringify([order]), headers: { "content-type": "application/cloudevents+json" }, status: 415, error: "unsupported_media_type", message: /application\/json/ },
  { name: "no content type", body: JSON.stringify([order]), headers: { "content-type": "" }, status: 415, error: "unsupported_media_type", message: /application\/json/ },
  { name: "an unknown charset", body: "[]", headers: { "content-type": "application/json; charset=klingon" }, status: 415, error: "unsupported_media_type", message: /charset/ },
  { name: "a body above the byte limit", body: JSON.stringify([{ ...order, order_details: "x".repeat(65 * 1024) }]), status: 413, error: "payload_too_large", message: /limit is 65536 bytes/ },
  { name: "more orders than allowed", body: JSON.stringify(Array.from({ length: 101 }, () => order)), status: 413, error: "payload_too_large", message: /101 orders; the limit is 100/ },
  { name: "PUT /", method: "PUT", body: "[]", status: 405, error: "method_not_allowed", message: /use GET, POST/, header: ["allow", "GET, POST"] },
  { name: "DELETE /", method: "DELETE", status: 405, error: "method_not_allowed", message: /use GET, POST/, header: ["allow", "GET, POST"] },
  { name: "POST /orders/A1", method: "POST", path: "/orders/A1", body: "[]", status: 405, error: "method_not_allowed", message: /use GET/, header: ["allow", "GET"] },
  { name: "an unknown path", method: "GET", path: "/order", status: 404, error: "not_found", message: /\/orders\/\{order_id\}/ },
  { name: "GET with limit=0", method: "GET", path: "/?limit=0", status: 400, error: "invalid_parameter", message: /limit must be an integer from 1 to 10000/ },
  { name: "GET with an unknown status", method: "GET", path: "/?status=lost", status: 400, error: "invalid_parameter", message: /status must be one of/ },
  { name: "GET with bad percent-encoding", method: "GET", path: "/orders/%E0%A4%A", status: 400, error: "invalid_parameter", message: /percent-encoding/ },
];

describe("answers without BigQuery", () => {
  test.each(cases)("$name -> $status $error", async ({ method = "POST", path = "/", body, headers, status, error, message, header }) => {
    const answer = await api.call(method, path, { body, headers: { "content-type": "application/json", ...headers } });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error, message: expect.stringMatching(message) });
    expect(answer.text).not.toMatch(/\bat .*\.(ts|js):\d+/); // never a stack trace
    if (header) expect(answer.headers.get(header[0])).toBe(header[1]);
  });

  test("invalid orders: every bad row and field, index by index", async () => {
    const answer = await api.post([order, { ...order, order_status: "lost" }, { order_id: "", order_date: "2025-08-08" }]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: "invalid_orders",
      message: "2 of 3 orders are invalid; nothing was stored. Fix every listed field and resend the batch.",
      details: [
        { index: 1, field: "order_status", message: expect.stringMatching(/must be one of Pending, Processing, Shipped, Delivered, Cancelled, Returned/) },
        { index: 2, field: "order_id", message: "must be a non-empty string" },
        { index: 2, field: "order_date", message: expect.stringMatching(/time zone/) },
        { index: 2, field: "order_status", message: "is required" },
      ],
    });
  });

  test("a valid batch reaches BigQuery, which is down here: 503 with Retry-After", async () => {
    requireVmModules();
    const answer = await api.post(order);
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(answer.body).toMatchObject({ error: "bigquery_unavailable" });
  });

  test("every answer carries a request id", async () => {
    const answer = await api.call("GET", "/nowhere", { headers: { "function-execution-id": "exec-42" } });
    expect(answer.headers.get("x-request-id")).toBe("exec-42");
  });
});
