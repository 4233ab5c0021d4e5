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
  // Two elements of 8 bytes (BigQuery's documented size for RANGE).
  RANGE: 16,
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

/**
 * The same sizes as a DuckDB expression over a stored column (storage/table_layout.ts): the
 * bytes of one row's value, so that SUM over a table equals rowsBytes over its rows.
 */
export function valueBytesSql(field: Pick<Field, "type" | "mode" | "fields">, x: string): string {
  if (field.mode === "REPEATED") {
    const element = valueBytesSql({ ...field, mode: "NULLABLE" }, "e");
    return `coalesce(list_sum(list_transform(${x}, e -> ${element})), 0)`;
  }
  if (field.type === "RECORD") {
    const parts = (field.fields ?? []).map((f) => valueBytesSql(f, `struct_extract(${x}, '${f.name.replace(/'/g, "''")}')`));
    return parts.length > 0 ? `(${parts.join(" + ")})` : "0";
  }
  if (field.type === "STRING" || field.type === "JSON") return `coalesce(2 + strlen(${x}), 0)`;
  // BYTES: as valueBytes reckons it from the base64 text (3 per 4 characters, padding included).
  if (field.type === "BYTES") return `coalesce(2 + 3 * ((octet_length(${x}) + 2) // 3), 0)`;
  return `(CASE WHEN ${x} IS NULL THEN 0 ELSE ${FIXED[field.type] ?? 8} END)`;
}

/** Bytes of each column over rows. */
export function columnBytes(schema: Field[], rows: Value[][]): number[] {
  const totals = schema.map(() => 0);
  for (const cells of rows) schema.forEach((field, i) => (totals[i] += valueBytes(field, cells[i] ?? null)));
  return totals;
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
