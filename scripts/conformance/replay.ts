/**
 * Replays one fixture through @google-cloud/bigquery: a fresh dataset when it needs one, its setup
 * (SQL statements, REST calls, tables, rows), its query as a query job with the recorded parameters and
 * job configuration, then holds the answer against BigQuery's and sorts the fixture into one category.
 */
import { BigQuery, type Job, type JobMetadata, type QueryResultsOptions, type QueryRowsResponse } from "@google-cloud/bigquery";
import type { Cell, ExpectedError, Fixture, RestCall, SchemaField } from "./fixtures";
import { substitute, substituteDeep } from "./fixtures";
import { outermostStatementOrders, rowsDifference, schemaDifference } from "./compare";
import { canonicalClientRow } from "./values";

export const PASS = "pass";
export const WRONG = "wrong result";
export const ERROR_WHERE_BIGQUERY_SUCCEEDED = "error where BigQuery succeeded";
export const SUCCESS_WHERE_BIGQUERY_ERRORED = "success where BigQuery errored";
export const REFUSED = "refused";
export const CATEGORIES = [PASS, WRONG, ERROR_WHERE_BIGQUERY_SUCCEEDED, SUCCESS_WHERE_BIGQUERY_ERRORED, REFUSED] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * The local BigQuery's own words when it refuses something it does not implement (local-bigquery/src: the
 * messages of errors.ts unsupported() and engine/error_mapping.ts). Such an error is a known gap, not a wrong answer.
 */
const REFUSALS = [
  /does not implement this/,
  /may lack this BigQuery function/,
  /not supported by the local BigQuery/,
  /The local BigQuery(?:'s MERGE)? (?:cannot|can only|does not|supports)/,
  /The local engine cannot/,
  /MERGE source not understood/,
  /which BigQuery tables cannot hold/,
  /must be a literal value in the local BigQuery/,
];
export const isRefusal = (message: string): boolean => REFUSALS.some((r) => r.test(message));

/** Sent as jobTimeoutMs when a fixture sets none, so a runaway statement is stopped by the server itself. */
const JOB_TIMEOUT_MS = 30_000;
/** The client gives up on a statement (setup or query) after this long. */
const STATEMENT_DEADLINE_MS = 60_000;

export interface ErrorSeen {
  message: string;
  reason?: string;
  httpStatus?: number;
}

export interface Outcome {
  id: string;
  area: string;
  file: string;
  category: Category;
  /** The sub-class: setup, query, row count, values, row order, schema, job metadata, error reason, error message, ... */
  sub: string;
  detail: string;
  ms: number;
  ordered?: boolean;
  expected: { error: ExpectedError } | { schema: SchemaField[]; rows: Cell[][]; rowCount: number };
  actual?: { error: ErrorSeen } | { schema: SchemaField[]; rows: Cell[][]; rowCount: number };
}

export interface ReplayContext {
  client: BigQuery;
  /** The server's root URL, for the REST setup steps. */
  host: string;
  projectId: string;
  /** Unique per fixture in this run: the fresh dataset's name. */
  datasetId: string;
  /** Builds a client that adds a fixture's HTTP headers to every request. */
  clientWithHeaders(headers: Record<string, string>): BigQuery;
}

const withDeadline = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to the ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
};

interface ClientError {
  message?: unknown;
  code?: unknown;
  errors?: { reason?: string; message?: string }[];
  response?: { status?: { errorResult?: { reason?: string } } };
}

/** The reason BigQuery's clients see: the job's errorResult when the job failed, else the first error of the answer. */
export const errorSeen = (e: unknown): ErrorSeen => {
  if (!e || typeof e !== "object") return { message: String(e) };
  const err = e as ClientError;
  const reason = err.response?.status?.errorResult?.reason ?? err.errors?.[0]?.reason;
  return { message: String(err.message ?? e), reason, httpStatus: typeof err.code === "number" ? err.code : undefined };
};

type JobConfiguration = NonNullable<JobMetadata["configuration"]>;
type QueryConfiguration = NonNullable<JobConfiguration["query"]>;

/** "project.dataset.table" or "dataset.table" (backticks allowed) -> a table reference in our project by default. */
const tableReference = (text: string, projectId: string): { projectId: string; datasetId: string; tableId: string } => {
  const parts = text.replace(/`/g, "").split(".");
  if (parts.length === 3) return { projectId: parts[0], datasetId: parts[1], tableId: parts[2] };
  if (parts.length === 2) return { projectId, datasetId: parts[0], tableId: parts[1] };
  throw new Error(`conformance: cannot read table name ${text}`);
};

/** The fixture's job_config (the recorder's snake_case QueryJobConfig keys) as the REST job configuration. */
export const jobConfiguration = (fx: Fixture, vars: Record<string, string>, projectId: string): JobConfiguration => {
  const query: QueryConfiguration = { query: substitute(fx.query, vars), useLegacySql: false };
  const configuration: JobConfiguration = { query };
  const config = (fx.job_config ? substituteDeep(fx.job_config, vars) : {}) as Record<string, unknown>;
  const text = (v: unknown): string => String(v);
  for (const [key, v] of Object.entries(config)) {
    switch (key) {
      case "use_legacy_sql":
        query.useLegacySql = Boolean(v);
        break;
      case "use_query_cache":
        query.useQueryCache = Boolean(v);
        break;
      case "dry_run":
        configuration.dryRun = Boolean(v);
        break;
      case "priority":
        query.priority = text(v);
        break;
      case "allow_large_results":
        query.allowLargeResults = Boolean(v);
        break;
      case "flatten_results":
        query.flattenResults = Boolean(v);
        break;
      case "create_session":
        query.createSession = Boolean(v);
        break;
      case "write_disposition":
        query.writeDisposition = text(v);
        break;
      case "create_disposition":
        query.createDisposition = text(v);
        break;
      case "destination":
        query.destinationTable = tableReference(text(v), projectId);
        break;
      case "default_dataset": {
        const ref = tableReference(`${text(v)}.unused`, projectId);
        query.defaultDataset = { projectId: ref.projectId, datasetId: ref.datasetId };
        break;
      }
      case "maximum_bytes_billed":
        query.maximumBytesBilled = text(v);
        break;
      case "job_timeout_ms":
        configuration.jobTimeoutMs = text(v);
        break;
      case "schema_update_options":
        query.schemaUpdateOptions = v as string[];
        break;
      case "clustering_fields":
        query.clustering = { fields: v as string[] };
        break;
      case "time_partitioning": {
        const tp = v as { type?: string; field?: string; expiration_ms?: number | string };
        query.timePartitioning = { type: tp.type, field: tp.field, expirationMs: tp.expiration_ms === undefined ? undefined : String(tp.expiration_ms) };
        break;
      }
      case "connection_properties":
        query.connectionProperties = v as QueryConfiguration["connectionProperties"];
        break;
      case "labels":
        configuration.labels = v as Record<string, string>;
        break;
      default:
        throw new Error(`conformance: job_config key ${key} is not known to this runner`);
    }
  }
  if (fx.params) {
    query.parameterMode = fx.params.mode;
    query.queryParameters = substituteDeep(fx.params.parameters, vars) as QueryConfiguration["queryParameters"];
  }
  configuration.jobTimeoutMs ??= String(JOB_TIMEOUT_MS);
  return configuration;
};

interface JobAnswer {
  job: Job;
  /** The jobs.insert answer (for a dry run, the only one). */
  inserted: JobMetadata;
  schema: SchemaField[];
  rows: Record<string, unknown>[];
}

/** Runs a query job to the end and reads every page of its rows; throws the client's error. */
export const runQueryJob = async (client: BigQuery, configuration: JobConfiguration): Promise<JobAnswer> => {
  const [job, inserted] = await client.createJob({ configuration });
  if (configuration.dryRun) {
    return { job, inserted, schema: (inserted.statistics?.query?.schema?.fields ?? []) as SchemaField[], rows: [] };
  }
  const rows: Record<string, unknown>[] = [];
  let schema: SchemaField[] | undefined;
  // No timeoutMs here: with one the client fails when a long poll ends before the job does; without, it
  // hands back the next request and we poll again (bounded by STATEMENT_DEADLINE_MS around this call).
  let next: QueryResultsOptions | null | undefined = { autoPaginate: false, wrapIntegers: true, maxResults: 10_000 };
  while (next) {
    const [page, nextQuery, response]: QueryRowsResponse = await job.getQueryResults(next);
    rows.push(...(page as Record<string, unknown>[]));
    if (response?.schema) schema = (response.schema.fields ?? []) as SchemaField[];
    next = nextQuery;
  }
  return { job, inserted, schema: schema ?? [], rows };
};

class SetupError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(step);
  }
}

const restCall = async (host: string, call: RestCall): Promise<void> => {
  const response = await fetch(host + call.path, {
    method: call.method,
    headers: { "content-type": "application/json" },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  const text = await response.text();
  if (response.status < 300) return;
  let message = text;
  let reason: string | undefined;
  try {
    const envelope = JSON.parse(text) as { error: { message: string; errors?: { reason?: string }[] } };
    message = envelope.error.message;
    reason = envelope.error.errors?.[0]?.reason;
  } catch {
    // not BigQuery's error envelope: keep the text
  }
  throw Object.assign(new Error(`${call.method} ${call.path} answered ${response.status}: ${message}`), {
    code: response.status,
    errors: reason ? [{ reason }] : undefined,
  });
};

const DATASETS_PATH = /^\/(?:bigquery\/v2\/)?projects\/[^/]+\/datasets\/?$/;

/** Setup as the fixture recorded it; adds the datasets its REST calls create to `created`, to delete afterwards. */
const runSetup = async (fx: Fixture, ctx: ReplayContext, vars: Record<string, string>, created: string[]): Promise<void> => {
  for (const step of fx.setup ?? []) {
    const shown = JSON.stringify(step).slice(0, 300);
    try {
      if ("sql" in step) {
        const sql = substitute(step.sql, vars);
        await withDeadline(
          runQueryJob(ctx.client, { query: { query: sql, useLegacySql: false }, jobTimeoutMs: String(JOB_TIMEOUT_MS) }),
          STATEMENT_DEADLINE_MS,
          "setup statement",
        );
      } else if ("rest" in step) {
        const call = substituteDeep(step.rest, vars) as RestCall;
        await restCall(ctx.host, call);
        const body = call.body as { datasetReference?: { datasetId?: string } } | undefined;
        if (call.method.toUpperCase() === "POST" && DATASETS_PATH.test(call.path) && body?.datasetReference?.datasetId) {
          created.push(body.datasetReference.datasetId);
        }
      } else if ("table" in step) {
        await ctx.client.dataset(ctx.datasetId).createTable(substitute(step.table.id, vars), { schema: { fields: step.table.schema } });
      } else {
        await ctx.client.dataset(ctx.datasetId).table(substitute(step.rows.table, vars)).insert(step.rows.rows);
      }
    } catch (e) {
      throw new SetupError(shown, e);
    }
  }
};

/** Job statistics a fixture may record, read from the job's statistics.query. */
const JOB_METADATA: Record<string, (s: NonNullable<NonNullable<JobMetadata["statistics"]>["query"]>) => unknown> = {
  statement_type: (s) => s.statementType,
  num_dml_affected_rows: (s) => (s.numDmlAffectedRows === undefined || s.numDmlAffectedRows === null ? undefined : Number(s.numDmlAffectedRows)),
  ddl_operation_performed: (s) => s.ddlOperationPerformed,
  cache_hit: (s) => Boolean(s.cacheHit),
};

/**
 * cache_hit is compared only where it is certain: the fixture turns the cache off, or the statement is not
 * a query (BigQuery caches query results only). Elsewhere it depends on what ran before: BigQuery's cache is
 * per user and query text, and a run may repeat a text another fixture used.
 */
const cacheHitCertain = (fx: Fixture, expectedStatementType: unknown): boolean =>
  fx.job_config?.use_query_cache === false || (typeof expectedStatementType === "string" && expectedStatementType !== "SELECT");

export const replayFixture = async (fx: Fixture, ctx: ReplayContext): Promise<Outcome> => {
  const started = Date.now();
  const exp = fx.expect;
  const expected: Outcome["expected"] = exp.error
    ? { error: exp.error }
    : { schema: exp.schema ?? [], rows: (exp.rows ?? []).slice(0, 5), rowCount: (exp.rows ?? []).length };
  const outcome = (category: Category, sub: string, detail: string, extra: Partial<Outcome> = {}): Outcome => ({
    id: fx.id,
    area: fx.area,
    file: fx.file,
    category,
    sub,
    detail,
    ms: Date.now() - started,
    expected,
    ...extra,
  });
  const vars: Record<string, string> = {
    PROJECT: ctx.projectId,
    DATASET_ID: ctx.datasetId,
    DATASET: `${ctx.projectId}.${ctx.datasetId}`,
    PRINCIPAL: "user:alice@example.com",
    GROUP: "group:engineering@example.com",
    OTHER_PRINCIPAL: "serviceAccount:other@example.com",
    GCS_BUCKET: "conformance-no-such-bucket",
  };
  const created: string[] = [];
  try {
    try {
      if (fx.needs_dataset) {
        await ctx.client.createDataset(ctx.datasetId, { location: "US" }).catch((e: unknown) => {
          throw new SetupError("create the fixture's dataset", e);
        });
        created.push(ctx.datasetId);
      }
      await runSetup(fx, ctx, vars, created);
    } catch (e) {
      if (!(e instanceof SetupError)) throw e;
      // The setup ran on BigQuery when the fixture was recorded, so any failure here is ours.
      const seen = errorSeen(e.cause);
      const category = isRefusal(seen.message) ? REFUSED : ERROR_WHERE_BIGQUERY_SUCCEEDED;
      return outcome(category, "setup", `${seen.message} (setup step ${e.step})`, { actual: { error: seen } });
    }

    const configuration = jobConfiguration(fx, vars, ctx.projectId);
    const client = fx.headers ? ctx.clientWithHeaders(substituteDeep(fx.headers, vars) as Record<string, string>) : ctx.client;
    let answer: JobAnswer | undefined;
    let failure: ErrorSeen | undefined;
    try {
      answer = await withDeadline(runQueryJob(client, configuration), STATEMENT_DEADLINE_MS, "query");
    } catch (e) {
      failure = errorSeen(e);
    }

    if (exp.error) {
      if (!answer) return errorAgainstError(exp.error, failure ?? { message: "no error" }, outcome);
      const rows = answer.rows.slice(0, 5).map((r) => canonicalClientRow(r, answer.schema));
      return outcome(SUCCESS_WHERE_BIGQUERY_ERRORED, "query", `BigQuery: ${exp.error.message ?? exp.error.reason}`, {
        actual: { schema: answer.schema, rows, rowCount: answer.rows.length },
      });
    }
    if (!answer) {
      const seen = failure ?? { message: "no answer" };
      return outcome(isRefusal(seen.message) ? REFUSED : ERROR_WHERE_BIGQUERY_SUCCEEDED, "query", seen.message, { actual: { error: seen } });
    }

    const schema = answer.schema;
    const rows = answer.rows.map((r) => canonicalClientRow(r, schema));
    const ordered = fx.match ? fx.match === "ordered" : outermostStatementOrders(fx.query);
    const extra: Partial<Outcome> = { ordered, actual: { schema, rows: rows.slice(0, 5), rowCount: rows.length } };
    const expSchema = exp.schema ?? [];
    const expRows = exp.rows ?? [];
    if (expSchema.length === 0 && expRows.length === 0) {
      // A statement without a result (DML, DDL): BigQuery recorded no schema, so only "no rows" is checked.
      if (rows.length) return outcome(WRONG, "row count", `${rows.length} rows, BigQuery returned none`, extra);
    } else {
      const schemaDiff = schemaDifference(expSchema, schema);
      if (schemaDiff) return outcome(WRONG, "schema", schemaDiff, extra);
      const rowsDiff = rowsDifference(expRows, rows, expSchema, ordered);
      if (rowsDiff) return outcome(WRONG, rowsDiff.sub, rowsDiff.detail, extra);
    }

    if (exp.job_metadata) {
      const meta = configuration.dryRun ? answer.inserted : (await answer.job.getMetadata())[0];
      const stats = meta.statistics?.query ?? {};
      for (const [key, want] of Object.entries(exp.job_metadata)) {
        if (key === "cache_hit" && !cacheHitCertain(fx, exp.job_metadata.statement_type)) continue;
        const read = JOB_METADATA[key];
        // A key this runner cannot read is not held against the server.
        if (!read) continue;
        const got = read(stats);
        if (got !== want) return outcome(WRONG, "job metadata", `${key}: ours ${JSON.stringify(got)}, BigQuery's ${JSON.stringify(want)}`, extra);
      }
    }
    return outcome(PASS, "", "", extra);
  } catch (e) {
    return outcome(ERROR_WHERE_BIGQUERY_SUCCEEDED, "runner", `conformance runner: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    for (const datasetId of created.reverse()) {
      await ctx.client
        .dataset(datasetId)
        .delete({ force: true })
        .catch(() => undefined); // already gone (the fixture may drop it): nothing to clean
    }
  }
};

/**
 * The recorder wrote Python regular expressions (re.escape output, searched with re.search). JavaScript reads
 * the same text alike, except Python's own syntax, translated here. A pattern that still does not compile
 * matches nothing, so the fixture fails visibly rather than passing unchecked.
 */
export const pythonPattern = (source: string): RegExp => {
  const js = source.replace(/\(\?P<(\w+)>/g, "(?<$1>").replace(/\(\?P=(\w+)\)/g, "\\k<$1>").replace(/\\Z/g, "$");
  try {
    return new RegExp(js);
  } catch {
    return /(?!)/;
  }
};

/**
 * Both errored: a pass when ours has BigQuery's reason and, where the fixture records one, a message its
 * pattern matches. A refusal that is not BigQuery's error is a known gap; any other error is a wrong answer.
 */
const errorAgainstError = (
  want: ExpectedError,
  got: ErrorSeen,
  outcome: (category: Category, sub: string, detail: string, extra?: Partial<Outcome>) => Outcome,
): Outcome => {
  const actual = { error: got };
  const reasonOk = want.reason === undefined || want.reason === got.reason;
  const pattern = want.message_pattern === undefined ? undefined : pythonPattern(want.message_pattern);
  const messageOk = pattern === undefined || pattern.test(got.message);
  if (reasonOk && messageOk) return outcome(PASS, "both errored", got.message, { actual });
  if (isRefusal(got.message)) return outcome(REFUSED, "query", got.message, { actual });
  if (!reasonOk) return outcome(WRONG, "error reason", `reason ${got.reason ?? "none"}, BigQuery's ${want.reason}: ${got.message}`, { actual });
  return outcome(WRONG, "error message", `${got.message} (BigQuery's pattern: /${want.message_pattern}/)`, { actual });
};

type DecoratedRequest = ReturnType<BigQuery["interceptors"][number]["request"]>;

/** A fresh client for each fixture that sends headers; the others share one. */
export const makeClient = (apiEndpoint: string, projectId: string, headers?: Record<string, string>): BigQuery => {
  const client = new BigQuery({ projectId, apiEndpoint, location: "US" });
  if (headers) {
    client.interceptors.push({
      // The client always passes a request with a uri; its type declares the looser request library Options.
      request: (reqOpts) => ({ ...reqOpts, headers: { ...reqOpts.headers, ...headers } }) as DecoratedRequest,
    });
  }
  return client;
};
