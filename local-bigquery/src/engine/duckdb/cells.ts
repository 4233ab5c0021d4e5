/**
 * Canonical cells (model.ts Value) <-> DuckDB values, by GoogleSQL type: how query results are
 * read back, and how the store appends rows. Types DuckDB holds as VARCHAR (JSON, BIGNUMERIC,
 * GEOGRAPHY, see storageType) pass through as their canonical text. INTERVAL is DuckDB's INTERVAL
 * (a table made before it was, holding the text, still reads); RANGE a STRUCT(start, end).
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimeValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBAppender,
  type DuckDBValue,
} from "@duckdb/node-api";
import type { Field, Value } from "../../model";
import { dateToDays, daysToDate, datetimeTextToMicros, microsToDatetime, microsToTime, timeTextToMicros } from "../civil_time";
import { NUMERIC_SCALE, decimalText, unscaledDecimal } from "../decimal_codec";
import { intervalOf, intervalText } from "../interval_value";
import { rangeOf, rangeText } from "../range_value";
import { elementTypeOf, type TypeProto } from "../types";
import { doubleText } from "../values";
import { geographyText } from "./functions_geography";
import { structFieldNames } from "./types";

/** A DuckDB value of GoogleSQL type `type` as a canonical cell. */
export function toCell(value: DuckDBValue, type: TypeProto): Value {
  if (type.typeKind === "TYPE_ARRAY") {
    // BigQuery has no NULL arrays: NULL reads as [].
    const element = type.arrayType?.elementType as TypeProto;
    return value instanceof DuckDBListValue ? value.items.map((v) => toCell(v, element)) : [];
  }
  if (value === null) return null;
  switch (type.typeKind) {
    case "TYPE_STRUCT": {
      const entries = (value as DuckDBStructValue).entries;
      const names = structFieldNames(type);
      return (type.structType?.field ?? []).map((f, i) => toCell(entries[names[i]] ?? null, f.fieldType));
    }
    case "TYPE_INT64":
      return String(value);
    case "TYPE_DOUBLE":
      return doubleText(value as number);
    case "TYPE_BOOL":
      return value ? "true" : "false";
    case "TYPE_STRING":
    case "TYPE_JSON":
    case "TYPE_BIGNUMERIC":
      return value as string;
    case "TYPE_GEOGRAPHY":
      return geographyText(value as string);
    case "TYPE_INTERVAL": {
      if (typeof value === "string") return intervalText(intervalOf(value));
      const v = value as DuckDBIntervalValue;
      return intervalText({ months: v.months, days: v.days, nanos: v.micros * 1000n });
    }
    case "TYPE_RANGE": {
      const entries = (value as DuckDBStructValue).entries;
      const element = type.rangeType?.elementType as TypeProto;
      const bound = (v: DuckDBValue | undefined): string | null => (v === null || v === undefined ? null : (toCell(v, element) as string));
      return rangeText({ start: bound(entries.start), end: bound(entries.end) });
    }
    case "TYPE_BYTES":
      return Buffer.from((value as DuckDBBlobValue).bytes).toString("base64");
    case "TYPE_DATE":
      return daysToDate((value as DuckDBDateValue).days);
    case "TYPE_TIMESTAMP":
      return String((value as DuckDBTimestampTZValue).micros);
    case "TYPE_DATETIME":
      return microsToDatetime((value as DuckDBTimestampValue).micros);
    case "TYPE_TIME":
      return microsToTime((value as DuckDBTimeValue).micros);
    case "TYPE_NUMERIC": {
      const decimal = value as DuckDBDecimalValue;
      return decimalText(decimal.value, decimal.scale);
    }
    default:
      throw new Error(`toCell: no conversion for ${type.typeKind}`);
  }
}

/** Appends one cell of a column to the appender's current row. */
export type CellAppender = (appender: DuckDBAppender, value: Value) => void;

/** A canonical non-NULL scalar of a field's type as the DuckDB value its storage column holds. */
function scalarValue(field: Pick<Field, "type" | "fields" | "rangeElementType">, value: string): DuckDBValue {
  switch (field.type) {
    case "INTERVAL": {
      const v = intervalOf(value);
      if (v.nanos % 1000n !== 0n) throw new Error(`INTERVAL ${value}: DuckDB holds microseconds, not nanoseconds`);
      return new DuckDBIntervalValue(v.months, v.days, v.nanos / 1000n);
    }
    case "RANGE": {
      const r = rangeOf(value);
      const element = { type: field.rangeElementType?.type ?? "DATE", mode: "NULLABLE" as const };
      return new DuckDBStructValue({ start: r.start === null ? null : scalarValue(element, r.start), end: r.end === null ? null : scalarValue(element, r.end) });
    }
    case "INTEGER":
      return BigInt(value);
    case "FLOAT":
      return Number(value);
    case "BOOLEAN":
      return value === "true";
    case "NUMERIC":
      return new DuckDBDecimalValue(unscaledDecimal(value, NUMERIC_SCALE), 38, NUMERIC_SCALE);
    case "BYTES":
      return new DuckDBBlobValue(Buffer.from(value, "base64"));
    case "TIMESTAMP":
      return new DuckDBTimestampTZValue(BigInt(value));
    case "DATE":
      return new DuckDBDateValue(dateToDays(value));
    case "DATETIME":
      return new DuckDBTimestampValue(datetimeTextToMicros(value));
    case "TIME":
      return new DuckDBTimeValue(timeTextToMicros(value));
    default:
      // STRING and the types stored as their canonical text.
      return value;
  }
}

/** A canonical cell of a field (mode included) as a DuckDB value. */
export function toDuckValue(field: Pick<Field, "type" | "fields" | "mode" | "rangeElementType">, value: Value): DuckDBValue {
  if (field.mode === "REPEATED") {
    const element = { ...field, mode: "NULLABLE" as const };
    return new DuckDBListValue(((value as Value[] | null) ?? []).map((v) => toDuckValue(element, v)));
  }
  if (value === null) return null;
  if (field.type === "RECORD") {
    const fields = field.fields ?? [];
    const names = structFieldNames(elementTypeOf(field));
    const cells = value as Value[];
    return new DuckDBStructValue(Object.fromEntries(fields.map((f, i) => [names[i], toDuckValue(f, cells[i] ?? null)])));
  }
  return scalarValue(field, value as string);
}

/** The fastest appender call for the column at `index` holding this field (nested values go through appendValue). */
export function cellAppender(field: Field, index: number): CellAppender {
  const direct = (append: (a: DuckDBAppender, v: string) => void): CellAppender => (a, v) => (v === null ? a.appendNull() : append(a, v as string));
  if (field.mode === "REPEATED" || field.type === "RECORD" || field.type === "RANGE") {
    return (a, v) => {
      const converted = toDuckValue(field, v);
      // Nested values need the column's type: the appender cannot infer a list's element type.
      if (converted === null) a.appendNull();
      else a.appendValue(converted, a.columnType(index));
    };
  }
  switch (field.type) {
    case "INTEGER":
      return direct((a, v) => a.appendBigInt(BigInt(v)));
    case "FLOAT":
      return direct((a, v) => a.appendDouble(Number(v)));
    case "BOOLEAN":
      return direct((a, v) => a.appendBoolean(v === "true"));
    case "TIMESTAMP":
      // A TIMESTAMP value into the TIMESTAMPTZ column: the appender's own conversion keeps the microseconds
      // (whatever the session's zone), and appendTimestamp is a direct call where appendTimestampTZ builds a
      // generic value, half insertAll's cost per TIMESTAMP cell.
      return direct((a, v) => a.appendTimestamp(new DuckDBTimestampValue(BigInt(v))));
    case "DATE":
      return direct((a, v) => a.appendDate(new DuckDBDateValue(dateToDays(v))));
    case "DATETIME":
      return direct((a, v) => a.appendTimestamp(new DuckDBTimestampValue(datetimeTextToMicros(v))));
    case "TIME":
      return direct((a, v) => a.appendTime(new DuckDBTimeValue(timeTextToMicros(v))));
    case "NUMERIC":
      return direct((a, v) => a.appendDecimal(scalarValue(field, v) as DuckDBDecimalValue));
    case "BYTES":
      return direct((a, v) => a.appendBlob(Buffer.from(v, "base64")));
    case "INTERVAL":
      return direct((a, v) => a.appendInterval(scalarValue(field, v) as DuckDBIntervalValue));
    default:
      return direct((a, v) => a.appendVarchar(v));
  }
}
