/**
 * Every non-2xx answer of the API: one error class, one JSON body shape
 * `{"error": code, "message": text, "details"?: [...]}`, and the mapping of
 * BigQuery client failures onto 503 + Retry-After.
 */
import type { Response } from "@google-cloud/functions-framework";
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

interface ClientErrorShape {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  errors?: unknown;
  response?: unknown;
}

// Network failures as Node and gaxios/node-fetch name them: BigQuery could not be reached or did not answer.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * Whether an error came from BigQuery or the way to it (as opposed to a bug here):
 * HTTP errors of the API (ApiError carries a numeric code), partial insert
 * failures, network errors and timeouts.
 */
export const isBigQueryFailure = (err: unknown): boolean => {
  if (typeof err !== "object" || err === null) return false;
  const e = err as ClientErrorShape;
  if (e.name === "PartialFailureError") return true;
  if (typeof e.code === "number" && e.code >= 400) return true;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
  if (e.name === "AbortError" || e.name === "FetchError" || e.name === "GaxiosError" || e.name === "TimeoutError") return true;
  return typeof e.message === "string" && /socket hang up|network timeout|ECONNREFUSED|ECONNRESET|timed? ?out/i.test(e.message);
};

/** 503 with Retry-After: the client should resend the same request; event ids make that safe. */
export const unavailable = (retryAfterSeconds: number): HttpError =>
  new HttpError(503, "bigquery_unavailable", `BigQuery is unavailable; resend the same request after ${retryAfterSeconds} s (orders already stored are not stored twice)`, undefined, {
    "Retry-After": String(retryAfterSeconds),
  });

export const internalError = (): HttpError => new HttpError(500, "internal_error", "internal error; the request id in the logs tells what happened");
