/**
 * Runs one query: resolve the tables it reads (views inlined as subqueries of their SQL), have
 * ZetaSQL analyse it, then run it on DuckDB over the stored tables when the compiler knows every
 * construct, else on ZetaSQL's reference evaluator over only the columns it reads; repeats over
 * unchanged tables are answered from the result cache.
 */
import type { AstNode, EngineContext } from "../engine";
import type { CompiledQuery, UndefinedOrder } from "../engine/duckdb";
import { BigQueryError, invalidQuery, unsupported } from "../errors";
import { bytesBilled } from "./bytes_estimate";
import type { Field, Row, TableRef, Value } from "../model";
import type { ReadTransaction, WriteTransaction } from "../storage/store";
import { CompilerGap, compile, runCompiled } from "./compiled_query";
import { isJsOnReference } from "./js_udfs";
import { isNonDeterministic } from "./result_cache";
import { SqlText, walk, withPositions } from "./sql_text";
import { bytesRead, loadTables, prepareStatement, usedColumnsOf, type Deps, type PreparedStatement } from "./statement_tables";
import { tableKey, type EngineUse, type StatementScope } from "./table_names";

export interface QueryResult {
  schema: Field[];
  rows: Row[];
  bytes: number;
  /** What BigQuery would bill for `bytes` (0 on a cache hit). */
  billed: number;
  cacheHit: boolean;
  /** Which engine answered: DuckDB, or the reference evaluator and why. */
  engine?: EngineUse;
  /** With opts.planOnly, the compiled query (not run: rows is empty); absent when ZetaSQL answered. */
  compiled?: CompiledQuery;
}

export interface QueryOptions {
  dryRun?: boolean;
  /** Give this table the hidden row-id column (MERGE). */
  rowIdFor?: TableRef;
  /** BigQuery's maximumBytesBilled: checked before anything is evaluated. */
  maximumBytesBilled?: number;
  ast?: AstNode;
  /** Read inside this write transaction (its uncommitted changes included). */
  tx?: WriteTransaction;
  /** Return the compiled query instead of running it (CREATE TABLE AS SELECT runs it into the new table). */
  planOnly?: boolean;
  /** Run on ZetaSQL's reference evaluator (after DuckDB could not plan the compiled form). */
  reference?: boolean;
  /**
   * A query job's own result: duplicate column names that came from the columns selected (`a.x, b.x`)
   * are renamed x, x_1, ... as BigQuery does; duplicate aliases written in the query are still refused.
   */
  renameImplicitDuplicates?: boolean;
}

export async function runQuery(deps: Deps, scope: StatementScope, text: SqlText, opts: QueryOptions = {}): Promise<QueryResult> {
  const ast = opts.ast ?? (await deps.engine.parse(text.text));
  const prepared = await prepareStatement(deps, scope, text, ast);
  // The SQL sent holds the SQL of every view read, so a replaced view changes the key too.
  // BigQuery never caches a query of a wildcard table.
  const wildcard = prepared.uses.some((u) => u.members);
  const uncached = opts.dryRun || opts.rowIdFor || opts.tx || opts.planOnly || opts.reference || scope.useQueryCache === false || wildcard || isNonDeterministic(prepared.sql);
  const key = uncached ? undefined : cacheKey(deps, scope, prepared);
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
    const schemaOnly = await loadTables(deps, prepared.uses, { content: false, rowIdFor: opts.rowIdFor });
    const resolved = await deps.engine.analyze(prepared.sql, { ...context(), tables: schemaOnly });
    const usedColumns = usedColumnsOf(resolved);
    const bytes = bytesRead(deps, prepared.uses, usedColumns);
    const billed = bytesBilled(bytes, prepared.uses.length);
    if (opts.maximumBytesBilled !== undefined && billed > opts.maximumBytesBilled) {
      throw new BigQueryError(
        "bytesBilledLimitExceeded",
        `Query exceeded limit for bytes billed: ${opts.maximumBytesBilled}. ${billed} or higher required.`,
      );
    }
    const forced = deps.referenceOnly ? "reference evaluator only" : opts.reference ? "its compiled form (DuckDB could not plan it)" : undefined;
    const { compiled, refused } = forced ? { compiled: undefined, refused: forced } : compile(resolved, {
      params: prepared.params,
      constants: context().constants ?? [],
      uses: prepared.uses,
      relation: (ref) => (opts.tx ? opts.tx.relation(ref) : deps.store.relation(ref)),
    });
    if (opts.dryRun) {
      const schema = compiled?.schema ?? (await deps.engine.prepareQuery(prepared.sql, { ...context(), tables: schemaOnly }));
      return { schema: resultNames(schema, ast, opts), rows: [], bytes, billed, cacheHit: false };
    }
    const onZetaSql = async (reason: string, rows = opts.tx?.readRows): Promise<{ schema: Field[]; rows: Row[] }> => {
      const tables = await loadTables(deps, prepared.uses, {
        content: true,
        rowIdFor: opts.rowIdFor,
        usedColumns,
        leaveOutUnnamedIn: prepared.sql,
        rows,
        reason,
      });
      return deps.engine.evaluateQuery(prepared.sql, { ...context(), tables });
    };
    let output: { schema: Field[]; rows: Row[] };
    let engine: EngineUse;
    if (compiled && opts.planOnly) {
      scope.engines?.push({ duckdb: true });
      return { schema: compiled.schema, rows: [], bytes, billed, cacheHit: false, compiled };
    }
    if (compiled) {
      // The oracle reads the rows it sends ZetaSQL in the same snapshot DuckDB answered from.
      // Text built in an undefined order (STRING_AGG without ORDER BY) has no one right answer to compare.
      const unordered = deps.oracle ? compiled.undefinedOrder() : "none";
      const checked = deps.oracle && bytes <= ORACLE_MAX_BYTES && unordered !== "text";
      const run = async (tx: ReadTransaction): Promise<Row[]> => {
        const rows = await runCompiled(tx.connection, compiled);
        if (checked) await checkOracle({ schema: compiled.schema, rows }, { ordered: compiled.ordered, unordered }, () => onZetaSql("the oracle check", tx.readRows));
        return rows;
      };
      try {
        const rows = opts.tx ? await run(opts.tx) : checked ? await deps.store.snapshot(run) : await deps.store.read((c) => runCompiled(c, compiled));
        output = { schema: compiled.schema, rows };
        engine = { duckdb: true };
      } catch (error) {
        if (!(error instanceof CompilerGap)) throw error;
        output = await onZetaSql(`its compiled form (DuckDB: ${error.message.split("\n")[0]})`);
        engine = { duckdb: false, refused: error.message };
      }
    } else {
      output = await onZetaSql(refused ?? "").catch((error: unknown) => {
        // The reference lacks every ST_ function: name the construct the compiler refused instead.
        if (refused && REFERENCE_LACKS_GEOGRAPHY.test((error as Error).message)) throw unsupported(`The local BigQuery does not support this statement: ${refused}`);
        // A JavaScript function runs on DuckDB only: say what kept the statement from it.
        if (refused && isJsOnReference(error)) throw unsupported(`${(error as Error).message}; DuckDB could not run this statement because of ${refused.replace(/^unsupported: /, "")}`);
        throw error;
      });
      engine = { duckdb: false, refused: refused ?? "" };
    }
    scope.engines?.push(engine);
    const result = { schema: resultNames(output.schema, ast, opts), rows: output.rows, bytes };
    if (key) deps.cache.set(key, result);
    return { ...result, billed, cacheHit: false, engine };
  });
}

const REFERENCE_LACKS_GEOGRAPHY = /Unsupported built-in function: st_|cannot take GEOGRAPHY values/i;

/** The oracle checks queries reading at most this much: semantics show on small inputs, and the evaluator is slow. */
const ORACLE_MAX_BYTES = 1024 * 1024;

/**
 * The differential oracle (tests): the reference evaluator's answer must equal DuckDB's, cell for
 * cell, in order where the query orders (rows, and arrays inside them). A query too large for the
 * evaluator is not checked.
 */
async function checkOracle(
  duck: { schema: Field[]; rows: Row[] },
  order: { ordered: boolean; unordered: UndefinedOrder },
  reference: () => Promise<{ schema: Field[]; rows: Row[] }>,
): Promise<void> {
  let expected: { schema: Field[]; rows: Row[] } | undefined;
  let failure: unknown;
  try {
    expected = await reference();
  } catch (error) {
    if (error instanceof BigQueryError && error.reason === "resourcesExceeded") return;
    // The reference evaluator has no ST_ function nor GEOGRAPHY input: geography answers are checked by their own tests.
    if (REFERENCE_LACKS_GEOGRAPHY.test((error as Error).message)) return;
    // Nor can it call JavaScript: JavaScript UDFs are checked by their own tests.
    if (isJsOnReference(error)) return;
    // Constructs the evaluator lacks (RANGE_CONTAINS, APPROX_QUANTILES, grouping sets, ...) have their own proofs.
    if (error instanceof BigQueryError && error.message.includes("does not implement this")) return;
    failure = error;
  }
  const inner = (r: Row[]): Row[] => (order.unordered === "arrays" ? r.map((row) => sortedArrays(row, duck.schema) as Row) : r);
  const rows = (r: Row[]): string => JSON.stringify(order.ordered ? inner(r) : inner(r).map((x) => JSON.stringify(x)).sort());
  const same = expected !== undefined && JSON.stringify(expected.schema) === JSON.stringify(duck.schema) && rows(expected.rows) === rows(duck.rows);
  if (same) return;
  const detail = failure ? `the reference evaluator failed: ${(failure as Error).message}` : `reference ${rows(expected?.rows ?? [])}, DuckDB ${rows(duck.rows)}`;
  throw new BigQueryError("internalError", `Differential oracle: DuckDB and ZetaSQL's reference evaluator disagree: ${detail}`);
}

/** A row with every ARRAY's elements sorted (by their JSON text), to compare arrays as multisets. */
function sortedArrays(row: Value[], fields: Field[]): Value[] {
  return fields.map((field, i) => {
    const cell = row[i];
    if (cell === null || !Array.isArray(cell)) return cell;
    const record = (v: Value): Value => (field.type === "RECORD" && Array.isArray(v) ? sortedArrays(v, field.fields ?? []) : v);
    if (field.mode !== "REPEATED") return record(cell);
    return cell.map(record).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  });
}

/** The result's column names as BigQuery gives them: duplicates refused, or renamed (opts.renameImplicitDuplicates). */
function resultNames(schema: Field[], ast: AstNode, opts: QueryOptions): Field[] {
  if (!opts.renameImplicitDuplicates) {
    checkColumnNames(schema);
    return schema;
  }
  checkColumnNames(schema.filter((f) => explicitAliases(ast).has(f.name.toLowerCase())));
  const taken = new Set(schema.map((f) => f.name.toLowerCase()));
  const seen = new Set<string>();
  return schema.map((field) => {
    const name = field.name.toLowerCase();
    if (!seen.has(name)) {
      seen.add(name);
      return field;
    }
    let n = 1;
    while (taken.has(`${name}_${n}`)) n++;
    taken.add(`${name}_${n}`);
    return { ...field, name: `${field.name}_${n}` };
  });
}

/** Aliases written with AS (or bare) in the outermost SELECT list of a query statement, lower-cased. */
function explicitAliases(ast: AstNode): Set<string> {
  const aliases = new Set<string>();
  walk(ast, (node, key) => {
    // Select-list items sit under `columns`, an alias under `alias.identifier`.
    if (key === "columns" && node.alias) {
      const id = ((node.alias as AstNode).identifier as { idString?: string } | undefined)?.idString;
      if (id) aliases.add(id.toLowerCase());
    }
    // Only the outermost query's own select list: stop at subqueries.
    return key !== "astTableSubqueryNode" && key !== "astExpressionSubqueryNode" && key !== "withClause";
  });
  return aliases;
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
