/**
 * GoogleSQL scalar functions (ZetaSQL's internal names) and their exact DuckDB forms. A function
 * absent here, or called with argument types its entry does not accept, is refused.
 */
import { type Form, INTS, STRINGS, kind, onlyTypes } from "./call";
import { ARRAY_FUNCTIONS, equality } from "./functions_array";
import { DATETIME_FUNCTIONS } from "./functions_datetime";
import { FORMAT_FUNCTIONS } from "./functions_format";
import { PARSE_FUNCTIONS } from "./functions_parse";
import { JSON_FUNCTIONS } from "./functions_json";
import { GEOGRAPHY_FUNCTIONS } from "./functions_geography";
import { intervalComparison, intervalForms } from "./functions_interval";
import { RANGE_FUNCTIONS, rangeComparison } from "./functions_range";
import { BASE32_FUNCTIONS } from "./js_base32";
import { MATH_FUNCTIONS } from "./functions_math";
import { STRING_FUNCTIONS } from "./functions_string";
import { duckType } from "./types";
import { refuse } from "./unsupported";

const SCALAR_ORDERED = new Set(["TYPE_INT64", "TYPE_BOOL", "TYPE_STRING", "TYPE_BYTES", "TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP", "TYPE_TIME", "TYPE_NUMERIC"]);

/** Comparisons: DOUBLE goes through the NaN-aware macros; STRUCT and ARRAY equality field by field. */
function comparison(op: string, macro: string): Form {
  return ({ args, types }) => {
    const structured = types.some((t) => ["TYPE_STRUCT", "TYPE_ARRAY"].includes(kind(t)));
    if (structured && op === "=") return equality(args[0], args[1], types[0]);
    if (structured && op === "<>") return `(NOT ${equality(args[0], args[1], types[0])})`;
    if (types.every((t) => kind(t) === "TYPE_DOUBLE")) return `${macro}(${args[0]}, ${args[1]})`;
    const special = rangeComparison(op, args[0], args[1], types) ?? intervalComparison(op, args[0], args[1], types);
    if (special) return special;
    if (types.every((t) => SCALAR_ORDERED.has(kind(t))) && kind(types[0]) === kind(types[1])) return `(${args[0]} ${op} ${args[1]})`;
    return refuse(`comparison of ${types.map(kind).join(" and ")}`);
  };
}

function arithmetic(op: string): Form {
  return ({ args, types, result }) => {
    const k = kind(result);
    // BIGINT and DECIMAL(38, 9) raise on overflow as GoogleSQL does; DOUBLE needs the finiteness check.
    if (k === "TYPE_INT64" && types.every((t) => kind(t) === "TYPE_INT64")) return `(${args[0]} ${op} ${args[1]})`;
    // DECIMAL(38, 9) holds exactly NUMERIC's range; + and - raise beyond it. (Its * changes the scale.)
    if (k === "TYPE_NUMERIC" && op !== "*" && types.every((t) => kind(t) === "TYPE_NUMERIC")) return `(${args[0]} ${op} ${args[1]})`;
    if (k === "TYPE_NUMERIC" && types.every((t) => kind(t) === "TYPE_NUMERIC")) return `gsql_numeric_multiply(${args[0]}, ${args[1]})`;
    if (k === "TYPE_DOUBLE" && types.every((t) => kind(t) === "TYPE_DOUBLE")) {
      return `gsql_finite(${args[0]} ${op} ${args[1]}, ${args[0]}, ${args[1]})`;
    }
    return refuse(`arithmetic on ${types.map(kind).join(" and ")}`);
  };
}

const n_ary =
  (op: string): Form =>
  ({ args }) =>
    `(${args.join(` ${op} `)})`;

const GENERAL: Record<string, Form> = {
  ...STRING_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...FORMAT_FUNCTIONS,
  ...PARSE_FUNCTIONS,
  ...GEOGRAPHY_FUNCTIONS,
  $add: arithmetic("+"),
  $subtract: arithmetic("-"),
  $multiply: arithmetic("*"),
  $divide: onlyTypes(["TYPE_DOUBLE"], ({ args }) => `gsql_divide(${args[0]}, ${args[1]})`),
  safe_divide: onlyTypes(["TYPE_DOUBLE"], ({ args }) => `gsql_safe_divide(${args[0]}, ${args[1]})`),
  div: onlyTypes(INTS, ({ args }) => `gsql_div(${args[0]}, ${args[1]})`),
  mod: onlyTypes(INTS, ({ args }) => `gsql_mod(${args[0]}, ${args[1]})`),
  $unary_minus: onlyTypes(["TYPE_INT64", "TYPE_DOUBLE", "TYPE_NUMERIC"], ({ args }) => `(- ${args[0]})`),
  $equal: comparison("=", "gsql_eq"),
  $not_equal: comparison("<>", "gsql_ne"),
  $less: comparison("<", "gsql_lt"),
  $less_or_equal: comparison("<=", "gsql_le"),
  $greater: comparison(">", "gsql_gt"),
  $greater_or_equal: comparison(">=", "gsql_ge"),
  $and: n_ary("AND"),
  $or: n_ary("OR"),
  $not: ({ args }) => `(NOT ${args[0]})`,
  $is_null: ({ args }) => `(${args[0]} IS NULL)`,
  $is_true: ({ args }) => `(${args[0]} IS TRUE)`,
  $is_false: ({ args }) => `(${args[0]} IS FALSE)`,
  $in: (call) => {
    if (!call.types.every((t) => SCALAR_ORDERED.has(kind(t)))) return refuse(`IN over ${kind(call.types[0])}`);
    return `(${call.args[0]} IN (${call.args.slice(1).join(", ")}))`;
  },
  $between: (call) => {
    if (!call.types.every((t) => SCALAR_ORDERED.has(kind(t)))) return refuse(`BETWEEN over ${kind(call.types[0])}`);
    return `(${call.args[0]} BETWEEN ${call.args[1]} AND ${call.args[2]})`;
  },
  if: ({ args }) => `(CASE WHEN ${args[0]} THEN ${args[1]} ELSE ${args[2]} END)`,
  coalesce: ({ args }) => `coalesce(${args.join(", ")})`,
  ifnull: ({ args }) => `coalesce(${args.join(", ")})`,
  nullif: (call) => {
    if (!SCALAR_ORDERED.has(kind(call.types[0]))) return refuse(`NULLIF over ${kind(call.types[0])}`);
    return `nullif(${call.args[0]}, ${call.args[1]})`;
  },
  $case_no_value: ({ args }) => {
    const whens: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) whens.push(`WHEN ${args[i]} THEN ${args[i + 1]}`);
    return `(CASE ${whens.join(" ")}${args.length % 2 === 1 ? ` ELSE ${args[args.length - 1]}` : ""} END)`;
  },
  $case_with_value: (call) => {
    if (!SCALAR_ORDERED.has(kind(call.types[0]))) return refuse(`CASE over ${kind(call.types[0])}`);
    const [subject, ...rest] = call.args;
    const whens: string[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) whens.push(`WHEN ${rest[i]} THEN ${rest[i + 1]}`);
    return `(CASE ${subject} ${whens.join(" ")}${rest.length % 2 === 1 ? ` ELSE ${rest[rest.length - 1]}` : ""} END)`;
  },
  // NULL elements stay (ZetaSQL allows them; BigQuery rejects them only on output).
  $make_array: ({ args, result }) => `CAST([${args.join(", ")}] AS ${duckType(result)})`,
  // CONCAT is NULL when any argument is; DuckDB's concat() skips NULLs, its || does not.
  concat: onlyTypes(["TYPE_STRING", "TYPE_BYTES"], ({ args }) => `(${args.join(" || ")})`),
  // GoogleSQL's LIKE escapes with a backslash; DuckDB's has no escape unless given one.
  $like: onlyTypes(STRINGS, ({ args }) => `(${args[0]} LIKE ${args[1]} ESCAPE '\\')`),
  // Unicode's full case mapping (js_functions.ts) unless the text is ASCII (as many bytes as characters).
  lower: onlyTypes(STRINGS, ({ args }) => `(CASE WHEN strlen(${args[0]}) = length(${args[0]}) THEN lower(${args[0]}) ELSE gsql_lower_full(${args[0]}) END)`),
  upper: onlyTypes(STRINGS, ({ args }) => `(CASE WHEN strlen(${args[0]}) = length(${args[0]}) THEN upper(${args[0]}) ELSE gsql_upper_full(${args[0]}) END)`),
  length: onlyTypes([...STRINGS, "TYPE_BYTES"], ({ args, types }) => `CAST(${kind(types[0]) === "TYPE_BYTES" ? "octet_length" : "length"}(${args[0]}) AS BIGINT)`),
  byte_length: onlyTypes([...STRINGS, "TYPE_BYTES"], ({ args, types }) => `CAST(octet_length(${kind(types[0]) === "TYPE_BYTES" ? args[0] : `encode(${args[0]})`}) AS BIGINT)`),
  starts_with: onlyTypes(STRINGS, ({ args }) => `starts_with(${args[0]}, ${args[1]})`),
  ends_with: onlyTypes(STRINGS, ({ args }) => `ends_with(${args[0]}, ${args[1]})`),
  strpos: onlyTypes(STRINGS, ({ args }) => `CAST(strpos(${args[0]}, ${args[1]}) AS BIGINT)`),
  replace: onlyTypes(STRINGS, ({ args }) => `replace(${args[0]}, ${args[1]}, ${args[2]})`),
  substr: (call) => {
    if (kind(call.types[0]) !== "TYPE_STRING") return refuse("SUBSTR of BYTES");
    const [s, p, n] = call.args;
    return `gsql_substr(${s}, ${p}, ${n ?? "9223372036854775807"})`;
  },
};

export const FUNCTIONS: Record<string, Form> = { ...GENERAL, ...RANGE_FUNCTIONS, ...BASE32_FUNCTIONS, ...intervalForms(GENERAL) };
