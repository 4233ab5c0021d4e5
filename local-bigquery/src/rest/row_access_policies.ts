/**
 * rowAccessPolicies: insert, get, list, update, delete, batchDelete, getIamPolicy and
 * testIamPermissions, under tables/{tableId}/rowAccessPolicies. The policies live in their table's
 * metadata (execution/row_access.ts, which also says whom they grant and how queries apply them).
 */
import { createHash } from "node:crypto";
import { BigQueryError, invalid } from "../errors";
import { noContent, ok, type RequestParts, type Route } from "../http/route";
import type { RowAccessPolicy, TableRef } from "../model";
import { deletePolicies, getPolicy, listPolicies, putPolicy } from "../execution/row_access";
import type { ServiceContext } from "./context";
import { decodePageToken, encodePageToken } from "./paging";
import { bodyObject, isRecord, nonNegativeInt, queryString } from "./request_values";
import { requireTable } from "./tables";

const refOf = (params: Record<string, string>): TableRef => ({ projectId: params.projectId, datasetId: params.datasetId, tableId: params.tableId });

const etag = (o: unknown): string => createHash("sha1").update(JSON.stringify(o)).digest("base64").slice(0, 16);

/** The REST resource; grantees are input only in BigQuery's API (getIamPolicy shows them). */
function resource(ref: TableRef, p: RowAccessPolicy): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rowAccessPolicyReference: { projectId: ref.projectId, datasetId: ref.datasetId, tableId: ref.tableId, policyId: p.policyId },
    filterPredicate: p.filterPredicate,
    creationTime: new Date(p.creationTime).toISOString(),
    lastModifiedTime: new Date(p.lastModifiedTime).toISOString(),
  };
  out.etag = etag({ ...out, grantees: p.grantees });
  return out;
}

/** The policy a request body describes; its id from the path (update) or its reference (insert). */
function policyOf(body: Record<string, unknown>, ref: TableRef, pathId?: string): Omit<RowAccessPolicy, "creationTime" | "lastModifiedTime"> {
  const reference = isRecord(body.rowAccessPolicyReference) ? body.rowAccessPolicyReference : {};
  const policyId = pathId ?? reference.policyId;
  if (typeof policyId !== "string" || policyId === "") throw invalid("Missing required field: rowAccessPolicyReference.policyId", "rowAccessPolicyReference.policyId");
  for (const [name, value] of [["projectId", ref.projectId], ["datasetId", ref.datasetId], ["tableId", ref.tableId], ["policyId", policyId]] as const) {
    if (reference[name] !== undefined && reference[name] !== value) {
      throw invalid(`rowAccessPolicyReference.${name} ${String(reference[name])} does not match the request's ${value}`, `rowAccessPolicyReference.${name}`);
    }
  }
  if (typeof body.filterPredicate !== "string" || body.filterPredicate.trim() === "") throw invalid("Missing required field: filterPredicate", "filterPredicate");
  const grantees = body.grantees ?? [];
  if (!Array.isArray(grantees) || !grantees.every((g) => typeof g === "string")) throw invalid("grantees must be a list of IAM members", "grantees");
  return { policyId, filterPredicate: body.filterPredicate, grantees: grantees as string[] };
}

/** BigQuery checks the predicate against the table when the policy is written: a dry run of a query filtered by it. */
async function checkPredicate(ctx: ServiceContext, ref: TableRef, predicate: string): Promise<void> {
  if (!ctx.executor()) return;
  const sql = `SELECT 1 FROM \`${ref.projectId}.${ref.datasetId}.${ref.tableId}\` WHERE (${predicate}\n)`;
  try {
    await ctx.jobs.dryRun({ projectId: ref.projectId, sql, params: [] });
  } catch (error) {
    if (!(error instanceof BigQueryError)) throw error;
    throw invalid(`Invalid row access policy filter predicate: ${error.message.replace(/ at \[\d+:\d+\]/g, "")}`, "filterPredicate");
  }
}

async function insert(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const ref = refOf(req.params);
  requireTable(ctx, ref);
  const policy = policyOf(bodyObject(req), ref);
  await checkPredicate(ctx, ref, policy.filterPredicate);
  return resource(ref, (await putPolicy(ctx.store, ref, policy, { now: ctx.now() })).policy);
}

async function update(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const ref = refOf(req.params);
  const existing = getPolicy(ctx.store, ref, req.params.policyId);
  const body = bodyObject(req);
  // Grantees are input only: an update without them keeps the policy's.
  const policy = policyOf({ ...body, grantees: body.grantees ?? existing.grantees }, ref, req.params.policyId);
  await checkPredicate(ctx, ref, policy.filterPredicate);
  return resource(ref, (await putPolicy(ctx.store, ref, policy, { replace: true, now: ctx.now() })).policy);
}

function list(ctx: ServiceContext, req: RequestParts): Record<string, unknown> {
  const ref = refOf(req.params);
  requireTable(ctx, ref);
  const all = listPolicies(ctx.store, ref);
  const token = queryString(req, "pageToken");
  const offset = token ? decodePageToken(token) : 0;
  const size = nonNegativeInt(queryString(req, "pageSize"), "pageSize") ?? 1000;
  const page = all.slice(offset, offset + Math.max(1, size));
  const body: Record<string, unknown> = {};
  if (page.length > 0) body.rowAccessPolicies = page.map((p) => resource(ref, p));
  if (offset + page.length < all.length) body.nextPageToken = encodePageToken(offset + page.length);
  return body;
}

/** POST .../rowAccessPolicies/{id}:getIamPolicy and :testIamPermissions. */
function iamAction(ctx: ServiceContext, req: RequestParts): Record<string, unknown> {
  const ref = refOf(req.params);
  const at = req.params.policyAction.lastIndexOf(":");
  const [policyId, action] = at < 0 ? [req.params.policyAction, ""] : [req.params.policyAction.slice(0, at), req.params.policyAction.slice(at + 1)];
  const policy = getPolicy(ctx.store, ref, policyId);
  if (action === "getIamPolicy") {
    const bindings = policy.grantees.length > 0 ? [{ role: "roles/bigquery.filteredDataViewer", members: policy.grantees }] : [];
    const out: Record<string, unknown> = { version: 1, bindings };
    out.etag = etag(out);
    return out;
  }
  if (action === "testIamPermissions") {
    // One caller, who may do everything (there is no IAM): every permission asked is held.
    const asked = bodyObject(req).permissions;
    return Array.isArray(asked) && asked.length > 0 ? { permissions: asked } : {};
  }
  throw new BigQueryError("notFound", `Not found: POST ${req.params.policyAction}`);
}

export function rowAccessPolicyRoutes(ctx: ServiceContext): Route[] {
  const base = "/projects/:projectId/datasets/:datasetId/tables/:tableId/rowAccessPolicies";
  return [
    { method: "GET", url: base, handler: (req) => ok(list(ctx, req)) },
    { method: "POST", url: base, handler: async (req) => ok(await insert(ctx, req)) },
    {
      method: "GET",
      url: `${base}/:policyId`,
      handler: (req) => ok(resource(refOf(req.params), getPolicy(ctx.store, refOf(req.params), req.params.policyId))),
    },
    { method: "PUT", url: `${base}/:policyId`, handler: async (req) => ok(await update(ctx, req)) },
    {
      method: "DELETE",
      url: `${base}/:policyId`,
      handler: async (req) => {
        await deletePolicies(ctx.store, refOf(req.params), [req.params.policyId]);
        return noContent();
      },
    },
    { method: "POST", url: `${base}/:policyAction`, handler: (req) => ok(iamAction(ctx, req)) },
    {
      // rowAccessPolicies:batchDelete is one path segment after the table: `::` is a literal colon in a route.
      method: "POST",
      url: `${base}::batchDelete`,
      handler: async (req) => {
        const ids = bodyObject(req).policyIds;
        if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw invalid("policyIds must be a list of policy ids", "policyIds");
        await deletePolicies(ctx.store, refOf(req.params), ids as string[]);
        return noContent();
      },
    },
  ];
}
