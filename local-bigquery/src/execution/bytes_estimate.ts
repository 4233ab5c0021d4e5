/** BigQuery's logical sizes, for totalBytesProcessed and maximumBytesBilled. */
import type { Field, Value } from "../model";

const FIXED: Partial<Record<Field["type"], number>> = {
  INTEGER: 8,
  FLOAT: 8,
  BOOLEAN: 1,
  TIMESTAMP: 8,
  DATE: 8,
  TIME: 8,
  DATETIME: 8,
  NUMERIC: 16,
  BIGNUMERIC: 32,
  GEOGRAPHY: 16,
  INTERVAL: 16,
};

function valueBytes(field: Field, value: Value): number {
  if (value === null) return 0;
  if (field.mode === "REPEATED" && Array.isArray(value)) {
    const element = { ...field, mode: "NULLABLE" as const };
    return value.reduce<number>((n, v) => n + valueBytes(element, v), 0);
  }
  if (field.type === "RECORD" && Array.isArray(value)) {
    return (field.fields ?? []).reduce((n, f, i) => n + valueBytes(f, value[i] ?? null), 0);
  }
  const text = value as string;
  if (field.type === "STRING" || field.type === "JSON") return 2 + Buffer.byteLength(text);
  if (field.type === "BYTES") return 2 + Math.floor((text.length * 3) / 4);
  return FIXED[field.type] ?? 8;
}

/** Bytes of the given columns (all when `columns` is undefined) over rows. */
export function rowsBytes(schema: Field[], rows: { cells: Value[] }[] | Value[][], columns?: Set<number>): number {
  let total = 0;
  for (const row of rows) {
    const cells = Array.isArray(row) ? row : row.cells;
    schema.forEach((field, i) => {
      if (!columns || columns.has(i)) total += valueBytes(field, cells[i] ?? null);
    });
  }
  return total;
}

/**
 * On-demand billing: bytes processed rounded up to a whole MB, at least 10 MB per
 * table referenced (views count by the tables they read); nothing when no table is read.
 */
export function bytesBilled(bytesProcessed: number, tablesReferenced: number): number {
  if (tablesReferenced === 0) return 0;
  const mb = 1024 * 1024;
  return Math.max(10 * mb * tablesReferenced, Math.ceil(bytesProcessed / mb) * mb);
}
