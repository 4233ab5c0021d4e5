/**
 * A seeded generator of random GoogleSQL expressions over the differential test's table t
 * (id, a INT64; x FLOAT64; s STRING; ts TIMESTAMP; d DATE; b BOOL), each well typed by
 * construction, mixing edge literals with the compiler's functions.
 */
type Kind = "INT64" | "FLOAT64" | "STRING" | "BOOL";

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

export function expressionGenerator(random: () => number): (kind: Kind) => string {
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
  const same = (d: number): [string, string] => {
    const kind = pick<Kind>(["INT64", "FLOAT64", "STRING", "BOOL"]);
    return [gen(kind, d), gen(kind, d)];
  };
  const LEAVES: Record<Kind, string[]> = {
    INT64: ["id", "a", "0", "1", "-1", "7", "9223372036854775807", "-9223372036854775807", "CAST(NULL AS INT64)"],
    FLOAT64: ["x", "1.5", "-0.5", "0.0", "1e308", "CAST(NULL AS FLOAT64)"],
    STRING: ["s", "''", "'a'", "'B'", "'é'", "'abc'", "CAST(NULL AS STRING)"],
    BOOL: ["b", "TRUE", "FALSE", "CAST(NULL AS BOOL)"],
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
    ],
  };
  return (kind) => gen(kind, 3);
}
