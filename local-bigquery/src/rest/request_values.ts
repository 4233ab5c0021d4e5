/** Query-string and body values as the clients send them ("true", "100", arrays for repeated keys). */
import { BigQueryError, invalid } from "../errors";
import type { RequestParts } from "../http/route";

export function queryString(req: RequestParts, name: string): string | undefined {
  const v = req.query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function queryBool(req: RequestParts, name: string): boolean {
  const v = queryString(req, name);
  return v !== undefined && v.toLowerCase() === "true";
}

/** A non-negative integer from the query string or body; 400 invalid when malformed. */
export function nonNegativeInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`Invalid value for ${name}: ${String(value)} is not a non-negative integer`, name);
  return n;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The body as an object; 400 invalid when it is something else. */
export function bodyObject(req: RequestParts): Record<string, unknown> {
  if (req.body === undefined) return {};
  if (!isRecord(req.body)) throw invalid("The request body must be a JSON object");
  return req.body;
}

/**
 * If-Match: the update applies only to the resource version the client read (its etag); another
 * etag is answered 412 conditionNotMet, as BigQuery does. `*` and no header match anything.
 */
export function checkIfMatch(req: RequestParts, currentEtag: unknown): void {
  const header = req.headers?.["if-match"];
  const wanted = Array.isArray(header) ? header[0] : header;
  if (wanted === undefined || wanted === "" || wanted === "*") return;
  if (wanted.replace(/^W\//, "").replace(/^"|"$/g, "") !== String(currentEtag)) {
    throw new BigQueryError("conditionNotMet", "Precondition check failed.");
  }
}
