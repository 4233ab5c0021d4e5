/**
 * GoogleSQL values <-> JavaScript values for JavaScript UDFs, as BigQuery maps them: canonical
 * cells (model.ts Value) in, canonical cells out. BigQuery's documented encodings:
 * FLOAT64 a Number; NUMERIC/BIGNUMERIC a Number when an integer within [-2^53, 2^53], else its
 * decimal string; BOOL a Boolean; STRING a String; BYTES its base64 String; DATE a Date (UTC
 * midnight); TIMESTAMP a Date with a `microsecond` field (the microseconds below the Date's
 * millisecond); JSON the parsed value; ARRAY an Array; STRUCT an Object of its fields; NULL null.
 * INT64 arguments arrive as decimal Strings, as BigQuery passes them (its documentation calls INT64
 * arguments unsupported; recorded queries show `x + 1` of 41 giving 411). DATETIME, undocumented,
 * is a Date of its civil time read as UTC, with the same `microsecond` field.
 * Results: INT64 from a Number (rounded as CAST rounds) or a decimal String; the others from the
 * values above, undefined and null being NULL.
 */
import type { Value } from "../../model";
import { dateToDays, daysToDate, datetimeTextToMicros, microsToDatetime, timestampTextToMicros } from "../civil_time";
import { BIGNUMERIC_SCALE, NUMERIC_SCALE, decimalText, unscaledDecimal } from "../decimal_codec";
import type { TypeProto } from "../types";
import { canonicalJson } from "../../encoding/canonical_json";
import { doubleText } from "../values";

/** The types a JavaScript UDF can take and return (TIME, GEOGRAPHY, INTERVAL and RANGE have no documented encoding). */
const SCALARS = new Set([
  "TYPE_INT64",
  "TYPE_DOUBLE",
  "TYPE_NUMERIC",
  "TYPE_BIGNUMERIC",
  "TYPE_BOOL",
  "TYPE_STRING",
  "TYPE_BYTES",
  "TYPE_DATE",
  "TYPE_DATETIME",
  "TYPE_TIMESTAMP",
  "TYPE_JSON",
]);

/** The first part of `type` without a JavaScript encoding (its SQL name), or undefined when it has one. */
export function unsupportedJsType(type: TypeProto): string | undefined {
  if (type.typeKind === "TYPE_ARRAY") return unsupportedJsType(type.arrayType?.elementType as TypeProto);
  if (type.typeKind === "TYPE_STRUCT") {
    for (const f of type.structType?.field ?? []) {
      const inner = unsupportedJsType(f.fieldType);
      if (inner) return inner;
    }
    return undefined;
  }
  return SCALARS.has(type.typeKind) ? undefined : type.typeKind.replace(/^TYPE_/, "");
}

const fieldNames = (type: TypeProto): string[] => (type.structType?.field ?? []).map((f, i) => f.fieldName || `_field_${i + 1}`);

const TWO_53 = 2n ** 53n;
const MICROS_PER_MS = 1000n;

/** A JavaScript Date of epoch microseconds, with the microseconds below its millisecond as `microsecond`. */
function dateOfMicros(micros: bigint): Date {
  let ms = micros / MICROS_PER_MS;
  let rest = micros % MICROS_PER_MS;
  if (rest < 0n) {
    ms -= 1n;
    rest += MICROS_PER_MS;
  }
  return Object.assign(new Date(Number(ms)), { microsecond: Number(rest) });
}

/** A canonical cell of `type` as the JavaScript value BigQuery passes. */
export function toJs(cell: Value, type: TypeProto): unknown {
  if (cell === null) return null;
  switch (type.typeKind) {
    case "TYPE_ARRAY":
      return (cell as Value[]).map((v) => toJs(v, type.arrayType?.elementType as TypeProto));
    case "TYPE_STRUCT": {
      const fields = type.structType?.field ?? [];
      const names = fieldNames(type);
      return Object.fromEntries(fields.map((f, i) => [names[i], toJs((cell as Value[])[i] ?? null, f.fieldType)]));
    }
    case "TYPE_DOUBLE":
      return Number(cell);
    case "TYPE_NUMERIC":
    case "TYPE_BIGNUMERIC": {
      const text = cell as string;
      const integral = /^-?\d+$/.test(text);
      return integral && BigInt(text) <= TWO_53 && BigInt(text) >= -TWO_53 ? Number(text) : text;
    }
    case "TYPE_BOOL":
      return cell === "true";
    case "TYPE_DATE":
      return new Date(dateToDays(cell as string) * 86_400_000);
    case "TYPE_DATETIME":
      return dateOfMicros(datetimeTextToMicros(cell as string));
    case "TYPE_TIMESTAMP":
      return dateOfMicros(BigInt(cell as string));
    case "TYPE_JSON":
      return JSON.parse(cell as string) as unknown;
    default:
      // INT64 (decimal text), STRING, BYTES (base64): the canonical text is the JavaScript value.
      return cell;
  }
}

/** A JavaScript value that cannot be the UDF's result. */
export class JsResultError extends Error {}

const describe = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return "an Array";
  if (value instanceof Date) return "a Date";
  if (typeof value === "object") return "an Object";
  return String(value);
};

function refuse(value: unknown, type: TypeProto): never {
  throw new JsResultError(`cannot convert ${describe(value)} to ${type.typeKind.replace(/^TYPE_/, "").replace(/^DOUBLE$/, "FLOAT64")}`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function int64(value: unknown, type: TypeProto): string {
  let n: bigint;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) refuse(value, type);
    // Halfway cases away from zero, as CAST(FLOAT64 AS INT64) rounds.
    n = BigInt(Math.sign(value) * Math.round(Math.abs(value)));
  } else if (typeof value === "bigint") {
    n = value;
  } else if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) {
    n = BigInt(value.trim());
  } else {
    return refuse(value, type);
  }
  if (n < INT64_MIN || n > INT64_MAX) refuse(value, type);
  return n.toString();
}

function float64(value: unknown, type: TypeProto): string {
  if (typeof value === "number") return doubleText(value);
  if (typeof value === "bigint") return doubleText(Number(value));
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return doubleText(Number(value));
  return refuse(value, type);
}

const NUMERIC_LIMIT = 10n ** 38n;
const BIGNUMERIC_MAX = 2n ** 255n - 1n;

function decimal(value: unknown, type: TypeProto): string {
  const numeric = type.typeKind === "TYPE_NUMERIC";
  const scale = numeric ? NUMERIC_SCALE : BIGNUMERIC_SCALE;
  if (typeof value === "number" && !Number.isFinite(value)) refuse(value, type);
  if (typeof value !== "number" && typeof value !== "string" && typeof value !== "bigint") refuse(value, type);
  let unscaled: bigint;
  try {
    unscaled = unscaledDecimal(String(value), scale);
  } catch {
    return refuse(value, type);
  }
  const inRange = numeric ? unscaled < NUMERIC_LIMIT && unscaled > -NUMERIC_LIMIT : unscaled <= BIGNUMERIC_MAX && unscaled >= -BIGNUMERIC_MAX - 1n;
  if (!inRange) refuse(value, type);
  return decimalText(unscaled, scale);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Epoch microseconds of a Date result, its `microsecond` field included. */
function microsOfDate(value: Date, type: TypeProto): bigint {
  const ms = value.getTime();
  if (Number.isNaN(ms)) refuse(value, type);
  const extra = (value as Date & { microsecond?: unknown }).microsecond;
  const micros = typeof extra === "number" && Number.isInteger(extra) && extra >= 0 && extra < 1000 ? BigInt(extra) : 0n;
  return BigInt(ms) * MICROS_PER_MS + micros;
}

/** Years 1 to 9999, GoogleSQL's range for dates and times. */
const MIN_MICROS = -62_135_596_800_000_000n;
const MAX_MICROS = 253_402_300_799_999_999n;

function inDateRange(micros: bigint, value: unknown, type: TypeProto): bigint {
  if (micros < MIN_MICROS || micros > MAX_MICROS) refuse(value, type);
  return micros;
}

function temporal(value: unknown, type: TypeProto): string {
  const text = typeof value === "string" ? value : undefined;
  try {
    switch (type.typeKind) {
      case "TYPE_DATE": {
        if (value instanceof Date) {
          inDateRange(microsOfDate(value, type), value, type);
          return daysToDate(Math.floor(value.getTime() / 86_400_000));
        }
        if (text !== undefined) return daysToDate(dateToDays(text));
        break;
      }
      case "TYPE_DATETIME": {
        if (value instanceof Date) return microsToDatetime(inDateRange(microsOfDate(value, type), value, type));
        if (text !== undefined) return microsToDatetime(datetimeTextToMicros(text));
        break;
      }
      default: {
        if (value instanceof Date) return inDateRange(microsOfDate(value, type), value, type).toString();
        if (text !== undefined) return inDateRange(BigInt(timestampTextToMicros(text)), value, type).toString();
        // A Number is epoch milliseconds, as for new Date(n).
        if (typeof value === "number" && Number.isFinite(value)) return inDateRange(BigInt(Math.round(value * 1000)), value, type).toString();
      }
    }
  } catch (error) {
    if (error instanceof JsResultError) throw error;
  }
  return refuse(value, type);
}

/** A JavaScript result as a canonical cell of `type`; throws JsResultError when it cannot be one. */
export function fromJs(value: unknown, type: TypeProto): Value {
  if (value === null || value === undefined) return null;
  switch (type.typeKind) {
    case "TYPE_ARRAY": {
      if (!Array.isArray(value)) return refuse(value, type);
      const element = type.arrayType?.elementType as TypeProto;
      return value.map((v: unknown) => fromJs(v, element));
    }
    case "TYPE_STRUCT": {
      if (typeof value !== "object" || Array.isArray(value) || value instanceof Date) return refuse(value, type);
      const record = value as Record<string, unknown>;
      const names = fieldNames(type);
      return (type.structType?.field ?? []).map((f, i) => fromJs(record[names[i]], f.fieldType));
    }
    case "TYPE_INT64":
      return int64(value, type);
    case "TYPE_DOUBLE":
      return float64(value, type);
    case "TYPE_NUMERIC":
    case "TYPE_BIGNUMERIC":
      return decimal(value, type);
    case "TYPE_BOOL":
      return typeof value === "boolean" ? String(value) : refuse(value, type);
    case "TYPE_STRING":
      if (typeof value === "string") return value;
      return typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ? String(value) : refuse(value, type);
    case "TYPE_BYTES":
      if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
      return typeof value === "string" && BASE64.test(value) ? value : refuse(value, type);
    case "TYPE_JSON": {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        return refuse(value, type); // a BigInt, or a cycle
      }
      return text === undefined ? null : canonicalJson(JSON.parse(text));
    }
    case "TYPE_DATE":
    case "TYPE_DATETIME":
    case "TYPE_TIMESTAMP":
      return temporal(value, type);
    default:
      return refuse(value, type);
  }
}
