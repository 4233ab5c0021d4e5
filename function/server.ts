/**
 * The `orders` function as an http.Server that is not yet listening: the
 * functions-framework server (same Express app, body parsing and routing as
 * Cloud Functions runs) for `npm start`, the tests and the benchmark.
 *
 * One addition: functions-framework answers a body that body-parser refuses
 * (malformed JSON, a JSON scalar, an unknown charset) with Express's HTML error
 * page, which includes a stack trace unless NODE_ENV=production. An error
 * handler appended to its Express app gives those the API's JSON answers.
 */
import type { Server } from "node:http";
import type { Request, Response } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { HttpError, internalError, sendError } from "./errors";
import "./index";

interface BodyParserError {
  type?: string;
  status?: number;
  body?: string;
  message?: string;
}

/** Maps a body-parser failure onto the API's answers. */
export const bodyParserAnswer = (err: BodyParserError): HttpError => {
  if (err.type === "entity.parse.failed" && (err.body ?? "").trim() === "") {
    return new HttpError(400, "empty_body", "the body is empty; send a JSON array of orders or one order object");
  }
  if (err.type === "entity.parse.failed") {
    let scalar = false;
    try {
      JSON.parse(err.body ?? "");
      scalar = true; // valid JSON that strict mode refused: a string, number, boolean or null
    } catch {
      // not JSON at all
    }
    return scalar
      ? new HttpError(400, "invalid_body", "the body must be a JSON array of orders or one order object")
      : new HttpError(400, "invalid_json", `the body is not valid JSON: ${(err.message ?? "").slice(0, 200)}`);
  }
  if (err.status === 415) return new HttpError(415, "unsupported_media_type", err.message ?? "unsupported charset or encoding");
  if (err.status === 413) return new HttpError(413, "payload_too_large", err.message ?? "the body is too large");
  if (err.status === 400 && err.type === undefined) {
    // Express's router refuses a path it cannot percent-decode before any handler runs.
    return new HttpError(400, "invalid_parameter", "the URL path is not valid percent-encoding");
  }
  if (err.status === 400) return new HttpError(400, "invalid_body", err.message ?? "the body could not be read");
  return internalError();
};

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
