/**
 * The `orders` HTTP function: routes, error answers and the one log line per
 * request. Dependencies are passed in, so tests and the benchmark build the same
 * handler the deployed entry point registers.
 */
import { randomUUID } from "node:crypto";
import type { HttpFunction, Request, Response } from "@google-cloud/functions-framework";
import type { Logger } from "pino";
import { bodyErrorOf, bodyParserAnswer } from "./body_errors";
import type { Config } from "./config";
import { bigQueryFailureOf } from "./bigquery_failure";
import { HttpError, internalError, queryLimitExceeded, sendError, unavailable, warehouseError } from "./errors";
import type { HandlerContext, HandlerResult } from "./handlers/context";
import { getOrder } from "./handlers/get_order";
import { getOrders } from "./handlers/get_orders";
import { postOrders } from "./handlers/post_orders";
import { traceFields } from "./logger";
import { bigQuery } from "./warehouse";

const ORDER_PATH = /^\/orders\/([^/]+)$/;

const methodNotAllowed = (allow: string, method: string): HttpError =>
  new HttpError(405, "method_not_allowed", `${method} is not allowed here; use ${allow}`, undefined, { Allow: allow });

/** Picks the handler for a method and path, or throws 404/405. */
const route = (ctx: HandlerContext): Promise<HandlerResult> => {
  const { method, path } = ctx.req;
  if (path === "/") {
    if (method === "GET") return getOrders(ctx);
    if (method === "POST") return postOrders(ctx);
    throw methodNotAllowed("GET, POST", method);
  }
  const match = ORDER_PATH.exec(path);
  if (match) {
    if (method === "GET") return getOrder(ctx, match[1]);
    throw methodNotAllowed("GET", method);
  }
  throw new HttpError(404, "not_found", `no resource at ${path}; the API serves / and /orders/{order_id}`);
};

/** Turns whatever a handler threw into the answer the API documents. */
export const toHttpError = (err: unknown, config: Config): HttpError => {
  if (err instanceof HttpError) return err;
  const failure = bigQueryFailureOf(err);
  if (failure?.kind === "retry") return unavailable(config.retryAfterSeconds, failure);
  if (failure?.kind === "query_limit") return queryLimitExceeded(failure, config.maxBytesBilled);
  if (failure?.kind === "warehouse") return warehouseError(failure);
  return internalError();
};

/** One line for the log: name, code, message and, for insert errors, how many rows failed and the first reason. */
const errorSummary = (err: unknown): string => {
  const e = err as { name?: string; code?: unknown; message?: string; errors?: Array<{ errors?: Array<{ reason?: string; message?: string }> }> };
  const rows = e.name === "PartialFailureError" && Array.isArray(e.errors) ? e.errors : undefined;
  const first = rows?.[0]?.errors?.[0];
  const insert = rows ? `${rows.length} rows failed, first: ${first?.reason} ${first?.message ?? ""}`.trim() : undefined;
  return [e.name, e.code, e.message?.split("\n")[0].slice(0, 200), insert].filter((x) => x !== undefined && x !== "").join(": ");
};

/**
 * @param config - validated configuration
 * @param logger - the process logger
 */
export const createOrdersHandler = (config: Config, logger: Logger): HttpFunction => {
  return async (req: Request, res: Response): Promise<void> => {
    const started = process.hrtime.bigint();
    const requestId = req.executionId ?? randomUUID();
    res.setHeader("X-Request-Id", requestId);
    let result: HandlerResult | undefined;
    let failure: { http: HttpError; cause: unknown } | undefined;
    try {
      const bodyError = bodyErrorOf(req);
      if (bodyError) throw bodyParserAnswer(bodyError);
      result = await route({ req, config, client: bigQuery(config), requestId });
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      res.status(result.status).json(result.body);
    } catch (err) {
      failure = { http: toHttpError(err, config), cause: err };
      sendError(res, failure.http);
    }
    const status = failure?.http.status ?? result?.status ?? 500;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const line = {
      ...traceFields(req.header("x-cloud-trace-context"), config.projectId),
      requestId,
      httpRequest: {
        requestMethod: req.method,
        requestUrl: req.originalUrl,
        status,
        latency: `${seconds.toFixed(3)}s`,
        requestSize: String(req.rawBody?.length ?? 0),
        userAgent: req.header("user-agent"),
        remoteIp: req.ip,
      },
      ...result?.log,
      // For a BigQuery failure: its reason and status, so the log names what is behind a 5xx.
      ...failure?.http.log,
      ...(failure && { error: failure.http.code, detail: failure.http.status >= 500 ? errorSummary(failure.cause) : failure.http.message }),
    };
    const message = `${req.method} ${req.path} ${status}`;
    if (status >= 500) {
      // An internal_error is a bug here: keep the stack in the log, never in the answer.
      const stack = failure?.http.code === "internal_error" ? (failure.cause as Error)?.stack : undefined;
      logger.error({ ...line, ...(stack && { stack }) }, message);
    } else {
      logger.info(line, message);
    }
  };
};
