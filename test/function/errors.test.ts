/** Which failures are BigQuery's (answered 503 + Retry-After) and which are ours (500). */
import { loadConfig } from "../../function/config";
import { HttpError } from "../../function/errors";
import { toHttpError } from "../../function/app";

const config = loadConfig({ BIGQUERY_PROJECT: "p", RETRY_AFTER_SECONDS: "7" });

const bigQueryFailures: Array<[string, unknown]> = [
  ["an API 500", Object.assign(new Error("backendError"), { code: 500 })],
  ["an API 503", Object.assign(new Error("unavailable"), { code: 503 })],
  ["a 404 (table missing)", Object.assign(new Error("Not found: Table"), { code: 404 })],
  ["connection refused", Object.assign(new Error("request failed, reason: connect ECONNREFUSED 127.0.0.1:9050"), { name: "FetchError", code: "ECONNREFUSED" })],
  ["a reset connection", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
  ["a timeout", Object.assign(new Error("network timeout at: http://127.0.0.1:9050/"), { name: "FetchError", type: "request-timeout" })],
  ["a partial insert failure", Object.assign(new Error("A failure occurred during this request."), { name: "PartialFailureError", errors: [] })],
];

describe("toHttpError", () => {
  test.each(bigQueryFailures)("answers %s with 503 and Retry-After", (_name, err) => {
    const http = toHttpError(err, config);
    expect(http.status).toBe(503);
    expect(http.code).toBe("bigquery_unavailable");
    expect(http.headers).toEqual({ "Retry-After": "7" });
    expect(http.message).not.toMatch(/127\.0\.0\.1|ECONN/); // no internals in the answer
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
