/** What every handler gets and what it returns; app.ts writes the result and the log line. */
import type { BigQuery } from "@google-cloud/bigquery";
import type { Request } from "@google-cloud/functions-framework";
import type { Config } from "../config";

export interface HandlerContext {
  req: Request;
  config: Config;
  client: BigQuery;
  requestId: string;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Extra fields for the request's log line (counts, never rows). */
  log?: Record<string, unknown>;
}
