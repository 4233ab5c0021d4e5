/**
 * What a BigQuery client failure means for the caller: whether resending can
 * succeed. Judged by BigQuery's documented `errors[].reason` (and the HTTP
 * status when no reason came), as https://cloud.google.com/bigquery/docs/error-messages lists them.
 */

/** `retry`: transient, resend later. `query_limit`: the query is refused for its size. `warehouse`: a fault only an operator can fix. */
export type FailureKind = "retry" | "query_limit" | "warehouse";

export interface BigQueryFailure {
  kind: FailureKind;
  /** BigQuery's reason (the first one that decided the kind), or the network error code. */
  reason?: string;
  /** The HTTP status BigQuery answered, when it answered. */
  status?: number;
}

interface ClientErrorShape {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  errors?: unknown;
}

// Network failures as Node and gaxios/node-fetch name them: BigQuery could not be reached or did not answer.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);
const NETWORK_NAMES = new Set(["AbortError", "FetchError", "GaxiosError", "TimeoutError"]);
const NETWORK_MESSAGE = /socket hang up|network timeout|ECONNREFUSED|ECONNRESET|timed? ?out/i;

/** Reasons BigQuery documents as transient ("retry", "retry with backoff"). */
const TRANSIENT = new Set(["backendError", "rateLimitExceeded", "internalError", "timeout", "jobBackendError", "jobInternalError"]);
/** Refusals of a query for what it would read or return. */
const QUERY_LIMITS = new Set(["bytesBilledLimitExceeded", "resourcesExceeded", "responseTooLarge"]);
/** insertAll marks rows it did not write only because others in the request failed: they decide nothing. */
const BYSTANDER = "stopped";

const reasonsOf = (errors: unknown): string[] => {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: { reason?: unknown; errors?: unknown }) => {
    // PartialFailureError: errors = [{row, errors: [{reason, message}]}]; ApiError: errors = [{reason, message}].
    if (Array.isArray(e?.errors)) return reasonsOf(e.errors);
    return typeof e?.reason === "string" ? [e.reason] : [];
  });
};

/**
 * Classifies an error thrown by the BigQuery client, or undefined when it did
 * not come from BigQuery or the way to it (a bug here).
 */
export const bigQueryFailureOf = (err: unknown): BigQueryFailure | undefined => {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as ClientErrorShape;
  const status = typeof e.code === "number" ? e.code : undefined;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return { kind: "retry", reason: e.code };
  const reasons = reasonsOf(e.errors).filter((r) => r !== BYSTANDER);
  const limit = reasons.find((r) => QUERY_LIMITS.has(r));
  if (limit) return { kind: "query_limit", reason: limit, status };
  const permanent = reasons.find((r) => !TRANSIENT.has(r));
  if (permanent) return { kind: "warehouse", reason: permanent, status };
  if (reasons.length > 0) return { kind: "retry", reason: reasons[0], status };
  if (status !== undefined && status >= 400) return { kind: status >= 500 || status === 429 ? "retry" : "warehouse", status };
  // A partial insert failure whose rows were all only stopped (or carry no reason): resending them can succeed.
  if (e.name === "PartialFailureError") return { kind: "retry" };
  if (NETWORK_NAMES.has(String(e.name)) || (typeof e.message === "string" && NETWORK_MESSAGE.test(e.message))) return { kind: "retry" };
  return undefined;
};
