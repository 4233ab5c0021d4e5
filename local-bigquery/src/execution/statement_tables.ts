/**
 * Prepares one statement for ZetaSQL: finds the tables it names, resolves them
 * as BigQuery does, rewrites multi-part names to the single identifiers the
 * engine's catalog holds, and builds that catalog: base tables with their rows
 * (only the columns the statement reads), views evaluated from their SQL.
 */
import type { AstNode, Engine, EngineColumn, EngineTable } from "../engine";
import type { Field, QueryParameter, Row, TableMeta, TableRef } from "../model";
import type { Store } from "../storage/store";
import { rowsBytes } from "./bytes_estimate";
import type { ResultCache } from "./result_cache";
import type { SqlText} from "./sql_text";
import { RewrittenSql, pathSegments, quoteIdentifier, walk } from "./sql_text";
import { resolveTableName, tableKey, tableNotFound, type StatementScope } from "./table_names";

export interface Deps {
  store: Store;
  engine: Engine;
  cache: ResultCache;
}

/** The hidden column that carries the store's row id into ZetaSQL (UPDATE, DELETE, MERGE). */
export const ROW_ID = "__lbq_row_id";

export interface TableUse {
  ref: TableRef;
  meta: TableMeta;
  /** Its name in the SQL sent to ZetaSQL (one identifier). */
  engineName: string;
}

export interface PreparedStatement {
  original: SqlText;
  rewritten: RewrittenSql;
  /** The SQL to send (rewritten.text()). */
  sql: string;
  params: QueryParameter[];
  uses: TableUse[];
}

/** Rewrites names and positional parameters; throws notFound for a table that does not exist. */
export async function prepareStatement(
  deps: Deps,
  scope: StatementScope,
  text: SqlText,
  ast: AstNode,
  opts: { skip?: (segments: string[]) => boolean; namesFrom?: string } = {},
): Promise<PreparedStatement> {
  const namesText = opts.namesFrom ?? text.text;
  const names = namesText.trim() === "" ? [] : (await deps.engine.extractTableNames(namesText)).filter((s) => !opts.skip?.(s));
  const byPath = new Map<string, TableUse>();
  for (const segments of names) {
    const ref = resolveTableName(segments, scope);
    const meta = deps.store.getTable(ref);
    if (!meta) throw tableNotFound(ref);
    const simple = segments.length === 1 && !segments[0].includes(".");
    byPath.set(JSON.stringify(segments), { ref, meta, engineName: simple ? segments[0] : tableKey(ref) });
  }
  const rewritten = new RewrittenSql(text);
  // A multi-part name becomes the catalog's single identifier; BigQuery's implicit alias (the
  // table's own name) is spelled out, since ZetaSQL would take the whole identifier as the alias.
  const rewritePath = (pathNode: unknown, needsAlias: boolean): void => {
    const segments = pathSegments(pathNode);
    const use = segments && byPath.get(JSON.stringify(segments));
    if (!segments || !use || use.engineName === segments[0]) {
      if (!use || segments?.length !== 1 || !segments[0].includes(".") || !needsAlias) return;
    }
    const range = pathRange(pathNode);
    if (!range) return;
    const alias = needsAlias ? ` AS ${quoteIdentifier(use.ref.tableId)}` : "";
    rewritten.replace(range, quoteIdentifier(use.engineName) + alias);
  };
  walk(ast, (node, key) => {
    if (key === "astTablePathExpressionNode") rewritePath(node.pathExpr, node.alias === undefined);
    if (node.targetPath !== undefined) {
      rewritePath(node.targetPath, key !== "astInsertStatementNode" && node.alias === undefined);
    }
  });
  const params = rewritePositionalParameters(ast, rewritten, scope.params);
  const uses = [...new Map([...byPath.values()].map((u) => [u.engineName, u])).values()];
  return { original: text, rewritten, sql: rewritten.changed ? rewritten.text() : text.text, params, uses };
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
  /** Evaluates a view's SQL (the query runner, passed in to avoid a module cycle); absent: views keep their stored schema. */
  evaluateView?: (view: TableMeta, dryRun: boolean) => Promise<{ schema: Field[]; rows: Row[]; bytes: number }>;
}

export interface LoadedTables {
  tables: EngineTable[];
  /** Bytes of the base-table columns read (views: of the tables under them). */
  bytes: number;
  rowCount: number;
}

const sameRef = (a: TableRef, b: TableRef | undefined): boolean =>
  !!b && a.projectId === b.projectId && a.datasetId === b.datasetId && a.tableId === b.tableId;

export async function loadTables(deps: Deps, uses: TableUse[], opts: LoadOptions): Promise<LoadedTables> {
  let bytes = 0;
  let rowCount = 0;
  const tables: EngineTable[] = [];
  for (const use of uses) {
    const used = opts.usedColumns ? (opts.usedColumns.get(use.engineName) ?? new Set<number>()) : undefined;
    // Scanned with no column (COUNT(*)) still needs its rows; never scanned needs none.
    const scanned = !opts.usedColumns || opts.usedColumns.has(use.engineName);
    if (use.meta.type === "VIEW") {
      const view = scanned && opts.evaluateView ? await opts.evaluateView(use.meta, !opts.content) : undefined;
      bytes += view?.bytes ?? 0;
      const schema = view?.schema ?? use.meta.schema;
      tables.push({
        name: use.engineName,
        columns: schema.map((f) => ({ name: f.name, field: f })),
        rows: opts.content ? (view?.rows ?? []) : undefined,
      });
      rowCount += view?.rows.length ?? 0;
      continue;
    }
    const schema = use.meta.schema;
    const withRowId = sameRef(use.ref, opts.rowIdFor);
    const columns: EngineColumn[] = schema.map((f) => ({ name: f.name, field: f }));
    if (withRowId) columns.push({ name: ROW_ID, field: { type: "INTEGER", mode: "NULLABLE" }, pseudo: true });
    const table: EngineTable = { name: use.engineName, columns };
    if (withRowId && opts.rowIdIsKey) table.primaryKey = [schema.length];
    // Schema only (no content, no column usage to measure bytes by): no rows are read.
    const needsRows = (opts.content || opts.usedColumns !== undefined) && (withRowId || scanned);
    const stored = needsRows ? deps.store.readRows(use.ref) : [];
    bytes += rowsBytes(schema, stored, used);
    rowCount += stored.length;
    if (opts.content) {
      table.rows = stored.map((r) => {
        const cells: Row = used ? schema.map((_, i) => (used.has(i) ? (r.cells[i] ?? null) : null)) : schema.map((_, i) => r.cells[i] ?? null);
        if (withRowId) cells.push(String(r.rowId));
        return cells;
      });
    }
    tables.push(table);
  }
  return { tables, bytes, rowCount };
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
