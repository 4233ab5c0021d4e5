/**
 * Pages of rows: an opaque pageToken (the next offset), startIndex, maxResults,
 * and a default page bounded by rows and bytes so no response grows without limit.
 */
import { invalid } from "../errors";
import { approximateSize } from "../encoding/cells";
import type { Row } from "../model";

export const DEFAULT_PAGE_ROWS = 100_000;
export const PAGE_BYTE_BUDGET = 10 * 1024 * 1024;

export const encodePageToken = (offset: number): string => Buffer.from(`o:${offset}`).toString("base64url");

export function decodePageToken(token: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m) throw invalid(`Invalid page token: ${token}`, "pageToken");
  return Number(m[1]);
}

export interface PageRequest {
  pageToken?: string;
  startIndex?: number;
  maxResults?: number;
}

/** The first row of the page and how many rows at most it may hold. */
export function pageWindow(req: PageRequest): { offset: number; limit: number } {
  const offset = req.pageToken ? decodePageToken(req.pageToken) : (req.startIndex ?? 0);
  const limit = Math.min(req.maxResults ?? DEFAULT_PAGE_ROWS, DEFAULT_PAGE_ROWS);
  return { offset, limit };
}

/** Cuts a page to the byte budget (keeping at least one row), returning how many rows fit. */
export function fitToBudget(rows: Row[]): number {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += approximateSize(rows[i]);
    if (bytes > PAGE_BYTE_BUDGET && i > 0) return i;
  }
  return rows.length;
}
