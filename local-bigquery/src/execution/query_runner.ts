/**
 * Runs one query: resolve the tables it reads (views inlined as subqueries of
 * their SQL), evaluate it in ZetaSQL over only the columns it reads, and answer
 * repeats over unchanged tables from the result cache.
 */
import type { AstNode, EngineContext } from "../engine";
import { BigQueryError, invalidQuery } from "../errors";
import { bytesBilled } from "./bytes_estimate";
import type { Field, Row, TableRef } from "../model";
import { isNonDeterministic } from "./result_cache";
import { SqlText, withPositions } from "./sql_text";
import { loadTables, prepareStatement, usedColumnsOf, type Deps, type PreparedStatement } from "./statement_tables";
import { tableKey, type StatementScope } from "./table_names";

export interface QueryResult {
  schema: Field[];
  rows: Row[];
  bytes: number;
  /** What BigQuery would bill for `bytes` (0 on a cache hit). */
  billed: number;
  cacheHit: boolean;
}

export interface QueryOptions {
  dryRun?: boolean;
  /** Give this table the hidden row-id column (MERGE). */
  rowIdFor?: TableRef;
  /** BigQuery's maximumBytesBilled: checked before anything is evaluated. */
  maximumBytesBilled?: number;
  ast?: AstNode;
}

export async function runQuery(deps: Deps, scope: StatementScope, text: SqlText, opts: QueryOptions = {}): Promise<QueryResult> {
  const ast = opts.ast ?? (await deps.engine.parse(text.text));
  const prepared = await prepareStatement(deps, scope, text, ast);
  // The SQL sent holds the SQL of every view read, so a replaced view changes the key too.
  const key = opts.dryRun || opts.rowIdFor || isNonDeterministic(prepared.sql) ? undefined : cacheKey(deps, scope, prepared);
  const cached = key ? deps.cache.get(key) : undefined;
  // BigQuery neither processes nor bills anything for a cached answer.
  if (cached) return { ...cached, bytes: 0, billed: 0, cacheHit: true };

  const context = (): EngineContext => ({
    constants: [...scope.variables.values()],
    params: prepared.params,
    deadlineMs: scope.deadlineMs,
  });
  const sent = new SqlText(prepared.sql);
  return withPositions(sent, text, (o) => prepared.rewritten.locate(o), async () => {
    let usedColumns: Map<string, Set<number>> | undefined;
    if (prepared.uses.length > 0) {
      // Analysis finds the columns read, so only those travel (and count as bytes processed).
      const schemaOnly = loadTables(deps, prepared.uses, { content: false, rowIdFor: opts.rowIdFor });
      const resolved = await deps.engine.analyze(prepared.sql, { ...context(), tables: schemaOnly.tables });
      usedColumns = usedColumnsOf(resolved);
    }
    const loaded = loadTables(deps, prepared.uses, {
      content: !opts.dryRun,
      rowIdFor: opts.rowIdFor,
      usedColumns,
      leaveOutUnnamedIn: prepared.sql,
    });
    const billed = bytesBilled(loaded.bytes, prepared.uses.length);
    if (opts.maximumBytesBilled !== undefined) {
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
      return { schema, rows: [], bytes: loaded.bytes, billed, cacheHit: false };
    }
    const output = await deps.engine.evaluateQuery(prepared.sql, { ...context(), tables: loaded.tables });
    checkColumnNames(output.schema);
    const result = { schema: output.schema, rows: output.rows, bytes: loaded.bytes };
    if (key) deps.cache.set(key, result);
    return { ...result, billed, cacheHit: false };
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

function cacheKey(deps: Deps, scope: StatementScope, prepared: PreparedStatement): string {
  return JSON.stringify({
    sql: prepared.sql,
    params: prepared.params,
    variables: [...scope.variables.values()],
    versions: prepared.uses.map((u) => [tableKey(u.ref), deps.store.tableVersion(u.ref)]),
  });
}
