/**
 * tabledata.insertAll rows (JSON objects) to canonical Rows, checked against the
 * table schema field by field. Errors are BigQuery's insertErrors: reason
 * "invalid" with the field path as location. Without skipInvalidRows one bad row
 * stops the request: every other row gets reason "stopped" and nothing is stored.
 */
import type { Field, Row, Value } from "../model";
import { normalizeScalar } from "./scalars";

export interface InsertError {
  reason: "invalid" | "stopped";
  location: string;
  debugInfo: string;
  message: string;
}

export interface RowError {
  index: number;
  errors: InsertError[];
}

export interface DecodedRows {
  /** Rows to store, with their insertIds (undefined: none given). */
  rows: Row[];
  insertIds: (string | undefined)[];
  /** Per-row errors; empty when every row is valid. */
  insertErrors: RowError[];
}

export interface InsertRowInput {
  insertId?: unknown;
  json?: unknown;
}

export interface DecodeOptions {
  skipInvalidRows?: boolean;
  ignoreUnknownValues?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const invalidAt = (location: string, message: string): InsertError => ({ reason: "invalid", location, debugInfo: "", message });

export function decodeInsertRows(input: InsertRowInput[], fields: Field[], opts: DecodeOptions): DecodedRows {
  const decoded = input.map((r) => {
    if (!isObject(r) || !isObject(r.json)) {
      return { row: [] as Row, errors: [invalidAt("", "Row is not a JSON object: every row needs a json object")] };
    }
    const errors: InsertError[] = [];
    const row = decodeRecord(r.json, fields, "", opts, errors);
    return { row, errors };
  });
  const bad = decoded.filter((d) => d.errors.length > 0);
  const insertErrors: RowError[] = [];
  decoded.forEach((d, index) => {
    if (d.errors.length > 0) insertErrors.push({ index, errors: d.errors });
    else if (bad.length > 0 && !opts.skipInvalidRows) {
      insertErrors.push({ index, errors: [{ reason: "stopped", location: "", debugInfo: "", message: "" }] });
    }
  });
  const store = bad.length === 0 || opts.skipInvalidRows;
  const rows: Row[] = [];
  const insertIds: (string | undefined)[] = [];
  if (store) {
    decoded.forEach((d, i) => {
      if (d.errors.length > 0) return;
      rows.push(d.row);
      const id = input[i].insertId;
      insertIds.push(typeof id === "string" && id !== "" ? id : typeof id === "number" ? String(id) : undefined);
    });
  }
  return { rows, insertIds, insertErrors };
}

// Column index by lower-case name, built once per schema (fields arrays live as long as the table metadata).
const indexCache = new WeakMap<Field[], Map<string, number>>();
function columnIndex(fields: Field[]): Map<string, number> {
  let byName = indexCache.get(fields);
  if (!byName) {
    byName = new Map(fields.map((f, i) => [f.name.toLowerCase(), i]));
    indexCache.set(fields, byName);
  }
  return byName;
}

function decodeRecord(
  obj: Record<string, unknown>,
  fields: Field[],
  prefix: string,
  opts: DecodeOptions,
  errors: InsertError[],
): Row {
  const byName = columnIndex(fields);
  const row: Row = new Array<Value>(fields.length).fill(null);
  const given = new Set<number>();
  for (const [key, raw] of Object.entries(obj)) {
    const index = byName.get(key.toLowerCase());
    if (index === undefined) {
      if (!opts.ignoreUnknownValues) errors.push(invalidAt(prefix + key, `no such field: ${prefix + key}.`));
      continue;
    }
    given.add(index);
    row[index] = decodeField(raw, fields[index], prefix + fields[index].name, opts, errors);
  }
  fields.forEach((f, i) => {
    if (f.mode === "REPEATED" && row[i] === null) row[i] = [];
    if (f.mode === "REQUIRED" && (!given.has(i) || row[i] === null)) {
      errors.push(invalidAt(prefix + f.name, `Missing required field: ${prefix + f.name}.`));
    }
  });
  return row;
}

function decodeField(raw: unknown, field: Field, path: string, opts: DecodeOptions, errors: InsertError[]): Value {
  if (raw === null || raw === undefined) return field.mode === "REPEATED" ? [] : null;
  if (field.mode === "REPEATED") {
    if (!Array.isArray(raw)) {
      errors.push(invalidAt(path, `This field: ${path} is a repeated field; its value must be an array.`));
      return [];
    }
    return raw.map((item, i) => {
      if (item === null || item === undefined) {
        errors.push(invalidAt(path, `Field ${path}: element ${i} is NULL; an array cannot hold NULL values.`));
        return null;
      }
      return decodeSingle(item, field, path, opts, errors);
    });
  }
  if (Array.isArray(raw) && field.type !== "JSON") {
    errors.push(invalidAt(path, `Array specified for non-repeated field: ${path}.`));
    return null;
  }
  return decodeSingle(raw, field, path, opts, errors);
}

function decodeSingle(raw: unknown, field: Field, path: string, opts: DecodeOptions, errors: InsertError[]): Value {
  if (field.type === "RECORD") {
    if (!isObject(raw)) {
      errors.push(invalidAt(path, `This field: ${path} is not a record.`));
      return null;
    }
    return decodeRecord(raw, field.fields ?? [], `${path}.`, opts, errors);
  }
  if (isObject(raw) && field.type !== "JSON") {
    errors.push(invalidAt(path, `This field: ${path} is not a record; it takes a ${field.type} value.`));
    return null;
  }
  const result = normalizeScalar(field.type, raw);
  if (!result.ok) {
    errors.push(invalidAt(path, `${result.message} (field ${path}, type ${field.type})`));
    return null;
  }
  return result.value;
}
