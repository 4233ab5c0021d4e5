/**
 * REST queryParameters (jobs.insert, jobs.query) to QueryParameters: GoogleSQL
 * type names and canonical values (TIMESTAMP as epoch micros, STRUCT as an array
 * of field values in structTypes order). Values keep their JSON type on the wire
 * (numbers, booleans, null), and TIMESTAMP text may carry nanosecond digits.
 */
import { z } from "zod";
import { invalid } from "../errors";
import { FIELD_TYPE_ALIASES, type FieldType, type ParameterType, type QueryParameter, type RangeElementType, type Value } from "../model";
import { normalizeRange } from "./range_input";
import { normalizeScalar } from "./scalars";

interface RestParameterType {
  type: string;
  arrayType?: RestParameterType;
  structTypes?: { name?: string; type: RestParameterType }[];
  rangeElementType?: { type: string };
}
interface RestParameterValue {
  value?: unknown;
  rangeValue?: { start?: { value?: unknown }; end?: { value?: unknown } };
  arrayValues?: RestParameterValue[];
  structValues?: Record<string, RestParameterValue>;
}

const restType: z.ZodType<RestParameterType> = z.lazy(() =>
  z.object({
    type: z.string(),
    arrayType: restType.optional(),
    structTypes: z.array(z.object({ name: z.string().optional(), type: restType })).optional(),
    rangeElementType: z.object({ type: z.string() }).optional(),
  }),
);
const restValue: z.ZodType<RestParameterValue> = z.lazy(() =>
  z.object({
    value: z.unknown().optional(),
    arrayValues: z.array(restValue).optional(),
    structValues: z.record(z.string(), restValue).optional(),
    rangeValue: z.object({ start: z.object({ value: z.unknown().optional() }).optional(), end: z.object({ value: z.unknown().optional() }).optional() }).optional(),
  }),
);
const restParameters = z.array(
  z.object({ name: z.string().optional(), parameterType: restType, parameterValue: restValue.nullish() }),
);

const SQL_NAMES: Partial<Record<FieldType, string>> = {
  INTEGER: "INT64",
  FLOAT: "FLOAT64",
  BOOLEAN: "BOOL",
  RECORD: "STRUCT",
};

export function decodeParameters(input: unknown, mode: unknown): QueryParameter[] {
  if (input === undefined || input === null) return [];
  const parsed = restParameters.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`Invalid query parameters at ${issue?.path.join(".") || "queryParameters"}: ${issue?.message ?? "malformed"}`, "queryParameters");
  }
  const named = typeof mode === "string" ? mode.toLowerCase() === "named" : parsed.data.some((p) => p.name !== undefined);
  return parsed.data.map((p, i) => {
    const label = p.name ?? `#${i + 1}`;
    if (named && !p.name) throw invalid(`Query parameter ${label} has no name, but parameterMode is NAMED`, "queryParameters");
    const type = decodeType(p.parameterType, label);
    const value = decodeValue(p.parameterValue ?? undefined, type, label);
    return named ? { name: p.name, type, value } : { type, value };
  });
}

function decodeType(t: RestParameterType, label: string): ParameterType {
  const upper = t.type.toUpperCase();
  if (upper === "ARRAY") {
    if (!t.arrayType) throw invalid(`Query parameter ${label}: ARRAY type needs arrayType`, "queryParameters");
    return { type: "ARRAY", arrayType: decodeType(t.arrayType, label) };
  }
  const field = FIELD_TYPE_ALIASES[upper];
  if (!field) throw invalid(`Query parameter ${label}: unknown type ${t.type}`, "queryParameters");
  if (field === "RANGE") {
    const element = t.rangeElementType?.type.toUpperCase();
    if (element !== "DATE" && element !== "DATETIME" && element !== "TIMESTAMP") throw invalid(`Query parameter ${label}: RANGE type needs rangeElementType DATE, DATETIME or TIMESTAMP`, "queryParameters");
    return { type: "RANGE", rangeElementType: { type: element } };
  }
  if (field === "RECORD") {
    return {
      type: "STRUCT",
      structTypes: (t.structTypes ?? []).map((s) => ({ name: s.name, type: decodeType(s.type, `${label}.${s.name ?? ""}`) })),
    };
  }
  return { type: SQL_NAMES[field] ?? field };
}

function decodeValue(v: RestParameterValue | undefined, type: ParameterType, label: string): Value {
  if (type.type === "ARRAY") {
    if (!v || (v.arrayValues === undefined && (v.value === undefined || v.value === null))) return v?.arrayValues ? [] : null;
    return (v.arrayValues ?? []).map((item, i) => decodeValue(item, type.arrayType as ParameterType, `${label}[${i}]`));
  }
  if (type.type === "STRUCT") {
    if (!v || v.structValues === undefined) return null;
    const values = v.structValues;
    return (type.structTypes ?? []).map((s) => decodeValue(s.name ? values[s.name] : undefined, s.type, `${label}.${s.name ?? ""}`));
  }
  if (type.type === "RANGE") {
    if (!v?.rangeValue) return null;
    const range = normalizeRange(type.rangeElementType?.type as RangeElementType, { start: v.rangeValue.start?.value, end: v.rangeValue.end?.value });
    if (!range.ok) throw invalid(`Invalid value for query parameter ${label} of type RANGE: ${range.message}`, "queryParameters");
    return range.value;
  }
  if (!v || v.value === undefined || v.value === null) return null;
  const field = FIELD_TYPE_ALIASES[type.type] as FieldType;
  const result = normalizeScalar(field, v.value);
  if (!result.ok) throw invalid(`Invalid value for query parameter ${label} of type ${type.type}: ${result.message}`, "queryParameters");
  return result.value;
}
