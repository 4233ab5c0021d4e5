/** Which BigQuery failures a resend can fix (503 + Retry-After), which it cannot (500, own code), and which are ours (500). */
import { loadConfig } from "../../function/config";
import { HttpError } from "../../function/errors";
import { toHttpError } from "../../function/app";

const config = loadConfig({ BIGQUERY_PROJECT: "p", RETRY_AFTER_SECONDS: "7" });

// The shapes @google-cloud/common's ApiError and the client's PartialFailureError take.
const apiError = (code: number | undefined, reason: string, message = reason) => Object.assign(new Error(message), { code, errors: [{ reason, message }] });
const partial = (...reasons: string[]) =>
  Object.assign(new Error("A failure occurred during this request."), { name: "PartialFailureError", errors: reasons.map((reason, row) => ({ row, errors: [{ reason, message: "" }] })) });

const bigQueryFailures: Array<[string, unknown]> = [
  ["an API 500", Object.assign(new Error("backendError"), { code: 500 })],
  ["an API 503", Object.assign(new Error("unavailable"), { code: 503 })],
  ["backendError", apiError(503, "backendError")],
  ["rateLimitExceeded (403)", apiError(403, "rateLimitExceeded")],
  ["a failed job's errorResult without a status: internalError", apiError(undefined, "internalError")],
  ["insert rows failed by backendError, the others stopped", partial("backendError", "stopped")],
  ["connection refused", Object.assign(new Error("request failed, reason: connect ECONNREFUSED 127.0.0.1:9050"), { name: "FetchError", code: "ECONNREFUSED" })],
  ["a reset connection", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
  ["a timeout", Object.assign(new Error("network timeout at: http://127.0.0.1:9050/"), { name: "FetchError", type: "request-timeout" })],
  ["a partial insert failure without reasons", Object.assign(new Error("A failure occurred during this request."), { name: "PartialFailureError", errors: [] })],
];

const refusals: Array<[string, unknown, string]> = [
  ["bytesBilledLimitExceeded", apiError(400, "bytesBilledLimitExceeded"), "query_limit_exceeded"],
  ["resourcesExceeded", apiError(400, "resourcesExceeded"), "query_limit_exceeded"],
  ["a failed job's bytesBilledLimitExceeded without a status", apiError(undefined, "bytesBilledLimitExceeded"), "query_limit_exceeded"],
  ["notFound (missing view)", apiError(404, "notFound", "Not found: Table p:d.latest_order_v"), "warehouse_error"],
  ["invalidQuery (broken view)", apiError(400, "invalidQuery"), "warehouse_error"],
  ["accessDenied", apiError(403, "accessDenied"), "warehouse_error"],
  ["a 404 without reasons", Object.assign(new Error("Not found"), { code: 404 }), "warehouse_error"],
  ["insert rows refused as invalid, the others stopped", partial("stopped", "invalid", "stopped"), "warehouse_error"],
  ["insert rows invalid and backendError: invalid ones never succeed", partial("backendError", "invalid"), "warehouse_error"],
];

describe("toHttpError", () => {
  test.each(bigQueryFailures)("answers %s with 503 and Retry-After", (_name, err) => {
    const http = toHttpError(err, config);
    expect(http.status).toBe(503);
    expect(http.code).toBe("bigquery_unavailable");
    expect(http.headers).toEqual({ "Retry-After": "7" });
    expect(http.message).not.toMatch(/127\.0\.0\.1|ECONN/); // no internals in the answer
  });

  test.each(refusals)("answers %s with 500 and no Retry-After", (_name, err, code) => {
    const http = toHttpError(err, config);
    expect(http.status).toBe(500);
    expect(http.code).toBe(code);
    expect(http.headers).toEqual({});
    expect(http.message).not.toMatch(/resend the same request after/);
    expect(http.message).toMatch(/until the operator acts/);
  });

  test("names MAX_BYTES_BILLED and its value when the bytes cap refused the query", () => {
    expect(toHttpError(apiError(400, "bytesBilledLimitExceeded"), loadConfig({ BIGQUERY_PROJECT: "p", MAX_BYTES_BILLED: "1000" })).message).toMatch(/MAX_BYTES_BILLED \(1000\)/);
  });

  test("answers a bug with 500 and no details", () => {
    const http = toHttpError(new TypeError("Cannot read properties of undefined"), config);
    expect(http.status).toBe(500);
    expect(http.toBody()).toEqual({ error: "internal_error", message: expect.not.stringMatching(/Cannot read/) });
  });

  test("passes an HttpError through", () => {
    const err = new HttpError(404, "not_found", "no order");
    expect(toHttpError(err, config)).toBe(err);
  });
});
