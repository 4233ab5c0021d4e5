/**
 * DATE, DATETIME, TIMESTAMP (an instant; the session zone is UTC) and TIME functions. DuckDB's
 * ranges are wider than GoogleSQL's [0001-01-01, 9999-12-31]: results are range-checked. Date
 * parts arrive as enum literals (zetasql/public/functions/datetime.proto DateTimestampPart).
 */
import { type Call, type Form, kind, stringLiteral } from "./call";
import { refuse } from "./unsupported";

const P = {
  YEAR: 1, MONTH: 2, DAY: 3, DAYOFWEEK: 4, DAYOFYEAR: 5, QUARTER: 6, HOUR: 7, MINUTE: 8, SECOND: 9,
  MILLISECOND: 10, MICROSECOND: 11, DATE: 13, WEEK: 14, DATETIME: 15, TIME: 16, ISOYEAR: 17, ISOWEEK: 18,
} as const;
/** WEEK(MONDAY) ... WEEK(SATURDAY): enum 19 ... 24; WEEK is WEEK(SUNDAY). Value: the first weekday, Sunday 0. */
const weekStart = (part: number): number | undefined => (part === P.WEEK ? 0 : part === P.ISOWEEK ? 1 : part >= 19 && part <= 24 ? part - 18 : undefined);

/** Microseconds per sub-day unit. */
const MICROS: Record<number, bigint> = {
  [P.MICROSECOND]: 1n,
  [P.MILLISECOND]: 1000n,
  [P.SECOND]: 1_000_000n,
  [P.MINUTE]: 60_000_000n,
  [P.HOUR]: 3_600_000_000n,
};
const DAY_MICROS = 86_400_000_000n;

const MIN_DATE = "DATE '0001-01-01'";
const MAX_DATE = "DATE '9999-12-31'";

export const DATETIME_MACROS: string[] = [
  // An INT64 narrowed to INTEGER (DuckDB's date and month arithmetic). DuckDB casts a constant
  // while binding, so CAST(-9223372036854775807 AS INTEGER) fails the query even in a CASE branch
  // never taken; TRY_CAST does not, and the error comes only where the value is used.
  `CREATE MACRO gsql_int32(x) AS coalesce(TRY_CAST(x AS INTEGER), CASE WHEN x IS NOT NULL THEN error('Value out of range: ' || x) END)`,
  `CREATE MACRO gsql_date_in_range(d) AS CASE WHEN d < ${MIN_DATE} OR d > ${MAX_DATE} THEN error('DATE out of range: ' || d) ELSE d END`,
  `CREATE MACRO gsql_datetime_in_range(t) AS CASE WHEN t < TIMESTAMP '0001-01-01 00:00:00' OR t >= TIMESTAMP '10000-01-01 00:00:00'
     THEN error('DATETIME out of range') ELSE t END`,
  `CREATE MACRO gsql_timestamp_in_range(t) AS CASE WHEN epoch_us(t) < -62135596800000000 OR epoch_us(t) > 253402300799999999
     THEN error('TIMESTAMP out of range') ELSE t END`,
  // The first day of d's week when weeks start on weekday k (Sunday 0).
  `CREATE MACRO gsql_week_start(d, k) AS CAST(d AS DATE) - CAST((dayofweek(d) - k + 7) % 7 AS INTEGER)`,
  // Floor division (DuckDB's // truncates toward zero).
  `CREATE MACRO gsql_floor_div(a, b) AS a // b - CASE WHEN a % b < 0 THEN 1 ELSE 0 END`,
  // TIMESTAMP_DIFF: whole units between two instants, truncated toward zero.
  `CREATE MACRO gsql_timestamp_diff(a, b, unit_micros) AS (epoch_us(a) - epoch_us(b)) // unit_micros`,
  // A TIME moved by n micros wraps around midnight (in HUGEINT: n may be any INT64 times a unit).
  `CREATE MACRO gsql_time_micros(t) AS (hour(t) * 3600 + minute(t) * 60) * CAST(1000000 AS BIGINT) + microsecond(t)`,
  `CREATE MACRO gsql_time_add(t, n) AS TIME '00:00:00' + to_microseconds(CAST(((gsql_time_micros(t) + n) % ${DAY_MICROS} + ${DAY_MICROS}) % ${DAY_MICROS} AS BIGINT))`,
  `CREATE MACRO gsql_make_date(y, m, d) AS CASE WHEN gsql_nulls3(y, m, d) > 0 THEN NULL ELSE gsql_date_in_range(make_date(y, m, d)) END`,
];

/** The part enum at argument i, which must be a literal. */
const partOf = (call: Call, i: number): number => call.enums[i] ?? refuse("a date part that is not a literal");

/** DATE_ADD / DATE_SUB of DATE; DATETIME_ADD / _SUB of DATETIME (calendar units clamp to the month's end). */
function addDate(sign: 1 | -1): Form {
  return (call) => {
    const t = kind(call.types[0]);
    const part = partOf(call, 2);
    const [x, n] = call.args;
    const amount = sign === 1 ? n : `(- ${n})`;
    const months: Record<number, string> = { [P.MONTH]: amount, [P.QUARTER]: `${amount} * 3`, [P.YEAR]: `${amount} * 12` };
    if (t === "TYPE_DATE") {
      if (part === P.DAY) return `gsql_date_in_range(${x} + gsql_int32(${amount}))`;
      if (part === P.WEEK) return `gsql_date_in_range(${x} + gsql_int32(${amount} * 7))`;
      if (months[part]) return `gsql_date_in_range(CAST(${x} + to_months(gsql_int32(${months[part]})) AS DATE))`;
      return refuse(`DATE_ADD part ${part}`);
    }
    if (t === "TYPE_DATETIME") {
      const micros = MICROS[part] ?? (part === P.DAY ? DAY_MICROS : part === P.WEEK ? 7n * DAY_MICROS : undefined);
      if (micros !== undefined) return `gsql_datetime_in_range(${x} + to_microseconds(${amount} * ${micros}))`;
      if (months[part]) return `gsql_datetime_in_range(${x} + to_months(gsql_int32(${months[part]})))`;
      return refuse(`DATETIME_ADD part ${part}`);
    }
    return refuse(`DATE_ADD of ${t}`);
  };
}

/** TIMESTAMP_ADD / _SUB: exact micros (a DAY is 24 hours of an instant). */
function addTimestamp(sign: 1 | -1): Form {
  return (call) => {
    const part = partOf(call, 2);
    const micros = MICROS[part] ?? (part === P.DAY ? DAY_MICROS : refuse(`TIMESTAMP_ADD part ${part}`));
    const [x, n] = call.args;
    return `gsql_timestamp_in_range(${x} + to_microseconds(${sign === 1 ? n : `(- ${n})`} * ${micros}))`;
  };
}

/** TIME_ADD / _SUB wrap around midnight. */
function addTime(sign: 1 | -1): Form {
  return (call) => {
    const micros = MICROS[partOf(call, 2)] ?? refuse(`TIME_ADD part ${partOf(call, 2)}`);
    const [x, n] = call.args;
    return `gsql_time_add(${x}, ${sign === 1 ? "" : "- "}CAST(${n} AS HUGEINT) * ${micros})`;
  };
}

/** Calendar units between two dates (DATE_DIFF and DATETIME_DIFF count boundaries crossed). */
function calendarDiff(a: string, b: string, part: number): string | undefined {
  const start = weekStart(part);
  if (part === P.DAY) return `(CAST(${a} AS DATE) - CAST(${b} AS DATE))`;
  if (start !== undefined) return `((gsql_week_start(${a}, ${start}) - gsql_week_start(${b}, ${start})) // 7)`;
  if (part === P.MONTH) return `((year(${a}) * 12 + month(${a})) - (year(${b}) * 12 + month(${b})))`;
  if (part === P.QUARTER) return `((year(${a}) * 4 + quarter(${a})) - (year(${b}) * 4 + quarter(${b})))`;
  if (part === P.YEAR) return `(year(${a}) - year(${b}))`;
  if (part === P.ISOYEAR) return `(isoyear(${a}) - isoyear(${b}))`;
  return undefined;
}

function dateDiff(call: Call): string {
  const t = kind(call.types[0]);
  const part = partOf(call, 2);
  const [a, b] = call.args;
  if (t === "TYPE_DATE") return `CAST(${calendarDiff(a, b, part) ?? refuse(`DATE_DIFF part ${part}`)} AS BIGINT)`;
  if (t === "TYPE_DATETIME") {
    // Sub-day units count boundaries too: floor(a / unit) - floor(b / unit).
    const micros = MICROS[part];
    if (micros !== undefined) return `(gsql_floor_div(epoch_us(${a}), ${micros}) - gsql_floor_div(epoch_us(${b}), ${micros}))`;
    return `CAST(${calendarDiff(a, b, part) ?? refuse(`DATETIME_DIFF part ${part}`)} AS BIGINT)`;
  }
  return refuse(`DATE_DIFF of ${t}`);
}

/** DATE_TRUNC of a date (as DATE); out-of-range results (week starts before 0001-01-01) raise. */
function truncDate(x: string, part: number): string | undefined {
  const start = weekStart(part);
  if (part === P.DAY) return `CAST(${x} AS DATE)`;
  if (start !== undefined) return `gsql_date_in_range(gsql_week_start(${x}, ${start}))`;
  if (part === P.MONTH) return `make_date(year(${x}), month(${x}), 1)`;
  if (part === P.QUARTER) return `make_date(year(${x}), (quarter(${x}) - 1) * 3 + 1, 1)`;
  if (part === P.YEAR) return `make_date(year(${x}), 1, 1)`;
  // The ISO year starts on the Monday of the week holding January 4th.
  if (part === P.ISOYEAR) return `gsql_date_in_range(gsql_week_start(make_date(isoyear(${x}), 1, 4), 1))`;
  return undefined;
}

const SUBDAY_TRUNC: Record<number, string> = {
  [P.HOUR]: "hour",
  [P.MINUTE]: "minute",
  [P.SECOND]: "second",
  [P.MILLISECOND]: "milliseconds",
  [P.MICROSECOND]: "microseconds",
};

function trunc(call: Call): string {
  utcOnly(call, 2);
  const t = kind(call.types[0]);
  const part = partOf(call, 1);
  const x = call.args[0];
  const sub = SUBDAY_TRUNC[part];
  if (t === "TYPE_DATE") return truncDate(x, part) ?? refuse(`DATE_TRUNC part ${part}`);
  if (t === "TYPE_DATETIME" || t === "TYPE_TIMESTAMP") {
    const target = t === "TYPE_DATETIME" ? "TIMESTAMP" : "TIMESTAMPTZ";
    if (sub) return `date_trunc('${sub}', ${x})`;
    const date = truncDate(x, part) ?? refuse(`${t === "TYPE_DATETIME" ? "DATETIME" : "TIMESTAMP"}_TRUNC part ${part}`);
    return `CAST(${date} AS ${target})`;
  }
  if (t === "TYPE_TIME" && sub) return `(TIME '00:00:00' + to_microseconds(gsql_time_micros(${x}) // ${MICROS[part]} * ${MICROS[part]}))`;
  return refuse(`_TRUNC of ${t} part ${part}`);
}

function lastDay(call: Call): string {
  const part = call.args.length > 1 ? partOf(call, 1) : P.MONTH;
  const x = call.args[0];
  const start = weekStart(part);
  if (part === P.MONTH) return `last_day(${x})`;
  if (part === P.QUARTER) return `last_day(make_date(year(${x}), quarter(${x}) * 3, 1))`;
  if (part === P.YEAR) return `make_date(year(${x}), 12, 31)`;
  if (start !== undefined) return `gsql_date_in_range(gsql_week_start(${x}, ${start}) + 6)`;
  return refuse(`LAST_DAY part ${part}`);
}

/** EXTRACT parts valid on DATE, DATETIME and TIMESTAMP (in UTC) and their DuckDB forms. */
const EXTRACT_DATE_PARTS: Record<number, (x: string) => string> = {
  [P.YEAR]: (x) => `year(${x})`,
  [P.MONTH]: (x) => `month(${x})`,
  [P.DAY]: (x) => `day(${x})`,
  [P.DAYOFWEEK]: (x) => `(dayofweek(${x}) + 1)`, // GoogleSQL: Sunday = 1; DuckDB: Sunday = 0
  [P.DAYOFYEAR]: (x) => `dayofyear(${x})`,
  [P.QUARTER]: (x) => `quarter(${x})`,
  [P.ISOYEAR]: (x) => `isoyear(${x})`,
  [P.ISOWEEK]: (x) => `weekofyear(${x})`,
};
/** Time-of-day parts; DuckDB's millisecond() and microsecond() include the whole seconds. */
const EXTRACT_TIME_PARTS: Record<number, (x: string) => string> = {
  [P.HOUR]: (x) => `hour(${x})`,
  [P.MINUTE]: (x) => `minute(${x})`,
  [P.SECOND]: (x) => `second(${x})`,
  [P.MILLISECOND]: (x) => `(millisecond(${x}) % 1000)`,
  [P.MICROSECOND]: (x) => `(microsecond(${x}) % 1000000)`,
};

function extract(call: Call): string {
  const { args, types, enums } = call;
  utcOnly(call, 2);
  const part = enums[1] ?? refuse("EXTRACT of a computed part");
  const t = kind(types[0]);
  const x = args[0];
  const hasDate = t === "TYPE_DATE" || t === "TYPE_DATETIME" || t === "TYPE_TIMESTAMP";
  const hasTime = t === "TYPE_TIME" || t === "TYPE_DATETIME" || t === "TYPE_TIMESTAMP";
  const start = weekStart(part);
  if (hasDate && EXTRACT_DATE_PARTS[part]) return `CAST(${EXTRACT_DATE_PARTS[part](x)} AS BIGINT)`;
  if (hasTime && EXTRACT_TIME_PARTS[part]) return `CAST(${EXTRACT_TIME_PARTS[part](x)} AS BIGINT)`;
  // WEEK(k): weeks start on weekday k; days before the year's first such day are week 0.
  if (hasDate && start !== undefined && part !== P.ISOWEEK) {
    return `CAST((dayofyear(${x}) - 1 - (dayofweek(${x}) - ${start} + 7) % 7 + 7) // 7 AS BIGINT)`;
  }
  if (hasDate && part === P.DATE) return `CAST(${x} AS DATE)`;
  if (hasTime && part === P.TIME && t !== "TYPE_TIME") return `CAST(CAST(${x} AS TIMESTAMP) AS TIME)`;
  if (t === "TYPE_TIMESTAMP" && part === P.DATETIME) return `CAST(${x} AS TIMESTAMP)`;
  return refuse(`EXTRACT part ${part} from ${t}`);
}

/** A time-zone argument: only UTC (the session's zone) is proven. */
function utcOnly(call: Call, i: number): void {
  if (call.args.length > i && !["UTC", "Etc/UTC", "+00", "+00:00", "Z"].includes(stringLiteral(call.nodes[i]) ?? "?")) refuse("a time zone other than UTC");
}

/** EXTRACT(DATE / TIME / DATETIME FROM x) without a time zone. */
const extractAs = (target: string): Form => (call) => {
  utcOnly(call, 1);
  return target === "TIME" ? `CAST(CAST(${call.args[0]} AS TIMESTAMP) AS TIME)` : `CAST(${call.args[0]} AS ${target})`;
};

export const DATETIME_FUNCTIONS: Record<string, Form> = {
  $extract: extract,
  $extract_date: extractAs("DATE"),
  $extract_time: extractAs("TIME"),
  $extract_datetime: extractAs("TIMESTAMP"),
  date_add: addDate(1),
  date_sub: addDate(-1),
  datetime_add: addDate(1),
  datetime_sub: addDate(-1),
  timestamp_add: addTimestamp(1),
  timestamp_sub: addTimestamp(-1),
  time_add: addTime(1),
  time_sub: addTime(-1),
  date_diff: dateDiff,
  datetime_diff: dateDiff,
  timestamp_diff: (call) => {
    if (!call.types.slice(0, 2).every((t) => kind(t) === "TYPE_TIMESTAMP")) return refuse("TIMESTAMP_DIFF of non-TIMESTAMP");
    const part = partOf(call, 2);
    const micros = MICROS[part] ?? (part === P.DAY ? DAY_MICROS : refuse(`TIMESTAMP_DIFF part ${part}`));
    return `gsql_timestamp_diff(${call.args[0]}, ${call.args[1]}, ${micros})`;
  },
  time_diff: (call) => {
    const micros = MICROS[partOf(call, 2)] ?? refuse(`TIME_DIFF part ${partOf(call, 2)}`);
    // Boundaries crossed: both sides are non-negative, so // is a floor.
    return `(gsql_time_micros(${call.args[0]}) // ${micros} - gsql_time_micros(${call.args[1]}) // ${micros})`;
  },
  date_trunc: trunc,
  datetime_trunc: trunc,
  timestamp_trunc: trunc,
  time_trunc: trunc,
  last_day: lastDay,
  unix_date: ({ args }) => `CAST(${args[0]} - DATE '1970-01-01' AS BIGINT)`,
  date_from_unix_date: ({ args }) => `gsql_date_in_range(DATE '1970-01-01' + gsql_int32(${args[0]}))`,
  // UNIX_SECONDS and UNIX_MILLIS round down (toward the past).
  unix_seconds: ({ args }) => `gsql_floor_div(epoch_us(${args[0]}), 1000000)`,
  unix_millis: ({ args }) => `gsql_floor_div(epoch_us(${args[0]}), 1000)`,
  unix_micros: ({ args }) => `epoch_us(${args[0]})`,
  timestamp_seconds: ({ args }) => `gsql_timestamp_in_range(CAST(make_timestamp(${args[0]} * 1000000) AS TIMESTAMPTZ))`,
  timestamp_millis: ({ args }) => `gsql_timestamp_in_range(CAST(make_timestamp(${args[0]} * 1000) AS TIMESTAMPTZ))`,
  timestamp_micros: ({ args }) => `gsql_timestamp_in_range(CAST(make_timestamp(${args[0]}) AS TIMESTAMPTZ))`,
  date: (call) => {
    const t = kind(call.types[0]);
    if (call.args.length === 3) return `gsql_make_date(${call.args.join(", ")})`;
    // DATE(timestamp [, zone]) in UTC, the session's zone.
    utcOnly(call, 1);
    if (["TYPE_TIMESTAMP", "TYPE_DATETIME", "TYPE_DATE"].includes(t)) return `CAST(${call.args[0]} AS DATE)`;
    return refuse(`DATE of ${t}`);
  },
  datetime: (call) => {
    const t = kind(call.types[0]);
    if (call.args.length === 6) {
      const [y, mo, d, h, mi, s] = call.args;
      // GoogleSQL takes second 60 (a leap second: the next minute), no other value out of range.
      return `(CASE WHEN ${h} NOT BETWEEN 0 AND 23 OR ${mi} NOT BETWEEN 0 AND 59 OR ${s} NOT BETWEEN 0 AND 60 THEN error('Input calculates to invalid datetime')
        ELSE gsql_datetime_in_range(CAST(gsql_make_date(${y}, ${mo}, ${d}) AS TIMESTAMP) + to_microseconds((${h} * 3600 + ${mi} * 60 + ${s}) * CAST(1000000 AS BIGINT))) END)`;
    }
    if (call.args.length === 2 && t === "TYPE_DATE" && kind(call.types[1]) === "TYPE_TIME") return `(${call.args[0]} + ${call.args[1]})`;
    utcOnly(call, 1);
    if (["TYPE_TIMESTAMP", "TYPE_DATE", "TYPE_DATETIME"].includes(t)) return `CAST(${call.args[0]} AS TIMESTAMP)`;
    return refuse(`DATETIME of ${t}`);
  },
  time: (call) => {
    const t = kind(call.types[0]);
    if (call.args.length === 3) {
      const [h, m, s] = call.args;
      // Second 60 is the next minute, wrapping past midnight.
      return `(CASE WHEN ${h} NOT BETWEEN 0 AND 23 OR ${m} NOT BETWEEN 0 AND 59 OR ${s} NOT BETWEEN 0 AND 60 THEN error('Input calculates to invalid time')
        ELSE TIME '00:00:00' + to_microseconds((${h} * 3600 + ${m} * 60 + ${s}) % 86400 * CAST(1000000 AS BIGINT)) END)`;
    }
    utcOnly(call, 1);
    // DuckDB casts TIMESTAMPTZ to TIME only through TIMESTAMP (in the session's zone, UTC).
    if (t === "TYPE_TIMESTAMP") return `CAST(CAST(${call.args[0]} AS TIMESTAMP) AS TIME)`;
    if (t === "TYPE_DATETIME" || t === "TYPE_TIME") return `CAST(${call.args[0]} AS TIME)`;
    return refuse(`TIME of ${t}`);
  },
  timestamp: (call) => {
    const t = kind(call.types[0]);
    utcOnly(call, 1);
    if (t === "TYPE_DATE" || t === "TYPE_DATETIME" || t === "TYPE_TIMESTAMP") return `CAST(${call.args[0]} AS TIMESTAMPTZ)`;
    return refuse(`TIMESTAMP of ${t}`);
  },
};
