/**
 * RANGE<DATE|DATETIME|TIMESTAMP> functions over DuckDB's STRUCT(start, end) (types.ts), where a
 * NULL field is an unbounded bound: UNBOUNDED start sorts below every value, UNBOUNDED end above.
 * RANGE_CONTAINS and RANGE_INTERSECT are not in the reference evaluator: their tests are written
 * from BigQuery's documentation. GENERATE_RANGE_ARRAY is left to the reference evaluator.
 */
import type { TypeProto } from "../types";
import { type Form, kind } from "./call";
import { duckType } from "./types";
import { refuse } from "./unsupported";

const S = (r: string): string => `struct_extract(${r}, 'start')`;
const E = (r: string): string => `struct_extract(${r}, 'end')`;

export const RANGE_MACROS: string[] = [
  // ZetaSQL's words; NULL bounds are unbounded, so only two bounded ones are checked.
  `CREATE MACRO gsql_range(a, b) AS CASE WHEN a >= b THEN error('Range start element must be smaller than range end element')
     ELSE {'start': a, 'end': b} END`,
  // a <= x < b with unbounded ends open; gsql_nulls evaluates both arguments first (GoogleSQL does).
  `CREATE MACRO gsql_range_contains(r, x) AS CASE WHEN gsql_nulls(r, x) > 0 THEN NULL
     ELSE coalesce(${S("r")} <= x, TRUE) AND coalesce(x < ${E("r")}, TRUE) END`,
  `CREATE MACRO gsql_range_contains_range(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL
     ELSE (${S("a")} IS NULL OR (${S("b")} IS NOT NULL AND ${S("a")} <= ${S("b")}))
       AND (${E("a")} IS NULL OR (${E("b")} IS NOT NULL AND ${E("b")} <= ${E("a")})) END`,
  `CREATE MACRO gsql_range_overlaps(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL
     ELSE coalesce(${S("a")} < ${E("b")}, TRUE) AND coalesce(${S("b")} < ${E("a")}, TRUE) END`,
  // The later start and the earlier end; DuckDB's greatest/least skip NULLs, which is right for
  // unbounded bounds (an unbounded start is the lowest, an unbounded end the highest).
  `CREATE MACRO gsql_range_intersect(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL
     WHEN NOT gsql_range_overlaps(a, b) THEN error('Provided RANGE inputs do not overlap. Please check RANGE_OVERLAPS before calling RANGE_INTERSECT')
     ELSE {'start': greatest(${S("a")}, ${S("b")}), 'end': least(${E("a")}, ${E("b")})} END`,
  `CREATE MACRO gsql_range_eq(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL
     ELSE ${S("a")} IS NOT DISTINCT FROM ${S("b")} AND ${E("a")} IS NOT DISTINCT FROM ${E("b")} END`,
  // Order: by start (UNBOUNDED lowest), then by end (UNBOUNDED highest).
  `CREATE MACRO gsql_range_lt(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL
     WHEN ${S("a")} IS DISTINCT FROM ${S("b")} THEN ${S("a")} IS NULL OR (${S("b")} IS NOT NULL AND ${S("a")} < ${S("b")})
     ELSE ${E("a")} IS DISTINCT FROM ${E("b")} AND ${E("b")} IS NULL OR (${E("a")} IS NOT NULL AND ${E("a")} < ${E("b")}) END`,
];

const ELEMENTS = new Set(["TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP"]);
const isRange = (t: TypeProto | undefined): boolean => kind(t) === "TYPE_RANGE";

const rangeArgs =
  (form: Form): Form =>
  (call) =>
    isRange(call.types[0]) && ELEMENTS.has(kind(call.types[0].rangeType?.elementType)) ? form(call) : refuse(`argument types ${call.types.map(kind).join(", ")}`);

export const RANGE_FUNCTIONS: Record<string, Form> = {
  range: ({ args, types, result }) => {
    if (!ELEMENTS.has(kind(types[0])) || kind(types[0]) !== kind(types[1])) return refuse("RANGE of these types");
    return `CAST(gsql_range(${args[0]}, ${args[1]}) AS ${duckType(result)})`;
  },
  range_start: rangeArgs(({ args }) => S(args[0])),
  range_end: rangeArgs(({ args }) => E(args[0])),
  range_is_start_unbounded: rangeArgs(({ args }) => `(CASE WHEN ${args[0]} IS NULL THEN NULL ELSE ${S(args[0])} IS NULL END)`),
  range_is_end_unbounded: rangeArgs(({ args }) => `(CASE WHEN ${args[0]} IS NULL THEN NULL ELSE ${E(args[0])} IS NULL END)`),
  range_contains: rangeArgs(({ args, types }) =>
    isRange(types[1]) ? `gsql_range_contains_range(${args[0]}, ${args[1]})` : `gsql_range_contains(${args[0]}, ${args[1]})`,
  ),
  range_overlaps: rangeArgs(({ args }) => `gsql_range_overlaps(${args[0]}, ${args[1]})`),
  range_intersect: rangeArgs(({ args, result }) => `CAST(gsql_range_intersect(${args[0]}, ${args[1]}) AS ${duckType(result)})`),
};

/** =, <>, <, <=, >, >= of two RANGEs, or undefined when the operands are not RANGEs. */
export function rangeComparison(op: string, a: string, b: string, types: TypeProto[]): string | undefined {
  if (!types.every(isRange)) return undefined;
  switch (op) {
    case "=":
      return `gsql_range_eq(${a}, ${b})`;
    case "<>":
      return `(NOT gsql_range_eq(${a}, ${b}))`;
    case "<":
      return `gsql_range_lt(${a}, ${b})`;
    case ">":
      return `gsql_range_lt(${b}, ${a})`;
    case "<=":
      return `(NOT gsql_range_lt(${b}, ${a}))`;
    case ">=":
      return `(NOT gsql_range_lt(${a}, ${b}))`;
    default:
      return undefined;
  }
}

/** ORDER BY keys of a RANGE: NULL per the NULL order, then start (UNBOUNDED lowest), then end (UNBOUNDED highest). */
export function rangeOrderKeys(key: string, desc: boolean, nullsFirst: boolean): string[] {
  const dir = desc ? "DESC" : "ASC";
  return [
    `(${key} IS NULL) ${nullsFirst ? "DESC" : "ASC"}`,
    `${S(key)} ${dir} NULLS ${desc ? "LAST" : "FIRST"}`,
    `${E(key)} ${dir} NULLS ${desc ? "FIRST" : "LAST"}`,
  ];
}
