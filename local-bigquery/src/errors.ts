/**
 * BigQuery's error reasons, each with the HTTP status BigQuery answers it with.
 * Every layer throws BigQueryError; the HTTP layer renders BigQuery's envelope:
 * {"error":{"code","message","errors":[{"message","domain":"global","reason","location"?}],"status"}}.
 * A user's mistake is never a 5xx: the clients retry those.
 */
export const REASONS = {
  invalid: 400,
  invalidQuery: 400,
  badRequest: 400,
  notFound: 404,
  /** Row-level security: an operation needing every row of a table the caller may not read whole. */
  accessDenied: 403,
  /** If-Match named an etag the resource no longer has. */
  conditionNotMet: 412,
  duplicate: 409,
  /** Deleting a dataset that still holds tables without deleteContents. */
  resourceInUse: 400,
  responseTooLarge: 403,
  resourcesExceeded: 400,
  bytesBilledLimitExceeded: 400,
  notImplemented: 501,
  stopped: 400,
  timeout: 400,
  backendError: 503,
  internalError: 500,
} as const;

export type Reason = keyof typeof REASONS;

export class BigQueryError extends Error {
  readonly reason: Reason;
  readonly status: number;
  /** A field or query position, as BigQuery's `location` ("query", "order_id", ...). */
  readonly location?: string;

  constructor(reason: Reason, message: string, location?: string, status?: number) {
    super(message);
    this.name = "BigQueryError";
    this.reason = reason;
    this.status = status ?? REASONS[reason];
    this.location = location;
  }
}

export const notFound = (message: string): BigQueryError => new BigQueryError("notFound", message);
export const duplicate = (message: string): BigQueryError => new BigQueryError("duplicate", message);
export const invalid = (message: string, location?: string): BigQueryError =>
  new BigQueryError("invalid", message, location);
export const invalidQuery = (message: string): BigQueryError => new BigQueryError("invalidQuery", message, "query");
/** The engine cannot do this: 400, so clients do not retry, with a message that says what to do instead. */
export const unsupported = (message: string): BigQueryError => new BigQueryError("invalidQuery", message, "query");
