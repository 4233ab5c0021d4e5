/**
 * Tables made from other tables, as BigQuery makes them: CREATE TABLE ... LIKE (schema,
 * partitioning and clustering, no rows), CREATE TABLE ... CLONE / COPY (a writable copy of the
 * rows as they are now) and CREATE SNAPSHOT TABLE ... CLONE (a read-only copy taken at that
 * moment); DROP SNAPSHOT TABLE and DROP MATERIALIZED VIEW. A copy is a real copy: later changes
 * to either table do not show in the other (BigQuery shares storage, but the contents behave so).
 */
import type { AstNode } from "../engine";
import { duplicate, invalidQuery, unsupported } from "../errors";
import type { TableMeta } from "../model";
import type { WriteTransaction } from "../storage/store";
import { copyColumns } from "../storage/ingestion_time";
import { requireFullAccess } from "./row_access";
import type { DdlOutcome } from "./ddl";
import { flatten, nodeKinds, pathSegments, type SqlText, rangeOf } from "./sql_text";
import type { Deps } from "./statement_tables";
import { datasetNotFound, resolveTableName, tableKey, tableNotFound, type StatementScope } from "./table_names";

/** A snapshot refuses every change of its rows or schema (BigQuery: snapshots are read-only). */
export function checkWritable(meta: TableMeta): void {
  if (meta.snapshot) {
    throw invalidQuery(`Table ${meta.ref.projectId}:${meta.ref.datasetId}.${meta.ref.tableId} is a table snapshot, which is read-only; clone it (CREATE TABLE ... CLONE) to change it`);
  }
}

/** The path of a CLONE/COPY source (`d.t`, possibly with FOR SYSTEM_TIME AS OF, which is refused). */
function sourcePath(node: AstNode): string[] | undefined {
  const flat = flatten(node);
  if (flat.forSystemTime) throw unsupported("The local BigQuery keeps no table history: CLONE/COPY ... FOR SYSTEM_TIME AS OF is not supported");
  return pathSegments(flat.pathExpr) ?? pathSegments(flat);
}

/** Literal OPTIONS(...) of the statement: description and labels as metadata, the rest as given. */
function options(text: SqlText, node: AstNode): Pick<TableMeta, "description" | "labels" | "options"> {
  const entries = ((flatten((node.optionsList ?? {}) as AstNode).optionsEntries as AstNode[] | undefined) ?? []).map(flatten);
  const out: Pick<TableMeta, "description" | "labels" | "options"> = {};
  for (const entry of entries) {
    const name = String((entry.name as { idString?: string } | undefined)?.idString ?? "").toLowerCase();
    const { node: value } = nodeKinds((entry.value ?? {}) as AstNode);
    const range = rangeOf(entry.value);
    const source = range ? text.slice(range).trim() : "";
    if (typeof value.stringValue === "string") {
      if (name === "description") out.description = value.stringValue;
      else out.options = { ...out.options, [name]: value.stringValue };
    } else if (name === "labels") {
      const labels: Record<string, string> = {};
      for (const m of source.matchAll(/\(\s*(["'])(.*?)\1\s*,\s*(["'])(.*?)\3\s*\)/g)) labels[m[2]] = m[4];
      out.labels = labels;
    } else if (/^(true|false)$/i.test(source)) {
      out.options = { ...out.options, [name]: source.toLowerCase() === "true" };
    } else if (/^-?\d+(\.\d+)?$/.test(source)) {
      out.options = { ...out.options, [name]: Number(source) };
    } else {
      // TIMESTAMP '...' and other expressions: kept as their text.
      out.options = { ...out.options, [name]: source.replace(/^TIMESTAMP\s+/i, "").replace(/^["']|["']$/g, "") };
    }
  }
  return out;
}

/** CREATE [OR REPLACE] [SNAPSHOT] TABLE [IF NOT EXISTS] t {LIKE | CLONE | COPY} s [OPTIONS(...)]. */
export async function createTableCopy(deps: Deps, scope: StatementScope, text: SqlText, astNode: AstNode, snapshot: boolean, dryRun: boolean): Promise<DdlOutcome> {
  const like = astNode.likeTableName !== undefined;
  const copy = astNode.copyDataSource !== undefined;
  if (astNode.query || (like && astNode.tableElementList)) {
    throw unsupported("The local BigQuery supports CREATE TABLE ... LIKE without a column list or AS SELECT only");
  }
  if (astNode.partitionBy || astNode.clusterBy) {
    throw unsupported("The local BigQuery copies a source table's partitioning and clustering: CREATE TABLE ... LIKE/CLONE/COPY cannot change them");
  }
  const ref = resolveTableName(pathSegments(astNode.name) ?? [], scope);
  const segments = like ? pathSegments(astNode.likeTableName) : sourcePath((astNode.cloneDataSource ?? astNode.copyDataSource) as AstNode);
  const sourceRef = resolveTableName(segments ?? [], scope);
  const source = deps.store.getTable(sourceRef);
  if (!source) throw tableNotFound(sourceRef);
  if (source.type !== "TABLE" && !like) throw invalidQuery(`${tableKey(sourceRef)} is a view; only tables can be cloned, copied or snapshotted`);
  if (!like) requireFullAccess(source, snapshot ? "a snapshot of it" : "copying it");
  if (!deps.store.getDataset(ref)) throw datasetNotFound(ref);
  const replace = astNode.isOrReplace === true;
  const ifNotExists = astNode.isIfNotExists === true;
  const existing = deps.store.getTable(ref);
  if (existing && !replace && !ifNotExists) {
    throw duplicate(`Already Exists: ${existing.type === "VIEW" ? "View" : "Table"} ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  }
  if (existing?.snapshot && replace && !snapshot) checkWritable(existing);
  const statementType = snapshot ? "CREATE_SNAPSHOT_TABLE" : "CREATE_TABLE";
  const operation = !existing ? "CREATE" : replace ? "REPLACE" : "SKIP";
  const now = Date.now();
  const given = options(text, astNode);
  const meta: TableMeta = {
    ref,
    type: "TABLE",
    schema: source.schema,
    // LIKE takes the source's shape only; a copy takes its metadata too.
    description: like ? undefined : source.description,
    labels: like ? undefined : source.labels,
    options: like ? undefined : source.options,
    // A copy keeps the source's row access policies, as BigQuery's copies do.
    rowAccessPolicies: like ? undefined : source.rowAccessPolicies,
    ...stripUndefined(given),
    timePartitioning: source.timePartitioning,
    rangePartitioning: source.rangePartitioning,
    clustering: source.clustering,
    creationTime: now,
    lastModifiedTime: now,
  };
  if (snapshot) Object.assign(meta, { snapshot: true, baseTable: sourceRef, snapshotTime: now });
  else if (!like && !copy) Object.assign(meta, { clone: true, baseTable: sourceRef });
  if (!dryRun && operation !== "SKIP") {
    const fill = like
      ? undefined
      : async (tx: WriteTransaction) => {
          // Read in the same transaction: the copy is the source as committed when it runs.
          const columns = copyColumns(source, meta);
          await tx.connection.run(`INSERT INTO ${tx.relation(ref)} (${columns}) SELECT ${columns} FROM ${deps.store.relation(sourceRef)}`);
        };
    await deps.store.createTable(meta, { replace, ifNotExists, fill });
  }
  return { statementType, target: ref, bytes: 0, operation, schema: meta.schema };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** DROP SNAPSHOT TABLE and DROP MATERIALIZED VIEW [IF EXISTS]. */
export async function dropSpecial(deps: Deps, scope: StatementScope, astNode: AstNode, what: "snapshot" | "materialized", dryRun: boolean): Promise<DdlOutcome> {
  const ref = resolveTableName(pathSegments(astNode.name) ?? [], scope);
  const statementType = what === "snapshot" ? "DROP_SNAPSHOT_TABLE" : "DROP_MATERIALIZED_VIEW";
  const meta = deps.store.getTable(ref);
  if (!meta) {
    if (astNode.isIfExists === true) return { statementType, target: ref, bytes: 0, operation: "SKIP" };
    throw tableNotFound(ref);
  }
  if (what === "snapshot" ? !meta.snapshot : !meta.materialized) {
    throw invalidQuery(`${tableKey(ref)} is not a ${what === "snapshot" ? "table snapshot" : "materialized view"}; use DROP ${meta.type}`);
  }
  if (!dryRun) await deps.store.deleteTable(ref, { ifExists: true });
  return { statementType, target: ref, bytes: 0, operation: "DROP" };
}
