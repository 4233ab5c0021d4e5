/** tabledata.insertAll and tabledata.list. */
import { z } from "zod";
import { invalid, unsupported } from "../errors";
import { cellOptions, encodeRows } from "../encoding/cells";
import { decodeInsertRows } from "../encoding/insert_rows";
import { ok, type RequestParts, type Route } from "../http/route";
import type { Field, Row, TableRef } from "../model";
import type { ServiceContext } from "./context";
import { encodePageToken, fitToBudget, pageWindow } from "./paging";
import { nonNegativeInt, queryBool, queryString } from "./request_values";
import { requireTable } from "./tables";
import { decodingSchema, fillInsertDefaults } from "./insert_defaults";
import { requireFullAccess } from "../execution/row_access";

const refOf = (params: Record<string, string>): TableRef => ({
  projectId: params.projectId,
  datasetId: params.datasetId,
  tableId: params.tableId,
});

const insertAllBody = z.object({
  rows: z.array(z.object({ insertId: z.union([z.string(), z.number()]).optional(), json: z.unknown() })).optional(),
  skipInvalidRows: z.boolean().optional(),
  ignoreUnknownValues: z.boolean().optional(),
  templateSuffix: z.string().optional(),
});

export type InsertAllBody = z.output<typeof insertAllBody>;

/** The insertAll request body, checked; throws 400 invalid naming the first bad part. */
export function parseInsertAllBody(input: unknown): InsertAllBody {
  const parsed = insertAllBody.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`Invalid insertAll request at ${issue?.path.join(".") || "body"}: ${issue?.message ?? "malformed"}`);
  }
  return parsed.data;
}

async function insertAll(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const ref = refOf(req.params);
  const body = parseInsertAllBody(req.body);
  if (body.templateSuffix) throw unsupported("templateSuffix is not supported by the local BigQuery: insert into the target table directly");
  const table = requireTable(ctx, ref);
  if (table.type !== "TABLE") throw invalid(`Cannot add rows to ${ref.projectId}:${ref.datasetId}.${ref.tableId}: it is a view`);
  if (table.snapshot) throw invalid(`Cannot add rows to ${ref.projectId}:${ref.datasetId}.${ref.tableId}: it is a table snapshot, which is read-only`);
  if (!body.rows || body.rows.length === 0) throw invalid("No rows present in the request.", "rows");
  const decoded = decodeInsertRows(body.rows, decodingSchema(table.schema), body);
  await fillInsertDefaults(ctx, table, body.rows, decoded.insertErrors, decoded.rows);
  // Answered only once the rows are durable (committed with the other inserts of this moment).
  if (decoded.rows.length > 0) await ctx.inserts.append({ ref, rows: decoded.rows, insertIds: decoded.insertIds });
  const out: Record<string, unknown> = { kind: "bigquery#tableDataInsertAllResponse" };
  if (decoded.insertErrors.length > 0) out.insertErrors = decoded.insertErrors;
  return out;
}

/** selectedFields ("a,b") keeps those top-level columns, in schema order. */
function selectFields(schema: Field[], selected: string | undefined): { fields: Field[]; indexes: number[] } {
  if (!selected) return { fields: schema, indexes: schema.map((_, i) => i) };
  const wanted = new Set(selected.split(",").map((s) => s.trim().split(".")[0].toLowerCase()));
  const indexes = schema.flatMap((f, i) => (wanted.has(f.name.toLowerCase()) ? [i] : []));
  return { fields: indexes.map((i) => schema[i]), indexes };
}

async function list(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const ref = refOf(req.params);
  const table = requireTable(ctx, ref);
  if (table.type !== "TABLE") throw invalid(`Cannot list a table of type VIEW: ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  requireFullAccess(table, "listing its rows");
  const { offset, limit } = pageWindow({
    pageToken: queryString(req, "pageToken"),
    startIndex: nonNegativeInt(queryString(req, "startIndex"), "startIndex"),
    maxResults: nonNegativeInt(queryString(req, "maxResults"), "maxResults"),
  });
  const total = ctx.store.stats(ref).rows;
  const stored = limit === 0 ? [] : await ctx.store.readRows(ref, { offset, limit });
  const { fields, indexes } = selectFields(table.schema, queryString(req, "selectedFields"));
  const rows: Row[] = stored.map((r) => indexes.map((i) => r.cells[i] ?? null));
  const count = fitToBudget(rows);
  const body: Record<string, unknown> = { kind: "bigquery#tableDataList", totalRows: String(total) };
  if (count > 0) {
    body.rows = encodeRows(rows.slice(0, count), fields, cellOptions(queryBool(req, "formatOptions.useInt64Timestamp"), queryString(req, "formatOptions.timestampOutputFormat")));
  }
  if (offset + count < total) body.pageToken = encodePageToken(offset + count);
  return body;
}

export function tabledataRoutes(ctx: ServiceContext): Route[] {
  const base = "/projects/:projectId/datasets/:datasetId/tables/:tableId";
  return [
    { method: "POST", url: `${base}/insertAll`, handler: async (req) => ok(await insertAll(ctx, req)) },
    { method: "GET", url: `${base}/data`, handler: async (req) => ok(await list(ctx, req)) },
  ];
}
