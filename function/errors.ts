/**
 * Every non-2xx answer of the API: one error class, one JSON body shape
 * `{"error": code, "message": text, "details"?: [...]}`, and the answers to
 * BigQuery failures: 503 + Retry-After only when a resend can succeed.
 */
import type { Response } from "@google-cloud/functions-framework";
import type { BigQueryFailure } from "./bigquery_failure";
import type { RowProblem } from "./order_schema";

export type ErrorCode =
  | "invalid_orders"
  | "invalid_json"
  | "invalid_body"
  | "empty_body"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "not_found"
  | "invalid_parameter"
  | "bigquery_unavailable"
  | "query_limit_exceeded"
  | "warehouse_error"
  | "internal_error";

/** An answer the API gives on purpose; anything else thrown becomes 500 internal_error. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: RowProblem[],
    readonly headers: Record<string, string> = {},
    /** Extra fields for the request's log line (e.g. what the queries cost before the 404). */
    readonly log?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): { error: ErrorCode; message: string; details?: RowProblem[] } {
    return this.details ? { error: this.code, message: this.message, details: this.details } : { error: this.code, message: this.message };
  }
}

/** Writes an HttpError as JSON with its headers. */
export const sendError = (res: Response, err: HttpError): void => {
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.status(err.status).json(err.toBody());
};

/** The request log line's account of what BigQuery said (its reason, or the network error code). */
const failureLog = (failure: BigQueryFailure): Record<string, unknown> => ({ bigqueryReason: failure.reason, bigqueryStatus: failure.status });

/** 503 with Retry-After: the client should resend the same request; event ids make that safe. */
export const unavailable = (retryAfterSeconds: number, failure?: BigQueryFailure): HttpError =>
  new HttpError(
    503,
    "bigquery_unavailable",
    `BigQuery is unavailable; resend the same request after ${retryAfterSeconds} s (orders already stored are not stored twice)`,
    undefined,
    { "Retry-After": String(retryAfterSeconds) },
    failure && failureLog(failure),
  );

const NO_RETRY = "Resending the same request fails the same way until the operator acts";

/** 500, no Retry-After: BigQuery refuses the query for its size; the message tells the operator which limit. */
export const queryLimitExceeded = (failure: BigQueryFailure, maxBytesBilled: number): HttpError =>
  new HttpError(
    500,
    "query_limit_exceeded",
    failure.reason === "bytesBilledLimitExceeded"
      ? `BigQuery refused the query: it would bill more bytes than MAX_BYTES_BILLED (${maxBytesBilled}) allows. ${NO_RETRY}: raise MAX_BYTES_BILLED or make the warehouse cheaper to read.`
      : `BigQuery refused the query as too large for its resources (${failure.reason}). ${NO_RETRY}.`,
    undefined,
    {},
    failureLog(failure),
  );

/** 500, no Retry-After: a table or view is missing or does not match what the function expects. */
export const warehouseError = (failure: BigQueryFailure): HttpError =>
  new HttpError(
    500,
    "warehouse_error",
    `BigQuery refused the request (${failure.reason ?? `HTTP ${failure.status}`}): a table or view of the warehouse is missing or broken. ${NO_RETRY}: repair the warehouse (dataform run).`,
    undefined,
    {},
    failureLog(failure),
  );

export const internalError = (): HttpError => new HttpError(500, "internal_error", "internal error; the request id in the logs tells what happened");
