/**
 * DuckDB macros the compiled SQL calls, created once per connection. Each gives a GoogleSQL
 * semantic DuckDB lacks natively; the error texts follow ZetaSQL's.
 */
import { CAST_MACROS } from "./casts";
import { ARRAY_MACROS } from "./functions_array";
import { JSON_MACROS } from "./functions_json";
import { PARSE_MACROS } from "./functions_parse";
import { DATETIME_MACROS } from "./functions_datetime";
import { APPROX_MACROS } from "./aggregates_approx";
import { INTERVAL_MACROS } from "./functions_interval";
import { RANGE_MACROS } from "./functions_range";
import { MATH_MACROS } from "./functions_math";
import { STRING_MACROS } from "./functions_string";

/** The session every connection running compiled SQL needs, before the macros. */
export const SESSION: string[] = [
  // TIMESTAMP is TIMESTAMPTZ, read and printed in UTC.
  "SET TimeZone = 'UTC'",
  // The first two drop expressions whose errors GoogleSQL raises: the expression rewriter moves
  // constants across comparisons (-1 <= c - x becomes x <= c + 1, no overflow left), statistics
  // propagation replaces a provably-NULL expression (NULLIF('a', 'a') * (a + a)) by NULL. The
  // third adds some: it hoists an expression that occurs twice (macros repeat their arguments)
  // out of a COALESCE or CASE branch, evaluating it on every row.
  "SET disabled_optimizers = 'expression_rewriter,statistics_propagation,common_subexpressions'",
  // Macros expand in place: nested calls (LOG of IEEE_DIVIDE of ...) nest deeper than the default 1000.
  "SET max_expression_depth TO 20000",
];

const DOUBLE_COMPARISONS: [string, string, string][] = [
  // name, operator, the answer when either side is NaN (GoogleSQL: NaN equals and orders against nothing)
  ["gsql_eq", "=", "FALSE"],
  ["gsql_ne", "<>", "TRUE"],
  ["gsql_lt", "<", "FALSE"],
  ["gsql_le", "<=", "FALSE"],
  ["gsql_gt", ">", "FALSE"],
  ["gsql_ge", ">=", "FALSE"],
];

const BASE: string[] = [
  // GoogleSQL evaluates every argument of a function, so an argument's error surfaces even when
  // another argument is NULL; DuckDB's CASE and OR skip what they need not evaluate. Macros test
  // NULLs through gsql_nulls (a sum, which evaluates every argument) before any shortcut.
  `CREATE MACRO gsql_nulls(a, b) AS (CAST(a IS NULL AS INTEGER) + CAST(b IS NULL AS INTEGER))`,
  `CREATE MACRO gsql_nulls3(a, b, c) AS (gsql_nulls(a, b) + CAST(c IS NULL AS INTEGER))`,
  // DuckDB's a / b is NULL for b = 0 and Infinity on overflow; GoogleSQL raises both.
  `CREATE MACRO gsql_finite(r, a, b) AS CASE WHEN isinf(r) AND NOT isinf(a) AND NOT isinf(b)
     THEN error('floating point overflow') ELSE r END`,
  // BigQuery words a FLOAT64 operand without a trailing ".0" (division by zero: 3 / 0).
  `CREATE MACRO gsql_float_text(x) AS regexp_replace(CAST(x AS VARCHAR), '\\.0$', '')`,
  `CREATE MACRO gsql_divide(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL WHEN b = 0 THEN error('division by zero: ' || gsql_float_text(a) || ' / ' || gsql_float_text(b))
     ELSE gsql_finite(a / b, a, b) END`,
  `CREATE MACRO gsql_safe_divide(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL WHEN b = 0 OR (isinf(a / b) AND NOT isinf(a) AND NOT isinf(b))
     THEN NULL ELSE a / b END`,
  // Integer DIV truncates toward zero (DuckDB's // does too); by zero is an error, not NULL.
  `CREATE MACRO gsql_div(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b)
     ELSE a // b END`,
  // MOD(INT64_MIN, -1) is 0 in GoogleSQL; DuckDB reports an overflow.
  `CREATE MACRO gsql_mod(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b)
     WHEN b = -1 THEN 0 ELSE a % b END`,
  ...DOUBLE_COMPARISONS.map(
    ([name, op, nan]) =>
      `CREATE MACRO ${name}(a, b) AS CASE WHEN gsql_nulls(a, b) > 0 THEN NULL WHEN isnan(a) OR isnan(b) THEN ${nan} ELSE a ${op} b END`,
  ),
  // SUBSTR: position 0 is 1, a negative position counts from the end; a negative length is an error.
  `CREATE MACRO gsql_substr_start(s, p) AS CASE WHEN p > 0 THEN p WHEN p = 0 THEN 1 ELSE greatest(length(s) + p + 1, 1) END`,
  `CREATE MACRO gsql_substr(s, p, n) AS CASE WHEN gsql_nulls3(s, p, n) > 0 THEN NULL
     WHEN n < 0 THEN error('Third argument in SUBSTR() cannot be negative')
     ELSE substring(s, least(gsql_substr_start(s, p), length(s) + 1), least(n, length(s))) END`,
  // x IN list (of a subquery or UNNEST) by GoogleSQL's rule: FALSE for an empty list, else NULL
  // for a NULL x, TRUE on a match, NULL if the list holds a NULL, else FALSE. (No lambdas: DuckDB
  // refuses them around a subquery argument; list_count counts the non-NULL elements.)
  `CREATE MACRO gsql_in_list(x, l) AS CASE WHEN gsql_nulls(x, l) < 0 THEN NULL WHEN coalesce(len(l), 0) = 0 THEN FALSE WHEN x IS NULL THEN NULL
     WHEN list_contains(l, x) THEN TRUE WHEN list_count(l) < len(l) THEN NULL ELSE FALSE END`,
  // FLOAT64: NaN matches nothing (DuckDB's list_contains matches NaN to NaN).
  `CREATE MACRO gsql_in_doubles(x, l) AS CASE WHEN gsql_nulls(x, l) < 0 THEN NULL WHEN coalesce(len(l), 0) = 0 THEN FALSE WHEN x IS NULL THEN NULL
     WHEN NOT isnan(x) AND list_contains(l, x) THEN TRUE WHEN list_count(l) < len(l) THEN NULL ELSE FALSE END`,
  // NUMERIC SUM and AVG from two exact HUGEINT sums, i of the integer parts and f of the fractions
  // in nanos (aggregate_forms.ts). w + r / 1e9 is normalised so both have one sign; NUMERIC holds
  // |w| < 10^29, beyond which GoogleSQL's SUM raises.
  `CREATE MACRO gsql_whole_part(w, r, unit) AS CASE WHEN w > 0 AND r < 0 THEN w - 1 WHEN w < 0 AND r > 0 THEN w + 1 ELSE w END`,
  `CREATE MACRO gsql_frac_part(w, r, unit) AS CASE WHEN w > 0 AND r < 0 THEN r + unit WHEN w < 0 AND r > 0 THEN r - unit ELSE r END`,
  `CREATE MACRO gsql_numeric_of(w, r) AS CASE WHEN abs(w) >= CAST('100000000000000000000000000000' AS HUGEINT)
     THEN error('numeric overflow: SUM') ELSE CAST(w AS DECIMAL(38, 9)) + CAST(r * 0.000000001 AS DECIMAL(38, 9)) END`,
  `CREATE MACRO gsql_numeric_sum(i, f) AS gsql_numeric_of(
     gsql_whole_part(i + f // 1000000000, f % 1000000000, 1000000000), gsql_frac_part(i + f // 1000000000, f % 1000000000, 1000000000))`,
  // AVG: (i * 1e9 + f) / n in nanos without forming the product (it may leave HUGEINT): i = q n + r,
  // so the quotient is q * 1e9 + (r * 1e9 + f) / n; then rounded half away from zero, like ZetaSQL.
  `CREATE MACRO gsql_round_nanos(w, r, n) AS gsql_whole_part(w, r, n)
     + CASE WHEN 2 * abs(gsql_frac_part(w, r, n)) >= n THEN sign(gsql_frac_part(w, r, n)) ELSE 0 END`,
  `CREATE MACRO gsql_avg_nanos(i, f, n) AS gsql_round_nanos(
     (i // n) * 1000000000 + ((i % n) * 1000000000 + f) // n, ((i % n) * 1000000000 + f) % n, n)`,
  `CREATE MACRO gsql_nanos_numeric(v) AS CAST(v // 1000000000 AS DECIMAL(38, 9)) + CAST((v % 1000000000) * 0.000000001 AS DECIMAL(38, 9))`,
  `CREATE MACRO gsql_numeric_avg(i, f, n) AS CASE WHEN n = 0 THEN NULL ELSE gsql_nanos_numeric(gsql_avg_nanos(i, f, n)) END`,
  ...STRING_MACROS,
  ...MATH_MACROS,
  ...DATETIME_MACROS,
  ...INTERVAL_MACROS,
  ...RANGE_MACROS,
  ...APPROX_MACROS,
  ...CAST_MACROS,
  ...ARRAY_MACROS,
  ...JSON_MACROS,
  ...PARSE_MACROS,
];

/**
 * Macros that may raise (they call error(), directly or through another), and their SAFE.
 * variants: the same body with error() as NULL and raising macros as their safe_ variants.
 * (DuckDB's TRY, which SAFE. calls also become, refuses error(): it is volatile.)
 */
export const RAISING_MACROS = new Set<string>();
const SAFE_VARIANTS: string[] = [`CREATE MACRO gsql_no_error(message) AS NULL`];
for (const macro of BASE) {
  const [, name, params, body] = /^CREATE MACRO (\w+)\((.*?)\) AS ([\s\S]*)$/.exec(macro) ?? [];
  if (!name || !(body.includes("error(") || [...RAISING_MACROS].some((r) => new RegExp(`\\b${r}\\(`).test(body)))) continue;
  RAISING_MACROS.add(name);
  const safeBody = body.replace(/\b(\w+)\(/g, (call: string, fn: string) => (fn === "error" ? "gsql_no_error(" : RAISING_MACROS.has(fn) ? `safe_${fn}(` : call));
  SAFE_VARIANTS.push(`CREATE MACRO safe_${name}(${params}) AS ${safeBody}`);
}

/** Every macro, in dependency order. */
export const PRELUDE: string[] = [...BASE, ...SAFE_VARIANTS];
