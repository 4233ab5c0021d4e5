/**
 * Canonical cells (model.ts Value: strings, null, arrays) <-> ZetaSQL ValueProto.
 * Every conversion is driven by the ZetaSQL type, so NULL arrays, INT64 beyond
 * 2^53 and NUMERIC precision survive exactly.
 */
import { invalid, unsupported } from "../errors";
import type { Value } from "../model";
import {
  daysToDate,
  dateToDays,
  decodeDatetime,
  decodeTime,
  encodeDatetime,
  encodeTime,
  microsToTimestamp,
  timestampTextToMicros,
  timestampToMicros,
} from "./civil_time";
import { BIGNUMERIC_SCALE, NUMERIC_SCALE, decodeDecimal, encodeDecimal } from "./decimal_codec";
import { intervalFromBytes, intervalOf, intervalText, intervalToBytes } from "./interval_value";
import { rangeOf, rangeText } from "./range_value";
import type { TypeProto } from "./types";

/** ValueProto as @grpc/proto-loader presents it (longs as strings, bytes as Buffer). */
export interface ValueProto {
  int64Value?: string;
  boolValue?: boolean;
  doubleValue?: number;
  stringValue?: string;
  bytesValue?: Buffer;
  dateValue?: number;
  timestampValue?: { seconds?: string; nanos?: number };
  datetimeValue?: { bitFieldDatetimeSeconds?: string; nanos?: number };
  timeValue?: string;
  numericValue?: Buffer;
  bignumericValue?: Buffer;
  jsonValue?: string;
  geographyValue?: Buffer;
  intervalValue?: Buffer;
  rangeValue?: { start?: ValueProto; end?: ValueProto };
  arrayValue?: { element?: ValueProto[] };
  structValue?: { field?: ValueProto[] };
  value?: string;
}

const NULL: ValueProto = {};

function scalarText(value: Value, what: string): string {
  if (typeof value !== "string") throw invalid(`Expected a scalar ${what} value, got ${JSON.stringify(value)}`);
  return value;
}

/** A canonical cell to ZetaSQL's form for a value of `type`. */
export function toValueProto(value: Value, type: TypeProto): ValueProto {
  if (value === null) return NULL;
  switch (type.typeKind) {
    case "TYPE_ARRAY": {
      if (!Array.isArray(value)) throw invalid(`Expected an array, got ${JSON.stringify(value)}`);
      const elementType = type.arrayType?.elementType as TypeProto;
      return { arrayValue: { element: value.map((v) => toValueProto(v, elementType)) } };
    }
    case "TYPE_STRUCT": {
      const fields = type.structType?.field ?? [];
      if (!Array.isArray(value) || value.length !== fields.length) {
        throw invalid(`Expected a record of ${fields.length} fields, got ${JSON.stringify(value)}`);
      }
      return { structValue: { field: fields.map((f, i) => toValueProto(value[i], f.fieldType)) } };
    }
    case "TYPE_RANGE": {
      // An unbounded end is a NULL element.
      const bounds = rangeOf(scalarText(value, "RANGE"));
      const element = type.rangeType?.elementType as TypeProto;
      return { rangeValue: { start: toValueProto(bounds.start, element), end: toValueProto(bounds.end, element) } };
    }
    default:
      return scalarToProto(scalarText(value, type.typeKind.replace(/^TYPE_/, "")), type.typeKind);
  }
}

function scalarToProto(text: string, kind: string): ValueProto {
  switch (kind) {
    case "TYPE_STRING":
      return { stringValue: text };
    case "TYPE_BYTES":
      return { bytesValue: Buffer.from(text, "base64") };
    case "TYPE_INT64":
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw invalid(`Invalid INT64 value: ${text}`);
      return { int64Value: BigInt(text.trim()).toString() };
    case "TYPE_DOUBLE": {
      const n = Number(text);
      if (Number.isNaN(n) && text.trim().toLowerCase() !== "nan") throw invalid(`Invalid FLOAT64 value: ${text}`);
      return { doubleValue: n };
    }
    case "TYPE_NUMERIC":
      return { numericValue: encodeDecimal(text, NUMERIC_SCALE) };
    case "TYPE_BIGNUMERIC":
      return { bignumericValue: encodeDecimal(text, BIGNUMERIC_SCALE) };
    case "TYPE_BOOL": {
      const lower = text.trim().toLowerCase();
      if (lower !== "true" && lower !== "false") throw invalid(`Invalid BOOL value: ${text}`);
      return { boolValue: lower === "true" };
    }
    case "TYPE_TIMESTAMP":
      return { timestampValue: microsToTimestamp(timestampTextToMicros(text)) };
    case "TYPE_DATE":
      return { dateValue: dateToDays(text) };
    case "TYPE_DATETIME":
      return { datetimeValue: encodeDatetime(text) };
    case "TYPE_TIME":
      return { timeValue: encodeTime(text) };
    case "TYPE_JSON":
      return { jsonValue: text };
    case "TYPE_INTERVAL":
      return { intervalValue: intervalToBytes(intervalOf(text)) };
    default:
      throw unsupported(`The local engine cannot take ${kind.replace(/^TYPE_/, "")} values`);
  }
}

export function doubleText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}

/** ZetaSQL's form to a canonical cell. A NULL array reads as [] (BigQuery has no NULL arrays). */
export function fromValueProto(proto: ValueProto, type: TypeProto): Value {
  switch (type.typeKind) {
    case "TYPE_ARRAY": {
      const elementType = type.arrayType?.elementType as TypeProto;
      return (proto.arrayValue?.element ?? []).map((e) => fromValueProto(e, elementType));
    }
    case "TYPE_STRUCT": {
      if (!proto.structValue) return null;
      const values = proto.structValue.field ?? [];
      return (type.structType?.field ?? []).map((f, i) => fromValueProto(values[i] ?? NULL, f.fieldType));
    }
    case "TYPE_RANGE": {
      if (!proto.rangeValue) return null;
      const element = type.rangeType?.elementType as TypeProto;
      const bound = (p: ValueProto | undefined): string | null => (p ? (fromValueProto(p, element) as string | null) : null);
      return rangeText({ start: bound(proto.rangeValue.start), end: bound(proto.rangeValue.end) });
    }
    default:
      return proto.value === undefined ? null : scalarFromProto(proto, type.typeKind);
  }
}

function scalarFromProto(proto: ValueProto, kind: string): Value {
  switch (kind) {
    case "TYPE_STRING":
      return proto.stringValue ?? "";
    case "TYPE_BYTES":
      return (proto.bytesValue ?? Buffer.alloc(0)).toString("base64");
    case "TYPE_INT64":
      return String(proto.int64Value ?? "0");
    case "TYPE_DOUBLE":
      return doubleText(proto.doubleValue ?? 0);
    case "TYPE_NUMERIC":
      return decodeDecimal(proto.numericValue ?? Buffer.alloc(0), NUMERIC_SCALE);
    case "TYPE_BIGNUMERIC":
      return decodeDecimal(proto.bignumericValue ?? Buffer.alloc(0), BIGNUMERIC_SCALE);
    case "TYPE_BOOL":
      return proto.boolValue ? "true" : "false";
    case "TYPE_TIMESTAMP":
      return timestampToMicros(proto.timestampValue ?? {});
    case "TYPE_DATE":
      return daysToDate(proto.dateValue ?? 0);
    case "TYPE_DATETIME":
      return decodeDatetime(proto.datetimeValue ?? {});
    case "TYPE_TIME":
      return decodeTime(proto.timeValue ?? "0");
    case "TYPE_JSON":
      return proto.jsonValue ?? "null";
    case "TYPE_INTERVAL":
      return intervalText(intervalFromBytes(proto.intervalValue ?? Buffer.alloc(0)));
    default:
      throw unsupported(
        `The local engine cannot return ${kind.replace(/^TYPE_/, "")} values (ZetaSQL's reference implementation uses an internal encoding for them)`,
      );
  }
}
