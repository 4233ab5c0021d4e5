/**
 * Prepares one statement for ZetaSQL: finds the tables it names, resolves them
 * as BigQuery does, rewrites names to the single identifiers the engine's
 * catalog holds, inlines views as subqueries of their SQL, and builds that
 * catalog: base tables with their rows (only the columns the statement reads).
 */
import { MAX_REQUEST_BYTES, type AstNode, type Engine, type EngineColumn, type EngineTable } from "../engine";
import { BigQueryError, invalidQuery } from "../errors";
import type { QueryParameter, Row, TableMeta, TableRef } from "../model";
import type { Store, StoredRow, TableStats } from "../storage/store";
import type { ResultCache } from "./result_cache";
import { RewrittenSql, SqlText, pathSegments, quoteIdentifier, rangeOf, walk } from "./sql_text";
import { tableFunctionBody, type TableFunctionScope } from "./table_functions";
import { groupBySelectPositions } from "./group_by_positions";
import { datasetNotFound, resolveTableName, tableKey, tableNotFound, type StatementScope } from "./table_names";
import { informationSchemaSql, isInformationSchema, type JobSummary } from "./information_schema";
import { rowFilter } from "./row_access";
import { isWildcard, resolveWildcard, wildcardRows, wildcardStats, type WildcardMember } from "./wildcard_tables";
import { pseudoColumnsOf } from "./pseudo_columns";

export interface Deps {
  store: Store;
  engine: Engine;
  cache: ResultCache;
  /** Also answer every compiled query on ZetaSQL's reference evaluator and fail on any difference (tests). */
  oracle?: boolean;
  /** Run everything on ZetaSQL's reference evaluator, never DuckDB: the other side of differential tests. */
  referenceOnly?: boolean;
  /** The jobs INFORMATION_SCHEMA.JOBS lists (the REST layer's registry). */
  jobs?: () => JobSummary[];
  /** Where EXPORT DATA writes gs:// URIs (`<data dir>/gcs`); without it EXPORT DATA is refused. */
  exportRoot?: string;
}

/** The hidden column that carries the store's row id into ZetaSQL (UPDATE, DELETE, MERGE). */
export const ROW_ID = "__lbq_row_id";

export interface TableUse {
  ref: TableRef;
  meta: TableMeta;
  /** Its name in the SQL sent to ZetaSQL (one identifier). */
  engineName: string;
  /** A wildcard table (`ds.events_*`): the tables it reads (wildcard_tables.ts); meta is their common schema. */
  members?: WildcardMember[];
}

export interface PreparedStatement {
  original: SqlText;
  rewritten: RewrittenSql;
  /** The SQL to send (rewritten.text()). */
  sql: string;
  params: QueryParameter[];
  /** The base tables read or written, under views too, each once. */
  uses: TableUse[];
}

/**
 * Rewrites names and positional parameters; throws notFound for a table that does not exist.
 * Every base table becomes the catalog's one identifier `p.d.t`; every view becomes a parenthesised
 * subquery of its SQL (its own names rewritten likewise, views over views too), so ZetaSQL sees base
 * tables only and analysis finds the columns the whole statement reads.
 */
export async function prepareStatement(
  deps: Deps,
  scope: StatementScope,
  text: SqlText,
  ast: AstNode,
  opts: { skip?: (segments: string[]) => boolean; namesFrom?: string; inlineTableFunctions?: boolean } = {},
): Promise<PreparedStatement> {
  const namesText = opts.namesFrom ?? text.text;
  const names = namesText.trim() === "" ? [] : (await deps.engine.extractTableNames(namesText)).filter((s) => !opts.skip?.(s));
  const uses = new Map<string, TableUse>();
  const tableFunctions = opts.inlineTableFunctions === false ? undefined : { scope };
  const rewritten = await rewriteReferences(deps, { text, ast, names, scope, uses, views: [], tableFunctions });
  const params = rewritePositionalParameters(ast, rewritten, scope.params);
  return { original: text, rewritten, sql: rewritten.changed ? rewritten.text() : text.text, params, uses: [...uses.values()] };
}

interface RewriteContext {
  text: SqlText;
  ast: AstNode;
  /** Table names the text reads or writes (CTE names excluded), as written. */
  names: string[][];
  scope: Pick<StatementScope, "projectId" | "defaultDataset">;
  /** Base tables found so far, by tableKey (shared by the statement and the views it inlines). */
  uses: Map<string, TableUse>;
  /** Views being inlined around this text, outermost first (to stop cycles). */
  views: string[];
  /** Table function calls are inlined, their arguments read in this scope (absent: calls are left as they are). */
  tableFunctions?: TableFunctionScope;
}

async function rewriteReferences(deps: Deps, ctx: RewriteContext): Promise<RewrittenSql> {
  const byPath = new Map<string, { ref: TableRef; meta: TableMeta; members?: WildcardMember[] }>();
  for (const segments of ctx.names) {
    if (isInformationSchema(splitParts(segments))) continue;
    const ref = resolveTableName(segments, ctx.scope);
    const meta = deps.store.getTable(ref);
    if (meta) byPath.set(JSON.stringify(segments), { ref, meta });
    else if (isWildcard(ref)) byPath.set(JSON.stringify(segments), { ref, ...resolveWildcard(deps.store, ref) });
    // BigQuery names what is missing: the dataset before the table.
    else throw deps.store.getDataset(ref) ? tableNotFound(ref) : datasetNotFound(ref);
  }
  const rewritten = new RewrittenSql(ctx.text);
  groupBySelectPositions(ctx.ast, ctx.text, rewritten);
  for (const reference of tableReferences(ctx.ast)) {
    if (reference.call) {
      if (ctx.tableFunctions) await inlineTableFunction(deps, ctx, rewritten, reference.call);
      continue;
    }
    const segments = pathSegments(reference.path);
    if (!segments || (segments.length === 1 && reference.ctes.has(segments[0].toLowerCase()))) continue;
    const range = pathRange(reference.path);
    const parts = splitParts(segments);
    if (range && isInformationSchema(parts)) {
      if (reference.target) throw invalidQuery(`Cannot modify INFORMATION_SCHEMA view ${parts.join(".")}`);
      const sql = await informationSchemaSql({ store: deps.store, jobs: deps.jobs }, parts, ctx.scope);
      const alias = reference.needsAlias ? ` AS ${quoteIdentifier(parts[parts.length - 1])}` : "";
      rewritten.replace(range, `(${sql}\n)${alias}`);
      continue;
    }
    const found = byPath.get(JSON.stringify(segments));
    if (!found || !range) continue;
    // BigQuery's implicit alias is the table's own name; ZetaSQL would take the whole identifier.
    const alias = reference.needsAlias ? ` AS ${quoteIdentifier(found.ref.tableId)}` : "";
    const key = tableKey(found.ref);
    if (found.meta.type === "VIEW") {
      if (reference.target) throw invalidQuery(`Cannot modify a view: ${key}`);
      const view = await inlineView(deps, found.meta, ctx);
      // The newline ends a trailing line comment of the view's SQL.
      rewritten.replace(range, `(${view.sql}\n)${alias}`, { at: 1, rewritten: view.rewritten, label: key });
    } else {
      if (reference.target && found.members) throw invalidQuery(`A wildcard table cannot be the target of a DML statement: ${key}`);
      if (!ctx.uses.has(key)) ctx.uses.set(key, { ref: found.ref, meta: found.meta, engineName: key, members: found.members });
      // Row-level security: a table read (not a DML target) shows only the rows granted to the caller.
      const filter = reference.target ? undefined : rowFilter(found.meta);
      if (filter) rewritten.replace(range, `(SELECT * FROM ${quoteIdentifier(key)} WHERE ${filter})${alias}`);
      else rewritten.replace(range, quoteIdentifier(key) + alias);
    }
  }
  return rewritten;
}

/** A path's dot-separated parts (`region-us.INFORMATION_SCHEMA.X` may be one quoted identifier). */
const splitParts = (segments: string[]): string[] => segments.flatMap((s) => s.split("."));

/** A table function call in FROM becomes a parenthesised subquery of its body, arguments bound (table_functions.ts). */
async function inlineTableFunction(deps: Deps, ctx: RewriteContext, rewritten: RewrittenSql, call: AstNode): Promise<void> {
  const inlined = await tableFunctionBody(deps, call, ctx.text, ctx.scope.projectId, ctx.tableFunctions as TableFunctionScope);
  const whole = rangeOf(call);
  const name = rangeOf(call.name);
  if (!inlined || !whole || !name) return;
  const key = tableKey({ ...inlined.routine.ref, tableId: inlined.routine.ref.routineId });
  const alias = call.alias ? rangeOf(call.alias) : undefined;
  const range = { start: name.start, end: alias ? alias.start : whole.end };
  const text = new SqlText(inlined.body);
  try {
    if (ctx.views.includes(key)) throw invalidQuery(`Table function ${key} calls itself: ${[...ctx.views, key].join(" -> ")}`);
    if (ctx.views.length >= MAX_VIEW_DEPTH) throw invalidQuery(`Views and table functions nest more than ${MAX_VIEW_DEPTH} levels deep`);
    const { ast, names } = await parsedView(deps, text.text);
    const body = await rewriteReferences(deps, {
      ...ctx,
      text,
      ast,
      names,
      scope: { projectId: inlined.routine.ref.projectId },
      views: [...ctx.views, key],
    });
    const sql = body.changed ? body.text() : text.text;
    rewritten.replace(range, `(${sql}\n) ${alias ? "" : `AS ${quoteIdentifier(inlined.routine.ref.routineId)}`}`, { at: 1, rewritten: body, label: key });
  } catch (error) {
    throw inView(key, error);
  }
}

/** BigQuery's limit on nested views. */
const MAX_VIEW_DEPTH = 16;

/** A view's SQL with its names rewritten. Its names resolve against the view's project and never the request's default dataset. */
async function inlineView(deps: Deps, view: TableMeta, outer: RewriteContext): Promise<{ sql: string; rewritten: RewrittenSql }> {
  const key = tableKey(view.ref);
  const text = new SqlText(view.viewQuery ?? "");
  try {
    if (outer.views.includes(key)) throw invalidQuery(`View ${key} refers to itself: ${[...outer.views, key].join(" -> ")}`);
    if (outer.views.length >= MAX_VIEW_DEPTH) throw invalidQuery(`Views nest more than ${MAX_VIEW_DEPTH} levels deep`);
    const { ast, names } = await parsedView(deps, text.text);
    const rewritten = await rewriteReferences(deps, {
      text,
      ast,
      names,
      scope: { projectId: view.ref.projectId },
      uses: outer.uses,
      views: [...outer.views, key],
      tableFunctions: outer.tableFunctions,
    });
    return { sql: rewritten.changed ? rewritten.text() : text.text, rewritten };
  } catch (error) {
    throw inView(key, error);
  }
}

const parsedViews = new Map<string, { ast: AstNode; names: string[][] }>();

async function parsedView(deps: Deps, sql: string): Promise<{ ast: AstNode; names: string[][] }> {
  let parsed = parsedViews.get(sql);
  if (!parsed) {
    parsed = { ast: await deps.engine.parse(sql), names: await deps.engine.extractTableNames(sql) };
    if (parsedViews.size >= 1000) parsedViews.clear();
    parsedViews.set(sql, parsed);
  }
  return parsed;
}

/** An error raised for a view's own SQL: says so, positions named as BigQuery names them (`at [p.d.v:line:col]`). */
function inView(label: string, error: unknown): unknown {
  if (!(error instanceof BigQueryError) || error.message.startsWith("in view ")) return error;
  const message = error.message.replace(/ at \[(\d+):(\d+)\]/g, ` at [${label}:$1:$2]`);
  return new BigQueryError(error.reason, `in view ${label}: ${message}`, error.location, error.status);
}

interface TableReference {
  path: unknown;
  /** A table function call (its parse-tree node), not a table. */
  call?: AstNode;
  /** No alias written: BigQuery's implicit one must be spelled out. */
  needsAlias: boolean;
  /** Written, not read (DML target). */
  target: boolean;
  /** Names of the CTEs in scope (lower case): a one-part path naming one is not a table. */
  ctes: ReadonlySet<string>;
}

/** Table paths in FROM/JOIN clauses and DML targets, each with the CTE names visible where it stands. */
function tableReferences(ast: AstNode): TableReference[] {
  const found: TableReference[] = [];
  const visit = (node: unknown, key: string, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, key, ctes);
      return;
    }
    if (!node || typeof node !== "object") return;
    const obj = node as AstNode;
    const withClause = obj.withClause as AstNode | undefined;
    if (withClause && Array.isArray(withClause.with)) {
      const entries = withClause.with as AstNode[];
      const names = entries.map((e) => String((e.alias as { idString?: string } | undefined)?.idString ?? "").toLowerCase());
      const all = new Set([...ctes, ...names]);
      // A CTE sees the ones before it (all of them, WITH RECURSIVE); the query body sees all.
      entries.forEach((entry, i) => visit(entry, "with", withClause.recursive ? all : new Set([...ctes, ...names.slice(0, i)])));
      for (const [k, v] of Object.entries(obj)) if (k !== "withClause") visit(v, k, all);
      return;
    }
    if (key === "astTablePathExpressionNode") found.push({ path: obj.pathExpr, needsAlias: obj.alias === undefined, target: false, ctes });
    if (key === "astTvfNode") found.push({ path: obj.name, call: obj, needsAlias: false, target: false, ctes });
    if (obj.targetPath !== undefined) {
      found.push({ path: obj.targetPath, needsAlias: key !== "astInsertStatementNode" && obj.alias === undefined, target: true, ctes });
    }
    for (const [k, v] of Object.entries(obj)) visit(v, k, ctes);
  };
  visit(ast, "", new Set());
  return found;
}

function pathRange(pathNode: unknown): { start: number; end: number } | undefined {
  let current = pathNode as AstNode | undefined;
  while (current && !Array.isArray(current.names) && typeof current.node === "string") {
    current = current[current.node] as AstNode;
  }
  const names = (current?.names ?? []) as AstNode[];
  if (names.length === 0) return undefined;
  const first = locationOf(names[0]);
  const last = locationOf(names[names.length - 1]);
  return first && last ? { start: first.start, end: last.end } : undefined;
}

function locationOf(node: AstNode): { start: number; end: number } | undefined {
  let current: AstNode | undefined = node;
  while (current) {
    const range = current.parseLocationRange as { start?: number; end?: number } | undefined;
    if (range) return { start: range.start ?? 0, end: range.end ?? 0 };
    current = current.parent as AstNode | undefined;
  }
  return undefined;
}

/** ZetaSQL's service only takes named parameter values: `?` becomes @__lbq_pN. */
function rewritePositionalParameters(ast: AstNode, rewritten: RewrittenSql, params: QueryParameter[]): QueryParameter[] {
  if (params.length === 0 || params.some((p) => p.name)) return params;
  walk(ast, (node, key) => {
    if (key === "astParameterExprNode" && node.name === undefined) {
      const range = locationOf(node);
      const position = Number(node.position ?? 0);
      if (range && position > 0) rewritten.replace(range, `@__lbq_p${position}`);
    }
  });
  return params.map((p, i) => ({ ...p, name: `__lbq_p${i + 1}` }));
}

export interface LoadOptions {
  /** Send rows (evaluation) or only schemas (analysis). */
  content: boolean;
  /** The table whose rows carry the hidden ROW_ID column. */
  rowIdFor?: TableRef;
  /** Make ROW_ID that table's primary key (UPDATE and DELETE report it). */
  rowIdIsKey?: boolean;
  /** Columns read, by engine name (from analysis); tables absent get no rows. Undefined: every column. */
  usedColumns?: Map<string, Set<number>>;
  /**
   * Queries: leave out the columns neither read (usedColumns) nor named in this SQL. Named but not
   * read stays: `SELECT * EXCEPT (c)` names c. Not for DML (EvaluateModify needs the whole table).
   */
  leaveOutUnnamedIn?: string;
  /** Where rows come from: a write transaction's own view, else the committed store. */
  rows?: (ref: TableRef) => Promise<StoredRow[]>;
  /** Why the rows must travel to ZetaSQL (the construct the DuckDB compiler refused), for the size refusal. */
  reason?: string;
}

const sameRef = (a: TableRef, b: TableRef | undefined): boolean =>
  !!b && a.projectId === b.projectId && a.datasetId === b.datasetId && a.tableId === b.tableId;

/** The engine's view of the tables a statement uses: schemas, and rows when content is asked for. */
export async function loadTables(deps: Deps, uses: TableUse[], opts: LoadOptions): Promise<EngineTable[]> {
  const tables: EngineTable[] = [];
  const named = opts.leaveOutUnnamedIn === undefined ? undefined : namedIn(opts.leaveOutUnnamedIn);
  if (opts.content) checkFitsZetaSql(deps, uses, opts);
  for (const use of uses) {
    const used = opts.usedColumns ? (opts.usedColumns.get(use.engineName) ?? new Set<number>()) : undefined;
    // Scanned with no column (COUNT(*)) still needs its rows; never scanned needs none.
    const scanned = !opts.usedColumns || opts.usedColumns.has(use.engineName);
    const schema = use.meta.schema;
    const withRowId = sameRef(use.ref, opts.rowIdFor);
    // Even a NULL cell costs bytes of the 4 MiB a request may carry: leave out what is neither read nor named.
    const kept = schema.map((f, i) => !used || !named || used.has(i) || named(f.name));
    const columns: EngineColumn[] = schema.filter((_, i) => kept[i]).map((f) => ({ name: f.name, field: f }));
    // Pseudo-columns (_TABLE_SUFFIX, _PARTITIONTIME, ...) go before ROW_ID, which stays last (the key).
    const pseudo = pseudoColumnsOf(use.meta, use.members !== undefined);
    for (const p of pseudo) columns.push({ name: p.name, field: p.field, pseudo: true });
    if (withRowId) columns.push({ name: ROW_ID, field: { type: "INTEGER", mode: "NULLABLE" }, pseudo: true });
    const table: EngineTable = { name: use.engineName, columns };
    if (withRowId && opts.rowIdIsKey) table.primaryKey = [columns.length - 1];
    if (opts.content) {
      const read = opts.rows ?? ((ref: TableRef) => deps.store.readRows(ref));
      const stored = !(withRowId || scanned) ? [] : use.members ? await wildcardRows(use.members, read) : await read(use.ref);
      table.rows = stored.map((r) => {
        const cells: Row = [];
        for (let i = 0; i < schema.length; i++) if (kept[i]) cells.push(!used || used.has(i) ? (r.cells[i] ?? null) : null);
        for (const p of pseudo) cells.push(r.pseudo?.[p.name] ?? null);
        if (withRowId) cells.push(String(r.rowId));
        return cells;
      });
    }
    tables.push(table);
  }
  return tables;
}

/** BigQuery's bytes processed: the stored bytes of the columns read (every column when usedColumns is undefined). */
export function bytesRead(deps: Deps, uses: TableUse[], usedColumns?: Map<string, Set<number>>): number {
  let bytes = 0;
  for (const use of uses) {
    if (use.meta.type !== "TABLE") continue;
    const used = usedColumns?.get(use.engineName);
    if (usedColumns && !used) continue;
    statsOfUse(deps, use).columnBytes.forEach((b, i) => {
      if (!used || used.has(i)) bytes += b;
    });
  }
  return bytes;
}

/** A table's statistics; a wildcard's are its members' summed. */
const statsOfUse = (deps: Deps, use: TableUse): TableStats =>
  use.members ? wildcardStats(deps.store, use.meta.schema, use.members) : deps.store.stats(use.ref);

/**
 * The reference evaluator takes its input in one request of at most 4 MiB. A statement whose
 * tables' columns read are already larger than that (their logical bytes are a lower bound of
 * the encoded size) is refused before any row is read into memory.
 */
function checkFitsZetaSql(deps: Deps, uses: TableUse[], opts: LoadOptions): void {
  const bytes = bytesRead(deps, uses, opts.usedColumns);
  if (bytes <= MAX_REQUEST_BYTES) return;
  const rows = uses.reduce((n, u) => n + (u.meta.type === "TABLE" ? statsOfUse(deps, u).rows : 0), 0);
  throw tooLargeForZetaSql(rows, bytes, opts.reason);
}

export function tooLargeForZetaSql(rows: number, bytes: number, reason: string | undefined): BigQueryError {
  const why = reason
    ? `The local BigQuery runs this statement on ZetaSQL's reference evaluator because its DuckDB engine does not support ${reason.replace(/^unsupported: /, "")}`
    : "The local BigQuery runs this statement on ZetaSQL's reference evaluator";
  return new BigQueryError(
    "resourcesExceeded",
    `${why}; that evaluator takes at most ${MAX_REQUEST_BYTES} bytes (4 MiB) of input per statement, and this one reads ` +
      `${rows} rows (at least ${bytes} bytes). Rewrite it without that construct, or read fewer rows or columns.`,
  );
}

/** Whether a column name occurs in the SQL as a word (any case); names with other characters count as named. */
function namedIn(sql: string): (name: string) => boolean {
  const words = new Set(sql.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
  return (name) => !/^[\p{L}\p{N}_]+$/u.test(name) || words.has(name.toLowerCase());
}

/** Which columns of which catalog table a resolved statement reads (an INSERT's target is written, not read). */
export function usedColumnsOf(resolved: AstNode): Map<string, Set<number>> {
  const used = new Map<string, Set<number>>();
  const skip = new Set<unknown>();
  walk(resolved, (node, key) => {
    if (skip.has(node)) return false;
    if (key === "resolvedInsertStmtNode") skip.add(node.tableScan);
    if ((key === "resolvedTableScanNode" || key === "tableScan") && node.table) {
      const name = (node.table as { name?: string }).name;
      if (!name) return;
      const set = used.get(name) ?? new Set<number>();
      for (const i of (node.columnIndexList as (number | string)[] | undefined) ?? []) set.add(Number(i));
      used.set(name, set);
    }
  });
  return used;
}
