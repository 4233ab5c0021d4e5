/**
 * The `orders` function as an http.Server that is not yet listening: the
 * functions-framework server (same Express app, body parsing and routing as
 * Cloud Functions runs) for `npm start`, the tests and the benchmark.
 *
 * Body-parser failures are answered by the handler itself (body_errors.ts), as
 * in Cloud Functions. One local addition: Express's router refuses a path it
 * cannot percent-decode before any handler runs; an error handler appended to
 * the app answers that in JSON too (Cloud Functions answers it 400 itself).
 */
import type { Server } from "node:http";
import type { Request, Response } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { bodyParserAnswer, type BodyParserError } from "./body_errors";
import { sendError } from "./errors";
import "./index";

type ExpressApp = { use(handler: (err: BodyParserError, req: Request, res: Response, next: (err?: unknown) => void) => void): unknown };

/** A fresh server for the registered `orders` function; call `listen` on it. */
export const createServer = (): Server => {
  const server = getTestServer("orders");
  // functions-framework passes its Express app to http.createServer: it is the request listener.
  const app = server.listeners("request")[0] as unknown as ExpressApp;
  app.use((err, _req, res, next) => {
    if (res.headersSent) return next(err);
    sendError(res, bodyParserAnswer(err));
  });
  return server;
};
