/** A query job as BigQuery's REST Job resource and its query results pages. */
import { schemaToRest } from "../encoding/schema";
import { encodeRows, type CellOptions } from "../encoding/cells";
import type { ExecutionResult } from "../execution/executor";
import { errorProto } from "../http/error_body";
import type { Job } from "../jobs/job_registry";
import { encodePageToken, fitToBudget, pageWindow, type PageRequest } from "./paging";

export function jobReference(job: Job): Record<string, string> {
  return { projectId: job.spec.projectId, jobId: job.spec.jobId, location: job.spec.location };
}

export function queryStatistics(result: ExecutionResult | undefined): Record<string, unknown> {
  if (!result) return {};
  const bytes = String(result.totalBytesProcessed ?? 0);
  const stats: Record<string, unknown> = {
    totalBytesProcessed: bytes,
    totalBytesBilled: String(result.totalBytesBilled ?? result.totalBytesProcessed ?? 0),
    cacheHit: result.cacheHit ?? false,
    statementType: result.statementType,
    totalSlotMs: "0",
  };
  const schema = result.schema ?? result.ddlSchema;
  if (schema) stats.schema = { fields: schemaToRest(schema) };
  if (result.numDmlAffectedRows !== undefined) stats.numDmlAffectedRows = String(result.numDmlAffectedRows);
  if (result.ddlTargetTable) stats.ddlTargetTable = { ...result.ddlTargetTable };
  if (result.ddlTargetRoutine) stats.ddlTargetRoutine = { ...result.ddlTargetRoutine };
  if (result.ddlOperationPerformed) stats.ddlOperationPerformed = result.ddlOperationPerformed;
  // Not BigQuery's: which engine of the local BigQuery evaluated the job (clients ignore unknown fields).
  if (result.engines) stats.localBigQuery = { engines: result.engines };
  return stats;
}

export function jobResource(job: Job): Record<string, unknown> {
  const { projectId, jobId, location } = job.spec;
  const status: Record<string, unknown> = { state: job.state };
  if (job.error) {
    status.errorResult = errorProto(job.error);
    status.errors = [errorProto(job.error)];
  }
  const statistics: Record<string, unknown> = {
    creationTime: String(job.creationTime),
    startTime: String(job.startTime),
    query: queryStatistics(job.result),
  };
  if (job.spec.jobType === "COPY") {
    // A copy job has copy statistics, not query ones.
    delete statistics.query;
    if (job.result) statistics.copy = { copiedRows: String(job.result.numDmlAffectedRows ?? 0) };
  }
  if (job.endTime !== undefined) statistics.endTime = String(job.endTime);
  if (job.result) statistics.totalBytesProcessed = String(job.result.totalBytesProcessed ?? 0);
  return {
    kind: "bigquery#job",
    id: `${projectId}:${location}.${jobId}`,
    jobReference: jobReference(job),
    configuration: { ...job.spec.configuration, jobType: job.spec.jobType ?? "QUERY" },
    status,
    statistics,
    user_email: "local-bigquery@localhost",
  };
}

/** The results part shared by jobs.query and getQueryResults: schema, one page of rows, totals. */
export function resultsPage(result: ExecutionResult, page: PageRequest, cells: CellOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    totalBytesProcessed: String(result.totalBytesProcessed ?? 0),
    totalBytesBilled: String(result.totalBytesBilled ?? result.totalBytesProcessed ?? 0),
    cacheHit: result.cacheHit ?? false,
  };
  if (result.numDmlAffectedRows !== undefined) out.numDmlAffectedRows = String(result.numDmlAffectedRows);
  // A CREATE's results are the schema it defined, without rows (as BigQuery answers them).
  const schema = result.schema ?? (result.ddlOperationPerformed ? result.ddlSchema : undefined);
  if (!schema) return out;
  const all = result.rows ?? [];
  const { offset, limit } = pageWindow(page);
  const slice = all.slice(offset, offset + limit);
  const count = fitToBudget(slice);
  out.schema = { fields: schemaToRest(schema) };
  out.totalRows = String(all.length);
  out.rows = encodeRows(slice.slice(0, count), schema, cells);
  if (offset + count < all.length) out.pageToken = encodePageToken(offset + count);
  return out;
}
