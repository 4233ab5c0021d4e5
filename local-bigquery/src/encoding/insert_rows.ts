/**
 * tabledata.insertAll rows (JSON objects) to canonical Rows, checked against the
 * table schema field by field. Errors are BigQuery's insertErrors: reason
 * "invalid" with the field path as location. Without skipInvalidRows one bad row
 * stops the request: every other row gets reason "stopped" and nothing is stored.
 */
import type { Field, FieldType, Row, Value } from "../model";
import { isCanonicalJsonText } from "./canonical_json";
import { normalizeRange } from "./range_input";
import { normalizeScalar } from "./scalars";
import { isoUtcToMicrosText } from "./timestamp";

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
  // One pass; a row's errors land in rowErrors[index], and a fresh list is started only after a bad row.
  const decoded: Row[] = new Array<Row>(input.length);
  const rowErrors: (InsertError[] | undefined)[] = new Array<InsertError[] | undefined>(input.length);
  let bad = 0;
  let errors: InsertError[] = [];
  for (let i = 0; i < input.length; i++) {
    const r = input[i];
    if (!isObject(r) || !isObject(r.json)) {
      rowErrors[i] = [invalidAt("", "Row is not a JSON object: every row needs a json object")];
      bad++;
      continue;
    }
    decoded[i] = decodeRecord(r.json, fields, "", opts, errors);
    if (errors.length > 0) {
      rowErrors[i] = errors;
      errors = [];
      bad++;
    }
  }
  const insertErrors: RowError[] = [];
  if (bad > 0) {
    for (let index = 0; index < input.length; index++) {
      const errs = rowErrors[index];
      if (errs) insertErrors.push({ index, errors: errs });
      else if (!opts.skipInvalidRows) insertErrors.push({ index, errors: [{ reason: "stopped", location: "", debugInfo: "", message: "" }] });
    }
  }
  const rows: Row[] = [];
  const insertIds: (string | undefined)[] = [];
  if (bad === 0 || opts.skipInvalidRows) {
    for (let i = 0; i < input.length; i++) {
      if (rowErrors[i]) continue;
      rows.push(decoded[i]);
      const id = input[i].insertId;
      insertIds.push(typeof id === "string" && id !== "" ? id : typeof id === "number" ? String(id) : undefined);
    }
  }
  return { rows, insertIds, insertErrors };
}

// Cells of these types, not REPEATED, given as JSON strings take a fast path that gives what decodeField would.
const FAST_TYPES = new Set<FieldType>(["STRING", "TIMESTAMP", "JSON"]);

interface RecordPlan {
  /** Column index by name as the schema spells it (the usual case), then by lower-case name. */
  exact: Map<string, number>;
  lower: Map<string, number>;
  /** The field's type when it has a fast path. */
  fast: (FieldType | undefined)[];
}

// Built once per schema (fields arrays live as long as the table metadata).
const plans = new WeakMap<Field[], RecordPlan>();
function planOf(fields: Field[]): RecordPlan {
  let plan = plans.get(fields);
  if (!plan) {
    plan = {
      exact: new Map(fields.map((f, i) => [f.name, i])),
      lower: new Map(fields.map((f, i) => [f.name.toLowerCase(), i])),
      fast: fields.map((f) => (f.mode !== "REPEATED" && FAST_TYPES.has(f.type) ? f.type : undefined)),
    };
    plans.set(fields, plan);
  }
  return plan;
}

function decodeRecord(
  obj: Record<string, unknown>,
  fields: Field[],
  prefix: string,
  opts: DecodeOptions,
  errors: InsertError[],
): Row {
  const plan = planOf(fields);
  const row: Row = new Array<Value>(fields.length).fill(null);
  for (const key of Object.keys(obj)) {
    const index = plan.exact.get(key) ?? plan.lower.get(key.toLowerCase());
    if (index === undefined) {
      if (!opts.ignoreUnknownValues) errors.push(invalidAt(prefix + key, `no such field: ${prefix + key}.`));
      continue;
    }
    const raw = obj[key];
    if (typeof raw === "string") {
      const fast = plan.fast[index];
      if (fast === "STRING") {
        row[index] = raw;
        continue;
      }
      const value = fast === "TIMESTAMP" ? isoUtcToMicrosText(raw) : fast === "JSON" && isCanonicalJsonText(raw) ? raw : undefined;
      if (value !== undefined) {
        row[index] = value;
        continue;
      }
    }
    row[index] = decodeField(raw, fields[index], prefix + fields[index].name, opts, errors);
  }
  // A REQUIRED cell is null when it was not given, was given as null, or did not decode.
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (row[i] !== null) continue;
    if (f.mode === "REPEATED") row[i] = [];
    else if (f.mode === "REQUIRED") errors.push(invalidAt(prefix + f.name, `Missing required field: ${prefix + f.name}.`));
  }
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
  if (isObject(raw) && field.type !== "JSON" && field.type !== "RANGE") {
    errors.push(invalidAt(path, `This field: ${path} is not a record; it takes a ${field.type} value.`));
    return null;
  }
  const result = field.type === "RANGE" ? normalizeRange(field.rangeElementType?.type, raw) : normalizeScalar(field.type, raw);
  if (!result.ok) {
    errors.push(invalidAt(path, `${result.message} (field ${path}, type ${field.type})`));
    return null;
  }
  return result.value;
}
