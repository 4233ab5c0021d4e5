/**
 * Body-parser failures as the API's JSON answers, in Cloud Functions too.
 *
 * functions-framework runs body-parser before our handler; a body it refuses
 * (malformed JSON, a JSON scalar, an unknown charset) would otherwise reach
 * Express's final handler, which answers HTML (with a stack trace unless
 * NODE_ENV=production). The framework offers no hook for this, so at load time
 * we wrap the framework's own body-parser factories: a parse failure is kept on
 * the request and the handler answers it like any other bad input.
 */
import { createRequire } from "node:module";
import type { Request } from "@google-cloud/functions-framework";
import { HttpError, internalError } from "./errors";

export interface BodyParserError {
  type?: string;
  status?: number;
  body?: string;
  message?: string;
}

type Middleware = (req: Request, res: unknown, next: (err?: unknown) => void) => void;
type Factory = (options?: unknown) => Middleware;

const BODY_ERROR = Symbol("bodyParserError");
type WithBodyError = Request & { [BODY_ERROR]?: BodyParserError };

/** The body-parser failure of this request, if any. */
export const bodyErrorOf = (req: Request): BodyParserError | undefined => (req as WithBodyError)[BODY_ERROR];

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

let installed = false;

/** Wraps the framework's body-parser factories once; call before the framework builds its server. */
export const keepBodyParserErrors = (): void => {
  if (installed) return;
  installed = true;
  // The framework's own copy of body-parser, whichever node_modules it sits in.
  const frameworkRequire = createRequire(require.resolve("@google-cloud/functions-framework"));
  const bodyParser = frameworkRequire("body-parser") as Record<string, Factory>;
  for (const name of ["json", "text", "urlencoded", "raw"]) {
    const factory = bodyParser[name];
    bodyParser[name] = (options?: unknown): Middleware => {
      const parse = factory(options);
      return (req, res, next) =>
        parse(req, res, (err?: unknown) => {
          if (err === undefined) return next();
          (req as WithBodyError)[BODY_ERROR] = err as BodyParserError;
          next();
        });
    };
  }
};
