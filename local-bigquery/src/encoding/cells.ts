/**
 * Canonical rows (model.ts) to BigQuery's REST row form: {"f":[{"v":...}]},
 * REPEATED as v:[{"v":...}], RECORD as v:{"f":[...]}, every scalar a string.
 * TIMESTAMP cells are int64 microseconds when the caller asked for
 * formatOptions.useInt64Timestamp, else BigQuery's float-seconds text.
 */
import { invalid } from "../errors";
import type { Field, Row, Value } from "../model";
import { rangeOf, rangeText } from "../engine/range_value";
import { microsToFloatSeconds, microsToIso } from "./timestamp";

export interface RestCell {
  v: RestValue;
}
export type RestValue = string | null | RestCell[] | RestRow;
export interface RestRow {
  f: RestCell[];
}

export interface CellOptions {
  int64Timestamp: boolean;
  /** formatOptions.timestampOutputFormat ISO8601_STRING: "YYYY-MM-DDTHH:MM:SS.FFFFFFZ". */
  isoTimestamp?: boolean;
}

/**
 * formatOptions as the client sends them: timestampOutputFormat (INT64, FLOAT64, ISO8601_STRING)
 * wins over the older useInt64Timestamp; both at once with different meanings is BigQuery's 400.
 */
export function cellOptions(useInt64Timestamp: boolean, timestampOutputFormat: unknown): CellOptions {
  const format = typeof timestampOutputFormat === "string" ? timestampOutputFormat.toUpperCase() : "";
  if (useInt64Timestamp && (format === "FLOAT64" || format === "ISO8601_STRING")) throw invalid("Cannot specify both use_int64_timestamp and timestamp_output_format.");
  if (format === "INT64") return { int64Timestamp: true };
  if (format === "FLOAT64") return { int64Timestamp: false };
  if (format === "ISO8601_STRING") return { int64Timestamp: false, isoTimestamp: true };
  return { int64Timestamp: useInt64Timestamp };
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
  if (field.type === "TIMESTAMP") return timestampCell(value, opts);
  // A RANGE<TIMESTAMP>'s bounds are printed as TIMESTAMP cells are.
  if (field.type === "RANGE" && field.rangeElementType?.type === "TIMESTAMP") {
    const r = rangeOf(value);
    return rangeText({ start: r.start === null ? null : timestampCell(r.start, opts), end: r.end === null ? null : timestampCell(r.end, opts) });
  }
  return value;
}

function timestampCell(micros: string, opts: CellOptions): string {
  if (opts.isoTimestamp) return microsToIso(BigInt(micros));
  return opts.int64Timestamp ? micros : microsToFloatSeconds(micros);
}

/** A rough JSON size of a row, to bound response pages. */
export function approximateSize(row: Row): number {
  let n = 8;
  for (const v of row) n += v === null ? 12 : Array.isArray(v) ? approximateSize(v) : v.length + 10;
  return n;
}
