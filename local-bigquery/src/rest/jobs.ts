/**
 * jobs.insert/get/list/cancel, jobs.query and jobs.getQueryResults for query
 * jobs. Results are complete before a response says jobComplete, and waits are
 * long polls bounded by timeoutMs, so clients that poll without delay do not spin.
 */
import { randomUUID } from "node:crypto";
import { invalid, unsupported } from "../errors";
import { cellOptions } from "../encoding/cells";
import { decodeParameters } from "../encoding/params";
import type { ExecutionRequest } from "../execution/executor";
import { noContent, ok, type RequestParts, type Route } from "../http/route";
import type { Job, JobSpec } from "../jobs/job_registry";
import type { Destination } from "../execution/destination";
import type { DatasetRef } from "../model";
import { DEFAULT_LOCATION, type ServiceContext } from "./context";
import { copyJob } from "./copy_jobs";
import { jobReference, jobResource, queryStatistics, resultsPage } from "./job_resource";
import { decodePageToken, encodePageToken } from "./paging";
import { bodyObject, isRecord, nonNegativeInt, queryBool, queryString } from "./request_values";
import { clusteringOf, timePartitioningOf } from "./tables";

const DEFAULT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 60_000;
/** jobs.insert answers after at most this long, DONE when the statement finished by then. */
const INSERT_WAIT_MS = 2_000;
const JOB_ID = /^[A-Za-z0-9_-]{1,1024}$/;

function defaultDatasetOf(value: unknown, projectId: string): DatasetRef | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || typeof value.datasetId !== "string") throw invalid("defaultDataset needs a datasetId", "defaultDataset");
  return { projectId: typeof value.projectId === "string" ? value.projectId : projectId, datasetId: value.datasetId };
}

/** configuration.query.destinationTable with its dispositions and the new table's partitioning and clustering. */
function destinationOf(q: Record<string, unknown>, projectId: string): Destination | undefined {
  const table = q.destinationTable;
  if (table === undefined || table === null) return undefined;
  if (!isRecord(table) || typeof table.datasetId !== "string" || typeof table.tableId !== "string") {
    throw invalid("destinationTable needs a datasetId and a tableId", "destinationTable");
  }
  const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v.toUpperCase() : undefined);
  return {
    ref: { projectId: typeof table.projectId === "string" ? table.projectId : projectId, datasetId: table.datasetId, tableId: table.tableId },
    createDisposition: text(q.createDisposition),
    writeDisposition: text(q.writeDisposition),
    schemaUpdateOptions: Array.isArray(q.schemaUpdateOptions) ? q.schemaUpdateOptions.map(String) : undefined,
    timePartitioning: timePartitioningOf(q.timePartitioning),
    clustering: clusteringOf(q.clustering),
  };
}

/** A query configuration (jobs.insert configuration.query, or the jobs.query body) to an ExecutionRequest. */
function executionRequest(projectId: string, q: Record<string, unknown>, dryRun: boolean): ExecutionRequest {
  if (typeof q.query !== "string" || q.query.trim() === "") throw invalid("Required parameter is missing: query", "query");
  if (q.useLegacySql === true) {
    throw unsupported("Legacy SQL is not supported by the local BigQuery: send GoogleSQL with useLegacySql: false");
  }
  const request: ExecutionRequest = {
    projectId,
    sql: q.query,
    params: decodeParameters(q.queryParameters, q.parameterMode),
    dryRun,
  };
  const dataset = defaultDatasetOf(q.defaultDataset, projectId);
  if (dataset) request.defaultDataset = dataset;
  if (q.maximumBytesBilled !== undefined && q.maximumBytesBilled !== null) request.maximumBytesBilled = String(q.maximumBytesBilled);
  if (q.useQueryCache === false) request.useQueryCache = false;
  const destination = destinationOf(q, projectId);
  if (destination) request.destination = destination;
  return request;
}

function waitMs(value: unknown): number {
  const ms = nonNegativeInt(value, "timeoutMs");
  return Math.min(ms ?? DEFAULT_WAIT_MS, MAX_WAIT_MS);
}

function locationOf(...candidates: unknown[]): string {
  for (const c of candidates) if (typeof c === "string" && c !== "") return c;
  return DEFAULT_LOCATION;
}

/** BigQuery's answer to a dry run: no jobId, DONE, the statistics and schema; nothing is stored. */
async function dryRunResponse(
  ctx: ServiceContext,
  request: ExecutionRequest,
  projectId: string,
  location: string,
  configuration: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await ctx.jobs.dryRun(request);
  const now = String(ctx.now());
  return {
    kind: "bigquery#job",
    jobReference: { projectId, location },
    configuration: { ...configuration, jobType: "QUERY" },
    status: { state: "DONE" },
    statistics: {
      creationTime: now,
      startTime: now,
      endTime: now,
      totalBytesProcessed: String(result.totalBytesProcessed ?? 0),
      query: { ...queryStatistics(result), totalBytesBilled: "0", cacheHit: false },
    },
  };
}

async function insertJob(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const body = bodyObject(req);
  const projectId = req.params.projectId;
  const reference = isRecord(body.jobReference) ? body.jobReference : {};
  const configuration = isRecord(body.configuration) ? body.configuration : {};
  for (const kind of ["load", "extract"]) {
    if (configuration[kind] !== undefined) throw unsupported(`${kind} jobs are not supported by the local BigQuery: only query and copy jobs are`);
  }
  const location = locationOf(reference.location, queryString(req, "location"));
  if (isRecord(configuration.copy)) return insertCopyJob(ctx, projectId, reference.jobId, location, configuration);
  if (!isRecord(configuration.query)) throw invalid("configuration.query is required: only query and copy jobs are supported", "configuration");
  const dryRun = configuration.dryRun === true;
  const request = executionRequest(projectId, configuration.query, dryRun);
  if (dryRun) return dryRunResponse(ctx, request, projectId, location, configuration);
  const jobId = reference.jobId === undefined ? randomUUID() : reference.jobId;
  if (typeof jobId !== "string" || !JOB_ID.test(jobId)) {
    throw invalid(`Invalid job ID "${String(jobId)}". Job IDs must be alphanumeric (plus underscores and dashes) and at most 1024 characters long.`, "jobId");
  }
  const timeout = nonNegativeInt(configuration.jobTimeoutMs, "jobTimeoutMs");
  if (timeout !== undefined) request.timeoutMs = timeout;
  const job = ctx.jobs.submit({ projectId, jobId, location, configuration, request });
  await ctx.jobs.wait(job, INSERT_WAIT_MS);
  return jobResource(job);
}

function checkJobId(jobId: unknown): string {
  if (typeof jobId !== "string" || !JOB_ID.test(jobId)) {
    throw invalid(`Invalid job ID "${String(jobId)}". Job IDs must be alphanumeric (plus underscores and dashes) and at most 1024 characters long.`, "jobId");
  }
  return jobId;
}

async function insertCopyJob(ctx: ServiceContext, projectId: string, jobId: unknown, location: string, configuration: Record<string, unknown>): Promise<Record<string, unknown>> {
  const perform = copyJob(ctx, projectId, configuration.copy as Record<string, unknown>);
  const id = checkJobId(jobId === undefined ? randomUUID() : jobId);
  const job = ctx.jobs.submit({ projectId, jobId: id, location, configuration, jobType: "COPY", perform, request: { projectId, sql: "", params: [] } });
  await ctx.jobs.wait(job, INSERT_WAIT_MS);
  return jobResource(job);
}

function findJob(ctx: ServiceContext, req: RequestParts): Job {
  return ctx.jobs.get(req.params.projectId, req.params.jobId, locationOf(queryString(req, "location")));
}

async function getQueryResults(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const job = findJob(ctx, req);
  const complete = await ctx.jobs.wait(job, waitMs(queryString(req, "timeoutMs")));
  const base = { kind: "bigquery#getQueryResultsResponse", jobReference: jobReference(job), jobComplete: complete };
  if (!complete) return base;
  if (job.error) throw job.error;
  const page = resultsPage(
    job.result ?? { statementType: "SELECT", totalBytesProcessed: 0 },
    {
      pageToken: queryString(req, "pageToken"),
      startIndex: nonNegativeInt(queryString(req, "startIndex"), "startIndex"),
      maxResults: nonNegativeInt(queryString(req, "maxResults"), "maxResults"),
    },
    cellOptions(queryBool(req, "formatOptions.useInt64Timestamp"), queryString(req, "formatOptions.timestampOutputFormat")),
  );
  return { ...base, ...page };
}

async function query(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const body = bodyObject(req);
  const projectId = req.params.projectId;
  const location = locationOf(body.location, queryString(req, "location"));
  const dryRun = body.dryRun === true;
  const request = executionRequest(projectId, body, dryRun);
  const configuration: Record<string, unknown> = { query: { ...body } };
  if (dryRun) {
    const result = await ctx.jobs.dryRun(request);
    const out: Record<string, unknown> = {
      kind: "bigquery#queryResponse",
      jobReference: { projectId, location },
      jobComplete: true,
      totalBytesProcessed: String(result.totalBytesProcessed ?? 0),
      cacheHit: false,
    };
    const stats = queryStatistics(result);
    if (stats.schema) out.schema = stats.schema;
    return out;
  }
  const spec: JobSpec = { projectId, jobId: `job_${randomUUID().replace(/-/g, "_")}`, location, configuration, request };
  const job = ctx.jobs.submit(spec, typeof body.requestId === "string" && body.requestId !== "" ? body.requestId : undefined);
  const complete = await ctx.jobs.wait(job, waitMs(body.timeoutMs));
  // queryId: BigQuery's id of the query, also when no job is created (jobCreationMode JOB_CREATION_OPTIONAL).
  const base = { kind: "bigquery#queryResponse", jobReference: jobReference(job), queryId: job.spec.jobId, jobComplete: complete };
  if (!complete) return base;
  if (job.error) throw job.error;
  const formatOptions = isRecord(body.formatOptions) ? body.formatOptions : {};
  const page = resultsPage(
    job.result ?? { statementType: "SELECT", totalBytesProcessed: 0 },
    { maxResults: nonNegativeInt(body.maxResults, "maxResults") },
    cellOptions(formatOptions.useInt64Timestamp === true, formatOptions.timestampOutputFormat),
  );
  return { ...base, ...page };
}

function listJobs(ctx: ServiceContext, req: RequestParts): Record<string, unknown> {
  const all = ctx.jobs.list(req.params.projectId);
  const token = queryString(req, "pageToken");
  const offset = token ? decodePageToken(token) : 0;
  const max = Math.max(1, nonNegativeInt(queryString(req, "maxResults"), "maxResults") ?? 1000);
  const page = all.slice(offset, offset + max);
  const body: Record<string, unknown> = {
    kind: "bigquery#jobList",
    jobs: page.map((job) => {
      const r = jobResource(job);
      return { ...r, state: job.state };
    }),
  };
  if (offset + page.length < all.length) body.nextPageToken = encodePageToken(offset + page.length);
  return body;
}

export function jobRoutes(ctx: ServiceContext): Route[] {
  return [
    { method: "POST", url: "/projects/:projectId/jobs", handler: async (req) => ok(await insertJob(ctx, req)) },
    { method: "GET", url: "/projects/:projectId/jobs", handler: (req) => ok(listJobs(ctx, req)) },
    { method: "GET", url: "/projects/:projectId/jobs/:jobId", handler: (req) => ok(jobResource(findJob(ctx, req))) },
    {
      method: "POST",
      url: "/projects/:projectId/jobs/:jobId/cancel",
      handler: (req) => {
        const job = findJob(ctx, req);
        ctx.jobs.cancel(job);
        return ok({ kind: "bigquery#jobCancelResponse", job: jobResource(job) });
      },
    },
    {
      method: "DELETE",
      url: "/projects/:projectId/jobs/:jobId/delete",
      handler: (req) => {
        ctx.jobs.delete(findJob(ctx, req));
        return noContent();
      },
    },
    { method: "POST", url: "/projects/:projectId/queries", handler: async (req) => ok(await query(ctx, req)) },
    { method: "GET", url: "/projects/:projectId/queries/:jobId", handler: async (req) => ok(await getQueryResults(ctx, req)) },
  ];
}
