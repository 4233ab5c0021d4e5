/**
 * Dataset and table metadata as BigQuery's REST resources: every int64 a string,
 * the fields the clients read always present (a view has schema.fields too).
 */
import { createHash } from "node:crypto";
import { schemaToRest } from "../encoding/schema";
import type { DatasetMeta, TableMeta } from "../model";

const etag = (o: unknown): string => createHash("sha1").update(JSON.stringify(o)).digest("base64").slice(0, 16);

/** The fields datasets.list shows of a dataset; datasets.get shows these and more. */
export function datasetListItem(ds: DatasetMeta): Record<string, unknown> {
  const { projectId, datasetId } = ds.ref;
  const out: Record<string, unknown> = {
    kind: "bigquery#dataset",
    id: `${projectId}:${datasetId}`,
    datasetReference: { projectId, datasetId },
    location: ds.location,
  };
  if (ds.labels && Object.keys(ds.labels).length > 0) out.labels = ds.labels;
  return out;
}

export function datasetResource(ds: DatasetMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...datasetListItem(ds),
    creationTime: String(ds.creationTime),
    lastModifiedTime: String(ds.lastModifiedTime),
    type: "DEFAULT",
  };
  if (ds.description !== undefined) out.description = ds.description;
  out.etag = etag(out);
  return out;
}

function partitioningAndClustering(t: TableMeta, out: Record<string, unknown>): void {
  if (t.timePartitioning) {
    const tp: Record<string, unknown> = { type: t.timePartitioning.type };
    if (t.timePartitioning.field) tp.field = t.timePartitioning.field;
    if (t.timePartitioning.expirationMs) tp.expirationMs = t.timePartitioning.expirationMs;
    out.timePartitioning = tp;
  }
  if (t.clustering?.length) out.clustering = { fields: t.clustering };
}

/** BigQuery's table types: TABLE, VIEW, MATERIALIZED_VIEW, SNAPSHOT (a clone is a TABLE). */
const restType = (t: TableMeta): string => (t.type === "VIEW" ? (t.materialized ? "MATERIALIZED_VIEW" : "VIEW") : t.snapshot ? "SNAPSHOT" : "TABLE");

const refOf = (ref: TableMeta["ref"]): Record<string, string> => ({ projectId: ref.projectId, datasetId: ref.datasetId, tableId: ref.tableId });

/** The fields tables.list shows of a table or view; tables.get shows these and more. */
export function tableListItem(t: TableMeta): Record<string, unknown> {
  const { projectId, datasetId, tableId } = t.ref;
  const out: Record<string, unknown> = {
    kind: "bigquery#table",
    id: `${projectId}:${datasetId}.${tableId}`,
    tableReference: { projectId, datasetId, tableId },
    type: restType(t),
    creationTime: String(t.creationTime),
  };
  if (t.labels && Object.keys(t.labels).length > 0) out.labels = t.labels;
  partitioningAndClustering(t, out);
  if (t.type === "VIEW" && !t.materialized) out.view = { useLegacySql: false };
  return out;
}

export function tableResource(t: TableMeta, location: string, numRows?: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...tableListItem(t),
    schema: { fields: schemaToRest(t.schema) },
    lastModifiedTime: String(t.lastModifiedTime),
    location,
  };
  if (t.description !== undefined) out.description = t.description;
  if (t.options?.require_partition_filter === true) out.requirePartitionFilter = true;
  if (t.type === "VIEW" && t.materialized) out.materializedView = { query: t.viewQuery ?? "", enableRefresh: true };
  else if (t.type === "VIEW") out.view = { query: t.viewQuery ?? "", useLegacySql: false };
  else {
    if (t.snapshot && t.baseTable) out.snapshotDefinition = { baseTableReference: refOf(t.baseTable), snapshotTime: new Date(t.snapshotTime ?? t.creationTime).toISOString() };
    if (t.clone && t.baseTable) out.cloneDefinition = { baseTableReference: refOf(t.baseTable), cloneTime: new Date(t.creationTime).toISOString() };
    if (t.rangePartitioning) out.rangePartitioning = t.rangePartitioning;
    out.numRows = String(numRows ?? 0);
    out.numBytes = "0";
  }
  out.etag = etag(out);
  return out;
}
