/**
 * tabledata.insertAll and column DEFAULT values: a row that omits a top-level field with a default
 * gets the default (BigQuery: "the default value is written to the column instead"). The defaults
 * are evaluated by the SQL engine, one query per column for the rows that need it, each row its
 * own evaluation (RAND() differs row by row; CURRENT_TIMESTAMP() is the request's time).
 * A field given as null stays null.
 */
import { invalid } from "../errors";
import { defaultSql } from "../execution/column_defaults";
import type { Field, Row, TableMeta } from "../model";
import type { InsertRowInput, RowError } from "../encoding/insert_rows";
import type { ServiceContext } from "./context";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The schema insertAll decodes with: a REQUIRED field with a default may be omitted (it is filled
 * afterwards), so it is decoded as NULLABLE.
 */
export const decodingSchema = (schema: Field[]): Field[] =>
  schema.some((f) => f.defaultValueExpression !== undefined && f.mode === "REQUIRED")
    ? schema.map((f) => (f.defaultValueExpression !== undefined && f.mode === "REQUIRED" ? { ...f, mode: "NULLABLE" } : f))
    : schema;

/** Fills the decoded rows' omitted defaulted fields. `rows` are the input rows that decoded (those without insertErrors), in order. */
export async function fillInsertDefaults(ctx: ServiceContext, table: TableMeta, input: InsertRowInput[], errors: RowError[], rows: Row[]): Promise<void> {
  const defaulted = table.schema.flatMap((f, i) => (f.defaultValueExpression !== undefined ? [i] : []));
  const executor = ctx.executor();
  if (defaulted.length === 0 || rows.length === 0 || !executor) return;
  const failed = new Set(errors.map((e) => e.index));
  const kept = input.map((_, i) => i).filter((i) => !failed.has(i)).slice(0, rows.length);
  for (const column of defaulted) {
    const name = table.schema[column].name.toLowerCase();
    const omitting = kept.flatMap((inputIndex, rowIndex) => {
      const json = input[inputIndex].json;
      return isObject(json) && !Object.keys(json).some((k) => k.toLowerCase() === name) ? [rowIndex] : [];
    });
    if (omitting.length === 0) continue;
    const result = await executor.execute({
      projectId: table.ref.projectId,
      sql: `SELECT ${defaultSql(table.schema[column])} AS v FROM UNNEST(GENERATE_ARRAY(1, ${omitting.length}))`,
      params: [],
    });
    omitting.forEach((rowIndex, k) => {
      rows[rowIndex][column] = result.rows?.[k]?.[0] ?? null;
    });
  }
  // decodingSchema let REQUIRED defaulted fields through: one given as null is still missing.
  for (const column of defaulted) {
    const field = table.schema[column];
    if (field.mode === "REQUIRED" && rows.some((r) => r[column] === null)) throw invalid(`Missing required field: ${field.name}.`, field.name);
  }
}
