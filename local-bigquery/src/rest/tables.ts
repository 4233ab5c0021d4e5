/** tables.get/list/insert/patch/update/delete. */
import { invalid, notFound, unsupported } from "../errors";
import { mergeSchemaUpdate, parseRestSchema } from "../encoding/schema";
import { noContent, ok, type RequestParts, type Route } from "../http/route";
import type { Field, RangePartitioning, TableMeta, TableRef, TimePartitioning } from "../model";
import type { ServiceContext } from "./context";
import { labelsOf, requireDataset } from "./datasets";
import { checkTableId } from "./ids";
import { decodePageToken, encodePageToken } from "./paging";
import { tableListItem, tableResource } from "./resources";
import { bodyObject, checkIfMatch, isRecord, nonNegativeInt, queryString } from "./request_values";

const refOf = (params: Record<string, string>): TableRef => ({
  projectId: params.projectId,
  datasetId: params.datasetId,
  tableId: params.tableId,
});

export function requireTable(ctx: ServiceContext, ref: TableRef): TableMeta {
  const t = ctx.store.getTable(ref);
  if (t) return t;
  requireDataset(ctx, ref);
  throw notFound(`Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
}

function render(ctx: ServiceContext, t: TableMeta): Record<string, unknown> {
  const location = ctx.store.getDataset(t.ref)?.location ?? "US";
  return tableResource(t, location, t.type === "TABLE" ? ctx.store.stats(t.ref).rows : undefined);
}

const PARTITION_TYPES = ["DAY", "HOUR", "MONTH", "YEAR"];

export function timePartitioningOf(value: unknown): TimePartitioning | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid("timePartitioning must be an object", "timePartitioning");
  const type = typeof value.type === "string" ? value.type.toUpperCase() : "DAY";
  if (!PARTITION_TYPES.includes(type)) throw invalid(`Invalid timePartitioning.type: ${String(value.type)}`, "timePartitioning.type");
  const tp: TimePartitioning = { type: type as TimePartitioning["type"] };
  if (typeof value.field === "string") tp.field = value.field;
  if (value.expirationMs !== undefined && value.expirationMs !== null) tp.expirationMs = String(value.expirationMs);
  return tp;
}

/** rangePartitioning {field, range: {start, end, interval}} (int64s as strings or numbers). */
function rangePartitioningOf(value: unknown): RangePartitioning | undefined {
  if (value === undefined || value === null) return undefined;
  const range = isRecord(value) && isRecord(value.range) ? value.range : undefined;
  const int = (v: unknown): string | undefined => (typeof v === "number" || (typeof v === "string" && /^-?\d+$/.test(v)) ? String(v) : undefined);
  const [start, end, interval] = [int(range?.start), int(range?.end), int(range?.interval)];
  if (!isRecord(value) || typeof value.field !== "string" || start === undefined || end === undefined || interval === undefined) {
    throw invalid("rangePartitioning needs a field and a range with start, end and interval", "rangePartitioning");
  }
  if (BigInt(end) <= BigInt(start) || BigInt(interval) <= 0n) throw invalid("rangePartitioning needs start < end and a positive interval", "rangePartitioning");
  return { field: value.field, range: { start, end, interval } };
}

export function clusteringOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || !Array.isArray(value.fields) || !value.fields.every((f) => typeof f === "string")) {
    throw invalid("clustering.fields must be a list of column names", "clustering");
  }
  if (value.fields.length > 4) throw invalid("Too many clustering fields: at most 4 are allowed", "clustering");
  return value.fields as string[];
}

function checkColumnsExist(schema: Field[], names: (string | undefined)[], what: string): void {
  for (const name of names) {
    if (name !== undefined && !schema.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
      throw invalid(`The field specified for ${what} cannot be found in the schema: ${name}`, what);
    }
  }
}

/** A view's schema is its query's result schema, as a dry run describes it. */
async function viewSchema(ctx: ServiceContext, ref: TableRef, query: string): Promise<Field[]> {
  if (!ctx.executor()) return [];
  const result = await ctx.jobs.dryRun({ projectId: ref.projectId, sql: query, params: [], defaultDataset: ref });
  return result.schema ?? [];
}

function viewQueryOf(body: Record<string, unknown>): string | undefined {
  if (body.view === undefined || body.view === null) return undefined;
  if (!isRecord(body.view) || typeof body.view.query !== "string") throw invalid("view.query must be a string", "view.query");
  if (body.view.useLegacySql === true) throw unsupported("Legacy SQL views are not supported by the local BigQuery; use GoogleSQL");
  return body.view.query;
}

async function insertTable(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const body = bodyObject(req);
  for (const kind of ["materializedView", "externalDataConfiguration", "snapshotDefinition"]) {
    if (body[kind] !== undefined) throw unsupported(`${kind} tables are not supported by the local BigQuery`);
  }
  const reference = isRecord(body.tableReference) ? body.tableReference : {};
  const ref: TableRef = {
    projectId: req.params.projectId,
    datasetId: req.params.datasetId,
    tableId: checkTableId(reference.tableId),
  };
  requireDataset(ctx, ref);
  const viewQuery = viewQueryOf(body);
  const now = ctx.now();
  const meta: TableMeta = {
    ref,
    type: viewQuery === undefined ? "TABLE" : "VIEW",
    schema: viewQuery === undefined ? parseRestSchema(body.schema) : await viewSchema(ctx, ref, viewQuery),
    creationTime: now,
    lastModifiedTime: now,
  };
  if (viewQuery !== undefined) meta.viewQuery = viewQuery;
  if (typeof body.description === "string") meta.description = body.description;
  const labels = labelsOf(body.labels);
  if (labels) meta.labels = labels;
  const tp = timePartitioningOf(body.timePartitioning);
  if (tp) {
    checkColumnsExist(meta.schema, [tp.field], "timePartitioning.field");
    meta.timePartitioning = tp;
  }
  const range = rangePartitioningOf(body.rangePartitioning);
  if (range) {
    checkColumnsExist(meta.schema, [range.field], "rangePartitioning.field");
    if (tp) throw invalid("A table cannot have both timePartitioning and rangePartitioning", "rangePartitioning");
    meta.rangePartitioning = range;
  }
  const clustering = clusteringOf(body.clustering);
  if (clustering) {
    checkColumnsExist(meta.schema, clustering, "clustering.fields");
    meta.clustering = clustering;
  }
  if (body.requirePartitionFilter === true) meta.options = { require_partition_filter: true };
  await ctx.store.createTable(meta);
  return render(ctx, meta);
}

async function patchTable(ctx: ServiceContext, req: RequestParts, replaceLabels: boolean): Promise<Record<string, unknown>> {
  const ref = refOf(req.params);
  const current = requireTable(ctx, ref);
  checkIfMatch(req, render(ctx, current).etag);
  const body = bodyObject(req);
  const label = `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
  const patch: Parameters<ServiceContext["store"]["updateTable"]>[1] = {};
  const viewQuery = viewQueryOf(body);
  if (viewQuery !== undefined) {
    if (current.type !== "VIEW") throw invalid(`Table ${label} is not a view; its view query cannot be set`, "view");
    patch.viewQuery = viewQuery;
    patch.schema = await viewSchema(ctx, ref, viewQuery);
  }
  if (body.schema !== undefined && body.schema !== null) {
    const next = parseRestSchema(body.schema);
    if (current.type === "VIEW") {
      // Only column descriptions of a view may change.
      const base = patch.schema ?? current.schema;
      patch.schema = base.map((f) => ({ ...f, description: next.find((n) => n.name === f.name)?.description ?? f.description }));
    } else {
      patch.schema = mergeSchemaUpdate(current.schema, next, label);
    }
  }
  if ("description" in body) {
    if (body.description !== null && typeof body.description !== "string") throw invalid("description must be a string", "description");
    patch.description = (body.description as string | null) ?? undefined;
  }
  const labels = labelsOf(body.labels, replaceLabels ? {} : current.labels);
  if (labels) patch.labels = labels;
  const tp = timePartitioningOf(body.timePartitioning);
  if (tp) {
    if (current.timePartitioning && (tp.type !== current.timePartitioning.type || tp.field !== current.timePartitioning.field)) {
      throw invalid(`Cannot change partitioning spec for ${label}`, "timePartitioning");
    }
    if (!current.timePartitioning) throw invalid(`Cannot convert non-partitioned table ${label} to a partitioned table`, "timePartitioning");
    patch.timePartitioning = tp;
  }
  const clustering = clusteringOf(body.clustering);
  if (clustering) {
    checkColumnsExist(patch.schema ?? current.schema, clustering, "clustering.fields");
    patch.clustering = clustering;
  }
  if (typeof body.requirePartitionFilter === "boolean") {
    patch.options = { ...current.options, require_partition_filter: body.requirePartitionFilter };
  }
  return render(ctx, await ctx.store.updateTable(ref, patch));
}

/**
 * tables.get's `view`: BASIC leaves out the storage statistics (numRows, numBytes) and lastModifiedTime, as
 * BigQuery does (the Node client's system test, recorded on BigQuery, checks both).
 */
function withView(resource: Record<string, unknown>, view: string | undefined): Record<string, unknown> {
  if (view === undefined || !["BASIC", "STORAGE_STATS", "FULL", "TABLE_METADATA_VIEW_UNSPECIFIED"].includes(view)) {
    if (view !== undefined) throw invalid(`Invalid value for view: ${view}`, "view");
    return resource;
  }
  if (view !== "BASIC") return resource;
  const { numRows: _rows, numBytes: _bytes, lastModifiedTime: _modified, ...basic } = resource;
  return basic;
}

export function tableRoutes(ctx: ServiceContext): Route[] {
  const base = "/projects/:projectId/datasets/:datasetId/tables";
  return [
    {
      method: "GET",
      url: base,
      handler: (req) => {
        const all = ctx.store.listTables({ projectId: req.params.projectId, datasetId: req.params.datasetId });
        const token = queryString(req, "pageToken");
        const offset = token ? decodePageToken(token) : 0;
        const max = nonNegativeInt(queryString(req, "maxResults"), "maxResults") ?? 1000;
        const page = all.slice(offset, offset + Math.max(1, max));
        const body: Record<string, unknown> = { kind: "bigquery#tableList", totalItems: all.length };
        if (page.length > 0) body.tables = page.map(tableListItem);
        if (offset + page.length < all.length) body.nextPageToken = encodePageToken(offset + page.length);
        return ok(body);
      },
    },
    { method: "POST", url: base, handler: async (req) => ok(await insertTable(ctx, req)) },
    { method: "GET", url: `${base}/:tableId`, handler: (req) => ok(withView(render(ctx, requireTable(ctx, refOf(req.params))), queryString(req, "view"))) },
    { method: "PATCH", url: `${base}/:tableId`, handler: async (req) => ok(await patchTable(ctx, req, false)) },
    { method: "PUT", url: `${base}/:tableId`, handler: async (req) => ok(await patchTable(ctx, req, true)) },
    {
      method: "DELETE",
      url: `${base}/:tableId`,
      handler: async (req) => {
        const ref = refOf(req.params);
        requireTable(ctx, ref);
        await ctx.store.deleteTable(ref);
        return noContent();
      },
    },
  ];
}
