/** REQUIRED columns (and REQUIRED fields of records) refuse NULL on every write. */
import { invalidQuery } from "../errors";
import type { Field, Row, TableRef, Value } from "../model";

function check(fields: Field[], cells: Value[], path: string, table: string, rowNumber: number): void {
  fields.forEach((field, i) => {
    const value = cells[i] ?? null;
    const name = path ? `${path}.${field.name}` : field.name;
    if (value === null && field.mode === "REQUIRED") {
      throw invalidQuery(`Required field ${name} of table ${table} cannot be NULL (row ${rowNumber})`);
    }
    if (field.type === "RECORD" && Array.isArray(value) && field.fields) {
      const records = field.mode === "REPEATED" ? value : [value];
      for (const record of records) if (Array.isArray(record)) check(field.fields, record, name, table, rowNumber);
    }
  });
}

export function checkRequired(schema: Field[], rows: Row[], ref: TableRef): void {
  const table = `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
  rows.forEach((row, i) => check(schema, row, "", table, i + 1));
}

/** DuckDB's NOT NULL failure (a REQUIRED column written NULL by compiled SQL) in BigQuery's words. */
export function requiredFieldError(error: Error, ref: TableRef): Error {
  const m = /NOT NULL constraint failed: [^.\s]+\.(\S+)/.exec(error.message);
  if (!m) return error;
  return invalidQuery(`Required field ${m[1]} of table ${ref.projectId}:${ref.datasetId}.${ref.tableId} cannot be NULL`);
}
