/**
 * The product for the function's integration tests: a fresh local BigQuery in a
 * temporary directory, the warehouse created by the real `dataform run`, and the
 * function served by functions-framework on a free port (scripts/start.ts), plus
 * a real BigQuery client to look at orders_raw directly.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BigQuery } from "@google-cloud/bigquery";
import { LOCAL_PROJECT, startStack, type Stack } from "../../scripts/start";
import { ApiClient } from "./api_client";
import { requireVmModules } from "./vm_modules";

export interface TestStack {
  stack: Stack;
  api: ApiClient;
  bigquery: BigQuery;
  /** Rows of orders_raw whose order_id starts with `prefix`. */
  rawRows(prefix: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export const startTestStack = async (env: Record<string, string> = {}): Promise<TestStack> => {
  requireVmModules();
  const dataDir = mkdtempSync(join(tmpdir(), "orders-function-test-"));
  const stack = await startStack({ port: 0, bigqueryPort: 0, dataDir, env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", ...env } });
  const bigquery = new BigQuery({ projectId: LOCAL_PROJECT, apiEndpoint: stack.bigqueryUrl });
  return {
    stack,
    api: new ApiClient(stack.url),
    bigquery,
    rawRows: async (prefix) => {
      const [rows] = await bigquery.query({
        query: `SELECT event_id, order_id, order_status, TO_JSON_STRING(raw_payload) AS raw_payload, request_id, caller
                FROM \`${LOCAL_PROJECT}.ecommerce_orders.orders_raw\` WHERE STARTS_WITH(order_id, @prefix) ORDER BY order_id, event_id`,
        params: { prefix },
      });
      return rows as Array<Record<string, unknown>>;
    },
    close: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

let counter = 0;
/** A prefix no other test in the run uses, so each test sees only its own orders. */
export const uniquePrefix = (name: string): string => `${name}-${process.pid}-${++counter}-`;

/** `n` distinct valid orders whose ids start with `prefix` (zero-padded, so they sort numerically). */
export const makeOrders = (prefix: string, n: number, fields: Record<string, unknown> = {}): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({
    order_id: `${prefix}${String(i).padStart(6, "0")}`,
    order_date: "2025-08-08T10:00:00Z",
    order_details: `item ${i}`,
    order_status: "Pending",
    ...fields,
  }));
