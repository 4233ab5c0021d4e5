/**
 * A seeded generator of random GoogleSQL expressions over the differential tests' table shape
 * (id, a INT64; x FLOAT64; s STRING; ts TIMESTAMP; d DATE; b BOOL; n NUMERIC; arr ARRAY<INT64>),
 * each well typed by construction, mixing edge literals with the compiler's functions; and seeded
 * random tables of that shape (NULLs, ties, duplicates, extreme values).
 */
import type { EngineTable } from "../../src/engine";
import type { Field, Row, Value } from "../../src/model";

export type Kind = "INT64" | "FLOAT64" | "STRING" | "BOOL" | "DATE" | "TIMESTAMP" | "NUMERIC" | "ARRAY";

/** Kinds that can be grouped and ordered (ARRAY cannot). */
export const ORDERABLE: Kind[] = ["INT64", "FLOAT64", "STRING", "BOOL", "DATE", "TIMESTAMP", "NUMERIC"];

/** mulberry32: small, fast and reproducible from one seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

type Maker = (depth: number) => string;

export function expressionGenerator(random: () => number, kinds: Kind[] = ["INT64", "FLOAT64", "STRING", "BOOL"]): (kind: Kind) => string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const gen = (kind: Kind, depth: number): string => {
    const leaves = LEAVES[kind];
    if (depth <= 0 || random() < 0.3) return pick(leaves);
    return pick(RULES[kind])(depth - 1);
  };
  const i = (d: number): string => gen("INT64", d);
  const f = (d: number): string => gen("FLOAT64", d);
  const s = (d: number): string => gen("STRING", d);
  const b = (d: number): string => gen("BOOL", d);
  const dt = (d: number): string => gen("DATE", d);
  const ts = (d: number): string => gen("TIMESTAMP", d);
  const n = (d: number): string => gen("NUMERIC", d);
  const arr = (d: number): string => gen("ARRAY", d);
  /** A small INT64 (sizes, counts, offsets), so most calls succeed. */
  const small = (d: number): string => pick(["0", "1", "2", "3", "-1", "id", `MOD(${i(d)}, 5)`]);
  // Comparisons draw both sides from one of the kinds in play (the older corpus: the first four).
  const comparable = kinds.filter((k) => ORDERABLE.includes(k));
  const same = (d: number): [string, string] => {
    const kind = pick(comparable);
    return [gen(kind, d), gen(kind, d)];
  };
  const DATE_PARTS = ["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"];
  const TRUNC_PARTS = ["DAY", "WEEK", "ISOWEEK", "MONTH", "QUARTER", "YEAR", "ISOYEAR", "WEEK(MONDAY)"];
  const TS_PARTS = ["MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY"];
  const LEAVES: Record<Kind, string[]> = {
    INT64: ["id", "a", "0", "1", "-1", "7", "9223372036854775807", "-9223372036854775807", "CAST(NULL AS INT64)"],
    FLOAT64: ["x", "1.5", "-0.5", "0.0", "1e308", "CAST(NULL AS FLOAT64)"],
    STRING: ["s", "''", "'a'", "'B'", "'é'", "'abc'", "CAST(NULL AS STRING)"],
    BOOL: ["b", "TRUE", "FALSE", "CAST(NULL AS BOOL)"],
    DATE: ["d", "DATE '0001-01-01'", "DATE '9999-12-31'", "DATE '2024-02-29'", "DATE '1970-01-01'", "CAST(NULL AS DATE)"],
    TIMESTAMP: ["ts", "TIMESTAMP '2024-02-29 12:30:00.5 UTC'", "TIMESTAMP '1969-12-31 23:59:59.999999 UTC'", "TIMESTAMP '9999-12-31 23:59:59.999999 UTC'", "CAST(NULL AS TIMESTAMP)"],
    NUMERIC: ["n", "NUMERIC '0'", "NUMERIC '2.5'", "NUMERIC '-0.000000001'", "NUMERIC '99999999999999999999999999999.999999999'", "CAST(NULL AS NUMERIC)"],
    ARRAY: ["arr", "[1, 2, 2]", "CAST([] AS ARRAY<INT64>)", "[CAST(NULL AS INT64), 0]", "CAST(NULL AS ARRAY<INT64>)"],
  };
  const RULES: Record<Kind, Maker[]> = {
    INT64: [
      (d) => `(${i(d)} + ${i(d)})`,
      (d) => `(${i(d)} - ${i(d)})`,
      (d) => `(${i(d)} * ${i(d)})`,
      (d) => `DIV(${i(d)}, ${i(d)})`,
      (d) => `MOD(${i(d)}, ${i(d)})`,
      (d) => `-(${i(d)})`,
      (d) => `ABS(${i(d)})`,
      (d) => `IF(${b(d)}, ${i(d)}, ${i(d)})`,
      (d) => `COALESCE(${i(d)}, ${i(d)})`,
      (d) => `CASE WHEN ${b(d)} THEN ${i(d)} WHEN ${b(d)} THEN ${i(d)} ELSE ${i(d)} END`,
      (d) => `LENGTH(${s(d)})`,
      (d) => `STRPOS(${s(d)}, ${s(d)})`,
      (d) => `CAST(${f(d)} AS INT64)`,
      () => `EXTRACT(${pick(["YEAR", "MONTH", "DAY", "DAYOFWEEK", "DAYOFYEAR", "QUARTER", "ISOWEEK"])} FROM d)`,
      () => `EXTRACT(${pick(["HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "YEAR"])} FROM ts)`,
      () => `TIMESTAMP_DIFF(ts, TIMESTAMP '2025-01-01 00:00:00.5 UTC', ${pick(["MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY"])})`,
      ...(kinds.length > 4
        ? [
            (d: number) => `SIGN(${i(d)})`,
            (d: number) => `${pick(["GREATEST", "LEAST"])}(${i(d)}, ${i(d)}, ${i(d)})`,
            (d: number) => `${pick(["SAFE_ADD", "SAFE_SUBTRACT", "SAFE_MULTIPLY"])}(${i(d)}, ${i(d)})`,
            (d: number) => `SAFE_NEGATE(${i(d)})`,
            (d: number) => `DATE_DIFF(${dt(d)}, ${dt(d)}, ${pick([...DATE_PARTS, "ISOWEEK", "ISOYEAR", "WEEK(FRIDAY)"])})`,
            (d: number) => `EXTRACT(${pick(["WEEK", "WEEK(MONDAY)", "ISOYEAR", "DAYOFYEAR"])} FROM ${dt(d)})`,
            (d: number) => `UNIX_DATE(${dt(d)})`,
            (d: number) => `${pick(["UNIX_SECONDS", "UNIX_MILLIS", "UNIX_MICROS"])}(${ts(d)})`,
            (d: number) => `TIMESTAMP_DIFF(${ts(d)}, ${ts(d)}, ${pick(TS_PARTS)})`,
            (d: number) => `ARRAY_LENGTH(${arr(d)})`,
            (d: number) => `${arr(d)}[SAFE_OFFSET(${small(d)})]`,
            (d: number) => `${arr(d)}[${pick(["OFFSET", "ORDINAL"])}(${small(d)})]`,
            (d: number) => `${pick(["ASCII", "UNICODE"])}(${s(d)})`,
            (d: number) => `INSTR(${s(d)}, ${s(d)})`,
            (d: number) => `SAFE_CAST(${s(d)} AS INT64)`,
            (d: number) => `CAST(${n(d)} AS INT64)`,
            (d: number) => `(SELECT COUNT(*) FROM UNNEST(${arr(d)}) AS e WHERE e > ${i(d)})`,
            (d: number) => `(SELECT MAX(k) FROM u WHERE k < ${i(d)})`,
          ]
        : []),
    ],
    FLOAT64: [
      (d) => `(${f(d)} + ${f(d)})`,
      (d) => `(${f(d)} - ${f(d)})`,
      (d) => `(${f(d)} * ${f(d)})`,
      (d) => `(${f(d)} / ${f(d)})`,
      (d) => `(${i(d)} / ${i(d)})`,
      (d) => `CAST(${i(d)} AS FLOAT64)`,
      (d) => `SAFE_DIVIDE(${f(d)}, ${f(d)})`,
      (d) => `IF(${b(d)}, ${f(d)}, ${f(d)})`,
      (d) => `-(${f(d)})`,
      ...(kinds.length > 4
        ? [
            (d: number) => `${pick(["SQRT", "LN", "LOG10", "EXP"])}(${f(d)})`,
            () => `${pick(["SAFE.SQRT", "SAFE.LN", "SAFE.EXP"])}(${pick(["x", "-1.5", "0.0", "1e308"])})`,
            (d: number) => `POW(${f(d)}, ${pick(["0.5", "2.0", "-1.0", "x"])})`,
            (d: number) => `LOG(${f(d)}, ${pick(["2.0", "0.5", "x"])})`,
            (d: number) => `${pick(["ROUND", "TRUNC", "CEIL", "FLOOR", "ABS", "SIGN"])}(${f(d)})`,
            (d: number) => `IEEE_DIVIDE(${f(d)}, ${f(d)})`,
            (d: number) => `${pick(["GREATEST", "LEAST"])}(${f(d)}, ${f(d)})`,
            (d: number) => `CAST(${n(d)} AS FLOAT64)`,
            (d: number) => `SAFE_CAST(${s(d)} AS FLOAT64)`,
            (d: number) => `SAFE_ADD(${f(d)}, ${f(d)})`,
          ]
        : []),
    ],
    STRING: [
      (d) => `CONCAT(${s(d)}, ${s(d)})`,
      (d) => `LOWER(${s(d)})`,
      (d) => `UPPER(${s(d)})`,
      (d) => `SUBSTR(${s(d)}, ${i(d)})`,
      (d) => `SUBSTR(${s(d)}, ${i(d)}, ${i(d)})`,
      (d) => `REPLACE(${s(d)}, ${s(d)}, ${s(d)})`,
      (d) => `IFNULL(${s(d)}, ${s(d)})`,
      (d) => `NULLIF(${s(d)}, ${s(d)})`,
      (d) => `CAST(${i(d)} AS STRING)`,
      (d) => `IF(${b(d)}, ${s(d)}, ${s(d)})`,
      ...(kinds.length > 4
        ? [
            (d: number) => `${pick(["TRIM", "LTRIM", "RTRIM"])}(${s(d)})`,
            (d: number) => `${pick(["TRIM", "LTRIM", "RTRIM"])}(${s(d)}, ${pick(["'a'", "'ab'", "''", "s"])})`,
            (d: number) => `${pick(["LPAD", "RPAD"])}(${s(d)}, ${small(d)}${random() < 0.5 ? `, ${s(d)}` : ""})`,
            (d: number) => `REPEAT(${s(d)}, ${small(d)})`,
            (d: number) => `${pick(["LEFT", "RIGHT"])}(${s(d)}, ${small(d)})`,
            (d: number) => `REVERSE(${s(d)})`,
            (d: number) => `CAST(${pick([f(d), n(d), dt(d), ts(d), b(d)])} AS STRING)`,
            (d: number) => `REGEXP_REPLACE(${s(d)}, ${pick(["'a'", "'[aé]'", "''", "'(.)'"])}, ${pick(["'x'", "''", "r'<\\1>'"])})`,
            (d: number) => `REGEXP_EXTRACT(${s(d)}, ${pick(["'b'", "'[a-c]+'", "'(b)c'", "'^.'"])})`,
            (d: number) => `TO_HEX(${pick(["MD5", "SHA256", "SHA1"])}(${s(d)}))`,
            (d: number) => `ARRAY_TO_STRING(SPLIT(${s(d)}, ''), '-')`,
            (d: number) => `CHR(${small(d)} + 96)`,
            (d: number) => `ARRAY_TO_STRING(ARRAY(SELECT CAST(e AS STRING) FROM UNNEST(${arr(d)}) AS e WITH OFFSET o ORDER BY o), ',', 'null')`,
            (d: number) => `FORMAT_DATE(${pick(["'%Y%m%d'", "'%d %b %Y'", "'%A %e %B, week %U/%W/%V'", "'%j %u %w %G %y %C'"])}, ${dt(d)})`,
            (d: number) => `FORMAT_TIMESTAMP(${pick(["'%F %T'", "'%c %Z'", "'%E*S %E3S %s'", "'%I:%M %p %z'"])}, ${ts(d)})`,
          ]
        : []),
    ],
    BOOL: [
      (d) => {
        const [l, r] = same(d);
        return `(${l} ${pick(["=", "!=", "<", "<=", ">", ">="])} ${r})`;
      },
      (d) => `(${b(d)} AND ${b(d)})`,
      (d) => `(${b(d)} OR ${b(d)})`,
      (d) => `(NOT ${b(d)})`,
      (d) => `(${i(d)} IS NULL)`,
      (d) => `(${s(d)} IN (${s(d)}, ${s(d)}))`,
      (d) => `(${i(d)} BETWEEN ${i(d)} AND ${i(d)})`,
      (d) => `STARTS_WITH(${s(d)}, ${s(d)})`,
      (d) => `(${s(d)} LIKE ${pick(["'a%'", "'_'", "'%b%'", "''", "'%'", "'\\\\%'"])})`,
      (d) => `(${b(d)} IS TRUE)`,
      ...(kinds.length > 4
        ? [
            (d: number) => `REGEXP_CONTAINS(${s(d)}, ${pick(["'^a'", "'b'", "'[é]'", "''"])})`,
            (d: number) => `${pick(["IS_NAN", "IS_INF"])}(${f(d)})`,
            (d: number) => `(${i(d)} IN UNNEST(${arr(d)}))`,
            (d: number) => `(${arr(d)} = ${arr(d)})`,
            (d: number) => `ENDS_WITH(${s(d)}, ${s(d)})`,
            (d: number) => `(${i(d)} IN (SELECT k FROM u))`,
            (d: number) => `EXISTS(SELECT 1 FROM u WHERE u.k = ${i(d)})`,
            (d: number) => `(${f(d)} IN UNNEST([1.5, CAST('NaN' AS FLOAT64), ${f(d)}]))`,
          ]
        : []),
    ],
    DATE: [
      (d) => `DATE_ADD(${dt(d)}, INTERVAL ${small(d)} ${pick(DATE_PARTS)})`,
      (d) => `DATE_SUB(${dt(d)}, INTERVAL ${small(d)} ${pick(DATE_PARTS)})`,
      (d) => `DATE_TRUNC(${dt(d)}, ${pick(TRUNC_PARTS)})`,
      (d) => `LAST_DAY(${dt(d)}${random() < 0.5 ? `, ${pick(["MONTH", "YEAR", "QUARTER", "WEEK", "ISOWEEK"])}` : ""})`,
      (d) => `DATE(${ts(d)})`,
      (d) => `DATE_FROM_UNIX_DATE(${i(d)})`,
      (d) => `SAFE_CAST(${s(d)} AS DATE)`,
      (d) => `IF(${b(d)}, ${dt(d)}, ${dt(d)})`,
      (d) => `COALESCE(${dt(d)}, ${dt(d)})`,
      (d) => `${pick(["GREATEST", "LEAST"])}(${dt(d)}, ${dt(d)})`,
      (d) => `DATE(2024, ${small(d)} + 1, ${small(d)} + 1)`,
      (d) => `PARSE_DATE('%Y%m%d', FORMAT_DATE('%Y%m%d', ${dt(d)}))`,
      (d) => `SAFE.PARSE_DATE(${pick(["'%Y-%m-%d'", "'%d %b %Y'", "'%Y%m%d'"])}, ${s(d)})`,
    ],
    TIMESTAMP: [
      (d) => `TIMESTAMP_ADD(${ts(d)}, INTERVAL ${small(d)} ${pick(TS_PARTS)})`,
      (d) => `TIMESTAMP_SUB(${ts(d)}, INTERVAL ${small(d)} ${pick(TS_PARTS)})`,
      (d) => `TIMESTAMP_TRUNC(${ts(d)}, ${pick([...TS_PARTS, "MONTH", "YEAR", "WEEK", "ISOWEEK"])})`,
      (d) => `TIMESTAMP(${dt(d)})`,
      (d) => `TIMESTAMP_MICROS(${i(d)})`,
      (d) => `TIMESTAMP_SECONDS(${small(d)} * 86400)`,
      (d) => `IF(${b(d)}, ${ts(d)}, ${ts(d)})`,
    ],
    NUMERIC: [
      (d) => `(${n(d)} + ${n(d)})`,
      (d) => `(${n(d)} - ${n(d)})`,
      (d) => `(${n(d)} * ${n(d)})`,
      (d) => `-(${n(d)})`,
      (d) => `${pick(["ABS", "SIGN", "ROUND", "TRUNC", "CEIL", "FLOOR"])}(${n(d)})`,
      (d) => `${pick(["ROUND", "TRUNC"])}(${n(d)}, ${pick(["0", "1", "-1", "5", "9"])})`,
      (d) => `CAST(${i(d)} AS NUMERIC)`,
      (d) => `SAFE_CAST(${s(d)} AS NUMERIC)`,
      (d) => `${pick(["GREATEST", "LEAST"])}(${n(d)}, ${n(d)})`,
      (d) => `SAFE_ADD(${n(d)}, ${n(d)})`,
      (d) => `IF(${b(d)}, ${n(d)}, ${n(d)})`,
    ],
    ARRAY: [
      (d) => `ARRAY_CONCAT(${arr(d)}, ${arr(d)})`,
      (d) => `ARRAY_REVERSE(${arr(d)})`,
      (d) => `[${i(d)}, ${i(d)}]`,
      (d) => `GENERATE_ARRAY(${small(d)}, ${small(d)}${random() < 0.5 ? `, ${pick(["1", "2", "-1", "0"])}` : ""})`,
      (d) => `ARRAY(SELECT e FROM UNNEST(${arr(d)}) AS e ORDER BY e DESC)`,
      (d) => `ARRAY(SELECT k FROM u WHERE k > ${i(d)} ORDER BY k)`,
      (d) => `IF(${b(d)}, ${arr(d)}, ${arr(d)})`,
    ],
  };
  return (kind) => gen(kind, 3);
}

const f = (name: string, type: Field["type"], mode: Field["mode"] = "NULLABLE"): { name: string; field: Field } => ({ name, field: { name, type, mode } });

/** A seeded table of t's shape: unique ids, every other column drawn (with repeats) from edge pools. */
export function randomTable(random: () => number, name: string, rows: number): EngineTable {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const pools: Value[][] = [
    ["9223372036854775807", "-9223372036854775808", null, "0", "1", "-1", "7", "7", "-7", "2", "100", "-100"],
    ["NaN", "Infinity", "-Infinity", null, "0", "-1.5", "2.5", "2.5", "1e308", "-1e308", "0.1", "1e-300", "3"],
    ["", "a", "a", "B", "é", "abc", null, " a b ", "ab%", "x\ty", "ÉA"],
    ["-62135596800000000", "253402300799999999", null, "0", "-1", "1735689600123456", "1735689600123456", "951782400000000", "86399999999"],
    ["0001-01-01", "9999-12-31", null, "1970-01-01", "2024-02-29", "2024-02-29", "2025-01-05", "1999-12-31"],
    ["true", "false", null, "true"],
    ["99999999999999999999999999999.999999999", "-99999999999999999999999999999.999999999", null, "0", "2.5", "-2.5", "0.000000001", "1", "1", "123.456789"],
    [[], ["1", "2"], ["3"], [null, "0"], ["9223372036854775807", "-1"], ["7", "7", "7"]],
  ];
  const data: Row[] = [];
  for (let id = 1; id <= rows; id++) data.push([String(id), ...pools.map((pool) => pick(pool))]);
  return {
    name,
    columns: [f("id", "INTEGER"), f("a", "INTEGER"), f("x", "FLOAT"), f("s", "STRING"), f("ts", "TIMESTAMP"), f("d", "DATE"), f("b", "BOOLEAN"), f("n", "NUMERIC"), f("arr", "INTEGER", "REPEATED")],
    rows: data,
  };
}
