/**
 * Query jobs: each runs through the Executor on its own (no lock between jobs),
 * and its result stays in memory for paging. The registry is bounded: beyond
 * maxJobs or maxRowsKept the oldest finished jobs are forgotten (they then read
 * as "Not found: Job"), like BigQuery's expiry of old results.
 */
import { BigQueryError, duplicate, invalid, notFound } from "../errors";
import type { ExecutionRequest, ExecutionResult, Executor } from "../execution/executor";
import type { JobSummary } from "../execution/information_schema";

export interface JobSpec {
  projectId: string;
  jobId: string;
  location: string;
  /** The configuration as the client sent it, echoed by jobs.get. */
  configuration: Record<string, unknown>;
  /** QUERY unless said otherwise (COPY, EXTRACT). */
  jobType?: string;
  /** Runs a job that is not a query (a copy job); a query job runs `request` on the executor. */
  perform?: () => Promise<ExecutionResult>;
  request: ExecutionRequest;
}

export interface Job {
  spec: JobSpec;
  state: "RUNNING" | "DONE";
  creationTime: number;
  startTime: number;
  endTime?: number;
  result?: ExecutionResult;
  error?: BigQueryError;
  /** Settles when the job is DONE; never rejects. */
  done: Promise<void>;
}

export interface RegistryOptions {
  maxJobs?: number;
  maxRowsKept?: number;
  /** A job that runs longer fails with a timeout error (the engine gets the same deadline). */
  jobTimeoutMs?: number;
  now?: () => number;
}

export const DEFAULT_JOB_TIMEOUT_MS = 5 * 60 * 1000;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  /** jobs.query requestIds: a client's retry of the same request gets the same job instead of running it twice. */
  private readonly byRequestId = new Map<string, Job>();
  private rowsKept = 0;
  private readonly maxJobs: number;
  private readonly maxRowsKept: number;
  private readonly jobTimeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly executor: () => Executor | undefined,
    opts: RegistryOptions = {},
  ) {
    this.maxJobs = opts.maxJobs ?? 1000;
    this.maxRowsKept = opts.maxRowsKept ?? 2_000_000;
    this.jobTimeoutMs = opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
  }

  /** Starts a job; throws duplicate when the id is taken. A repeated requestId returns the job it started. */
  submit(spec: JobSpec, requestId?: string): Job {
    const earlier = requestId === undefined ? undefined : this.byRequestId.get(`${spec.projectId}\u0000${requestId}`);
    if (earlier && this.jobs.has(jobKey(earlier.spec.projectId, earlier.spec.jobId))) return earlier;
    const key = jobKey(spec.projectId, spec.jobId);
    if (this.jobs.has(key)) throw duplicate(`Already Exists: Job ${spec.projectId}:${spec.location}.${spec.jobId}`);
    const now = this.now();
    const job: Job = { spec, state: "RUNNING", creationTime: now, startTime: now, done: Promise.resolve() };
    job.done = (spec.perform ? spec.perform() : this.run(job.spec.request)).then(
      (result) => this.finish(job, result, undefined),
      (error: unknown) => this.finish(job, undefined, asBigQueryError(error)),
    );
    this.jobs.set(key, job);
    if (requestId !== undefined) this.byRequestId.set(`${spec.projectId}\u0000${requestId}`, job);
    this.evict();
    return job;
  }

  /** A dry run: validated and described by the executor, never stored. */
  async dryRun(request: ExecutionRequest): Promise<ExecutionResult> {
    return this.run({ ...request, dryRun: true });
  }

  get(projectId: string, jobId: string, location: string): Job {
    const job = this.jobs.get(jobKey(projectId, jobId));
    if (!job) throw notFound(`Not found: Job ${projectId}:${location}.${jobId}`);
    return job;
  }

  /** Every job kept, as INFORMATION_SCHEMA.JOBS shows it. */
  summaries(): JobSummary[] {
    return [...this.jobs.values()].map(jobSummary);
  }

  list(projectId: string): Job[] {
    return [...this.jobs.values()].filter((j) => j.spec.projectId === projectId).reverse();
  }

  /** jobs.delete: forgets a finished job (BigQuery refuses to delete one still running). */
  delete(job: Job): void {
    if (job.state !== "DONE") throw invalid(`Job ${job.spec.projectId}:${job.spec.location}.${job.spec.jobId} is still running; cancel it before deleting it`);
    this.jobs.delete(jobKey(job.spec.projectId, job.spec.jobId));
    this.rowsKept -= job.result?.rows?.length ?? 0;
    for (const [id, j] of this.byRequestId) if (j === job) this.byRequestId.delete(id);
  }

  /** Marks a running job cancelled; the engine's late answer is ignored. */
  cancel(job: Job): void {
    if (job.state === "DONE") return;
    this.finish(job, undefined, new BigQueryError("stopped", "Job execution was cancelled: User requested cancellation"));
  }

  /** Waits up to timeoutMs for the job; true when it is DONE. */
  async wait(job: Job, timeoutMs: number): Promise<boolean> {
    if (job.state === "DONE") return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, timeoutMs));
    });
    await Promise.race([job.done, timeout]);
    clearTimeout(timer);
    return isDone(job);
  }

  /** Waits for every running job (used on shutdown). */
  async drain(timeoutMs: number): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => this.wait(j, timeoutMs)));
  }

  private async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const executor = this.executor();
    if (!executor) {
      throw new BigQueryError("backendError", "The local BigQuery's SQL engine is not running, so queries cannot run");
    }
    const timeoutMs = Math.min(request.timeoutMs ?? this.jobTimeoutMs, this.jobTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BigQueryError("timeout", `Query exceeded the local BigQuery's time limit of ${timeoutMs} ms`)),
        timeoutMs + 1000,
      );
    });
    try {
      return await Promise.race([executor.execute({ ...request, timeoutMs }), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private finish(job: Job, result: ExecutionResult | undefined, error: BigQueryError | undefined): void {
    if (job.state === "DONE") return;
    job.state = "DONE";
    job.endTime = this.now();
    job.result = result;
    job.error = error;
    this.rowsKept += result?.rows?.length ?? 0;
    this.evict();
  }

  private evict(): void {
    for (const [key, job] of this.jobs) {
      if (this.jobs.size <= this.maxJobs && this.rowsKept <= this.maxRowsKept) return;
      if (job.state !== "DONE") continue;
      this.jobs.delete(key);
      this.rowsKept -= job.result?.rows?.length ?? 0;
      for (const [id, j] of this.byRequestId) if (j === job) this.byRequestId.delete(id);
    }
  }
}

// A function, so TypeScript does not narrow job.state across the await above.
const isDone = (job: Job): boolean => job.state === "DONE";

const jobKey = (projectId: string, jobId: string): string => `${projectId}\u0000${jobId}`;

/** Anything thrown that is not a BigQueryError is an internal fault, reported without its stack. */
export function asBigQueryError(error: unknown): BigQueryError {
  if (error instanceof BigQueryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BigQueryError("internalError", `Internal error in the local BigQuery: ${message}`);
}

function jobSummary(job: Job): JobSummary {
  const configuration = job.spec.configuration;
  const query = configuration.query as { query?: unknown } | undefined;
  const labels = configuration.labels;
  const result = job.result;
  return {
    projectId: job.spec.projectId,
    jobId: job.spec.jobId,
    location: job.spec.location,
    jobType: job.spec.jobType ?? "QUERY",
    statementType: result?.statementType,
    query: typeof query?.query === "string" ? query.query : undefined,
    state: job.state,
    creationTime: job.creationTime,
    startTime: job.startTime,
    endTime: job.endTime,
    totalBytesProcessed: result?.totalBytesProcessed,
    totalBytesBilled: result?.totalBytesBilled ?? result?.totalBytesProcessed,
    cacheHit: result?.cacheHit,
    error: job.error ? { reason: job.error.reason, message: job.error.message } : undefined,
    destinationTable: result?.ddlTargetTable,
    labels: labels && typeof labels === "object" ? (labels as Record<string, string>) : undefined,
  };
}
