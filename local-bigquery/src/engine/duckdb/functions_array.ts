/**
 * ARRAY functions, subscripts, IN UNNEST, and equality of ARRAY and STRUCT values. DuckDB's lists
 * index from 1 and read a[0] as NULL and a[-1] as the last element; GoogleSQL raises out of range.
 */
import type { TypeProto } from "../types";
import { type Call, type Form, kind, stringLiteral } from "./call";
import { refuse } from "./unsupported";

/** ZetaSQL's reference caps GENERATE_ARRAY and GENERATE_DATE_ARRAY at 16000 elements. */
const MAX_GENERATED = 16000;

export const ARRAY_MACROS: string[] = [
  `CREATE MACRO gsql_at_offset(a, i) AS CASE WHEN gsql_nulls(a, i) > 0 THEN NULL
     WHEN i < 0 OR i >= len(a) THEN error('Array index ' || i || ' is out of bounds') ELSE a[i + 1] END`,
  `CREATE MACRO gsql_at_ordinal(a, i) AS CASE WHEN gsql_nulls(a, i) > 0 THEN NULL
     WHEN i < 1 OR i > len(a) THEN error('Array index ' || i || ' is out of bounds') ELSE a[i] END`,
  // Element k is a + k * s; ZetaSQL stops where k * s leaves INT64, even if a + k * s would not
  // (generate_array.h). The count in HUGEINT: 0 when the step points away.
  `CREATE MACRO gsql_series_length(a, b, s) AS CASE WHEN (s > 0 AND a > b) OR (s < 0 AND a < b) THEN 0
     ELSE least((CAST(b AS HUGEINT) - a) // s, CASE WHEN s > 0 THEN CAST(9223372036854775807 AS HUGEINT) // s
       ELSE CAST(9223372036854775808 AS HUGEINT) // -CAST(s AS HUGEINT) END) + 1 END`,
  `CREATE MACRO gsql_generate_array(a, b, s) AS CASE WHEN gsql_nulls3(a, b, s) > 0 THEN NULL
     WHEN s = 0 THEN error('Sequence step cannot be 0.')
     WHEN gsql_series_length(a, b, s) > ${MAX_GENERATED} THEN error('Cannot generate arrays with more than ${MAX_GENERATED} elements.')
     ELSE generate_series(a, CAST(a + (gsql_series_length(a, b, s) - 1) * s AS BIGINT), s) END`,
  `CREATE MACRO gsql_cap_dates(l) AS CASE WHEN len(l) > ${MAX_GENERATED} THEN error('Cannot generate arrays with more than ${MAX_GENERATED} elements.') ELSE l END`,
  `CREATE MACRO gsql_array_to_string(a, sep) AS CASE WHEN gsql_nulls(a, sep) > 0 THEN NULL ELSE array_to_string(a, sep) END`,
  `CREATE MACRO gsql_array_to_string_nulls(a, sep, n) AS CASE WHEN gsql_nulls3(a, sep, n) > 0 THEN NULL
     ELSE array_to_string(list_transform(a, lambda e: coalesce(e, n)), sep) END`,
  // Equality of lists by GoogleSQL's three-valued rule: FALSE if lengths differ or any pair is
  // unequal, else NULL if any pair compares NULL, else TRUE. (eqs: the pairs' comparisons.)
  `CREATE MACRO gsql_all_equal(eqs) AS CASE WHEN list_contains(eqs, FALSE) THEN FALSE
     WHEN list_count(eqs) < len(eqs) THEN NULL ELSE TRUE END`,
];

const ORDERED = new Set(["TYPE_INT64", "TYPE_BOOL", "TYPE_STRING", "TYPE_BYTES", "TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP", "TYPE_TIME", "TYPE_NUMERIC"]);

/**
 * a = b for GoogleSQL values of type t, three-valued: scalars directly (FLOAT64 NaN-aware),
 * STRUCTs field by field (AND), ARRAYs element by element (gsql_all_equal).
 */
export function equality(a: string, b: string, t: TypeProto): string {
  const k = kind(t);
  if (ORDERED.has(k)) return `(${a} = ${b})`;
  if (k === "TYPE_DOUBLE") return `gsql_eq(${a}, ${b})`;
  if (k === "TYPE_STRUCT") {
    const fields = t.structType?.field ?? [];
    // Field names may differ between the sides: equality is by position.
    const parts = fields.map((f, i) => equality(`struct_extract_at(${a}, ${i + 1})`, `struct_extract_at(${b}, ${i + 1})`, f.fieldType));
    if (parts.length === 0) return refuse("comparison of empty STRUCTs");
    return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL ELSE (${parts.join(" AND ")}) END)`;
  }
  if (k === "TYPE_ARRAY") {
    const element = t.arrayType?.elementType as TypeProto;
    const pair = equality("p[1]", "p[2]", element);
    return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN len(${a}) <> len(${b}) THEN FALSE
      ELSE gsql_all_equal(list_transform(list_zip(${a}, ${b}), lambda p: ${pair})) END)`;
  }
  return refuse(`comparison of ${k}`);
}

function generateDateArray(call: Call): string {
  const [a, b] = call.args;
  const n = call.args[2] ?? "1";
  const part = call.args.length > 2 ? call.enums[3] : 3;
  const units: Record<number, string> = { 3: `to_days(gsql_int32(${n}))`, 14: `to_days(gsql_int32(${n} * 7))`, 2: `to_months(gsql_int32(${n}))`, 6: `to_months(gsql_int32(${n} * 3))`, 1: `to_months(gsql_int32(${n} * 12))` };
  const step = units[part ?? -1] ?? refuse(`GENERATE_DATE_ARRAY by part ${part}`);
  // Each element is the previous plus the step (months clamp, cumulatively), as DuckDB's series.
  const nulls = call.args.length > 2 ? `gsql_nulls3(${a}, ${b}, ${n})` : `gsql_nulls(${a}, ${b})`;
  return `(CASE WHEN ${nulls} > 0 THEN NULL WHEN ${n} = 0 THEN error('Sequence step cannot be 0.')
    ELSE gsql_cap_dates(list_transform(generate_series(CAST(${a} AS TIMESTAMP), CAST(${b} AS TIMESTAMP), ${step}), lambda e: CAST(e AS DATE))) END)`;
}

export const ARRAY_FUNCTIONS: Record<string, Form> = {
  array_length: ({ args }) => `CAST(len(${args[0]}) AS BIGINT)`,
  array_reverse: ({ args }) => `list_reverse(${args[0]})`,
  // NULL when any array is (DuckDB's list_concat skips NULL lists).
  array_concat: ({ args }) => `(CASE WHEN (${args.map((a) => `CAST(${a} IS NULL AS INTEGER)`).join(" + ")}) > 0 THEN NULL ELSE list_concat(${args.join(", ")}) END)`,
  array_to_string: (call) => {
    if (kind(call.types[1]) !== "TYPE_STRING") return refuse("ARRAY_TO_STRING of BYTES");
    // DuckDB joins with a constant separator only.
    if (call.nodes.slice(1).some((n) => stringLiteral(n) === undefined)) return refuse("ARRAY_TO_STRING with a separator or NULL text that is not a literal");
    const [a, sep, n] = call.args;
    return n === undefined ? `gsql_array_to_string(${a}, ${sep})` : `gsql_array_to_string_nulls(${a}, ${sep}, ${n})`;
  },
  generate_array: (call) => {
    if (!call.types.every((t) => kind(t) === "TYPE_INT64")) return refuse("GENERATE_ARRAY of non-INT64");
    return `gsql_generate_array(${call.args[0]}, ${call.args[1]}, ${call.args[2] ?? "CAST(1 AS BIGINT)"})`;
  },
  generate_date_array: generateDateArray,
  $array_at_offset: ({ args }) => `gsql_at_offset(${args[0]}, ${args[1]})`,
  $array_at_ordinal: ({ args }) => `gsql_at_ordinal(${args[0]}, ${args[1]})`,
  $safe_array_at_offset: ({ args }) => `safe_gsql_at_offset(${args[0]}, ${args[1]})`,
  $safe_array_at_ordinal: ({ args }) => `safe_gsql_at_ordinal(${args[0]}, ${args[1]})`,
  // x IN UNNEST(a): the IN list rules (GoogleSQL's equality: NaN matches nothing).
  $in_array: ({ args, types }) => {
    const k = kind(types[0]);
    if (k === "TYPE_DOUBLE") return `gsql_in_doubles(${args[0]}, ${args[1]})`;
    if (ORDERED.has(k)) return `gsql_in_list(${args[0]}, ${args[1]})`;
    return refuse(`IN UNNEST over ${k}`);
  },
};
