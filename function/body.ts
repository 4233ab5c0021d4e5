/**
 * The POST body as a list of candidate orders. functions-framework has already
 * run body-parser (limit 1024mb, strict JSON for application/json, raw/text/
 * urlencoded for everything else), so this checks what it left behind:
 * the media type, the size of the raw bytes, the JSON shape and the count.
 */
import type { Request } from "@google-cloud/functions-framework";
import type { Config } from "./config";
import { HttpError } from "./errors";

const isJsonMediaType = (header: string | undefined): boolean => (header ?? "").split(";")[0].trim().toLowerCase() === "application/json";

/**
 * @returns the orders to validate (a single object becomes a list of one)
 * @throws HttpError 415, 413 or 400 as the API documents
 */
export const readOrdersBody = (req: Request, config: Config): unknown[] => {
  if (!isJsonMediaType(req.headers["content-type"])) {
    throw new HttpError(415, "unsupported_media_type", `Content-Type must be application/json, got ${req.headers["content-type"] ?? "none"}`);
  }
  const size = req.rawBody?.length ?? 0;
  if (size > config.maxBodyBytes) {
    throw new HttpError(413, "payload_too_large", `the body is ${size} bytes; the limit is ${config.maxBodyBytes} bytes`);
  }
  // body-parser turns an empty application/json body into {}; the raw bytes tell the truth.
  if (size === 0 || (req.rawBody?.toString("utf8").trim() ?? "") === "") {
    throw new HttpError(400, "empty_body", "the body is empty; send a JSON array of orders or one order object");
  }
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null) {
    // Unreachable through body-parser's strict mode, kept so a change of parser cannot let scalars through.
    throw new HttpError(400, "invalid_body", "the body must be a JSON array of orders or one order object");
  }
  const orders = Array.isArray(body) ? body : [body];
  if (orders.length === 0) {
    throw new HttpError(400, "empty_body", "the array is empty; send at least one order");
  }
  if (orders.length > config.maxOrdersPerRequest) {
    throw new HttpError(413, "payload_too_large", `the body holds ${orders.length} orders; the limit is ${config.maxOrdersPerRequest} per request`);
  }
  return orders;
};
