/**
 * Wildcard tables: `FROM \`ds.events_*\`` reads every table of the dataset whose name starts with
 * the prefix, as a UNION ALL, with the pseudo-column _TABLE_SUFFIX (the part of each name the `*`
 * matched; readable by name, absent from SELECT *). BigQuery's rules: the schema is that of the
 * most recently created matching table (a column an older table lacks reads as NULL; a column only
 * older tables have is not visible); a column of one name with another type fails ("Cannot read
 * field of type X as Y"); a matching view fails the query; results are never cached.
 *
 * To ZetaSQL the wildcard is one catalog table of that schema (its rows, for the reference
 * evaluator, are the members' rows); to DuckDB it is a UNION ALL subquery of the members' tables.
 */
import { invalidQuery } from "../errors";
import { quoteIdent, storageType } from "../engine/duckdb/types";
import { sqlTypeName, typeOf } from "../engine/types";
import type { Field, TableMeta, TableRef, Value } from "../model";
import type { Store, StoredRow, TableStats } from "../storage/store";
import { datasetNotFound, tableNotFound } from "./table_names";

export const TABLE_SUFFIX = "_TABLE_SUFFIX";

export interface WildcardMember {
  ref: TableRef;
  meta: TableMeta;
  /** What the `*` matched. */
  suffix: string;
  /** For each column of the wildcard's schema, the member's column index (undefined: the member lacks it, NULL). */
  columns: (number | undefined)[];
}

export const isWildcard = (ref: TableRef): boolean => ref.tableId.endsWith("*");

const label = (ref: TableRef): string => `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;

/** The wildcard's schema and member tables; throws as BigQuery does for no match, a view, or clashing types. */
export function resolveWildcard(store: Store, ref: TableRef): { meta: TableMeta; members: WildcardMember[] } {
  const prefix = ref.tableId.slice(0, -1);
  if (prefix.includes("*")) throw invalidQuery(`Invalid table name ${label(ref)}: the wildcard * must be the last character`);
  if (!store.getDataset(ref)) throw datasetNotFound(ref);
  const matches = store.listTables(ref).filter((t) => t.ref.tableId.startsWith(prefix));
  const view = matches.find((t) => t.type === "VIEW");
  if (view) throw invalidQuery(`Views cannot be queried through prefix. First view ${label(view.ref)}.`);
  if (matches.length === 0) throw tableNotFound(ref);
  // Row-level security filters a table per reference (row_access.ts); a wildcard reads its members raw.
  const secured = matches.find((t) => (t.rowAccessPolicies ?? []).length > 0);
  if (secured) throw invalidQuery(`Wildcard table ${label(ref)} matches ${label(secured.ref)}, which has row access policies: query that table by name`);
  // listTables is in name order, so among tables created in the same millisecond the last name wins.
  const newest = matches.reduce((a, b) => (b.creationTime >= a.creationTime ? b : a));
  // Older tables may lack a column: nothing can be REQUIRED.
  const schema: Field[] = newest.schema.map((f) => (f.mode === "REQUIRED" ? { ...f, mode: "NULLABLE" } : f));
  const members = matches.map((m): WildcardMember => {
    const columns = schema.map((field) => {
      const i = m.schema.findIndex((f) => f.name.toLowerCase() === field.name.toLowerCase());
      if (i < 0) return undefined;
      const [have, want] = [sqlTypeName(typeOf({ ...m.schema[i], mode: "NULLABLE" })), sqlTypeName(typeOf({ ...field, mode: "NULLABLE" }))];
      const repeated = (f: Field): boolean => f.mode === "REPEATED";
      if (have !== want || repeated(m.schema[i]) !== repeated(field)) {
        throw invalidQuery(`Cannot read field of type ${sqlTypeName(typeOf(m.schema[i]))} as ${sqlTypeName(typeOf(field))} Field: ${field.name}`);
      }
      return i;
    });
    return { ref: m.ref, meta: m, suffix: m.ref.tableId.slice(prefix.length), columns };
  });
  const meta: TableMeta = { ref, type: "TABLE", schema, creationTime: newest.creationTime, lastModifiedTime: Math.max(...matches.map((m) => m.lastModifiedTime)) };
  return { meta, members };
}

/** The members' rows in the wildcard's column order, each with its _TABLE_SUFFIX. */
export async function wildcardRows(members: WildcardMember[], read: (ref: TableRef) => Promise<StoredRow[]>): Promise<StoredRow[]> {
  const out: StoredRow[] = [];
  for (const member of members) {
    for (const row of await read(member.ref)) {
      const cells: Value[] = member.columns.map((i) => (i === undefined ? null : (row.cells[i] ?? null)));
      out.push({ rowId: row.rowId, cells, pseudo: { [TABLE_SUFFIX]: member.suffix } });
    }
  }
  return out;
}

/** The DuckDB relation of a wildcard: one UNION ALL branch per member, missing columns as typed NULLs. */
export function wildcardRelationSql(schema: Field[], members: WildcardMember[], relation: (ref: TableRef) => string): string {
  const branches = members.map((m) => {
    const columns = schema.map((field, k) => {
      const i = m.columns[k];
      const value = i === undefined ? `CAST(NULL AS ${storageType(field)})` : quoteIdent(m.meta.schema[i].name);
      return `${value} AS ${quoteIdent(field.name)}`;
    });
    columns.push(`'${m.suffix.replace(/'/g, "''")}' AS ${quoteIdent(TABLE_SUFFIX)}`);
    return `SELECT ${columns.join(", ")} FROM ${relation(m.ref)}`;
  });
  return `(${branches.join(" UNION ALL ")})`;
}

/** Rows and column bytes of the wildcard (its members' summed, by the wildcard's columns). */
export function wildcardStats(store: Store, schema: Field[], members: WildcardMember[]): TableStats {
  const stats: TableStats = { rows: 0, columnBytes: schema.map(() => 0) };
  for (const m of members) {
    const s = store.stats(m.ref);
    stats.rows += s.rows;
    m.columns.forEach((i, k) => {
      if (i !== undefined) stats.columnBytes[k] += s.columnBytes[i] ?? 0;
    });
  }
  return stats;
}
