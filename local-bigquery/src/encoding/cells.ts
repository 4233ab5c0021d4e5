/**
 * Canonical rows (model.ts) to BigQuery's REST row form: {"f":[{"v":...}]},
 * REPEATED as v:[{"v":...}], RECORD as v:{"f":[...]}, every scalar a string.
 * TIMESTAMP cells are int64 microseconds when the caller asked for
 * formatOptions.useInt64Timestamp, else BigQuery's float-seconds text.
 */
import type { Field, Row, Value } from "../model";
import { microsToFloatSeconds } from "./timestamp";

export interface RestCell {
  v: RestValue;
}
export type RestValue = string | null | RestCell[] | RestRow;
export interface RestRow {
  f: RestCell[];
}

export interface CellOptions {
  int64Timestamp: boolean;
}

export function encodeRow(row: Row, fields: Field[], opts: CellOptions): RestRow {
  return { f: fields.map((field, i) => ({ v: encodeField(row[i] ?? null, field, opts) })) };
}

export const encodeRows = (rows: Row[], fields: Field[], opts: CellOptions): RestRow[] =>
  rows.map((r) => encodeRow(r, fields, opts));

function encodeField(value: Value, field: Field, opts: CellOptions): RestValue {
  if (field.mode === "REPEATED") {
    const items = Array.isArray(value) ? value : [];
    return items.map((item) => ({ v: encodeSingle(item, field, opts) }));
  }
  return encodeSingle(value, field, opts);
}

function encodeSingle(value: Value, field: Field, opts: CellOptions): RestValue {
  if (value === null) return null;
  if (field.type === "RECORD") {
    return encodeRow(Array.isArray(value) ? value : [], field.fields ?? [], opts);
  }
  if (Array.isArray(value)) return JSON.stringify(value);
  if (field.type === "TIMESTAMP" && !opts.int64Timestamp) return microsToFloatSeconds(value);
  return value;
}

/** A rough JSON size of a row, to bound response pages. */
export function approximateSize(row: Row): number {
  let n = 8;
  for (const v of row) n += v === null ? 12 : Array.isArray(v) ? approximateSize(v) : v.length + 10;
  return n;
}
