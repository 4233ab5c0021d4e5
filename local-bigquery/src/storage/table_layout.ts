/**
 * How a BigQuery table lies in DuckDB: one typed column per top-level field (storageType),
 * REQUIRED as NOT NULL, and the ALTER statements that follow BigQuery's schema updates.
 */
import { quoteIdent, storageType } from "../engine/duckdb/types";
import type { Field, TableMeta } from "../model";

/** DuckDB tables need a column; a BigQuery table created without a schema has this one until it gets fields. */
export const PLACEHOLDER_COLUMN = "__lbq_none";

/**
 * `hidden`: definitions of columns BigQuery's schema does not show (ingestion_time.ts). They come
 * first, so that columns added later (always last in DuckDB) keep the schema's columns contiguous.
 */
export function createTableSql(relation: string, schema: Field[], hidden: string[] = []): string {
  const columns = schema.map((f) => `${quoteIdent(f.name)} ${storageType(f)}${f.mode === "REQUIRED" ? " NOT NULL" : ""}`);
  return `CREATE TABLE ${relation} (${[...hidden, ...(columns.length > 0 ? columns : [`${quoteIdent(PLACEHOLDER_COLUMN)} BOOLEAN`])].join(", ")})`;
}

/**
 * BigQuery's clustering keeps a table's rows sorted by its clustering columns, so a filter on the
 * first one reads a few blocks. Here an ART index on that column (when it is a scalar) plays the
 * part: a point lookup through the views reads a few rows, not the table. It costs appends some
 * speed (see the README's benchmarks).
 */
export function clusterIndexSql(relation: string, indexName: string, meta: Pick<TableMeta, "schema" | "clustering">): string | undefined {
  const first = meta.clustering?.[0];
  const field = first === undefined ? undefined : meta.schema.find((f) => f.name.toLowerCase() === first.toLowerCase());
  if (!field || field.mode === "REPEATED" || ["RECORD", "JSON", "GEOGRAPHY"].includes(field.type)) return undefined;
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName)} ON ${relation} (${quoteIdent(field.name)})`;
}

const sameName = (a: Field, b: Field): boolean => a.name.toLowerCase() === b.name.toLowerCase();

/**
 * The ALTERs turning a table of schema `before` into `after`, for the changes BigQuery allows
 * (mergeSchemaUpdate checks them): new columns and new RECORD fields (at any depth, also inside
 * REPEATED RECORDs), and top-level REQUIRED relaxed to NULLABLE. Nested REQUIRED fields are not
 * enforced by DuckDB (the executor checks them), so relaxing one needs no statement.
 */
export function alterTableSql(relation: string, before: Field[], after: Field[]): string[] {
  const statements: string[] = [];
  const walk = (old: Field[], next: Field[], path: string[]): void => {
    for (const field of next) {
      const existing = old.find((f) => sameName(f, field));
      const name = [...path, quoteIdent(field.name)];
      if (!existing) {
        statements.push(`ALTER TABLE ${relation} ADD COLUMN ${name.join(".")} ${storageType(field)}`);
        continue;
      }
      if (path.length === 0 && existing.mode === "REQUIRED" && field.mode !== "REQUIRED") {
        statements.push(`ALTER TABLE ${relation} ALTER COLUMN ${quoteIdent(field.name)} DROP NOT NULL`);
      }
      if (field.type === "RECORD" && existing.type === "RECORD") {
        // Fields of a LIST's STRUCT elements are addressed through `element`.
        walk(existing.fields ?? [], field.fields ?? [], field.mode === "REPEATED" ? [...name, "element"] : name);
      }
    }
  };
  walk(before, after, []);
  if (before.length === 0 && after.length > 0) statements.push(`ALTER TABLE ${relation} DROP COLUMN ${quoteIdent(PLACEHOLDER_COLUMN)}`);
  return statements;
}
