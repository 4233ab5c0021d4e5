/**
 * INTERVAL functions over DuckDB's INTERVAL (months, days, micros: ZetaSQL's parts; ZetaSQL's
 * nanoseconds never reach DuckDB, see types.ts). DuckDB traps: its interval comparison normalises
 * with truncating division, so '1 month -1 day' > '29 days' there while GoogleSQL compares total
 * microseconds (a month is 30 days, a day 24 hours) and finds them equal; and date_part on an
 * interval gives the parts split (years, months % 12, hours, microseconds within the minute).
 * So every comparison goes through an exact HUGEINT key and the parts are reassembled. DuckDB's
 * // and % truncate toward zero, as ZetaSQL's C++ does.
 */
import type { TypeProto } from "../types";
import { type Call, type Form, kind } from "./call";
import { refuse } from "./unsupported";

const MICROS_PER_DAY = 86_400_000_000n;

export const INTERVAL_MACROS: string[] = [
  `CREATE MACRO gsql_iv_months(i) AS datepart('year', i) * 12 + datepart('month', i)`,
  `CREATE MACRO gsql_iv_days(i) AS datepart('day', i)`,
  `CREATE MACRO gsql_iv_micros(i) AS datepart('hour', i) * 3600000000 + datepart('minute', i) * 60000000 + datepart('microseconds', i)`,
  // Total microseconds with 30-day months and 24-hour days: GoogleSQL's order and equality.
  `CREATE MACRO gsql_iv_key(i) AS CAST(gsql_iv_months(i) AS HUGEINT) * ${30n * MICROS_PER_DAY} + CAST(gsql_iv_days(i) AS HUGEINT) * ${MICROS_PER_DAY} + gsql_iv_micros(i)`,
  // An interval from parts, within ZetaSQL's limits (10,000 years of each).
  `CREATE MACRO gsql_iv(m, d, u) AS CASE WHEN abs(m) > 120000 THEN error('Interval field months ''' || m || ''' is out of range')
     WHEN abs(d) > 3660000 THEN error('Interval field days ''' || d || ''' is out of range')
     WHEN abs(u) > 316224000000000000 THEN error('Interval field microseconds ''' || u || ''' is out of range')
     ELSE to_months(CAST(m AS INTEGER)) + to_days(CAST(d AS INTEGER)) + to_microseconds(CAST(u AS BIGINT)) END`,
  // MAKE_INTERVAL(year, month, day, hour, minute, second); HUGEINT keeps the products exact.
  `CREATE MACRO gsql_make_interval(y, mo, d, h, mi, s) AS gsql_iv(CAST(y AS HUGEINT) * 12 + mo, d,
     CAST(h AS HUGEINT) * 3600000000 + CAST(mi AS HUGEINT) * 60000000 + CAST(s AS HUGEINT) * 1000000)`,
  // JUSTIFY_*: whole days out of the time part, months out of the days, signs made to agree
  // (interval_value.cc). DuckDB binds a macro's calls when it is created: helpers come first.
  `CREATE MACRO gsql_justify_hours_parts(m, d, u) AS CASE WHEN d > 0 AND u < 0 THEN gsql_iv(m, d - 1, u + ${MICROS_PER_DAY})
     WHEN d < 0 AND u > 0 THEN gsql_iv(m, d + 1, u - ${MICROS_PER_DAY}) ELSE gsql_iv(m, d, u) END`,
  `CREATE MACRO gsql_justify_hours(i) AS gsql_justify_hours_parts(gsql_iv_months(i), gsql_iv_days(i) + gsql_iv_micros(i) // ${MICROS_PER_DAY}, gsql_iv_micros(i) % ${MICROS_PER_DAY})`,
  `CREATE MACRO gsql_justify_days_parts(m, d, u) AS CASE WHEN m > 0 AND d < 0 THEN gsql_iv(m - 1, d + 30, u)
     WHEN m < 0 AND d > 0 THEN gsql_iv(m + 1, d - 30, u) ELSE gsql_iv(m, d, u) END`,
  `CREATE MACRO gsql_justify_days(i) AS gsql_justify_days_parts(gsql_iv_months(i) + gsql_iv_days(i) // 30, gsql_iv_days(i) % 30, gsql_iv_micros(i))`,
  `CREATE MACRO gsql_justify_interval_3(m, d, u) AS CASE
     WHEN m > 0 AND (d < 0 OR (d = 0 AND u < 0)) THEN gsql_justify_hours_parts(m - 1, d + 30, u)
     WHEN m < 0 AND (d > 0 OR (d = 0 AND u > 0)) THEN gsql_justify_hours_parts(m + 1, d - 30, u)
     ELSE gsql_justify_hours_parts(m, d, u) END`,
  `CREATE MACRO gsql_justify_interval_2(m, d, u) AS gsql_justify_interval_3(m + d // 30, d % 30, u)`,
  `CREATE MACRO gsql_justify_interval(i) AS gsql_justify_interval_2(gsql_iv_months(i), gsql_iv_days(i) + gsql_iv_micros(i) // ${MICROS_PER_DAY}, gsql_iv_micros(i) % ${MICROS_PER_DAY})`,
  // TIMESTAMP +/- INTERVAL: ZetaSQL takes days as 24 hours (the session is UTC) and refuses months.
  `CREATE MACRO gsql_timestamp_add_interval(t, i) AS CASE WHEN gsql_iv_months(i) <> 0
     THEN error('TIMESTAMP +/- INTERVAL is not supported for intervals with non-zero MONTH or YEAR part.')
     ELSE gsql_timestamp_in_range(t + i) END`,
];

const ENUM = { YEAR: 1, MONTH: 2, DAY: 3, QUARTER: 6, HOUR: 7, MINUTE: 8, SECOND: 9, MILLISECOND: 10, MICROSECOND: 11, WEEK: 14 } as const;

/** EXTRACT(part FROM interval), as IntervalValue::Extract (C++ truncating / and %). */
function extractInterval(x: string, part: number | undefined): string {
  const micros = `gsql_iv_micros(${x})`;
  switch (part) {
    case ENUM.YEAR:
      return `CAST(gsql_iv_months(${x}) // 12 AS BIGINT)`;
    case ENUM.MONTH:
      return `CAST(gsql_iv_months(${x}) % 12 AS BIGINT)`;
    case ENUM.DAY:
      return `CAST(gsql_iv_days(${x}) AS BIGINT)`;
    case ENUM.HOUR:
      return `(${micros} // 3600000000)`;
    case ENUM.MINUTE:
      return `((${micros} % 3600000000) // 60000000)`;
    case ENUM.SECOND:
      return `((${micros} % 60000000) // 1000000)`;
    case ENUM.MILLISECOND:
      return `((${micros} % 1000000) // 1000)`;
    case ENUM.MICROSECOND:
      return `(${micros} % 1000000)`;
    default:
      return refuse(`EXTRACT part ${String(part)} from an INTERVAL`);
  }
}

const isInterval = (t: TypeProto | undefined): boolean => kind(t) === "TYPE_INTERVAL";

/** $add / $subtract with an INTERVAL operand, or undefined when neither is one. */
function arithmetic(call: Call, sign: "+" | "-"): string | undefined {
  const [a, b] = call.args;
  const [ta, tb] = call.types.map(kind);
  if (ta !== "TYPE_INTERVAL" && tb !== "TYPE_INTERVAL") return undefined;
  if (ta === "TYPE_INTERVAL" && tb === "TYPE_INTERVAL") {
    return `gsql_iv(gsql_iv_months(${a}) ${sign} gsql_iv_months(${b}), gsql_iv_days(${a}) ${sign} gsql_iv_days(${b}), gsql_iv_micros(${a}) ${sign} gsql_iv_micros(${b}))`;
  }
  // INTERVAL + x is x + INTERVAL; x - INTERVAL adds the negated interval.
  const [x, tx, i] = ta === "TYPE_INTERVAL" ? [b, tb, a] : [a, ta, b];
  if (sign === "-" && ta === "TYPE_INTERVAL") return refuse("INTERVAL - a date or time");
  const delta = sign === "+" ? i : `(- ${i})`;
  // DuckDB adds months (clamped to the month's end), then days, then microseconds: ZetaSQL's order.
  if (tx === "TYPE_DATETIME") return `gsql_datetime_in_range(${x} + ${delta})`;
  if (tx === "TYPE_DATE") return `gsql_datetime_in_range(CAST(${x} AS TIMESTAMP) + ${delta})`;
  if (tx === "TYPE_TIMESTAMP") return `gsql_timestamp_add_interval(${x}, ${delta})`;
  return refuse(`${tx} ${sign} INTERVAL`);
}

/** Forms that take over a general function's name when an operand is an INTERVAL. */
export function intervalForms(base: Record<string, Form>): Record<string, Form> {
  const over =
    (name: string, form: (call: Call) => string | undefined): Form =>
    (call) =>
      form(call) ?? (base[name] ?? refuse(`function ${name}`))(call);
  return {
    $extract: over("$extract", (call) => (isInterval(call.types[0]) ? extractInterval(call.args[0], call.enums[1]) : undefined)),
    $add: over("$add", (call) => arithmetic(call, "+")),
    $subtract: over("$subtract", (call) => arithmetic(call, "-")),
    $unary_minus: over("$unary_minus", (call) => (isInterval(call.types[0]) ? `(- ${call.args[0]})` : undefined)),
    // INTERVAL n part: IntervalValue::FromInteger (QUARTER 3 months, WEEK 7 days; no sub-second parts).
    $interval: ({ args, enums }) => {
      const n = `CAST(${args[0]} AS HUGEINT)`;
      const parts: Record<number, string> = {
        [ENUM.YEAR]: `gsql_iv(${n} * 12, 0, 0)`,
        [ENUM.QUARTER]: `gsql_iv(${n} * 3, 0, 0)`,
        [ENUM.MONTH]: `gsql_iv(${n}, 0, 0)`,
        [ENUM.WEEK]: `gsql_iv(0, ${n} * 7, 0)`,
        [ENUM.DAY]: `gsql_iv(0, ${n}, 0)`,
        [ENUM.HOUR]: `gsql_iv(0, 0, ${n} * 3600000000)`,
        [ENUM.MINUTE]: `gsql_iv(0, 0, ${n} * 60000000)`,
        [ENUM.SECOND]: `gsql_iv(0, 0, ${n} * 1000000)`,
      };
      return parts[enums[1] ?? -1] ?? refuse(`INTERVAL of part ${String(enums[1])}`);
    },
    make_interval: ({ args }) => `gsql_make_interval(${args.join(", ")})`,
    justify_hours: ({ args }) => `gsql_justify_hours(${args[0]})`,
    justify_days: ({ args }) => `gsql_justify_days(${args[0]})`,
    justify_interval: ({ args }) => `gsql_justify_interval(${args[0]})`,
  };
}

/** Comparisons of two INTERVALs by their exact keys, or undefined when the operands are not INTERVALs. */
export function intervalComparison(op: string, a: string, b: string, types: TypeProto[]): string | undefined {
  if (!types.every(isInterval)) return undefined;
  return `(gsql_iv_key(${a}) ${op} gsql_iv_key(${b}))`;
}

/** The ORDER BY key of an INTERVAL. */
export const intervalOrderKey = (key: string): string => `gsql_iv_key(${key})`;
