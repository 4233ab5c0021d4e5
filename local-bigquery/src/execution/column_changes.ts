/**
 * ALTER TABLE actions that change columns beyond adding them, where BigQuery allows them: DROP
 * COLUMN, RENAME COLUMN, ALTER COLUMN SET/DROP DEFAULT, DROP NOT NULL, SET DATA TYPE (widening
 * only), and RENAME TO. Each action updates the schema and, where the stored rows change shape,
 * adds the DuckDB statement that follows (run with the new metadata in one transaction).
 */
import type { AstNode } from "../engine";
import { quoteIdent, storageType } from "../engine/duckdb/types";
import { invalidQuery, unsupported } from "../errors";
import { FIELD_TYPE_ALIASES, type Field, type TableMeta } from "../model";
import { dataTypeName } from "./information_schema";
import { flatten, nodeKinds, rangeOf, type SqlText } from "./sql_text";

export interface ColumnChanges {
  schema: Field[];
  /** DuckDB statements on the table's relation, in order. */
  statements: ((relation: string) => string)[];
  /** RENAME TO: the new table name's parts. */
  renameTo?: string[];
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function findColumn(changes: ColumnChanges, name: string): number {
  return changes.schema.findIndex((f) => same(f.name, name));
}

/** Columns BigQuery will not drop or rename: the partitioning and clustering columns. */
function checkNotKey(meta: TableMeta, name: string, what: string): void {
  const partitioning = meta.timePartitioning?.field ?? meta.rangePartitioning?.field;
  if (partitioning && same(partitioning, name)) throw invalidQuery(`Cannot ${what} partitioning column ${name}`);
  if (meta.clustering?.some((c) => same(c, name))) throw invalidQuery(`Cannot ${what} clustering column ${name}`);
}

/** Applies one resolved action; false when it is not one of these. */
export function applyColumnAction(meta: TableMeta, changes: ColumnChanges, kind: string, action: AstNode): boolean {
  const missing = (name: string): boolean => {
    if (action.isIfExists) return true;
    throw invalidQuery(`Column not found: ${name} in table ${meta.ref.projectId}:${meta.ref.datasetId}.${meta.ref.tableId}`);
  };
  switch (kind) {
    case "resolvedDropColumnActionNode": {
      const name = String(action.name ?? "");
      const index = findColumn(changes, name);
      if (index < 0) return missing(name);
      checkNotKey(meta, name, "drop");
      if (changes.schema.length === 1) throw invalidQuery(`Cannot drop column ${name}: a table needs at least one column`);
      const stored = changes.schema[index].name;
      changes.schema = changes.schema.filter((_, i) => i !== index);
      changes.statements.push((relation) => `ALTER TABLE ${relation} DROP COLUMN ${quoteIdent(stored)}`);
      return true;
    }
    case "resolvedRenameColumnActionNode": {
      const name = String(action.name ?? "");
      const newName = String(action.newName ?? "");
      const index = findColumn(changes, name);
      if (index < 0) return missing(name);
      if (findColumn(changes, newName) >= 0 && !same(name, newName)) throw invalidQuery(`Column already exists: ${newName}`);
      checkNotKey(meta, name, "rename");
      const stored = changes.schema[index].name;
      changes.schema = changes.schema.map((f, i) => (i === index ? { ...f, name: newName } : f));
      if (stored !== newName) changes.statements.push((relation) => `ALTER TABLE ${relation} RENAME COLUMN ${quoteIdent(stored)} TO ${quoteIdent(newName)}`);
      return true;
    }
    case "resolvedAlterColumnSetDefaultActionNode":
    case "resolvedAlterColumnDropDefaultActionNode":
    case "resolvedAlterColumnDropNotNullActionNode": {
      const name = String(action.column ?? "");
      const index = findColumn(changes, name);
      if (index < 0) return missing(name);
      const field = { ...changes.schema[index] };
      if (kind === "resolvedAlterColumnSetDefaultActionNode") {
        field.defaultValueExpression = String((action.defaultValue as { sql?: string } | undefined)?.sql ?? "");
      } else if (kind === "resolvedAlterColumnDropDefaultActionNode") {
        delete field.defaultValueExpression;
      } else if (field.mode === "REQUIRED") {
        field.mode = "NULLABLE";
        changes.statements.push((relation) => `ALTER TABLE ${relation} ALTER COLUMN ${quoteIdent(field.name)} DROP NOT NULL`);
      }
      changes.schema = changes.schema.map((f, i) => (i === index ? field : f));
      return true;
    }
    case "resolvedRenameToActionNode":
      changes.renameTo = (action.newPath as string[] | undefined) ?? [];
      return true;
    default:
      return false;
  }
}

/** BigQuery's coercions for SET DATA TYPE (widening only), those whose stored values DuckDB casts exactly. */
const WIDENINGS: Record<string, string[]> = {
  INTEGER: ["NUMERIC", "BIGNUMERIC", "FLOAT"],
  NUMERIC: ["FLOAT"],
};

/**
 * ALTER COLUMN SET DATA TYPE, from the parse tree (ZetaSQL's analyser does not take it): a wider
 * type, or the same type with wider parameters (STRING(10) to STRING(20) or STRING).
 */
export function setDataTypes(meta: TableMeta, text: SqlText, actions: AstNode[]): ColumnChanges {
  const changes: ColumnChanges = { schema: [...meta.schema], statements: [] };
  for (const wrapped of actions) {
    const action = flatten(nodeKinds(wrapped).node);
    const name = String((action.columnName as { idString?: string } | undefined)?.idString ?? "");
    const index = findColumn(changes, name);
    if (index < 0) {
      if (action.isIfExists) continue;
      throw invalidQuery(`Column not found: ${name}`);
    }
    const range = rangeOf(action.schema);
    const typeText = range ? text.slice(range).trim() : "";
    const m = /^(\w+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(typeText);
    const type = m ? FIELD_TYPE_ALIASES[m[1].toUpperCase()] : undefined;
    if (!m || !type || type === "RECORD") throw unsupported(`The local BigQuery supports SET DATA TYPE to a scalar type, not ${typeText}`);
    const old = changes.schema[index];
    if (old.mode === "REPEATED" || old.type === "RECORD") throw unsupported("The local BigQuery supports SET DATA TYPE on scalar columns only");
    const next: Field = { ...old, type };
    delete next.maxLength;
    delete next.precision;
    delete next.scale;
    if (m[2] !== undefined) {
      if (type === "STRING" || type === "BYTES") next.maxLength = m[2];
      else {
        next.precision = m[2];
        if (m[3] !== undefined) next.scale = m[3];
      }
    }
    const widened = old.type === type ? parametersWiden(old, next) : (WIDENINGS[old.type] ?? []).includes(type);
    if (!widened) {
      throw invalidQuery(
        `ALTER TABLE ALTER COLUMN SET DATA TYPE requires that the existing column type (${dataTypeName(old)}) is assignable to the new type (${dataTypeName(next)})`,
      );
    }
    changes.schema = changes.schema.map((f, i) => (i === index ? next : f));
    if (old.type !== type) changes.statements.push((relation) => `ALTER TABLE ${relation} ALTER COLUMN ${quoteIdent(old.name)} TYPE ${storageType(next)}`);
  }
  return changes;
}

/** The same type with parameters no narrower: a longer or unbounded length, or more digits. */
function parametersWiden(old: Field, next: Field): boolean {
  if (old.maxLength !== undefined) return next.maxLength === undefined || Number(next.maxLength) >= Number(old.maxLength);
  if (next.maxLength !== undefined) return false;
  if (old.precision === undefined) return next.precision === undefined;
  if (next.precision === undefined) return true;
  const oldScale = Number(old.scale ?? 0);
  const newScale = Number(next.scale ?? 0);
  return newScale >= oldScale && Number(next.precision) - newScale >= Number(old.precision) - oldScale;
}
