/**
 * The executor: runs a request's GoogleSQL (one statement or a short script)
 * against the store, with ZetaSQL evaluating every expression.
 */
import type { Engine } from "../engine";
import { BigQueryError, invalid } from "../errors";
import type { Store } from "../storage/store";
import { createSchema, createTableOrView, alterTable, drop, type DdlOutcome } from "./ddl";
import { modify, truncate, type DmlOutcome } from "./dml";
import type { ExecutionRequest, ExecutionResult, Executor } from "./executor";
import { checkDestination, writeDestination } from "./destination";
import { exportData, exportResult } from "./export_data";
import { merge } from "./merge";
import { dropSpecial } from "./table_copies";
import { runQuery } from "./query_runner";
import { rowAccessPolicyStatement } from "./row_access_ddl";
import { ResultCache } from "./result_cache";
import { dryRunStatements, finishScript, isScript, runStatements, type ScriptState } from "./procedural";
import { engineWithRoutines } from "./routine_functions";
import { checkSupported, splitStatements, type ParsedStatement } from "./script";
import { ScriptSession } from "./script_session";
import { checkStructure } from "./script_structure";
import { SqlText, nodeKinds } from "./sql_text";
import type { Deps } from "./statement_tables";
import type { EngineUse, StatementScope } from "./table_names";

export type { ExecutionRequest, ExecutionResult, Executor } from "./executor";

type Runtime = Deps;

export function createExecutor(options: { store: Store; engine: Engine; oracle?: boolean; referenceOnly?: boolean; jobs?: Deps["jobs"]; exportRoot?: string }): Executor {
  const runtime: Runtime = { ...options, cache: new ResultCache() };
  return {
    execute: (request) => execute(runtime, request),
    close: async () => undefined, // the engine and the store belong to whoever created them
  };
}

async function execute(runtime: Runtime, request: ExecutionRequest): Promise<ExecutionResult> {
  const script = new SqlText(request.sql);
  if (script.text.trim() === "") throw invalid("The query is empty", "query");
  const maximumBytesBilled = parseLimit(request.maximumBytesBilled);
  const statements = await splitStatements(runtime.engine, script);
  checkSupported(statements);
  checkStructure(statements, script);
  if (request.destination) checkDestination(runtime, request.destination);
  const session = new ScriptSession(runtime.store, request.projectId);
  const scope: StatementScope = {
    projectId: request.projectId,
    defaultDataset: request.defaultDataset,
    params: request.params,
    variables: new Map(),
    deadlineMs: request.timeoutMs,
    useQueryCache: request.useQueryCache,
    engines: [],
    tempTables: session.tempTables,
  };
  const deps: Runtime = { ...runtime, engine: engineWithRoutines(runtime.engine, () => state.deps.store, session, scope) };
  const state: ScriptState = {
    deps,
    base: deps,
    runLeaf: runStatement,
    opts: { dryRun: request.dryRun ?? false, maximumBytesBilled },
    deadline: Date.now() + (request.timeoutMs ?? MAX_SCRIPT_MS),
    session,
    bytes: 0,
    ranDdl: false,
    caught: [],
  };
  const frame = { text: script, scope };
  try {
    if (state.opts.dryRun) await dryRunStatements(state, frame, statements.map((s) => s.ast));
    else await runStatements(state, frame, statements.map((s) => s.ast));
  } catch (error) {
    // A dry run cannot see what earlier statements of the script would have created.
    if (!(state.opts.dryRun && state.ranDdl && error instanceof BigQueryError && error.reason === "notFound")) throw error;
  } finally {
    await finishScript(state).finally(() => session.close());
  }
  const engines = summarise(scope.engines ?? []);
  const last = state.last;
  if (request.destination && last) {
    const source = isScript(statements) ? { statementType: "SCRIPT" as const, totalBytesProcessed: 0 } : last;
    return { ...(await writeDestination(runtime, { ...request, destination: request.destination }, source)), engines };
  }
  if (!isScript(statements) && last) return { ...last, engines };
  return {
    statementType: "SCRIPT",
    schema: last?.schema,
    rows: last?.rows,
    totalBytesProcessed: state.bytes,
    engines,
  };
}

/** Scripts without a deadline of their own stop after this long (a loop that never ends). */
const MAX_SCRIPT_MS = 5 * 60_000;

function summarise(uses: EngineUse[]): ExecutionResult["engines"] {
  if (uses.length === 0) return undefined;
  const refused = uses.flatMap((u) => (u.duckdb ? [] : [u.refused]));
  return { duckdb: uses.length - refused.length, referenceEvaluator: refused.length, refused: [...new Set(refused)] };
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw invalid(`Invalid maximumBytesBilled: ${value}`, "maximumBytesBilled");
  return n;
}

async function runStatement(
  runtime: Runtime,
  scope: StatementScope,
  text: SqlText,
  statement: ParsedStatement,
  opts: { dryRun: boolean; maximumBytesBilled?: number },
): Promise<ExecutionResult> {
  // Parse locations are offsets in the whole script: unless the statement starts it, re-parse the
  // statement alone for offsets in `text`.
  const kind = statement.kinds[statement.kinds.length - 1];
  const ast = statement.range.start === 0 ? statement.ast : await runtime.engine.parse(text.text);
  const { node } = unwrap(ast);
  const { dryRun } = opts;
  switch (kind) {
    case "astQueryStatementNode": {
      const result = await runQuery(runtime, scope, text, { ast, dryRun, maximumBytesBilled: opts.maximumBytesBilled, renameImplicitDuplicates: true });
      return {
        statementType: "SELECT",
        schema: result.schema,
        rows: result.rows,
        totalBytesProcessed: result.bytes,
        totalBytesBilled: result.billed,
        cacheHit: result.cacheHit,
      };
    }
    case "astCreateSchemaStatementNode":
      return ddlResult(await createSchema(runtime, scope, text, dryRun));
    case "astCreateTableStatementNode":
    case "astCreateViewStatementNode":
    case "astCreateMaterializedViewStatementNode":
    case "astCreateSnapshotTableStatementNode":
      return ddlResult(await createTableOrView(runtime, scope, text, ast, dryRun));
    case "astDropSnapshotTableStatementNode":
    case "astDropMaterializedViewStatementNode":
      return ddlResult(await dropSpecial(runtime, scope, node, kind === "astDropSnapshotTableStatementNode" ? "snapshot" : "materialized", dryRun));
    case "astExportDataStatementNode":
      return exportResult(await exportData(runtime, scope, text, node, dryRun));
    case "astAlterTableStatementNode":
      return ddlResult(await alterTable(runtime, scope, text, node, dryRun));
    case "astDropStatementNode":
      return ddlResult(await drop(runtime, scope, node, dryRun));
    case "astInsertStatementNode":
    case "astUpdateStatementNode":
    case "astDeleteStatementNode": {
      const dmlKind = kind === "astInsertStatementNode" ? "INSERT" : kind === "astUpdateStatementNode" ? "UPDATE" : "DELETE";
      return dmlResult(await modify(runtime, scope, text, ast, node, dmlKind, dryRun));
    }
    case "astMergeStatementNode":
      return dmlResult(await merge(runtime, scope, text, ast, node, dryRun));
    case "astTruncateStatementNode":
      return dmlResult(await truncate(runtime, scope, node, dryRun));
    case "astCreateRowAccessPolicyStatementNode":
    case "astDropRowAccessPolicyStatementNode":
    case "astDropAllRowAccessPoliciesStatementNode":
      return ddlResult(await rowAccessPolicyStatement(runtime, scope, text, kind, node, dryRun));
    default:
      throw new Error(`unreachable: ${kind}`);
  }
}

const unwrap = (ast: Record<string, unknown>): { node: Record<string, unknown> } => nodeKinds(ast);

function ddlResult(outcome: DdlOutcome): ExecutionResult {
  return {
    statementType: outcome.statementType,
    ddlTargetTable: outcome.target,
    totalBytesProcessed: outcome.bytes,
    ddlOperationPerformed: outcome.operation,
    ddlSchema: outcome.schema,
  };
}

function dmlResult(outcome: DmlOutcome): ExecutionResult {
  return {
    statementType: outcome.statementType,
    ddlTargetTable: outcome.target,
    numDmlAffectedRows: outcome.affected,
    totalBytesProcessed: outcome.bytes,
    ddlSchema: outcome.schema,
  };
}
