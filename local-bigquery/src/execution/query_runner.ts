/**
 * Runs one query: resolve and load the tables it reads (views evaluated from
 * their SQL), evaluate it in ZetaSQL, and answer repeats over unchanged tables
 * from the result cache.
 */
import type { AstNode, EngineContext } from "../engine";
import { BigQueryError, invalidQuery } from "../errors";
import { bytesBilled } from "./bytes_estimate";
import type { Field, Row, TableMeta, TableRef } from "../model";
import { isNonDeterministic } from "./result_cache";
import { SqlText, withPositions } from "./sql_text";
import { loadTables, prepareStatement, usedColumnsOf, type Deps, type PreparedStatement } from "./statement_tables";
import { resolveTableName, tableKey, type StatementScope } from "./table_names";

export interface QueryResult {
  schema: Field[];
  rows: Row[];
  bytes: number;
  /** Base tables and views read, transitively. */
  tablesRead: TableRef[];
  cacheHit: boolean;
}

export interface QueryOptions {
  dryRun?: boolean;
  /** Give this table the hidden row-id column (MERGE). */
  rowIdFor?: TableRef;
  /** BigQuery's maximumBytesBilled: checked before anything is evaluated. */
  maximumBytesBilled?: number;
  /** View nesting depth, to stop cycles. */
  depth?: number;
  ast?: AstNode;
}

const MAX_VIEW_DEPTH = 16;

export async function runQuery(deps: Deps, scope: StatementScope, text: SqlText, opts: QueryOptions = {}): Promise<QueryResult> {
  const ast = opts.ast ?? (await deps.engine.parse(text.text));
  const prepared = await prepareStatement(deps, scope, text, ast);
  const tablesRead = await tablesReadBy(deps, prepared);
  const key = opts.dryRun || opts.rowIdFor || isNonDeterministic(text.text) ? undefined : cacheKey(deps, scope, prepared, tablesRead);
  const cached = key ? deps.cache.get(key) : undefined;
  if (cached) return { ...cached, tablesRead, cacheHit: true };

  const evaluateView = viewEvaluator(deps, scope, opts.depth ?? 0);

  const context = (): EngineContext => ({
    constants: [...scope.variables.values()],
    params: prepared.params,
    deadlineMs: scope.deadlineMs,
  });
  const sent = new SqlText(prepared.sql);
  const toOriginal = (o: number): number => prepared.rewritten.toOriginal(o);
  return withPositions(sent, text, toOriginal, async () => {
    const schemaOnly = await loadTables(deps, prepared.uses, { content: false, rowIdFor: opts.rowIdFor });
    let usedColumns: Map<string, Set<number>> | undefined;
    if (prepared.uses.length > 0) {
      // Analysis finds the columns read, so only those travel (and count as bytes processed).
      // Views are not expanded yet: their stored schema is enough to find what is read.
      const resolved = await deps.engine.analyze(prepared.sql, { ...context(), tables: schemaOnly.tables });
      usedColumns = usedColumnsOf(resolved);
    }
    const loaded = await loadTables(deps, prepared.uses, {
      content: !opts.dryRun,
      rowIdFor: opts.rowIdFor,
      usedColumns,
      evaluateView,
    });
    if (opts.maximumBytesBilled !== undefined) {
      const billed = bytesBilled(loaded.bytes, tablesRead.length > 0);
      if (billed > opts.maximumBytesBilled) {
        throw new BigQueryError(
          "bytesBilledLimitExceeded",
          `Query exceeded limit for bytes billed: ${opts.maximumBytesBilled}. ${billed} or higher required.`,
        );
      }
    }
    if (opts.dryRun) {
      const schema = await deps.engine.prepareQuery(prepared.sql, { ...context(), tables: loaded.tables });
      checkColumnNames(schema);
      return { schema, rows: [], bytes: loaded.bytes, tablesRead, cacheHit: false };
    }
    const output = await deps.engine.evaluateQuery(prepared.sql, { ...context(), tables: loaded.tables });
    checkColumnNames(output.schema);
    const result = { schema: output.schema, rows: output.rows, bytes: loaded.bytes };
    if (key) deps.cache.set(key, result);
    return { ...result, tablesRead, cacheHit: false };
  });
}

/** BigQuery refuses results (and so tables and views) with two columns of one name. */
export function checkColumnNames(schema: Field[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const field of schema) {
    const name = field.name.toLowerCase();
    if (seen.has(name)) duplicates.add(field.name);
    seen.add(name);
  }
  if (duplicates.size > 0) {
    throw invalidQuery(`Duplicate column names in the result are not supported. Found duplicate(s): ${[...duplicates].join(", ")}`);
  }
}

/** Evaluates a view from its SQL, names resolved against the view's own dataset. */
export function viewEvaluator(
  deps: Deps,
  scope: StatementScope,
  depth: number,
): (view: TableMeta, dryRun: boolean) => Promise<{ schema: Field[]; rows: Row[]; bytes: number }> {
  return async (view, dryRun) => {
    if (depth >= MAX_VIEW_DEPTH) throw invalidQuery(`Views nest more than ${MAX_VIEW_DEPTH} deep (a cycle?) at ${tableKey(view.ref)}`);
    const viewScope: StatementScope = {
      projectId: view.ref.projectId,
      defaultDataset: { projectId: view.ref.projectId, datasetId: view.ref.datasetId },
      params: [],
      variables: new Map(),
      deadlineMs: scope.deadlineMs,
    };
    try {
      return await runQuery(deps, viewScope, new SqlText(view.viewQuery ?? ""), { dryRun, depth: depth + 1 });
    } catch (error) {
      throw viewError(view, error);
    }
  };
}

function viewError(view: TableMeta, error: unknown): unknown {
  if (error instanceof Error && "reason" in error && !error.message.includes("view")) {
    error.message = `${error.message} (in view ${view.ref.projectId}:${view.ref.datasetId}.${view.ref.tableId})`;
  }
  return error;
}

/** Every table and view a statement reads, views' tables included (for the cache key and bytes). */
async function tablesReadBy(deps: Deps, prepared: PreparedStatement): Promise<TableRef[]> {
  const seen = new Map<string, TableRef>();
  const visit = async (ref: TableRef, meta: TableMeta | undefined, depth: number): Promise<void> => {
    const key = tableKey(ref);
    if (seen.has(key) || depth > MAX_VIEW_DEPTH) return;
    seen.set(key, ref);
    if (meta?.type !== "VIEW" || !meta.viewQuery) return;
    const scope = { projectId: ref.projectId, defaultDataset: { projectId: ref.projectId, datasetId: ref.datasetId } };
    for (const segments of await viewTableNames(deps, meta)) {
      let child: TableRef;
      try {
        child = resolveTableName(segments, scope);
      } catch {
        continue; // reported when the view is evaluated
      }
      await visit(child, deps.store.getTable(child), depth + 1);
    }
  };
  for (const use of prepared.uses) await visit(use.ref, use.meta, 0);
  return [...seen.values()];
}

const viewNames = new Map<string, string[][]>();

async function viewTableNames(deps: Deps, view: TableMeta): Promise<string[][]> {
  const key = `${view.viewQuery}`;
  let names = viewNames.get(key);
  if (!names) {
    names = await deps.engine.extractTableNames(view.viewQuery ?? "");
    if (viewNames.size > 1000) viewNames.clear();
    viewNames.set(key, names);
  }
  return names;
}

function cacheKey(deps: Deps, scope: StatementScope, prepared: PreparedStatement, tablesRead: TableRef[]): string {
  const versions = tablesRead.map((ref) => [tableKey(ref), deps.store.getTable(ref) ? deps.store.tableVersion(ref) : -1]);
  return JSON.stringify({
    sql: prepared.sql,
    params: prepared.params,
    variables: [...scope.variables.values()],
    uses: prepared.uses.map((u) => [u.engineName, tableKey(u.ref)]),
    versions,
  });
}
