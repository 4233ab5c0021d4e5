/**
 * Math functions. ZetaSQL (functions/math.h CheckFloatingPointError) raises where an IEEE result
 * is NaN or infinite though every input is finite (POW(-1, 0.5), EXP(1000), LN(0)); DuckDB returns
 * them or raises more widely (ln of a negative), so the forms compute IEEE results and
 * gsql_checked raises exactly there.
 */
import { type Call, type Form, kind, intLiteral, onlyTypes } from "./call";
import { refuse } from "./unsupported";

export const MATH_MACROS: string[] = [
  // r = f(x, y): an error where r is NaN or infinite though x and y are finite.
  `CREATE MACRO gsql_checked(r, x, y, name) AS CASE WHEN NOT isfinite(r) AND isfinite(x) AND isfinite(y)
     THEN error('Floating point error in function: ' || name) ELSE r END`,
  // IEEE logarithms (DuckDB raises for x <= 0): -inf at 0, NaN below; gsql_checked then raises for
  // finite inputs only, so LN(-inf) is NaN as in ZetaSQL.
  `CREATE MACRO gsql_ieee_ln(x) AS CASE WHEN x > 0 THEN ln(x) WHEN x = 0 THEN CAST('-Infinity' AS DOUBLE)
     WHEN x < 0 THEN CAST('NaN' AS DOUBLE) ELSE x END`,
  `CREATE MACRO gsql_ln(x) AS gsql_checked(gsql_ieee_ln(x), x, 0, 'LN')`,
  `CREATE MACRO gsql_log10(x) AS gsql_checked(CASE WHEN x > 0 THEN log10(x) WHEN x = 0 THEN CAST('-Infinity' AS DOUBLE)
     WHEN x < 0 THEN CAST('NaN' AS DOUBLE) ELSE x END, x, 0, 'LOG10')`,
  `CREATE MACRO gsql_sqrt(x) AS CASE WHEN x < 0 THEN error('Argument to SQRT cannot be negative') ELSE sqrt(x) END`,
  // IEEE division: x / 0 is an infinity signed by x and the zero's sign, NaN for 0 / 0 and NaN.
  `CREATE MACRO gsql_ieee_divide(x, y) AS CASE WHEN gsql_nulls(x, y) > 0 THEN NULL WHEN y = 0 THEN
     (CASE WHEN isnan(x) OR x = 0 THEN CAST('NaN' AS DOUBLE) WHEN (x > 0) <> signbit(y) THEN CAST('Infinity' AS DOUBLE)
      ELSE CAST('-Infinity' AS DOUBLE) END) ELSE x / y END`,
  // LOG(x, b) is NaN for a base that is not finite and positive, else ln(x) / ln(b) (IEEE).
  `CREATE MACRO gsql_log(x, b) AS CASE WHEN gsql_nulls(x, b) > 0 THEN NULL ELSE gsql_checked(CASE WHEN isfinite(b) AND b > 0
     THEN gsql_ieee_divide(gsql_ieee_ln(x), gsql_ieee_ln(b)) ELSE CAST('NaN' AS DOUBLE) END, x, b, 'LOG') END`,
  // SAFE_ADD of NUMERIC: a + b leaves the range iff a > MAX - b (b >= 0) or a < -MAX - b (b < 0),
  // both sides exact in DECIMAL(38, 9).
  `CREATE MACRO gsql_safe_numeric_add(a, b) AS CASE
     WHEN b >= 0 AND a > CAST('99999999999999999999999999999.999999999' AS DECIMAL(38, 9)) - b THEN NULL
     WHEN b < 0 AND a < CAST('-99999999999999999999999999999.999999999' AS DECIMAL(38, 9)) - b THEN NULL ELSE a + b END`,
  // NUMERIC a * b, exact: with a = ai + af / 1e9 and b likewise (integer parts and nanos, all of
  // the product's sign), the product in nanos is ai*bi*1e9 + ai*bf + af*bi + af*bf/1e9, the last
  // rounded half away from zero as ZetaSQL rounds. No term cancels another, so a HUGEINT overflow
  // (DuckDB raises it) means a product far beyond NUMERIC, where GoogleSQL raises too.
  `CREATE MACRO gsql_int_part(x) AS CAST(trunc(x) AS HUGEINT)`,
  `CREATE MACRO gsql_nano_part(x) AS CAST((x - trunc(x)) * 1000000000 AS HUGEINT)`,
  `CREATE MACRO gsql_numeric_product_nanos(a, b) AS gsql_int_part(a) * gsql_int_part(b) * 1000000000
     + gsql_int_part(a) * gsql_nano_part(b) + gsql_nano_part(a) * gsql_int_part(b)
     + sign(gsql_nano_part(a) * gsql_nano_part(b)) * ((abs(gsql_nano_part(a) * gsql_nano_part(b)) + 500000000) // 1000000000)`,
  `CREATE MACRO gsql_numeric_multiply(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL
     WHEN abs(gsql_numeric_product_nanos(a, b)) >= CAST('100000000000000000000000000000000000000' AS HUGEINT)
     THEN error('numeric overflow: ' || a || ' * ' || b) ELSE gsql_nanos_numeric(gsql_numeric_product_nanos(a, b)) END`,
  // SAFE_ arithmetic on FLOAT64: NULL where the result overflows from finite inputs.
  `CREATE MACRO gsql_safe_double(r, x, y) AS CASE WHEN isinf(r) AND isfinite(x) AND isfinite(y) THEN NULL ELSE r END`,
];

const FLOATS = ["TYPE_DOUBLE"];
const NUMERIC = "TYPE_NUMERIC";

/** n-ary GREATEST / LEAST: NULL when any argument is NULL (DuckDB skips NULLs), NaN when any is NaN. */
function extreme(fn: "greatest" | "least"): Form {
  return ({ args, types }) => {
    const k = kind(types[0]);
    if (!["TYPE_INT64", "TYPE_DOUBLE", "TYPE_STRING", "TYPE_DATE", "TYPE_TIMESTAMP", "TYPE_DATETIME", "TYPE_TIME", "TYPE_NUMERIC", "TYPE_BOOL", "TYPE_BYTES"].includes(k)) {
      return refuse(`${fn.toUpperCase()} of ${k}`);
    }
    // A sum evaluates every argument (a CASE could skip some).
    const nulls = args.map((a) => `CAST(${a} IS NULL AS INTEGER)`).join(" + ");
    const nan = k === "TYPE_DOUBLE" ? ` WHEN ${args.map((a) => `isnan(${a})`).join(" OR ")} THEN CAST('NaN' AS DOUBLE)` : "";
    return `(CASE WHEN (${nulls}) > 0 THEN NULL${nan} ELSE ${fn}(${args.join(", ")}) END)`;
  };
}

/** ROUND / TRUNC with digits of NUMERIC: DuckDB's result is DECIMAL(38, n), cast back (overflow raises). */
function numericDigits(fn: string, { args, nodes }: Call): string {
  if (args.length === 1) return `CAST(${fn}(${args[0]}) AS DECIMAL(38, 9))`;
  const digits = intLiteral(nodes[1]);
  if (digits === undefined || digits < -38n || digits > 38n) return refuse(`${fn.toUpperCase()} of NUMERIC with computed digits`);
  return `CAST(${fn}(${args[0]}, ${digits}) AS DECIMAL(38, 9))`;
}

function safeArithmetic(op: string): Form {
  return ({ args, types }) => {
    const k = kind(types[0]);
    // INT64: exact in HUGEINT, NULL when the result leaves INT64.
    if (k === "TYPE_INT64") return `TRY_CAST(CAST(${args[0]} AS HUGEINT) ${op} ${args[1]} AS BIGINT)`;
    if (k === "TYPE_DOUBLE") return `gsql_safe_double(${args[0]} ${op} ${args[1]}, ${args[0]}, ${args[1]})`;
    // NUMERIC: NULL where the exact sum leaves NUMERIC's range, tested without forming it.
    if (k === NUMERIC && op !== "*") return `gsql_safe_numeric_add(${args[0]}, ${op === "-" ? `(- ${args[1]})` : args[1]})`;
    return refuse(`SAFE arithmetic on ${k}`);
  };
}

export const MATH_FUNCTIONS: Record<string, Form> = {
  round: (call) => {
    const k = kind(call.types[0]);
    if (k === NUMERIC) return numericDigits("round", call);
    // ZetaSQL rounds FLOAT64 to digits in 80-bit long double (x / 10^-d, roundl, * 10^-d), which
    // DuckDB's doubles cannot reproduce at ties (ROUND(2.675, 2) is 2.67 there, 2.68 in DuckDB).
    if (k !== "TYPE_DOUBLE" || call.args.length > 1) return refuse(`ROUND of ${k} with these arguments`);
    // DuckDB's round() on DOUBLE is half away from zero, as GoogleSQL's.
    return `round(${call.args[0]})`;
  },
  trunc: (call) => {
    const k = kind(call.types[0]);
    if (k === NUMERIC) return numericDigits("trunc", call);
    if (k !== "TYPE_DOUBLE" || call.args.length > 1) return refuse(`TRUNC of ${k} with these arguments`);
    return `trunc(${call.args[0]})`;
  },
  ceil: (call) => (kind(call.types[0]) === NUMERIC ? numericDigits("ceil", call) : onlyTypes(FLOATS, ({ args }) => `ceil(${args[0]})`)(call)),
  floor: (call) => (kind(call.types[0]) === NUMERIC ? numericDigits("floor", call) : onlyTypes(FLOATS, ({ args }) => `floor(${args[0]})`)(call)),
  sqrt: onlyTypes(FLOATS, ({ args }) => `gsql_sqrt(${args[0]})`),
  ln: onlyTypes(FLOATS, ({ args }) => `gsql_ln(${args[0]})`),
  log10: onlyTypes(FLOATS, ({ args }) => `gsql_log10(${args[0]})`),
  log: onlyTypes(FLOATS, ({ args }) => (args.length === 1 ? `gsql_ln(${args[0]})` : `gsql_log(${args[0]}, ${args[1]})`)),
  exp: onlyTypes(FLOATS, ({ args }) => `gsql_checked(exp(${args[0]}), ${args[0]}, 0, 'EXP')`),
  pow: onlyTypes(FLOATS, ({ args }) => `gsql_checked(pow(${args[0]}, ${args[1]}), ${args[0]}, ${args[1]}, 'POW')`),
  sign: ({ args, types }) => {
    const k = kind(types[0]);
    if (k === "TYPE_INT64") return `CAST(sign(${args[0]}) AS BIGINT)`;
    // DuckDB's sign(NaN) is 0; GoogleSQL's NaN.
    if (k === "TYPE_DOUBLE") return `(CASE WHEN isnan(${args[0]}) THEN ${args[0]} ELSE CAST(sign(${args[0]}) AS DOUBLE) END)`;
    if (k === NUMERIC) return `CAST(sign(${args[0]}) AS DECIMAL(38, 9))`;
    return refuse(`SIGN of ${k}`);
  },
  abs: ({ args, types }) => {
    const k = kind(types[0]);
    if (["TYPE_INT64", "TYPE_DOUBLE", NUMERIC].includes(k)) return `abs(${args[0]})`;
    return refuse(`ABS of ${k}`);
  },
  is_nan: onlyTypes(FLOATS, ({ args }) => `isnan(${args[0]})`),
  is_inf: onlyTypes(FLOATS, ({ args }) => `isinf(${args[0]})`),
  greatest: extreme("greatest"),
  least: extreme("least"),
  ieee_divide: onlyTypes(FLOATS, ({ args }) => `gsql_ieee_divide(${args[0]}, ${args[1]})`),
  safe_add: safeArithmetic("+"),
  safe_subtract: safeArithmetic("-"),
  safe_multiply: safeArithmetic("*"),
  safe_negate: ({ args, types }) => {
    const k = kind(types[0]);
    if (k === "TYPE_INT64") return `TRY_CAST(- CAST(${args[0]} AS HUGEINT) AS BIGINT)`;
    if (k === "TYPE_DOUBLE" || k === NUMERIC) return `(- ${args[0]})`;
    return refuse(`SAFE_NEGATE of ${k}`);
  },
};
