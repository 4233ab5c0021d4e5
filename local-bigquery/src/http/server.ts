/**
 * The HTTP adapter: one route table served under /projects/... and
 * /bigquery/v2/projects/..., JSON bodies up to 10 MB, every answer rendered
 * here (BigQuery's error envelope for every failure), and a deadline per request.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { BigQueryError } from "../errors";
import { asBigQueryError } from "../jobs/job_registry";
import { errorBody } from "./error_body";
import type { RequestParts, Route } from "./route";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const REQUEST_DEADLINE_MS = 120_000;
const PREFIXES = ["", "/bigquery/v2"];

export interface ServerOptions {
  logger: FastifyBaseLogger;
  deadlineMs?: number;
}

export function buildServer(routes: Route[], opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    // Clients keep connections alive; closing them must not wait on idle sockets at shutdown.
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
  });

  // Accept any content type as JSON text; an empty body is no body (DELETE, some POSTs).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, text, done) => {
    const body = String(text);
    if (body.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      done(new BigQueryError("invalid", "Invalid JSON payload received: the request body is not valid JSON"), undefined);
    }
  });

  const deadlineMs = opts.deadlineMs ?? REQUEST_DEADLINE_MS;
  for (const route of routes) {
    for (const prefix of PREFIXES) {
      app.route({
        method: route.method,
        url: prefix + route.url,
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const parts: RequestParts = {
            params: request.params as Record<string, string>,
            query: request.query as RequestParts["query"],
            body: request.body,
            headers: request.headers,
          };
          const result = await withDeadline(Promise.resolve().then(() => route.handler(parts)), deadlineMs);
          const status = result.status ?? 200;
          if (status === 204) return reply.code(204).send();
          return reply.code(status).header("content-type", "application/json; charset=UTF-8").send(result.body ?? {});
        },
      });
    }
  }

  app.setNotFoundHandler((request, reply) => {
    const error = new BigQueryError("notFound", `Not found: ${request.method} ${request.url.split("?")[0]}`);
    void reply.code(404).send(errorBody(error));
  });

  app.setErrorHandler((raw: unknown, request, reply) => {
    const error = toBigQueryError(raw);
    if (error.status >= 500) request.log.error({ err: raw }, "request failed");
    void reply.code(error.status).send(errorBody(error));
  });

  return app;
}

function toBigQueryError(raw: unknown): BigQueryError {
  if (raw instanceof BigQueryError) return raw;
  const code = (raw as { code?: string } | null)?.code;
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new BigQueryError("invalid", `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`, undefined, 413);
  }
  const statusCode = (raw as { statusCode?: number } | null)?.statusCode;
  if (typeof code === "string" && code.startsWith("FST_") && statusCode && statusCode < 500) {
    return new BigQueryError("invalid", (raw as Error).message, undefined, statusCode);
  }
  return asBigQueryError(raw);
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BigQueryError("backendError", `The request did not finish within its deadline of ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
