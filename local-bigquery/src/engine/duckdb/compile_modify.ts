/**
 * Resolved DML statements (INSERT, UPDATE, DELETE, MERGE, TRUNCATE) to one DuckDB SELECT, the
 * changes query, which apply_changes.ts materialises and applies in the caller's transaction.
 *
 * The changes query's columns, by position: __rid (the target row's DuckDB rowid; NULL for an
 * inserted row), __op ('I', 'U' or 'D'), then __v0 ... __v<n-1>, one per target column in schema
 * order, each cast to the column's DuckDB type: the row's new values for 'I' and 'U' (an UPDATE
 * carries the unchanged columns from the stored row), NULL for 'D'. A target row changed twice
 * appears twice; the applier refuses that, as BigQuery does.
 *
 * The resolved AST names only the target columns a statement touches (Analyze prunes unused
 * columns), so the target's whole schema comes from the caller.
 *
 * Semantics, as GoogleSQL (and the executor's ZetaSQL path) define them:
 * - INSERT: omitted columns and DEFAULT are NULL (the local BigQuery has no column defaults).
 * - UPDATE: every SET value sees the stored row; `SET rec.a = x` rebuilds the struct and fails on
 *   a NULL struct ("Cannot set field of NULL STRUCT<...>"); with FROM, a target row that joins
 *   several FROM rows passing WHERE appears several times (the applier's error).
 * - MERGE: target and source joined on the ON condition (INNER, LEFT, RIGHT or FULL by the WHEN
 *   kinds present); per joined row the first WHEN clause of its kind whose condition holds
 *   applies, else none. Conditions are CASE branches (evaluated only until one holds, as in
 *   GoogleSQL), so they compile lazily; each clause's values are computed only on its rows (a
 *   UNION ALL branch per clause over the materialised join), and compile lazily too.
 */
import type { Field, QueryParameter } from "../../model";
import { sqlTypeName, typeOf, type TypeProto } from "../types";
import { col, compileExpr, type Scope } from "./compile_expressions";
import { compileScan } from "./compile_scans";
import type { CompileOptions } from "./compile_statement";
import { child, children, columnsOf, normalize, type Node, type ResolvedColumn } from "./resolved_ast";
import { duckType, quoteIdent, quoteString, structFieldNames } from "./types";
import { Unsupported, refuse } from "./unsupported";

/** A column of the target table, as its BigQuery schema describes it. */
export type TargetColumn = Pick<Field, "name" | "type" | "mode" | "fields">;

export interface ModifyOptions extends CompileOptions {
  /** The target table's columns in schema order: the changes query has one value column per column. */
  targetSchema: TargetColumn[];
}

export interface CompiledModify {
  /** The changes query: __rid, __op, __v0 ... (see the file comment). */
  sql: string;
  /** The target table's full name in the resolved AST (the catalog's name, as tableSql receives it). */
  target: string;
  statementType: "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "TRUNCATE";
}

export type CompileModifyResult = ({ ok: true } & CompiledModify) | { ok: false; unsupported: string };

/** The hidden row-id column the executor gives a DML target (statement_tables.ts ROW_ID); here DuckDB's rowid. */
const ROW_ID_COLUMN = "__lbq_row_id";

interface Target {
  name: string;
  columns: { name: string; type: TypeProto; duck: string }[];
  /** Index of each target column by lower-cased name (BigQuery and DuckDB names are case-insensitive). */
  index: Map<string, number>;
}

interface Context {
  scope: Scope;
  target: Target;
}

const stored = (i: number): string => `__t${i}`;
const value = (i: number): string => `__v${i}`;
const typedNull = (target: Target, i: number): string => `CAST(NULL AS ${target.columns[i].duck})`;

function targetOf(stmt: Node, schema: TargetColumn[]): Target {
  const scan = child(stmt, "tableScan") ?? refuse(`${stmt.kind} without a target table`);
  if (child(scan, "forSystemTimeExpr")) refuse("FOR SYSTEM_TIME AS OF on a DML target");
  const name = (scan.table as { fullName?: string; name?: string } | undefined)?.fullName ?? "";
  // DuckDB's rowid pseudo-column, the applier's key, is hidden by a column of that name.
  if (schema.some((f) => f.name.toLowerCase() === "rowid")) refuse("a target column named rowid (it hides DuckDB's row id)");
  const columns = schema.map((f) => {
    const type = typeOf(f);
    return { name: f.name, type, duck: duckType(type) };
  });
  return { name, columns, index: new Map(columns.map((c, i) => [c.name.toLowerCase(), i])) };
}

function columnIndex(ctx: Context, column: ResolvedColumn): number {
  const i = ctx.target.index.get(column.name.toLowerCase());
  if (i === undefined) return refuse(`target column ${column.name} missing from the given schema`);
  return i;
}

/**
 * The target's rows: __rid, the stored values of every column as __t<i> (when the statement may
 * update), and the columns the statement reads as c<id>.
 */
function targetRelation(stmt: Node, ctx: Context, withStored: boolean): string {
  const scan = child(stmt, "tableScan") as Node;
  const items = ["rowid AS __rid"];
  if (withStored) ctx.target.columns.forEach((c, i) => items.push(`${quoteIdent(c.name)} AS ${stored(i)}`));
  for (const c of columnsOf(scan)) {
    duckType(c.type);
    items.push(`${c.name === ROW_ID_COLUMN ? "rowid" : quoteIdent(c.name)} AS ${col(c)}`);
  }
  return `SELECT ${items.join(", ")} FROM ${ctx.scope.tableSql(ctx.target.name)}`;
}

/** One changes row: __rid, __op, then the value of each target column (typed by the column). */
function changeItems(rid: string, op: "I" | "U" | "D", values: string[], target: Target): string {
  const cast = values.map((v, i) => `CAST(${v} AS ${target.columns[i].duck}) AS ${value(i)}`);
  return [`${rid} AS __rid`, `'${op}' AS __op`, ...cast].join(", ");
}

const deletedValues = (target: Target): string[] => target.columns.map((_, i) => typedNull(target, i));

/** What compileExpr makes of a NULL literal: (SELECT CAST(NULL AS <type>)), opaque to DuckDB's constant folding. */
const OPAQUE_NULL = "(SELECT CAST(NULL AS ";

/** A DML value: an expression, or DEFAULT (NULL: the local BigQuery has no column defaults). */
function dmlValue(holder: Node | undefined, type: TypeProto, scope: Scope): string {
  const expr = holder ? child(holder, "value") : undefined;
  if (!expr) return refuse("a DML value without an expression");
  if (expr.kind === "Dmldefault") return `CAST(NULL AS ${duckType(type)})`;
  const sql = compileExpr(expr, scope);
  // A value is no call's argument, so nothing can fold around its NULL; the subquery would cost a join per VALUES row.
  return expr.kind === "Literal" && sql.startsWith(OPAQUE_NULL) ? sql.slice("(SELECT ".length, -1) : sql;
}

function refuseStatementExtras(stmt: Node): void {
  if (child(stmt, "assertRowsModified")) refuse("ASSERT_ROWS_MODIFIED");
  if (child(stmt, "returning")) refuse("THEN RETURN");
  if (child(stmt, "arrayOffsetColumn")) refuse("nested DML WITH OFFSET");
}

// ---------------------------------------------------------------------------------------- INSERT

function compileInsert(stmt: Node, ctx: Context): string {
  refuseStatementExtras(stmt);
  const mode = String(stmt.insertMode ?? "OR_ERROR");
  if (mode !== "OR_ERROR") refuse(`INSERT ${mode.replace("OR_", "OR ")}`);
  if (children(stmt, "queryParameterList").length > 0) refuse("nested INSERT with correlated references");
  const { target, scope } = ctx;
  const positions = columnsOf(stmt, "insertColumnList").map((c) => columnIndex(ctx, c));
  const rowValues = (cells: string[]): string[] =>
    target.columns.map((_, i) => {
      const j = positions.indexOf(i);
      return j < 0 ? typedNull(target, i) : cells[j];
    });
  const query = child(stmt, "query");
  if (query) {
    const relation = compileScan(query, scope);
    const outputs = columnsOf(stmt, "queryOutputColumnList").map(col);
    return `SELECT ${changeItems("CAST(NULL AS BIGINT)", "I", rowValues(outputs), target)} FROM (${relation.sql}) AS q`;
  }
  // One VALUES list (a UNION ALL of single-row SELECTs plans far slower); each cell cast to its
  // column's type, so that DuckDB's unification of the rows' types has nothing to widen.
  const rows = children(stmt, "rowList").map((row) => {
    const cells = children(row, "valueList").map((v, j) => {
      const column = target.columns[positions[j]];
      return `CAST(${dmlValue(v, column.type, scope)} AS ${column.duck})`;
    });
    return `(${cells.join(", ")})`;
  });
  if (rows.length === 0) return refuse("INSERT without rows or query");
  const names = positions.map((_, j) => `__i${j}`);
  return `SELECT ${changeItems("CAST(NULL AS BIGINT)", "I", rowValues(names), target)} FROM (VALUES ${rows.join(", ")}) AS v(${names.join(", ")})`;
}

// ---------------------------------------------------------------------------------------- UPDATE

/** SET targets of one top-level column: the whole value, or assignments to struct fields by index. */
interface Patch {
  value?: Node;
  fields: Map<number, Patch>;
}

function targetPath(target: Node): { column: ResolvedColumn; path: number[] } {
  if (target.kind === "ColumnRef") return { column: target.column as ResolvedColumn, path: [] };
  if (target.kind === "GetStructField") {
    const inner = targetPath(child(target, "expr") as Node);
    return { column: inner.column, path: [...inner.path, Number(target.fieldIdx ?? 0)] };
  }
  return refuse(`SET of ${target.kind}`);
}

/** The SET items of an UPDATE (or MERGE UPDATE) as one patch per target column index. */
function patches(items: Node[], ctx: Context): Map<number, Patch> {
  const byColumn = new Map<number, Patch>();
  for (const item of items) {
    if (
      child(item, "elementColumn") ||
      children(item, "arrayUpdateList").length > 0 ||
      children(item, "deleteList").length > 0 ||
      children(item, "updateList").length > 0 ||
      children(item, "insertList").length > 0
    ) {
      refuse("nested DML or SET of an array element");
    }
    const { column, path } = targetPath(child(item, "target") as Node);
    const i = columnIndex(ctx, column);
    let patch = byColumn.get(i) ?? { fields: new Map<number, Patch>() };
    byColumn.set(i, patch);
    for (const field of path) {
      const next = patch.fields.get(field) ?? { fields: new Map<number, Patch>() };
      patch.fields.set(field, next);
      patch = next;
    }
    // ZetaSQL rejects overlapping SET items (rec and rec.a) in analysis.
    patch.value = child(item, "setValue");
  }
  return byColumn;
}

/** A ZetaSQL type as its error messages spell it (STRUCT<a INT64, b STRING>). */
const typeText = (type: TypeProto): string => sqlTypeName(type).replace(/`/g, "");

/** The new value of `old` (of type `type`) after a patch. */
function patchSql(old: string, type: TypeProto, patch: Patch, scope: Scope): string {
  if (patch.value) return dmlValue(patch.value, type, scope);
  const names = structFieldNames(type);
  const fields = (type.structType?.field ?? []).map((f, i) => {
    const current = `struct_extract(${old}, ${quoteString(names[i])})`;
    const sub = patch.fields.get(i);
    return `${quoteIdent(names[i])} := ${sub ? patchSql(current, f.fieldType, sub, scope) : current}`;
  });
  // GoogleSQL cannot set a field of a NULL struct; DuckDB's struct_pack would build one.
  const error = `error(${quoteString(`Cannot set field of NULL ${typeText(type)}`)})`;
  return `(CASE WHEN ${old} IS NULL THEN ${error} ELSE CAST(struct_pack(${fields.join(", ")}) AS ${duckType(type)}) END)`;
}

/** The full new row of an updated target row: patched columns, the others as stored. */
function updatedValues(items: Node[], ctx: Context, scope: Scope): string[] {
  const byColumn = patches(items, ctx);
  return ctx.target.columns.map((c, i) => {
    const patch = byColumn.get(i);
    return patch ? patchSql(stored(i), c.type, patch, scope) : stored(i);
  });
}

function compileUpdate(stmt: Node, ctx: Context): string {
  refuseStatementExtras(stmt);
  const where = child(stmt, "whereExpr");
  const fromScan = child(stmt, "fromScan");
  let sources = `(${targetRelation(stmt, ctx, true)}) AS t`;
  if (fromScan) sources += ` CROSS JOIN (${compileScan(fromScan, ctx.scope).sql}) AS f`;
  const values = updatedValues(children(stmt, "updateItemList"), ctx, ctx.scope);
  const filter = where ? ` WHERE ${compileExpr(where, ctx.scope)}` : "";
  return `SELECT ${changeItems("__rid", "U", values, ctx.target)} FROM ${sources}${filter}`;
}

// ---------------------------------------------------------------------------------------- DELETE

/** DELETE, and TRUNCATE (a DELETE of every row; ZetaSQL's evaluator has none, the executor deletes them all). */
function compileDelete(stmt: Node, ctx: Context): string {
  refuseStatementExtras(stmt);
  const where = child(stmt, "whereExpr");
  const filter = where ? ` WHERE ${compileExpr(where, ctx.scope)}` : "";
  return `SELECT ${changeItems("__rid", "D", deletedValues(ctx.target), ctx.target)} FROM (${targetRelation(stmt, ctx, false)}) AS t${filter}`;
}

// ----------------------------------------------------------------------------------------- MERGE

type MatchType = "MATCHED" | "NOT_MATCHED_BY_TARGET" | "NOT_MATCHED_BY_SOURCE";

const MATCH_TYPES: MatchType[] = ["MATCHED", "NOT_MATCHED_BY_TARGET", "NOT_MATCHED_BY_SOURCE"];

/** The join row's kind, tested on __rid (the target's rowid, never NULL) and __src (TRUE on every source row). */
const GATES: Record<MatchType, string> = {
  MATCHED: "__rid IS NOT NULL AND __src IS NOT NULL",
  NOT_MATCHED_BY_TARGET: "__rid IS NULL",
  NOT_MATCHED_BY_SOURCE: "__src IS NULL",
};

function compileMerge(stmt: Node, ctx: Context): string {
  const { target, scope } = ctx;
  // A condition runs only on rows of its kind that no earlier clause took, a clause's values only
  // on its rows: branches GoogleSQL may skip, so computed constants there are refused (lazy).
  const lazy: Scope = { ...scope, lazy: true };
  const clauses = children(stmt, "whenClauseList").map((clause, index) => {
    const matchType = String(clause.matchType ?? "MATCHED") as MatchType;
    if (!MATCH_TYPES.includes(matchType)) refuse(`MERGE WHEN ${matchType}`);
    const condition = child(clause, "matchExpr");
    return { clause, index, matchType, action: String(clause.actionType ?? ""), condition: condition ? compileExpr(condition, lazy) : undefined };
  });
  const present = new Set(clauses.map((c) => c.matchType));
  const bySource = present.has("NOT_MATCHED_BY_SOURCE");
  const byTarget = present.has("NOT_MATCHED_BY_TARGET");
  const join = bySource && byTarget ? "FULL JOIN" : bySource ? "LEFT JOIN" : byTarget ? "RIGHT JOIN" : "JOIN";

  const fromScan = child(stmt, "fromScan") ?? refuse("MERGE without a source");
  const source = compileScan(fromScan, scope);
  const sourceItems = [...columnsOf(fromScan).map(col), "TRUE AS __src"].join(", ");
  const on = compileExpr(child(stmt, "mergeExpr") ?? refuse("MERGE without ON"), scope);
  const withStored = clauses.some((c) => c.action === "UPDATE");

  // Nested CASEs: the kind first, then that kind's clauses in order, so a condition runs only on its kind's rows.
  const kinds = MATCH_TYPES.filter((m) => present.has(m)).map((m) => {
    const whens = clauses
      .filter((c) => c.matchType === m)
      .map((c) => `WHEN ${c.condition ?? "TRUE"} THEN ${c.index}`)
      .join(" ");
    return `WHEN ${GATES[m]} THEN (CASE ${whens} ELSE -1 END)`;
  });
  const choice = kinds.length > 0 ? `CASE ${kinds.join(" ")} ELSE -1 END` : "-1";
  const joined =
    `SELECT *, ${choice} AS __clause FROM (${targetRelation(stmt, ctx, withStored)}) AS t ` +
    `${join} (SELECT ${sourceItems} FROM (${source.sql}) AS s0) AS s ON ${on}`;

  const branches = clauses.map((c) => {
    let items: string;
    switch (c.action) {
      case "DELETE":
        items = changeItems("__rid", "D", deletedValues(target), target);
        break;
      case "UPDATE":
        items = changeItems("__rid", "U", updatedValues(children(c.clause, "updateItemList"), ctx, lazy), target);
        break;
      case "INSERT": {
        const positions = columnsOf(c.clause, "insertColumnList").map((column) => columnIndex(ctx, column));
        const cells = children(child(c.clause, "insertRow") ?? refuse("MERGE INSERT without values"), "valueList");
        const values = target.columns.map((column, i) => {
          const j = positions.indexOf(i);
          return j < 0 ? typedNull(target, i) : dmlValue(cells[j], column.type, lazy);
        });
        items = changeItems("CAST(NULL AS BIGINT)", "I", values, target);
        break;
      }
      default:
        return refuse(`MERGE action ${c.action}`);
    }
    return `SELECT ${items} FROM __merge WHERE __clause = ${c.index}`;
  });
  // No WHEN clause: nothing changes (ZetaSQL requires one, but an empty UNION is not SQL).
  const body = branches.length > 0 ? branches.join(" UNION ALL ") : `SELECT ${changeItems("__rid", "D", deletedValues(target), target)} FROM __merge WHERE FALSE`;
  // Materialised: each branch reads the join, which must be computed once (its choice of clause included).
  return `WITH __merge AS MATERIALIZED (${joined}) ${body}`;
}

// ------------------------------------------------- REQUIRED fields inside RECORDs (DuckDB cannot)

interface RequiredCheck {
  /** TRUE when the value breaks the REQUIRED field at `path`. */
  cond: string;
  path: string;
}

/**
 * Conditions under which `x`, a value of field `f`, breaks a REQUIRED field nested in it. A
 * REQUIRED column is the table's NOT NULL; a REQUIRED field of a STRUCT has no DuckDB constraint
 * (and CHECK constraints take no lambdas, which repeated records need), so the changes query
 * checks it.
 */
function nestedChecks(x: string, f: TargetColumn, path: string, depth: number): RequiredCheck[] {
  if (f.type !== "RECORD") return [];
  if (f.mode !== "REPEATED") return recordChecks(x, f.fields ?? [], path, depth);
  const e = `__e${depth}`;
  return recordChecks(e, f.fields ?? [], path, depth + 1).map((c) => ({
    cond: `coalesce(list_bool_or(list_transform(${x}, lambda ${e}: ${c.cond})), FALSE)`,
    path: c.path,
  }));
}

function recordChecks(x: string, fields: TargetColumn[], path: string, depth: number): RequiredCheck[] {
  return fields.flatMap((f) => {
    const sub = `struct_extract(${x}, ${quoteString(f.name)})`;
    const subPath = `${path}.${f.name}`;
    const own = f.mode === "REQUIRED" ? [{ cond: `(${x} IS NOT NULL AND ${sub} IS NULL)`, path: subPath }] : [];
    return [...own, ...nestedChecks(sub, f, subPath, depth)];
  });
}

/** The changes query with every nested REQUIRED field checked on the rows it writes (unchanged when there are none). */
function withRequiredChecks(changes: string, target: Target, schema: TargetColumn[]): string {
  let checked = false;
  const items = schema.map((f, i) => {
    const checks = nestedChecks(value(i), f, f.name, 0);
    if (checks.length === 0) return value(i);
    checked = true;
    const whens = checks.map((c) => `WHEN ${c.cond} THEN error(${quoteString(`Required field ${c.path} of table ${target.name} cannot be NULL`)})`);
    return `CASE ${whens.join(" ")} ELSE ${value(i)} END AS ${value(i)}`;
  });
  if (!checked) return changes;
  // Materialised, so that each value is computed once however often the checks read it.
  return `WITH __changes AS MATERIALIZED (${changes}) SELECT __rid, __op, ${items.join(", ")} FROM __changes`;
}

// ------------------------------------------------------------------------------------------- API

function compileModifyStatement(stmt: Node, params: QueryParameter[], options: ModifyOptions): CompiledModify {
  const scope: Scope = { params, withColumns: new Map(), tableSql: options.tableSql ?? quoteIdent, constants: options.constants };
  const kinds: Record<string, [CompiledModify["statementType"], (stmt: Node, ctx: Context) => string]> = {
    InsertStmt: ["INSERT", compileInsert],
    UpdateStmt: ["UPDATE", compileUpdate],
    DeleteStmt: ["DELETE", compileDelete],
    MergeStmt: ["MERGE", compileMerge],
    TruncateStmt: ["TRUNCATE", compileDelete],
  };
  const entry = kinds[stmt.kind] ?? refuse(`statement ${stmt.kind}`);
  const target = targetOf(stmt, options.targetSchema);
  const changes = entry[1](stmt, { scope, target });
  return { sql: withRequiredChecks(changes, target, options.targetSchema), target: target.name, statementType: entry[0] };
}

/**
 * Compiles the resolved DML statement that Engine.analyze returned (with the target in the
 * catalog; its hidden __lbq_row_id column, if read, is DuckDB's rowid). Anything not proven exact
 * comes back as { ok: false, unsupported: "unsupported: <construct>" } for ZetaSQL to run instead.
 */
export function compileModify(resolved: Record<string, unknown>, params: QueryParameter[], options: ModifyOptions): CompileModifyResult {
  try {
    return { ok: true, ...compileModifyStatement(normalize(resolved), params, options) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, unsupported: error.message };
    throw error;
  }
}
