/** datasets.get/list/insert/patch/update/delete. */
import { invalid, notFound } from "../errors";
import { noContent, ok, type Route } from "../http/route";
import type { DatasetMeta, DatasetRef } from "../model";
import { DEFAULT_LOCATION, type ServiceContext } from "./context";
import { checkDatasetId } from "./ids";
import { decodePageToken, encodePageToken } from "./paging";
import { datasetListItem, datasetResource } from "./resources";
import { checkIfMatch, bodyObject, isRecord, nonNegativeInt, queryBool, queryString } from "./request_values";

const refOf = (params: Record<string, string>): DatasetRef => ({ projectId: params.projectId, datasetId: params.datasetId });

export function requireDataset(ctx: ServiceContext, ref: DatasetRef): DatasetMeta {
  const ds = ctx.store.getDataset(ref);
  if (!ds) throw notFound(`Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
  return ds;
}

export function labelsOf(value: unknown, current: Record<string, string> = {}): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null) return {};
  if (!isRecord(value)) throw invalid("labels must be an object of string values", "labels");
  const next = { ...current };
  for (const [k, v] of Object.entries(value)) {
    if (v === null) delete next[k];
    else if (typeof v === "string") next[k] = v;
    else throw invalid(`Label ${k} must be a string`, "labels");
  }
  return next;
}

const stringOrUndefined = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(`${name} must be a string`, name);
  return v;
};

export function datasetRoutes(ctx: ServiceContext): Route[] {
  return [
    {
      method: "GET",
      url: "/projects/:projectId/datasets",
      handler: (req) => {
        // BigQuery hides datasets whose name starts with "_" (a script's temporary tables live in one) unless all=true.
        const all = ctx.store.listDatasets(req.params.projectId).filter((d) => queryBool(req, "all") || !d.ref.datasetId.startsWith("_"));
        const offset = queryString(req, "pageToken") ? decodePageToken(queryString(req, "pageToken") as string) : 0;
        const max = nonNegativeInt(queryString(req, "maxResults"), "maxResults") ?? 1000;
        const page = all.slice(offset, offset + Math.max(1, max));
        const body: Record<string, unknown> = { kind: "bigquery#datasetList" };
        if (page.length > 0) body.datasets = page.map(datasetListItem);
        if (offset + page.length < all.length) body.nextPageToken = encodePageToken(offset + page.length);
        return ok(body);
      },
    },
    {
      method: "POST",
      url: "/projects/:projectId/datasets",
      handler: async (req) => {
        const body = bodyObject(req);
        const reference = isRecord(body.datasetReference) ? body.datasetReference : {};
        const datasetId = checkDatasetId(reference.datasetId);
        const now = ctx.now();
        const meta: DatasetMeta = {
          ref: { projectId: req.params.projectId, datasetId },
          location: stringOrUndefined(body.location, "location") ?? DEFAULT_LOCATION,
          creationTime: now,
          lastModifiedTime: now,
        };
        const description = stringOrUndefined(body.description, "description");
        if (description !== undefined) meta.description = description;
        const labels = labelsOf(body.labels);
        if (labels) meta.labels = labels;
        await ctx.store.createDataset(meta);
        return ok(datasetResource(meta));
      },
    },
    {
      method: "GET",
      url: "/projects/:projectId/datasets/:datasetId",
      handler: (req) => ok(datasetResource(requireDataset(ctx, refOf(req.params)))),
    },
    ...(["PATCH", "PUT"] as const).map(
      (method): Route => ({
        method,
        url: "/projects/:projectId/datasets/:datasetId",
        handler: async (req) => {
          const ref = refOf(req.params);
          const current = requireDataset(ctx, ref);
          checkIfMatch(req, datasetResource(current).etag);
          const body = bodyObject(req);
          const patch: Partial<Pick<DatasetMeta, "description" | "labels">> = {};
          if ("description" in body) patch.description = stringOrUndefined(body.description, "description");
          // update (PUT) replaces the labels; patch merges them.
          const labels = labelsOf(body.labels, method === "PATCH" ? current.labels : {});
          if (labels) patch.labels = labels;
          return ok(datasetResource(await ctx.store.updateDataset(ref, patch)));
        },
      }),
    ),
    {
      method: "DELETE",
      url: "/projects/:projectId/datasets/:datasetId",
      handler: async (req) => {
        await ctx.store.deleteDataset(refOf(req.params), { deleteContents: queryBool(req, "deleteContents") });
        return noContent();
      },
    },
  ];
}
