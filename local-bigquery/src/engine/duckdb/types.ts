/**
 * GoogleSQL types (ZetaSQL TypeProto) <-> DuckDB: each supported type's DuckDB spelling, and
 * canonical cells (model.ts Value) as DuckDB literals. A type outside this table is refused.
 */
import type { Field, Value } from "../../model";
import { typeOf, type TypeProto } from "../types";
import { refuse } from "./unsupported";
import { intervalOf } from "../interval_value";
import { rangeOf } from "../range_value";

/** DuckDB spellings of GoogleSQL scalar types. TIMESTAMP is an instant (TIMESTAMPTZ, session zone UTC). */
const SCALAR: Record<string, string> = {
  TYPE_INT64: "BIGINT",
  TYPE_DOUBLE: "DOUBLE",
  TYPE_BOOL: "BOOLEAN",
  TYPE_STRING: "VARCHAR",
  TYPE_BYTES: "BLOB",
  TYPE_DATE: "DATE",
  TYPE_DATETIME: "TIMESTAMP",
  TYPE_TIMESTAMP: "TIMESTAMPTZ",
  TYPE_TIME: "TIME",
  // NUMERIC is exactly DECIMAL(38, 9): 29 integer and 9 fractional digits.
  TYPE_NUMERIC: "DECIMAL(38, 9)",
  // JSON is its canonical compact text, as BigQuery returns it and the store keeps it.
  TYPE_JSON: "VARCHAR",
  // Its WKT (full precision); the ST_ functions parse it (functions_geography.ts).
  TYPE_GEOGRAPHY: "VARCHAR",
  // Months, days and microseconds, GoogleSQL's parts (its nanoseconds are refused where they occur).
  TYPE_INTERVAL: "INTERVAL",
};

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteString = (text: string): string => {
  // DuckDB's VARCHAR cannot hold NUL; GoogleSQL strings can.
  if (text.includes("\u0000")) refuse("a STRING containing NUL");
  return `'${text.replace(/'/g, "''")}'`;
};

/** Struct field names: GoogleSQL allows anonymous fields, DuckDB needs names. */
export function structFieldNames(type: TypeProto): string[] {
  const names = (type.structType?.field ?? []).map((f, i) => f.fieldName || `_field_${i + 1}`);
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) refuse("a STRUCT with duplicate field names");
  return names;
}

export function duckType(type: TypeProto): string {
  switch (type.typeKind) {
    case "TYPE_ARRAY":
      return `${duckType(type.arrayType?.elementType as TypeProto)}[]`;
    case "TYPE_STRUCT": {
      const names = structFieldNames(type);
      const fields = type.structType?.field ?? [];
      if (fields.length === 0) return refuse("an empty STRUCT");
      return `STRUCT(${fields.map((f, i) => `${quoteIdent(names[i])} ${duckType(f.fieldType)}`).join(", ")})`;
    }
    case "TYPE_RANGE":
      return rangeDuckType(type);
    default:
      return SCALAR[type.typeKind] ?? refuse(`type ${type.typeKind.replace(/^TYPE_/, "")}`);
  }
}

/**
 * RANGE<T> is STRUCT(start T, end T): the bounds stay typed, so DuckDB compares, groups and computes
 * with them natively, and an unbounded bound (a NULL field) stays distinct from a NULL range (a
 * NULL struct). A LIST or text form would need parsing at every use.
 */
function rangeDuckType(type: TypeProto): string {
  const element = duckType(type.rangeType?.elementType as TypeProto);
  return `STRUCT("start" ${element}, "end" ${element})`;
}

/** A canonical cell of `type` as a DuckDB expression of exactly that type. */
export function duckLiteral(value: Value, type: TypeProto): string {
  const target = duckType(type);
  if (value === null) return `CAST(NULL AS ${target})`;
  switch (type.typeKind) {
    case "TYPE_ARRAY": {
      const element = type.arrayType?.elementType as TypeProto;
      return `CAST([${(value as Value[]).map((v) => duckLiteral(v, element)).join(", ")}] AS ${target})`;
    }
    case "TYPE_STRUCT": {
      const names = structFieldNames(type);
      const fields = type.structType?.field ?? [];
      const values = value as Value[];
      return `struct_pack(${fields.map((f, i) => `${quoteIdent(names[i])} := ${duckLiteral(values[i], f.fieldType)}`).join(", ")})`;
    }
    case "TYPE_BOOL":
      return value === "true" ? "TRUE" : "FALSE";
    case "TYPE_BYTES":
      return `from_base64(${quoteString(value as string)})`;
    case "TYPE_TIMESTAMP":
      // Epoch microseconds, exact (the session time zone is UTC).
      return `CAST(make_timestamp(CAST(${quoteString(value as string)} AS BIGINT)) AS TIMESTAMPTZ)`;
    case "TYPE_INTERVAL": {
      const v = intervalOf(value as string);
      if (v.nanos % 1000n !== 0n) refuse("an INTERVAL with nanoseconds");
      // Part by part: DuckDB's interval text reads differently from GoogleSQL's.
      return `(to_months(${v.months}) + to_days(${v.days}) + to_microseconds(CAST('${v.nanos / 1000n}' AS BIGINT)))`;
    }
    case "TYPE_RANGE": {
      const r = rangeOf(value as string);
      const element = type.rangeType?.elementType as TypeProto;
      return `CAST(struct_pack("start" := ${duckLiteral(r.start, element)}, "end" := ${duckLiteral(r.end, element)}) AS ${target})`;
    }
    default:
      return `CAST(${quoteString(value as string)} AS ${target})`;
  }
}

/**
 * Types a BigQuery table can hold that DuckDB has no exact counterpart for: stored as their
 * canonical text (the compiler refuses to compute with them, so such queries run on ZetaSQL).
 */
const TEXT_STORED = new Set(["TYPE_JSON", "TYPE_BIGNUMERIC", "TYPE_GEOGRAPHY"]);

function storageTypeOf(type: TypeProto): string {
  if (TEXT_STORED.has(type.typeKind)) return "VARCHAR";
  if (type.typeKind === "TYPE_ARRAY") return `${storageTypeOf(type.arrayType?.elementType as TypeProto)}[]`;
  if (type.typeKind === "TYPE_STRUCT") {
    const names = structFieldNames(type);
    const fields = type.structType?.field ?? [];
    return `STRUCT(${fields.map((f, i) => `${quoteIdent(names[i])} ${storageTypeOf(f.fieldType)}`).join(", ")})`;
  }
  return duckType(type);
}

/** The DuckDB type of a table column holding this field (mode included: REPEATED is a LIST). */
export const storageType = (field: Pick<Field, "type" | "mode" | "fields" | "rangeElementType">): string => storageTypeOf(typeOf(field));
